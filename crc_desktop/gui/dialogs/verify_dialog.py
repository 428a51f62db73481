"""Checks a signed bundle against trusted certificates and shows each check and its result."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
)

from crc_desktop.core.errors import CrcError, Msgid
from crc_desktop.core.i18n import N_, Translator
from crc_desktop.core.screens import where
from crc_desktop.core.signing.bundle import CHECK_NAMES
from crc_desktop.gui import file_dialogs
from crc_desktop.gui.ops import Operations


class VerifyDialog(QDialog):
    """`verify(bundle, trusted)` runs on the worker of `ops`, the operations of who opens it."""

    def __init__(
        self,
        tr: Translator,
        ops: Operations,
        verify,
        parent=None,
        *,
        bundle: Path | None = None,
        trust: str = "",
    ) -> None:
        """`trust`: the trusted certificates set in Settings, filled in."""
        super().__init__(parent)
        self._tr, self._ops, self._verify = tr, ops, verify
        self.setWindowTitle(tr("Check a signed bundle"))
        self.resize(720, 420)
        self.bundle = QLineEdit()
        self.trust = QLineEdit(trust)
        self.trust.setPlaceholderText(tr("a trusted certificate (PEM) or a folder of them"))
        browse_bundle, browse_trust = QPushButton(tr("Browse…")), QPushButton(tr("Browse…"))
        self.check_button = QPushButton(tr("Check"))
        self.results = QListWidget()
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("Bundle"), self.bundle)
        form.addRow("", browse_bundle)
        form.addRow(tr("Trusted certificates"), self.trust)
        form.addRow("", browse_trust)
        buttons = QDialogButtonBox()
        buttons.addButton(tr("Close"), QDialogButtonBox.RejectRole)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.check_button)
        layout.addWidget(self.results)
        layout.addWidget(self.verdict)
        layout.addWidget(buttons)
        buttons.rejected.connect(self.reject)
        browse_bundle.clicked.connect(self._on_browse_bundle_clicked)
        browse_trust.clicked.connect(self._on_browse_trust_clicked)
        self.check_button.clicked.connect(self.run_check)
        self.bundle.setText(str(bundle) if bundle else "")
        self.trust.setText(trust)

    def _on_browse_bundle_clicked(self) -> None:
        path = file_dialogs.open_file(self, self._tr("Bundle"), "Zip (*.zip)")
        if path:
            self.bundle.setText(str(path))

    def _on_browse_trust_clicked(self) -> None:
        path = file_dialogs.open_file(self, self._tr("Trusted certificates"), "PEM (*.pem *.crt *.cer)")
        if path:
            self.trust.setText(str(path))

    def run_check(self) -> None:
        bundle, trust = Path(self.bundle.text().strip()), self.trust.text().strip()
        if not trust:  # said as the window says it: the field, and where to set it once
            self._failed(
                CrcError(
                    "Choose the trusted certificates (field “{field}”), or set them once on {place}.",
                    field=Msgid(N_("Trusted certificates")),
                    place=where("bundle_trust"),
                )
            )
            return
        trusted = [Path(trust)]
        self._ops.run(
            self,
            lambda _progress: self._verify(bundle, trusted),
            self._show,
            failed=self._failed,
            title=self._tr("Checking…"),
        )

    def _show(self, outcome) -> None:
        tr = self._tr
        self.results.clear()
        for check in outcome.checks:
            mark = "✓" if check.ok else "✗"
            self.results.addItem(
                f"{mark} {tr(CHECK_NAMES.get(check.name, check.name))}: {tr(check.detail, **check.params)}"
            )
        if outcome.valid:
            manifest = outcome.manifest
            self.verdict.setStyleSheet("color:#0f5132; font-weight:bold")
            self.verdict.setText(
                tr(
                    "Valid: {province}, period {period}, version {sequence}.",
                    province=manifest.province.name,
                    period=manifest.period,
                    sequence=manifest.sequence,
                )
            )
        else:
            failure = outcome.failure
            self.verdict.setStyleSheet("color:#842029; font-weight:bold")
            self.verdict.setText(tr("Refused: {reason}", reason=tr(failure.detail, **failure.params)))

    def _failed(self, error: CrcError) -> None:
        self.verdict.setStyleSheet("color:#842029; font-weight:bold")
        self.verdict.setText(error.render(self._tr))
