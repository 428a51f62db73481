"""The user guide: its Vietnamese text and screenshots (docs/guide, docs/screenshots, shipped
with the program beside the package) made into a PDF."""

from __future__ import annotations

from pathlib import Path

import crc_desktop
from crc_desktop.core.errors import InputRefused
from crc_desktop.core.files import write_atomically
from crc_desktop.core.progress import NO_PROGRESS, Progress
from crc_desktop.core.schemas.base import Frozen

GUIDE = Path("docs") / "guide" / "huong-dan-su-dung.md"


class GuideFile(Frozen):
    path: str
    pages: int


def guide_source() -> Path:
    """The guide's Markdown: package data of an installed wheel (crc_desktop/docs), else beside
    the package in a checkout and in the frozen program (build_installer.py ships docs/guide and
    docs/screenshots there)."""
    from importlib import resources

    try:
        packaged = Path(str(resources.files("crc_desktop.docs") / "guide" / GUIDE.name))
    except ModuleNotFoundError:
        packaged = None
    if packaged is not None and packaged.is_file():
        return packaged
    return Path(crc_desktop.__file__).resolve().parent.parent / GUIDE


def write_user_guide(out: Path, *, progress: Progress = NO_PROGRESS) -> GuideFile:
    """The user guide as a PDF at `out`, written atomically."""
    from crc_desktop import __version__
    from crc_desktop.core.reporting.guide import write_guide

    source = guide_source()
    if not source.is_file():
        raise InputRefused(
            "The user guide is not installed with this copy of the program ({path}).", path=str(source)
        )
    progress.step(0.1)
    pages = write_atomically(Path(out), lambda stream: write_guide(source, stream, version=__version__))
    progress.step(1.0)
    return GuideFile(path=str(out), pages=pages)
