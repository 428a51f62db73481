"""Makes docs/screenshots from a small demo database (offscreen): each page of the main window,
the pages of the demo report as images, and the ministry's window on a national store that
five demo provinces' bundles were consolidated into (one of them tampered with, so refused).

Usage: `.venv/bin/python docs/make_screenshots.py [pages] [report] [first-run] [ministry]` (all of
them when none is named).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "screenshots"
PAGES = [
    "overview",
    "plan",
    "recommendations",
    "indicators",
    "progress",
    "periods",
    "reports",
    "collection",
    "settings",
]


def main() -> int:
    OUT.mkdir(exist_ok=True)
    wanted = set(sys.argv[1:]) or {"pages", "hd", "sign", "report", "first-run", "ministry"}
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "demo.db"
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CRC_DESKTOP_HOME=folder)
        subprocess.run([sys.executable, "-m", "crc_desktop", "demo", "--db", str(db)], check=True, env=env)
        _collection_round(db, Path(folder))
        if "first-run" in wanted:
            _first_run()
        if "sign" in wanted:
            _sign_dialog()
        # an office screen (1366×768), and a 1920×1080 screen at Windows' 125 % scaling
        sizes = [("", "1366x768", "1")] if "pages" in wanted else []
        sizes += [("hd-", "1536x864", "1.25")] if "hd" in wanted else []
        for prefix, size, scale in sizes:
            for name in PAGES:
                subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "crc_desktop",
                        "gui",
                        "--db",
                        str(db),
                        "--screenshot",
                        str(OUT / f"{prefix}{name}.png"),
                        "--size",
                        size,
                    ],
                    check=True,
                    env=dict(env, CRC_SCREENSHOT_PAGE=name, QT_SCALE_FACTOR=scale),
                )
        if "report" in wanted:
            _report(db, Path(folder), env)
        if "ministry" in wanted:
            _ministry(Path(folder), env)
    return 0


def _collection_round(db: Path, folder: Path) -> None:
    """A round under way, for the collection page's board (and the overview's progress): forms for
    a few units returned (a value changed, a comment), one unit marked "no report expected"."""
    from openpyxl import load_workbook

    from crc_desktop.app import Paths, open_app

    home = folder / "round"
    forms = home / "forms"
    forms.mkdir(parents=True)
    context = open_app(db, Paths(home, home, home), user_name="Nguyễn Thị Lan")
    try:
        context.collection.forms("2025", forms, units=["90001", "90002", "90003", "90005", "SYT", "SGDDT"])
        for path in forms.glob("*.xlsx"):
            book = load_workbook(path)
            if "Tiến độ nhiệm vụ" in book.sheetnames:
                tasks = book["Tiến độ nhiệm vụ"]
                tasks["D5"], tasks["F5"] = 80, "Đã tổ chức tập huấn cho cán bộ các xã."
            else:
                sheet = book["Số liệu"]
                value = next(r[7] for r in sheet.iter_rows(min_row=5) if isinstance(r[7].value, int))
                value.value += 2
                sheet.cell(value.row, 11).value = "Đã rà soát với trạm y tế xã."
            book.save(path)
        context.collection.import_files("2025", [forms])
        context.collection.exempt("2025", "commune", "90004", "Sáp nhập vào phường khác từ 01/7/2025")
    finally:
        context.close()


def _first_run() -> None:
    """The dialog a new database opens with, Thành phố Hồ Chí Minh chosen."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from crc_desktop.core.i18n import Translator
    from crc_desktop.core.ministry.views import provinces
    from crc_desktop.core.services.catalog import shipped_commune_counts
    from crc_desktop.gui.dialogs.first_run_dialog import FirstRunDialog

    app = QApplication.instance() or QApplication([])
    dialog = FirstRunDialog(Translator("vi"), provinces(), shipped_commune_counts())
    dialog.province.setCurrentIndex(dialog.province.findData("79"))
    dialog.resize(560, dialog.sizeHint().height())
    dialog.show()
    app.processEvents()
    dialog.grab().save(str(OUT / "first-run.png"))
    dialog.close()


def _sign_dialog() -> None:
    """The dialog that signs and exports a period: a key file or a USB token found on the machine."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from crc_desktop.core.i18n import Translator
    from crc_desktop.gui.dialogs.export_dialog import ExportDialog

    app = QApplication.instance() or QApplication([])
    dialog = ExportDialog(Translator("vi"), "2025", "", search_system=False)
    dialog.resize(dialog.sizeHint())
    dialog.show()
    app.processEvents()
    dialog.grab().save(str(OUT / "sign-dialog.png"))
    dialog.close()


def _report(db: Path, folder: Path, env: dict) -> None:
    """The demo report, each page an image."""
    report = Path(folder) / "report.pdf"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "crc_desktop",
            "report",
            "--db",
            str(db),
            "--period",
            "2025",
            "--out",
            str(report),
            "--date",
            "15/12/2025",
        ],
        check=True,
        env=env,
    )
    from crc_desktop.core.reporting.preview import render_pages

    for old in OUT.glob("report-page-*.png"):
        old.unlink()
    for number, page in enumerate(render_pages(report, dpi=70), start=1):
        _save_png(OUT / f"report-page-{number}.png", page)


def _ministry(folder: Path, env: dict) -> None:
    """Five provinces export their 2025 bundle; the ministry consolidates them, one tampered."""
    import shutil
    import sqlite3

    from crc_desktop.app import Paths, open_app
    from crc_desktop.core.signing.keys import load_p12, new_test_keys

    bundles, trust = folder / "bundles", folder / "trust"
    bundles.mkdir()
    trust.mkdir()
    home = Paths(folder / "home", folder / "home", folder / "home")
    for seed, code in enumerate(("01", "31", "46", "79", "92"), start=1):
        db = folder / f"province-{code}.db"
        context = open_app(db, home, create=True)
        context.demo.build("small", seed=seed, province=code)
        context.close()
        connection = sqlite3.connect(db)  # approved by the office (the workflow is shown elsewhere)
        connection.execute("UPDATE reporting_period SET state = 'approved' WHERE code = '2025'")
        connection.commit()
        connection.close()
        keys = new_test_keys(folder / "keys" / code, f"Demo {code}", code, b"demo-pass", key_bits=2048)
        shutil.copy(keys.ca_certificate, trust / f"{code}-ca.pem")
        context = open_app(db, home)
        context.certificates.register_file(Path(keys.certificate))
        context.export.export("2025", load_p12(Path(keys.p12), b"demo-pass"), bundles)
        context.close()
    tampered = sorted(bundles.glob("*92*.zip"))[0]
    data = bytearray(tampered.read_bytes())
    data[len(data) // 2] ^= 0xFF
    tampered.write_bytes(bytes(data))
    national = folder / "national.db"
    common = [sys.executable, "-m", "crc_desktop"]
    consolidate = [*common, "consolidate", "--db", str(national), "--trust", str(trust), str(bundles)]
    subprocess.run(consolidate, env=env, capture_output=True)  # exits 1: one bundle is refused
    window = [*common, "ministry", "window", "--db", str(national), "--trust", str(trust)]
    subprocess.run([*window, "--screenshot", str(OUT / "ministry.png")], check=True, env=env)


def _save_png(path: Path, page) -> None:
    from PySide6.QtGui import QImage

    QImage(page.rgb, page.width, page.height, page.stride, QImage.Format_RGB888).save(str(path))


if __name__ == "__main__":
    raise SystemExit(main())
