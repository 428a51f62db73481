"""Column widths of the tables: names stretch, codes and numbers fit their content, headers are
never clipped; and the widths a user set are kept in the window's settings (window.ini).

`fit_columns` is called by each page on its views. `save_columns` / `restore_columns` walk a
window's (or a page's) named table views: the window saves them when it closes and restores them
when a page is built; a view whose model arrives later gets its widths when its columns do.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QHeaderView, QTableView, QWidget

_KEY = "columns/{name}"
_PENDING = "_crc_saved_columns"


def fit_columns(view: QTableView, stretch: Iterable[int] = (), *, maximum: int = 420) -> None:
    """Size every column to its content and header (at most `maximum` pixels), and let the
    `stretch` columns (names, titles) take the room left; the user can still drag each one."""
    header = view.horizontalHeader()
    saved = header.property(_PENDING)
    if saved and header.restoreState(saved):
        return  # the widths the user left
    stretched = set(stretch)
    header.setStretchLastSection(False)
    header.setMinimumSectionSize(40)
    for column in range(header.count()):
        if column in stretched:
            header.setSectionResizeMode(column, QHeaderView.Stretch)
            continue
        header.setSectionResizeMode(column, QHeaderView.Interactive)
        view.resizeColumnToContents(column)
        width = max(header.sectionSize(column), header.sectionSizeHint(column))
        header.resizeSection(column, min(width, maximum))


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
