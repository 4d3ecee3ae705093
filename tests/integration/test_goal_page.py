"""The goal page (issue 4) through the real screens, without JavaScript: the SMART and MAGIE
letters with their Dutch hints, a goal built from an example into a SMART goal with a GAS
ladder, the plan's T-score, agreement, the status lifecycle, priority, sub-goals, scaling
questions with trends and gaps, and the goal limit as a nudge.

Expected numbers are computed here, from the database and `samenplan.domain.gas.t_score`,
never read back from the code under test.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from babel.dates import format_date
from sqlalchemy import func, select

from samenplan.db import utcnow
from samenplan.domain.ages import local_day
from samenplan.domain.examples import EXAMPLE_GOALS, search_examples
from samenplan.domain.gas import t_score
from tests.support.clients import as_user, csrf_token, db_session, page
from tests.support.goals import create_goal
from tests.support.html import dom, form_values
from tests.support.pages import form_version
from tests.support.people import DAAN, FATIMA, LISA, SANDRA

GOALS = {  # DESIGN.md §6, by number (the demo fixture keys by priority, which sub-goals share)
    1: "We hebben elke avond rust in huis",
    2: "Ik ga elke week naar mijn afspraak bij de GGZ",
    3: "We hebben overzicht over onze schulden en betalen de huur op tijd",
    4: "Lisa gaat elke schooldag naar school",
    5: "Ik praat elke week met de jeugdarts over hoe het met me gaat",
}
SCHOOL_EXAMPLE = "De kinderen zijn elke schooldag op tijd op school."

# Dutch hints of samenplan/domain/goals.py, as the user reads them
HINT_DATES = "Kies een startdatum en een einddatum."
HINT_MEASURABLE = "Schrijf op hoe jullie zien dat het beter gaat"
HINT_ACCEPTABLE = "Vraag het gezin of zij het eens zijn met dit doel."
HINT_COMMUNICATED = "Laat het doel aan het gezin zien en bespreek het samen."
HINT_DETAIL = "Schrijf erbij wat er precies anders moet zijn, of maak tussendoelen."
HINT_REALISTIC = "Bespreek samen of dit doel haalbaar is."
HINT_OWNER = "Kies wie dit doel trekt."
HINT_ACTION = "Spreek minstens één actie af"
# the service says "… van de ladder.", the page's hint "… Dan kunt u een score geven."
LADDER_FIRST = "Beschrijf eerst niveau −1 en 0"
FINAL_STATUS = "Deze stap kan niet. Een behaald of gestopt doel blijft zo"


# --- helpers -------------------------------------------------------------------------------------
@pytest.fixture
def goal_app(app):
    app.config["LOGIN_RATE_LIMIT"] = "10000 per minute"  # several logins per test
    return app


@pytest.fixture
def fatima(goal_app):
    return as_user(goal_app, FATIMA)


def goal_id(app, title: str) -> int:
    from samenplan.goals.models import Goal

    with db_session(app) as session:
        ids = session.scalars(select(Goal.id).where(Goal.title == title)).all()
    assert len(ids) == 1, f"{len(ids)} goals titled {title!r}"
    return ids[0]


def goal_url(demo, gid: int, rest: str = "") -> str:
    return f"/gezin/{demo.family_id}/doelen/{gid}{rest}"


def post_on_page(client, page_url: str, action: str, **fields):
    """Open `page_url`, take the CSRF token (and the version the form was loaded at, when the
    page has that form), post `fields` to `action`."""
    html = page(client.get(page_url))
    data = {"csrf_token": csrf_token(html)}
    form = re.search(rf'<form[^>]*action="{re.escape(action)}(#[\w-]*)?"(.*?)</form>', html, re.S)
    if form:
        version = re.search(r'name="version"[^>]*value="(\d+)"', form.group(0))
        if version:
            data["version"] = version.group(1)
    return client.post(action, data={**data, **fields})


def post_status(client, demo, gid: int, status: str, reason: str = "Dat hebben we samen besproken."):
    """Change a goal's status through the form on its page (with its version and a reason)."""
    url, status_url = goal_url(demo, gid), goal_url(demo, gid, "/status")
    html = page(client.get(url))
    if f'action="{status_url}"' in html:
        values = form_values(html, status_url)
    else:  # no status step offered (a final status): post it anyway, as a forged form would
        edit = page(client.get(goal_url(demo, gid, "/bewerken")))
        values = {"csrf_token": [csrf_token(html)], "version": [form_version(edit)]}
    values.update(status=[status], reason=[reason])
    return client.post(status_url, data=values)


def checks(html: str) -> dict[str, list[tuple[str, str, bool, str]]]:
    """{"SMART": [(letter, name, ok, text)], "MAGIE": [...]} from the check card."""
    section = dom(html).find("section", id="check")
    found: dict[str, list] = {}
    current = None
    for node in section.iter():
        if node.tag == "h3":
            current = node.text()
            found[current] = []
        elif node.tag == "li" and current:
            letter = node.find("span", class_="letter").text()
            name = node.find("strong").text()
            text = node.text()
            found[current].append((letter, name, "ok" in node.classes(), text))
    return found


def letters(html: str, kind: str) -> dict[str, tuple[bool, str]]:
    return {letter: (ok, text) for letter, _name, ok, text in checks(html)[kind]}


