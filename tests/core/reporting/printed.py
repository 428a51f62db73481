"""Print workbooks as an office does: open them in LibreOffice (headless) and print to PDF, then
read each page's text back with pdftotext."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) and poppler-utils are installed by .ci/setup",
)


def print_to_pdf(workbooks: list[Path], folder: Path) -> dict[str, Path]:
    """Each workbook printed to a PDF in `folder` (one LibreOffice run for all): stem → PDF."""
    folder.mkdir(parents=True, exist_ok=True)
    profile = folder / "libreoffice-profile"  # its own profile: other runs may be printing too
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *map(str, workbooks),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return {path.stem: folder / f"{path.stem}.pdf" for path in workbooks}


def page_texts(pdf: Path) -> list[str]:
    """The text of each page, in reading order with the page's layout kept."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def flat(text: str) -> str:
    """Text with its line breaks and runs of spaces made single spaces."""
    return " ".join(text.split())
