"""Sections on the plan (issue 11 item 2): perspectief, waar het kind opgroeit (with its horizon
date), wat gaat goed, zorgen, wat we zelf doen, hulp die nodig is, and the others; each entry a
record with subjects, a category, a version and a history, written by who has the right
(family, casusregisseur, professionals; not the network), never widened by who may not
consent for its subjects, and seen only by who may see it.

Through the real forms (CSRF token, the hidden version as the page sent it), with and without
htmx, on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from samenplan.db import utcnow
from tests.support.audit import events_about
from tests.support.builders import (
    add_other_family, add_section, add_sections, consent_at_the_table, give_a_guardian, audit_inserts, page_statements, section_id, shapes,
)
from tests.support.clients import as_user, csrf_token, db_session
from tests.support.clients import page as text_of
from tests.support.html import dom, form_values
from tests.support.pages import (
    form_version, history_entries, input_value, merge_table, words,
)
from tests.support.people import DAAN, FATIMA, MARK, RIET, SANDRA

HTMX = {"HX-Request": "true"}
ADDRESS = "Merelstraat 7"  # DESIGN.md §6: Sandra's address, shielded from Mark
PERSPECTIVE = "Over een jaar is het rustig in huis"  # Sandra's perspectief
STRENGTHS = "Oma Riet helpt veel"  # Sandra's "wat gaat goed" (algemeen, Sandra, Lisa, Noah)
MERGE_HEADING = "Iemand anders heeft dit net veranderd"


# --- helpers ---------------------------------------------------------------------------------
def plan_url(demo) -> str:
    return f"/gezin/{demo.family_id}"


def new_url(demo, kind: str) -> str:
    return f"/gezin/{demo.family_id}/plan/{kind}/nieuw"


def edit_url(demo, entry_id: int) -> str:
    return f"/gezin/{demo.family_id}/plan/{entry_id}/bewerken"


def history_url(demo, entry_id: int) -> str:
    return f"/gezin/{demo.family_id}/plan/{entry_id}/geschiedenis"


def entry_urls(demo, entry_id: int) -> list[str]:
    """Every GET route of one entry."""
    return [edit_url(demo, entry_id), history_url(demo, entry_id),
            f"/gezin/{demo.family_id}/plan/{entry_id}"]


def fill(client, url: str, headers=None, **changes) -> dict[str, list[str]]:
    """The form at `url` as the browser would send it, with `changes`."""
    form = form_values(text_of(client.get(url, headers=headers or {})), url)
    form.update({k: v if isinstance(v, list) else [v] for k, v in changes.items()})
    return form


def entry(app, entry_id: int):
    from samenplan.plans.models import PlanSection

    with db_session(app) as session:
        found = session.get(PlanSection, entry_id)
        session.expunge(found)
        return found


def entry_count(app) -> int:
    from samenplan.plans.models import PlanSection

    with db_session(app) as session:
        return session.scalar(select(func.count(PlanSection.id)))


def section_of(html: str, kind: str):
    """The plan's section of `kind` (its card)."""
    return dom(html).find("section", id=f"sectie-{kind}")


@pytest.fixture
def sandra(app):
    return as_user(app, SANDRA)


@pytest.fixture
def fatima(app):
    return as_user(app, FATIMA)


