"""The casusregisseur's worklist (issue 12 item 8) on their home page: per family they chair
the next evaluation (or "Geen volgende evaluatie"), overdue actions, open escalations, consents
still missing, gaps of 3+ between family and professionals, goals without a score for over
three months, goals at the same level for two evaluations. Each signal appears and
disappears with what causes it; a count never includes what the chair may not see; the page
costs the same number of statements for 1 family as for 5. On SQLite and PostgreSQL.

The demo (DESIGN.md §6) gives Fatima: the next evaluation, 2 overdue actions (hers on goal 1,
Ilse's escalated one on goal 3), 1 open escalation, goal 2's gap (Sandra 7, Daan 4) and goal 3
twice at −1."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from samenplan.demo import ESCALATED_ACTION
from tests.support.builders import (
    add_action, add_chaired_families, consent_at_the_table, page_statements, shapes,
    shield_through_the_screen,
)
from tests.support.clients import as_user, csrf_token, db_session, log_in_directly
from tests.support.clients import page as text_of
from tests.support.families import today
from tests.support.pages import action_version, form_version, words
from tests.support.people import DAAN, FATIMA, ILSE, SANDRA


@pytest.fixture
def wl_app(app, tmp_path):
    app.config["LOGIN_RATE_LIMIT"] = "10000 per minute"
    app.config["MAIL_OUTBOX"] = str(tmp_path / "outbox")
    return app


def worklist(app, who: str = FATIMA) -> str:
    """The worklist's lines as text ("" when there is none on the home page)."""
    html = text_of(as_user(app, who).get("/"))
    start = html.find('<div class="worklist"')
    return words(html[start:html.index("</div>", start)]) if start >= 0 else ""


def test_the_demo_worklist(wl_app, demo):
    lines = worklist(wl_app)
    assert "Volgende evaluatie: " in lines and "Geen volgende evaluatie" not in lines
    assert "2 acties over de datum" in lines
    assert "1 opschaling staat open" in lines
    assert "1 doel: gezin en hulpverlener 3 punten of meer uit elkaar" in lines
    assert "1 doel twee evaluaties op dezelfde stap" in lines
    assert "toestemming" not in lines and "zonder score" not in lines
    for who in (SANDRA, DAAN, ILSE):
        assert worklist(wl_app, who) == "", f"{who} chairs no family: no worklist"


def test_each_signal_appears_and_disappears(wl_app, demo):
    from samenplan.escalations.models import Escalation
    from samenplan.evaluations.models import Evaluation
    from samenplan.goals.models import Action

    fatima = as_user(wl_app, FATIMA)
    # appear: a consent Lisa gave alone (her parents must consent too), an old unscored goal
    consent_at_the_table(wl_app, "Lisa", "GGZ Kompas", ["gezondheid"], ["Lisa"])
    add_action(wl_app, "Aanvraag bijzondere bijstand indienen", FATIMA, today() - timedelta(days=100))
    lines = worklist(wl_app)
    assert "1 toestemming wacht nog op iemand" in lines
    assert "1 doel al meer dan 3 maanden zonder score" in lines
    assert "3 acties over de datum" in lines

    # disappear: the actions done, the escalation's outcome recorded, the evaluation cancelled
    with db_session(wl_app) as session:
        overdue = list(session.scalars(select(Action).where(
            Action.done_at.is_(None), Action.due_date < today())))
        escalation = session.scalar(select(Escalation))
        evaluation = session.scalar(select(Evaluation).where(Evaluation.status == "gepland"))
        goals_of = {a.id: a.goal_id for a in overdue}
    for action_id, goal_id in goals_of.items():
        goal_page = text_of(fatima.get(f"/gezin/{demo.family_id}/doelen/{goal_id}"))
        response = fatima.post(f"/gezin/{demo.family_id}/acties/{action_id}/klaar", data={
            "csrf_token": csrf_token(goal_page), "version": action_version(goal_page, action_id),
            "done": "1"})
        assert response.status_code in (200, 302), response.status_code
    shown = f"/gezin/{demo.family_id}/opschalingen/{escalation.id}"
    html = text_of(fatima.get(shown))
    assert fatima.post(shown + "/uitkomst", data={
        "csrf_token": csrf_token(html), "version": form_version(html),
        "outcome": "De aanvraag is verstuurd"}).status_code == 302
    html = text_of(fatima.get(f"/gezin/{demo.family_id}/evaluaties/{evaluation.id}"))
    assert fatima.post(f"/gezin/{demo.family_id}/evaluaties/{evaluation.id}/afzeggen", data={
        "csrf_token": csrf_token(html), "version": form_version(html),
        "reason": "Sandra is ziek"}).status_code == 302
    lines = worklist(wl_app)
    assert "over de datum" not in lines and "opschaling" not in lines
    assert "Geen volgende evaluatie" in lines and "Volgende evaluatie:" not in lines


