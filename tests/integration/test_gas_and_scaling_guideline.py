"""GAS and the scaling questions as the guideline has them (004 p. 46; DESIGN §2, §7; issue 12).

The ladder: −2 slechter dan bij de start … 0 het doel gehaald … +2 veel meer; level 0 starts
as the goal's own words, the start has a description of its own and a start at 0 or higher is
warned about. Families see the steps in words, never the weight, the T-score or "GAS";
professionals see them. Motivation and confidence are asked of family members only: network
and professionals posting them are refused and nothing is stored. *Behaald* and *gestopt*
are decided at an evaluation; outside one only the casusregisseur, with a reason.
"""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests.support.clients import as_user, csrf_token, db_session, page
from tests.support.goals import create_goal, goal_id, goal_url
from tests.support.html import dom, form_values
from tests.support.pages import words
from tests.support.people import DAAN, FATIMA, LISA, RIET, SANDRA

GOALS = {  # DESIGN.md §6, by number
    1: "We hebben elke avond rust in huis",
    2: "Ik ga elke week naar mijn afspraak bij de GGZ",
    3: "We hebben overzicht over onze schulden en betalen de huur op tijd",
    4: "Lisa gaat elke schooldag naar school",
    5: "Ik praat elke week met de jeugdarts over hoe het met me gaat",
}
START_WARNING = "Let op: je zet de start op 0 of hoger. Op 0 is het doel al gehaald."
ONLY_THE_FAMILY = "Hoe graag het gezin wil en hoeveel vertrouwen het heeft, vraag je het gezin zelf."
AT_AN_EVALUATION = "Of een doel behaald is of stopt, besluiten jullie samen bij een evaluatie."


@pytest.fixture
def goal_app(app):
    app.config["LOGIN_RATE_LIMIT"] = "10000 per minute"  # several logins per test
    return app


def answers_of(app, gid: int, participant_id: int) -> int:
    from samenplan.goals.models import ScalingAnswer

    with db_session(app) as session:
        return session.scalar(select(func.count()).select_from(ScalingAnswer).where(
            ScalingAnswer.goal_id == gid, ScalingAnswer.author_participant_id == participant_id))


def ladder_section(html: str) -> str:
    """The ladder card as text (the chart's text alternative included)."""
    found = re.search(r'<section[^>]*id="ladder"[^>]*>(.*?)</section>', html, re.S)
    assert found, "no ladder on the page"
    return words(found.group(1))


def ladder_form(client, demo, gid: int) -> dict[str, list[str]]:
    return form_values(page(client.get(goal_url(demo, gid))), goal_url(demo, gid, "/ladder"))


def post_ladder(client, demo, gid: int, **changes):
    """The ladder form as the page has it, with `changes`."""
    values = ladder_form(client, demo, gid)
    values.update({name: [value] for name, value in changes.items()})
    return client.post(goal_url(demo, gid, "/ladder"), data=values)


# --- the demo follows the guideline ------------------------------------------------------------
def test_every_demo_goals_level_0_is_the_goal_as_written(goal_app, demo):
    from samenplan.goals.models import GasLevel, Goal

    with db_session(goal_app) as session:
        for title in GOALS.values():
            goal = session.scalar(select(Goal).where(Goal.title == title))
            zero = session.get(GasLevel, (goal.id, 0))
            assert zero.description == title, f"level 0 of {title!r} reads {zero.description!r}"
            assert goal.gas_baseline == -1 and goal.gas_start, "the start: below 0, in words"
    # Sandra reads goal 1's ladder with "Doel gehaald" at the goal itself, not "vijf avonden"
    sandra = as_user(goal_app, SANDRA)
    text = ladder_section(page(sandra.get(goal_url(demo, goal_id(goal_app, GOALS[1])))))
    assert "Doel gehaald We hebben elke avond rust in huis" in text
    assert "Vijf avonden" not in text
    assert "Bij de start: Twee of drie avonden per week is het rustig." in text