# --- writing an entry ------------------------------------------------------------------------
def test_a_family_member_adds_what_goes_well_about_themself(app, demo, sandra):
    plan = text_of(sandra.get(plan_url(demo)))
    strengths = section_of(plan, "wat_gaat_goed")
    add = [a for a in strengths.find_all("a") if a.text().startswith("Toevoegen")]
    assert add and add[0].attrs["href"] == new_url(demo, "wat_gaat_goed")

    url = new_url(demo, "wat_gaat_goed")
    form_page = text_of(sandra.get(url))
    assert form_page.count("<h1") == 1
    values = form_values(form_page, url)
    assert values["subjects"] == [str(demo.persons["Sandra"])], "about herself, to begin with"
    assert values.get("category") in (None, [""]), "no category chosen in advance"
    assert "Zichtbaar voor:" in form_page

    # no category: a Dutch error, what she typed kept
    before = entry_count(app)
    values.update(body=["Ik ga elke ochtend wandelen."], title=["Wandelen"])
    refused = sandra.post(url, data=values)
    assert refused.status_code == 422
    page = text_of(refused)
    assert "Kies wat voor informatie dit is" in page
    assert "Ik ga elke ochtend wandelen." in page and input_value(page, "title") == "Wandelen"
    assert entry_count(app) == before

    values["category"] = ["algemeen"]
    saved = sandra.post(url, data=values)
    assert saved.status_code == 302, text_of(saved)[:500]
    new_id = section_id(app, "Ik ga elke ochtend wandelen.")
    assert saved.headers["Location"].endswith(f"#sectie-{new_id}")
    made = entry(app, new_id)
    assert made.section == "wat_gaat_goed" and made.category == "algemeen" and made.version == 1
    assert [line.action for line in events_about(app, new_id)] == ["create"]

    # the confirmation where the eye is: in the entry the plan opens at
    plan = text_of(sandra.get(saved.headers["Location"]))
    card = dom(plan).find("article", id=f"sectie-{new_id}")
    assert "Ik ga elke ochtend wandelen." in card.text() and "Opgeslagen." in card.text()
    assert "Zichtbaar voor:" in card.text() and "Fatima El Amrani" in card.text()
    history = text_of(sandra.get(history_url(demo, new_id)))
    assert [v for v, _text in history_entries(history)] == [1]


def test_an_entry_is_changed_and_its_history_says_what_changed(app, demo, sandra):
    strengths = section_id(app, STRENGTHS)
    url = edit_url(demo, strengths)
    values = fill(sandra, url, body="Oma Riet helpt veel. Lisa tekent en Noah zingt.")
    saved = sandra.post(url, data=values)
    assert saved.status_code == 302, text_of(saved)[:500]
    assert entry(app, strengths).version == 2
    assert "Noah zingt" in text_of(sandra.get(plan_url(demo)))

    listing = history_entries(text_of(sandra.get(history_url(demo, strengths))))
    assert [v for v, _text in listing] == [2, 1]
    assert "Tekst : Oma Riet helpt veel. Lisa kan goed tekenen. → Oma Riet helpt veel. Lisa tekent en Noah zingt." in listing[0][1]
    assert "Sandra Jansen" in listing[0][1]
    # the plan links to it from the entry
    card = dom(text_of(sandra.get(plan_url(demo)))).find("article", id=f"sectie-{strengths}")
    assert any(a.attrs.get("href") == history_url(demo, strengths) for a in card.find_all("a"))


def test_an_entry_taken_off_the_plan_keeps_its_history(app, demo, sandra):
    strengths = section_id(app, STRENGTHS)
    edit = text_of(sandra.get(edit_url(demo, strengths)))
    form = next(f for f in dom(edit).find_all("form")
                if f.attrs.get("action", "").endswith("/van-het-plan"))
    version = next(i.attrs["value"] for i in form.find_all("input") if i.attrs.get("name") == "version")
    done = sandra.post(form.attrs["action"], data={"csrf_token": csrf_token(edit), "version": version})
    assert done.status_code == 302
    plan = text_of(sandra.get(done.headers["Location"]))
    assert STRENGTHS not in plan
    assert "Het is van het plan gehaald." in section_of(plan, "wat_gaat_goed").text()
    assert entry(app, strengths).archived_at is not None
    assert sandra.get(edit_url(demo, strengths)).status_code == 404, "no changes off the plan"
    listing = history_entries(text_of(sandra.get(history_url(demo, strengths))))
    assert "Op het plan : op het plan → van het plan gehaald" in listing[0][1]


