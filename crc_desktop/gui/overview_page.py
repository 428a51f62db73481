"""The overview page: what the database holds for the office, at a glance."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from crc_desktop.core.i18n import Translator
from crc_desktop.core.schemas.office import DatabaseInfo


class OverviewPage(QWidget):
    def __init__(self, info: DatabaseInfo, tr: Translator) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        if info.is_demo:
            banner = QLabel(tr("DEMO DATA: not real figures."))
            banner.setStyleSheet("background:#fff3cd; color:#664d03; padding:8px; font-weight:bold")
            layout.addWidget(banner)
        if info.profile:
            office = QGroupBox(tr("Office"))
            form = QFormLayout(office)
            form.addRow(tr("Province"), QLabel(info.profile.province_name))
            form.addRow(tr("Office"), QLabel(info.profile.office_name))
            form.addRow(tr("Parent agency"), QLabel(info.profile.parent_agency))
            layout.addWidget(office)
        contents = QGroupBox(tr("Contents"))
        form = QFormLayout(contents)
        labels = {
            "communes": tr("Communes"),
            "agencies": tr("Agencies"),
            "recommendations": tr("Recommendations"),
            "indicators": tr("Indicators"),
            "tasks": tr("Plan tasks"),
            "periods": tr("Periods"),
            "values": tr("Indicator values"),
        }
        for key, label in labels.items():
            form.addRow(label, QLabel(tr.number(info.counts.get(key, 0), 0)))
        layout.addWidget(contents)
        layout.addStretch(1)
