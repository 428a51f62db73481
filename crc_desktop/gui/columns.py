"""Column widths of the tables: names stretch, codes and numbers fit their content, headers are
never clipped; and the widths a user set are kept in the window's settings (window.ini).

`fit_columns` is called by each page on its views. `save_columns` / `restore_columns` walk a
window's (or a page's) named table views: the window saves them when it closes and restores them
when a page is built; a view whose model arrives later gets its widths when its columns do.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, QSortFilterProxyModel, QTimer
from PySide6.QtWidgets import QHeaderView, QStyleOptionViewItem, QTableView, QWidget

from crc_desktop.gui.table_model import RowTableModel

_KEY = "columns/{name}"
_PENDING = "_crc_saved_columns"
_FITTED = "_crc_fitted"


def fit_columns(
    view: QTableView,
    stretch: Iterable[int] = (),
    *,
    whole: Iterable[int] = (),
    maximum: int = 260,
    again: bool = False,
    sample: str | None = None,
) -> None:
    """Size every column to its content and header (at most `maximum` pixels), and let the
    `stretch` columns (names, titles) take the room left, at least `STRETCH_MINIMUM` pixels each:
    the widest other columns give way (their full text is in the tooltip), except the `whole`
    ones (codes, dates). The user can still drag each border.

    Done once per view (a page reloaded keeps the widths the user set), or `again` for a view
    whose columns are new (another model); a view not yet on screen is fitted when it is shown.
    Widths kept from an earlier session win. A large model (the indicator grid) gives a `sample`
    of its widest usual text instead of being read cell by cell.
    """
    header = view.horizontalHeader()
    if not header.count() or (header.property(_FITTED) and not again):
        return
    header.setProperty(_FITTED, True)
    saved = header.property(_PENDING)
    if saved and header.restoreState(saved):
        return  # the widths the user left
    stretched, kept = sorted(set(stretch)), set(whole)
    if not view.isVisible():
        _FitWhenShown(view, lambda: _fit(view, stretched, kept, maximum, sample))
        return
    _fit(view, stretched, kept, maximum, sample)


STRETCH_MINIMUM = 260
_NARROWEST = 90
MEASURED = 8  # texts measured per column, the longest (in letters) of the rows read
_ROWS_READ = 1000  # as Qt reads at most (QHeaderView's resizeContentsPrecision)


def _fit(view: QTableView, stretched: list[int], kept: set[int], maximum: int, sample: str | None) -> None:
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    header.setMinimumSectionSize(40)
    widths: dict[int, int] = {}
    for column in range(header.count()):
        if column in stretched:
            continue
        header.setSectionResizeMode(column, QHeaderView.Interactive)
        cells = (
            view.fontMetrics().horizontalAdvance(sample) + 12
            if sample is not None
            else content_width(view, column)
        )
        content = max(header.sectionSizeHint(column), cells)
        widths[column] = min(content, maximum)
    room = view.viewport().width() - STRETCH_MINIMUM * len(stretched)
    overflow = sum(widths.values()) - room
    while stretched and overflow > 0:
        widest = sorted((c for c in widths if c not in kept), key=widths.get, reverse=True)
        if not widest:
            break
        first = widest[0]
        if widths[first] <= _NARROWEST:
            break
        second = widths[widest[1]] if len(widest) > 1 else _NARROWEST
        shrunk = max(widths[first] - overflow, second, _NARROWEST)
        if shrunk == widths[first]:
            shrunk -= 1
        overflow -= widths[first] - shrunk
        widths[first] = shrunk
    for column, width in widths.items():
        header.resizeSection(column, width)
    for column in stretched:
        header.setSectionResizeMode(column, QHeaderView.Stretch)


def content_width(view: QTableView, column: int) -> int:
    """The width of a column's content, as `sizeHintForColumn` gives it, measured on the column's
    `MEASURED` longest texts only: Qt's own asks every role of every row (up to 1,000) through
    Python, 70-120 ms for the 150 tasks of the plan or units of a collection round."""
    model = view.model()
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    width = 0
    for index in _longest(model, column):
        width = max(width, view.itemDelegateForIndex(index).sizeHint(option, index).width())
    return width + 1 if view.showGrid() else width


def _longest(model, column: int) -> list:
    """The indexes of the column's `MEASURED` longest texts among its first rows. Behind a sorting
    proxy over a RowTableModel, the texts the model keeps are read directly, not through Qt."""
    source = model.sourceModel() if isinstance(model, QSortFilterProxyModel) else None
    if isinstance(source, RowTableModel):
        count, text = source.rowCount(), lambda row: source.text(row, column)
        shown = lambda row: model.mapFromSource(source.index(row, column))  # noqa: E731
    else:
        count, text = model.rowCount(), lambda row: _text(model, row, column)
        shown = lambda row: model.index(row, column)  # noqa: E731
    rows = heapq.nlargest(MEASURED, range(min(count, _ROWS_READ)), key=lambda row: len(text(row)))
    return [index for index in map(shown, rows) if index.isValid()]  # a row filtered out is not shown


def _text(model, row: int, column: int) -> str:
    text = model.index(row, column).data()
    return "" if text is None else str(text)


class _FitWhenShown(QObject):
    """Fits a view's columns the first time it is shown, when it knows its width."""

    def __init__(self, view: QTableView, fit) -> None:
        super().__init__(view)
        self._view, self._fit = view, fit
        view.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Show:
            self._view.removeEventFilter(self)
            QTimer.singleShot(0, self._fit_now)  # after the layout has given the view its width
        return False

    def _fit_now(self) -> None:
        self._fit()
        self.deleteLater()


def save_columns(state: QSettings, root: QWidget) -> None:
    """Keep the column layout of every named table view in `root`."""
    for view in _named_views(root):
        if view.horizontalHeader().count():
            state.setValue(_KEY.format(name=view.objectName()), view.horizontalHeader().saveState())


def restore_columns(state: QSettings, root: QWidget) -> None:
    """Give every named table view in `root` the column layout kept for it, now or as soon as
    its model has columns."""
    for view in _named_views(root):
        saved = state.value(_KEY.format(name=view.objectName()))
        if not isinstance(saved, QByteArray | bytes):
            continue
        header = view.horizontalHeader()
        if header.property(_PENDING) is None:
            header.sectionCountChanged.connect(lambda _old, _new, h=header: _apply(h))
        header.setProperty(_PENDING, QByteArray(saved))
        _apply(header)


def _apply(header: QHeaderView) -> None:
    saved = header.property(_PENDING)
    if saved and header.count():
        header.restoreState(saved)


def _named_views(root: QWidget) -> list[QTableView]:
    views = root.findChildren(QTableView)
    if isinstance(root, QTableView):
        views.append(root)
    return [view for view in views if view.objectName()]