def scaling(html: str) -> dict[str, dict]:
    """Per question label: {"latest": {name: (score, trend)}, "gaps": [text]}."""
    section = dom(html).find("section", id="schaalvragen")
    in_form = {id(n) for form in section.find_all("form") for n in form.iter()}
    found: dict[str, dict] = {}
    current = None
    for node in section.iter():
        if id(node) in in_form:  # the answers so far, not the form to answer in
            continue
        if node.tag == "h3":
            current = node.text()
            found[current] = {"latest": {}, "gaps": []}
        elif current and node.tag == "p" and "warning" in node.classes():
            found[current]["gaps"].append(node.text())
        elif current and node.tag == "ul" and "scaling-latest" in node.classes():
            for li in node.find_all("li"):
                name = li.find("strong").text()
                score = int(re.search(rf"{re.escape(name)}\s*:\s*(\d+)", li.text()).group(1))
                spans = [s for s in li.find_all("span") if "trend" in s.classes()]
                trend = next(c.removeprefix("trend-") for c in spans[0].classes() if c.startswith("trend-"))
                found[current]["latest"][name] = (score, trend, li.text())
    return found


def plan_t_score(html: str) -> int | None:
    match = re.search(r"De score van het plan is nu (-?\d+)\.", html)
    return int(match.group(1)) if match else None


def expected_t_score(app, goal_ids: list[int]) -> float:
    """Kiresuk-Sherman over the latest level of each of these goals that has been scored."""
    from samenplan.goals.models import GasScore, Goal

    levels, weights = [], []
    with db_session(app) as session:
        for gid in goal_ids:
            goal = session.get(Goal, gid)
            latest = session.scalars(
                select(GasScore).where(GasScore.goal_id == gid)
                .order_by(GasScore.scored_on.desc(), GasScore.id.desc())
            ).first()
            if latest is not None:
                levels.append(latest.level)
                weights.append(goal.gas_weight)
    return t_score(levels, weights)


def top_level_goal_ids(app) -> list[int]:
    from samenplan.goals.models import Goal

    with db_session(app) as session:
        return list(session.scalars(select(Goal.id).where(Goal.parent_id.is_(None))))


def plan_titles(html: str) -> list[str]:
    """Goal titles on the plan page, in the order shown."""
    return [a.text() for h3 in dom(html).find_all("h3") if (h3.attrs.get("id") or "").endswith("-titel")
            for a in h3.find_all("a")]


def count(app, model, **where) -> int:
    with db_session(app) as session:
        stmt = select(func.count()).select_from(model)
        for key, value in where.items():
            stmt = stmt.where(getattr(model, key) == value)
        return session.scalar(stmt)


def nl_day(moment) -> str:
    return format_date(local_day(moment), "d MMM yyyy", locale="nl")


# --- SMART and MAGIE ------------------------------------------------------------------------------
def test_goal_page_shows_every_smart_and_magie_letter(goal_app, fatima, demo):
    gid = goal_id(goal_app, GOALS[1])
    response = fatima.get(goal_url(demo, gid))
    assert response.status_code == 200
    html = page(response)
    found = checks(html)
    assert [c[0] for c in found["SMART"]] == list("SMART")
    assert [c[0] for c in found["MAGIE"]] == list("MAGIE")
    assert [c[1] for c in found["SMART"]] == [
        "Specifiek", "Meetbaar", "Acceptabel", "Realistisch", "Tijdgebonden"]
    assert [c[1] for c in found["MAGIE"]] == [
        "Meetbaar", "Acceptabel", "Gecommuniceerd", "Inspirerend", "Engagerend"]
    # the demo goal: ladder, agreement, dates, owner, actions are there; no description yet
    smart = letters(html, "SMART")
    assert not smart["S"][0] and HINT_DETAIL in smart["S"][1]
    for letter in "MART":
        assert smart[letter][0] and "in orde" in smart[letter][1], (letter, smart[letter])
    assert all(ok for ok, _text in letters(html, "MAGIE").values())


def test_a_bare_goal_shows_a_dutch_hint_for_each_missing_letter(goal_app, fatima, demo):
    gid = create_goal(fatima, demo, "Ik sport twee keer per week met een vriend")
    html = page(fatima.get(goal_url(demo, gid)))
    smart, magie = letters(html, "SMART"), letters(html, "MAGIE")
    assert not smart["S"][0] and HINT_DETAIL in smart["S"][1]
    assert not smart["M"][0] and HINT_MEASURABLE in smart["M"][1]
    assert not smart["A"][0] and HINT_ACCEPTABLE in smart["A"][1]
    assert not smart["R"][0] and HINT_REALISTIC in smart["R"][1]
    assert not smart["T"][0] and HINT_DATES in smart["T"][1]
    assert not magie["M"][0] and HINT_MEASURABLE in magie["M"][1]
    assert not magie["A"][0] and HINT_ACCEPTABLE in magie["A"][1]
    assert not magie["G"][0] and HINT_COMMUNICATED in magie["G"][1]
    assert magie["I"][0], "a positively phrased goal is inspirerend"
    assert not magie["E"][0] and HINT_OWNER in magie["E"][1] and HINT_ACTION in magie["E"][1]

    negative = create_goal(fatima, demo, "Ik drink geen alcohol meer als de kinderen thuis zijn")
    magie = letters(page(fatima.get(goal_url(demo, negative))), "MAGIE")
    assert not magie["I"][0] and "wél" in magie["I"][1]


