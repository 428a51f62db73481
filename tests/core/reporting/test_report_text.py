"""What the office writes in its report: kept per period, audited, locked with the period,
read and written by `report text`, printed in its section, carried in the signed bundle; the
number the clerk gives at signing, in the signed PDF and the manifest."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from crc_desktop.cli import main
from crc_desktop.core.errors import InputRefused, PeriodLocked
from crc_desktop.core.schemas.office import ProfileInput
from crc_desktop.core.services.export import verify
from crc_desktop.core.signing.keys import load_p12
from tests.core.signing.conftest import PASSPHRASE, approve

DAY = dt.date(2026, 1, 5)
DIRECTION = (
    "Ủy ban nhân dân thành phố ban hành Kế hoạch số 45/KH-UBND ngày 10/3/2025 thực hiện Quyết định "
    "số 27/QĐ-TTg.\n- Tổ chức 12 lớp tập huấn cho cán bộ làm công tác trẻ em;\n- Phổ biến Kế hoạch "
    "đến các xã, phường."
)


def _text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


def _export(context, keys, tmp_path, **options) -> Path:
    approve(context)
    context.certificates.register_file(Path(keys.certificate))
    material = load_p12(Path(keys.p12), PASSPHRASE)
    return Path(context.export.export("2025", material, tmp_path, on=DAY, **options).path)


def test_text_round_trips_through_report_text_the_pdf_and_the_bundle(demo_db, keys, tmp_path, capsys):
    db = str(demo_db.database.path)
    source = tmp_path / "direction.txt"
    source.write_text(DIRECTION, "utf-8")
    assert (
        main(
            ["report", "text", "--db", db, "--period", "2025", "--section", "direction", "--set", str(source)]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["report", "text", "--db", db, "--period", "2025", "--section", "direction"]) == 0
    assert capsys.readouterr().out.strip() == DIRECTION

    pdf = tmp_path / "bc.pdf"
    demo_db.reports.pdf("2025", pdf, on=DAY)
    printed = _text(pdf)
    assert (
        "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH, TRIỂN KHAI Ủy ban nhân dân thành phố ban hành Kế hoạch số 45/KH-UBND"
        in printed
    )
    assert "- Tổ chức 12 lớp tập huấn cho cán bộ làm công tác trẻ em;" in printed

    bundle = _export(demo_db, keys, tmp_path)
    with zipfile.ZipFile(bundle) as archive:
        carried = json.loads(archive.read("data/report.json"))
    assert carried["sections"] == [{"key": "direction", "text": DIRECTION}]
    outcome = verify(bundle, [Path(keys.ca_certificate)])
    assert outcome.valid, outcome.failure
    assert outcome.manifest is not None


def test_a_bundle_without_text_has_no_report_file_and_hashes_as_before(demo_db):
    snapshot = demo_db.reports._snapshots.take("2025", on=DAY)
    assert snapshot.report_text == []
    assert "report_text" not in snapshot.hashed_fields()


def test_text_is_audited_and_locked_with_the_period(demo_db):
    saved = demo_db.reports.save_text("2025", "shortcomings", "Nguồn lực còn hạn chế.")
    assert saved.changed
    history = demo_db.audit.history("report_text", "2025/shortcomings")
    assert history and history[-1].new == {"text": "Nguồn lực còn hạn chế."}
    assert not demo_db.reports.save_text("2025", "shortcomings", "Nguồn lực còn hạn chế.").changed
    with pytest.raises(PeriodLocked):  # the demo's 2024 is signed
        demo_db.reports.save_text("2024", "shortcomings", "Thay đổi")
    with pytest.raises(InputRefused, match="results.8"):
        demo_db.reports.save_text("2025", "results.8", "?")
    demo_db.periods.submit("2025")
    with pytest.raises(InputRefused):  # a submitted period's text changes only with a reason
        demo_db.reports.save_text("2025", "shortcomings", "Khác")
    assert demo_db.reports.save_text("2025", "shortcomings", "Khác", reason="Lãnh đạo góp ý").changed


def test_the_number_given_at_signing_is_in_the_signed_pdf_and_the_manifest(demo_db, keys, tmp_path):
    bundle = _export(demo_db, keys, tmp_path, number="125")
    with zipfile.ZipFile(bundle) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        (tmp_path / "report.pdf").write_bytes(archive.read("report.pdf"))
    assert manifest["document"] == {"number": "125", "symbol": "BC-SYT", "date": "2026-01-05"}
    first = " ".join(PdfReader(tmp_path / "report.pdf").pages[0].extract_text().split())
    assert "Số: 125/BC-SYT" in first
    assert "Huế, ngày 05 tháng 01 năm 2026" in first


def test_a_number_is_refused_in_the_symbol_and_a_symbol_in_the_number(demo_db, keys, tmp_path):
    profile = demo_db.setup.info(counts=False).profile
    fields = profile.model_dump(include=set(ProfileInput.model_fields))
    with pytest.raises(InputRefused, match="125"):
        demo_db.setup.update_profile(ProfileInput(**fields | {"document_symbol": "125/BC-SYT"}))
    demo_db.setup.update_profile(ProfileInput(**fields | {"document_symbol": "BC-SYT"}))
    with pytest.raises(InputRefused, match="BC-SYT"):
        _export(demo_db, keys, tmp_path, number="125/BC-SYT")


def test_the_report_is_saved_as_docx_with_the_office_text_and_the_tables(demo_db, tmp_path):
    import docx

    demo_db.reports.save_text("2025", "results.2", "Nhóm 2 đạt kết quả tốt.\n- 12 lớp tập huấn.")
    out = tmp_path / "bc.docx"
    assert (
        main(["report", "docx", "--db", str(demo_db.database.path), "--period", "2025", "--out", str(out)])
        == 0
    )
    document = docx.Document(str(out))
    paragraphs = [p.text for p in document.paragraphs]
    group = next(i for i, text in enumerate(paragraphs) if text.startswith("2. Truyền thông"))
    assert paragraphs[group + 1 : group + 3] == ["Nhóm 2 đạt kết quả tốt.", "- 12 lớp tập huấn."]
    assert "Kế hoạch của thành phố Huế" in "\n".join(paragraphs)
    header = document.tables[0].rows[0].cells
    assert "SỞ Y TẾ THÀNH PHỐ HUẾ" in header[0].text and "Số:" in header[0].text
    titles = {row.cells[1].text for table in document.tables[1:] for row in table.rows}
    planned = {t.title for t in demo_db.plan.tasks() if t.status != "cancelled"}
    assert planned and planned <= titles  # every task of the plan, named by its title


def test_the_documented_hand_check_recomputes_the_hash_with_text_and_programmes(demo_db, keys, tmp_path):
    """docs/bundle-format.md's commands, as written, on a bundle that carries the office's text and
    programmes (data/report.json, data/programmes.json)."""
    import re

    from crc_desktop.core.services.programmes import ProgrammeService
    from tests.core.signing.test_bundle_format_doc import _folder, _run

    demo_db.reports.save_text("2025", "proposals", "Đề nghị Bộ Y tế hướng dẫn.")
    ProgrammeService(demo_db.database, demo_db.actor).fold("NV-001", ["NPA_2021_2030"])
    out = tmp_path / "out"
    out.mkdir()
    bundle = _export(demo_db, keys, out)
    with zipfile.ZipFile(bundle) as archive:
        assert {"data/report.json", "data/programmes.json"} <= set(archive.namelist())
        manifest = archive.read("manifest.json").decode("utf-8")
    folder = tmp_path / "hand"
    folder.mkdir()
    done = _run(_folder(folder, bundle, keys))
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r'"data_sha256": "([0-9a-f]{64})"', manifest)[1] in done.stdout


def test_the_docx_header_has_the_two_lines_at_their_lengths(demo_db, tmp_path):
    """As in the PDF (Decree 30): a line under "Độc lập - Tự do - Hạnh phúc" as long as that text,
    and under the office's name 40 % of it, each centred under its text."""
    import docx
    from docx.oxml.ns import qn
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from crc_desktop.core.reporting.pdf import FONT, MOTTO, register_fonts

    register_fonts()
    out = tmp_path / "bc.docx"
    assert (
        main(["report", "docx", "--db", str(demo_db.database.path), "--period", "2025", "--out", str(out)])
        == 0
    )
    header = docx.Document(str(out)).tables[0].rows[0].cells

    def lines(cell) -> list[tuple[str, float]]:
        """(the text above, the line's length in points) for each paragraph with a top border."""
        width = cell.width.pt
        found, above = [], ""
        for paragraph in cell.paragraphs:
            border = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:top')}")
            if border is None:
                above = paragraph.text or above
                continue
            assert border.get(qn("w:val")) == "single" and paragraph.text == ""
            fmt = paragraph.paragraph_format
            assert fmt.left_indent == fmt.right_indent  # centred
            found.append((above, width - fmt.left_indent.pt - fmt.right_indent.pt))
        return found

    [(office, office_line)] = lines(header[0])
    [(motto, motto_line)] = lines(header[1])
    assert motto == MOTTO
    assert motto_line == pytest.approx(stringWidth(MOTTO, FONT + "-Bold", 13), abs=0.5)
    assert office == "SỞ Y TẾ THÀNH PHỐ HUẾ"
    assert office_line == pytest.approx(0.4 * stringWidth(office, FONT + "-Bold", 12), abs=0.5)
