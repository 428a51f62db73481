"""Token modules are loaded in a process of their own when the tokens are searched for: a module
that hangs or crashes ends the search with a message naming it, never the program; and none is
loaded into the program itself by a search."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from crc_desktop.core.i18n import Translator
from crc_desktop.core.signing.tokens import ModuleFile, TokenScanFailed, scan_tokens_apart

from .test_pkcs11 import pytestmark as needs_softhsm


def _module(tmp_path: Path, name: str, body: str) -> ModuleFile:
    """A shared library whose loading runs `body` (a vendor's module gone wrong)."""
    source = tmp_path / "module.c"
    source.write_text(
        f"#include <stdlib.h>\n#include <unistd.h>\n__attribute__((constructor)) void go(void) {{ {body} }}\n"
    )
    library = tmp_path / name
    subprocess.run(["gcc", "-shared", "-fPIC", "-o", str(library), str(source)], check=True)
    return ModuleFile(path=str(library), vendor="", bits=64)


needs_a_compiler = pytest.mark.skipif(
    sys.platform == "win32" or shutil.which("gcc") is None, reason="builds a misbehaving module with gcc"
)


@needs_a_compiler
def test_a_module_that_hangs_ends_the_search_with_a_message_after_the_timeout(tmp_path):
    hanging = _module(tmp_path, "eToken-hangs.so", "sleep(600);")
    with pytest.raises(TokenScanFailed) as failed:
        scan_tokens_apart([hanging], timeout=3)
    said = failed.value.render(Translator("vi"))
    assert "eToken-hangs.so" in said and "3 giây" in said, said


@needs_a_compiler
def test_a_module_that_crashes_ends_the_search_not_the_program(tmp_path):
    crashing = _module(tmp_path, "vnpt-crashes.so", "abort();")
    with pytest.raises(TokenScanFailed) as failed:
        scan_tokens_apart([crashing])
    said = failed.value.render(Translator("vi"))
    assert "vnpt-crashes.so" in said and "cài lại" in said, said


@needs_softhsm
@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads /proc/self/maps")
def test_the_search_finds_the_token_without_loading_its_module_here(token, modules):
    module = ModuleFile(path=str(modules / "viettel-ca_v6.dll"), vendor="Viettel-CA", bits=64)
    scan = scan_tokens_apart([module])
    assert scan.tokens == ["CRC-TOKEN (viettel-ca_v6.dll)"]
    assert [c.subject for c in scan.certificates] == ["Sở Y tế Huế (token)"]
    assert "viettel-ca_v6.dll" not in Path("/proc/self/maps").read_text()
