"""The veiligheidsplan (issue 11 item 5): its items name the people they involve, who then see
that item through a record grant from the consenters the age rules require — recorded at the
table by the casusregisseur, asked for by anyone else; how long it applies and a review date
(warned about from two weeks before); per child when and by whom it was explained; and the 0-10
safety scale, answered by each participant for themself, with a trend per respondent.

Through the real forms (CSRF token, the hidden version as the page sent it), on SQLite and
PostgreSQL. The demo (DESIGN.md §6) has two items: "Noah kan altijd oma Riet bellen" (Riet and
Lisa named, granted by Sandra and Mark at the table) and "Als mama ziek is, komt tante Kim"
(Sandra's, naming only tante Kim, who takes no part in samenplan)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.support.builders import add_other_family, shield_through_the_screen
from tests.support.clients import as_user, csrf_token, db_session
from tests.support.clients import page as text_of
from tests.support.pages import form_version, input_value, merge_table, words
from tests.support.people import FATIMA, JORIS, LISA, MARK, RIET, SANDRA

RIETS_ITEM = "Noah kan altijd oma Riet bellen"
KIMS_ITEM = "Als mama ziek is, komt tante Kim"
MERGE_HEADING = "Iemand anders heeft dit net veranderd"


@pytest.fixture
def safety_app(app):
    app.config["LOGIN_RATE_LIMIT"] = "10000 per minute"
    return app


def url(demo, rest: str = "") -> str:
    return f"/gezin/{demo.family_id}/veiligheidsplan{rest}"


def safety_page(client, demo) -> str:
    response = client.get(url(demo))
    assert response.status_code == 200
    return text_of(response)


def item_id(app, body_start: str) -> int:
    from samenplan.safety.models import SafetyItem

    with db_session(app) as session:
        found = session.scalar(select(SafetyItem.id).where(SafetyItem.body.startswith(body_start)))
    assert found, f"no safety item {body_start!r}"
    return found


def counts(app) -> tuple[int, int, int]:
    """(items, consents, answers) in the database."""
    from samenplan.privacy.models import Consent
    from samenplan.safety.models import SafetyAnswer, SafetyItem

    with db_session(app) as session:
        return tuple(session.scalar(select(func.count()).select_from(m))
                     for m in (SafetyItem, Consent, SafetyAnswer))


def post_item(client, demo, path: str = "/nieuw", **fields):
    """The item form at `path` as the browser sends it, with `fields` (lists for checkboxes)."""
    form_page = client.get(url(demo, path))
    assert form_page.status_code == 200
    html = text_of(form_page)
    data = {"csrf_token": csrf_token(html), "item_kind": "veilige_persoon", "title": "",
            "body": "", "named_others": ""}
    if 'name="version"' in html and "/bewerken" in path:
        data["version"] = form_version(html)
    data.update(fields)
    return client.post(url(demo, path), data=data)


def sees_item(client, demo, text: str) -> bool:
    """Whether the viewer finds `text` on the safety plan page and in its card on the plan."""
    on_page = text in safety_page(client, demo)
    on_plan = text in text_of(client.get(f"/gezin/{demo.family_id}"))
    assert on_page == on_plan, f"the safety page and the plan disagree on {text!r}"
    return on_page


# --- who sees which item ----------------------------------------------------------------------
def test_riet_sees_her_own_item_and_not_the_rest(safety_app, demo):
    riet = as_user(safety_app, RIET)
    html = safety_page(riet, demo)
    assert RIETS_ITEM in html
    assert KIMS_ITEM not in html and "tante Kim" not in html
    assert "Riet Jansen ziet dit" in words(html)
    # she is not asked to write in it (the network writes no plan sections)
    assert "Afspraak toevoegen" not in html
    assert riet.get(url(demo, "/nieuw")).status_code == 404
    assert riet.get(url(demo, f"/{item_id(safety_app, RIETS_ITEM)}/bewerken")).status_code == 404
    # Mark (authority over Noah) sees both; Joris (school: Lisa, algemeen) neither
    mark = as_user(safety_app, MARK)
    assert sees_item(mark, demo, RIETS_ITEM) and sees_item(mark, demo, KIMS_ITEM)
    joris = safety_page(as_user(safety_app, JORIS), demo)
    assert RIETS_ITEM not in joris and KIMS_ITEM not in joris


def test_naming_riet_by_a_parent_waits_for_the_other_parent(safety_app, demo):
    sandra = as_user(safety_app, SANDRA)
    items, consents, _answers = counts(safety_app)
    response = post_item(sandra, demo, item_kind="invaller", body="Oma Riet haalt Noah op als ik werk.",
                         subjects=[str(demo.persons["Noah"])], named=[str(demo.participants[RIET])])
    assert response.status_code == 302
    assert counts(safety_app)[:2] == (items + 1, consents + 1)
    new = item_id(safety_app, "Oma Riet haalt Noah op")
    html = words(safety_page(sandra, demo))
    assert "Wacht op toestemming van Mark" in html
    # pending consent gives no access: Riet does not see it yet, on any page
    riet = as_user(safety_app, RIET)
    assert not sees_item(riet, demo, "Oma Riet haalt Noah op")
    assert riet.get(url(demo, f"/{new}/geschiedenis")).status_code == 404
    # Sandra may not record Mark's yes for him
    response = post_item(sandra, demo, f"/{new}/bewerken", item_kind="invaller",
                         body="Oma Riet haalt Noah op als ik werk.", subjects=[str(demo.persons["Noah"])],
                         named=[str(demo.participants[RIET])], consenters=[str(demo.persons["Mark"])])
    assert response.status_code == 422
    assert not sees_item(riet, demo, "Oma Riet haalt Noah op")


def test_naming_riet_by_another_professional_only_asks(safety_app, demo):
    joris = as_user(safety_app, JORIS)
    response = post_item(joris, demo, item_kind="anders", body="Lisa belt oma Riet na schooltijd.",
                         subjects=[str(demo.persons["Lisa"])], named=[str(demo.participants[RIET])])
    assert response.status_code == 302
    html = words(safety_page(joris, demo))
    assert "Wacht op toestemming van" in html and "Lisa" in html
    assert not sees_item(as_user(safety_app, RIET), demo, "Lisa belt oma Riet")
    # he records nobody's consent at the table
    response = post_item(joris, demo, item_kind="anders", body="Lisa belt oma Riet op zondag.",
                         subjects=[str(demo.persons["Lisa"])], named=[str(demo.participants[RIET])],
                         consenters=[str(demo.persons["Lisa"])])
    assert response.status_code == 422
    assert not sees_item(as_user(safety_app, RIET), demo, "Lisa belt oma Riet op zondag")


def test_an_item_is_not_widened_by_who_may_not_consent(safety_app, demo):
    joris = as_user(safety_app, JORIS)
    both = [str(demo.persons["Lisa"]), str(demo.persons["Noah"])]
    assert post_item(joris, demo, item_kind="anders", body="Na school gaan Lisa en Noah samen naar huis.",
                     subjects=both).status_code == 302
    mine = item_id(safety_app, "Na school gaan Lisa en Noah")
    # about Lisa alone, Lisa would read it: Joris may not consent for her
    response = post_item(joris, demo, f"/{mine}/bewerken", item_kind="anders",
                         body="Na school gaat Lisa naar huis.", subjects=[str(demo.persons["Lisa"])])
    assert response.status_code == 422
    assert "dan zien ook Lisa de Boer deze afspraak" in words(text_of(response))
    assert "Na school gaat Lisa naar huis." in text_of(response)  # what he typed stays
    assert not sees_item(as_user(safety_app, LISA), demo, "Na school")
    # the draft's audience, as htmx asks for it while the subjects change
    html = text_of(joris.get(url(demo, f"/{mine}/bewerken")))
    preview = joris.post(url(demo, "/zichtbaar"), data={
        "csrf_token": csrf_token(html), "subjects": [str(demo.persons["Lisa"])]},
        headers={"HX-Request": "true"})
    assert preview.status_code == 200 and "Lisa de Boer" in text_of(preview)


def test_the_casusregisseur_records_consent_at_the_table(safety_app, demo):
    fatima = as_user(safety_app, FATIMA)
    noah = str(demo.persons["Noah"])
    # only Sandra said yes: Mark's yes is still missing
    response = post_item(fatima, demo, item_kind="feestjes_bezoek",
                         body="Op feestjes blijft oma Riet bij Noah.", subjects=[noah],
                         named=[str(demo.participants[RIET])], consenters=[str(demo.persons["Sandra"])])
    assert response.status_code == 302
    assert "Wacht op toestemming van Mark" in words(safety_page(fatima, demo))
    riet = as_user(safety_app, RIET)
    assert not sees_item(riet, demo, "Op feestjes blijft oma Riet")
    # both parents at the table: Riet sees it straight away
    response = post_item(fatima, demo, item_kind="feestjes_bezoek",
                         body="Bij bezoek thuis is oma Riet erbij.", subjects=[noah],
                         named=[str(demo.participants[RIET])],
                         consenters=[str(demo.persons["Sandra"]), str(demo.persons["Mark"])])
    assert response.status_code == 302
    assert sees_item(riet, demo, "Bij bezoek thuis is oma Riet erbij")
    assert not sees_item(riet, demo, "Op feestjes blijft oma Riet")
    assert not sees_item(riet, demo, KIMS_ITEM)


def test_taking_someone_out_of_an_item_ends_their_grant(safety_app, demo):
    sandra = as_user(safety_app, SANDRA)
    riets = item_id(safety_app, RIETS_ITEM)
    response = post_item(sandra, demo, f"/{riets}/bewerken", item_kind="veilige_persoon",
                         title="Veilige persoon", body=RIETS_ITEM + ".",
                         subjects=[str(demo.persons["Noah"])], named=[str(demo.participants[LISA])])
    assert response.status_code == 302, text_of(response)[:2000]
    assert not sees_item(as_user(safety_app, RIET), demo, RIETS_ITEM)
    assert sees_item(as_user(safety_app, LISA), demo, RIETS_ITEM)


# --- shields ----------------------------------------------------------------------------------
def test_items_and_answers_obey_shields(safety_app, demo):
    mark = as_user(safety_app, MARK)
    response = mark.post(url(demo, "/antwoord"), data={
        "csrf_token": csrf_token(safety_page(mark, demo)), "respondent": "zelf", "score": "4"})
    assert response.status_code == 302
    assert "Mark de Boer" in words(safety_page(mark, demo))  # his own answer
    sandra = as_user(safety_app, SANDRA)
    noah = demo.persons["Noah"]
    # Sandra hides tante Kim's item from Mark
    shield_through_the_screen(sandra, demo.family_id, noah,
                              f"record:{item_id(safety_app, KIMS_ITEM)}", demo.participants[MARK])
    assert not sees_item(mark, demo, KIMS_ITEM)
    assert sees_item(mark, demo, RIETS_ITEM)
    # and all of Noah's safety information: no item, and no answer about the children either
    shield_through_the_screen(sandra, demo.family_id, noah, "cat:veiligheid",
                              demo.participants[MARK])
    html = safety_page(mark, demo)
    assert RIETS_ITEM not in html and "Nog geen antwoorden die jij mag zien" in words(html)
    assert mark.get(url(demo, f"/{item_id(safety_app, RIETS_ITEM)}/geschiedenis")).status_code == 404


# --- what an attacker posts -------------------------------------------------------------------
def test_another_familys_participant_cannot_be_named(safety_app, demo):
    from samenplan.families.models import Participant

    other_family, _piet = add_other_family(safety_app)
    with db_session(safety_app) as session:
        piet = session.scalar(select(Participant.id).where(Participant.family_id == other_family))
    before = counts(safety_app)
    fatima = as_user(safety_app, FATIMA)
    response = post_item(fatima, demo, body="Piet mag dit zien.",
                         subjects=[str(demo.persons["Noah"])], named=[str(piet)])
    assert response.status_code == 422
    assert "Piet mag dit zien." in text_of(response)  # what was typed stays
    assert counts(safety_app) == before
    # nor a person of another family as subject, nor another family's entry to edit
    response = post_item(fatima, demo, body="Over iemand anders.", subjects=["999999"])
    assert response.status_code == 422 and counts(safety_app) == before
    with db_session(safety_app) as session:
        from samenplan.plans.models import PlanSection

        theirs = session.scalar(select(PlanSection.id).where(PlanSection.family_id == other_family))
    assert fatima.get(url(demo, f"/{theirs}/bewerken")).status_code == 404
    assert fatima.post(url(demo, f"/{theirs}/bewerken"), data={
        "csrf_token": csrf_token(safety_page(fatima, demo)), "item_kind": "anders",
        "body": "overschreven", "subjects": [str(demo.persons["Noah"])]}).status_code == 404
    # an entry of the plan that is no safety item is no item either
    from tests.support.builders import section_id

    strengths = section_id(safety_app, "Oma Riet helpt veel")
    assert fatima.get(url(demo, f"/{strengths}/bewerken")).status_code == 404


def test_nobody_answers_for_someone_else(safety_app, demo):
    before = counts(safety_app)
    sandra = as_user(safety_app, SANDRA)
    token = csrf_token(safety_page(sandra, demo))
    for respondent in (f"person:{demo.persons['Noah']}", f"participant:{demo.participants[RIET]}",
                       f"person:{demo.persons['Mark']}"):
        response = sandra.post(url(demo, "/antwoord"), data={
            "csrf_token": token, "respondent": respondent, "score": "9"})
        assert response.status_code == 422, respondent
        assert "Je kunt alleen voor jezelf antwoorden." in text_of(response)
    # the casusregisseur enters Noah's (no login), not Lisa's (she answers herself)
    fatima = as_user(safety_app, FATIMA)
    token = csrf_token(safety_page(fatima, demo))
    response = fatima.post(url(demo, "/antwoord"), data={
        "csrf_token": token, "respondent": f"person:{demo.persons['Lisa']}", "score": "9"})
    assert response.status_code == 422
    for score in ("11", "-1", "zeven"):
        response = fatima.post(url(demo, "/antwoord"), data={
            "csrf_token": token, "respondent": "zelf", "score": score})
        assert response.status_code == 422, score
    assert counts(safety_app) == before
    response = fatima.post(url(demo, "/antwoord"), data={
        "csrf_token": token, "respondent": f"person:{demo.persons['Noah']}", "score": "3"})
    assert response.status_code == 302
    assert counts(safety_app)[2] == before[2] + 1


# --- the plan's period and its review date ----------------------------------------------------
def _set_period(client, demo, **dates):
    form_page = text_of(client.get(url(demo, "/periode")))
    data = {"csrf_token": csrf_token(form_page), "version": form_version(form_page),
            "applies_from": input_value(form_page, "applies_from"),
            "applies_to": input_value(form_page, "applies_to"),
            "review_on": input_value(form_page, "review_on")}
    data.update({k: v.isoformat() if isinstance(v, date) else v for k, v in dates.items()})
    return client.post(url(demo, "/periode"), data=data)


def test_the_plan_warns_when_its_review_date_is_near_or_past(safety_app, demo):
    fatima = as_user(safety_app, FATIMA)
    today = date.today()
    assert "Over 10 dagen bekijken jullie het veiligheidsplan opnieuw." in words(safety_page(fatima, demo))
    assert _set_period(fatima, demo, review_on=today + timedelta(days=15)).status_code == 302
    assert "bekijken-waarschuwing" not in safety_page(fatima, demo)
    assert _set_period(fatima, demo, review_on=today + timedelta(days=14)).status_code == 302
    assert "Over 14 dagen" in words(safety_page(fatima, demo))
    assert _set_period(fatima, demo, review_on=today - timedelta(days=1)).status_code == 302
    html = words(safety_page(as_user(safety_app, SANDRA), demo))
    assert "De datum om het veiligheidsplan opnieuw te bekijken is voorbij." in html
    # a review before the plan starts is refused, with the dates kept
    response = _set_period(fatima, demo, applies_from=today, review_on=today - timedelta(days=30))
    assert response.status_code == 422
    assert "ligt vóór de begindatum" in text_of(response)
    history = words(text_of(fatima.get(url(demo, "/periode/geschiedenis"))))
    assert "Opnieuw bekijken op" in history


def test_the_explanation_to_lisa_is_shown_to_the_family_and_the_casusregisseur(safety_app, demo):
    explained = "Lisa: uitgelegd op"
    for email in (SANDRA, MARK, LISA, FATIMA):
        assert explained in words(safety_page(as_user(safety_app, email), demo)), email
    assert explained not in words(safety_page(as_user(safety_app, JORIS), demo))
    fatima = as_user(safety_app, FATIMA)
    html = safety_page(fatima, demo)
    response = fatima.post(url(demo, "/uitleg"), data={
        "csrf_token": csrf_token(html), "child_id": str(demo.persons["Noah"]),
        "explained_on": date.today().isoformat(), "explained_by": "Fatima en papa", "note": ""})
    assert response.status_code == 302
    assert "Noah: uitgelegd op" in words(safety_page(as_user(safety_app, MARK), demo))
    # not to an adult, not in the future
    for child, day in ((demo.persons["Sandra"], date.today()),
                       (demo.persons["Noah"], date.today() + timedelta(days=3))):
        response = fatima.post(url(demo, "/uitleg"), data={
            "csrf_token": csrf_token(html), "child_id": str(child), "explained_on": day.isoformat(),
            "explained_by": "Fatima"})
        assert response.status_code == 422


# --- the safety scale -------------------------------------------------------------------------
def scale_words(html: str) -> str:
    """The safety scale's part of the page as text ("Sandra Jansen: 7 (omhoog)")."""
    return words(html.split('id="schaal"')[1]).replace(" :", ":")


