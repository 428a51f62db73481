"""Starting the GUI: the Qt application, the main window on an open database, screenshots."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from crc_desktop.app import Paths, Settings, open_app, save_settings
from crc_desktop.core.errors import CrcError
from crc_desktop.core.i18n import Translator


def run_gui(
    db_path: Path,
    paths: Paths,
    settings: Settings,
    *,
    language: str | None = None,
    screenshot: Path | None = None,
    user_name: str | None = None,
    remember: bool = True,
) -> int:
    from crc_desktop.gui.main_window import MainWindow

    if screenshot and not os.environ.get("DISPLAY") and "QT_QPA_PLATFORM" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("CRC Desktop")
    app.setOrganizationName("CRC Desktop")
    tr = Translator(language or settings.language)
    try:
        context = open_app(
            db_path, paths, create=not db_path.exists(), user_name=user_name or settings.user_name
        )
    except CrcError as error:
        QMessageBox.critical(None, tr("CRC Desktop"), error.render(tr))
        return 1
    if not screenshot and context.setup.info().profile is None and not _first_run(context, tr):
        context.close()
        return 1
    if remember and not screenshot:
        save_settings(paths, settings.model_copy(update={"last_database": str(db_path)}))
    window = MainWindow(context, tr, paths, settings)
    if screenshot:
        window.resize(1440, 860)  # the same picture whatever size the user left the window
    window.show()
    if screenshot:
        QTimer.singleShot(0, lambda: _save_and_quit(window, screenshot, app))
    code = app.exec()
    context.close()
    return code


def _first_run(context, tr: Translator) -> bool:
    """Ask which province a new database is for, and set it up; False when the user declines."""
    from crc_desktop.core.ministry.views import provinces
    from crc_desktop.gui.first_run_dialog import FirstRunDialog
    from crc_desktop.gui.messages import show_error

    dialog = FirstRunDialog(tr, provinces())
    while dialog.exec():
        try:
            context.setup.init(dialog.code())
            return True
        except CrcError as error:
            show_error(None, tr, error)
    return False


def _save_and_quit(window, target: Path, app: QApplication) -> None:
    page = os.environ.get("CRC_SCREENSHOT_PAGE")
    if page:
        window.show_page(int(page))
    window.wait_until_loaded()
    target.parent.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(target))
    window.close()
    app.quit()


def run_ministry_gui(store, trust_dir: Path, tr: Translator, screenshot: Path | None = None) -> int:
    """The ministry's window on a national store."""
    from crc_desktop.gui.ministry_window import MinistryWindow

    if screenshot and not os.environ.get("DISPLAY") and "QT_QPA_PLATFORM" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MinistryWindow(store, trust_dir, tr)
    window.show()
    if screenshot:

        def save() -> None:
            window.grab().save(str(screenshot))
            window.close()
            app.quit()

        QTimer.singleShot(0, save)
    code = app.exec()
    store.close()
    return code