# --- records remember: the merge screen ------------------------------------------------------
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_a_stale_save_gets_the_merge_screen(app, demo, sandra, fatima, headers):
    perspective = section_id(app, PERSPECTIVE)
    url = edit_url(demo, perspective)
    sandras = fill(sandra, url, headers, body="Over een jaar eten we elke avond samen.")
    fatimas = fill(fatima, url, headers, body="Over een jaar is het rustig in huis en gaat Lisa naar school.")
    assert fatima.post(url, data=fatimas, headers=headers).status_code in (200, 302)
    theirs = entry(app, perspective).body

    stale = sandra.post(url, data=sandras, headers=headers)
    page = text_of(stale)
    assert stale.status_code == 409, page[:500]
    assert ("<html" in page) is (not headers), "the whole page without htmx, the fragment with"
    assert MERGE_HEADING in page
    assert merge_table(page)["Wat wil je opschrijven?"] == (theirs, "Over een jaar eten we elke avond samen.")
    assert "Over een jaar eten we elke avond samen." in page, "her text stays in the form"
    assert int(form_version(page)) > int(sandras["version"][0]), "now at the current version"
    assert "Mijn versie opslaan" in page and "Hun versie houden" in page
    assert entry(app, perspective).body == theirs, "the stale save overwrote Fatima's"

    # "Mijn versie opslaan": the form as shown, now at the current version, saves hers knowingly
    again = sandra.post(url, data=form_values(page, url), headers=headers)
    assert again.status_code in (200, 302), text_of(again)[:500]
    assert entry(app, perspective).body == "Over een jaar eten we elke avond samen."
    if headers:
        assert "<html" not in text_of(again) and f'id="sectie-{perspective}"' in text_of(again)


# --- who may write ---------------------------------------------------------------------------
def test_the_network_reads_but_does_not_write(app, demo):
    riet = as_user(app, RIET)
    strengths = section_id(app, STRENGTHS)
    plan = text_of(riet.get(plan_url(demo)))
    assert STRENGTHS in plan, "Riet may read it (consent from Sandra, Lisa and Noah)"
    assert "Toevoegen" not in words(plan) and "Aanpassen" not in words(plan)
    assert "Schrijf op wat jullie zelf doen" not in plan, "no invitation for who may not write"
    assert riet.get(new_url(demo, "wat_gaat_goed")).status_code == 404
    assert riet.get(edit_url(demo, strengths)).status_code == 404
    token = csrf_token(plan)
    before = entry_count(app)
    assert riet.post(new_url(demo, "zorgen"), data={
        "csrf_token": token, "body": "Oma maakt zich zorgen", "subjects": [str(demo.persons["Noah"])],
        "category": "algemeen"}).status_code == 404
    assert riet.post(edit_url(demo, strengths), data={
        "csrf_token": token, "body": "Veranderd door oma", "subjects": [str(demo.persons["Noah"])],
        "category": "algemeen", "version": "1"}).status_code == 404
    assert entry_count(app) == before
    assert entry(app, strengths).body.startswith(STRENGTHS) and entry(app, strengths).version == 1


def test_widening_is_refused_to_who_may_not_consent_for_the_subjects(app, demo, fatima):
    address = section_id(app, ADDRESS)
    url = edit_url(demo, address)
    refused = fatima.post(url, data=fill(fatima, url, category="algemeen"))
    page = text_of(refused)
    assert refused.status_code == 422
    assert "Dit kan niet: dan zien ook" in page and "Vraag het hen, of kies een kleinere groep." in page
    assert "Riet Jansen" in words(page)
    assert entry(app, address).category == "verblijfplaats" and entry(app, address).version == 1


# --- who may see ------------------------------------------------------------------------------
def test_mark_never_sees_sandras_address_nor_any_trace_of_it(app, demo):
    mark = as_user(app, MARK)
    address = section_id(app, ADDRESS)
    plan = text_of(mark.get(plan_url(demo)))
    assert ADDRESS not in plan and f"sectie-{address}" not in plan
    for url in entry_urls(demo, address):
        response = mark.get(url)
        assert response.status_code == 404 and ADDRESS not in text_of(response)
        assert mark.get(url, headers=HTMX).status_code == 404
    token = csrf_token(plan)
    assert mark.post(f"/gezin/{demo.family_id}/plan/{address}/van-het-plan",
                     data={"csrf_token": token, "version": "1"}).status_code == 404
    assert mark.post(edit_url(demo, address), data={
        "csrf_token": token, "body": "Ergens anders", "subjects": [str(demo.persons["Sandra"])],
        "category": "verblijfplaats", "version": "1"}).status_code == 404
    assert entry(app, address).body.startswith(ADDRESS) and entry(app, address).archived_at is None


