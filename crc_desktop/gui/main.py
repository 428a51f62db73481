"""Starting the GUI: the Qt application, the main window on an open database, screenshots."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QLocale, QTimer
from PySide6.QtWidgets import QApplication

from crc_desktop.app import Paths, Settings, configure_logging, open_app, save_settings_quietly
from crc_desktop.core.db.location import require_on_this_computer
from crc_desktop.core.db.revision import HEAD, current_revision
from crc_desktop.core.errors import CrcError
from crc_desktop.core.i18n import Translator
from crc_desktop.core.services.overview import OverviewService
from crc_desktop.gui.collector import responsive_python
from crc_desktop.gui.icons import application_icon
from crc_desktop.gui.messages import as_crc_error, show_error


def run_gui(
    db_path: Path,
    paths: Paths,
    settings: Settings,
    *,
    language: str | None = None,
    screenshot: Path | None = None,
    size: tuple[int, int] = (1366, 768),
    user_name: str | None = None,
    remember: bool = True,
) -> int:
    if screenshot and not os.environ.get("DISPLAY") and "QT_QPA_PLATFORM" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("CRC Desktop")
    app.setOrganizationName("CRC Desktop")
    app.setWindowIcon(application_icon())
    tr = Translator(language or settings.language)
    use_locale(tr.language)
    install_error_handlers(paths, tr)
    if not (user_name or settings.user_name).strip() and not screenshot:
        settings = ask_user_name(paths, settings, tr)
    window = open_window(
        db_path, paths, settings, tr, user_name=user_name or settings.user_name, ask_province=not screenshot
    )
    if window is None:
        return 1
    if remember and not screenshot:
        save_settings_quietly(paths, settings.model_copy(update={"last_database": str(db_path)}))
    if screenshot:
        window.resize(*size)  # the same picture whatever size the user left the window
    collector = responsive_python(lambda: window.runner.busy, window)
    window.show()
    if screenshot:
        QTimer.singleShot(0, lambda: _save_and_quit(window, screenshot, app))
    code = app.exec()
    collector.stop()
    window.runner.wait()  # a job still running (the opening itself, perhaps) ends first
    QApplication.processEvents()
    if window.context is not None:
        window.context.close()
    _delete_before_the_application(window)
    from crc_desktop.gui.main_window import RESTART_EXIT_CODE

    if code == RESTART_EXIT_CODE:
        return _start_again()
    return code


def run_bundle_check(
    bundle: Path,
    paths: Paths,
    settings: Settings,
    *,
    language: str | None = None,
    screenshot: Path | None = None,
) -> int:
    """Explorer's "check this bundle": the bundle-check window on `bundle`, checked at once against
    the trusted certificates of the settings (no database needed); the ones the user picks there
    are remembered for the next check."""
    if screenshot and not os.environ.get("DISPLAY") and "QT_QPA_PLATFORM" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("CRC Desktop")
    app.setWindowIcon(application_icon())
    tr = Translator(language or settings.language)
    use_locale(tr.language)
    install_error_handlers(paths, tr)
    dialog, runner = bundle_check_dialog(bundle, paths, settings, tr)
    if screenshot:
        QTimer.singleShot(0, lambda: _save_when_checked(dialog, screenshot))
    dialog.exec()
    runner.wait()
    trust = dialog.trust.text().strip()
    if trust != settings.bundle_trust and not screenshot:
        save_settings_quietly(paths, settings.model_copy(update={"bundle_trust": trust}))
    dialog.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return 0


def bundle_check_dialog(bundle: Path, paths: Paths, settings: Settings, tr: Translator, runner=None):
    """The bundle-check dialog on `bundle` with the settings' trusted certificates, its check
    started; with the runner it runs on."""
    from crc_desktop.core.services.export import verify
    from crc_desktop.gui.dialogs.verify_dialog import VerifyDialog
    from crc_desktop.gui.ops import Operations
    from crc_desktop.gui.tasks import TaskRunner

    runner = runner or TaskRunner()
    ops = Operations(runner, tr, paths.logs)
    dialog = VerifyDialog(tr, ops, verify, bundle=bundle, trust=settings.bundle_trust)
    dialog.ops = ops
    QTimer.singleShot(0, dialog.run_check)
    return dialog, runner


def _save_when_checked(dialog, target: Path) -> None:
    if not dialog.verdict.text():
        QTimer.singleShot(50, lambda: _save_when_checked(dialog, target))
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(target))
    dialog.reject()


def ask_user_name(paths: Paths, settings: Settings, tr: Translator) -> Settings:
    """Ask who is working, once per computer account (the settings are the account's), and keep it."""
    from crc_desktop.gui.dialogs.user_name_dialog import UserNameDialog

    dialog = UserNameDialog(tr)
    if not dialog.exec() or not dialog.user_name():
        return settings  # the window opens; a step of the workflow asks for the name again
    settings = settings.model_copy(update={"user_name": dialog.user_name()})
    save_settings_quietly(paths, settings)
    return settings


def use_locale(language: str) -> None:
    """Calendars, month and day names and Qt's own number forms in the user's language: Vietnamese
    (vi_VN) by default, British English (day/month/year, like the Vietnamese forms) for English."""
    if language == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    else:
        QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    use_qt_texts(language)


def use_qt_texts(language: str) -> None:
    """Qt's own words (standard buttons, the file and print dialogs, edit menus) in the user's
    language: Qt ships no Vietnamese, so the project's translation (resources/translations/qt_vi.ts,
    compiled to qt_vi.qm) is installed; English needs none. Installed once per application."""
    from importlib import resources

    from PySide6.QtCore import QCoreApplication, QTranslator

    app = QCoreApplication.instance()
    if app is None:
        return
    for old in app.findChildren(QTranslator, "crc_qt_texts"):
        QCoreApplication.removeTranslator(old)
        old.deleteLater()
    if language == "en":
        return
    translator = QTranslator(app)  # owned by the application, alive as long as it
    translator.setObjectName("crc_qt_texts")
    compiled = resources.files("crc_desktop.resources") / "translations" / "qt_vi.qm"
    if translator.load(str(compiled)):
        QCoreApplication.installTranslator(translator)


def install_error_handlers(paths: Paths, tr: Translator):
    """Qt's messages and Python's logging go to the log file, never a console nobody sees; an
    error no rule of ours expected (in a slot, say) writes a crash report and shows its path.
    Returns the hook (tests call it)."""
    import logging

    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    configure_logging(paths)  # the same log file as the command line's, one handler
    logging.getLogger().setLevel(logging.INFO)
    qt_log = logging.getLogger("qt")
    levels = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }
    qInstallMessageHandler(lambda kind, _context, message: qt_log.log(levels.get(kind, 30), message))

    def hook(kind, error, trace) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        error.__traceback__ = trace
        logging.getLogger("crc_desktop").error("unexpected error", exc_info=(kind, error, trace))
        show_error(QApplication.activeWindow(), tr, error)

    sys.excepthook = hook
    return hook