def test_the_scale_shows_a_trend_per_respondent(safety_app, demo):
    fatima = scale_words(safety_page(as_user(safety_app, FATIMA), demo))
    # two earlier rounds (DESIGN.md §6 demo): Sandra 6 → 7, Noah (entered by Fatima) 7 → 8
    assert "Sandra Jansen: 7 (omhoog)" in fatima
    assert "Noah: 8 (omhoog) ingevuld door je vaste hulpverlener" in fatima
    # Lisa sees her own answers only (Noah's safety is not hers to see), and answers again
    lisa = as_user(safety_app, LISA)
    html = safety_page(lisa, demo)
    assert 'class="chart' in html or "<svg" in html
    assert "Sandra Jansen" not in words(html.split('id="schaal"')[1])
    response = lisa.post(url(demo, "/antwoord"), data={
        "csrf_token": csrf_token(html), "respondent": "zelf", "score": "4"})
    assert response.status_code == 302
    assert "Lisa de Boer: 4 (omlaag)" in scale_words(safety_page(lisa, demo))


# --- records remember ------------------------------------------------------------------------
def test_a_stale_save_gets_the_merge_screen(safety_app, demo):
    riets = item_id(safety_app, RIETS_ITEM)
    fatima, sandra = as_user(safety_app, FATIMA), as_user(safety_app, SANDRA)
    edit = url(demo, f"/{riets}/bewerken")
    old_form = text_of(fatima.get(edit))
    old_version = form_version(old_form)
    fields = {"item_kind": "veilige_persoon", "title": "Veilige persoon",
              "subjects": [str(demo.persons["Noah"])],
              "named": [str(demo.participants[RIET]), str(demo.participants[LISA])]}
    assert post_item(sandra, demo, f"/{riets}/bewerken", body="Noah kan altijd oma Riet bellen, ook 's nachts.",
                     **fields).status_code == 302
    response = fatima.post(edit, data={"csrf_token": csrf_token(old_form), "version": old_version,
                                       "body": "Noah kan oma Riet en tante Kim bellen.", **fields})
    assert response.status_code == 409
    html = text_of(response)
    assert MERGE_HEADING in html
    rows = merge_table(html)
    assert rows["Wat spreken jullie af?"] == ("Noah kan altijd oma Riet bellen, ook 's nachts.",
                                              "Noah kan oma Riet en tante Kim bellen.")
    assert "Noah kan oma Riet en tante Kim bellen." in html.split("<form")[1]  # kept in the form
    assert form_version(html) != old_version
    assert "ook 's nachts" in safety_page(fatima, demo)  # nothing overwritten
    history = words(text_of(fatima.get(url(demo, f"/{riets}/geschiedenis"))))
    assert "Afspraak" in history and "ook 's nachts" in history


