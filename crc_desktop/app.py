"""The composition root: where files live, the settings, and opening a database with its services.

Nothing is created at import time; the command line and the GUI call `open_app` and get
one `AppContext` holding the database and every service built on it. The services (and with
them SQLAlchemy and Alembic) are imported by `open_app`, not here, so the window can show a
database's overview while they load.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import PlatformDirs
from pydantic import BaseModel, ValidationError

from crc_desktop.core.files import replace_file
from crc_desktop.core.i18n import DEFAULT_LANGUAGE, Translator
from crc_desktop.core.services.overview import OverviewService

if TYPE_CHECKING:
    from crc_desktop.core.db.engine import Database
    from crc_desktop.core.db.lock import WriterLock
    from crc_desktop.core.db.uow import Actor
    from crc_desktop.core.services.agencies import AgencyService
    from crc_desktop.core.services.audit import AuditService
    from crc_desktop.core.services.catalog import CatalogService
    from crc_desktop.core.services.collection import CollectionService
    from crc_desktop.core.services.demo import DemoService
    from crc_desktop.core.services.export import ExportService
    from crc_desktop.core.services.office_certificates import OfficeCertificateService
    from crc_desktop.core.services.plan import PlanService
    from crc_desktop.core.services.reports import ReportService
    from crc_desktop.core.services.setup import SetupService
    from crc_desktop.core.services.targets import TargetService
    from crc_desktop.core.services.values import ValueService
    from crc_desktop.core.services.workflow import PeriodService, ReadinessService

APP_NAME = "CRC Desktop"


class Settings(BaseModel):
    """User preferences, each declared once with its type and default (window state lives in Qt)."""

    language: str = DEFAULT_LANGUAGE
    user_name: str = ""
    last_database: str = ""
    pkcs11_library: str = ""
    pkcs11_folders: list[str] = []  # searched for token modules besides the system's usual folders
    ministry_certificate: str = ""
    bundle_trust: str = ""  # the trusted certificates (PEM or folder) a bundle is checked against


@dataclass(frozen=True)
class Paths:
    data: Path
    config: Path
    logs: Path
    keys_home: Path | None = None  # the program's data folder when `data` is a demo's

    @classmethod
    def for_user(cls) -> Paths:
        override = os.environ.get("CRC_DESKTOP_HOME")
        if override:
            base = Path(override)
            return cls(data=base / "data", config=base / "config", logs=base / "logs")
        dirs = PlatformDirs(APP_NAME, appauthor=False)
        return cls(
            data=Path(dirs.user_data_dir),
            config=Path(dirs.user_config_dir),
            logs=Path(dirs.user_log_dir),
        )

    @property
    def default_database(self) -> Path:
        return self.data / "crc-desktop.db"

    @property
    def backups(self) -> Path:
        return self.data / "backups"

    @property
    def keys(self) -> Path:
        """Where test keys made from the window go: the program's data folder, also for a demo
        (whose database lives in a temporary folder removed when the window closes)."""
        return (self.keys_home or self.data) / "keys"

    @property
    def settings_file(self) -> Path:
        return self.config / "settings.json"


def configure_logging(paths: Paths) -> None:
    """Send every log record and warning (the program's and its libraries') to the log file, never
    to the console: users read our messages, not a library's traceback."""
    import logging

    root = logging.getLogger()
    target = paths.logs / "crc-desktop.log"
    for handler in list(root.handlers):
        if getattr(handler, "crc_desktop", False):
            root.removeHandler(handler)
            handler.close()
    try:
        paths.logs.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(target, encoding="utf-8", delay=True)
    except OSError:
        handler = logging.NullHandler()  # no log folder: still nothing on the console
    handler.crc_desktop = True
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    logging.captureWarnings(True)  # a library's warnings (openpyxl's on odd cells) go there too


def load_settings(paths: Paths) -> Settings:
    try:
        return Settings.model_validate(json.loads(paths.settings_file.read_text("utf-8")))
    except (OSError, ValueError, ValidationError):
        return Settings()