def test_daan_sees_an_entry_about_noah_only_when_consent_allows(app, demo, fatima):
    daan = as_user(app, DAAN)
    url = new_url(demo, "zorgen")
    values = fill(fatima, url, body="Noah slaapt slecht sinds de verhuizing.",
                  subjects=[str(demo.persons["Noah"])], category="algemeen")
    assert fatima.post(url, data=values).status_code == 302
    worry = section_id(app, "Noah slaapt slecht")
    assert "Noah slaapt slecht" not in text_of(daan.get(plan_url(demo)))
    for entry_url in entry_urls(demo, worry):
        assert daan.get(entry_url).status_code == 404

    # Sandra and Mark agree that GGZ Kompas may know Noah's general information: from then on
    consent_at_the_table(app, "Noah", "GGZ Kompas", ["algemeen"], ["Sandra", "Mark"])
    assert "Noah slaapt slecht" in text_of(daan.get(plan_url(demo)))
    assert daan.get(history_url(demo, worry)).status_code == 200

    # Sandra's own general information Daan may read (her consent to GGZ Kompas)
    url = new_url(demo, "wat_we_zelf_doen")
    values = fill(fatima, url, body="Sandra belt haar zus als het zwaar wordt.",
                  subjects=[str(demo.persons["Sandra"])], category="algemeen")
    assert fatima.post(url, data=values).status_code == 302
    assert "Sandra belt haar zus" in text_of(daan.get(plan_url(demo)))


# --- waar het kind opgroeit ------------------------------------------------------------------
def test_where_a_child_grows_up_warns_as_its_date_nears(app, demo, fatima, sandra):
    url = new_url(demo, "toekomstperspectief")
    form_page = text_of(fatima.get(url))
    assert "Wanneer moet dit duidelijk zijn?" in form_page
    soon = (utcnow() + timedelta(days=37)).date()
    values = fill(fatima, url, body="Noah groeit op bij zijn moeder.", subjects=[str(demo.persons["Noah"])],
                  category="algemeen")
    # one child, and a date
    two = dict(values, subjects=[str(demo.persons["Noah"]), str(demo.persons["Lisa"])])
    assert "Kies één kind" in text_of(fatima.post(url, data=two))
    adult = dict(values, subjects=[str(demo.persons["Sandra"])])
    assert "Kies één kind" in text_of(fatima.post(url, data=adult))
    missing = fatima.post(url, data=values)
    assert missing.status_code == 422 and "Zet erbij wanneer duidelijk moet zijn" in text_of(missing)
    values["horizon_date"] = [soon.isoformat()]
    assert fatima.post(url, data=values).status_code == 302
    future = section_id(app, "Noah groeit op")
    assert entry(app, future).horizon_date == soon

    plan = text_of(sandra.get(plan_url(demo)))
    assert "Over 5 weken moet duidelijk zijn waar Noah opgroeit." in plan
    card = dom(plan).find("article", id=f"sectie-{future}")
    assert "Over 5 weken moet duidelijk zijn waar Noah opgroeit." in card.text()
    assert "toekomstperspectief" not in words(plan).lower(), "no jargon for the family"

    # far off: no warning; past: it says so
    far = fill(fatima, edit_url(demo, future), horizon_date=(soon + timedelta(days=200)).isoformat())
    assert fatima.post(edit_url(demo, future), data=far).status_code == 302
    assert "moet duidelijk zijn waar Noah opgroeit" not in text_of(sandra.get(plan_url(demo)))
    add_section(app, "toekomstperspectief", "Lisa blijft bij haar moeder wonen.", ["Lisa"],
                horizon_date=(utcnow() - timedelta(days=3)).date())
    assert "Het moest al duidelijk zijn waar Lisa opgroeit." in text_of(sandra.get(plan_url(demo)))


