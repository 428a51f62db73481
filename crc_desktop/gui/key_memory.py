"""The key file the user last signed with or made, kept beside the window's state so the sign
dialog fills it in (the passphrase never: it is asked for each signature)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

_KEY = "signing/last_key"


class KeyMemory:
    def __init__(self, config: Path) -> None:
        self._file = Path(config) / "window.ini"

    def _settings(self) -> QSettings:
        return QSettings(str(self._file), QSettings.Format.IniFormat)

    def last(self) -> Path | None:
        """The last key file, if it still exists."""
        value = self._settings().value(_KEY, "")
        path = Path(value) if value else None
        return path if path is not None and path.is_file() else None

    def remember(self, path: Path) -> None:
        settings = self._settings()
        settings.setValue(_KEY, str(Path(path).resolve()))
        settings.sync()
