"""The program's icon and the navigation's icons (Qt's standard icons: nothing to license)."""

from __future__ import annotations

from importlib import resources

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QStyle, QWidget

_PAGE_ICONS = {
    "overview": QStyle.StandardPixmap.SP_DesktopIcon,
    "plan": QStyle.StandardPixmap.SP_FileDialogDetailedView,
    "recommendations": QStyle.StandardPixmap.SP_FileDialogInfoView,
    "indicators": QStyle.StandardPixmap.SP_FileDialogListView,
    "progress": QStyle.StandardPixmap.SP_BrowserReload,
    "collection": QStyle.StandardPixmap.SP_DriveNetIcon,
    "periods": QStyle.StandardPixmap.SP_DialogApplyButton,
    "reports": QStyle.StandardPixmap.SP_DialogSaveButton,
    "settings": QStyle.StandardPixmap.SP_FileDialogContentsView,
}


def application_icon() -> QIcon:
    """resources/icons/crc-desktop.svg: the window's, the taskbar's and the installer's icon."""
    return QIcon(str(resources.files("crc_desktop.resources") / "icons" / "crc-desktop.svg"))


def page_icon(widget: QWidget, name: str) -> QIcon:
    pixmap = _PAGE_ICONS.get(name, QStyle.StandardPixmap.SP_FileIcon)
    return widget.style().standardIcon(pixmap)
