"""Makes docs/screenshots from a small demo database (offscreen): each page of the main window,
and the pages of the demo report as images.

Usage: `.venv/bin/python docs/make_screenshots.py`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "screenshots"
PAGES = ["overview", "plan", "recommendations", "indicators", "progress", "periods", "reports", "settings"]


def main() -> int:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "demo.db"
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CRC_DESKTOP_HOME=folder)
        subprocess.run([sys.executable, "-m", "crc_desktop", "demo", "--db", str(db)], check=True, env=env)
        for index, name in enumerate(PAGES):
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "crc_desktop",
                    "gui",
                    "--db",
                    str(db),
                    "--screenshot",
                    str(OUT / f"{name}.png"),
                ],
                check=True,
                env=dict(env, CRC_SCREENSHOT_PAGE=str(index)),
            )
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
    return 0


def _save_png(path: Path, page) -> None:
    from PySide6.QtGui import QImage

    QImage(page.rgb, page.width, page.height, page.stride, QImage.Format_RGB888).save(str(path))


if __name__ == "__main__":
    raise SystemExit(main())
