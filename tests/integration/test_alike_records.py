"""Records alike in subjects, category and author are decided once per request (the plan page's
forty goals: `Access.answer_once`, `policy.alike`); what a grant or a shield says of one record
by its id still makes that record differ. Each record keeps what is its own: its audience when
a consent names it, the record its "ask for consent" button asks about. On both databases."""
from __future__ import annotations

from sqlalchemy import select

from tests.support.clients import as_user, db_session, page, path_of
from tests.support.families import organisation_id, submit
from tests.support.html import card, dom
from tests.support.people import DAAN, FATIMA, ILSE, SANDRA


def _new_goal(client, demo, title: str):
    made = submit(client, f"/gezin/{demo.family_id}/doelen/nieuw", {
        "title": title, "subjects": [str(demo.persons["Sandra"])], "category": "gezondheid",
        "life_domain": "lichamelijke_gezondheid"})
    assert made.status_code == 302, page(made)[:2000]


def _goal_id(app, title: str) -> int:
    from samenplan.goals.models import Goal

    with db_session(app) as session:
        return session.scalar(select(Goal.id).where(Goal.title == title))


def _audience(html: str, title: str) -> str:
    line = [n for n in card(html, title).iter() if "audience" in n.classes()]
    assert len(line) == 1, "one audience line per card"
    return line[0].text()


def test_a_consent_for_one_of_two_alike_goals_lets_in_only_that_one(app, demo):
    sandra = as_user(app, SANDRA)
    _new_goal(sandra, demo, "Ik slaap weer goed")
    _new_goal(sandra, demo, "Ik ga elke dag wandelen")
    walking = _goal_id(app, "Ik ga elke dag wandelen")
    given = submit(sandra, f"/gezin/{demo.family_id}/toestemming", {
        "subject": str(demo.persons["Sandra"]),
        "grantee": f"org:{organisation_id(app, 'Schuldhulp Stad')}",
        "record": str(walking), "categories": None, "purpose": "Ilse loopt een keer mee"})
    assert given.status_code == 302, page(given)[:3000]

    html = page(sandra.get(f"/gezin/{demo.family_id}"))
    assert "Ilse Smit" in _audience(html, "Ik ga elke dag wandelen")
    assert "Ilse Smit" not in _audience(html, "Ik slaap weer goed"), \
        "the other goal is alike in all but its id: it is not shared with Schuldhulp"
    ilse = page(as_user(app, ILSE).get(f"/gezin/{demo.family_id}"))
    assert "Ik ga elke dag wandelen" in ilse and "Ik slaap weer goed" not in ilse


def test_each_of_two_alike_actions_asks_about_itself(app, demo):
    """Two actions under one goal, both given to Daan, who may not see them: each warning's
    button asks for consent about its own action."""
    money = demo.goal_titles[3]  # Sandra, financien: Daan (GGZ) may not see it
    fatima = as_user(app, FATIMA)
    url = f"/gezin/{demo.family_id}/doelen/{demo.goals[3]}/acties"
    for what in ("Daan belt over de brief", "Daan kijkt naar de rekeningen"):
        saved = submit(fatima, url, {"what": what, "assignee": str(demo.participants[DAAN])},
                       page_url=f"/gezin/{demo.family_id}")
        assert saved.status_code == 302, page(saved)[:2000]
    from samenplan.goals.models import Action

    with db_session(app) as session:
        ids = dict(session.execute(select(Action.what, Action.id).where(
            Action.goal_id == demo.goals[3])).all())
    html = page(fatima.get(path_of(saved)))
    asked_about = {}
    for warning in (n for n in card(html, money).iter() if "reader-warning" in n.classes()):
        text = warning.text()
        record = [i.attrs["value"] for i in warning.find_all("input") if i.attrs["name"] == "record"]
        for what in ids:
            if f"Bij “{what}”" in text:
                asked_about[what] = record
    assert asked_about == {what: [str(i)] for what, i in ids.items()
                           if what.startswith("Daan")}, dom(html).text()[:2000]