def test_the_pages_cost_does_not_grow_with_the_items(safety_app, demo):
    from tests.support.builders import page_statements

    fatima = as_user(safety_app, FATIMA)
    before, _html = page_statements(safety_app, fatima, url(demo))
    plan_before, _html = page_statements(safety_app, fatima, f"/gezin/{demo.family_id}")
    for n in range(4):
        assert post_item(fatima, demo, item_kind="steun_ouders", body=f"Afspraak {n} met oma Riet.",
                         subjects=[str(demo.persons["Noah"]), str(demo.persons["Lisa"])],
                         named=[str(demo.participants[RIET])],
                         consenters=[str(demo.persons["Sandra"])]).status_code == 302
        assert fatima.post(url(demo, "/antwoord"), data={
            "csrf_token": csrf_token(safety_page(fatima, demo)), "respondent": "zelf",
            "score": str(n)}).status_code == 302
    after, html = page_statements(safety_app, fatima, url(demo))
    assert "Afspraak 3 met oma Riet." in html
    assert len(after) == len(before), "the safety plan's page queries per item or answer"
    plan_after, _html = page_statements(safety_app, fatima, f"/gezin/{demo.family_id}")
    assert len(plan_after) == len(plan_before), "the plan's safety card queries per item"


def test_a_stale_change_of_the_period_gets_the_merge_screen(safety_app, demo):
    fatima, sandra = as_user(safety_app, FATIMA), as_user(safety_app, SANDRA)
    old_form = text_of(fatima.get(url(demo, "/periode")))
    later = date.today() + timedelta(days=40)
    assert _set_period(sandra, demo, review_on=later).status_code == 302
    response = fatima.post(url(demo, "/periode"), data={
        "csrf_token": csrf_token(old_form), "version": form_version(old_form),
        "applies_from": input_value(old_form, "applies_from"), "applies_to": "",
        "review_on": (date.today() + timedelta(days=5)).isoformat()})
    assert response.status_code == 409
    html = text_of(response)
    assert MERGE_HEADING in html and "Wanneer bekijken we het plan opnieuw?" in merge_table(html)
    assert input_value(html, "review_on") == (date.today() + timedelta(days=5)).isoformat()
    assert "bekijken-waarschuwing" not in safety_page(fatima, demo)  # Sandra's date stands


