"""Goals through the screens: their pages' addresses, a new goal made with the goal form."""
from __future__ import annotations

import re

from tests.support.clients import csrf_token, db_session, page


def goal_url(demo, gid: int, rest: str = "") -> str:
    return f"/gezin/{demo.family_id}/doelen/{gid}{rest}"


def goal_id(app, title: str) -> int:
    """The id of the (top-level or sub-) goal with this title."""
    from sqlalchemy import select

    from samenplan.goals.models import Goal

    with db_session(app) as session:
        return session.scalar(select(Goal.id).where(Goal.title == title))


def create_goal(client, demo, title: str, **changes) -> int:
    """A new goal about Sandra, made through the goal form by whoever `client` is logged in
    as; `changes` overrides fields. Returns its id."""
    f = demo.family_id
    html = page(client.get(f"/gezin/{f}/doelen/nieuw"))
    data = {
        "csrf_token": csrf_token(html), "title": title, "description": "",
        "subjects": [str(demo.persons["Sandra"])], "category": "algemeen",
        "life_domain": "tijdsbesteding", "goal_type": "persoonlijk", "indicator": "",
        "owner": "0", "start_date": "", "end_date": "",
    }
    data.update(changes)
    response = client.post(f"/gezin/{f}/doelen/nieuw", data=data)
    assert response.status_code == 302, page(response)[:2000]
    match = re.search(r"#doel-(\d+)$", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))
