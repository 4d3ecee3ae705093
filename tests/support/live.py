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
