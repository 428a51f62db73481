"""Makes docs/screenshots/print-*.png: the small demo's entry template and plan workbook of 2025,
opened in LibreOffice and printed to PDF as an office prints them, a page of each as an image.

Usage: `.venv/bin/python docs/make_print_screenshots.py` (needs `soffice` and `pdftoppm`: see
.ci/setup).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "screenshots"
SHOWN = {"template": (1, 2), "plan": (1, 4)}  # workbook → its pages kept as images


def main() -> int:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        env = dict(os.environ, CRC_DESKTOP_HOME=name)
        db = folder / "demo.db"
        run = [sys.executable, "-m", "crc_desktop"]
        subprocess.run([*run, "demo", "--db", str(db)], check=True, env=env)
        workbooks = {"template": folder / "template.xlsx", "plan": folder / "plan.xlsx"}
        subprocess.run(
            [
                *run,
                "indicators",
                "export-template",
                "--db",
                str(db),
                "--period",
                "2025",
                "--out",
                str(workbooks["template"]),
            ],
            check=True,
            env=env,
        )
        subprocess.run(
            [*run, "plan", "export", "--db", str(db), "--period", "2025", "--out", str(workbooks["plan"])],
            check=True,
            env=env,
        )
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder),
                *map(str, workbooks.values()),
            ],
            check=True,
            capture_output=True,
        )
        for old in OUT.glob("print-*.png"):
            old.unlink()
        for kind, path in workbooks.items():
            for number in SHOWN[kind]:
                image = OUT / f"print-{kind}-page-{number}"
                pdf = str(path.with_suffix(".pdf"))
                subprocess.run(
                    [
                        "pdftoppm",
                        "-r",
                        "80",
                        "-f",
                        str(number),
                        "-l",
                        str(number),
                        "-singlefile",
                        "-png",
                        pdf,
                        str(image),
                    ],
                    check=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
