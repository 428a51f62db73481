"""Every word in Vietnamese, Qt's own included: the standard buttons, the file dialog (Qt's own,
as on a machine without a native one), the print dialog and its preview, and the edit menu of a
field speak Vietnamese once the program's Qt translation is installed."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from crc_desktop.gui.main import use_locale

TRANSLATIONS = Path(__file__).resolve().parents[2] / "resources" / "translations"
# English words of Qt's dialogs; a text holding one of them was not translated
ENGLISH = re.compile(
    r"\b(OK|Cancel|Save|Open|Yes|No|Apply|Close|Help|Reset|Discard|Retry|Ignore|Abort|Look|File|Files|"
    r"Name|Size|Type|Kind|Date|Modified|Folder|Directory|Back|Forward|Parent|Detail|List|View|Print|"
    r"Printer|Properties|Options|Copies|Pages|Preview|Location|Output|Collate|Reverse|Color|Page|"
    r"Zoom|Portrait|Landscape|Paste|Copy|Undo|Redo|Delete|Select|All|Show|Details|Computer)\b"
)


@pytest.fixture
def vietnamese():
    from PySide6.QtCore import QLocale

    before = QLocale()
    use_locale("vi")  # as the program starts: the locale, and Qt's texts in Vietnamese
    yield
    QLocale.setDefault(before)


def _texts(root: QWidget) -> list[str]:
    """What the user reads in `root`: titles, labels, buttons, lists' entries, column headers."""
    texts = [root.windowTitle()]
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
            texts.append(widget.toolTip())
        elif isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
        elif isinstance(widget, QHeaderView):
            model = widget.model()
            texts += [str(model.headerData(i, widget.orientation()) or "") for i in range(widget.count())]
    return [t.replace("&", "") for t in texts if t]


def _entries(dialog: QFileDialog) -> list[str]:
    """The cells of the file dialog's detailed list (names, kinds, sizes)."""
    from PySide6.QtWidgets import QTreeView

    dialog.setViewMode(QFileDialog.ViewMode.Detail)
    view = next(v for v in dialog.findChildren(QTreeView) if v.isVisible())
    model, root = view.model(), view.rootIndex()
    return [
        str(model.index(row, column, root).data() or "")
        for row in range(model.rowCount(root))
        for column in range(model.columnCount(root))
        if column != 0  # the files' own names
    ]


def _english(texts: list[str]) -> list[str]:
    return [t for t in texts if ENGLISH.search(t)]


def test_the_shipped_qt_translation_is_the_ts_compiled(tmp_path):
    out = tmp_path / "qt_vi.qm"
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    subprocess.run([str(lrelease), str(TRANSLATIONS / "qt_vi.ts"), "-qm", str(out)], check=True,
                   capture_output=True)  # fmt: skip
    assert out.read_bytes() == (TRANSLATIONS / "qt_vi.qm").read_bytes(), (
        "pyside6-lrelease qt_vi.ts -qm qt_vi.qm"
    )


def test_standard_buttons_and_message_boxes_speak_vietnamese(qtbot, vietnamese):
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok
        | QDialogButtonBox.StandardButton.Cancel
        | QDialogButtonBox.StandardButton.Save
        | QDialogButtonBox.StandardButton.Open
        | QDialogButtonBox.StandardButton.Yes
        | QDialogButtonBox.StandardButton.No
        | QDialogButtonBox.StandardButton.Apply
        | QDialogButtonBox.StandardButton.Close
        | QDialogButtonBox.StandardButton.Discard
        | QDialogButtonBox.StandardButton.Help
        | QDialogButtonBox.StandardButton.Retry
    )
    qtbot.addWidget(buttons)
    buttons.show()
    texts = _texts(buttons)
    assert "Đồng ý" in texts and "Hủy" in texts and "Lưu" in texts
    assert not _english(texts), _english(texts)
    box = QMessageBox(
        QMessageBox.Icon.Question, "CRC", "?", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    )
    box.setDetailedText("chi tiết")
    qtbot.addWidget(box)
    box.show()
    texts = _texts(box)
    assert "Có" in texts and "Không" in texts and "Xem chi tiết…" in texts
    assert not _english(texts), _english(texts)


def test_the_file_dialog_speaks_vietnamese(qtbot, vietnamese, tmp_path):
    (tmp_path / "bao-cao.pdf").write_bytes(b"%PDF")
    (tmp_path / "ky-2025").mkdir()
    for mode in (QFileDialog.AcceptMode.AcceptOpen, QFileDialog.AcceptMode.AcceptSave):
        dialog = QFileDialog(None, "Chọn tệp", str(tmp_path), "PDF (*.pdf)")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # Qt's own dialog, as without a native one
        dialog.setAcceptMode(mode)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        qtbot.wait(100)  # the folder is read
        texts = _texts(dialog) + _entries(dialog)
        assert {"Tìm trong:", "Tên tệp:", "Loại tệp:"} <= set(texts), texts
        assert "Thư mục" in texts  # the kind of the folder "ky-2025"
        assert "Tên" in texts and "Kích thước" in texts
        assert not _english(texts), _english(texts)
        dialog.close()


def test_the_print_dialog_and_its_preview_speak_vietnamese(qtbot, vietnamese):
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog

    printer = QPrinter()
    dialog = QPrintDialog(printer)
    qtbot.addWidget(dialog)
    seen = []
    QTimer.singleShot(0, lambda: (seen.append(_texts(dialog)), dialog.reject()))
    dialog.exec()
    assert seen and "In" in seen[0], seen
    assert not _english(seen[0]), _english(seen[0])
    preview = QPrintPreviewDialog(printer)
    qtbot.addWidget(preview)
    preview.show()
    tips = (
        [a.toolTip() or a.text() for a in preview.findChildren(type(preview.actions()[0])) if a.text()]
        if preview.actions()
        else []
    )
    from PySide6.QtGui import QAction

    tips = [a.text().replace("&", "") for a in preview.findChildren(QAction) if a.text()]
    assert "Phóng to" in tips and "In" in tips
    assert not _english(tips + _texts(preview)), _english(tips + _texts(preview))


def test_the_edit_menu_of_a_field_speaks_vietnamese(qtbot, vietnamese):
    field = QLineEdit("Huế")
    qtbot.addWidget(field)
    menu = field.createStandardContextMenu()
    texts = [a.text().split("\t")[0].replace("&", "") for a in menu.actions() if a.text()]
    assert "Sao chép" in texts and "Dán" in texts
    assert not _english(texts), _english(texts)
    assert QApplication.instance() is not None
