"""Importing a signed catalogue package from the Settings page."""

from __future__ import annotations

from sqlalchemy import func, select

from crc_desktop.core.db.models import RecommendationRecord
from crc_desktop.core.db.uow import UnitOfWork
from tests.gui.user import click


def _recommendations(context) -> int:
    with UnitOfWork(context.database, context.actor) as uow:
        return uow.session.scalar(select(func.count(RecommendationRecord.id)))


def test_the_settings_page_imports_a_signed_package(qtbot, demo_db, package, keys, paths, monkeypatch):
    from crc_desktop.app import Settings
    from crc_desktop.core.i18n import Translator
    from crc_desktop.gui.pages import settings_page as module
    from tests.gui.pages import operations

    page = module.SettingsPage(
        module.SettingsServices.of(demo_db),
        operations(),
        Translator("vi"),
        paths,
        Settings(ministry_certificate=keys.ca_certificate),
        None,
    )
    qtbot.addWidget(page)
    page.show()
    monkeypatch.setattr(page, "ask_open_path", lambda: package)
    monkeypatch.setattr(module, "confirm", lambda *a: True)
    before = _recommendations(demo_db)
    click(page.catalog_button)
    assert "Đã nhập" in page.catalog_note.text()
    assert _recommendations(demo_db) == before + 2
