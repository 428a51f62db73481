"""Page images of a PDF for the preview before saving (pdfium renders; no Qt here)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

from crc_desktop.core.progress import NO_PROGRESS, Progress


@dataclass(frozen=True)
class PageImage:
    """Packed RGB rows, `stride` bytes apart."""

    width: int
    height: int
    stride: int
    rgb: bytes


def render_pages(path: Path, *, dpi: int = 80, progress: Progress = NO_PROGRESS) -> list[PageImage]:
    document = pdfium.PdfDocument(str(path))
    try:
        pages = []
        for index in range(len(document)):
            bitmap = document[index].render(scale=dpi / 72, rev_byteorder=True)
            pages.append(PageImage(bitmap.width, bitmap.height, bitmap.stride, bytes(bitmap.buffer)))
            progress.step((index + 1) / len(document))
        return pages
    finally:
        document.close()
