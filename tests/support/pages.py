"""Reading what a page offers, as a browser would submit it."""
from __future__ import annotations

import html as html_lib
import re


def action_version(html: str, action_id: int) -> str:
    """The version an action's tick button sends: the state the page showed."""
    form = re.search(rf'<li class="action[^"]*" id="actie-{action_id}".*?</form>', html, re.S)
    assert form, f"no tick form for action {action_id}"
    match = re.search(r'name="version" value="(\d+)"', form.group(0))
    assert match, f"the tick form of action {action_id} sends no version"
    return match.group(1)


def form_version(html: str) -> str:
    """The version an edit form was loaded at."""
    match = re.search(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"', html)
    assert match, "the form sends no version"
    return match.group(1) or match.group(2)


def input_value(page: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert match, f"no input {name!r} on the page"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return html_lib.unescape(value.group(1)) if value else ""


def merge_table(page: str) -> dict[str, tuple[str, str]]:
    """The merge screen's rows: label -> (now saved, yours), as text."""
    table = re.search(r'<table class="merge-table">.*?</table>', page, re.S)
    assert table, "no merge table on the page"
    head = re.findall(r'<th scope="col">(.*?)</th>', table.group(0))
    assert head == ["Wat", "Nu opgeslagen", "Jouw versie"], head
    rows = {}
    for label, theirs, yours in re.findall(
        r'<tr><th scope="row">(.*?)</th><td[^>]*>(.*?)</td><td[^>]*><strong>(.*?)</strong></td></tr>',
        table.group(0), re.S,
    ):
        rows[html_lib.unescape(label)] = (html_lib.unescape(theirs), html_lib.unescape(yours))
    return rows


def words(page: str) -> str:
    """The page as text: tags out, entities decoded, whitespace folded."""
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", page))).strip()


def history_entries(page: str) -> list[tuple[int, str]]:
    """(version, text) of every entry on the history page, in the order shown."""
    listing = re.search(r'<ol class="cards history">(.*?)</ol>', page, re.S)
    assert listing, "no history list on the page"
    parts = re.split(r'<li class="card" id="versie-(\d+)">', listing.group(1))
    return [(int(n), words(body)) for n, body in zip(parts[1::2], parts[2::2])]
