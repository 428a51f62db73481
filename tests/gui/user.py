"""What a user can do in a window, and nothing more: click a button they can see, pick a menu
entry they can reach, type into a field that is on screen.

Every GUI test goes through these helpers. They refuse (fail the test) a widget that is hidden,
disabled, zero-sized, or lies outside its window, so a test can no longer pass by clicking a
button that was never laid out.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QElapsedTimer, QModelIndex, QPersistentModelIndex, QPoint, QRect, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QMenu, QTabWidget, QTreeView, QWidget


def assert_reachable(widget: QWidget) -> None:
    """Fail unless the user can see and use `widget`: shown, enabled, and inside its window."""
    window = widget.window()
    name = widget.objectName() or type(widget).__name__
    text = widget.text() if isinstance(widget, QAbstractButton) else ""
    label = f"{name} {text!r}".strip()
    assert window.isVisible(), f"{label}: its window is not shown"
    assert widget.isVisible(), f"{label} is not visible (never laid out, or hidden)"
    assert widget.isEnabled(), f"{label} is disabled"
    assert widget.width() > 0 and widget.height() > 0, f"{label} has no size"
    top_left = widget.mapTo(window, QPoint(0, 0))
    inside = QRect(top_left, widget.size()).intersected(window.rect())
    assert not inside.isEmpty(), f"{label} lies outside its window"
    centre = widget.mapTo(window, widget.rect().center())
    assert window.rect().contains(centre), f"{label}: its centre is outside the window (cut off)"
    clip = widget.visibleRegion()
    assert not clip.isEmpty(), f"{label} is covered or scrolled out of sight"


def click(widget: QWidget, button: Qt.MouseButton = Qt.LeftButton) -> None:
    """Click the middle of a widget the user can see (a real mouse event, not `.click()`)."""
    assert_reachable(widget)
    QTest.mouseClick(widget, button, Qt.NoModifier, widget.rect().center())


def trigger(action: QAction) -> None:
    """Choose a menu or toolbar entry the user can reach: the action is enabled and visible, and
    it sits in a menu of the window's menu bar (or a widget on screen)."""
    text = action.text().replace("&", "")
    assert action.isEnabled(), f"action {text!r} is disabled"
    assert action.isVisible(), f"action {text!r} is hidden"
    owners = [w for w in action.associatedObjects() if isinstance(w, QWidget)]
    assert owners, f"action {text!r} is in no menu, toolbar or widget"
    reachable = [w for w in owners if not isinstance(w, QMenu) and w.isVisible()]
    reachable += [m for m in owners if isinstance(m, QMenu) and _menu_reachable(m)]
    assert reachable, f"action {text!r} is in no menu or widget the user can reach"
    action.trigger()


def _menu_reachable(menu: QMenu) -> bool:
    for owner in menu.menuAction().associatedObjects():
        if isinstance(owner, QMenu) and _menu_reachable(owner):
            return True
        if isinstance(owner, QWidget) and not isinstance(owner, QMenu) and owner.isVisible():
            return True
    return False


def type_text(widget: QWidget, text: str) -> None:
    """Type text into a visible field, one character at a time (Vietnamese letters included:
    `QTest.keyClicks` aborts on non-ASCII characters)."""
    assert_reachable(widget)
    widget.setFocus()
    for character in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key_unknown, character, Qt.NoModifier)


def press(widget: QWidget, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.NoModifier) -> None:
    """Press a key in a widget the user can see."""
    assert_reachable(widget)
    QTest.keyClick(widget, key, modifier)


def when_dialog(handle: Callable[[QWidget], None], *, timeout_ms: int = 10_000) -> list[QWidget]:
    """Run `handle(dialog)` on the next modal dialog that opens, as a user answers it (a dialog's
    `exec()` blocks the test until then). Returns a list that holds the dialog once it was seen."""
    seen: list[QWidget] = []
    waited = [0]

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None and dialog.isVisible():
            seen.append(dialog)
            handle(dialog)
        elif waited[0] < timeout_ms:
            waited[0] += 20
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    return seen


def button(parent: QWidget, text: str) -> QAbstractButton:
    """The button of `parent` (a dialog, a page) whose visible text is `text`."""
    found = [b for b in parent.findChildren(QAbstractButton) if b.text().replace("&", "") == text]
    assert found, f"no button {text!r}; there are " + ", ".join(
        repr(b.text()) for b in parent.findChildren(QAbstractButton) if b.isVisible()
    )
    return found[0]


def answer(text: str) -> list[QWidget]:
    """Click the button `text` of the next modal dialog (a question, a message)."""
    return when_dialog(lambda dialog: click(button(dialog, text)))


def choose_tab(tabs: QTabWidget, title: str) -> None:
    """Click the tab called `title`, where it is drawn on the tab bar."""
    bar = tabs.tabBar()
    assert_reachable(bar)
    titles = [tabs.tabText(i).replace("&", "") for i in range(tabs.count())]
    assert title in titles, f"no tab {title!r} in {titles}"
    index = titles.index(title)
    assert tabs.isTabEnabled(index), f"tab {title!r} is disabled"
    QTest.mouseClick(bar, Qt.LeftButton, Qt.NoModifier, bar.tabRect(index).center())
    assert tabs.currentIndex() == index


def _in_sight(view, entry) -> QRect:
    """Where an entry (an item of a list widget, or an index of a view's model) is drawn, once
    scrolled into sight as the user would."""
    assert_reachable(view)
    if isinstance(entry, QModelIndex | QPersistentModelIndex):
        waited = QElapsedTimer()
        waited.start()
        while True:  # a long list is laid out a batch at a time: the user waits for it
            QApplication.processEvents()
            view.scrollTo(entry)
            rect = view.visualRect(entry)
            shown = view.viewport().rect().contains(rect.center()) and view.indexAt(rect.center()) == entry
            if shown or waited.elapsed() > 5000:  # drawn there, and a click there reaches it
                break
        assert view.indexAt(rect.center()) == entry, "a click where the entry is drawn misses it"
    else:
        view.scrollToItem(entry)
        rect = view.visualItemRect(entry)
    assert not rect.isEmpty() and view.viewport().rect().contains(rect.center()), "the entry is not in sight"
    return rect


def double_click_item(view, item) -> None:
    """Double-click an entry of a list the user can see (scrolled into sight first, as they would);
    in a tree, the user opens the entry's closed group first (double-clicking its line)."""
    if isinstance(view, QTreeView) and isinstance(item, QModelIndex | QPersistentModelIndex):
        group = item.parent()
        if group.isValid() and not view.isExpanded(group):
            double_click_item(view, group)
            assert view.isExpanded(group), "double-clicking a group's line does not open it"
    rect = _in_sight(view, item)
    # a double-click is a click and then a second press: QTest's mouseDClick alone is not one
    QTest.mouseClick(view.viewport(), Qt.LeftButton, Qt.NoModifier, rect.center())
    QTest.mouseDClick(view.viewport(), Qt.LeftButton, Qt.NoModifier, rect.center())


def click_item(view, item) -> None:
    """Click an entry of a list or table the user can see (scrolled into sight first)."""
    rect = _in_sight(view, item)
    QTest.mouseClick(view.viewport(), Qt.LeftButton, Qt.NoModifier, rect.center())


def tree_entries(model) -> list:
    """Every entry under the groups of a tree model (the groups' own lines left out)."""
    return [model.index(row, 0, model.index(group, 0)) for group in range(model.rowCount())
            for row in range(model.rowCount(model.index(group, 0)))]  # fmt: skip
