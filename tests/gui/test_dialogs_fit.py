"""Every dialog on a small office screen: 1093×614 (a 1366×768 laptop at Windows' 125 %) and
1024×700. Each is opened as the user opens it, from its button in the window, and must fit the
screen with every button it shows inside it, visible and not cut off."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QScrollArea

from crc_desktop.app import Settings
from crc_desktop.core.i18n import Translator
from crc_desktop.core.ministry.views import provinces
from crc_desktop.core.services.catalog import shipped_commune_counts
from crc_desktop.gui.dialogs.first_run_dialog import FirstRunDialog
from crc_desktop.gui.dialogs.passphrase_dialog import PassphraseDialog
from crc_desktop.gui.dialogs.reason_dialog import ReasonDialog
from crc_desktop.gui.main_window import MainWindow
from crc_desktop.gui.tasks import TaskRunner
from tests.core.signing.conftest import approve
from tests.gui.user import click

SIZES = [(1093, 614), (1024, 700)]


def assert_fits(dialog: QDialog, size: tuple[int, int]) -> None:
    name = type(dialog).__name__
    dialog.show()
    QApplication.processEvents()
    width, height = size
    dialog.resize(min(dialog.width(), width), min(dialog.height(), height))  # as Windows caps it
    QApplication.processEvents()
    assert dialog.width() <= width and dialog.height() <= height, f"{name} is {dialog.size()} on {size}"
    shown = [b for b in dialog.findChildren(QAbstractButton) if b.isVisibleTo(dialog)]
    assert shown, name
    for button in shown:
        label = f"{name}: {button.text()!r}"
        assert button.width() > 0 and button.height() > 0, label
        where = QRect(button.mapTo(dialog, QPoint(0, 0)), button.size())
        assert dialog.rect().contains(where), f"{label} is cut off at {where} in {dialog.rect()}"
        assert not button.visibleRegion().isEmpty(), f"{label} is covered or scrolled out of sight"


@pytest.fixture
def opened(monkeypatch, request) -> list[str]:
    """Dialogs shown with exec() are checked against the screen size of the test, then cancelled."""
    size, names = request.param, []

    def check(dialog: QDialog) -> int:
        try:
            assert_fits(dialog, size)
            names.append(type(dialog).__name__)
        except AssertionError as failure:  # raised inside a click's slot: kept for the test to say
            names.append(f"{type(dialog).__name__} does not fit: {failure}")
        dialog.hide()
        return 0

    monkeypatch.setattr(QDialog, "exec", check)
    return names


def _press(button: QAbstractButton) -> None:
    """Scroll the button into view if the page scrolls, then click it as the user does."""
    parent = button.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if parent is not None:
        parent.ensureWidgetVisible(button)
        QApplication.processEvents()
    click(button)


@pytest.mark.parametrize("opened", SIZES, indirect=True)
def test_every_dialog_of_the_window_fits_a_small_screen(qtbot, demo_db, paths, opened, request):
    size = request.node.callspec.params["opened"]
    approve(demo_db)
    window = MainWindow(demo_db, Translator("vi"), paths, Settings(), TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.show()
    window.resize(*size)
    qtbot.waitExposed(window)
    window.show_page("plan")
    _press(window.plan_page.add_button)
    window.show_page("periods")
    window.periods_page.reload("2025")
    _press(window.periods_page.export_button)
    _press(window.periods_page.verify_button)
    window.show_page("settings")
    settings = window.settings_page
    _press(settings.targets_button)
    _press(settings.agencies_button)
    _press(settings.signing_box.new_key_button)
    assert opened == [
        "TaskDialog",
        "ExportDialog",
        "VerifyDialog",
        "TargetsDialog",
        "AgenciesDialog",
        "NewKeyDialog",
    ]


@pytest.mark.parametrize("size", SIZES)
def test_the_dialogs_opened_outside_the_window_fit_a_small_screen(qtbot, size):
    tr = Translator("vi")
    reason = "Vì sao mở lại kỳ báo cáo đã ký? Lý do được ghi vào nhật ký và vào gói báo cáo mới. " * 3
    for dialog in (
        FirstRunDialog(tr, provinces(), shipped_commune_counts()),
        ReasonDialog(tr, tr("Reopen period {code}", code="2025"), reason),
        PassphraseDialog(tr, "Mật khẩu của tệp khóa Sở Y tế Huế:"),
    ):
        qtbot.addWidget(dialog)
        assert_fits(dialog, size)