def test_a_family_member_reads_the_advice_in_plain_words_without_letters(goal_app, fatima, demo):
    """DESIGN §7: professionals see the SMART and MAGIE letters; a family sees what to add."""
    gid = create_goal(fatima, demo, "Ik sport twee keer per week met een vriend")
    html = page(as_user(goal_app, SANDRA).get(goal_url(demo, gid)))
    card = dom(html).find(id="check").text()
    for jargon in ("SMART", "MAGIE", "Specifiek", "Tijdgebonden", "Engagerend"):
        assert jargon not in card, jargon
    for hint in (HINT_DATES, HINT_OWNER, HINT_MEASURABLE):
        assert card.count(hint) == 1, hint  # the same advice of two letters said once
    assert checks(page(fatima.get(goal_url(demo, gid))))["SMART"], "Fatima keeps her letters"


# --- from an example to a SMART goal ---------------------------------------------------------------
def test_example_search_lists_only_matching_examples(goal_app, fatima, demo):
    f = demo.family_id
    expected = [e.text for e in search_examples("school")]
    assert SCHOOL_EXAMPLE in expected and len(expected) < len(EXAMPLE_GOALS)
    for url in (f"/gezin/{f}/doelen/nieuw?q=school", f"/gezin/{f}/doelen/voorbeelden?q=school"):
        response = fatima.get(url)
        assert response.status_code == 200, url
        listing = dom(page(response)).find("div", id="voorbeelden-lijst")
        shown = [li.find("span").text() for li in listing.find_all("li")]
        assert shown == expected, url
        assert f"{len(expected)} voorbeelden" in listing.text()
    nothing = dom(page(fatima.get(f"/gezin/{f}/doelen/voorbeelden?q=xyzzyx"))).find("div", id="voorbeelden-lijst")
    assert "Geen voorbeelden gevonden" in nothing.text()


def test_using_an_example_prefills_the_title_to_be_edited(goal_app, fatima, demo):
    f = demo.family_id
    html = page(fatima.get(f"/gezin/{f}/doelen/nieuw?q=school"))
    links = [a for a in dom(html).find_all("a") if a.text().startswith("Gebruik dit voorbeeld")
             and SCHOOL_EXAMPLE in a.text()]
    assert len(links) == 1
    href = links[0].attrs["href"].split("#")[0]
    assert urlsplit(href).path == f"/gezin/{f}/doelen/nieuw"
    form = page(fatima.get(href))
    assert dom(form).find("input", name="title").attrs["value"] == SCHOOL_EXAMPLE
    values = form_values(form, f"/gezin/{f}/doelen/nieuw")
    assert values["life_domain"] == ["scholing"]
    # any text may be a starting point: it is copied, never linked
    free = page(fatima.get(f"/gezin/{f}/doelen/nieuw", query_string={"voorbeeld": "Wij fietsen samen"}))
    assert dom(free).find("input", name="title").attrs["value"] == "Wij fietsen samen"