# --- families see steps in words; professionals the weight, the T-score, GAS -------------------
@pytest.mark.parametrize("email, number", [(SANDRA, 1), (LISA, 4), (RIET, 1)])
def test_a_family_or_network_goal_page_has_no_t_score_weight_or_gas(goal_app, demo, email, number):
    client = as_user(goal_app, email)
    html = page(client.get(goal_url(demo, goal_id(goal_app, GOALS[number]))))
    text = words(html)
    assert "GAS" not in text and "T-score" not in text and "gewicht" not in text.lower()
    assert 'name="weight"' not in html, "no weight field on a family's ladder form"
    ladder = ladder_section(html)
    assert "Stappen naar het doel" in ladder
    for step in ("Veel meer dan het doel", "Meer dan het doel", "Doel gehaald",
                 "Op weg, maar nog niet gehaald", "Het gaat slechter dan bij de start"):
        assert step in ladder, step
    assert "Niveau +2" not in ladder and "niveau 0" not in ladder.lower()
    # the plan page neither: the goal cards name the step, the plan has no T-score
    plan = words(page(client.get(f"/gezin/{demo.family_id}")))
    assert "T-score" not in plan and "De score van het plan" not in plan
    assert "GAS" not in plan and "gewicht" not in plan.lower()
    assert "Ladder: nu op" not in plan and "Stap: " in plan


def test_fatimas_goal_page_has_the_weight_the_t_score_and_gas(goal_app, demo):
    fatima = as_user(goal_app, FATIMA)
    html = page(fatima.get(goal_url(demo, goal_id(goal_app, GOALS[1]))))
    text = words(html)
    assert "De doelladder (GAS)" in text
    assert "Gewicht: 3 (zo telt dit doel mee in de T-score van het plan)" in text
    assert 'name="weight"' in html
    assert "0: het doel gehaald" in text and "−2: slechter dan bij de start" in text
    assert "De score van het plan is nu" in words(page(fatima.get(f"/gezin/{demo.family_id}")))


def test_a_family_member_saving_the_ladder_does_not_touch_the_weight(goal_app, demo):
    from samenplan.goals.models import Goal

    sandra = as_user(goal_app, SANDRA)
    gid = goal_id(goal_app, GOALS[1])
    response = post_ladder(sandra, demo, gid, level_p1="Elke avond rust, ook in het weekend",
                           weight="10")
    assert response.status_code == 302
    with db_session(goal_app) as session:
        goal = session.get(Goal, gid)
        assert goal.gas_weight == 3, "a weight posted anyway is not hers to set"
        assert {g.level: g.description for g in goal.gas_levels}[1] == (
            "Elke avond rust, ook in het weekend")


# --- level 0 is the goal, the start apart, a start at 0 or higher warns -------------------------
def test_level_0_is_prefilled_with_the_goal_when_the_ladder_is_empty(goal_app, demo):
    fatima = as_user(goal_app, FATIMA)
    title = "Ik fiets elke zaterdag met Noah naar de markt"
    gid = create_goal(fatima, demo, title)
    values = ladder_form(fatima, demo, gid)
    assert values["level_0"] == [title]
    assert values["level_m1"] == [""] and values["start"] == [""]
    # saved as it stands, level 0 is the goal as written
    response = post_ladder(fatima, demo, gid, level_m1="Eén of twee zaterdagen per maand",
                           start="We fietsen nooit samen", baseline="-1")
    assert response.status_code == 302
    html = page(fatima.get(response.headers["Location"]))
    assert START_WARNING not in html
    from samenplan.goals.models import GasLevel, Goal

    with db_session(goal_app) as session:
        assert session.get(GasLevel, (gid, 0)).description == title
        assert session.get(Goal, gid).gas_start == "We fietsen nooit samen"
    assert "Bij de start: We fietsen nooit samen" in ladder_section(html)
    # once written otherwise, level 0 is what was written
    post_ladder(fatima, demo, gid, level_0="Elke zaterdag naar de markt, ook als het regent")
    assert ladder_form(fatima, demo, gid)["level_0"] == [
        "Elke zaterdag naar de markt, ook als het regent"]


