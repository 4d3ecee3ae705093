"""Confirmations where the eye is (DESIGN §7; issue 14 item 5).

After a save that sends the reader back to a part of a page (`…#akkoord`, `…#actie-12`), the
confirmation belongs in that part, not at the top of a page 2,000 px away. A view says where
with `flash_at(anchor, message)`; the part says "my confirmations go here" with the partial
`_confirmation.html` (`{% with where = 'akkoord' %}{% include "_confirmation.html" %}{% endwith %}`).
A confirmation whose part is not on the page after all is shown at the top (base.html), as
any other: nothing said is lost.
"""
from __future__ import annotations

from flask import flash, g, get_flashed_messages

SEPARATOR = "@"  # in a flash's category: "ok@akkoord" is an "ok" for the part "akkoord"


def flash_at(anchor: str, message: str, category: str = "ok") -> None:
    """Flash `message` for the part of the next page with id `anchor`."""
    flash(message, f"{category}{SEPARATOR}{anchor}")


def _split(category: str) -> tuple[str, str]:
    kind, _sep, anchor = category.partition(SEPARATOR)
    return kind, anchor


def flashes_at(anchor: str) -> list[tuple[str, str]]:
    """The (kind, message) flashed for the part `anchor`, now shown there (marked, so the top
    of the page leaves them out)."""
    found = [(kind, message) for kind, at, message in (
        (*_split(category), message)
        for category, message in get_flashed_messages(with_categories=True)) if at == anchor]
    if found:
        g.setdefault("samenplan_shown_anchors", set()).add(anchor)
    return found


def flashes_on_top() -> list[tuple[str, str]]:
    """The (kind, message) for the top of the page: those for no part, and those whose part
    did not show them (call after the page's content is rendered)."""
    shown = g.get("samenplan_shown_anchors", set())
    return [(kind, message) for kind, at, message in (
        (*_split(category), message)
        for category, message in get_flashed_messages(with_categories=True))
        if not at or at not in shown]