def test_fatima_builds_a_smart_goal_from_an_example_and_sandra_agrees(goal_app, fatima, demo):
    from samenplan.goals.models import Goal, GasScore

    f = demo.family_id
    html = page(fatima.get(f"/gezin/{f}/doelen/nieuw", query_string={"voorbeeld": SCHOOL_EXAMPLE}))
    values = form_values(html, f"/gezin/{f}/doelen/nieuw")
    assert values["title"] == [SCHOOL_EXAMPLE]
    values.update(
        title=["Lisa en Noah zijn elke schooldag om half negen op school"],
        subjects=[str(demo.persons["Lisa"]), str(demo.persons["Noah"])], category=["algemeen"],
    )
    response = fatima.post(f"/gezin/{f}/doelen/nieuw", data=values)
    assert response.status_code == 302
    gid = int(re.search(r"#doel-(\d+)$", response.headers["Location"]).group(1))
    url = goal_url(demo, gid)

    html = page(fatima.get(url))
    smart = letters(html, "SMART")
    assert not smart["M"][0] and not smart["T"][0] and not smart["A"][0]

    # a score is refused until −1 and 0 are described: Dutch message, 422, nothing saved
    html = page(fatima.get(url))
    refused = fatima.post(goal_url(demo, gid, "/gas"), data={
        "csrf_token": csrf_token(html), "level": "0", "scored_on": date.today().isoformat()})
    assert refused.status_code == 422
    assert LADDER_FIRST in page(refused)
    assert count(goal_app, GasScore, goal_id=gid) == 0

    # the ladder, with baseline and weight and how we see it works
    ladder = {
        "level_p2": "Elke schooldag op tijd, en ze gaan er graag heen",
        "level_p1": "Elke schooldag om half negen op school",
        "level_0": "Vier van de vijf dagen op tijd",
        "level_m1": "Twee of drie dagen op tijd",
        "level_m2": "Bijna nooit op tijd",
        "baseline": "-1", "weight": "4",
        "indicator": "Het aantal schooldagen per week dat Lisa en Noah op tijd zijn.",
    }
    saved = post_on_page(fatima, url, goal_url(demo, gid, "/ladder"), **ladder)
    assert saved.status_code == 302
    with db_session(goal_app) as session:
        goal = session.get(Goal, gid)
        assert {g.level: g.description for g in goal.gas_levels} == {
            2: ladder["level_p2"], 1: ladder["level_p1"], 0: ladder["level_0"],
            -1: ladder["level_m1"], -2: ladder["level_m2"]}
        assert (goal.gas_baseline, goal.gas_weight) == (-1, 4)
        assert goal.indicator == ladder["indicator"]

    # dates, owner and a description through the edit form (as a browser would send it)
    edit_url = goal_url(demo, gid, "/bewerken")
    values = form_values(page(fatima.get(edit_url)), edit_url)
    start, end = date.today() - timedelta(days=7), date.today() + timedelta(days=90)
    values.update(
        description=["Ze staan om half acht op en vertrekken om acht uur."],
        owner=[str(demo.participants[SANDRA])],
        start_date=[start.isoformat()], end_date=[end.isoformat()],
    )
    assert fatima.post(edit_url, data=values).status_code == 302
    # and an action with someone who does it (realistisch)
    plan_html = page(fatima.get(f"/gezin/{f}"))
    action = fatima.post(goal_url(demo, gid, "/acties"), data={
        "csrf_token": csrf_token(plan_html), "what": "Wekker zetten om half acht",
        "assignee": str(demo.participants[SANDRA]), "due_date": end.isoformat()})
    assert action.status_code == 302

    html = page(fatima.get(url))
    smart = letters(html, "SMART")
    assert [smart[x][0] for x in "SMART"] == [True, True, False, True, True]
    assert HINT_ACCEPTABLE in smart["A"][1]
    magie = letters(html, "MAGIE")
    assert not magie["G"][0], "nobody of the family has seen it yet"

    # Sandra agrees on her phone
    sandra = as_user(goal_app, SANDRA)
    agreed = post_on_page(sandra, url, goal_url(demo, gid, "/akkoord"), agrees="ja", reason="")
    assert agreed.status_code == 302
    html = page(fatima.get(url))
    assert all(ok for ok, _t in letters(html, "SMART").values()), letters(html, "SMART")
    assert all(ok for ok, _t in letters(html, "MAGIE").values()), letters(html, "MAGIE")
    agreement = dom(html).find("section", id="akkoord").text()
    assert re.search(r"Akkoord: Sandra Jansen\b", agreement)

    # now it can be scored
    scored = post_on_page(fatima, url, goal_url(demo, gid, "/gas"),
                          level="1", scored_on=date.today().isoformat(), note="Deze week goed")
    assert scored.status_code == 302
    with db_session(goal_app) as session:
        scores = session.scalars(select(GasScore).where(GasScore.goal_id == gid)).all()
        assert [(s.level, s.scored_on, s.note) for s in scores] == [(1, date.today(), "Deze week goed")]
    html = page(fatima.get(url))
    assert "Deze week goed" in dom(html).find("section", id="ladder").text()


def test_gas_needs_both_minus_one_and_zero(goal_app, fatima, demo):
    from samenplan.goals.models import GasScore

    gid = create_goal(fatima, demo, "Ik sport twee keer per week met een vriend")
    url = goal_url(demo, gid)
    html = page(fatima.get(url))
    assert "Beschrijf eerst niveau −1 en 0. Dan kun je een score geven." in html
    assert f'action="{goal_url(demo, gid, "/gas")}' not in html, "no score form yet"

    # only −1: still refused
    assert post_on_page(fatima, url, goal_url(demo, gid, "/ladder"),
                        level_m1="Ik sport nooit", weight="2", baseline="").status_code == 302
    response = post_on_page(fatima, url, goal_url(demo, gid, "/gas"),
                            level="-1", scored_on=date.today().isoformat())
    assert response.status_code == 422 and LADDER_FIRST in page(response)
    assert count(goal_app, GasScore, goal_id=gid) == 0

    # whitespace does not describe a level
    assert post_on_page(fatima, url, goal_url(demo, gid, "/ladder"),
                        level_m1="Ik sport nooit", level_0="   ", weight="2").status_code == 302
    response = post_on_page(fatima, url, goal_url(demo, gid, "/gas"),
                            level="-1", scored_on=date.today().isoformat())
    assert response.status_code == 422 and LADDER_FIRST in page(response)
    assert count(goal_app, GasScore, goal_id=gid) == 0

    # −1 and 0: accepted
    assert post_on_page(fatima, url, goal_url(demo, gid, "/ladder"), level_m1="Ik sport nooit",
                        level_0="Ik sport één keer per week", weight="2").status_code == 302
    response = post_on_page(fatima, url, goal_url(demo, gid, "/gas"),
                            level="-1", scored_on=date.today().isoformat())
    assert response.status_code == 302
    assert count(goal_app, GasScore, goal_id=gid) == 1


def test_ladder_weight_outside_one_to_ten_is_refused(goal_app, fatima, demo):
    from samenplan.goals.models import Goal

    gid = goal_id(goal_app, GOALS[4])
    url = goal_url(demo, gid)
    for weight in ("0", "11", "veel"):
        response = post_on_page(fatima, url, goal_url(demo, gid, "/ladder"), level_m1="a",
                                level_0="b", weight=weight)
        assert response.status_code == 422, weight
        assert "Kies een getal van 1 tot en met 10." in page(response), weight
        assert "Not a valid" not in page(response), f"English error for weight {weight!r}"
    with db_session(goal_app) as session:
        goal = session.get(Goal, gid)
        assert goal.gas_weight == 2
        assert {g.level: g.description for g in goal.gas_levels}[0] == GOALS[4]  # the goal itself


