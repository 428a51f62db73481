"""Asks how to sign a period's bundle: a PKCS#12 file, or a certificate on a USB token found on
this machine (the modules are looked for under their known names; the user picks a certificate,
not a DLL), the passphrase or PIN (never stored), and where to write the bundle. It returns the
request; it signs nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from crc_desktop.core.errors import CrcError
from crc_desktop.core.i18n import Translator
from crc_desktop.core.signing.tokens import (
    TokenCertificate,
    TokenScan,
    describe_module,
    find_modules,
    scan_tokens_apart,
)
from crc_desktop.gui import file_dialogs
from crc_desktop.gui.ops import Operations


@dataclass(frozen=True)
class ExportRequest:
    use_token: bool
    p12: Path | None
    library: Path | None
    token: str
    key_label: str | None
    secret: str
    out: Path
    key_id: bytes | None = None
    number: str = ""  # the document's number the clerk gives ("125" of "Số: 125/BC-SYT")


class ExportDialog(QDialog):
    def __init__(
        self,
        tr: Translator,
        period: str,
        library: str,
        parent=None,
        *,
        module_folders: list[Path] = (),
        search_system: bool = True,
        ops: Operations | None = None,
        last_key: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self._tr = tr
        self._ops = ops
        self._modules = [Path(library)] if library.strip() else []
        self._folders, self._search_system = list(module_folders), search_system
        self._certificates: list[TokenCertificate] = []
        self.setWindowTitle(tr("Sign and export period {code}", code=period))
        self.setMinimumWidth(900)
        self.use_file = QRadioButton(tr("Key file (.p12/.pfx)"))
        self.use_token = QRadioButton(tr("USB token (PKCS#11)"))
        self.use_file.setChecked(True)
        for choice in (self.use_file, self.use_token):  # as wide as their text: a click beside it misses
            choice.setSizePolicy(QSizePolicy.Maximum, QSizePolicy.Fixed)
        group = QButtonGroup(self)
        group.addButton(self.use_file)
        group.addButton(self.use_token)
        self.p12 = QLineEdit()
        self.certificate = QComboBox()
        self.certificate.setMinimumContentsLength(40)
        self.find_button = QPushButton(tr("Find tokens"))
        self.add_module_button = QPushButton(tr("Add a module file…"))
        self.token_note = QLabel(tr("Plug in the token, then click Find tokens."))
        self.token_note.setWordWrap(True)
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.Password)
        self.out = QLineEdit(str(file_dialogs.start_folder()))
        self.number = QLineEdit()
        self.number.setPlaceholderText(tr("e.g. 125: the number the clerk gives this report"))
        self.error = QLabel()
        self.error.setStyleSheet("color:#842029")
        token_row = QWidget()
        token_layout = QHBoxLayout(token_row)
        token_layout.setContentsMargins(0, 0, 0, 0)
        token_layout.addWidget(self.certificate, 1)
        token_layout.addWidget(self.find_button)
        token_layout.addWidget(self.add_module_button)
        form = QFormLayout()
        form.addRow(self.use_file)
        form.addRow(tr("Key file"), self._with_browse(self.p12, self._on_p12_browse))
        form.addRow(self.use_token)
        form.addRow(tr("Certificate on the token"), token_row)
        details = QFormLayout()
        details.addRow(tr("Document number"), self.number)
        details.addRow(tr("Passphrase or PIN"), self.secret)
        details.addRow(tr("Save the bundle in"), self._with_browse(self.out, self._on_out_browse))
        note = QLabel(tr("The passphrase or PIN is used for this signature only and is not kept."))
        note.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.sign_button = buttons.addButton(tr("Sign and export"), QDialogButtonBox.AcceptRole)
        buttons.addButton(tr("Cancel"), QDialogButtonBox.RejectRole)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.token_note)
        layout.addLayout(details)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        self.find_button.clicked.connect(self._on_find_button_clicked)
        self.add_module_button.clicked.connect(self._on_add_module_button_clicked)
        self.use_token.toggled.connect(self._on_use_token_toggled)
        self.request: ExportRequest | None = None
        # the key first (the last one used is filled in), then the PIN
        if last_key is not None:
            self.p12.setText(str(last_key))
            self.secret.setFocus()
        else:
            self.p12.setFocus()

    def _with_browse(self, edit: QLineEdit, slot) -> QWidget:
        widget = QWidget()
        row = QHBoxLayout(widget)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(edit)
        button = QPushButton(self._tr("Browse…"))
        button.clicked.connect(slot)
        row.addWidget(button)
        return widget

    def _on_p12_browse(self) -> None:
        path = file_dialogs.open_file(self, self._tr("Key file"), "PKCS#12 (*.p12 *.pfx)")
        if path:
            self.p12.setText(str(path))

    def _on_out_browse(self) -> None:
        path = file_dialogs.choose_folder(self, self._tr("Save the bundle in"), Path(self.out.text().strip()))
        if path:
            self.out.setText(str(path))

    # -- tokens -------------------------------------------------------------------------------------

    def ask_module_file(self) -> Path | None:
        return file_dialogs.open_file(self, self._tr("Add a module file…"), "PKCS#11 (*.dll *.so *.dylib)")

    def _on_use_token_toggled(self, checked: bool) -> None:
        if checked and not self._certificates:
            self.find_tokens()

    def _on_add_module_button_clicked(self) -> None:
        path = self.ask_module_file()
        if path is not None:
            self._modules.append(path)
            self.find_tokens()

    def _on_find_button_clicked(self) -> None:
        self.use_token.setChecked(True)
        self.find_tokens()

    def find_tokens(self) -> None:
        """Look for modules, tokens and their certificates (off the GUI thread, the modules loaded
        in a process of their own), then list the certificates to pick."""
        modules = find_modules(self._folders, self._modules, system=self._search_system)
        self.find_button.setEnabled(False)
        self.token_note.setText(self._tr("Looking for tokens…"))
        self._operations().run(
            self,
            lambda progress: scan_tokens_apart(modules, progress=progress),
            self._show_scan,
            failed=self._on_scan_failed,
            title=self._tr("Looking for tokens…"),
            cancellable=True,
        )

    def _operations(self) -> Operations:
        if self._ops is None:  # a dialog opened on its own (the guide's screenshots)
            from crc_desktop.app import Paths
            from crc_desktop.gui.tasks import TaskRunner

            self._ops = Operations(TaskRunner(), self._tr, Paths.for_user().logs)
        return self._ops

    def _on_scan_failed(self, error: CrcError) -> None:
        self.find_button.setEnabled(True)
        self.token_note.setText(error.render(self._tr))

    def _show_scan(self, scan: TokenScan) -> None:
        tr = self._tr
        self.find_button.setEnabled(True)
        self._certificates = scan.certificates
        self.certificate.clear()
        for certificate in self._certificates:
            self.certificate.addItem(
                tr(
                    "{subject} — token {token} ({vendor}), valid until {end}",
                    subject=certificate.subject,
                    token=certificate.token,
                    vendor=certificate.vendor or Path(certificate.module).name,
                    end=tr.date(certificate.valid_until),
                )
            )
        lines = []
        if not scan.modules:
            lines.append(
                tr(
                    "No token module (PKCS#11) was found on this computer. Install the token's driver "
                    "from its CA, or add its module file."
                )
            )
        elif not scan.certificates:
            lines.append(tr("No certificate was found: is the token plugged in?"))
        lines += [f"{Path(m.path).name}: {describe_module(m, tr)}" for m in scan.modules if not m.usable]
        self.token_note.setText("\n".join(lines))
        self.adjustSize()  # the list and the note changed size

    # -- the answer ---------------------------------------------------------------------------------

    def _on_buttons_accepted(self) -> None:
        token = self.use_token.isChecked()
        chosen = self.certificate.currentIndex()
        if token and not 0 <= chosen < len(self._certificates):  # the key first, then the PIN
            self.error.setText(self._tr("Choose the certificate to sign with."))
            return
        if not token and not self.p12.text().strip():
            self.error.setText(self._tr("Choose the key file."))
            self.p12.setFocus()
            return
        if not self.secret.text():
            self.error.setText(self._tr("Type the passphrase or PIN."))
            self.secret.setFocus()
            return
        number = self.number.text().strip()
        if number and not number.isdigit():
            self.error.setText(
                self._tr(
                    "The document number is the number the clerk gives, digits only (e.g. 125); "
                    "{text} is not one. The symbol (e.g. BC-SYT) is set in the office's profile.",
                    text=number,
                )
            )
            return
        certificate = self._certificates[chosen] if token else None
        self.request = ExportRequest(
            use_token=token,
            p12=Path(self.p12.text().strip()) if not token else None,
            library=Path(certificate.module) if certificate else None,
            token=certificate.token if certificate else "",
            key_label=(certificate.label or None) if certificate else None,
            key_id=bytes.fromhex(certificate.key_id) if certificate and certificate.key_id else None,
            secret=self.secret.text(),
            out=Path(self.out.text().strip()),
            number=number,
        )
        self.secret.clear()
        self.accept()
