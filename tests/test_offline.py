"""The whole workflow with the network blocked at the socket level: nothing may try to connect."""

from __future__ import annotations

import datetime as dt
import socket
from pathlib import Path

import pytest
from openpyxl import load_workbook

from crc_desktop.app import Paths, open_app
from crc_desktop.core.services.export import verify
from crc_desktop.core.signing.keys import load_p12, new_test_keys


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise NetworkUsed(f"a network connection was attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield attempts
    assert attempts == []


def test_demo_edits_import_report_export_verify_offline(no_network, tmp_path):
    from crc_desktop.core.schemas.values import ValueEdit

    home = tmp_path / "home"
    context = open_app(tmp_path / "demo.db", Paths(home, home, home), create=True)
    context.demo.build("small", seed=3)
    grid = context.values.grid("2025")
    row = next(r for r in grid.rows if r.value_type == "decimal" and r.measure == "entered")
    province = next(a for a in grid.areas if a.level == "province")
    context.values.apply("2025", [ValueEdit(cell_id=row.cell_id, area_id=province.id, raw="12,5")])
    workbook = tmp_path / "nhap.xlsx"
    context.reports.entry_workbook("2025", workbook)
    book = load_workbook(workbook)
    book["Số liệu"]["H6"] = 321
    book.save(workbook)
    context.reports.import_entries("2025", workbook)
    context.reports.pdf("2025", tmp_path / "bao-cao.pdf", on=dt.date(2026, 1, 5))
    context.readiness.check("2025")
    keys = new_test_keys(tmp_path / "keys", "Sở Y tế Huế", "46", b"offline-pass")
    import sqlite3

    connection = sqlite3.connect(context.database.path)
    connection.execute("UPDATE reporting_period SET state = 'approved' WHERE code = '2025'")
    connection.commit()
    connection.close()
    context.certificates.register_file(Path(keys.certificate))
    result = context.export.export("2025", load_p12(Path(keys.p12), b"offline-pass"), tmp_path)
    assert verify(Path(result.path), [Path(keys.ca_certificate)]).valid
    context.close()


def test_the_guard_itself_catches_a_connection(no_network):
    with pytest.raises(NetworkUsed):
        socket.create_connection(("127.0.0.1", 9))
    no_network.clear()