# --- the plan's T-score -------------------------------------------------------------------------
def test_plan_t_score_of_the_demo(goal_app, fatima, demo):
    html = page(fatima.get(f"/gezin/{demo.family_id}"))
    shown = plan_t_score(html)
    expected = expected_t_score(goal_app, top_level_goal_ids(goal_app))
    # by hand: levels 0, 0, −1, +1, 0 with weights 3, 2, 2, 2, 1 → Σwx = 0 → exactly 50
    assert expected == pytest.approx(50.0)
    assert shown == round(expected)


def test_plan_t_score_counts_the_latest_level_of_every_goal(goal_app, fatima, demo):
    """A goal scored today must not make the others drop out of the plan's score."""
    gid = create_goal(fatima, demo, "Ik sport twee keer per week met een vriend")
    url = goal_url(demo, gid)
    assert post_on_page(fatima, url, goal_url(demo, gid, "/ladder"), level_m1="Ik sport nooit",
                        level_0="Ik sport één keer per week", weight="4").status_code == 302
    assert post_on_page(fatima, url, goal_url(demo, gid, "/gas"), level="1",
                        scored_on=date.today().isoformat()).status_code == 302

    expected = expected_t_score(goal_app, top_level_goal_ids(goal_app))
    # by hand: levels 0, 0, −1, +1, 0, +1; weights 3, 2, 2, 2, 1, 4 → 50 + 40/√85.4 ≈ 54.33
    assert expected == pytest.approx(54.328, abs=0.001)
    shown = plan_t_score(page(fatima.get(f"/gezin/{demo.family_id}")))
    assert shown == round(expected), (
        f"the plan says {shown}; over the latest level of every visible goal it is "
        f"{expected:.2f} (only today's goal would give {t_score([1], [4]):.0f})"
    )


# --- agreement ------------------------------------------------------------------------------------
def test_sandra_agrees_or_disagrees_with_a_reason(goal_app, fatima, demo):
    from samenplan.goals.models import GoalAgreement

    gid = create_goal(fatima, demo, "Ik ga elke dinsdag naar de sportschool")
    url = goal_url(demo, gid)
    html = page(fatima.get(url))
    assert "Nog niemand heeft gezegd of hij het eens is." in html

    sandra = as_user(goal_app, SANDRA)
    assert post_on_page(sandra, url, goal_url(demo, gid, "/akkoord"), agrees="ja").status_code == 302
    section = dom(page(fatima.get(url))).find("section", id="akkoord").text()
    assert "Akkoord: Sandra Jansen" in section and "Niet akkoord" not in section.replace(
        "Nee, niet akkoord", "")

    # "niet akkoord" without a reason: refused, Dutch message, her akkoord stays
    refused = post_on_page(sandra, url, goal_url(demo, gid, "/akkoord"), agrees="nee", reason="  ")
    assert refused.status_code == 422
    assert "Schrijf op waarom je het er niet mee eens bent." in page(refused)
    with db_session(goal_app) as session:
        votes = session.scalars(select(GoalAgreement).where(GoalAgreement.goal_id == gid)).all()
        assert [(v.participant_id, v.agrees) for v in votes] == [(demo.participants[SANDRA], True)]

    # with a reason it is saved, and shown with the reason
    reason = "Dinsdag moet ik werken, woensdag kan wel."
    assert post_on_page(sandra, url, goal_url(demo, gid, "/akkoord"),
                        agrees="nee", reason=reason).status_code == 302
    html = page(fatima.get(url))
    section = dom(html).find("section", id="akkoord")
    disagreed = [li.text() for li in section.find_all("li")]
    assert disagreed == [f"Sandra Jansen: “{reason}”"]
    assert not letters(html, "SMART")["A"][0]


# --- status lifecycle -------------------------------------------------------------------------------
def test_status_lifecycle_is_dated_attributed_and_behaald_is_final(goal_app, fatima, demo):
    from samenplan.goals.models import Goal, GoalStatusChange

    gid = create_goal(fatima, demo, "Ik ga elke dinsdag naar de sportschool")
    url = goal_url(demo, gid)
    status_url = goal_url(demo, gid, "/status")
    for new in ("gepauzeerd", "actief", "behaald"):
        response = post_status(fatima, demo, gid, new)
        assert response.status_code == 302, new
        with db_session(goal_app) as session:
            assert session.get(Goal, gid).status == new

    # behaald is final: refused with a message, nothing changes
    refused = post_status(fatima, demo, gid, "actief")
    html = page(fatima.get(refused.headers["Location"])) if refused.status_code == 302 else page(refused)
    assert FINAL_STATUS in html
    # also through the edit form
    edit_url = goal_url(demo, gid, "/bewerken")
    values = form_values(page(fatima.get(edit_url)), edit_url)
    values["status"] = ["actief"]
    values["status_reason"] = ["Toch weer verder"]
    response = fatima.post(edit_url, data=values)
    assert response.status_code == 422 and FINAL_STATUS in page(response)

    with db_session(goal_app) as session:
        assert session.get(Goal, gid).status == "behaald"
        changes = session.scalars(select(GoalStatusChange).where(GoalStatusChange.goal_id == gid)
                                  .order_by(GoalStatusChange.id)).all()
        history = [(c.old_status, c.new_status, c.changed_by.name, nl_day(c.changed_at)) for c in changes]
    assert [(old, new, who) for old, new, who, _d in history] == [
        (None, "actief", "Fatima El Amrani"), ("actief", "gepauzeerd", "Fatima El Amrani"),
        ("gepauzeerd", "actief", "Fatima El Amrani"), ("actief", "behaald", "Fatima El Amrani")]

    html = page(fatima.get(url))
    history_box = [d for d in dom(html).find_all("details")
                   if d.find("summary").text() == "Geschiedenis van de status"]
    assert len(history_box) == 1
    listed = [li.text() for li in history_box[0].find_all("li")]
    labels = {"actief": "Actief", "gepauzeerd": "Gepauzeerd", "behaald": "Behaald"}
    assert listed == [f"{day}: {labels[new]} ({who})" for _o, new, who, day in history]
    # the page no longer offers a status change
    assert f'action="{status_url}"' not in html