def test_the_casusregisseur_is_reminded_of_a_child_with_a_guardian_without_one(app, demo, fatima, sandra):
    give_a_guardian(app, "Noah")
    reminder = "Noah heeft een voogd. In het plan staat nog niet waar Noah opgroeit."
    assert reminder in words(text_of(fatima.get(plan_url(demo))))
    assert reminder not in words(text_of(sandra.get(plan_url(demo)))), "for the casusregisseur"
    url = new_url(demo, "toekomstperspectief")
    values = fill(fatima, url, body="Noah groeit op bij zijn moeder.", category="algemeen",
                  subjects=[str(demo.persons["Noah"])],
                  horizon_date=(utcnow() + timedelta(days=180)).date().isoformat())
    assert fatima.post(url, data=values).status_code == 302
    assert reminder not in words(text_of(fatima.get(plan_url(demo))))


# --- the plan page ---------------------------------------------------------------------------
def test_the_plan_shows_every_section_in_order_with_an_invitation_when_empty(app, demo, fatima, sandra):
    plan = text_of(fatima.get(plan_url(demo)))
    order = ["perspectief", "toekomstperspectief", "wat_gaat_goed", "zorgen", "wat_we_zelf_doen",
             "hulp_nodig", "veiligheidsplan", "terugvalpreventie", "gegevens"]
    positions = [plan.index(f'id="sectie-{kind}"') for kind in order]
    assert positions == sorted(positions)
    # the wish above the goals, so that on a phone the goals still start near the top
    assert plan.index('id="sectie-toekomstperspectief"') < plan.index('id="doelen-kop"') < plan.index('id="sectie-wat_gaat_goed"')
    assert plan.count("<h1") == 1

    plan = text_of(sandra.get(plan_url(demo)))
    # the demo's analysis filled these; an empty section invites who may write in it
    assert "Lisa en ik koken samen op zondag." in section_of(plan, "wat_we_zelf_doen").text()
    assert "Schrijf op wat jullie zelf doen" not in section_of(plan, "wat_we_zelf_doen").text()
    assert "Een maatje voor Lisa" in section_of(plan, "hulp_nodig").text()
    assert 'id="sectie-netwerk"' not in plan and 'id="sectie-tijdlijn"' not in plan, (
        "the network and the timeline have pages of their own, they are no sections")
    assert PERSPECTIVE in section_of(plan, "perspectief").text()
    assert 'id="sectie-toekomstperspectief"' not in plan, (
        "no child of Sandra's is under a protection measure: she is not asked where one grows up")
    give_a_guardian(app, "Noah")
    assert 'id="sectie-toekomstperspectief"' in text_of(sandra.get(plan_url(demo)))


def test_help_still_to_be_found_is_marked(app, demo, fatima, sandra):
    url = new_url(demo, "hulp_nodig")
    values = fill(fatima, url, body="Een plek voor Noah bij een speltherapeut.",
                  subjects=[str(demo.persons["Noah"])], category="algemeen", still_to_find="y")
    assert fatima.post(url, data=values).status_code == 302
    assert entry(app, section_id(app, "Een plek voor Noah")).still_to_find is True
    card = section_of(text_of(sandra.get(plan_url(demo))), "hulp_nodig")
    assert "Deze hulp moet nog gevonden worden" in card.text()


def test_the_draft_audience_follows_the_form(app, demo, sandra):
    url = new_url(demo, "zorgen")
    token = csrf_token(text_of(sandra.get(url)))
    preview = sandra.post(f"/gezin/{demo.family_id}/plan/zichtbaar", headers=HTMX, data={
        "csrf_token": token, "subjects": [str(demo.persons["Sandra"])], "category": "verblijfplaats"})
    assert preview.status_code == 200
    html = text_of(preview)
    assert "Zichtbaar voor:" in html and "Let op: Mark de Boer ziet dit ook." not in html
    # about herself, for the whole family to know: Mark, whom she hid her address from, reads it
    preview = sandra.post(f"/gezin/{demo.family_id}/plan/zichtbaar", headers=HTMX, data={
        "csrf_token": token, "subjects": [str(demo.persons["Sandra"])], "category": "algemeen"})
    assert "Let op: Mark de Boer ziet dit ook." in text_of(preview)