def _start_again() -> int:
    """Start the program again with the same arguments (a new language is read at start-up)."""
    from PySide6.QtCore import QProcess

    arguments = sys.argv[1:] if getattr(sys, "frozen", False) else ["-m", "crc_desktop", *sys.argv[1:]]
    started = QProcess.startDetached(sys.executable, arguments)
    ok = started[0] if isinstance(started, tuple) else started
    return 0 if ok else 1


def open_window(
    db_path: Path, paths: Paths, settings: Settings, tr: Translator, *, user_name: str, ask_province: bool
):
    """The main window on `db_path`, or None when it cannot be opened (the user was told why).

    A database of ours at the current revision shows its overview at once, read on a read-only
    connection; once the window is on screen, the services load and open it on the worker (not
    before: importing them would compete with the first paint), and the pages wait for them.
    A new, older or not yet set up database is opened (created, migrated, set up) first.
    """
    from crc_desktop.gui.main_window import MainWindow

    try:
        require_on_this_computer(db_path)  # before the first look, which a WAL file on a share could change
    except CrcError as error:
        show_error(None, tr, error)
        return None
    info = _glance(db_path)
    if info is not None:
        window = MainWindow(None, tr, paths, settings, info=info)

        def failed(error: Exception) -> None:
            window.fail(as_crc_error(error).render(tr))
            show_error(window, tr, error)

        window.open_when_shown(lambda _progress: _open_services(db_path, paths, user_name), failed)
        return window
    try:
        context = open_app(db_path, paths, create=not db_path.exists(), user_name=user_name, window=True)
    except CrcError as error:
        show_error(None, tr, error)
        return None
    if ask_province and context.setup.info(counts=False).profile is None and not _first_run(context, tr):
        context.close()
        return None
    return MainWindow(context, tr, paths, settings)


