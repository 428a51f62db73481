"""The report's table by commune shows each commune's own rate (its numerator / denominator ×
factor, by the roll-up code), to two decimals, rather than "—" for every commune."""

from __future__ import annotations

from pypdf import PdfReader

from crc_desktop.core.i18n import Translator


def test_the_table_by_commune_prints_each_communes_own_rate(demo_db, tmp_path):
    grid = demo_db.values.grid("2025")
    cell = {(r.code, r.cell_key): r.cell_id for r in grid.rows}
    registered, children = cell[("KS05.TS", "total")], cell[("KS05.MS", "total")]
    communes = [a for a in grid.areas if a.level == "commune"]
    rates = {}
    for area in communes:
        top, bottom = grid.numbers.get((registered, area.id)), grid.numbers.get((children, area.id))
        if top is not None and bottom:
            rates[area.name] = top / bottom * 100
    assert len(rates) >= 3
    out = tmp_path / "bao-cao.pdf"
    demo_db.reports.pdf("2025", out)
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    table = text[text.index("theo đơn vị hành chính") :]
    vi = Translator("vi")
    lines = [line.strip() for line in table.splitlines()]
    for name, rate in list(rates.items())[:5]:
        first_column = lines[lines.index(name) + 1]  # the cells of a row follow its name, in order
        assert first_column == vi.number(rate, 2), (name, first_column)


def test_the_table_by_commune_prints_a_communes_own_answer_to_a_share(demo_db, tmp_path):
    grid = demo_db.values.grid("2025")
    answer = next(r.cell_id for r in grid.rows if r.code == "CT01.D" and r.is_total)
    communes = [a for a in grid.areas if a.level == "commune"]
    said = {a.name: grid.numbers.get((answer, a.id)) for a in communes}
    said = {name: number for name, number in said.items() if number is not None}
    assert said
    out = tmp_path / "bao-cao.pdf"
    demo_db.reports.pdf("2025", out)
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    lines = [line.strip() for line in text[text.index("theo đơn vị hành chính") :].splitlines()]
    for name, number in list(said.items())[:5]:
        second_column = lines[lines.index(name) + 2]  # KS05, then CT01 (the share of communes)
        assert second_column == ("Đạt" if number >= 0.5 else "Không đạt"), (name, second_column)
