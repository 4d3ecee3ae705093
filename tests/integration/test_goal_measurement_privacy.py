"""GAS scores and scaling answers obey the privacy rules of DESIGN.md §3, through the screens.

Daan's answers on goal 2 (gezondheid, about Sandra) reach nobody who may not see goal 2;
Joris (school) can neither open goal 2 nor post a score or an answer to it; every viewer's
plan T-score is computed over the goals that viewer sees and nothing else; a network member
answers scaling questions but does not score GAS; and a revoked consent bites on the next
request.
"""
from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from samenplan.db import utcnow
from samenplan.domain.ages import local_day
from samenplan.domain.gas import t_score
from tests.support.clients import as_user, confirm_revoke, csrf_token, db_session, page, post_form
from tests.support.html import dom
from tests.support.people import DAAN, FATIMA, ILSE, JORIS, LISA, MARK, RIET, SANDRA

GOALS = {  # DESIGN.md §6, by number
    1: "We hebben elke avond rust in huis",
    2: "Ik ga elke week naar mijn afspraak bij de GGZ",
    3: "We hebben overzicht over onze schulden en betalen de huur op tijd",
    4: "Lisa gaat elke schooldag naar school",
    5: "Ik praat elke week met de jeugdarts over hoe het met me gaat",
}
DEBTS_SUB_GOAL = "Alle brieven over geld liggen in één map"  # the demo's tussendoel of goal 3

#: Which demo goals each login sees (DESIGN.md §6)
SEES = {
    FATIMA: {1, 2, 3, 4, 5}, SANDRA: {1, 2, 3, 4}, DAAN: {2}, ILSE: {3}, JORIS: {4},
    MARK: {1, 4}, RIET: {1, 4}, LISA: {1, 4, 5},
}
#: The demo's latest GAS level and weight per goal (samenplan/demo.py LADDERS), by hand
LATEST = {1: (0, 3), 2: (0, 2), 3: (-1, 2), 4: (1, 2), 5: (0, 1)}
#: The plan's T-score each login should read, worked out by hand:
#: Joris {4}: 50 + 10·2·1/√(0.7·4 + 0.3·4) = 60; Ilse {3}: 40; Daan {2}: 50;
#: Mark, Riet {1, 4}: 50 + 20/√(0.7·13 + 0.3·25) = 54.91 → 55;
#: Lisa {1, 4, 5}: 50 + 20/√(0.7·14 + 0.3·36) = 54.41 → 54; Fatima, Sandra: Σwx = 0 → 50
BY_HAND = {JORIS: 60, ILSE: 40, DAAN: 50, MARK: 55, RIET: 55, LISA: 54, FATIMA: 50, SANDRA: 50}

DAAN_WHY = "Sandra kwam drie keer achter elkaar, ook bij regen."
DAAN_HIGHER = "Dan belt ze zelf als ze een afspraak moet verzetten."


# --- helpers -------------------------------------------------------------------------------------
@pytest.fixture
def goal_app(app):
    app.config["LOGIN_RATE_LIMIT"] = "10000 per minute"  # several logins per test
    return app


def goal_id(app, title: str) -> int:
    from samenplan.goals.models import Goal

    with db_session(app) as session:
        ids = session.scalars(select(Goal.id).where(Goal.title == title)).all()
    assert len(ids) == 1, f"{len(ids)} goals titled {title!r}"
    return ids[0]


@pytest.fixture
def ids(goal_app):
    found = {n: goal_id(goal_app, title) for n, title in GOALS.items()}
    found["sub3"] = goal_id(goal_app, DEBTS_SUB_GOAL)
    return found


def goal_url(demo, gid: int, rest: str = "") -> str:
    return f"/gezin/{demo.family_id}/doelen/{gid}{rest}"


def count(app, model, **where) -> int:
    with db_session(app) as session:
        stmt = select(func.count()).select_from(model)
        for key, value in where.items():
            stmt = stmt.where(getattr(model, key) == value)
        return session.scalar(stmt)


def a_token(client, demo) -> str:
    """A CSRF token from a page the user may open (the plan)."""
    return csrf_token(page(client.get(f"/gezin/{demo.family_id}")))


def plan_t_score(html: str) -> int | None:
    match = re.search(r"De score van het plan is nu (-?\d+)\.", html)
    return int(match.group(1)) if match else None


