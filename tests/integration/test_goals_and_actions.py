"""Goals and actions through the real forms, with and without htmx, and who may touch what."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from samenplan.db import utcnow
from tests.support.audit import events_about
from tests.support.builders import add_other_family
from tests.support.clients import as_user, csrf_token, db_session, page
from tests.support.html import form_values
from tests.support.pages import action_version
from tests.support.people import DAAN, RIET, SANDRA

HTMX = {"HX-Request": "true"}

BEDTIME = "Vaste bedtijd voor Noah: half acht"  # goal 1, Sandra's, open
GRANDMA_PICKS_UP = "Oma haalt Noah op dinsdag en donderdag van school"  # goal 1, Riet's, done
DEBTS_IN_A_ROW = "Alle schulden op een rij zetten met Sandra"  # goal 3 (financien), Ilse's
GOAL_TITLES = {  # DESIGN.md section 6
    1: "We hebben elke avond rust in huis",
    2: "Ik ga elke week naar mijn afspraak bij de GGZ",
    3: "We hebben overzicht over onze schulden en betalen de huur op tijd",
    4: "Lisa gaat elke schooldag naar school",
}


def location(response) -> str:
    return response.headers["Location"]


def goal_article(html: str, goal_id: int) -> str:
    match = re.search(rf'<article class="card goal" id="doel-{goal_id}".*?</article>', html, re.S)
    assert match, f"goal {goal_id} not on the page"
    return match.group(0)


def audience_text(fragment: str) -> str:
    # the names, folded behind "Wie ziet dit?" on a saved record (privacy/_audience.html)
    match = re.search(r'<div class="audience"[^>]*>.*?<p>(.*?)</p>', fragment, re.S)
    assert match, "no 'Zichtbaar voor' on the goal"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()


def action_by_what(app, what: str):
    from samenplan.goals.models import Action

    with db_session(app) as session:
        return session.scalar(select(Action).where(Action.what == what))


def user_id(app, email: str) -> int:
    from samenplan.auth.models import User

    with db_session(app) as session:
        return session.scalar(select(User.id).where(User.email == email))


def audit_events(app, record_id: int, action: str):
    return events_about(app, record_id, action)


@pytest.fixture
def goals(app):
    """The demo goals 1-4 of DESIGN.md, by number (found by title: sub-goals share priorities)."""
    from samenplan.goals.models import Goal

    with db_session(app) as session:
        ids = {n: session.scalar(select(Goal.id).where(Goal.title == title))
               for n, title in GOAL_TITLES.items()}
    assert all(ids.values()), ids
    return ids


@pytest.fixture
def sandra(app):
    return as_user(app, SANDRA)


def new_goal_data(client, demo, **changes) -> dict:
    url = f"/gezin/{demo.family_id}/doelen/nieuw"
    html = page(client.get(url))
    data = {
        "csrf_token": csrf_token(html),
        "title": "Ik betaal elke maand mijn rekeningen op tijd",
        "description": "Met hulp van Ilse.",
        "subjects": [str(demo.persons["Sandra"])],
        "category": "gezondheid",
        "life_domain": "geestelijke_gezondheid",
        "owner": str(demo.participants[SANDRA]),
        "start_date": "2026-01-05",
        "end_date": "2026-06-30",
    }
    data.update(changes)
    return data


# --- adding a goal ----------------------------------------------------------------------------


def test_sandra_adds_a_goal_with_the_full_page_form(sandra, demo, app):
    from samenplan.goals.models import Goal

    before = utcnow()
    data = new_goal_data(sandra, demo, title="Ik slaap elke nacht zeven uur")
    response = sandra.post(f"/gezin/{demo.family_id}/doelen/nieuw", data=data)
    assert response.status_code == 302

    with db_session(app) as session:
        goal = session.scalar(select(Goal).where(Goal.title == "Ik slaap elke nacht zeven uur"))
        assert goal is not None
        assert [p.id for p in goal.subjects] == [demo.persons["Sandra"]]
        assert goal.category == "gezondheid"
        assert goal.created_by_id == goal.updated_by_id == user_id(app, SANDRA)
        assert goal.updated_at >= before
        goal_id = goal.id
    # back at the goal on the plan, where its confirmation stands (issue 14 item 1)
    assert location(response).endswith(f"/gezin/{demo.family_id}?opgeslagen_doel={goal_id}#doel-{goal_id}")

    html = page(sandra.get(f"/gezin/{demo.family_id}"))
    article = goal_article(html, goal_id)
    assert "Ik slaap elke nacht zeven uur" in article
    audience = audience_text(article)
    assert audience.startswith("Zichtbaar voor:")
    # a health goal about Sandra: Sandra, the casusregisseur and GGZ (consent) - not Mark or oma
    assert "Sandra Jansen" in audience
    assert "Fatima El Amrani" in audience
    assert "Daan Visser" in audience
    for outsider in ("Mark de Boer", "Riet Jansen", "Ilse Smit", "Joris Bakker", "Lisa de Boer"):
        assert outsider not in audience

    created = audit_events(app, goal_id, "create")
    assert len(created) == 1
    assert created[0].actor_user_id == user_id(app, SANDRA)


def test_new_goal_appears_last_in_priority_order(sandra, demo):
    data = new_goal_data(sandra, demo, title="Wij gaan elke zondag samen wandelen",
                         category="algemeen", subjects=[str(demo.persons["Sandra"]), str(demo.persons["Lisa"])])
    assert sandra.post(f"/gezin/{demo.family_id}/doelen/nieuw", data=data).status_code == 302
    html = page(sandra.get(f"/gezin/{demo.family_id}"))
    titles = [re.sub(r"<[^>]+>", "", t).strip()
              for t in re.findall(r'<h3 id="doel-\d+-titel">(.*?)</h3>', html, re.S)]
    assert titles[-1] == "Wij gaan elke zondag samen wandelen"
    assert titles[0] == GOAL_TITLES[1]


def _goal_count(app) -> int:
    from samenplan.goals.models import Goal

    with db_session(app) as session:
        return len(session.scalars(select(Goal.id)).all())


def test_invalid_goal_gets_422_with_dutch_messages_and_keeps_the_typed_title(sandra, demo, app):
    before = _goal_count(app)
    url = f"/gezin/{demo.family_id}/doelen/nieuw"
    data = new_goal_data(sandra, demo, title="Mijn eigen woorden", subjects=[],
                         start_date="2026-06-30", end_date="2026-01-05")
    response = sandra.post(url, data=data)
    html = page(response)
    assert response.status_code == 422
    assert "Kies minstens één persoon." in html
    assert "De einddatum ligt vóór de begindatum." in html
    assert 'value="Mijn eigen woorden"' in html
    assert "Er ontbreekt nog iets" in html

    response = sandra.post(url, data=new_goal_data(sandra, demo, title="   "))
    assert response.status_code == 422
    assert "Schrijf het doel op." in page(response)
    assert _goal_count(app) == before


def test_subject_from_another_family_is_not_accepted(sandra, demo, app):
    from samenplan.families.models import Family, Person

    with db_session(app) as session:
        stranger = Person(family=Family(name="Gezin Vreemd"), first_name="Vreemd",
                          last_name="Vreemd", date_of_birth=date(1980, 1, 1))
        session.add(stranger)
        session.commit()
        stranger_id = stranger.id
    before = _goal_count(app)
    data = new_goal_data(sandra, demo, subjects=[str(stranger_id)])
    response = sandra.post(f"/gezin/{demo.family_id}/doelen/nieuw", data=data)
    assert response.status_code in (404, 422)
    assert _goal_count(app) == before


# --- editing a goal ---------------------------------------------------------------------------


def _edit_url(demo, goals, priority: int) -> str:
    return f"/gezin/{demo.family_id}/doelen/{goals[priority]}/bewerken"


def test_edit_goal_with_htmx_returns_the_goal_fragment(sandra, demo, app, goals):
    from samenplan.goals.models import Goal

    url = _edit_url(demo, goals, 1)
    form = sandra.get(url, headers=HTMX)
    assert form.status_code == 200
    assert "<html" not in page(form)
    data = form_values(page(form), url)
    assert data["title"] == [GOAL_TITLES[1]]
    data["title"] = ["We hebben elke avond rust in huis, ook in het weekend"]

    before = utcnow()
    earlier = len(audit_events(app, goals[1], "update"))  # the demo's own history (its ladder)
    response = sandra.post(url, data=data, headers=HTMX)
    html = page(response)
    assert response.status_code == 200
    assert "<html" not in html and "<body" not in html
    assert html.lstrip().startswith(f'<article class="card goal" id="doel-{goals[1]}"')
    assert "We hebben elke avond rust in huis, ook in het weekend" in html
    assert "Zichtbaar voor:" in html

    with db_session(app) as session:
        goal = session.get(Goal, goals[1])
        assert goal.title == "We hebben elke avond rust in huis, ook in het weekend"
        assert goal.updated_by_id == user_id(app, SANDRA)
        assert goal.created_by_id == user_id(app, "fatima@wijkteam-noord.demo")
        assert goal.updated_at >= before
    updates = audit_events(app, goals[1], "update")[earlier:]
    assert [e.actor_user_id for e in updates] == [user_id(app, SANDRA)]


def test_edit_goal_without_htmx_redirects_to_the_plan(sandra, demo, app, goals):
    url = _edit_url(demo, goals, 1)
    form = sandra.get(url)
    assert "<html" in page(form)
    data = form_values(page(form), url)
    data["title"] = ["Rust in huis, elke avond"]
    response = sandra.post(url, data=data)
    assert response.status_code == 302
    assert location(response).endswith(
        f"/gezin/{demo.family_id}?opgeslagen_doel={goals[1]}#doel-{goals[1]}")
    assert "Rust in huis, elke avond" in page(sandra.get(f"/gezin/{demo.family_id}"))


def test_invalid_edit_with_htmx_returns_the_form_with_422(sandra, demo, app, goals):
    url = _edit_url(demo, goals, 1)
    data = form_values(page(sandra.get(url, headers=HTMX)), url)
    data["title"] = [""]
    response = sandra.post(url, data=data, headers=HTMX)
    html = page(response)
    assert response.status_code == 422
    assert "<html" not in html
    assert "Schrijf het doel op." in html
    with db_session(app) as session:
        from samenplan.goals.models import Goal

        assert session.get(Goal, goals[1]).title == GOAL_TITLES[1]


# --- actions -------------------------------------------------------------------------------------


def _action_data(client, demo, what: str, assignee: str) -> dict:
    html = page(client.get(f"/gezin/{demo.family_id}"))
    return {"csrf_token": csrf_token(html), "what": what,
            "assignee": str(demo.participants[assignee]),
            "due_date": (date.today() + timedelta(days=10)).isoformat()}


def test_add_action_without_htmx(sandra, demo, app, goals):
    url = f"/gezin/{demo.family_id}/doelen/{goals[1]}/acties"
    response = sandra.post(url, data=_action_data(sandra, demo, "Samen een avondritueel maken", SANDRA))
    assert response.status_code == 302
    assert location(response).endswith(f"#doel-{goals[1]}")
    article = goal_article(page(sandra.get(f"/gezin/{demo.family_id}")), goals[1])
    assert "Samen een avondritueel maken" in article

    action = action_by_what(app, "Samen een avondritueel maken")
    assert action.goal_id == goals[1]
    assert action.assignee_participant_id == demo.participants[SANDRA]
    assert action.created_by_id == user_id(app, SANDRA)
    assert len(audit_events(app, action.id, "create")) == 1


def test_add_action_with_htmx_returns_the_goal_fragment(sandra, demo, app, goals):
    url = f"/gezin/{demo.family_id}/doelen/{goals[1]}/acties"
    data = _action_data(sandra, demo, "Oma belt om half acht", RIET)
    response = sandra.post(url, data=data, headers=HTMX)
    html = page(response)
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith(f'<article class="card goal" id="doel-{goals[1]}"')
    assert "Oma belt om half acht" in html
    assert action_by_what(app, "Oma belt om half acht").assignee_participant_id == demo.participants[RIET]


def test_add_empty_action_with_htmx_gets_422_and_a_dutch_message(sandra, demo, app, goals):
    url = f"/gezin/{demo.family_id}/doelen/{goals[1]}/acties"
    data = _action_data(sandra, demo, "", SANDRA)
    response = sandra.post(url, data=data, headers=HTMX)
    assert response.status_code == 422
    assert "Schrijf op wat er gaat gebeuren." in page(response)
    response = sandra.post(url, data=data)
    assert response.status_code == 422
    assert "Schrijf op wat er gaat gebeuren." in page(response)


def _tick(client, demo, action_id: int, done: str, htmx: bool = True):
    html = page(client.get(f"/gezin/{demo.family_id}"))
    return client.post(
        f"/gezin/{demo.family_id}/acties/{action_id}/klaar",
        data={"csrf_token": csrf_token(html), "done": done,
              # no tick button on the page (not hers to tick): forged, with any version
              "version": action_version(html, action_id) if f"/acties/{action_id}/klaar" in html else "1"},
        headers=HTMX if htmx else {},
    )


def test_tick_action_done_and_undone_with_htmx(sandra, demo, app):
    action = action_by_what(app, BEDTIME)
    assert action.done_at is None

    response = _tick(sandra, demo, action.id, "1")
    html = page(response)
    assert response.status_code == 200
    assert "<html" not in html
    assert re.match(rf'\s*<li class="action done[^"]*" id="actie-{action.id}"', html)
    ticked = action_by_what(app, BEDTIME)
    assert ticked.done_at is not None
    assert ticked.done_by_id == user_id(app, SANDRA)
    assert ticked.updated_by_id == user_id(app, SANDRA)

    response = _tick(sandra, demo, action.id, "0")
    html = page(response)
    assert response.status_code == 200
    assert re.match(rf'\s*<li class="action(?! done)[^"]*" id="actie-{action.id}"', html)
    untouched = action_by_what(app, BEDTIME)
    assert untouched.done_at is None and untouched.done_by_id is None

    done = [e.params.get("done") for e in audit_events(app, action.id, "update")]
    assert done == [True, False]


def test_tick_action_without_htmx_redirects(sandra, demo, app):
    action = action_by_what(app, BEDTIME)
    response = _tick(sandra, demo, action.id, "1", htmx=False)
    assert response.status_code == 302
    assert location(response).endswith(f"/gezin/{demo.family_id}#actie-{action.id}")
    assert action_by_what(app, BEDTIME).done_at is not None


# --- who may do what --------------------------------------------------------------------------


def test_network_member_ticks_only_her_own_actions(app, demo):
    riet = as_user(app, RIET)
    not_hers = action_by_what(app, BEDTIME)
    response = _tick(riet, demo, not_hers.id, "1")
    assert response.status_code == 404
    assert action_by_what(app, BEDTIME).done_at is None

    hers = action_by_what(app, GRANDMA_PICKS_UP)
    assert hers.done_at is not None
    response = _tick(riet, demo, hers.id, "0")
    assert response.status_code == 200
    assert action_by_what(app, GRANDMA_PICKS_UP).done_at is None
    response = _tick(riet, demo, hers.id, "1", htmx=False)
    assert response.status_code == 302
    assert action_by_what(app, GRANDMA_PICKS_UP).done_by_id == user_id(app, RIET)


def test_network_member_sees_a_tick_button_only_on_her_own_actions(app, demo):
    riet = as_user(app, RIET)
    html = page(riet.get(f"/gezin/{demo.family_id}"))
    hers, not_hers = action_by_what(app, GRANDMA_PICKS_UP), action_by_what(app, BEDTIME)
    assert f"/acties/{hers.id}/klaar" in html
    assert f"/acties/{not_hers.id}/klaar" not in html
    assert BEDTIME in html  # she may see it, just not tick it


def test_network_member_cannot_add_goals_or_actions(app, demo, goals):
    riet = as_user(app, RIET)
    html = page(riet.get(f"/gezin/{demo.family_id}"))
    assert riet.get(f"/gezin/{demo.family_id}/doelen/nieuw").status_code in (403, 404)
    response = riet.post(
        f"/gezin/{demo.family_id}/doelen/{goals[1]}/acties",
        data={"csrf_token": csrf_token(html), "what": "Oma doet alles", "assignee": "0"},
    )
    assert response.status_code == 404
    assert action_by_what(app, "Oma doet alles") is None


def test_ggz_professional_cannot_see_or_edit_goal_1_nor_tick_goal_3(app, demo, goals):
    daan = as_user(app, DAAN)
    assert daan.get(_edit_url(demo, goals, 1)).status_code == 404
    assert daan.get(_edit_url(demo, goals, 1), headers=HTMX).status_code == 404
    assert daan.get(f"/gezin/{demo.family_id}/doelen/{goals[1]}",
                    headers=HTMX).status_code == 404
    html = page(daan.get(f"/gezin/{demo.family_id}"))
    assert GOAL_TITLES[1] not in html and GOAL_TITLES[3] not in html

    debts = action_by_what(app, DEBTS_IN_A_ROW)
    response = _tick(daan, demo, debts.id, "1")
    assert response.status_code == 404
    assert DEBTS_IN_A_ROW not in page(response)
    assert action_by_what(app, DEBTS_IN_A_ROW).done_at is None

    response = daan.post(
        f"/gezin/{demo.family_id}/doelen/{goals[3]}/acties",
        data={"csrf_token": csrf_token(html), "what": "Daan kijkt mee", "assignee": "0"},
    )
    assert response.status_code == 404
    assert action_by_what(app, "Daan kijkt mee") is None


def test_ggz_professional_cannot_edit_goal_1_by_posting(app, demo, goals):
    daan = as_user(app, DAAN)
    html = page(daan.get(f"/gezin/{demo.family_id}"))
    response = daan.post(_edit_url(demo, goals, 1), data={
        "csrf_token": csrf_token(html), "title": "Overgenomen door Daan",
        "subjects": [str(demo.persons["Sandra"])], "category": "algemeen",
        "life_domain": "financien", "status": "actief", "owner": "0",
    })
    assert response.status_code == 404
    with db_session(app) as session:
        from samenplan.goals.models import Goal

        assert session.get(Goal, goals[1]).title == GOAL_TITLES[1]


@pytest.fixture
def other_family(app):
    """A second family with one parent, Piet, who has a login. Returns (family_id, email)."""
    return add_other_family(app)


def test_user_of_another_family_gets_404_everywhere(app, demo, other_family, goals):
    own_family_id, email = other_family
    piet = as_user(app, email)
    html = page(piet.get(f"/gezin/{own_family_id}"))
    token = csrf_token(html)
    bedtime = action_by_what(app, BEDTIME)

    # the demo family's own URLs
    assert piet.get(f"/gezin/{demo.family_id}").status_code == 404
    assert piet.get(_edit_url(demo, goals, 1)).status_code == 404
    assert piet.post(f"/gezin/{demo.family_id}/acties/{bedtime.id}/klaar",
                     data={"csrf_token": token, "done": "1"}).status_code == 404
    # the demo family's records reached through his own family's URLs
    assert piet.get(f"/gezin/{own_family_id}/doelen/{goals[1]}/bewerken").status_code == 404
    assert piet.post(f"/gezin/{own_family_id}/acties/{bedtime.id}/klaar",
                     data={"csrf_token": token, "done": "1"}).status_code == 404
    assert piet.post(f"/gezin/{own_family_id}/doelen/{goals[1]}/acties",
                     data={"csrf_token": token, "what": "Inbraak", "assignee": "0"}).status_code == 404
    assert action_by_what(app, BEDTIME).done_at is None
    assert action_by_what(app, "Inbraak") is None


def test_goal_owner_from_another_family_is_refused(sandra, demo, app, other_family):
    from samenplan.families.models import Participant

    with db_session(app) as session:
        piet_participant = session.scalar(
            select(Participant.id).where(Participant.family_id == other_family[0])
        )
    before = _goal_count(app)
    data = new_goal_data(sandra, demo, owner=str(piet_participant))
    response = sandra.post(f"/gezin/{demo.family_id}/doelen/nieuw", data=data)
    assert response.status_code in (404, 422)
    assert _goal_count(app) == before
