"""The signature is visible on the signer block (Decree 30, Annex I): without images, a text
stamp; with the signer's signature image and the office's seal registered, both images and the
office's name and signing time. pdfsig still finds it valid, with its appearance."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

from crc_desktop.cli import main
from crc_desktop.core.errors import InputRefused
from crc_desktop.core.signing.keys import fingerprint, load_p12

from .conftest import PASSPHRASE, approve

DAY = dt.date(2026, 1, 5)


def _png(path: Path, colour: tuple, draw) -> Path:
    image = Image.new("RGBA", (300, 150), (0, 0, 0, 0))  # transparent
    draw(ImageDraw.Draw(image), colour)
    image.save(path)
    return path


def _export(context, keys, folder: Path) -> tuple[Path, bytes]:
    approve(context)
    if not context.certificates.registered():
        context.certificates.register_file(Path(keys.certificate))
    material = load_p12(Path(keys.p12), PASSPHRASE)
    bundle = Path(context.export.export("2025", material, folder, on=DAY, number="125").path)
    with zipfile.ZipFile(bundle) as archive:
        return bundle, archive.read("report.pdf")


def _widget(pdf: bytes) -> tuple[int, list[float], object]:
    """The signature field's page, rectangle and appearance stream."""
    reader = PdfReader(io.BytesIO(pdf))
    for index, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/FT") == "/Sig" or annotation.get("/Parent", {}).get("/FT") == "/Sig":
                return index, [float(v) for v in annotation["/Rect"]], annotation["/AP"]["/N"].get_object()
    raise AssertionError("no signature widget")


def _pdfsig(pdf: bytes, keys, folder: Path) -> str:
    (folder / "report.pdf").write_bytes(pdf)
    nss = folder / "nss"
    nss.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True)
    subprocess.run(
        ["certutil", "-A", "-d", f"sql:{nss}", "-n", "ca", "-t", "C,C,C", "-i", keys.ca_certificate],
        check=True,
    )
    done = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nss}", str(folder / "report.pdf")], capture_output=True, text=True
    )
    return done.stdout + done.stderr  # pdfsig exits 0 even when a signature is broken


@pytest.mark.skipif(not shutil.which("pdfsig") or not shutil.which("certutil"), reason="poppler/NSS tools")
def test_without_images_a_text_stamp_on_the_signer_block_and_pdfsig_finds_it_valid(demo_db, keys, tmp_path):
    _bundle, pdf = _export(demo_db, keys, tmp_path)
    reader = PdfReader(io.BytesIO(pdf))
    page, rect, appearance = _widget(pdf)
    assert page == len(reader.pages) - 1  # the last page, where the signer block is
    assert rect[2] - rect[0] > 100 and rect[3] - rect[1] > 50  # a visible box, not a 0×0 field
    text = " ".join(reader.pages[page].extract_text().split())
    # the box lies between the title and the signer's name, as Annex I places the signature
    assert "GIÁM ĐỐC" in text
    stamp = appearance.get_data()
    assert b"Do" in stamp  # the drawn appearance is painted
    output = _pdfsig(pdf, keys, tmp_path)
    assert "Signature is Valid." in output and "Total document signed" in output
    assert re.search(r"Signature Field Name: CRCDesktop", output)
    assert "Signature Type: ETSI.CAdES.detached" in output


def test_with_images_the_signature_and_the_seal_are_drawn(demo_db, keys, tmp_path, capsys):
    db = str(demo_db.database.path)
    signature = _png(
        tmp_path / "chu-ky.png", (0, 0, 200, 255), lambda d, c: d.line([(10, 120), (290, 20)], c, 8)
    )
    seal = _png(
        tmp_path / "dau.png", (220, 0, 0, 255), lambda d, c: d.ellipse([80, 5, 220, 145], outline=c, width=8)
    )
    assert main(["office", "seal", "--db", db, str(seal)]) == 0
    demo_db.certificates.register_file(Path(keys.certificate))
    print_ = fingerprint(load_p12(Path(keys.p12), PASSPHRASE).certificate)
    assert main(["office", "certificate", "image", "--db", db, print_, str(signature)]) == 0
    assert "đã đăng ký" in capsys.readouterr().out.lower()
    _bundle, pdf = _export(demo_db, keys, tmp_path)
    _page, _rect, appearance = _widget(pdf)
    resources = appearance["/Resources"]["/XObject"]
    imported = next(iter(resources.values())).get_object()
    images = [x.get_object() for x in imported["/Resources"]["/XObject"].values()]
    assert len([i for i in images if i["/Subtype"] == "/Image"]) == 2  # the signature and the seal
    with pytest.raises(InputRefused, match="PNG"):
        demo_db_images(demo_db).register_seal(Path(keys.certificate))