def scaling_names(html: str) -> set[str]:
    """Respondents listed in the scaling answers of a goal page (lists, chart legends, tables)."""
    sections = dom(html).find_all("section", id="schaalvragen")
    names = set()
    for section in sections:
        for li in section.find_all("li"):
            for strong in li.find_all("strong"):
                names.add(strong.text())
        names.update(th.text() for th in section.find_all("th", scope="row"))
        names.update(title.text() for title in section.find_all("title"))
    return names


def crawl(client, family_id: int) -> dict[str, tuple[int, str]]:
    """The plan page and every goal page reachable from it by links (plain and htmx)."""
    wanted = re.compile(rf"^/gezin/{family_id}(/doelen/\d+)?$")
    queue, seen, found = [f"/gezin/{family_id}"], set(), {}
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        assert len(seen) < 200, "the crawl does not end"
        response = client.get(url)
        found[url] = (response.status_code, page(response))
        if response.status_code != 200:
            continue
        for node in dom(page(response)).iter():
            for attr in ("href", "hx-get"):
                target = node.attrs.get(attr)
                if target:
                    path = urlsplit(target).path
                    if wanted.match(path) and path not in seen:
                        queue.append(path)
    return found


def goal_ids_in(crawled: dict[str, tuple[int, str]]) -> set[int]:
    return {int(url.rsplit("/", 1)[1]) for url in crawled if "/doelen/" in url}


# --- Daan's answers on goal 2 ----------------------------------------------------------------------
@pytest.fixture
def daan_answered(goal_app, demo, ids):
    """Daan answers goal 2 with texts found nowhere else; returns his answers' ids."""
    from samenplan.goals.models import ScalingAnswer

    daan = as_user(goal_app, DAAN)
    url = goal_url(demo, ids[2])
    response = daan.post(goal_url(demo, ids[2], "/schaalvragen"), data={
        "csrf_token": csrf_token(page(daan.get(url))),
        # a professional answers voortgang only: motivation and confidence are the family's
        "voortgang-score": "6", "voortgang-waarom": DAAN_WHY, "voortgang-hoger": DAAN_HIGHER,
    })
    assert response.status_code == 302
    with db_session(goal_app) as session:
        answers = session.scalars(select(ScalingAnswer).where(
            ScalingAnswer.goal_id == ids[2],
            ScalingAnswer.author_participant_id == demo.participants[DAAN])).all()
        assert {(a.question, a.score) for a in answers} >= {("voortgang", 6)}
        # they take the goal's subjects and category (privacy_from), not copies
        assert all(a.privacy_from_id == ids[2] for a in answers)
        assert all((a.effective_category, [p.first_name for p in a.effective_subjects])
                   == ("gezondheid", ["Sandra"]) for a in answers)
        return [a.id for a in answers]


def leaks(crawled: dict[str, tuple[int, str]], goal2: int, family_id: int) -> list[str]:
    found = []
    for url, (status, html) in crawled.items():
        for needle in (DAAN_WHY, DAAN_HIGHER, GOALS[2], "Daan Visser een"):
            if needle in html:
                found.append(f"{url}: {needle!r}")
        if "Daan Visser" in scaling_names(html):
            found.append(f"{url}: Daan Visser among the scaling respondents")
        if url == f"/gezin/{family_id}/doelen/{goal2}" and status == 200:
            found.append(f"{url}: goal 2 opened")
    return found


@pytest.mark.parametrize("email, reachable", [
    (ILSE, {3, "sub3"}), (JORIS, {4}), (MARK, {1, 4}), (RIET, {1, 4}),
])
def test_daans_answers_on_goal_2_reach_nobody_who_may_not_see_it(
        goal_app, demo, ids, daan_answered, email, reachable):
    client = as_user(goal_app, email)
    crawled = crawl(client, demo.family_id)
    assert all(status == 200 for status, _html in crawled.values()), {
        u: s for u, (s, _h) in crawled.items() if s != 200}
    assert goal_ids_in(crawled) == {ids[n] for n in reachable}, "the crawl reached other goals"
    assert leaks(crawled, ids[2], demo.family_id) == []
    # nor by typing the address, as a page or as an htmx fragment
    assert client.get(goal_url(demo, ids[2])).status_code == 404
    assert client.get(goal_url(demo, ids[2]), headers={"HX-Request": "true"}).status_code == 404