# --- an explanation is corrected ---------------------------------------------------------------
def explanation_id(app, child_id: int) -> int:
    from samenplan.safety.models import SafetyExplanation

    with db_session(app) as session:
        found = session.scalar(select(SafetyExplanation.id)
                               .where(SafetyExplanation.child_id == child_id))
    assert found, "the demo explained the plan to Lisa"
    return found


def explanation_fields(html: str, **changes) -> dict:
    data = {"csrf_token": csrf_token(html), "version": form_version(html),
            "child_id": "",
            "explained_on": input_value(html, "explained_on"),
            "explained_by": input_value(html, "explained_by"), "note": ""}
    data.update(changes)
    return data


def test_an_explanation_is_corrected_with_history_and_a_stale_save_gets_the_merge_screen(
        safety_app, demo):
    lisas = explanation_id(safety_app, demo.persons["Lisa"])
    edit = url(demo, f"/uitleg/{lisas}/bewerken")
    fatima, sandra = as_user(safety_app, FATIMA), as_user(safety_app, SANDRA)
    assert f'href="{edit}"' in safety_page(fatima, demo), "the page offers the correction"
    old_form = text_of(fatima.get(edit))
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    response = sandra.post(edit, data=explanation_fields(
        text_of(sandra.get(edit)), child_id=str(demo.persons["Lisa"]), explained_on=yesterday,
        explained_by="Fatima en mama Sandra"))
    assert response.status_code == 302
    assert "door Fatima en mama Sandra" in words(safety_page(as_user(safety_app, MARK), demo))
    history = words(text_of(fatima.get(url(demo, f"/uitleg/{lisas}/geschiedenis"))))
    assert "Wie legde het uit" in history and "Fatima en mama Sandra" in history

    # Fatima saves from the version before Sandra's: the merge screen, her text kept
    response = fatima.post(edit, data=explanation_fields(
        old_form, child_id=str(demo.persons["Lisa"]), explained_by="Fatima, met papa erbij"))
    assert response.status_code == 409
    html = text_of(response)
    assert MERGE_HEADING in html
    assert merge_table(html)["Wie legde het uit?"] == ("Fatima en mama Sandra",
                                                       "Fatima, met papa erbij")
    assert input_value(html, "explained_by") == "Fatima, met papa erbij"
    assert "door Fatima en mama Sandra" in words(safety_page(fatima, demo)), "nothing overwritten"
    # and saving it again, from the version it shows now, is a knowing choice
    response = fatima.post(edit, data=explanation_fields(html, child_id=str(demo.persons["Lisa"])))
    assert response.status_code == 302
    assert "door Fatima, met papa erbij" in words(safety_page(fatima, demo))