def test_a_count_never_includes_what_the_chair_may_not_see(wl_app, demo):
    """Sandra hides her money and her health from Fatima (a shield beats everything, also
    what Fatima wrote herself): goals 2 and 3, Ilse's action and its escalation leave Fatima's
    sight, and so the gap (goal 2), the level twice (goal 3), the escalation and that action
    leave her worklist; her own overdue action of goal 1 stays."""
    sandra = as_user(wl_app, SANDRA)
    for category in ("financien", "gezondheid"):
        shield_through_the_screen(sandra, demo.family_id, demo.persons["Sandra"],
                                  f"cat:{category}", demo.participants[FATIMA])
    fatima = as_user(wl_app, FATIMA)
    for number in (2, 3):
        assert fatima.get(f"/gezin/{demo.family_id}/doelen/{demo.goals[number]}").status_code == 404
    lines = worklist(wl_app)
    assert "opschaling" not in lines
    assert "3 punten" not in lines and "dezelfde stap" not in lines
    assert "1 actie over de datum" in lines, f"Ilse's {ESCALATED_ACTION[0]!r} is not counted: {lines}"


def test_the_home_page_costs_the_same_for_1_family_as_for_5(wl_app, client, demo):
    log_in_directly(client, FATIMA)
    one, html = page_statements(wl_app, client, "/")
    assert html.count('class="worklist"') == 1
    add_chaired_families(wl_app, 4)
    five, html = page_statements(wl_app, client, "/")
    assert html.count('class="worklist"') == 5
    assert html.count("1 actie over de datum") == 4 and html.count("dezelfde stap") == 5
    print(f"\nFatima's home page: {len(one)} statements for 1 family, {len(five)} for 5")
    assert len(five) == len(one), "\n".join(shapes(five))
    assert "COMMIT" not in five, "reads never commit"


def test_the_plan_overview_table_for_professionals(wl_app, demo):
    """On the plan, for professionals: per goal they may see its level, agreement, open and
    overdue actions (a table on a laptop, blocks on a phone: CSS); the family reads the goal
    cards only; nothing of a goal the viewer may not see."""
    from tests.support.html import dom

    def overview(who: str):
        html = text_of(as_user(wl_app, who).get(f"/gezin/{demo.family_id}"))
        tables = dom(html).find_all("table", class_="overview-table")
        if not tables:
            return None
        return {row.find("th").text(): [td.text() for td in row.find_all("td")]
                for row in tables[0].find("tbody").find_all("tr")}

    rows = overview(FATIMA)
    assert len(rows) == 5
    # goal 3: on −1, three akkoord (Sandra, Ilse, Fatima), three open actions, one late
    assert rows[demo.goal_titles[3]] == ["-1", "3 akkoord", "3", "1"]
    assert overview(SANDRA) is None
    assert list(overview(DAAN)) == [demo.goal_titles[2]]


def test_a_chair_of_more_families_than_one_chunk_holds(wl_app, demo, monkeypatch):
    """The home page reads the families in chunks (bench/scale.py: 1,000 families in one
    statement were too many bound parameters for SQLite): a chair of more families than a
    chunk holds gets every family's worklist with its own counts, at a bounded number of
    statements per chunk. The chunk is made small here so that the test stays fast."""
    from samenplan.families import worklist as reading

    client = wl_app.test_client()
    log_in_directly(client, FATIMA)
    one, _html = page_statements(wl_app, client, "/")
    add_chaired_families(wl_app, 4)
    monkeypatch.setattr(reading, "CHUNK", 2)
    five, html = page_statements(wl_app, client, "/")
    assert html.count('class="worklist"') == 5, "every family chaired has its worklist"
    assert html.count("1 actie over de datum") == 4 and html.count("dezelfde stap") == 5
    assert "2 acties over de datum" in html, "the demo family's own count, not another's"
    assert html.count("Geen volgende evaluatie") == 0
    assert len(five) <= 3 * len(one), "three chunks: at most three times one family's statements"