def test_the_crawl_would_see_daans_answers_where_they_are_allowed(goal_app, demo, ids, daan_answered):
    """The check above has teeth: for Fatima and Sandra the same crawl finds them."""
    for email in (FATIMA, SANDRA):
        crawled = crawl(as_user(goal_app, email), demo.family_id)
        found = leaks(crawled, ids[2], demo.family_id)
        assert any(DAAN_WHY in leak for leak in found), email
        assert any("Daan Visser among the scaling respondents" in leak for leak in found), email
        assert f"/gezin/{demo.family_id}/doelen/{ids[2]}: goal 2 opened" in found, email


# --- Joris and goal 2 --------------------------------------------------------------------------------
def test_joris_cannot_open_or_post_to_goal_2(goal_app, demo, ids):
    from samenplan.goals.models import GasLevel, GasScore, Goal, GoalAgreement, ScalingAnswer

    joris = as_user(goal_app, JORIS)
    g2 = ids[2]
    assert joris.get(goal_url(demo, g2)).status_code == 404
    token = a_token(joris, demo)
    before = {m.__name__: count(goal_app, m, goal_id=g2)
              for m in (GasScore, ScalingAnswer, GoalAgreement, GasLevel)}
    posts = {
        "/schaalvragen": {"voortgang-score": "2", "voortgang-waarom": "Van horen zeggen"},
        "/gas": {"level": "2", "scored_on": date.today().isoformat()},
        "/ladder": {"level_m1": "x", "level_0": "y", "weight": "10"},
        "/akkoord": {"agrees": "nee", "reason": "Geen idee"},
        "/status": {"status": "gestopt"},
        "/tussendoelen": {"title": "Iets"},
        "/verplaats": {"richting": "omhoog"},
    }
    for rest, fields in posts.items():
        response = joris.post(goal_url(demo, g2, rest), data={"csrf_token": token, **fields})
        assert response.status_code == 404, f"POST {rest} -> {response.status_code}"
        assert GOALS[2] not in page(response)
    after = {m.__name__: count(goal_app, m, goal_id=g2)
             for m in (GasScore, ScalingAnswer, GoalAgreement, GasLevel)}
    assert after == before
    with db_session(goal_app) as session:
        goal = session.get(Goal, g2)
        assert (goal.status, goal.gas_weight, goal.priority) == ("actief", 2, 2)
        assert count(goal_app, Goal, parent_id=g2) == 0


def test_joris_cannot_post_to_any_goal_he_does_not_see(goal_app, demo, ids):
    from samenplan.goals.models import GasScore, ScalingAnswer

    joris = as_user(goal_app, JORIS)
    token = a_token(joris, demo)
    for key in (1, 2, 3, "sub3"):
        gid = ids[key]
        before = (count(goal_app, GasScore, goal_id=gid), count(goal_app, ScalingAnswer, goal_id=gid))
        assert joris.post(goal_url(demo, gid, "/schaalvragen"), data={
            "csrf_token": token, "voortgang-score": "5"}).status_code == 404, key
        assert joris.post(goal_url(demo, gid, "/gas"), data={
            "csrf_token": token, "level": "1", "scored_on": date.today().isoformat()}).status_code == 404, key
        after = (count(goal_app, GasScore, goal_id=gid), count(goal_app, ScalingAnswer, goal_id=gid))
        assert after == before, key
    # his own goal works (he is a professional who sees it)
    assert joris.post(goal_url(demo, ids[4], "/schaalvragen"), data={
        "csrf_token": token, "voortgang-score": "7"}).status_code == 302


# --- the plan's T-score is over the viewer's goals only -----------------------------------------------
@pytest.mark.parametrize("email", [JORIS, ILSE, DAAN, MARK, RIET, LISA, FATIMA, SANDRA])
def test_plan_t_score_is_computed_over_the_goals_the_viewer_sees(goal_app, demo, ids, email):
    client = as_user(goal_app, email)
    html = page(client.get(f"/gezin/{demo.family_id}"))
    shown_goals = {n for n, title in GOALS.items() if f">{title}</a>" in html}
    assert shown_goals == SEES[email]
    if email in (MARK, RIET, LISA, SANDRA):
        # the T-score is for professionals (DESIGN §2, §7): a family or network screen has none
        assert plan_t_score(html) is None and "T-score" not in html
        return
    visible = sorted(SEES[email])
    expected = t_score([LATEST[n][0] for n in visible], [LATEST[n][1] for n in visible])
    assert round(expected) == BY_HAND[email]
    assert plan_t_score(html) == BY_HAND[email], f"{email} reads {plan_t_score(html)}"


