"""docs/bundle-format.md runs as written: its command blocks, taken from the file as they are,
check a freshly signed bundle by hand, and stop on a bundle that was tampered with."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

DOC = Path(__file__).parents[3] / "docs" / "bundle-format.md"
TOOLS = ("bash", "unzip", "openssl", "sha256sum", "python3", "certutil", "pdfsig")  # all in .ci/setup

pytestmark = pytest.mark.skipif(
    sys.platform == "win32",
    reason="the hand check is a bash script with unzip, sha256sum, certutil and pdfsig",
)


def _script() -> str:
    blocks = re.findall(r"^```sh\n(.*?)^```$", DOC.read_text("utf-8"), flags=re.M | re.S)
    assert len(blocks) >= 5, "the hand check lost its command blocks"
    return "set -euo pipefail\n" + "\n".join(blocks)


def _run(folder: Path) -> subprocess.CompletedProcess:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    assert not missing, f"run .ci/setup: {missing} missing"
    return subprocess.run(["bash", "-c", _script()], cwd=folder, capture_output=True, text=True, timeout=120)


def _folder(tmp_path: Path, bundle: Path, keys) -> Path:
    shutil.copy(bundle, tmp_path / "CRC-46-2025-v1.zip")
    shutil.copy(keys.ca_certificate, tmp_path / "ca.pem")
    return tmp_path


def test_the_documented_commands_pass_on_a_fresh_bundle(bundle, keys, tmp_path):
    done = _run(_folder(tmp_path, bundle, keys))
    assert done.returncode == 0, done.stdout + done.stderr
    with zipfile.ZipFile(bundle) as archive:
        manifest = archive.read("manifest.json").decode("utf-8")
    data_hash = re.search(r'"data_sha256": "([0-9a-f]{64})"', manifest)[1]
    assert data_hash in done.stdout  # step 4 recomputed the data hash from the files
    assert "Signature is Valid." in done.stdout and "data/values.json: OK" in done.stdout


def test_the_documented_commands_stop_on_changed_data(bundle, keys, tmp_path):
    folder = _folder(tmp_path, bundle, keys)
    with zipfile.ZipFile(bundle) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    entries["data/values.json"] = entries["data/values.json"].replace(b'"number": ', b'"number": 1', 1)
    with zipfile.ZipFile(folder / "CRC-46-2025-v1.zip", "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    done = _run(folder)
    assert done.returncode != 0
    assert "data/values.json: FAILED" in done.stdout
