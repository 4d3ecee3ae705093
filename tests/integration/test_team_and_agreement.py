"""Issue 11, items 4 and 8: the team (each professional's line: organisation, role, phone,
funding, from/to; the casusregisseur marked), the contact card on the plan's first screen, and
each participant's akkoord with the plan as a whole.

The team shows only the professionals whose participation the viewer may know of (DESIGN.md
§3, §6): Mark and Riet see nothing of Daan or Ilse - no name, no phone number, no count. Lines
are changed by their own professional or by the casusregisseur; stale saves get the merge
screen; posted ids of another family are refused.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.support.clients import as_user, db_session, page
from tests.support.families import take_on_the_bakkers, today
from tests.support.html import dom, form_values
from tests.support.pages import words
from tests.support.people import DAAN, FATIMA, ILSE, JORIS, LISA, MARK, RIET, SANDRA
from tests.support.team import (
    agreement_lines, change_goal_title, contact_card, phone_links, team_lines,
)

DAAN_PHONE, ILSE_PHONE = "020 234 56 78", "020 345 67 89"
HIDDEN_FROM_MARK = ("Daan Visser", "Ilse Smit", "GGZ Kompas", "Schuldhulp Stad", DAAN_PHONE,
                    ILSE_PHONE, "Zorgverzekeringswet")


@pytest.fixture
def team_app(app):
    app.config["LOGIN_RATE_LIMIT"] = "10000 per minute"
    return app


def _team(demo) -> str:
    return f"/gezin/{demo.family_id}/team"


def _line(demo, email: str) -> str:
    return f"{_team(demo)}/{demo.participants[email]}"


def _contact_rows(app) -> int:
    from samenplan.team.models import PlanContact

    with db_session(app) as session:
        return session.scalar(select(func.count(PlanContact.id)))


def _agreement_rows(app) -> int:
    from samenplan.team.models import PlanAgreement

    with db_session(app) as session:
        return session.scalar(select(func.count(PlanAgreement.id)))


# --- who sees whom in the team ----------------------------------------------------------------
@pytest.mark.parametrize("email, expected", [
    (FATIMA, ["Fatima El Amrani", "Daan Visser", "Ilse Smit", "Joris Bakker"]),
    (SANDRA, ["Fatima El Amrani", "Daan Visser", "Ilse Smit", "Joris Bakker"]),
    (MARK, ["Fatima El Amrani", "Joris Bakker"]),
    (RIET, ["Fatima El Amrani", "Joris Bakker"]),
    (LISA, ["Fatima El Amrani", "Joris Bakker"]),
    (DAAN, ["Fatima El Amrani", "Daan Visser"]),
    (ILSE, ["Fatima El Amrani", "Ilse Smit"]),
    (JORIS, ["Fatima El Amrani", "Joris Bakker"]),
])
def test_the_team_shows_only_the_professionals_the_viewer_may_know_of(team_app, demo, email,
                                                                       expected):
    html = page(as_user(team_app, email).get(_team(demo)))
    names = team_lines(html)
    assert [n.split(" casusregisseur")[0].split(" vaste hulpverlener")[0] for n in names] == expected
    assert "casusregisseur" in names[0] or "vaste hulpverlener" in names[0]  # marked, and first


@pytest.mark.parametrize("email", [MARK, RIET])
def test_mark_and_riet_see_no_trace_of_daan_or_ilse_on_the_team_or_plan(team_app, demo, email):
    client = as_user(team_app, email)
    for url in (_team(demo), f"/gezin/{demo.family_id}"):
        html = page(client.get(url))
        for secret in HIDDEN_FROM_MARK:
            assert secret not in html, (email, url, secret)
        assert "een hulpverlener" not in html  # not even a stand-in, so not a count either
    assert client.get(_line(demo, DAAN)).status_code == 404


def test_fatima_sees_every_line_with_its_facts_and_a_tel_link(team_app, demo):
    html = page(as_user(team_app, FATIMA).get(_team(demo)))
    for text in ("GGZ Kompas", "behandelaar", DAAN_PHONE, "Zorgverzekeringswet (Zvw)",
                 "Schuldhulp Stad", ILSE_PHONE, "Wmo", "Het Baken College", "mentor",
                 "Betrokken vanaf"):
        assert text in html, text
    assert "tel:0202345678" in phone_links(html) and "tel:0201234567" in phone_links(html)


# --- who changes a line -----------------------------------------------------------------------
def test_a_professional_changes_their_own_line_and_no_one_elses(team_app, demo):
    ilse = as_user(team_app, ILSE)
    form = form_values(page(ilse.get(_line(demo, ILSE))), _line(demo, ILSE))
    saved = ilse.post(_line(demo, ILSE), data={**form, "phone": "06 11 22 33 44",
                                               "funding": "participatiewet"})
    assert saved.status_code == 302
    html = page(ilse.get(saved.headers["Location"]))
    assert "06 11 22 33 44" in html and "Participatiewet" in html and "zijn opgeslagen" in html
    # Fatima sees the change; Ilse cannot open Fatima's line, nor Joris's (whom she cannot see)
    assert "06 11 22 33 44" in page(as_user(team_app, FATIMA).get(_team(demo)))
    assert ilse.get(_line(demo, FATIMA)).status_code == 404
    assert ilse.get(_line(demo, JORIS)).status_code == 404
    refused = ilse.post(_line(demo, FATIMA), data={**form, "phone": "06 99 99 99 99"})
    assert refused.status_code == 404
    assert "06 99 99 99 99" not in page(as_user(team_app, SANDRA).get(_team(demo)))


@pytest.mark.parametrize("email", [SANDRA, MARK, RIET])
def test_the_family_and_network_cannot_change_team_lines(team_app, demo, email):
    client = as_user(team_app, email)
    assert "Aanpassen" not in page(client.get(_team(demo)))
    for who in (FATIMA, JORIS):
        assert client.get(_line(demo, who)).status_code == 404
        assert client.post(_line(demo, who), data={"phone": "06 00 00 00 00"}).status_code in (400, 404)
    assert "06 00 00 00 00" not in page(as_user(team_app, FATIMA).get(_team(demo)))


def test_the_casusregisseur_ends_an_involvement_and_it_shows_as_ended(team_app, demo):
    fatima = as_user(team_app, FATIMA)
    form = form_values(page(fatima.get(_line(demo, JORIS))), _line(demo, JORIS))
    yesterday = (today() - timedelta(days=1)).isoformat()
    assert fatima.post(_line(demo, JORIS), data={**form, "end_date": yesterday}).status_code == 302
    html = page(as_user(team_app, LISA).get(_team(demo)))
    assert "gestopt" in html and "Gestopt op" in html
    # a to-date before the from-date is refused in words, with what was typed kept
    form = form_values(page(fatima.get(_line(demo, JORIS))), _line(demo, JORIS))
    wrong = fatima.post(_line(demo, JORIS), data={**form, "start_date": today().isoformat(),
                                                  "end_date": yesterday, "phone": "06 12 12 12 12"})
    assert wrong.status_code == 422
    assert "De einddatum ligt voor de begindatum." in page(wrong) and "06 12 12 12 12" in page(wrong)


def test_a_stale_save_of_a_line_gets_the_merge_screen(team_app, demo):
    fatima, ilse = as_user(team_app, FATIMA), as_user(team_app, ILSE)
    old = form_values(page(fatima.get(_line(demo, ILSE))), _line(demo, ILSE))
    mine = form_values(page(ilse.get(_line(demo, ILSE))), _line(demo, ILSE))
    assert ilse.post(_line(demo, ILSE), data={**mine, "phone": "06 10 10 10 10"}).status_code == 302
    stale = fatima.post(_line(demo, ILSE), data={**old, "phone": "06 20 20 20 20"})
    assert stale.status_code == 409
    html = page(stale)
    assert "Iemand anders heeft deze gegevens net veranderd" in html
    assert "06 10 10 10 10" in html and 'value="06 20 20 20 20"' in html  # theirs, and mine kept
    # saving again from the merge screen is a save from the version now shown
    again = form_values(html, _line(demo, ILSE))
    assert fatima.post(_line(demo, ILSE), data=again).status_code == 302
    assert "06 20 20 20 20" in page(fatima.get(_team(demo)))


def test_a_line_of_another_family_is_not_found(team_app, demo):
    bakkers = take_on_the_bakkers(team_app)
    with db_session(team_app) as session:
        from samenplan.families.models import Participant

        theirs = session.scalar(select(Participant.id).where(
            Participant.family_id == bakkers.family_id))
    fatima = as_user(team_app, FATIMA)
    assert fatima.get(f"{_team(demo)}/{theirs}").status_code == 404
    assert fatima.post(f"{_team(demo)}/{theirs}", data={"phone": "06 1"}).status_code in (400, 404)


# --- the contact card -----------------------------------------------------------------------
def test_sandra_sees_the_contact_card_on_the_plan(team_app, demo):
    html = page(as_user(team_app, SANDRA).get(f"/gezin/{demo.family_id}"))
    card = contact_card(html)
    assert "Je vaste hulpverlener" in card and "Fatima El Amrani" in card
    assert "020 123 45 67" in card
    assert "Als Fatima er niet is" in card and "Wijkteam Noord" in card and "020 123 45 00" in card
    assert "Karin Mulder" in card
    assert "tel:0201234500" in phone_links(html)
    # on the first screen: before the goals
    assert html.index('id="contactkaart"') < html.index('id="doelen-kop"')
    assert "Contactgegevens aanpassen" not in html


def test_only_the_casusregisseur_sets_the_contact_card_and_a_stale_save_is_merged(team_app, demo):
    url = f"{_team(demo)}/contactkaart"
    for email in (SANDRA, DAAN, RIET):
        client = as_user(team_app, email)
        assert client.get(url).status_code == 404
        assert client.post(url, data={"emergency_phone": "06 66 66 66 66"}).status_code in (400, 404)
    before = _contact_rows(team_app)
    fatima, other_tab = as_user(team_app, FATIMA), as_user(team_app, FATIMA)
    first = form_values(page(fatima.get(url)), url)
    second = form_values(page(other_tab.get(url)), url)
    saved = fatima.post(url, data={**first, "emergency_name": "Balie wijkteam",
                                   "emergency_phone": "020 111 11 11"})
    assert saved.status_code == 302
    assert "Balie wijkteam" in contact_card(page(as_user(team_app, SANDRA).get(f"/gezin/{demo.family_id}")))
    stale = other_tab.post(url, data={**second, "emergency_name": "Collega Piet"})
    assert stale.status_code == 409
    html = page(stale)
    assert "Iemand anders heeft de contactgegevens net veranderd" in html
    assert "Balie wijkteam" in html and 'value="Collega Piet"' in html
    assert _contact_rows(team_app) == before + 1


def test_a_buddy_of_another_family_is_refused_and_one_from_ggz_is_hidden_from_mark(team_app, demo):
    from samenplan.families.models import Participant

    bakkers = take_on_the_bakkers(team_app)
    with db_session(team_app) as session:
        stranger = session.scalar(select(Participant.id).where(
            Participant.family_id == bakkers.family_id))
    url = f"{_team(demo)}/contactkaart"
    fatima = as_user(team_app, FATIMA)
    form = form_values(page(fatima.get(url)), url)
    before = _contact_rows(team_app)
    for bad in (str(stranger), str(demo.participants[FATIMA]), "1 OR 1=1"):
        refused = fatima.post(url, data={**form, "buddy": bad, "emergency_name": "Getypt blijft"})
        assert refused.status_code == 422, bad
        assert "Kies een maatje uit de lijst." in page(refused)
        assert 'value="Getypt blijft"' in page(refused)
    assert _contact_rows(team_app) == before
    # Daan as buddy: Sandra sees him on the card, Mark does not (his participation is hidden)
    ok = fatima.post(url, data={**form, "buddy": str(demo.participants[DAAN])})
    assert ok.status_code == 302
    assert "Daan Visser" in contact_card(page(as_user(team_app, SANDRA).get(f"/gezin/{demo.family_id}")))
    mark = page(as_user(team_app, MARK).get(f"/gezin/{demo.family_id}"))
    assert "Daan" not in contact_card(mark) and DAAN_PHONE not in mark
    assert "Maatje" not in contact_card(mark)
    # and the contact form of another family's plan is not Fatima's to open from here
    assert as_user(team_app, SANDRA).post(
        f"/gezin/{bakkers.family_id}/team/contactkaart", data=form).status_code in (400, 404)


def test_a_plan_without_casusregisseur_says_so_and_gives_the_emergency_number(team_app, demo):
    from samenplan.families.models import Participant

    with db_session(team_app) as session:  # Fatima left; nobody took over yet
        session.get(Participant, demo.participants[FATIMA]).active = False
        session.commit()
    card = contact_card(page(as_user(team_app, SANDRA).get(f"/gezin/{demo.family_id}")))
    assert "Er is nu even geen vaste hulpverlener" in card
    assert "020 123 45 00" in card and "Fatima" not in card


# --- the plan agreed ----------------------------------------------------------------------------
def _plan(demo) -> str:
    return f"/gezin/{demo.family_id}"


def _agree_url(demo) -> str:
    return f"/gezin/{demo.family_id}/plan-akkoord"


def test_niet_akkoord_needs_a_reason_and_keeps_what_was_typed(team_app, demo):
    sandra = as_user(team_app, SANDRA)
    form = form_values(page(sandra.get(_plan(demo))), _agree_url(demo))
    before = _agreement_rows(team_app)
    refused = sandra.post(_agree_url(demo), data={**form, "agrees": "nee", "reason": "   "})
    assert refused.status_code == 422
    assert "Schrijf op waarom je het niet eens bent met het plan." in page(refused)
    assert _agreement_rows(team_app) == before
    no = sandra.post(_agree_url(demo), data={**form, "agrees": "nee", "reason": "Te veel tegelijk"})
    assert no.status_code == 302
    lines = agreement_lines(page(as_user(team_app, MARK).get(_plan(demo))))
    assert any("Sandra Jansen" in line and "niet akkoord" in line and "Te veel tegelijk" in line
               for line in lines)


def test_an_agreement_shows_who_and_when_and_a_later_change(team_app, demo):
    sandra = as_user(team_app, SANDRA)
    form = form_values(page(sandra.get(_plan(demo))), _agree_url(demo))
    assert sandra.post(_agree_url(demo), data={**form, "agrees": "ja"}).status_code == 302
    html = page(sandra.get(_plan(demo)))
    [line] = agreement_lines(html)
    assert "Sandra Jansen" in line and "akkoord" in line and "niet" not in line
    assert "Sindsdien is het plan veranderd" not in line
    # goal 2 (GGZ, hidden from Mark) changes: Fatima is told, Mark is not (it would tell him)
    change_goal_title(team_app, FATIMA, "Ik ga elke week naar mijn afspraak bij de GGZ",
                      "Ik ga elke week naar de GGZ")
    assert "Sindsdien is het plan veranderd" in agreement_lines(
        page(as_user(team_app, FATIMA).get(_plan(demo))))[0]
    mark = as_user(team_app, MARK)
    assert "Sindsdien is het plan veranderd" not in agreement_lines(page(mark.get(_plan(demo))))[0]
    # goal 1, which Mark sees, changes: now he is told too
    change_goal_title(team_app, FATIMA, "We hebben elke avond rust in huis",
                      "We hebben elke avond rust in ons huis")
    assert "Sindsdien is het plan veranderd" in agreement_lines(page(mark.get(_plan(demo))))[0]
    # a new answer replaces the old one on the page; both are kept
    form = form_values(page(sandra.get(_plan(demo))), _agree_url(demo))
    assert sandra.post(_agree_url(demo), data={**form, "agrees": "ja"}).status_code == 302
    assert "Sindsdien" not in agreement_lines(page(sandra.get(_plan(demo))))[0]
    assert _agreement_rows(team_app) == 2


def test_an_agreement_by_daan_is_not_shown_to_mark_not_even_counted(team_app, demo):
    daan = as_user(team_app, DAAN)
    form = form_values(page(daan.get(_plan(demo))), _agree_url(demo))
    assert daan.post(_agree_url(demo), data={**form, "agrees": "nee",
                                             "reason": "Eerst de behandeling"}).status_code == 302
    assert any("Daan Visser" in line for line in agreement_lines(
        page(as_user(team_app, SANDRA).get(_plan(demo)))))
    mark = page(as_user(team_app, MARK).get(_plan(demo)))
    assert agreement_lines(mark) == [] and "Eerst de behandeling" not in mark
    assert "Daan" not in mark


def test_a_second_tab_answering_from_an_older_answer_gets_the_merge_screen(team_app, demo):
    one, two = as_user(team_app, LISA), as_user(team_app, LISA)
    first = form_values(page(one.get(_plan(demo))), _agree_url(demo))
    second = form_values(page(two.get(_plan(demo))), _agree_url(demo))
    assert one.post(_agree_url(demo), data={**first, "agrees": "ja"}).status_code == 302
    stale = two.post(_agree_url(demo), data={**second, "agrees": "nee", "reason": "Mijn reden"})
    assert stale.status_code == 409
    html = page(stale)
    assert "Je had hier al een ander antwoord gegeven" in html and "Mijn reden" in html
    assert _agreement_rows(team_app) == 1
    again = form_values(html, _agree_url(demo))
    assert two.post(_agree_url(demo), data={**again, "agrees": "nee",
                                            "reason": "Mijn reden"}).status_code == 302
    assert _agreement_rows(team_app) == 2


def test_answering_for_another_familys_plan_is_not_found(team_app, demo):
    bakkers = take_on_the_bakkers(team_app)
    sandra = as_user(team_app, SANDRA)
    form = form_values(page(sandra.get(_plan(demo))), _agree_url(demo))
    assert sandra.post(f"/gezin/{bakkers.family_id}/plan-akkoord",
                       data={**form, "agrees": "ja"}).status_code == 404
    assert _agreement_rows(team_app) == 0


def test_a_lines_history_shows_what_changed_to_whoever_sees_the_line(team_app, demo):
    ilse = as_user(team_app, ILSE)
    form = form_values(page(ilse.get(_line(demo, ILSE))), _line(demo, ILSE))
    assert ilse.post(_line(demo, ILSE), data={**form, "phone": "06 30 30 30 30",
                                              "funding": "participatiewet"}).status_code == 302
    html = page(as_user(team_app, SANDRA).get(f"{_line(demo, ILSE)}/geschiedenis"))
    assert "06 30 30 30 30" in html and ILSE_PHONE in html and "Participatiewet" in html
    assert "Ilse Smit" in html
    for email in (MARK, RIET, DAAN):  # who may not know Ilse takes part
        assert as_user(team_app, email).get(f"{_line(demo, ILSE)}/geschiedenis").status_code == 404


def test_seeing_a_gezondheid_line_is_in_the_audit_log_with_its_ground(team_app, demo):
    from samenplan.privacy.models import Involvement
    from tests.support.audit import events_about

    with db_session(team_app) as session:
        daans = session.scalar(select(Involvement.id).where(
            Involvement.participant_id == demo.participants[DAAN]))
    before = len(events_about(team_app, daans, "view"))
    page(as_user(team_app, FATIMA).get(_team(demo)))
    seen = events_about(team_app, daans, "view")
    assert len(seen) == before + 1
    assert seen[-1].actor_participant_id == demo.participants[FATIMA]
    assert seen[-1].category == "gezondheid" and seen[-1].ground == "author"  # she invited him


def test_a_change_of_role_alone_makes_an_older_form_stale(team_app, demo):
    fatima, joris = as_user(team_app, FATIMA), as_user(team_app, JORIS)
    old = form_values(page(fatima.get(_line(demo, JORIS))), _line(demo, JORIS))
    mine = form_values(page(joris.get(_line(demo, JORIS))), _line(demo, JORIS))
    assert joris.post(_line(demo, JORIS), data={**mine, "function": "mentor klas 3"}).status_code == 302
    assert "mentor klas 3" in page(as_user(team_app, LISA).get(_team(demo)))
    stale = fatima.post(_line(demo, JORIS), data={**old, "phone": "06 40 40 40 40"})
    assert stale.status_code == 409 and "mentor klas 3" in page(stale)


# --- older versions of the contact card and of the answers about the plan ---------------------
def _history_items(html: str) -> list[str]:
    return [li.text() for li in dom(html).find_all("li") if "card" in li.classes()
            and (li.attrs.get("id") or "").startswith("versie-")]


def test_the_contact_card_s_older_versions_are_shown_to_whoever_sees_the_card(team_app, demo):
    url = f"{_team(demo)}/contactkaart"
    history_url = f"{url}/geschiedenis"
    fatima = as_user(team_app, FATIMA)
    form = form_values(page(fatima.get(url)), url)
    assert fatima.post(url, data={**form, "emergency_name": "Balie wijkteam",
                                  "emergency_phone": "020 111 11 11"}).status_code == 302
    form = form_values(page(fatima.get(url)), url)
    assert fatima.post(url, data={**form, "buddy": str(demo.participants[DAAN]),
                                  "emergency_name": "Collega Piet"}).status_code == 302
    plan = page(as_user(team_app, SANDRA).get(f"/gezin/{demo.family_id}"))
    assert f'href="{history_url}"' in plan, "the card links to its history"
    sandra = words(page(as_user(team_app, SANDRA).get(history_url)))
    assert "Balie wijkteam → Collega Piet" in sandra
    assert "Daan Visser" in sandra, "Sandra may know Daan takes part"
    # Mark may not know that Daan takes part: the buddy change says "een hulpverlener"
    mark = page(as_user(team_app, MARK).get(history_url))
    assert "Balie wijkteam → Collega Piet" in words(mark)
    assert "Daan" not in mark and DAAN_PHONE not in mark and "GGZ" not in mark
    assert "een hulpverlener" in words(mark)
    # someone of another family: 404
    bakkers = take_on_the_bakkers(team_app)
    assert as_user(team_app, SANDRA).get(
        f"/gezin/{bakkers.family_id}/team/contactkaart/geschiedenis").status_code == 404


def test_the_answers_about_the_plan_have_a_history_without_whom_the_reader_may_not_know(
        team_app, demo):
    daan = as_user(team_app, DAAN)
    form = form_values(page(daan.get(_plan(demo))), _agree_url(demo))
    assert daan.post(_agree_url(demo), data={**form, "agrees": "nee",
                                             "reason": "Eerst de behandeling"}).status_code == 302
    form = form_values(page(daan.get(_plan(demo))), _agree_url(demo))
    assert daan.post(_agree_url(demo), data={**form, "agrees": "ja"}).status_code == 302
    lisa = as_user(team_app, LISA)
    form = form_values(page(lisa.get(_plan(demo))), _agree_url(demo))
    assert lisa.post(_agree_url(demo), data={**form, "agrees": "ja"}).status_code == 302
    history_url = f"/gezin/{demo.family_id}/plan-akkoord/geschiedenis"
    assert f'href="{history_url}"' in page(as_user(team_app, MARK).get(_plan(demo)))
    sandra = words(page(as_user(team_app, SANDRA).get(history_url)))
    assert "niet akkoord → akkoord" in sandra and "Eerst de behandeling" in sandra
    assert "Daan Visser" in sandra and "Lisa" in sandra
    mark = page(as_user(team_app, MARK).get(history_url))
    assert "Daan" not in mark and "Eerst de behandeling" not in mark
    assert len(_history_items(mark)) == 1 and "Lisa" in _history_items(mark)[0]


def test_a_stale_contact_card_links_to_its_history(team_app, demo):
    url = f"{_team(demo)}/contactkaart"
    fatima, other_tab = as_user(team_app, FATIMA), as_user(team_app, FATIMA)
    first = form_values(page(fatima.get(url)), url)
    second = form_values(page(other_tab.get(url)), url)
    assert fatima.post(url, data={**first, "emergency_name": "Balie wijkteam"}).status_code == 302
    stale = page(other_tab.post(url, data={**second, "emergency_name": "Collega Piet"}))
    assert f'href="{url}/geschiedenis"' in stale and "Hun versie houden" in stale
