"""The live plan and its poll (samenplan/plans/live.py): where an open plan page polls, and
what the poll answers."""
from __future__ import annotations

import html as html_lib
import re

from tests.support.clients import page
from tests.support.families import submit

POLL_RE = re.compile(r'id="plan-veranderd"[^>]*hx-get="([^"]+)"')
NOTICE = "Er is iets veranderd in het plan."


def poll_url(html: str) -> str:
    """The URL the plan page polls (with the page's starting point)."""
    match = POLL_RE.search(html)
    assert match, "the plan page does not poll"
    return html_lib.unescape(match.group(1))


def open_plan(client, family_id: int) -> str:
    """Open the plan page as a browser would; the URL its poll asks."""
    return poll_url(page(client.get(f"/gezin/{family_id}")))


def poll(client, url: str, etag: str | None = None, htmx: bool = False):
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if htmx:
        headers["HX-Request"] = "true"
    return client.get(url, headers=headers)


def retitle_goal(client, family_id: int, goal_id: int, title: str):
    """Change a goal's title through its edit form, as its reader would."""
    url = f"/gezin/{family_id}/doelen/{goal_id}/bewerken"
    response = submit(client, url, {"title": title})
    assert response.status_code in (200, 302, 303), response.status_code
    return response


def part_states(html: str) -> dict[str, str]:
    """The parts a plan page (or its fragment of parts) marks, with their states."""
    from tests.support.html import dom

    stand = [id(n) for n in dom(html).find_all(id="plan-stand")]
    found = {}
    for node in dom(html).iter():
        key = node.attrs.get("data-live-part")
        if key is None or any(id(p) in stand for p in _ancestors(node)):
            continue
        found[key] = node.attrs.get("data-live-state", "")
    return found


def _ancestors(node):
    while node is not None:
        yield node
        node = node.parent


def notice_states(html: str) -> dict[str, str]:
    """The state of each part now, as the poll's notice names them (for live-plan.js)."""
    from tests.support.html import dom

    return {n.attrs["data-live-part"]: n.attrs["data-live-state"]
            for n in dom(html).find(id="plan-stand").find_all("li")}


def changed_parts(page_html: str, notice_html: str) -> set[str]:
    """The parts whose state the notice names differently from the page (what 'Vernieuwen'
    fetches): changed, new, or gone."""
    before, now = part_states(page_html), notice_states(notice_html)
    return {key for key in set(before) | set(now) if before.get(key, "") != now.get(key, "")}
