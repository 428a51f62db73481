"""How a signature appears on the signed report (Decree 30/2020/NĐ-CP, Annex I, electronic
documents): the signer's handwritten signature image (PNG, transparent, blue) between the
signer's title and name; the office's seal image (PNG, transparent, red) over about the left
third of the signer's image; the office's name and the signing time (ISO 8601, Vietnam's time
zone) in Times New Roman (here its metric twin, Liberation Serif) 10 pt. Without images, a text
stamp: "Ký bởi: …", "Cơ quan: …", "Thời gian ký: …".

The appearance is drawn here as a one-page PDF the size of the signature box; pyHanko imports
that page as the signature field's appearance (its public `StaticStampStyle`)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

VIETNAM = dt.timezone(dt.timedelta(hours=7))
TEXT_SIZE = 10
MM = 72 / 25.4  # points in a millimetre
# Annex I shows the seal image at its real size. A PNG that records its resolution (pHYs, which
# scanners and image editors write) gives that size; one without it is shown 36 mm across, a
# usual diameter of an office's round seal (state agencies' seals are commonly 32-42 mm), so an
# image without its resolution is neither a stamp-sized dot nor a page-wide disc.
DEFAULT_SEAL_MM = 36.0


@dataclass(frozen=True)
class SignaturePlace:
    """Where the report left room for the signature: page index (from 0) and box in points."""

    page: int
    box: tuple[float, float, float, float]


@dataclass(frozen=True)
class SignatureLook:
    signer: str
    office: str
    at: dt.datetime
    signature_png: bytes | None = None
    seal_png: bytes | None = None


def seal_size(png: bytes) -> tuple[float, float]:
    """The seal image's real width and height in points: its pixels over the resolution the PNG
    records (DPI metadata), or DEFAULT_SEAL_MM high (width in proportion) when it records none."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        width, height = image.size
        dpi = image.info.get("dpi")
    if dpi and len(dpi) == 2 and min(float(dpi[0]), float(dpi[1])) >= 10:  # 1 dpi: "unknown"
        return width / float(dpi[0]) * 72, height / float(dpi[1]) * 72
    return DEFAULT_SEAL_MM * MM * width / height, DEFAULT_SEAL_MM * MM


def seal_overhang(look: SignatureLook, height: float) -> float:
    """How far (points) the seal at its real size reaches above and below a signature space
    `height` high: the seal is centred on the space and may cover part of the title and the name,
    as a seal stamped on paper does; the visible signature's box grows by this much each way."""
    if look.seal_png is None:
        return 0.0
    return max(0.0, (seal_size(look.seal_png)[1] - height) / 2)


def vietnam_time(at: dt.datetime) -> str:
    """ "2026-01-05T09:30:00+07:00": ISO 8601 in Vietnam's time zone, to the second."""
    return at.astimezone(VIETNAM).replace(microsecond=0).isoformat()


def appearance_pdf(
    look: SignatureLook, width: float, height: float, below: float = 0.0, page_height: float | None = None
) -> bytes:
    """A one-page PDF of `width` × `height` points: the signature as it appears. With room where
    only the seal reaches (see seal_overhang), the page is `page_height` high and the signature
    space of `height` starts `below` points from its bottom."""
    from reportlab.lib import colors
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    from crc_desktop.core.reporting.pdf import FONT, register_fonts
    from crc_desktop.core.text import nfc

    register_fonts()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(width, page_height or height), initialFontName=FONT)
    canvas.translate(0, below)  # everything is drawn in the signature space; the seal may overhang
    canvas.setFillColor(colors.black)
    line = TEXT_SIZE * 1.2

    def centred(text: str, y: float) -> None:
        text = nfc(text)
        size = TEXT_SIZE
        while size > 6 and stringWidth(text, FONT, size) > width:  # a long office name still fits
            size -= 0.5
        canvas.setFont(FONT, size)
        canvas.drawCentredString(width / 2, y, text)

    if look.signature_png is None and look.seal_png is None:
        lines = [
            f"Ký bởi: {look.signer}",
            f"Cơ quan: {look.office}",
            f"Thời gian ký: {vietnam_time(look.at)}",
        ]
        top = height / 2 + line * len(lines) / 2 - TEXT_SIZE
        for index, text in enumerate(lines):
            centred(text, top - index * line)
    else:
        text_room = 2 * line + 2
        image_height = height - text_room
        signature_box = None
        if look.signature_png is not None:
            signature_box = _draw_fitted(
                canvas,
                ImageReader(io.BytesIO(look.signature_png)),
                width * 0.6,
                image_height,
                width / 2,
                text_room,
            )
        if look.seal_png is not None:
            seal = ImageReader(io.BytesIO(look.seal_png))
            drawn_w, size = seal_size(look.seal_png)  # its real size (Annex I)
            if signature_box is not None:  # its right edge at the first third of the signature
                left = signature_box[0] + (signature_box[2] - signature_box[0]) / 3 - drawn_w
            else:
                left = width / 2 - drawn_w
            canvas.drawImage(seal, max(left, 0), (height - size) / 2, drawn_w, size, mask="auto")
        centred(look.office, line + 2)
        centred(vietnam_time(look.at), 2)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _draw_fitted(canvas, image, width: float, height: float, centre_x: float, bottom: float):
    """`image` as large as fits in width × height, centred on `centre_x`; its box."""
    image_w, image_h = image.getSize()
    scale = min(width / image_w, height / image_h)
    drawn_w, drawn_h = image_w * scale, image_h * scale
    left = centre_x - drawn_w / 2
    canvas.drawImage(image, left, bottom, drawn_w, drawn_h, mask="auto")
    return (left, bottom, left + drawn_w, bottom + drawn_h)
