"""Settings: the user's language and name, the office profile that heads the reports, and where
the token library is. User preferences go to the settings file; the profile to the database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crc_desktop.app import Paths, Settings, save_settings
from crc_desktop.core.errors import CrcError
from crc_desktop.core.i18n import Translator
from crc_desktop.core.schemas.changes import Changes
from crc_desktop.core.schemas.office import OfficeProfile, ProfileInput
from crc_desktop.core.screens import FIELD_TITLES
from crc_desktop.core.services.agencies import AgencyService
from crc_desktop.core.services.backup import backup_folder, make_backup, restore
from crc_desktop.core.services.catalog import CatalogService
from crc_desktop.core.services.office_certificates import OfficeCertificateService
from crc_desktop.core.services.setup import SetupService
from crc_desktop.core.services.signature_images import SignatureImageService
from crc_desktop.core.services.targets import TargetService
from crc_desktop.core.services.workflow import PeriodService
from crc_desktop.gui import file_dialogs
from crc_desktop.gui.actions import BACKUP_COMMANDS, bind, make_actions
from crc_desktop.gui.messages import confirm, show_error
from crc_desktop.gui.ops import Operations
from crc_desktop.gui.pages.approval_settings import ApprovalSettings
from crc_desktop.gui.pages.office_signing_box import OfficeSigningBox
from crc_desktop.gui.read_only import lock


@dataclass(frozen=True)
class SettingsServices:
    """What the settings page uses of the open database."""

    setup: SetupService
    catalog: CatalogService
    targets: TargetService
    periods: PeriodService
    certificates: OfficeCertificateService
    agencies: AgencyService
    database_path: Path
    images: SignatureImageService | None = None  # the visible signature's images (issue 26)

    @classmethod
    def of(cls, context) -> SettingsServices:
        """Those of an open `AppContext`."""
        c = context
        return cls(
            c.setup,
            c.catalog,
            c.targets,
            c.periods,
            c.certificates,
            c.agencies,
            c.database.path,
            SignatureImageService(c.database, c.actor),
        )


class SettingsPage(QWidget):
    restored = Signal()
    restart_requested = Signal()  # the user chose to restart now in the new language

    def __init__(
        self,
        services: SettingsServices,
        ops: Operations,
        tr: Translator,
        paths: Paths,
        settings: Settings,
        profile: OfficeProfile | None,
        actions: dict[str, QAction] | None = None,
    ) -> None:
        """`actions`: the window's, shared with its File menu (BACKUP_COMMANDS); else the page's own."""
        super().__init__()
        self.actions = actions if actions is not None else make_actions(BACKUP_COMMANDS, tr, self)
        self._services, self._ops, self._tr, self._paths = services, ops, tr, paths
        self.settings = settings
        self.language = QComboBox()
        self.language.addItem("Tiếng Việt", "vi")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.user_name = QLineEdit(settings.user_name)
        self.user_name.setPlaceholderText(tr("Your full name, recorded with your changes"))
        self.pkcs11 = QLineEdit(settings.pkcs11_library)
        self.pkcs11.setPlaceholderText(tr("e.g. C:\\Windows\\System32\\eps2003csp11.dll"))
        self.ministry_certificate = QLineEdit(settings.ministry_certificate)
        self.ministry_certificate.setPlaceholderText(
            tr("the ministry's certificate (PEM), for signed packages")
        )
        self.bundle_trust = QLineEdit(settings.bundle_trust)
        self.bundle_trust.setPlaceholderText(tr("a trusted certificate (PEM) or a folder of them"))
        self.save_user_button = QPushButton(tr("Save my settings"))
        self.user_note = QLabel()
        user = QGroupBox(tr("You"))
        form = QFormLayout(user)
        form.addRow(tr("Language"), self.language)
        form.addRow(tr("Your name"), self.user_name)
        form.addRow(tr("USB token library (PKCS#11)"), self.pkcs11)
        form.addRow(tr("Ministry's certificate"), self.ministry_certificate)
        form.addRow(tr(FIELD_TITLES["bundle_trust"][1]), self.bundle_trust)
        form.addRow(self.save_user_button)
        form.addRow(self.user_note)

        self.office_name = QLineEdit(profile.office_name if profile else "")
        self.parent_agency = QLineEdit(profile.parent_agency if profile else "")
        self.place_name = QLineEdit(profile.place_name if profile else "")
        self.document_symbol = QLineEdit(profile.document_symbol if profile else "")
        self.document_symbol.setPlaceholderText(tr("e.g. BC-SYT (the number is given at signing)"))
        self.signer_name = QLineEdit(profile.signer_name if profile else "")
        self.signer_title = QLineEdit(profile.signer_title if profile else "")
        self.signing_for = QLineEdit(profile.signing_for if profile else "")
        self.signing_for.setPlaceholderText(
            tr("empty when the head signs; e.g. Giám đốc when a deputy signs")
        )
        self.recipients = QPlainTextEdit("\n".join(profile.recipients) if profile else "")
        self.recipients.setPlaceholderText(tr("one a line, e.g. Bộ Y tế (Cục Bà mẹ và Trẻ em)"))
        self.recipients.setFixedHeight(self.recipients.fontMetrics().lineSpacing() * 4 + 12)
        self.save_profile_button = QPushButton(tr("Save the office profile"))
        self.profile_note = QLabel()
        office = QGroupBox(tr("Office profile (report header and signature)"))
        office_form = QFormLayout(office)
        office_form.addRow(tr("Issuing agency"), self.office_name)
        office_form.addRow(tr("Parent agency"), self.parent_agency)
        office_form.addRow(tr("Place (for the date line)"), self.place_name)
        office_form.addRow(tr("Document number and symbol"), self.document_symbol)
        office_form.addRow(tr("Signer"), self.signer_name)
        office_form.addRow(tr("Signer's title"), self.signer_title)
        office_form.addRow(tr("Signing for (KT.)"), self.signing_for)
        office_form.addRow(tr("Recipients (Nơi nhận)"), self.recipients)
        office_form.addRow(self.save_profile_button)
        office_form.addRow(self.profile_note)

        self.catalog_button = QPushButton(tr("Import a catalogue (recommendations, indicators, communes)…"))
        self.catalog_note = QLabel()
        self.catalog_note.setWordWrap(True)
        catalogues = QGroupBox(tr("Reference catalogues"))
        catalogue_layout = QVBoxLayout(catalogues)
        catalogue_layout.addWidget(QLabel(tr("Files distributed by the ministry: JSON, CSV or Excel.")))
        catalogue_layout.addWidget(self.catalog_button)
        catalogue_layout.addWidget(self.catalog_note)
        self.catalog_button.clicked.connect(self._on_catalog_button_clicked)
        self.targets_button = QPushButton(tr("The province's own targets…"))
        catalogue_layout.addWidget(self.targets_button)
        self.targets_button.clicked.connect(self._on_targets_button_clicked)
        self.agencies_button = QPushButton(tr("The province's agencies…"))
        catalogue_layout.addWidget(self.agencies_button)
        self.agencies_button.clicked.connect(self._on_agencies_button_clicked)

        self.backup_button = QPushButton(tr("Back up now…"))
        self.restore_button = QPushButton(tr("Restore from a backup…"))
        self.backup_note = QLabel()
        self.backup_note.setWordWrap(True)
        safety = QGroupBox(tr("Backups"))
        safety_layout = QVBoxLayout(safety)
        safety_layout.addWidget(
            QLabel(
                tr(
                    "A copy is made automatically once a day when the program starts, "
                    "and before every update of the database."
                )
            )
        )
        safety_layout.addWidget(self.backup_button)
        safety_layout.addWidget(self.restore_button)
        safety_layout.addWidget(self.backup_note)
        bind(self.backup_button, self.actions["backup"])  # the File menu offers the same actions
        bind(self.restore_button, self.actions["restore"])
        self.actions["backup"].triggered.connect(self._on_backup_button_clicked)
        self.actions["restore"].triggered.connect(self._on_restore_button_clicked)

        database = QLabel(tr("Database: {path}", path=str(services.database_path)))
        database.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(user)
        layout.addWidget(office)
        layout.addWidget(catalogues)
        layout.addWidget(safety)
        self.approval = ApprovalSettings(services.periods, ops, tr)
        layout.addWidget(self.approval)
        self.signing_box = OfficeSigningBox(
            services.certificates, services.setup, ops, tr, paths, images=services.images
        )
        layout.addWidget(self.signing_box)
        layout.addWidget(database)
        layout.addStretch(1)
        self.save_user_button.clicked.connect(self._on_save_user_button_clicked)
        self.save_profile_button.clicked.connect(self._on_save_profile_button_clicked)

    def _on_save_user_button_clicked(self) -> None:
        changed_language = self.language.currentData() != self.settings.language
        changed_name = " ".join(self.user_name.text().split()) != self.settings.user_name
        self.settings = self.settings.model_copy(
            update={
                "language": self.language.currentData(),
                "user_name": " ".join(self.user_name.text().split()),
                "pkcs11_library": self.pkcs11.text().strip(),
                "ministry_certificate": self.ministry_certificate.text().strip(),
                "bundle_trust": self.bundle_trust.text().strip(),
            }
        )
        try:
            save_settings(self._paths, self.settings)
        except CrcError as error:  # the settings file held by another program: said, not a crash
            show_error(self, self._tr, error)
            return
        note = self._tr("Saved.")
        if changed_language:
            note += " " + self._tr("The new language applies the next time the program starts.")
        self.user_note.setText(note)
        question = (
            self._tr("Restart the program now to use the new language? Everything you typed is saved.")
            if changed_language
            else self._tr(
                "Your changes are recorded under the new name from the next start. Restart the "
                "program now? Everything you typed is saved."
            )
        )
        if (changed_language or changed_name) and self.confirm(question):
            self.restart_requested.emit()

    def confirm(self, text: str) -> bool:
        return confirm(self, self._tr, text)

    def set_read_only(self, reason: str) -> None:
        """Another window writes to the database: the office, its catalogues, targets, approval rule
        and certificates are shown, not changed, and no backup is restored over it."""
        fields = (self.office_name, self.parent_agency, self.place_name, self.document_symbol)
        lock(reason, *fields, self.signer_name, self.signer_title, self.signing_for, self.recipients)
        lock(reason, self.save_profile_button, self.catalog_button, self.targets_button, self.restore_button)
        lock(reason, self.agencies_button)
        lock(reason, *(self.actions[c.name] for c in BACKUP_COMMANDS if c.changes_data))
        self.approval.set_read_only(reason)
        self.signing_box.set_read_only(reason)

    def on_changed(self, changes: Changes, source) -> None:
        self.signing_box.on_changed(changes, source)

    def _on_save_profile_button_clicked(self) -> None:
        try:
            profile = ProfileInput(
                office_name=self.office_name.text(),
                parent_agency=self.parent_agency.text(),
                place_name=self.place_name.text(),
                document_symbol=self.document_symbol.text(),
                signer_name=self.signer_name.text(),
                signer_title=self.signer_title.text(),
                signing_for=self.signing_for.text(),
                recipients=[
                    line.strip() for line in self.recipients.toPlainText().splitlines() if line.strip()
                ],
            )
        except ValueError:
            show_error(
                self, self._tr, CrcError("The issuing agency, parent agency and place cannot be empty.")
            )
            return
        self._ops.run(
            self,
            lambda _progress: self._services.setup.update_profile(profile),
            lambda _saved: self.profile_note.setText(self._tr("Saved.")),
        )

    def ask_open_path(self) -> Path | None:
        return file_dialogs.open_file(
            self,
            self._tr("Import a catalogue"),
            "JSON, CSV, Excel, signed package (*.json *.csv *.xlsx *.zip)",
        )

    def _import(self, path: Path, dry_run: bool) -> list:
        """A catalogue file, or a signed package (.zip) checked against the ministry's certificate."""
        catalog = self._services.catalog
        if path.suffix.lower() == ".zip":
            trust = self.settings.ministry_certificate
            if not trust:
                raise CrcError(
                    "Set the ministry's certificate first: signed packages are checked against it."
                )
            return catalog.import_package(path, [Path(trust)], dry_run=dry_run)
        return [catalog.import_file(path, dry_run=dry_run)]

    def _counts(self, reports: list) -> str:
        return self._tr(
            "{added} added, {changed} changed, {unchanged} unchanged.",
            added=sum(r.counts.added for r in reports),
            changed=sum(r.counts.changed for r in reports),
            unchanged=sum(r.counts.unchanged for r in reports),
        )

    def _on_targets_button_clicked(self) -> None:

        targets = self._services.targets
        self._ops.run(self, lambda _progress: targets.years(), self._edit_targets)

    def _edit_targets(self, years) -> None:
        from crc_desktop.gui.dialogs.targets_dialog import TargetsDialog

        targets = self._services.targets
        dialog = TargetsDialog(self._tr, years, self._targets_of, self)
        if not dialog.exec() or not dialog.result_changes:
            return
        changes = dialog.result_changes
        self._ops.run(
            self,
            lambda _progress: targets.set_provincial(changes),
            lambda saved: self.catalog_note.setText(
                self._tr("{count} targets of the province saved.", count=saved.count)
            ),
        )

    def _targets_of(self, year: int, show) -> None:
        """The dialog's rows of `year`, read on the worker."""
        self._ops.run(self, lambda _progress: self._services.targets.rows(year), show, key=(self, "targets"))

    def _on_agencies_button_clicked(self) -> None:
        from crc_desktop.gui.dialogs.agencies_dialog import AgenciesDialog

        agencies = self._services.agencies

        def edit(rows) -> None:
            dialog = AgenciesDialog(self._tr, rows, self)
            if not dialog.exec() or dialog.result_changes is None:
                return
            changes = dialog.result_changes
            self._ops.run(
                self,
                lambda _progress: agencies.apply(changes),
                self._on_agencies_saved,
            )

        self._ops.run(self, lambda _progress: agencies.rows(), edit)

    def _on_agencies_saved(self, report) -> None:
        self.catalog_note.setText(
            self._tr(
                "Agencies: {added} added, {changed} changed, {deleted} deleted.",
                added=len(report.added),
                changed=len(report.changed),
                deleted=len(report.deleted),
            )
        )

    def _on_catalog_button_clicked(self) -> None:
        path = self.ask_open_path()
        if path:
            self._ops.run(
                self,
                lambda _progress: self._import(path, True),
                lambda reports: self._confirm_catalog(path, reports),
                title=self._tr("Reading the catalogue…"),
            )

    def _confirm_catalog(self, path: Path, reports: list) -> None:
        tr = self._tr
        if not any(r.counts.added or r.counts.changed for r in reports):
            self.catalog_note.setText(self._counts(reports))
            return
        lines = [f"+ {label}" for r in reports for label in r.added[:10]]
        lines += [f"~ {label}" for r in reports for label in r.changed[:10]]
        question = (
            f"{path.name}: {self._counts(reports)}\n" + "\n".join(lines) + "\n\n" + tr("Apply these changes?")
        )
        if confirm(self, tr, question):
            self._ops.run(
                self,
                lambda _p: self._import(path, False),
                self._on_catalog_imported,
                title=tr("Importing…"),
            )

    def _on_catalog_imported(self, reports: list) -> None:
        self.catalog_note.setText(f"{self._tr('Imported.')} {self._counts(reports)}")

    def ask_backup_path(self) -> Path | None:
        name = f"{self._services.database_path.stem}-{QDate.currentDate().toString('yyyyMMdd')}.db"
        return file_dialogs.save_file(self, self._tr("Back up now…"), name, "SQLite (*.db)", self._backups())

    def _backups(self) -> Path:
        """This database's own backups folder."""
        return backup_folder(self._services.database_path, self._paths.backups)

    def ask_restore_path(self) -> Path | None:
        return file_dialogs.open_file(
            self, self._tr("Restore from a backup…"), "SQLite (*.db)", self._backups()
        )

    def _on_backup_button_clicked(self) -> None:
        target = self.ask_backup_path()
        if target:
            db = self._services.database_path
            self._ops.run(
                self,
                lambda _p: make_backup(db, target, self._paths.backups),
                lambda info: self.backup_note.setText(
                    self._tr(
                        "Backup written to {path} ({size} bytes), checked.",
                        path=info.path,
                        size=self._tr.number(info.size, 0),
                    )
                ),
                title=self._tr("Backing up…"),
            )

    def _on_restore_button_clicked(self) -> None:
        source = self.ask_restore_path()
        if not source:
            return
        question = self._tr(
            "Replace everything in this database by the content of {path}? The current content "
            "is backed up first.",
            path=str(source),
        )
        if confirm(self, self._tr, question):
            db = self._services.database_path
            self._ops.run(
                self,
                lambda _p: restore(db, source, self._paths.backups),
                self._on_restored,
                title=self._tr("Restoring…"),
            )

    def _on_restored(self, _info) -> None:
        self.backup_note.setText(self._tr("Restored: the window opens the restored data again."))
        self.restored.emit()
