"""Started by benchmarks/run.py: how long until a window is shown with its data loaded.

`startup_probe.py app DB` opens CRC Desktop's main window on DB the way the program does and
prints five times: the window on screen with the overview of the current period; the
services open so that every page can be used; and, to see where the first one goes, the
moments the command line and the overview service were imported (pydantic with them), Qt and
the window's modules were imported, and the window was built with the overview read.
`startup_probe.py bare` shows an empty PySide6 window, the floor to compare against. The parent
passes its clock in T0 so the times include starting Python and importing Qt. Prints seconds.
"""

from __future__ import annotations

import os
import sys
import time

T0 = float(os.environ.get("T0", time.time()))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    if sys.argv[1] == "bare":
        from PySide6.QtWidgets import QApplication, QWidget

        app = QApplication(sys.argv[:1])
        window = QWidget()
        window.show()
        app.processEvents()
        print(f"{time.time() - T0:.4f}")
        return
    from pathlib import Path

    # isort: off
    # in the order `crc-desktop gui` imports them: the command line first, Qt with the GUI
    import crc_desktop.cli  # noqa: F401
    from crc_desktop.app import Paths, load_settings
    from crc_desktop.core.i18n import Translator

    core = time.time() - T0
    from crc_desktop.gui.main import open_window
    from PySide6.QtWidgets import QApplication

    # isort: on
    qt = time.time() - T0
    app = QApplication(sys.argv[:1])
    paths = Paths.for_user()
    window = open_window(
        Path(sys.argv[2]), paths, load_settings(paths), Translator("vi"), user_name="", ask_province=False
    )
    built = time.time() - T0
    window.show()
    app.processEvents()
    shown = time.time() - T0  # the window is on screen with the overview of the current period
    window.wait_until_loaded()
    ready = time.time() - T0  # the services are open: every page can be used
    if len(sys.argv) > 3 and sys.argv[3] == "grid":
        start = time.perf_counter()
        window.indicators_page.load("2025")
        app.processEvents()
        print(f"{time.perf_counter() - start:.4f}")
        return
    print(f"{shown:.4f} {ready:.4f} {core:.4f} {qt:.4f} {built:.4f}")


if __name__ == "__main__":
    main()
