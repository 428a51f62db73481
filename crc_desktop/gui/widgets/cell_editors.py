"""Editors for the cells of the form tables (milestones, budget lines): a date with its calendar,
a closed list as a drop-down, money with thousands separators. The cells keep what the user
sees ("31/12/2026", "Ngân sách nhà nước", "120.000.000"); the form reads them back exactly."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QStyledItemDelegate

from crc_desktop.core.i18n import Translator, parse_date
from crc_desktop.gui.widgets.date_field import DateField


class DateDelegate(QStyledItemDelegate):
    """A date typed as dd/mm/yyyy or picked in the calendar; a typed date is kept as typed when
    it is not one (the form then says what is wrong), written dd/mm/yyyy when it is."""

    def __init__(self, tr: Translator, parent=None) -> None:
        super().__init__(parent)
        self._tr = tr

    def createEditor(self, parent, _option, _index):  # noqa: N802 - Qt override
        return DateField(self._tr, parent)

    def setEditorData(self, editor: DateField, index) -> None:  # noqa: N802 - Qt override
        editor.edit.setText(index.data(Qt.EditRole) or "")

    def setModelData(self, editor: DateField, model, index) -> None:  # noqa: N802 - Qt override
        text = editor.text()
        try:
            text = self._tr.date(parse_date(text)) if text else ""
        except ValueError:
            pass
        model.setData(index, text, Qt.EditRole)


class ChoiceDelegate(QStyledItemDelegate):
    """A closed list: the cell shows one of `labels`, chosen in a drop-down."""

    def __init__(self, labels: Sequence[str], parent=None) -> None:
        super().__init__(parent)
        self._labels = list(labels)

    def createEditor(self, parent, _option, _index):  # noqa: N802 - Qt override
        box = QComboBox(parent)
        box.addItems(self._labels)
        return box

    def setEditorData(self, editor: QComboBox, index) -> None:  # noqa: N802 - Qt override
        editor.setCurrentIndex(max(0, editor.findText(index.data(Qt.EditRole) or "")))

    def setModelData(self, editor: QComboBox, model, index) -> None:  # noqa: N802 - Qt override
        model.setData(index, editor.currentText(), Qt.EditRole)


class MoneyDelegate(QStyledItemDelegate):
    """An amount in đồng, shown and kept with the user's thousands separators (120.000.000);
    text that is not an amount is kept as typed for the form to name."""

    def __init__(self, tr: Translator, parent=None) -> None:
        super().__init__(parent)
        self._tr = tr

    def createEditor(self, parent, _option, _index):  # noqa: N802 - Qt override
        editor = QLineEdit(parent)
        editor.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        return editor

    def setModelData(self, editor: QLineEdit, model, index) -> None:  # noqa: N802 - Qt override
        model.setData(index, money_text(self._tr, editor.text()), Qt.EditRole)
        model.setData(index, int(Qt.AlignRight | Qt.AlignVCenter), Qt.TextAlignmentRole)


def money_text(tr: Translator, text: str) -> str:
    """`text` with the user's thousands separators when it is a whole amount, else as typed."""
    try:
        amount = tr.read_number(text)
    except ValueError:
        return text.strip()
    if amount != amount.to_integral_value():
        return text.strip()
    return tr.number(amount, 0)
