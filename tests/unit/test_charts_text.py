"""Text in a chart: estimated widths, wrapping within a width and a number of lines, dates."""
from __future__ import annotations

from datetime import date

from samenplan.charts import em_width, wrap
from samenplan.charts.text import long_date, short_date, text_width


def test_wrap():
    assert wrap("een twee drie", em_width("een twee"), 3) == (["een twee", "drie"], False)
    lines, cut = wrap("een twee drie vier vijf zes", em_width("een twee"), 2)
    assert cut and len(lines) == 2 and lines[-1].endswith("\u2026")
    assert all(em_width(line) <= em_width("een twee") for line in lines)
    lines, cut = wrap("Onderwijsachterstandenbeleid", 5.0, 5)
    assert not cut and len(lines) > 1 and all(em_width(line) <= 5.0 for line in lines)
    assert "".join(line.rstrip("-") for line in lines) == "Onderwijsachterstandenbeleid"
    assert em_width("mmmm") > em_width("iiii")


def test_wrap_a_long_word_after_short_ones_starts_a_new_line():
    lines, cut = wrap("de Onderwijsachterstandenbeleid", 5.0, 9)
    assert not cut
    assert lines[0] == "de"
    assert lines[1].endswith("-") and lines[1].startswith("Ond")
    assert "".join(line.rstrip("-") for line in lines[1:]) == "Onderwijsachterstandenbeleid"


def test_wrap_cuts_off_without_trailing_punctuation():
    lines, cut = wrap("een, twee, drie, vier, vijf", em_width("een, twee\u2026"), 1)
    assert cut and lines == ["een, twee\u2026"]


def test_wrap_empty_text():
    assert wrap("", 5.0, 3) == ([], False)


def test_widths_scale_with_the_font_size():
    assert text_width("nu", 13) == em_width("nu") * 13


def test_dates_as_people_write_them():
    assert short_date(date(2026, 4, 2)) == "2-4"
    assert long_date(date(2026, 4, 2)) == "2-4-2026"
