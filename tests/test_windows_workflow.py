"""The Windows workflow cannot run here; what can be read of it is checked: every step fails when
any command in it fails (PowerShell alone passes a step whose last command passed), and bash
steps name paths with forward slashes (bash reads `.venv\\Scripts` as `.venvScripts`)."""

from __future__ import annotations

import re
from pathlib import Path

WORKFLOW = Path(__file__).parents[1] / ".github" / "workflows" / "windows.yml"


def _steps() -> list[str]:
    text = WORKFLOW.read_text("utf-8")
    assert re.search(r"^    defaults:\n      run:\n        shell: bash$", text, re.M), "bash by default"
    return re.split(r"^      - ", text.split("\n    steps:\n", 1)[1], flags=re.M)[1:]


def _script(step: str) -> list[str]:
    block = re.search(r"^        run: \|\n((?:          .*\n|\n)+)", step, re.M)
    if block is None:
        single = re.search(r"^        run: (.+)$", step, re.M)
        return [single[1]] if single else []
    return [line[10:] for line in block[1].splitlines() if line.strip()]


def test_every_step_of_the_windows_workflow_fails_when_any_of_its_commands_fails():
    runs = 0
    for step in _steps():
        script = _script(step)
        if not script:
            continue
        runs += 1
        name = re.search(r"name: (.+)", step)[1]
        if "shell: pwsh" in step:
            assert script[:2] == [
                '$ErrorActionPreference = "Stop"',
                "$PSNativeCommandUseErrorActionPreference = $true",
            ], name
        else:
            assert "shell:" not in step, f"{name}: bash or pwsh only"
            assert script[0] == "set -eo pipefail", name
            assert not any("\\" in line for line in script), f"{name}: a backslash path in bash"
    assert runs >= 7


def test_the_smoke_test_and_the_installer_are_in_the_workflow():
    text = WORKFLOW.read_text("utf-8")
    assert "build_installer.py --smoke" in text and "ISCC.exe" in text