def test_a_paused_goal_can_be_stopped_but_not_reached(goal_app, fatima, demo):
    from samenplan.goals.models import Goal

    gid = create_goal(fatima, demo, "Ik ga elke dinsdag naar de sportschool")
    url, status_url = goal_url(demo, gid), goal_url(demo, gid, "/status")
    assert post_status(fatima, demo, gid, "gepauzeerd").status_code == 302
    response = post_status(fatima, demo, gid, "behaald")
    assert FINAL_STATUS in page(fatima.get(response.headers["Location"]))
    assert post_status(fatima, demo, gid, "gestopt").status_code == 302
    with db_session(goal_app) as session:
        assert session.get(Goal, gid).status == "gestopt"


# --- priority -------------------------------------------------------------------------------------
def test_up_and_down_buttons_reorder_the_plan_without_javascript(goal_app, fatima, demo):
    f = demo.family_id
    ids = {n: goal_id(goal_app, GOALS[n]) for n in GOALS}
    assert plan_titles(page(fatima.get(f"/gezin/{f}"))) == [GOALS[n] for n in (1, 2, 3, 4, 5)]

    def move(n: int, direction: str):
        plan = page(fatima.get(f"/gezin/{f}"))
        action = f"/gezin/{f}/doelen/{ids[n]}/verplaats"
        assert form_values(plan, action)["csrf_token"]
        response = fatima.post(action, data={"csrf_token": csrf_token(plan), "richting": direction})
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/gezin/{f}#doel-{ids[n]}")
        return plan_titles(page(fatima.get(f"/gezin/{f}")))

    def titles(*order):
        return [GOALS[n] for n in order]

    assert move(3, "omhoog") == titles(1, 3, 2, 4, 5)
    assert move(1, "omlaag") == titles(3, 1, 2, 4, 5)
    assert move(3, "omhoog") == titles(3, 1, 2, 4, 5), "top stays top"
    assert move(5, "omlaag") == titles(3, 1, 2, 4, 5), "bottom stays bottom"
    assert move(4, "omhoog") == titles(3, 1, 4, 2, 5)


# --- sub-goals ------------------------------------------------------------------------------------
def test_tussendoel_under_a_goal_and_werkpunt_under_a_tussendoel(goal_app, fatima, demo):
    from samenplan.goals.models import Goal

    parent = goal_id(goal_app, GOALS[1])
    url = goal_url(demo, parent)
    assert "<h2 id=\"sub-kop\">Tussendoelen</h2>" in page(fatima.get(url))
    empty = post_on_page(fatima, url, goal_url(demo, parent, "/tussendoelen"), title="  ")
    assert empty.status_code == 422 and "Schrijf het tussendoel op." in page(empty)

    title = "Na het eten gaan de schermen uit"
    response = post_on_page(fatima, url, goal_url(demo, parent, "/tussendoelen"), title=title)
    assert response.status_code == 302
    sub = goal_id(goal_app, title)
    with db_session(goal_app) as session:
        child = session.get(Goal, sub)
        assert (child.level, child.parent_id, child.effective_category) == ("tussendoel", parent, "algemeen")
        assert child.privacy_from_id == parent  # it takes the goal's privacy, not a copy
        assert sorted(p.first_name for p in child.effective_subjects) == ["Lisa", "Noah", "Sandra"]
    listing = dom(page(fatima.get(url))).find("section", id="tussendoelen")
    assert title in [a.text() for a in listing.find_all("a")]
    # a tussendoel is not a goal card of its own on the plan
    assert title not in plan_titles(page(fatima.get(f"/gezin/{demo.family_id}")))

    sub_url = goal_url(demo, sub)
    sub_page = page(fatima.get(sub_url))
    assert "Tussendoel" in dom(sub_page).find("p", class_="meta").text()
    assert f"Hoort bij: {GOALS[1]}" in dom(sub_page).text()
    assert "<h2 id=\"sub-kop\">Werkpunten</h2>" in sub_page
    work = "Om zeven uur leggen we de telefoons in de la"
    assert post_on_page(fatima, sub_url, goal_url(demo, sub, "/tussendoelen"), title=work).status_code == 302
    point = goal_id(goal_app, work)
    with db_session(goal_app) as session:
        assert (session.get(Goal, point).level, session.get(Goal, point).parent_id) == ("werkpunt", sub)
    assert work in [a.text() for a in dom(page(fatima.get(sub_url))).find("section", id="tussendoelen").find_all("a")]

    # nothing goes under a werkpunt
    point_page = page(fatima.get(goal_url(demo, point)))
    assert 'id="tussendoelen"' not in point_page
    refused = post_on_page(fatima, goal_url(demo, point), goal_url(demo, point, "/tussendoelen"), title="Nog kleiner")
    assert refused.status_code == 422
    assert count(goal_app, Goal, parent_id=point) == 0