def save_settings(paths: Paths, settings: Settings) -> None:
    """Write the settings atomically, so a power cut leaves the old or the new file."""
    paths.config.mkdir(parents=True, exist_ok=True)
    temporary = paths.settings_file.with_suffix(".tmp")
    temporary.write_text(settings.model_dump_json(indent=2), "utf-8")
    replace_file(temporary, paths.settings_file)


def save_settings_quietly(paths: Paths, settings: Settings) -> bool:
    """Save what the program remembers by itself (the last database, say): a settings file that
    cannot be written (held by an antivirus, a full disk) is logged, and start-up goes on."""
    import logging

    from crc_desktop.core.errors import CrcError

    try:
        save_settings(paths, settings)
        return True
    except (OSError, CrcError):
        logging.getLogger(__name__).warning(
            "could not save the settings in %s", paths.settings_file, exc_info=True
        )
        return False


@dataclass(frozen=True)
class AppContext:
    """An open database and the services over it, for one user."""

    database: Database
    actor: Actor
    setup: SetupService
    catalog: CatalogService
    demo: DemoService
    values: ValueService
    audit: AuditService
    periods: PeriodService
    readiness: ReadinessService
    reports: ReportService
    plan: PlanService
    overview: OverviewService
    export: ExportService
    collection: CollectionService
    certificates: OfficeCertificateService
    targets: TargetService
    agencies: AgencyService
    lock: WriterLock | None = None  # the window's writer lock; None on the command line or read-only

    def close(self) -> None:
        self.database.close()
        if self.lock is not None:
            self.lock.release()


def open_app(
    db_path: Path, paths: Paths, *, create: bool = False, user_name: str = "", window: bool = False
) -> AppContext:
    """The database at `db_path` with its services. A `window` takes the writer lock; when another
    window holds it, the database opens read-only and its services refuse changes, naming who."""
    from crc_desktop.core.db.engine import open_database
    from crc_desktop.core.db.identity import OFFICE, require_kind
    from crc_desktop.core.db.location import require_on_this_computer
    from crc_desktop.core.db.lock import Holder, WriterLock, current_holder
    from crc_desktop.core.db.uow import Actor
    from crc_desktop.core.services.agencies import AgencyService
    from crc_desktop.core.services.audit import AuditService
    from crc_desktop.core.services.backup import adopt_shared_copies, daily_backup
    from crc_desktop.core.services.catalog import CatalogService
    from crc_desktop.core.services.collection import CollectionService
    from crc_desktop.core.services.demo import DemoService
    from crc_desktop.core.services.export import ExportService
    from crc_desktop.core.services.office_certificates import OfficeCertificateService
    from crc_desktop.core.services.plan import PlanService
    from crc_desktop.core.services.reports import ReportService
    from crc_desktop.core.services.setup import SetupService
    from crc_desktop.core.services.targets import TargetService
    from crc_desktop.core.services.values import ValueService
    from crc_desktop.core.services.workflow import PeriodService, ReadinessService

    require_on_this_computer(db_path)  # before the lock file or a read-only look is made
    require_kind(db_path, OFFICE)
    lock = WriterLock.try_acquire(db_path, Holder.current(user_name)) if window else None
    try:
        database = open_database(db_path, create=create, backup_dir=paths.backups)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    if window and lock is None:
        holder = current_holder(db_path) or Holder(user="?", host="?", pid=0, since=dt.datetime.now())
        database = replace(database, held_by=holder)
    else:
        adopt_shared_copies(db_path, paths.backups)
        daily_backup(db_path, paths.backups)
    actor = Actor.current(user_name)
    return AppContext(
        database=database,
        actor=actor,
        setup=SetupService(database, actor),
        catalog=CatalogService(database, actor),
        demo=DemoService(database, actor),
        values=ValueService(database, actor),
        audit=AuditService(database, actor),
        periods=PeriodService(database, actor),
        readiness=ReadinessService(database, actor),
        reports=ReportService(database, actor),
        plan=PlanService(database, actor),
        overview=OverviewService(database.path),
        export=ExportService(database, actor),
        collection=CollectionService(database, actor),
        certificates=OfficeCertificateService(database, actor),
        targets=TargetService(database, actor),
        agencies=AgencyService(database, actor),
        lock=lock,
    )


def translator_for(language: str | None, settings: Settings) -> Translator:
    return Translator(language or settings.language)
