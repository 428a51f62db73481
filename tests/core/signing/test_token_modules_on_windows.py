"""A vendor's token module as Windows loads it: its own folder (under Program Files, with the
helper DLLs it ships) is on the DLL search path while it loads, for a scan and for signing."""

from __future__ import annotations

import contextlib
import os

import pkcs11
import pyhanko.sign.pkcs11
import pytest

from crc_desktop.core.errors import InputRefused
from crc_desktop.core.signing.keys import load_pkcs11
from crc_desktop.core.signing.tokens import ModuleFile, scan_tokens


@pytest.fixture
def dll_path(monkeypatch) -> list[str]:
    """os.add_dll_directory (Windows only) as Windows keeps it: the folders searched right now."""
    searched: list[str] = []

    @contextlib.contextmanager
    def add_dll_directory(folder: str):
        searched.append(folder)
        try:
            yield
        finally:
            searched.remove(folder)

    monkeypatch.setattr(os, "add_dll_directory", add_dll_directory, raising=False)
    return searched


@pytest.fixture
def vendor_module(tmp_path):
    folder = tmp_path / "Program Files" / "Viettel-CA" / "Token Manager"
    folder.mkdir(parents=True)
    (folder / "viettel-ca_v6.dll").write_bytes(b"MZ")
    return folder / "viettel-ca_v6.dll"


def test_a_scan_loads_the_module_with_its_own_folder_searched(dll_path, vendor_module, monkeypatch):
    searched_while_loading: list[list[str]] = []

    class Library:
        def __init__(self, path: str) -> None:
            searched_while_loading.append(list(dll_path))

        def get_slots(self, token_present: bool):
            return []

    monkeypatch.setattr(pkcs11, "lib", Library)
    scan = scan_tokens([ModuleFile(path=str(vendor_module), vendor="Viettel-CA", bits=64)])
    assert searched_while_loading == [[str(vendor_module.parent.resolve())]]
    assert dll_path == []  # only while it loads
    assert [m.problem for m in scan.modules] == [""]


def test_signing_opens_the_module_with_its_own_folder_searched(dll_path, vendor_module, monkeypatch):
    searched_while_opening: list[list[str]] = []

    def open_session(library: str, **_criteria):
        searched_while_opening.append(list(dll_path))
        raise pkcs11.exceptions.TokenNotPresent()

    monkeypatch.setattr(pyhanko.sign.pkcs11, "open_pkcs11_session", open_session)
    with pytest.raises(InputRefused, match="could not be opened"):
        load_pkcs11(vendor_module, "CRC-TOKEN", "123456")
    assert searched_while_opening == [[str(vendor_module.parent.resolve())]]
    assert dll_path == []
