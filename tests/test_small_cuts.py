"""The small cuts of a province's round: one check of the files a command reads, help in
Vietnamese to its placeholders."""

from __future__ import annotations

import argparse

import pytest

from crc_desktop.cli import _parser, main
from crc_desktop.core.i18n import Translator


@pytest.mark.parametrize(
    "argv, said",
    [
        (["catalog", "import", "--db", "{db}", "{missing}"], "Không đọc được {missing}: không có tệp này"),
        (["catalog", "import", "--db", "{db}", "{folder}"],
         "Không đọc được {folder}: đây là thư mục, không phải tệp"),
        (["plan", "import", "--db", "{db}", "{missing}"], "Không đọc được {missing}: không có tệp này"),
        (["export", "--db", "{db}", "--period", "2025", "--p12", "{missing}", "--out", "{folder}/x.zip"],
         "Không đọc được {missing}: không có tệp này"),
        (["report", "--db", "{db}", "--period", "2025", "--out", "{folder}/r.pdf", "--template", "{missing}"],
         "Không đọc được {missing}: không có tệp này"),
        (["consolidate", "--db", "sqlite:///{folder}/qg.db", "{missing}"],
         "Không đọc được {missing}: không có tệp này"),
        (["collect", "import", "--db", "{db}", "--period", "2025", "{missing}"],
         "Không đọc được {missing}: không có tệp này"),
    ],
)  # fmt: skip
def test_a_missing_file_gets_one_sentence(argv, said, tmp_path, capsys):
    values = {
        "{db}": str(tmp_path / "x.db"),
        "{missing}": str(tmp_path / "không-có.xlsx"),
        "{folder}": str(tmp_path),
    }

    def filled(text: str) -> str:
        for key, value in values.items():
            text = text.replace(key, value)
        return text

    assert main([filled(a) for a in argv]) == 1
    err = capsys.readouterr().err
    assert err.strip() == "Lỗi: " + filled(said)
    assert not list(tmp_path.glob("*.db"))  # refused before anything was opened or made


def test_every_placeholder_of_the_help_is_in_vietnamese():
    parser = _parser(Translator("vi"))
    english = []

    def walk(p, name):
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub, subparser in action.choices.items():
                    walk(subparser, f"{name} {sub}")
            elif (
                action.nargs != 0 and action.choices is None and not isinstance(action, argparse._HelpAction)
            ):
                shown = action.metavar or (action.dest.upper() if action.option_strings else action.dest)
                if shown in (action.dest.upper(), action.dest):  # argparse's own English default
                    english.append(f"{name}: {shown}")

    walk(parser, "crc-desktop")
    assert not english, english