def test_joris_t_score_ignores_scores_of_goals_he_cannot_see(goal_app, demo, ids):
    """Fatima scores goals 1-3 far down today; Joris's plan score stays that of goal 4."""
    fatima = as_user(goal_app, FATIMA)
    for n in (1, 2, 3):
        gid = ids[n]
        response = fatima.post(goal_url(demo, gid, "/gas"), data={
            "csrf_token": csrf_token(page(fatima.get(goal_url(demo, gid)))),
            "level": "-2", "scored_on": date.today().isoformat()})
        assert response.status_code == 302
    joris = as_user(goal_app, JORIS)
    html = page(joris.get(f"/gezin/{demo.family_id}"))
    assert plan_t_score(html) == round(t_score([1], [2])) == 60
    fatima_score = plan_t_score(page(fatima.get(f"/gezin/{demo.family_id}")))
    assert fatima_score is not None and fatima_score < 50


# --- a network member ------------------------------------------------------------------------------
def test_riet_answers_scaling_questions_on_goal_1_but_cannot_score_gas(goal_app, demo, ids):
    from samenplan.goals.models import GasLevel, GasScore, Goal, ScalingAnswer

    riet = as_user(goal_app, RIET)
    g1 = ids[1]
    html = page(riet.get(goal_url(demo, g1)))
    assert f'action="{goal_url(demo, g1, "/gas")}' not in html, "no score form for oma"
    assert f'action="{goal_url(demo, g1, "/ladder")}' not in html, "no ladder form for oma"

    # oma answers voortgang; the family's confidence is not hers to give (DESIGN §2)
    response = riet.post(goal_url(demo, g1, "/schaalvragen"), data={
        "csrf_token": csrf_token(html), "voortgang-score": "8",
        "voortgang-waarom": "Noah slaapt nu om acht uur"})
    assert response.status_code == 302
    with db_session(goal_app) as session:
        mine = session.scalars(select(ScalingAnswer).where(
            ScalingAnswer.goal_id == g1, ScalingAnswer.author_participant_id == demo.participants[RIET],
            ScalingAnswer.answered_on == local_day(utcnow()))).all()
        assert sorted((a.question, a.score) for a in mine) == [("voortgang", 8)]
    after = page(riet.get(goal_url(demo, g1)))
    assert "Noah slaapt nu om acht uur" in after

    scores, levels = count(goal_app, GasScore, goal_id=g1), count(goal_app, GasLevel, goal_id=g1)
    token = csrf_token(after)
    gas = riet.post(goal_url(demo, g1, "/gas"), data={
        "csrf_token": token, "level": "2", "scored_on": date.today().isoformat()})
    assert gas.status_code in (403, 404)
    ladder = riet.post(goal_url(demo, g1, "/ladder"), data={
        "csrf_token": token, "level_m1": "x", "level_0": "y", "weight": "10"})
    assert ladder.status_code in (403, 404)
    assert count(goal_app, GasScore, goal_id=g1) == scores
    assert count(goal_app, GasLevel, goal_id=g1) == levels
    with db_session(goal_app) as session:
        assert session.get(Goal, g1).gas_weight == 3

    # and she cannot answer for goal 2, which she does not see
    assert riet.post(goal_url(demo, ids[2], "/schaalvragen"), data={
        "csrf_token": token, "voortgang-score": "8"}).status_code == 404


# --- revocation ------------------------------------------------------------------------------------
def test_after_sandra_revokes_ggz_daan_loses_goal_2_on_his_next_request(goal_app, demo, ids):
    from samenplan.orgs.models import Organisation
    from samenplan.goals.models import ScalingAnswer
    from samenplan.privacy.models import Consent

    daan = as_user(goal_app, DAAN)
    g2 = goal_url(demo, ids[2])
    html = page(daan.get(g2))
    assert "Sandra Jansen" in scaling_names(html)
    assert plan_t_score(page(daan.get(f"/gezin/{demo.family_id}"))) == 50
    token = csrf_token(html)

    with db_session(goal_app) as session:
        consent_id = session.scalar(
            select(Consent.id).join(Organisation, Organisation.id == Consent.grantee_organisation_id)
            .where(Organisation.name == "GGZ Kompas"))
    sandra = as_user(goal_app, SANDRA)
    consent_page = page(sandra.get(f"/gezin/{demo.family_id}/toestemming"))
    card = dom(consent_page).find("li", id=f"toestemming-{consent_id}")
    revoked = post_form(sandra, *confirm_revoke(sandra, card))
    assert revoked.status_code == 302

    before = count(goal_app, ScalingAnswer, goal_id=ids[2])
    assert daan.get(g2).status_code == 404
    assert daan.post(goal_url(demo, ids[2], "/schaalvragen"), data={
        "csrf_token": token, "voortgang-score": "5"}).status_code == 404
    assert count(goal_app, ScalingAnswer, goal_id=ids[2]) == before
    plan = page(daan.get(f"/gezin/{demo.family_id}"))
    assert GOALS[2] not in plan
    assert plan_t_score(plan) is None, "no score from goals he no longer sees"