def test_inline_editing_with_htmx_and_keeping_theirs(app, demo, sandra):
    strengths = section_id(app, STRENGTHS)
    card = text_of(sandra.get(plan_url(demo)))
    link = dom(card).find("article", id=f"sectie-{strengths}").find_all("a")[0]
    assert link.attrs["hx-get"] == edit_url(demo, strengths)
    fragment = text_of(sandra.get(edit_url(demo, strengths), headers=HTMX))
    assert "<html" not in fragment and f'id="sectie-{strengths}"' in fragment
    keep = dom(fragment).find_all("a")
    cancel = [a for a in keep if a.text() == "Annuleren"][0]
    back = sandra.get(cancel.attrs["hx-get"], headers=HTMX)
    assert back.status_code == 200 and STRENGTHS in text_of(back) and "<html" not in text_of(back)
    assert sandra.get(cancel.attrs["hx-get"]).status_code == 302  # without htmx: the plan, at it


@pytest.mark.parametrize("email", [SANDRA, FATIMA])
def test_the_plan_page_costs_the_same_for_2_entries_as_for_40(app, demo, email):
    """DESIGN.md §5: at most 20 statements whatever the plan's size; an entry's audience, its
    rights and its warning come from facts loaded once (tests/integration/test_query_count.py
    does the same for goals)."""
    client = as_user(app, email)
    add_sections(app, 2)
    small, _html = page_statements(app, client, plan_url(demo))
    add_sections(app, 38)
    large, html = page_statements(app, client, plan_url(demo))
    assert html.count('class="section-entry"') >= 30
    assert len(large) == len(small), "\n".join(shapes(large))
    assert len(large) <= 20 and large.count("COMMIT") == 1 and audit_inserts(large) == 1


# --- attacker posts ---------------------------------------------------------------------------
def test_attacker_posts_store_nothing(app, demo, sandra):
    other_family, _piet = add_other_family(app)
    from samenplan.plans.models import PlanSection

    with db_session(app) as session:
        theirs = session.scalar(select(PlanSection.id).where(PlanSection.family_id == other_family))
        stranger = session.scalar(select(PlanSection).where(PlanSection.id == theirs)).subjects[0].id
    token = csrf_token(text_of(sandra.get(plan_url(demo))))
    before = entry_count(app)
    data = {"csrf_token": token, "body": "Ingebroken", "subjects": [str(demo.persons["Sandra"])],
            "category": "algemeen", "version": "1"}
    # another family's entry, through this family's URLs
    for url in entry_urls(demo, theirs):
        assert sandra.get(url).status_code == 404
    assert sandra.post(edit_url(demo, theirs), data=data).status_code == 404
    assert sandra.post(f"/gezin/{demo.family_id}/plan/{theirs}/van-het-plan", data=data).status_code == 404
    # a kind of section that does not exist
    assert sandra.get(new_url(demo, "geheimen")).status_code == 404
    assert sandra.post(new_url(demo, "geheimen"), data=data).status_code == 404
    # subjects from another family
    strange = dict(data, subjects=[str(stranger)])
    assert sandra.post(new_url(demo, "zorgen"), data=strange).status_code in (404, 422)
    strengths = section_id(app, STRENGTHS)
    strange["version"] = str(entry(app, strengths).version)
    assert sandra.post(edit_url(demo, strengths), data=strange).status_code in (404, 422)
    assert entry_count(app) == before
    assert entry(app, theirs).body == "Piet kookt elke dag"
    assert entry(app, strengths).version == 1
    with db_session(app) as session:
        assert not session.scalars(select(PlanSection).where(PlanSection.body == "Ingebroken")).all()


@pytest.mark.parametrize("kind", ["netwerk", "tijdlijn"])
def test_the_network_and_the_timeline_are_no_kinds_of_section(app, demo, fatima, kind):
    """They are features of their own (the network map, the timeline): no form offers them as
    a section, and a post of one writes nothing."""
    from samenplan.plans.models import PlanSection

    assert fatima.get(new_url(demo, kind)).status_code == 404
    values = fill(fatima, new_url(demo, "gegevens"), body="Iets voor de tijdlijn",
                  category="algemeen", subjects=[str(demo.persons["Sandra"])])
    assert fatima.post(new_url(demo, kind), data=values).status_code == 404
    with app.app_context():
        from samenplan import db

        assert not db.session().scalars(
            select(PlanSection).where(PlanSection.body == "Iets voor de tijdlijn")).all()
