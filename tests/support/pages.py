"""Reading what a page offers, as a browser would submit it."""
from __future__ import annotations

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
