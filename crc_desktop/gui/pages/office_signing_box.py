"""Settings › "The office's digital signature": the certificates registered to sign for the
office (as people read them, with their validity), making a test key, importing a key file
issued by a CA, registering a certificate file, and removing one with a reason."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives.serialization import Encoding
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from crc_desktop.app import Paths
from crc_desktop.core.errors import CrcError
from crc_desktop.core.i18n import Translator
from crc_desktop.core.schemas.certificates import OfficeCertificate
from crc_desktop.core.schemas.changes import Changes
from crc_desktop.core.services.office_certificates import OfficeCertificateService
from crc_desktop.core.services.setup import SetupService
from crc_desktop.core.services.signature_images import SignatureImageService
from crc_desktop.core.signing.keys import load_p12, new_test_keys
from crc_desktop.gui import file_dialogs
from crc_desktop.gui.dialogs.new_key_dialog import NewKeyDialog, NewKeyRequest
from crc_desktop.gui.dialogs.passphrase_dialog import PassphraseDialog
from crc_desktop.gui.dialogs.reason_dialog import ReasonDialog
from crc_desktop.gui.key_memory import KeyMemory
from crc_desktop.gui.messages import show_error
from crc_desktop.gui.ops import Operations
from crc_desktop.gui.read_only import lock


class OfficeSigningBox(QGroupBox):
    def __init__(
        self,
        certificates: OfficeCertificateService,
        setup: SetupService,
        ops: Operations,
        tr: Translator,
        paths: Paths,
        images: SignatureImageService | None = None,
    ) -> None:
        super().__init__(tr("The office's digital signature"))
        self._service, self._setup, self._ops, self._tr, self._paths = certificates, setup, ops, tr, paths
        self._images = images
        self._certificates: list[OfficeCertificate] = []
        self._profile = None
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [tr("Certificate"), tr("Issued by"), tr("Valid from"), tr("Valid until")]
        )
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectRows)
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height() + 2 * 24 + 4)
        self.new_key_button = QPushButton(tr("Create a test key…"))
        self.import_button = QPushButton(tr("Import a key file (.p12/.pfx)…"))
        self.add_file_button = QPushButton(tr("Register a certificate file…"))
        self.remove_button = QPushButton(tr("Remove the selected certificate…"))
        self.note = QLabel()
        self.note.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.new_key_button, self.import_button, self.add_file_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        # the visible signature (Decree 30, Annex I): the selected signer's signature, the seal
        self.signature_image_button = QPushButton(tr("Signature image of the selected certificate…"))
        self.seal_image_button = QPushButton(tr("Seal image of the office…"))
        images_row = QHBoxLayout()
        images_row.addWidget(self.signature_image_button)
        images_row.addWidget(self.seal_image_button)
        images_row.addStretch(1)
        if images is not None:
            layout.addLayout(images_row)
        self.signature_image_button.clicked.connect(self._on_signature_image_button_clicked)
        self.seal_image_button.clicked.connect(self._on_seal_image_button_clicked)
        layout.addWidget(self.note)
        self.new_key_button.clicked.connect(self._on_new_key_button_clicked)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.add_file_button.clicked.connect(self._on_add_file_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.reload()

    def reload(self, then=None) -> None:
        """Read the registered certificates (and the office's profile) on the worker."""

        def shown(found) -> None:
            self._show(*found)
            if then is not None:
                then()

        service, setup = self._service, self._setup
        self._ops.run(
            self,
            lambda _progress: (service.registered(), setup.info(counts=False).profile),
            shown,
            key=(self, "list"),
        )

    def set_read_only(self, reason: str) -> None:
        lock(reason, self.new_key_button, self.import_button, self.add_file_button, self.remove_button)
        lock(reason, self.signature_image_button, self.seal_image_button)

    def on_changed(self, changes: Changes, source) -> None:
        if changes.office and source is not self:
            self.reload()

    def _show(self, certificates: list[OfficeCertificate], profile) -> None:
        tr = self._tr
        self._certificates, self._profile = certificates, profile
        self.table.setRowCount(len(self._certificates))
        for row, certificate in enumerate(self._certificates):
            cells = [
                certificate.subject,
                certificate.issuer,
                tr.date(certificate.valid_from),
                tr.date(certificate.valid_until),
            ]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.note.setText(
            tr(
                "Only these certificates may sign the office's reports: signing with any other is "
                "refused before anything is written."
            )
            if self._certificates
            else tr("No certificate is registered to sign for this office.")
        )

    # -- what the user is asked (tests replace these) -----------------------------------------------

    def ask_new_key(self) -> NewKeyRequest | None:
        name = self._profile.office_name if self._profile else ""
        dialog = NewKeyDialog(self._tr, name, self._paths.keys, self)
        return dialog.request if dialog.exec() else None

    def ask_key_file(self) -> Path | None:
        return file_dialogs.open_file(
            self, self._tr("Import a key file (.p12/.pfx)…"), "PKCS#12 (*.p12 *.pfx)"
        )

    def ask_certificate_file(self) -> Path | None:
        return file_dialogs.open_file(
            self,
            self._tr("Register a certificate file…"),
            self._tr("Certificates") + " (*.pem *.crt *.cer *.der)",
        )

    def ask_image_file(self, title: str) -> Path | None:
        return file_dialogs.open_file(self, title, "PNG (*.png)")

    def ask_passphrase(self, path: Path) -> str | None:
        return PassphraseDialog.ask(self._tr, self._tr("The passphrase of {path}:", path=path.name), self)

    def ask_reason(self, title: str, prompt: str) -> str | None:
        return ReasonDialog.ask(self._tr, title, prompt, self)

    # -- actions --------------------------------------------------------------------------------

    def _reason_to_add(self) -> str | None:
        """'' for the first certificate; a reason for another one; None when the user cancels."""
        if not self._certificates:
            return ""
        tr = self._tr
        return self.ask_reason(
            tr("Register another certificate"),
            tr("This office already has a registered certificate. Why may another one sign for it?"),
        )

    def _register(
        self, add: Callable[[str], OfficeCertificate], then: Callable[[], None] | None = None
    ) -> None:
        """Register through `add(reason)` on the worker, asking the reason when one is needed;
        `then` runs once the list shows the new certificate."""
        reason = self._reason_to_add()
        if reason is None:
            return

        def added(certificate: OfficeCertificate) -> None:
            note = self._tr("Registered to sign for the office: {subject}", subject=certificate.subject)
            self.reload(lambda: self._say(note, then))

        self._ops.run(self, lambda _progress: add(reason), added)

    def _say(self, note: str, then: Callable[[], None] | None) -> None:
        self.note.setText(note)
        if then is not None:
            then()

    def _on_new_key_button_clicked(self) -> None:
        request = self.ask_new_key()
        if request is None:
            return
        province = self._profile.province_code

        def work(_progress):
            request.folder.mkdir(parents=True, exist_ok=True)
            return new_test_keys(request.folder, request.name, province, request.passphrase.encode("utf-8"))

        self._ops.run(self, work, self._on_key_created, title=self._tr("Creating the key…"))

    def _on_key_created(self, files) -> None:
        KeyMemory(self._paths.config).remember(files.p12)  # the sign dialog fills it in
        self._register(
            lambda reason: self._service.register_file(files.certificate, reason),
            lambda: self._say_key_written(files),
        )

    def _say_key_written(self, files) -> None:
        self.note.setText(
            self.note.text()
            + "\n"
            + self._tr("Key written to {path} (protected by the passphrase).", path=files.p12)
            + " "
            + self._tr(
                "Certificate: {path}; give the ministry the CA certificate {ca}.",
                path=files.certificate,
                ca=files.ca_certificate,
            )
        )

    def _on_import_button_clicked(self) -> None:
        path = self.ask_key_file()
        if path is None:
            return
        secret = self.ask_passphrase(path)
        if secret is None:
            return

        def read(_progress) -> bytes:
            material = load_p12(path, secret.encode("utf-8"), apart=True)
            try:
                return material.certificate.public_bytes(Encoding.DER)
            finally:
                material.close()

        self._ops.run(
            self, read, lambda der: self._register(lambda reason: self._service.register(der, reason))
        )

    def _on_add_file_button_clicked(self) -> None:
        path = self.ask_certificate_file()
        if path is not None:
            self._register(lambda reason: self._service.register_file(path, reason))

    def _on_remove_button_clicked(self) -> None:
        tr = self._tr
        row = self.table.currentRow()
        if not 0 <= row < len(self._certificates):
            show_error(self, tr, CrcError("Select a certificate in the list first."))
            return
        certificate = self._certificates[row]
        reason = self.ask_reason(
            tr("Remove a certificate"),
            tr("Why may {subject} no longer sign for the office?", subject=certificate.subject),
        )
        if reason is None:
            return
        note = tr("No longer signs for the office: {subject}", subject=certificate.subject)
        self._ops.run(
            self,
            lambda _progress: self._service.remove(certificate.fingerprint, reason),
            lambda _none: self.reload(lambda: self._say(note, None)),
        )

    def _on_signature_image_button_clicked(self) -> None:
        tr = self._tr
        row = self.table.currentRow()
        if not 0 <= row < len(self._certificates):
            show_error(self, tr, CrcError("Select a certificate in the list first."))
            return
        certificate = self._certificates[row]
        path = self.ask_image_file(tr("Signature image of the selected certificate…"))
        if path:
            note = tr("Image registered: {path}", path=path.name)
            self._ops.run(
                self,
                lambda _progress: self._images.register_signature(certificate.fingerprint, path),
                lambda _done: self._say(note, None),
            )

    def _on_seal_image_button_clicked(self) -> None:
        path = self.ask_image_file(self._tr("Seal image of the office…"))
        if path:
            note = self._tr("Image registered: {path}", path=path.name)
            self._ops.run(
                self, lambda _progress: self._images.register_seal(path), lambda _done: self._say(note, None)
            )
