"""Where the file dialogs open: in the folder the user last chose a file or folder in, else in
their Documents folder (platformdirs: the shell's Documents, redirected to OneDrive on many office
PCs), never the bare profile folder Qt would offer. Every file dialog of the program goes
through here. The last folder is window state, kept with the window's (window.ini in the
configuration folder), not a preference."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_documents_dir
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QWidget

from crc_desktop.app import Paths

_KEY = "file_dialogs/last_folder"


def _state() -> QSettings:
    return QSettings(str(Paths.for_user().config / "window.ini"), QSettings.Format.IniFormat)


def start_folder() -> Path:
    """The last folder used, if it is still there; else Documents; else the home folder."""
    last = _state().value(_KEY, "")
    for folder in (last, user_documents_dir(), str(Path.home())):
        if folder and Path(folder).is_dir():
            return Path(folder)
    return Path.home()


def remember(chosen: Path, *, is_folder: bool = False) -> None:
    state = _state()
    state.setValue(_KEY, str(chosen if is_folder else chosen.parent))
    state.sync()


def _start(start: Path | None, name: str = "") -> str:
    folder = start if start is not None and start.is_dir() else start_folder()
    return str(folder / name) if name else str(folder)


def open_file(parent: QWidget | None, title: str, pattern: str, start: Path | None = None) -> Path | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, _start(start), pattern)
    return _chosen(path)


def open_files(parent: QWidget | None, title: str, pattern: str) -> list[Path]:
    paths, _ = QFileDialog.getOpenFileNames(parent, title, _start(None), pattern)
    if paths:
        remember(Path(paths[0]))
    return [Path(p) for p in paths]


def save_file(
    parent: QWidget | None, title: str, suggested: str, pattern: str, start: Path | None = None
) -> Path | None:
    path, _ = QFileDialog.getSaveFileName(parent, title, _start(start, suggested), pattern)
    return _chosen(path)


def choose_folder(parent: QWidget | None, title: str, start: Path | None = None) -> Path | None:
    path = QFileDialog.getExistingDirectory(parent, title, _start(start))
    if not path:
        return None
    remember(Path(path), is_folder=True)
    return Path(path)


def _chosen(path: str) -> Path | None:
    if not path:
        return None
    remember(Path(path))
    return Path(path)