# --- scaling questions ----------------------------------------------------------------------------
def test_lisa_answers_the_three_questions_and_sees_her_trend(goal_app, demo):
    from samenplan.goals.models import ScalingAnswer

    lisa = as_user(goal_app, LISA)
    gid = goal_id(goal_app, GOALS[4])
    url = goal_url(demo, gid)
    before = scaling(page(lisa.get(url)))
    # the demo: her second answers 7, 7, 7
    assert {q: before[q]["latest"]["Lisa de Boer"][0] for q in before} == {
        "Voortgang": 7, "Motivatie": 7, "Vertrouwen": 7}
    response = post_on_page(lisa, url, goal_url(demo, gid, "/schaalvragen"), **{
        "voortgang-score": "8", "voortgang-waarom": "Ik was deze week elke dag op school.",
        "voortgang-hoger": "Ook op tijd bij het eerste uur.",
        "motivatie-score": "5", "motivatie-waarom": "", "motivatie-hoger": "",
        "vertrouwen-score": "7", "vertrouwen-waarom": "", "vertrouwen-hoger": "",
    })
    assert response.status_code == 302
    with db_session(goal_app) as session:
        mine = session.scalars(select(ScalingAnswer).where(
            ScalingAnswer.goal_id == gid, ScalingAnswer.author_participant_id == demo.participants[LISA],
            ScalingAnswer.answered_on == local_day(utcnow()))).all()
        assert sorted((a.question, a.score) for a in mine) == [
            ("motivatie", 5), ("vertrouwen", 7), ("voortgang", 8)]

    after = scaling(page(lisa.get(response.headers["Location"])))
    assert after["Voortgang"]["latest"]["Lisa de Boer"][:2] == (8, "omhoog")
    assert after["Motivatie"]["latest"]["Lisa de Boer"][:2] == (5, "omlaag")
    assert after["Vertrouwen"]["latest"]["Lisa de Boer"][:2] == (7, "gelijk")
    text = after["Voortgang"]["latest"]["Lisa de Boer"][2]
    assert "(omhoog)" in text and "Ik was deze week elke dag op school." in text
    assert "Ook op tijd bij het eerste uur." in text
    assert "(omlaag)" in after["Motivatie"]["latest"]["Lisa de Boer"][2]
    # the others' answers are still listed with their own latest score
    assert after["Voortgang"]["latest"]["Joris Bakker"][:2] == (6, "omhoog")


@pytest.mark.parametrize("bad, message", [
    ("11", "Het cijfer moet tussen 0 en 10 liggen"),
    ("abc", "Kies een heel getal van 0 tot en met 10."),
    ("-1", "Het cijfer moet tussen 0 en 10 liggen"),
    ("7.5", "Kies een heel getal van 0 tot en met 10."),
])
def test_a_wrong_scaling_score_is_refused_and_the_rest_kept(goal_app, demo, bad, message):
    from samenplan.goals.models import ScalingAnswer

    lisa = as_user(goal_app, LISA)
    gid = goal_id(goal_app, GOALS[4])
    url = goal_url(demo, gid)
    before = count(goal_app, ScalingAnswer, goal_id=gid)
    response = post_on_page(lisa, url, goal_url(demo, gid, "/schaalvragen"), **{
        "voortgang-score": bad, "voortgang-waarom": "Het gaat al iets beter",
        "voortgang-hoger": "Dan ben ik elke dag op tijd",
        "motivatie-score": "6", "motivatie-waarom": "Ik wil mijn vrienden zien",
        "motivatie-hoger": "", "vertrouwen-score": "", "vertrouwen-waarom": "",
        "vertrouwen-hoger": "Als mama me wekt",
    })
    assert response.status_code == 422
    html = page(response)
    assert message in html
    assert count(goal_app, ScalingAnswer, goal_id=gid) == before, "nothing is saved"
    values = form_values(html, goal_url(demo, gid, "/schaalvragen"))
    assert values["motivatie-score"] == ["6"]
    assert values["motivatie-waarom"] == ["Ik wil mijn vrienden zien"]
    assert values["voortgang-waarom"] == ["Het gaat al iets beter"]
    assert values["voortgang-hoger"] == ["Dan ben ik elke dag op tijd"]
    assert values["vertrouwen-hoger"] == ["Als mama me wekt"]
    assert "vertrouwen-score" not in values
    # the error is shown at the question it belongs to
    fieldsets = dom(html).find("section", id="schaalvragen").find_all("fieldset")
    wrong = [fs for fs in fieldsets if "has-error" in fs.classes()]
    assert len(wrong) == 1 and "Hoe gaat het met dit doel?" in wrong[0].text()


def test_an_empty_scaling_form_is_refused(goal_app, demo):
    from samenplan.goals.models import ScalingAnswer

    lisa = as_user(goal_app, LISA)
    gid = goal_id(goal_app, GOALS[4])
    before = count(goal_app, ScalingAnswer, goal_id=gid)
    response = post_on_page(lisa, goal_url(demo, gid), goal_url(demo, gid, "/schaalvragen"))
    assert response.status_code == 422
    assert "Kies voor minstens één vraag een cijfer van 0 tot en met 10." in page(response)
    assert count(goal_app, ScalingAnswer, goal_id=gid) == before


