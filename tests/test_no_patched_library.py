"""No library is patched or used through its private names: pyHanko through its public `Signer`,
argparse through gettext's documented route and its public hooks. Where we lean on a library's
behaviour, a test here fails when the library changes underneath."""

from __future__ import annotations

import argparse
import ast
import os
from pathlib import Path

import crc_desktop
from crc_desktop.core.i18n import python_speaking

PACKAGE = Path(crc_desktop.__file__).parent


def test_argparse_speaks_the_catalogue_through_gettext_with_no_private_name(monkeypatch):
    monkeypatch.delenv("LANGUAGE", raising=False)
    with python_speaking("vi"):
        plain = argparse.ArgumentParser(prog="x")  # any parser: its words come from gettext's domain
        assert plain.format_usage().startswith("cách dùng: x")
        assert "hiện hướng dẫn này rồi thoát" in plain.format_help()
    with python_speaking("en"):
        assert argparse.ArgumentParser(prog="x").format_usage().startswith("usage: x")
    # and nothing is left behind for the rest of the process or the programs it starts
    assert "LANGUAGE" not in os.environ
    assert argparse.ArgumentParser(prog="x").format_usage().startswith("usage: x")


def test_no_module_reaches_into_argparse_or_pyhanko_private_names():
    found = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "argparse"
                and node.attr.startswith("_")
            ):
                found.append((path.name, f"argparse.{node.attr}"))
            if isinstance(node, ast.FunctionDef) and node.name in {"_check_value", "_get_value", "sign_raw"}:
                found.append((path.name, node.name))
    assert found == []