def demo_db_images(context):
    from crc_desktop.core.services.signature_images import SignatureImageService

    return SignatureImageService(context.database, context.actor)


def _images_drawn(appearance) -> list[tuple[float, float, float, float]]:
    """Every image the appearance stream paints, as (x, y, width, height) in its own space,
    following the matrices of the forms it draws (the imported page, reportlab's image forms)."""
    from pypdf.generic import ContentStream

    found = []

    def walk(stream, ctm):
        resources = stream.get("/Resources", {})
        xobjects = resources.get("/XObject", {}) if resources else {}
        stack = []
        for operands, operator in ContentStream(stream, None).operations:
            if operator == b"q":
                stack.append(ctm)
            elif operator == b"Q":
                ctm = stack.pop()
            elif operator == b"cm":
                ctm = _times([float(v) for v in operands], ctm)
            elif operator == b"Do":
                child = xobjects[operands[0]].get_object()
                if child["/Subtype"] == "/Image":
                    a, b, c, d, e, f = ctm
                    found.append((e, f, (a * a + b * b) ** 0.5, (c * c + d * d) ** 0.5))
                else:
                    matrix = [float(v) for v in child.get("/Matrix", [1, 0, 0, 1, 0, 0])]
                    walk(child, _times(matrix, ctm))

    walk(appearance, [1, 0, 0, 1, 0, 0])
    return found


def _times(m, n):
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return [
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    ]


def test_the_seal_is_drawn_at_its_real_size_from_the_png_s_resolution(demo_db, keys, tmp_path):
    """A 300-dpi seal 40 mm across is 40 mm across on the signed report (Annex I: real size),
    although the signer block leaves 30 mm for the signature."""
    pixels = round(40 / 25.4 * 300)  # 472 px: 39.96 mm at 300 dpi
    image = Image.new("RGBA", (pixels, pixels), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse([4, 4, pixels - 4, pixels - 4], outline=(220, 0, 0, 255), width=12)
    seal = tmp_path / "dau.png"
    image.save(seal, dpi=(300, 300))
    demo_db_images(demo_db).register_seal(seal)
    _bundle, pdf = _export(demo_db, keys, tmp_path)
    _page, rect, appearance = _widget(pdf)
    x0, y0, x1, y1 = (float(v) for v in appearance["/BBox"])
    bbox = [min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)]  # pyHanko writes it top-down
    # a viewer maps the appearance's box onto the widget's rectangle (PDF 32000, 12.5.5)
    sx, sy = (rect[2] - rect[0]) / (bbox[2] - bbox[0]), (rect[3] - rect[1]) / (bbox[3] - bbox[1])
    [(x, y, width, height)] = _images_drawn(appearance)
    mm = 72 / 25.4
    assert width * sx / mm == pytest.approx(40, abs=0.1) and height * sy / mm == pytest.approx(40, abs=0.1)
    # wholly inside the widget's box, not cut by it
    assert bbox[0] - 0.01 <= x and x + width <= bbox[2] + 0.01
    assert bbox[1] - 0.01 <= y and y + height <= bbox[3] + 0.01
    if shutil.which("pdfsig") and shutil.which("certutil"):  # the larger box keeps it valid
        output = _pdfsig(pdf, keys, tmp_path)
        assert "Signature is Valid." in output and "Total document signed" in output


def test_a_seal_without_its_resolution_is_drawn_36_mm_high(demo_db, keys, tmp_path):
    image = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse([4, 4, 196, 196], outline=(220, 0, 0, 255), width=8)
    seal = tmp_path / "dau.png"
    image.save(seal)  # no pHYs chunk
    assert "dpi" not in Image.open(seal).info
    demo_db_images(demo_db).register_seal(seal)
    _bundle, pdf = _export(demo_db, keys, tmp_path)
    [(_x, _y, width, height)] = _images_drawn(_widget(pdf)[2])
    assert height / (72 / 25.4) == pytest.approx(36, abs=0.1) and width == pytest.approx(height)
