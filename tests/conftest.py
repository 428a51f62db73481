"""Shared fixtures: a private home folder for settings and backups, and databases to work on."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from crc_desktop.app import AppContext, Paths, open_app  # noqa: E402
from tests.core.ministry.conftest import (  # noqa: E402, F401 - shared with the GUI tests
    government_pki,
    government_trust,
    national_inputs,
)
from tests.core.signing.conftest import (  # noqa: E402, F401 - shared with the GUI tests
    always_authenticate_token,
    keys,
    modules,
    other_keys,
    package,
    token,
)


@pytest.fixture(autouse=True)
def _private_home(tmp_path_factory, monkeypatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("CRC_DESKTOP_HOME", str(home))
    return home


@pytest.fixture
def paths() -> Paths:
    return Paths.for_user()


@pytest.fixture
def new_db(tmp_path, paths) -> AppContext:
    """An initialised database for Huế with no demo data."""
    context = open_app(tmp_path / "office.db", paths, create=True, user_name="Nguyễn Văn An")
    context.setup.init("46")
    yield context
    context.close()


@pytest.fixture(scope="session")
def small_demo_file(tmp_path_factory) -> Path:
    """A small demo database built once; tests copy it before changing anything."""
    folder = tmp_path_factory.mktemp("demo")
    home = folder / "home"
    context = open_app(folder / "demo.db", Paths(home, home, home), create=True)
    context.demo.build("small", seed=1)
    context.close()
    return folder / "demo.db"


@pytest.fixture
def demo_db(small_demo_file, tmp_path, paths) -> AppContext:
    """A private copy of the small demo database."""
    from crc_desktop.core.db.engine import backup_file

    target = backup_file(small_demo_file, tmp_path / "demo.db")
    context = open_app(target, paths, user_name="Trần Thị Bình")
    yield context
    context.close()
