"""Self-sufficiency over time (issue 13 item 6): per caregiver a 1-5 level per life domain at the
start, at evaluations and at closure, scored by the casusregisseur; a heat map and the count
of insufficient domains at the start and now, over what the viewer may see.

Through the real forms (CSRF token, the hidden versions), on SQLite and PostgreSQL. The demo
(DESIGN.md §6) has a start meting and one at the last evaluation for Sandra and for Mark."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.support.builders import add_evaluation, add_other_family
from tests.support.clients import as_user, csrf_token, db_session
from tests.support.clients import page as text_of
from tests.support.html import form_values
from tests.support.pages import history_entries, merge_table, words
from tests.support.people import DAAN, FATIMA, ILSE, JORIS, LISA, MARK, RIET, SANDRA

SANDRA_MONEY = "Huurachterstand van drie maanden"
SANDRA_MOOD = "Somber sinds de scheiding"
SANDRA_NETWORK = "Oma Riet komt twee middagen per week"
MARK_HOME = "Slaapt tijdelijk op de bank bij een vriend"


@pytest.fixture
def sr_app(app):
    app.config["LOGIN_RATE_LIMIT"] = "10000 per minute"
    return app


def url(demo, rest: str = "") -> str:
    return f"/gezin/{demo.family_id}/zelfredzaamheid{rest}"


def scores(app) -> list[tuple]:
    """Every score record: (id, family, category, caregiver, head, levels, notes, version)."""
    from samenplan.selfreliance.models import SelfRelianceScore

    with db_session(app) as session:
        return [(s.id, s.family_id, s.category.value, s.caregiver_id, s.head_id, dict(s.levels),
                 dict(s.notes), s.version, s.moment.value)
                for s in session.scalars(select(SelfRelianceScore).order_by(SelfRelianceScore.id))]


def heads(app, demo, person: str) -> list[tuple]:
    return [s for s in scores(app) if s[3] == demo.persons[person] and s[4] is None]


def new_form(client, demo, person: str) -> tuple[str, dict]:
    html = text_of(client.get(url(demo, f"/nieuw?voor={demo.persons[person]}")))
    values = {k: v[0] for k, v in form_values(html, url(demo, "/nieuw")).items()}
    return html, values


def post_new(client, demo, person: str, **fields):
    _html, data = new_form(client, demo, person)
    data.update({"moment": "afsluiting", "day": date.today().isoformat()})
    data.update(fields)
    return client.post(url(demo, "/nieuw"), data=data)


def edit_values(client, demo, meting_id: int) -> dict:
    html = text_of(client.get(url(demo, f"/{meting_id}/bewerken")))
    return {k: v[0] for k, v in form_values(html, url(demo, f"/{meting_id}/bewerken")).items()}


# --- the demo, and who sees what -------------------------------------------------------------
def test_the_demo_scores_sandra_and_mark_at_the_start_and_at_the_last_evaluation(sr_app, demo):
    for person in ("Sandra", "Mark"):
        metingen = heads(sr_app, demo, person)
        assert [m[8] for m in metingen] == ["start", "evaluatie"]
    page = text_of(as_user(sr_app, FATIMA).get(url(demo)))
    text = words(page)
    # Sandra: 7 insufficient at the start (money 2, mental health 2, ...), 5 now
    assert "Onvoldoende zelfredzaam (1-3) bij de start: 7 leefgebieden. Nu: 5." in text
    assert "Onvoldoende zelfredzaam (1-3) bij de start: 3 leefgebieden. Nu: 1." in text
    assert SANDRA_MONEY in text and SANDRA_MOOD in text and MARK_HOME in text
    assert "Bij de evaluatie van" in text
    assert "Financiën: 2 → 3 (beter)" in text
    # the plan links here
    plan = text_of(as_user(sr_app, FATIMA).get(f"/gezin/{demo.family_id}"))
    assert url(demo) in plan


def test_each_professional_sees_the_domains_their_consent_covers(sr_app, demo):
    daan = words(text_of(as_user(sr_app, DAAN).get(url(demo))))
    # GGZ Kompas: Sandra's algemeen and gezondheid, not her money, nothing of Mark
    assert SANDRA_MOOD in daan and "Geestelijke gezondheid" in daan
    assert SANDRA_MONEY not in daan and "Financiën" not in daan
    assert "Mark de Boer" not in daan and MARK_HOME not in daan
    assert "bij de start: 6 leefgebieden. Nu: 4." in daan  # without the money domain
    ilse = words(text_of(as_user(sr_app, ILSE).get(url(demo))))
    # Schuldhulp Stad: Sandra's money only
    assert SANDRA_MONEY in ilse and "Financiën" in ilse
    assert SANDRA_MOOD not in ilse and "Geestelijke gezondheid" not in ilse
    assert SANDRA_NETWORK not in ilse and "Sociaal netwerk" not in ilse
    assert "bij de start: 1 leefgebieden. Nu: 1." in ilse
    assert "over de leefgebieden die je mag zien" in ilse
    joris = words(text_of(as_user(sr_app, JORIS).get(url(demo))))
    assert "Er zijn nog geen metingen die je mag zien." in joris
    assert "Sandra Jansen" not in joris


@pytest.mark.parametrize("who", [MARK, RIET, LISA])
def test_the_family_and_network_see_no_health_or_money_of_sandra(sr_app, demo, who):
    page = words(text_of(as_user(sr_app, who).get(url(demo))))
    assert SANDRA_MOOD not in page and SANDRA_MONEY not in page
    _before, sandras = page.split("Sandra Jansen Bij de start lukte het op")  # her section is last
    assert "Gevoel en stress" not in sandras and "Geld" not in sandras  # nor its domain names
    assert SANDRA_NETWORK in page  # algemeen: the family's shared information
    # plain words, no ZRM names or levels
    assert "Wat lukt zelf?" in page and "Mensen om je heen" in page
    for jargon in ("Sociaal netwerk", "zelfredzaam (", "Niet zelfredzaam", "Onvoldoende", "ZRM"):
        assert jargon not in page, jargon
    if who == MARK:  # his own, health included, in "je" words
        assert MARK_HOME in page and "je redt het zelf" in page and "Gevoel en stress" in page
    if who == RIET:  # no consent from Mark to Riet
        assert "Mark de Boer" not in page


def test_sandra_reads_her_own_scores_in_plain_words(sr_app, demo):
    page = words(text_of(as_user(sr_app, SANDRA).get(url(demo))))
    assert "Geld: je redt het een beetje zelf — Budgetplan met de schuldhulp loopt" in page
    assert "Bij de start lukte het op 7 onderwerpen nog niet goed genoeg. Nu op 5." in page
    assert "Financiën" not in page and "Nieuwe meting" not in page


# --- scoring, correcting, history, the merge screen -----------------------------------------
def test_the_chair_scores_a_closure_meting_and_corrects_it(sr_app, demo):
    fatima = as_user(sr_app, FATIMA)
    before = len(scores(sr_app))
    response = post_new(fatima, demo, "Mark", level_huisvesting="5", level_financien="4",
                        level_geestelijke_gezondheid="4",
                        note_huisvesting="Woont vast in de Lindelaan, Noah logeert elk weekend")
    assert response.status_code == 302, words(text_of(response))[:500]
    saved = words(text_of(fatima.get(response.headers["Location"])))
    assert "Afsluiting · " in saved and "De meting is opgeslagen." in saved.split("Afsluiting · ")[1][:60]
    made = scores(sr_app)[before:]
    # one record per category with a level: algemeen (the head), gezondheid, financien
    # (and justitie: Mark's last level there is carried over into the new meting)
    assert sorted(s[2] for s in made) == ["algemeen", "financien", "gezondheid", "justitie"]
    head = next(s for s in made if s[4] is None)
    assert all(s[4] == head[0] for s in made if s is not head)
    assert head[5]["huisvesting"] == 5
    assert head[6] == {"huisvesting": "Woont vast in de Lindelaan, Noah logeert elk weekend"}
    # correct it from the loaded versions
    data = edit_values(fatima, demo, head[0])
    assert data["level_huisvesting"] == "5" and data["moment"] == "afsluiting"
    data["level_huisvesting"] = "4"
    assert fatima.post(url(demo, f"/{head[0]}/bewerken"), data=data).status_code == 302
    now = next(s for s in scores(sr_app) if s[0] == head[0])
    assert now[5] == {**head[5], "huisvesting": 4} and now[7] == head[7] + 1
    history = text_of(fatima.get(url(demo, f"/deel/{head[0]}/geschiedenis")))
    entries = history_entries(history)
    assert entries[0][0] == 2 and "Wonen" not in entries[0][1]
    assert "Huisvesting: 5 · Volledig zelfredzaam → Huisvesting: 4 · Voldoende zelfredzaam" in entries[0][1]


def test_a_new_meting_starts_from_the_last_levels_without_their_notes(sr_app, demo):
    fatima = as_user(sr_app, FATIMA)
    html, values = new_form(fatima, demo, "Sandra")
    last = {}
    for s in scores(sr_app):  # every part of Sandra's metingen, oldest first
        if s[3] == demo.persons["Sandra"]:
            last.update({code: str(level) for code, level in s[5].items()})
    assert last, "the demo scores Sandra"
    offered = {k.removeprefix("level_"): v for k, v in values.items() if k.startswith("level_") and v}
    assert offered == last
    assert not any(v for k, v in values.items() if k.startswith("note_"))
    assert "De niveaus van de vorige meting staan al ingevuld." in words(html)
    # Mark's form holds Mark's levels, not Sandra's
    _html, marks = new_form(fatima, demo, "Mark")
    assert {k: v for k, v in marks.items() if k.startswith("level_") and v} != \
        {f"level_{k}": v for k, v in last.items()}


def test_a_stale_save_gets_the_merge_screen_and_keeps_what_was_typed(sr_app, demo):
    fatima = as_user(sr_app, FATIMA)
    head = heads(sr_app, demo, "Sandra")[-1]
    mine = edit_values(fatima, demo, head[0])
    other_tab = as_user(sr_app, FATIMA)
    theirs = dict(edit_values(other_tab, demo, head[0]), level_werk_opleiding="3")
    assert other_tab.post(url(demo, f"/{head[0]}/bewerken"), data=theirs).status_code == 302
    mine["level_werk_opleiding"] = "4"
    mine["note_werk_opleiding"] = "Solliciteert bij de huisartsenpraktijk om de hoek"
    response = fatima.post(url(demo, f"/{head[0]}/bewerken"), data=mine)
    assert response.status_code == 409
    page = text_of(response)
    rows = merge_table(page)
    assert rows["Werk & opleiding"] == ("3 · Beperkt zelfredzaam", "4 · Voldoende zelfredzaam")
    assert "Solliciteert bij de huisartsenpraktijk om de hoek" in page
    assert next(s for s in scores(sr_app) if s[0] == head[0])[5]["werk_opleiding"] == 3
    # saving again from the merge screen (its versions are the new ones) keeps mine
    again = {k: v[0] for k, v in form_values(page, url(demo, f"/{head[0]}/bewerken")).items()}
    assert fatima.post(url(demo, f"/{head[0]}/bewerken"), data=again).status_code == 302
    assert next(s for s in scores(sr_app) if s[0] == head[0])[5]["werk_opleiding"] == 4


@pytest.mark.parametrize("bad", ["0", "6", "x"])
def test_a_level_outside_1_to_5_gets_a_dutch_message_and_nothing_is_lost(sr_app, demo, bad):
    before = scores(sr_app)
    response = post_new(as_user(sr_app, FATIMA), demo, "Sandra", level_financien=bad,
                        note_financien="Nieuwe betalingsregeling met de woningcorporatie")
    assert response.status_code == 422
    page = text_of(response)
    assert "Kies een niveau van 1 tot en met 5" in words(page)
    assert "Nieuwe betalingsregeling met de woningcorporatie" in page
    assert scores(sr_app) == before


def test_a_meting_needs_a_caregiver_of_this_family(sr_app, demo):
    fatima = as_user(sr_app, FATIMA)
    before = scores(sr_app)
    # Lisa (15) is no caregiver: a clear message
    response = post_new(fatima, demo, "Sandra", caregiver=str(demo.persons["Lisa"]),
                        level_financien="3")
    assert response.status_code == 422
    assert "Kies een ouder of verzorger" in words(text_of(response))
    # a person of another family: 404
    other_family, _piet = add_other_family(sr_app)
    with db_session(sr_app) as session:
        from samenplan.families.models import Person

        piet = session.scalar(select(Person.id).where(Person.family_id == other_family))
    assert post_new(fatima, demo, "Sandra", caregiver=str(piet),
                    level_financien="3").status_code == 404
    # an evaluation that is not this family's
    with db_session(sr_app) as session:
        from samenplan.evaluations.models import Evaluation

        ahead = session.scalar(select(Evaluation.id).where(Evaluation.status == "gepland"))
    others = add_evaluation(sr_app, other_family, days_ahead=-7)  # another family's, held
    for evaluation in ("999999", "x", str(ahead), str(others)):
        response = post_new(fatima, demo, "Sandra", evaluation=evaluation, level_financien="3")
        assert response.status_code == 422
        assert "Kies een evaluatie van dit gezin die al geweest is." in words(text_of(response))
    # a date ahead
    response = post_new(fatima, demo, "Sandra", level_financien="3",
                        day=(date.today() + timedelta(days=3)).isoformat())
    assert response.status_code == 422
    assert scores(sr_app) == before


@pytest.mark.parametrize("who", [SANDRA, MARK, DAAN, ILSE, RIET])
def test_only_the_chair_scores_and_corrects(sr_app, demo, who):
    before = scores(sr_app)
    fatima_form = new_form(as_user(sr_app, FATIMA), demo, "Sandra")[1]
    head = heads(sr_app, demo, "Sandra")[-1]
    client = as_user(sr_app, who)
    html = text_of(client.get(url(demo)))
    assert "Nieuwe meting" not in html and "Meting veranderen" not in html
    token = {"csrf_token": csrf_token(text_of(client.get(f"/gezin/{demo.family_id}")))}
    assert client.get(url(demo, "/nieuw")).status_code == 404
    assert client.post(url(demo, "/nieuw"), data={**fatima_form, **token,
                                                 "level_financien": "5"}).status_code == 404
    assert client.get(url(demo, f"/{head[0]}/bewerken")).status_code == 404
    assert client.post(url(demo, f"/{head[0]}/bewerken"),
                       data={**fatima_form, **token, "level_financien": "5"}).status_code == 404
    assert scores(sr_app) == before


def test_nothing_of_the_scores_reaches_another_family_or_an_unseen_part(sr_app, demo):
    other_family, piet = add_other_family(sr_app)
    client = as_user(sr_app, piet)
    head = heads(sr_app, demo, "Sandra")[0]
    assert client.get(url(demo)).status_code == 404
    assert client.get(url(demo, f"/deel/{head[0]}/geschiedenis")).status_code == 404
    assert client.get(f"/gezin/{other_family}/zelfredzaamheid/{head[0]}/bewerken").status_code == 404
    # Ilse may not see the health part of Sandra's meting, nor its history
    health = next(s for s in scores(sr_app) if s[4] == head[0] and s[2] == "gezondheid")
    ilse = as_user(sr_app, ILSE)
    assert ilse.get(url(demo, f"/deel/{health[0]}/geschiedenis")).status_code == 404
    money = next(s for s in scores(sr_app) if s[4] == head[0] and s[2] == "financien")
    assert ilse.get(url(demo, f"/deel/{money[0]}/geschiedenis")).status_code == 200
    # nor can she correct it by its id (not the chair), nor Fatima another family's meting
    assert ilse.get(url(demo, f"/{head[0]}/bewerken")).status_code == 404
    assert as_user(sr_app, FATIMA).get(
        f"/gezin/{demo.family_id}/zelfredzaamheid/{money[0]}/bewerken").status_code == 404
