"""Makes the screenshots in docs/screenshots from a small demo database (offscreen).

Usage: `.venv/bin/python docs/make_screenshots.py`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PAGES = {0: "overview.png", 1: "indicators.png"}


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "demo.db"
        subprocess.run([sys.executable, "-m", "crc_desktop", "demo", "--db", str(db)], check=True)
        for index, name in PAGES.items():
            env = dict(os.environ, CRC_SCREENSHOT_PAGE=str(index), QT_QPA_PLATFORM="offscreen",
                       CRC_DESKTOP_HOME=folder)
            subprocess.run([sys.executable, "-m", "crc_desktop", "gui", "--db", str(db),
                            "--screenshot", str(HERE / "screenshots" / name)], check=True, env=env)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
