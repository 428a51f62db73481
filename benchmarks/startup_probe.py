"""Started by benchmarks/run.py: how long until a window is shown with its data loaded.

`startup_probe.py app DB` opens CRC Desktop's main window on DB; `startup_probe.py bare`
shows an empty PySide6 window, the floor to compare against. The parent passes its clock
in T0 so the time includes starting Python and importing Qt. Prints seconds.
"""

from __future__ import annotations

import os
import sys
import time

T0 = float(os.environ.get("T0", time.time()))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication(sys.argv[:1])
    if sys.argv[1] == "bare":
        window = QWidget()
        window.show()
        app.processEvents()
    else:
        from pathlib import Path

        from crc_desktop.app import Paths, load_settings, open_app
        from crc_desktop.core.i18n import Translator
        from crc_desktop.gui.main_window import MainWindow

        paths = Paths.for_user()
        context = open_app(Path(sys.argv[2]), paths)
        window = MainWindow(context, Translator("vi"), paths, load_settings(paths))
        window.show()
        window.wait_until_loaded()
        if len(sys.argv) > 3 and sys.argv[3] == "grid":
            start = time.perf_counter()
            window.indicators_page.load("2025")
            app.processEvents()
            print(f"{time.perf_counter() - start:.4f}")
            return
    print(f"{time.time() - T0:.4f}")


if __name__ == "__main__":
    main()