# --- a goal's measurements and sub-goals follow the goal when its privacy narrows ----------------
def _edit_goal(client, demo, gid: int, **changes):
    """Submit the goal's edit form as a browser would, with some fields changed."""
    edit_url = goal_url(demo, gid, "/bewerken")
    root = dom(page(client.get(edit_url)))
    form = [f for f in root.find_all("form", method="post")
            if f.attrs.get("action", "").split("#")[0] == edit_url][0]
    data: dict[str, list[str]] = {}
    for node in form.iter():
        name = node.attrs.get("name")
        if not name:
            continue
        if node.tag == "input":
            kind = node.attrs.get("type", "text")
            if kind in ("submit", "button") or (kind in ("checkbox", "radio") and "checked" not in node.attrs):
                continue
            data.setdefault(name, []).append(node.attrs.get("value") or "")
        elif node.tag == "select":
            chosen = [o for o in node.find_all("option") if "selected" in o.attrs]
            if chosen:
                data.setdefault(name, []).append(chosen[0].attrs.get("value") or "")
        elif node.tag == "textarea":
            data.setdefault(name, []).append(node.text())
    data.update({k: [v] if isinstance(v, str) else v for k, v in changes.items()})
    response = client.post(edit_url, data=data)
    assert response.status_code == 302, page(response)[:3000]


def test_when_a_goal_narrows_its_tussendoelen_narrow_too(goal_app, demo, ids):
    fatima = as_user(goal_app, FATIMA)
    g1 = ids[1]
    title = "Na het eten gaan de schermen uit"
    response = fatima.post(goal_url(demo, g1, "/tussendoelen"), data={
        "csrf_token": csrf_token(page(fatima.get(goal_url(demo, g1)))), "title": title})
    assert response.status_code == 302
    sub = goal_id(goal_app, title)
    riet = as_user(goal_app, RIET)
    assert riet.get(goal_url(demo, sub)).status_code == 200

    # the family decides goal 1 is about safety: oma (algemeen only) no longer sees it
    _edit_goal(fatima, demo, g1, category="veiligheid")
    assert riet.get(goal_url(demo, g1)).status_code == 404
    response = riet.get(goal_url(demo, sub))
    assert response.status_code == 404, (
        "oma still opens the tussendoel of a goal she may no longer see")


def test_when_a_goal_narrows_its_gas_scores_and_answers_narrow_too(goal_app, demo, ids):
    from samenplan import db
    from samenplan.auth.models import User
    from samenplan.goals.models import GasScore, ScalingAnswer
    from samenplan.privacy.access import access_for

    fatima = as_user(goal_app, FATIMA)
    _edit_goal(fatima, demo, ids[4], category="gezondheid")  # school attendance, for health reasons
    joris = as_user(goal_app, JORIS)
    assert joris.get(goal_url(demo, ids[4])).status_code == 404
    assert plan_t_score(page(joris.get(f"/gezin/{demo.family_id}"))) is None

    with goal_app.test_request_context():
        session = db.session()
        user = session.scalar(select(User).where(User.email == JORIS))
        access = access_for(session, user, demo.family_id)
        # what Joris wrote himself he may always read (DESIGN.md §3, rule 2); everything else
        # about goal 4 must now be out of his reach
        still_visible = [
            (type(r).__name__, r.id, r.category)
            for model in (GasScore, ScalingAnswer)
            for r in session.scalars(access.select_visible(model).where(model.goal_id == ids[4]))
            if r.author_participant_id != access.participant.id
        ]
        own = session.scalars(access.select_visible(ScalingAnswer).where(
            ScalingAnswer.goal_id == ids[4])).all()
        assert all(r.effective_category == "gezondheid" for r in own), "his own answers moved along too"
    assert still_visible == [], (
        "the scores and answers of goal 4 keep its old category and stay visible to Joris "
        f"by the privacy filter: {still_visible[:4]}…")