def _glance(db_path: Path):
    """What the window shows first, when `db_path` is a set-up database at the current revision."""
    try:
        if not db_path.is_file() or current_revision(db_path) != HEAD:
            return None
        info = OverviewService(db_path).info(counts=False)
    except (CrcError, OSError, sqlite3.Error):
        return None  # opening it properly tells the user what is wrong
    return info if info.profile is not None else None


def _open_services(db_path: Path, paths: Paths, user_name: str):
    """On the worker: load the services, open the database (daily backup included), import the pages."""
    from sqlalchemy.orm import configure_mappers

    from crc_desktop.gui.main_window import import_pages

    context = open_app(db_path, paths, user_name=user_name, window=True)
    configure_mappers()  # here rather than at the first query a page makes on the GUI thread
    import_pages()
    return context


def _first_run(context, tr: Translator) -> bool:
    """Ask which province a new database is for, and set it up; False when the user declines."""
    from crc_desktop.core.ministry.views import provinces
    from crc_desktop.core.services.catalog import shipped_commune_counts
    from crc_desktop.gui.dialogs.first_run_dialog import FirstRunDialog

    dialog = FirstRunDialog(tr, provinces(), shipped_commune_counts())
    while dialog.exec():
        try:
            context.setup.init(dialog.code())
            return True
        except CrcError as error:
            show_error(None, tr, error)
    return False


def _delete_before_the_application(window) -> None:
    """Widgets left to Python's exit outlived the QApplication now and then, and the process died
    on the way out (bus error, segfault)."""
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _save_and_quit(window, target: Path, app: QApplication) -> None:
    page = os.environ.get("CRC_SCREENSHOT_PAGE")
    if page:
        window.show_page(int(page) if page.isdigit() else page)
    window.wait_until_loaded()
    target.parent.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(target))
    window.hide()  # not closed: a screenshot leaves the window's remembered size and layout alone
    app.quit()


def run_ministry_gui(
    store, trust_dir: Path, tr: Translator, paths: Paths, screenshot: Path | None = None
) -> int:
    """The ministry's window on a national store; its crash reports go to `paths.logs`."""
    from crc_desktop.gui.ministry.ministry_window import MinistryWindow

    if screenshot and not os.environ.get("DISPLAY") and "QT_QPA_PLATFORM" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = QApplication.instance() or QApplication(sys.argv[:1])
    use_locale(tr.language)
    install_error_handlers(paths, tr)
    window = MinistryWindow(store, trust_dir, tr, paths.logs)
    collector = responsive_python(lambda: window.runner.busy, window)
    window.show()
    if screenshot:

        def save() -> None:
            window.wait_until_loaded()
            window.grab().save(str(screenshot))
            window.close()
            app.quit()

        QTimer.singleShot(0, save)
    code = app.exec()
    collector.stop()
    window.runner.wait()  # a job still running ends before the store is closed
    QApplication.processEvents()
    _delete_before_the_application(window)
    store.close()
    return code