def test_gap_of_three_points_between_family_and_professional_is_shown(goal_app, fatima, demo):
    gid = goal_id(goal_app, GOALS[2])
    found = scaling(page(fatima.get(goal_url(demo, gid))))
    assert found["Voortgang"]["latest"]["Sandra Jansen"][0] == 7
    assert found["Voortgang"]["latest"]["Daan Visser"][0] == 4
    assert found["Voortgang"]["gaps"] == [
        "Let op: Sandra Jansen geeft een 7, Daan Visser een 4. Dat is 3 punten verschil. "
        "Praat er samen over."]
    assert found["Motivatie"]["gaps"] == [] and found["Vertrouwen"]["gaps"] == []  # 2 apart
    for n in (1, 3, 4):  # no gap of 3 in the other demo goals
        assert "punten verschil" not in page(fatima.get(goal_url(demo, goal_id(goal_app, GOALS[n]))))

    # Daan answers 5: two points apart, the note goes
    daan = as_user(goal_app, DAAN)
    assert post_on_page(daan, goal_url(demo, gid), goal_url(demo, gid, "/schaalvragen"),
                        **{"voortgang-score": "5"}).status_code == 302
    found = scaling(page(fatima.get(goal_url(demo, gid))))
    assert found["Voortgang"]["latest"]["Daan Visser"][:2] == (5, "omhoog")
    assert found["Voortgang"]["gaps"] == []


def test_a_network_member_takes_no_part_in_gaps(goal_app, fatima, demo):
    """Riet (oma, network) 10 against Fatima's 5 on goal 1: no gap note; Sandra 1: a gap."""
    riet = as_user(goal_app, "riet@demo.samenplan.nl")
    gid = goal_id(goal_app, GOALS[1])
    assert post_on_page(riet, goal_url(demo, gid), goal_url(demo, gid, "/schaalvragen"),
                        **{"voortgang-score": "10"}).status_code == 302
    assert "punten verschil" not in page(fatima.get(goal_url(demo, gid)))
    sandra = as_user(goal_app, SANDRA)
    assert post_on_page(sandra, goal_url(demo, gid), goal_url(demo, gid, "/schaalvragen"),
                        **{"voortgang-score": "1"}).status_code == 302
    gaps = scaling(page(fatima.get(goal_url(demo, gid))))["Voortgang"]["gaps"]
    assert gaps == ["Let op: Sandra Jansen geeft een 1, Fatima El Amrani een 5. Dat is 4 punten "
                    "verschil. Praat er samen over."]


# --- the goal limit, a nudge -----------------------------------------------------------------------
def limit_warning(html: str) -> str | None:
    notes = [p.text() for p in dom(html).find_all("p") if "warning" in p.classes()
             and "actieve doelen" in p.text()]
    assert len(notes) <= 1
    return notes[0] if notes else None


def test_more_than_five_active_goals_warns_but_never_blocks(goal_app, fatima, demo):
    from samenplan.goals.models import Goal

    f = demo.family_id
    assert limit_warning(page(fatima.get(f"/gezin/{f}"))) is None  # the demo's 5 active: fine
    create_goal(fatima, demo, "Ik ga elke dinsdag naar de sportschool")
    warning = limit_warning(page(fatima.get(f"/gezin/{f}")))
    assert warning and "6 actieve doelen" in warning and "meer dan 5" in warning
    # the warning sits above the goals
    html = page(fatima.get(f"/gezin/{f}"))
    assert html.index("actieve doelen") < html.index('id="doelen-kop"')
    # never a block: a seventh goal is saved like any other
    seventh = create_goal(fatima, demo, "Ik lees elke avond voor aan Noah")
    assert count(goal_app, Goal, id=seventh) == 1
    assert "7 actieve doelen" in limit_warning(page(fatima.get(f"/gezin/{f}")))
    # a paused goal does not count
    assert post_status(fatima, demo, seventh, "gepauzeerd").status_code == 302
    assert "6 actieve doelen" in limit_warning(page(fatima.get(f"/gezin/{f}")))


def test_with_lvb_more_than_three_active_goals_warns(goal_app, fatima, demo):
    from samenplan.families.models import Person

    f = demo.family_id
    school, health = goal_id(goal_app, GOALS[4]), goal_id(goal_app, GOALS[5])
    # three active: pause two of the five demo goals; no warning even with LVB
    for gid in (school, health):
        assert post_status(fatima, demo, gid, "gepauzeerd").status_code == 302
    with db_session(goal_app) as session:
        session.get(Person, demo.persons["Sandra"]).lvb = True
        session.commit()
    assert limit_warning(page(fatima.get(f"/gezin/{f}"))) is None
    assert post_status(fatima, demo, school, "actief").status_code == 302
    warning = limit_warning(page(fatima.get(f"/gezin/{f}")))
    assert warning and "4 actieve doelen" in warning and "3 doelen" in warning
    assert "lvb" in warning  # the casusregisseur may know the flag (all categories)
    # still never a block
    create_goal(fatima, demo, "Ik sport twee keer per week met een vriend")
    assert "5 actieve doelen" in limit_warning(page(fatima.get(f"/gezin/{f}")))
    # Sandra (the flag is hers) sees the same nudge, without the word
    sandra = as_user(goal_app, SANDRA)
    nudge = limit_warning(page(sandra.get(f"/gezin/{f}")))
    assert nudge and "5 actieve doelen" in nudge and "lvb" not in nudge.lower()
