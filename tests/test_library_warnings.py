"""A library's warning (openpyxl's on an odd cell, say) goes to the log file, never to the
console a user reads."""

from __future__ import annotations

import os
import subprocess
import sys

_SCRIPT = """
import warnings, sys
from pathlib import Path
from crc_desktop.app import Paths, configure_logging
home = Path(sys.argv[1])
configure_logging(Paths(home, home, home))
warnings.warn("Cell H28 is marked as a date but the serial value -2252369 is outside the limits", UserWarning)
"""


def test_a_library_warning_goes_to_the_log_not_the_console(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHONWARNINGS")}
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(tmp_path)], capture_output=True, text=True, env=env, check=True
    )
    assert done.stderr == "" and done.stdout == ""
    logged = (tmp_path / "crc-desktop.log").read_text("utf-8")
    assert "Cell H28 is marked as a date" in logged and "py.warnings" in logged
