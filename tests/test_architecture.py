"""The core stays Qt-free: no module under crc_desktop/core imports PySide6 or the GUI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[1] / "crc_desktop" / "core"


def test_no_core_module_mentions_qt_imports():
    offenders = [
        str(path)
        for path in CORE.rglob("*.py")
        if any(
            line.strip().startswith(("import PySide6", "from PySide6", "from crc_desktop.gui"))
            for line in path.read_text("utf-8").splitlines()
        )
    ]
    assert offenders == []


def test_importing_the_core_and_cli_loads_no_qt():
    code = (
        "import sys, crc_desktop.cli, crc_desktop.core.services.demo, crc_desktop.core.services.catalog;"
        "print(any(name.startswith('PySide6') for name in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