@pytest.mark.parametrize("baseline", ["0", "1", "2"])
def test_a_start_at_0_or_higher_warns_and_the_save_stands(goal_app, demo, baseline):
    from samenplan.goals.models import Goal

    fatima = as_user(goal_app, FATIMA)
    gid = goal_id(goal_app, GOALS[4])
    response = post_ladder(fatima, demo, gid, baseline=baseline)
    assert response.status_code == 302
    html = page(fatima.get(response.headers["Location"]))
    assert START_WARNING in words(html)
    with db_session(goal_app) as session:
        assert session.get(Goal, gid).gas_baseline == int(baseline)


# --- motivation and confidence are the family's ------------------------------------------------
def test_riet_posting_motivatie_is_refused_and_nothing_stored(goal_app, demo):
    riet = as_user(goal_app, RIET)
    gid = goal_id(goal_app, GOALS[1])
    html = page(riet.get(goal_url(demo, gid)))
    offered = form_values(html, goal_url(demo, gid, "/schaalvragen"))
    assert "voortgang-waarom" in offered and "motivatie-waarom" not in offered, (
        "oma is asked voortgang only")
    before = answers_of(goal_app, gid, demo.participants[RIET])
    response = riet.post(goal_url(demo, gid, "/schaalvragen"), data={
        "csrf_token": csrf_token(html), "voortgang-score": "8",
        "voortgang-waarom": "Noah slaapt nu om acht uur", "motivatie-score": "9"})
    assert response.status_code == 422
    refused = page(response)
    assert ONLY_THE_FAMILY in words(refused)
    assert answers_of(goal_app, gid, demo.participants[RIET]) == before, "nothing is stored"
    kept = form_values(refused, goal_url(demo, gid, "/schaalvragen"))
    assert kept["voortgang-score"] == ["8"]
    assert kept["voortgang-waarom"] == ["Noah slaapt nu om acht uur"]


@pytest.mark.parametrize("email, number", [(DAAN, 2), (FATIMA, 1)])
def test_a_professional_answers_voortgang_only(goal_app, demo, email, number):
    client = as_user(goal_app, email)
    gid = goal_id(goal_app, GOALS[number])
    html = page(client.get(goal_url(demo, gid)))
    before = answers_of(goal_app, gid, demo.participants[email])
    refused = client.post(goal_url(demo, gid, "/schaalvragen"), data={
        "csrf_token": csrf_token(html), "voortgang-score": "6", "vertrouwen-score": "7"})
    assert refused.status_code == 422 and ONLY_THE_FAMILY in words(page(refused))
    assert answers_of(goal_app, gid, demo.participants[email]) == before
    ok = client.post(goal_url(demo, gid, "/schaalvragen"), data={
        "csrf_token": csrf_token(html), "voortgang-score": "6"})
    assert ok.status_code == 302
    assert answers_of(goal_app, gid, demo.participants[email]) == before + 1


def test_a_family_member_answers_all_three_and_the_anchors_are_the_guidelines(goal_app, demo):
    sandra = as_user(goal_app, SANDRA)
    gid = goal_id(goal_app, GOALS[1])
    html = page(sandra.get(goal_url(demo, gid)))
    text = words(html)
    assert "0 is: er is nog niets bereikt. 10 is: het is zoals je het wilt." in text
    assert "heel slecht" not in text
    offered = form_values(html, goal_url(demo, gid, "/schaalvragen"))
    assert {"voortgang-waarom", "motivatie-waarom", "vertrouwen-waarom"} <= set(offered)
    before = answers_of(goal_app, gid, demo.participants[SANDRA])
    response = sandra.post(goal_url(demo, gid, "/schaalvragen"), data={
        "csrf_token": csrf_token(html), "voortgang-score": "7", "motivatie-score": "9",
        "vertrouwen-score": "6"})
    assert response.status_code == 302
    assert answers_of(goal_app, gid, demo.participants[SANDRA]) == before + 3


