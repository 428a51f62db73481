"""Sentences drafted from the numbers: every number in every sentence is recomputed here from
the period's data, by other code than the one that wrote it."""

from __future__ import annotations

import re
from decimal import Decimal

from crc_desktop.cli import main
from crc_desktop.core.reporting.findings import draft
from crc_desktop.core.services.snapshot import SnapshotService

NUMBER = re.compile(r"\d[\d.]*(?:,\d+)?")


def _numbers(text: str) -> list[Decimal]:
    return [Decimal(found.replace(".", "").replace(",", ".")) for found in NUMBER.findall(text)]


def _without(text: str, *names: str) -> str:
    for name in sorted(filter(None, names), key=len, reverse=True):  # an empty unit names nothing
        text = text.replace(name, " ")
    return text


def _expected(snapshot, sentence) -> list[tuple[str, set[Decimal]]]:
    """The sentence without the names it quotes, and the numbers the data gives for it: for each
    indicator the sentence may speak of (two sets may name an indicator alike)."""
    year = int(snapshot.period.code[:4])
    if sentence.kind == "indicator":
        named = [i for i in snapshot.indicators if sentence.text.startswith(i.name)]
        longest = max(len(i.name) for i in named)  # "Số trẻ em …" is the start of other names
        return [_indicator_numbers(snapshot, i, sentence, year) for i in named if len(i.name) == longest]
    return [_other(snapshot, sentence, year)]


def _indicator_numbers(snapshot, indicator, sentence, year) -> tuple[str, set[Decimal]]:
    value = next(
        (
            v
            for v in snapshot.values
            if v.indicator == indicator.key and v.area == snapshot.province.code and v.cell == "total"
        ),
        None,
    )
    if value is None or value.number is None:
        return sentence.text, set()
    numbers = {Decimal(str(value.number))}
    if value.previous is not None:
        numbers |= {
            abs(round(Decimal(str(value.number)) - Decimal(str(value.previous)), 1)),
            Decimal(year - 1),
        }
    later = sorted({t.year for t in indicator.targets if t.year >= year})
    if later:
        numbers |= {Decimal(later[0])}
        numbers |= {Decimal(str(t.value)) for t in indicator.targets if t.year == later[0]}
    unit = indicator.unit.split(" (")[0]
    return _without(sentence.text, indicator.name, unit), numbers


def _other(snapshot, sentence, year) -> tuple[str, set[Decimal]]:
    if sentence.kind == "group":
        group = int(sentence.section.split(".")[1])
        tasks = [t for t in snapshot.tasks if t.group == group]
        counts = {
            len(tasks),
            sum(t.status == "completed" for t in tasks),
            sum(t.status == "delayed" for t in tasks),
        }
        return _without(sentence.text, *(t.title for t in tasks)), {Decimal(c) for c in counts}
    if sentence.kind == "budget":
        lines = [b for t in snapshot.tasks for b in t.budget if b.fiscal_year == year]
        planned, allocated, spent = (
            sum(getattr(b, f) for b in lines) for f in ("planned", "allocated", "spent")
        )
        million = Decimal(1_000_000)
        numbers = {Decimal(year)} | {round(Decimal(x) / million, 1) for x in (planned, allocated, spent)}
        numbers.add(round(Decimal(spent) / Decimal(allocated) * 100, 1))
        return sentence.text, numbers
    assert sentence.kind == "urgent"
    urgent = [r for r in snapshot.recommendations if r.urgent and not r.tasks]
    return _without(sentence.text, *{r.document for r in urgent}), {Decimal(r.paragraph) for r in urgent}


def test_every_number_of_every_drafted_sentence_is_recomputed_from_the_data(demo_db):
    snapshot = SnapshotService(demo_db.database, demo_db.actor).take("2025")
    sentences = draft(snapshot)
    kinds = {s.kind for s in sentences}
    assert kinds == {"indicator", "group", "budget", "urgent"}
    for sentence in sentences:
        readings = [(_numbers(rest), expected) for rest, expected in _expected(snapshot, sentence)]
        assert all(found for found, _ in readings), sentence.text
        assert any(
            all(any(n == e.normalize() or n == e for e in expected) for n in found)
            for found, expected in readings
        ), (sentence.text, readings)
    birth = next(s for s in sentences if s.text.startswith("Tỷ lệ trẻ em dưới 5 tuổi được đăng ký khai sinh"))
    assert re.fullmatch(
        r"Tỷ lệ trẻ em dưới 5 tuổi được đăng ký khai sinh đạt [\d,]+ %, (tăng|giảm) [\d,]+ điểm phần trăm "
        r"so với năm 2024; (chưa )?đạt mục tiêu ≥ 98,5 % năm 2025\.",
        birth.text,
    ), birth.text


def test_a_period_between_milestones_is_measured_against_the_next_one(demo_db):
    snapshot = SnapshotService(demo_db.database, demo_db.actor).take("2025")
    later = snapshot.model_copy(update={"period": snapshot.period.model_copy(update={"code": "2026"})})
    birth = next(
        s for s in draft(later) if s.text.startswith("Tỷ lệ trẻ em dưới 5 tuổi được đăng ký khai sinh")
    )
    assert birth.text.endswith("; mục tiêu năm 2030: ≥ 100 %.")
    assert "chưa đạt" not in birth.text  # not judged against a milestone not yet due


def test_drafted_sentences_on_the_command_line(demo_db, capsys):
    assert main(["report", "drafts", "--db", str(demo_db.database.path), "--period", "2025"]) == 0
    out = capsys.readouterr().out
    assert "[proposals] Các khuyến nghị Ủy ban nêu là cần hành động khẩn cấp" in out
    assert "…" not in out