def test_an_explanation_is_corrected_only_by_who_may_and_only_within_the_family(safety_app, demo):
    from samenplan.safety.models import SafetyExplanation

    lisas = explanation_id(safety_app, demo.persons["Lisa"])
    edit = url(demo, f"/uitleg/{lisas}/bewerken")
    fatima = as_user(safety_app, FATIMA)
    fatima_form = text_of(fatima.get(edit))
    for email in (JORIS, RIET):  # may not read it, or may not write in the plan
        client = as_user(safety_app, email)
        assert client.get(edit).status_code == 404, email
        assert client.post(edit, data=explanation_fields(
            fatima_form, csrf_token=csrf_token(safety_page(client, demo)),
            explained_by="Iemand anders")).status_code == 404, email
        assert client.get(url(demo, f"/uitleg/{lisas}/geschiedenis")).status_code == 404, email
    # another family's parent: 404, whatever the id
    _family, piet = add_other_family(safety_app)
    piet_client = as_user(safety_app, piet)
    assert piet_client.get(edit).status_code == 404
    # a child of another family, posted by the casusregisseur: a clear message, nothing changed
    response = fatima.post(edit, data=explanation_fields(fatima_form, child_id="999999"))
    assert response.status_code == 422
    with db_session(safety_app) as session:
        explanation = session.get(SafetyExplanation, lisas)
        assert explanation.child_id == demo.persons["Lisa"]
        assert explanation.explained_by != "Iemand anders"