# --- behaald and gestopt: at an evaluation, or by the casusregisseur --------------------------------
@pytest.mark.parametrize("email, number, status", [
    (SANDRA, 1, "behaald"), (SANDRA, 1, "gestopt"), (DAAN, 2, "behaald")])
def test_behaald_or_gestopt_by_someone_else_than_the_chair_is_refused_in_words(
        goal_app, demo, email, number, status):
    from samenplan.goals.models import Goal

    client = as_user(goal_app, email)
    gid = goal_id(goal_app, GOALS[number])
    html = page(client.get(goal_url(demo, gid)))
    offered = form_values(html, goal_url(demo, gid, "/status"))
    options = [o.attrs.get("value") for o in
               dom(html).find("form", action=goal_url(demo, gid, "/status")).find_all("option")]
    assert "behaald" not in options and "gestopt" not in options, options
    assert AT_AN_EVALUATION in words(html), "the form says where it is decided"
    response = client.post(goal_url(demo, gid, "/status"), data={
        **{k: v[0] for k, v in offered.items()}, "status": status,
        "reason": "Het lukt al een maand."}, follow_redirects=True)
    assert AT_AN_EVALUATION in words(page(response))
    with db_session(goal_app) as session:
        assert session.get(Goal, gid).status == "actief"


def test_sandra_cannot_end_a_goal_through_the_goal_form_either(goal_app, demo):
    from samenplan.goals.models import Goal

    sandra = as_user(goal_app, SANDRA)
    gid = goal_id(goal_app, GOALS[1])
    url = goal_url(demo, gid, "/bewerken")
    values = form_values(page(sandra.get(url)), url)
    values.update(status=["behaald"], status_reason=["Het is elke avond rustig."])
    response = sandra.post(url, data=values)
    assert response.status_code == 422
    assert AT_AN_EVALUATION in words(page(response))
    with db_session(goal_app) as session:
        assert session.get(Goal, gid).status == "actief"


def test_the_chair_marks_a_goal_behaald_with_a_reason(goal_app, demo):
    from samenplan.goals.models import Goal

    fatima = as_user(goal_app, FATIMA)
    gid = goal_id(goal_app, GOALS[4])
    html = page(fatima.get(goal_url(demo, gid)))
    offered = form_values(html, goal_url(demo, gid, "/status"))
    assert "Behaald of gestopt besluiten jullie normaal samen bij een evaluatie." in words(html)
    without = fatima.post(goal_url(demo, gid, "/status"), data={
        **{k: v[0] for k, v in offered.items()}, "status": "behaald", "reason": ""},
        follow_redirects=True)
    assert "Schrijf op waarom de status verandert." in words(page(without))
    with db_session(goal_app) as session:
        assert session.get(Goal, gid).status == "actief"
    response = fatima.post(goal_url(demo, gid, "/status"), data={
        **{k: v[0] for k, v in offered.items()}, "status": "behaald",
        "reason": "Lisa gaat al twee maanden elke schooldag."})
    assert response.status_code == 302
    with db_session(goal_app) as session:
        goal = session.get(Goal, gid)
        assert (goal.status, goal.status_reason) == (
            "behaald", "Lisa gaat al twee maanden elke schooldag.")


def test_the_weight_is_not_in_a_family_members_history_of_the_goal(goal_app, demo):
    gid = goal_id(goal_app, GOALS[1])
    history = goal_url(demo, gid, "/geschiedenis")
    sandra = words(page(as_user(goal_app, SANDRA).get(history)))
    fatima = words(page(as_user(goal_app, FATIMA).get(history)))
    assert "Gewicht" in fatima, "the demo's ladder set the weight: Fatima's history shows it"
    assert "Gewicht" not in sandra and "gewicht" not in sandra
    assert "Hoe het was bij de start" in sandra, "the start in words is the family's too"
