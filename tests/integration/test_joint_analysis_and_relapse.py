"""The joint analysis (issue 11 item 1) and the plan for when things go less well (item 6).

The analysis: /gezin/<id>/analyse, step by step (wat gaat goed, zorgen, wat we zelf doen, hulp
die nodig is, eerdere hulp), each answer saved at once as an entry of its plan section through
the sections service, with the subjects and category chosen per entry (none preset); going back
shows what was written, and a change from there goes through the plan's edit screen (merge on
stale) and back to the step. Family members fill in their own part; the network writes nothing;
attacker posts store nothing.

The relapse plan: each entry a line of a kind (an early sign, what we then do, whom we call,
with a phone number as a tel: link), shown as three short lists; the casusregisseur is told
while a kind is missing. Through the real forms, on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.support.builders import add_other_family, add_section, section_id
from tests.support.clients import as_user, csrf_token, db_session
from tests.support.clients import page as text_of
from tests.support.html import dom, form_values
from tests.support.pages import input_value, merge_table, words
from tests.support.people import FATIMA, MARK, RIET, SANDRA

TIMELINE_RULE = "/gezin/<int:family_id>/tijdlijn"
WARNING = "Het plan voor als het minder gaat is nog niet af"
SIGNAL = "Sandra slaapt slecht en blijft in bed."  # the demo's early sign (gezondheid, Sandra)


# --- helpers ---------------------------------------------------------------------------------
def analysis_url(demo, step: str | None = None) -> str:
    base = f"/gezin/{demo.family_id}/analyse"
    return f"{base}/{step}" if step else base


def answer(client, demo, step: str, **changes):
    """The step's form as the browser sends it, with `changes` (a list for check boxes)."""
    url = analysis_url(demo, step)
    values = form_values(text_of(client.get(url)), url)
    values.update({k: v if isinstance(v, list) else [v] for k, v in changes.items()})
    return client.post(url, data=values)


def entries(app, **where):
    from samenplan.plans.models import PlanSection

    with db_session(app) as session:
        found = list(session.scalars(select(PlanSection).filter_by(**where).order_by(PlanSection.id)))
        for record in found:
            record.subject_names = sorted(p.first_name for p in record.subjects)
            session.expunge(record)
        return found


def entry_count(app) -> int:
    from samenplan.plans.models import PlanSection

    with db_session(app) as session:
        return session.scalar(select(func.count(PlanSection.id)))


def ids(demo, *names: str) -> list[str]:
    return [str(demo.persons[n]) for n in names]


def has_timeline(app) -> bool:
    return any(rule.rule == TIMELINE_RULE for rule in app.url_map.iter_rules())


@pytest.fixture
def fatima(app):
    return as_user(app, FATIMA)


@pytest.fixture
def sandra(app):
    return as_user(app, SANDRA)


# --- the analysis, with the casusregisseur at the kitchen table --------------------------------
def test_the_chair_goes_through_the_analysis_and_each_answer_lands_in_its_section(app, demo, fatima):
    plan = dom(text_of(fatima.get(f"/gezin/{demo.family_id}")))
    assert any(a.attrs.get("href") == analysis_url(demo) for a in plan.find_all("a")), \
        "the plan links the chair to the analysis"
    persons = text_of(fatima.get(f"/gezin/{demo.family_id}/gezinsleden"))
    assert f'href="{analysis_url(demo)}"' in persons, "and so does taking on a family"

    start = text_of(fatima.get(analysis_url(demo)))
    assert start.count("<h1") == 1
    first = text_of(fatima.get(analysis_url(demo, "wat_gaat_goed")))
    assert first.count("<h1") == 1 and "Wat gaat er goed?" in first and "Bijvoorbeeld:" in first
    values = form_values(first, analysis_url(demo, "wat_gaat_goed"))
    assert "subjects" not in values and values.get("category") in (None, [""]), \
        "nobody and no category chosen in advance for the chair"

    written = [
        ("wat_gaat_goed", "Noah lacht veel en speelt graag buiten.", ["Noah"], "algemeen", {}),
        ("zorgen", "Sandra is vaak moe en somber.", ["Sandra"], "gezondheid", {}),
        ("wat_we_zelf_doen", "Oma Riet past op woensdag op Noah.", ["Sandra", "Lisa", "Noah"], "algemeen", {}),
        ("hulp_nodig", "Hulp om overzicht te krijgen over de rekeningen.", ["Sandra"], "financien",
         {"still_to_find": "y"}),
    ]
    for step, body, subjects, category, extra in written:
        saved = answer(fatima, demo, step, body=body, subjects=ids(demo, *subjects),
                       category=category, **extra)
        assert saved.status_code == 302, text_of(saved)[:800]
        made = entries(app, body=body)
        assert len(made) == 1
        made = made[0]
        assert (made.section, made.subject_names, made.category) == (step, sorted(subjects), category)
        assert saved.headers["Location"] == f"{analysis_url(demo, step)}?opgeslagen={made.id}#sectie-{made.id}"
        # saved at once: the confirmation in the entry, and "Nog een" for another answer
        after = text_of(fatima.get(saved.headers["Location"]))
        card = dom(after).find("article", id=f"sectie-{made.id}")
        assert body in card.text() and "Opgeslagen." in card.text()
        more = [a for a in dom(after).find_all("a") if a.text().strip() == "Nog een"]
        assert more and more[0].attrs["href"].startswith(analysis_url(demo, step))
        again = text_of(fatima.get(more[0].attrs["href"]))
        assert form_values(again, analysis_url(demo, step)).get("body") in (None, [""]), "an empty form"
    assert entries(app, body=written[3][1])[0].still_to_find

    # going back shows what was written, with a way to change it that comes back here
    back = text_of(fatima.get(analysis_url(demo, "wat_gaat_goed")))
    assert "Noah lacht veel en speelt graag buiten." in back
    assert "Oma Riet helpt veel." in back, "earlier entries of the section too (a later round)"
    noah = entries(app, body="Noah lacht veel en speelt graag buiten.")[0]
    edit = f"/gezin/{demo.family_id}/plan/{noah.id}/bewerken?terug=analyse"
    assert f'href="{edit}"' in back.replace("&amp;", "&")

    # the last step: earlier help goes in the timeline
    earlier = text_of(fatima.get(analysis_url(demo, "eerdere_hulp")))
    assert "tijdlijn" in earlier and "<form" not in earlier.split("<main", 1)[-1]
    linked = "Schrijf eerdere hulp op in de tijdlijn" in earlier
    assert linked is has_timeline(app), "a link to the timeline only where the app has it"


def test_a_change_from_the_analysis_goes_back_to_its_step_and_a_stale_one_gets_the_merge_screen(
        app, demo, fatima, sandra):
    strengths = section_id(app, "Oma Riet helpt veel.")
    edit = f"/gezin/{demo.family_id}/plan/{strengths}/bewerken?terug=analyse"
    sandras = form_values(text_of(sandra.get(edit)), edit)
    fatimas = form_values(text_of(fatima.get(edit)), edit)
    fatimas["body"] = ["Oma Riet helpt veel. Mark brengt Lisa op vrijdag naar school."]
    done = fatima.post(edit, data=fatimas)
    assert done.status_code == 302
    assert done.headers["Location"] == f"{analysis_url(demo, 'wat_gaat_goed')}?opgeslagen={strengths}#sectie-{strengths}"
    assert "Opgeslagen." in text_of(fatima.get(done.headers["Location"]))

    sandras["body"] = ["Oma Riet helpt veel. Lisa tekent elke dag."]
    stale = sandra.post(edit, data=sandras)
    page = text_of(stale)
    assert stale.status_code == 409
    assert merge_table(page)["Wat wil je opschrijven?"] == (
        "Oma Riet helpt veel. Mark brengt Lisa op vrijdag naar school.", "Oma Riet helpt veel. Lisa tekent elke dag.")
    assert form_values(page, edit)["body"] == ["Oma Riet helpt veel. Lisa tekent elke dag."], \
        "her text stays in the form, and the form goes back to the analysis too"
    assert entries(app, id=strengths)[0].body.endswith("op vrijdag naar school.")


def test_a_family_member_writes_her_own_what_goes_well(app, demo, sandra):
    plan = dom(text_of(sandra.get(f"/gezin/{demo.family_id}")))
    assert any(a.attrs.get("href") == analysis_url(demo) for a in plan.find_all("a"))
    url = analysis_url(demo, "wat_gaat_goed")
    values = form_values(text_of(sandra.get(url)), url)
    assert values["subjects"] == ids(demo, "Sandra"), "about herself, to begin with"
    assert values.get("category") in (None, [""])

    before = entry_count(app)
    values["body"] = ["Ik wandel elke ochtend met de hond."]
    refused = sandra.post(url, data=values)
    assert refused.status_code == 422
    assert "Kies wat voor informatie dit is" in text_of(refused)
    assert "Ik wandel elke ochtend met de hond." in text_of(refused), "what she typed is kept"
    assert entry_count(app) == before

    values["category"] = ["algemeen"]
    assert sandra.post(url, data=values).status_code == 302
    mine = entries(app, body="Ik wandel elke ochtend met de hond.")[0]
    assert (mine.section, mine.subject_names, mine.category) == ("wat_gaat_goed", ["Sandra"], "algemeen")


def test_the_network_writes_nothing_in_the_analysis(app, demo):
    riet = as_user(app, RIET)
    plan = text_of(riet.get(f"/gezin/{demo.family_id}"))
    assert analysis_url(demo) not in plan
    for url in (analysis_url(demo), analysis_url(demo, "wat_gaat_goed"), analysis_url(demo, "eerdere_hulp")):
        assert riet.get(url).status_code == 404
    before = entry_count(app)
    posted = riet.post(analysis_url(demo, "wat_gaat_goed"), data={
        "csrf_token": csrf_token(plan), "body": "Ik kom elke dag langs.",
        "subjects": ids(demo, "Noah"), "category": "algemeen"})
    assert posted.status_code == 404
    assert entry_count(app) == before


def test_attacker_posts_to_the_analysis_store_nothing(app, demo, sandra, fatima):
    other_family, _piet = add_other_family(app)
    from samenplan.plans.models import PlanSection

    with db_session(app) as session:
        stranger = session.scalar(select(PlanSection).where(
            PlanSection.family_id == other_family)).subjects[0].id
    url = analysis_url(demo, "zorgen")
    token = csrf_token(text_of(sandra.get(url)))
    data = {"csrf_token": token, "body": "Ingebroken", "subjects": ids(demo, "Sandra"),
            "category": "algemeen"}
    before = entry_count(app)
    # another family's person as a subject
    assert sandra.post(url, data=dict(data, subjects=[str(stranger)])).status_code in (404, 422)
    # a step (a kind of section) that does not exist, and the step that writes nowhere
    assert sandra.get(analysis_url(demo, "geheimen")).status_code == 404
    assert sandra.post(analysis_url(demo, "geheimen"), data=data).status_code == 404
    assert sandra.post(analysis_url(demo, "eerdere_hulp"), data=data).status_code in (404, 405)
    # a category that is not one
    wrong = sandra.post(url, data=dict(data, category="geheim"))
    assert wrong.status_code == 422 and "Ingebroken" in text_of(wrong)
    # another family's analysis
    assert sandra.get(f"/gezin/{other_family}/analyse").status_code == 404
    assert sandra.post(f"/gezin/{other_family}/analyse/zorgen", data=data).status_code == 404
    assert entry_count(app) == before
    assert not entries(app, body="Ingebroken")

    # a wider category than allowed: the chair may not widen Sandra's health worry to everyone
    worry = add_section(app, "zorgen", "Ik slaap slecht sinds de scheiding.", ["Sandra"],
                        "gezondheid", author=SANDRA)
    edit = f"/gezin/{demo.family_id}/plan/{worry}/bewerken?terug=analyse"
    values = form_values(text_of(fatima.get(edit)), edit)
    values["category"] = ["algemeen"]
    refused = fatima.post(edit, data=values)
    assert refused.status_code == 422
    assert "Dit kan niet" in text_of(refused) and "Mark de Boer" in words(text_of(refused))
    kept = entries(app, id=worry)[0]
    assert (kept.category, kept.version) == ("gezondheid", 1)


# --- the plan for when things go less well -------------------------------------------------------
def relapse_section(html: str):
    return dom(html).find("section", id="sectie-terugvalpreventie")


def test_the_relapse_plan_reads_as_three_lists_with_phone_links(app, demo, fatima):
    plan = text_of(fatima.get(f"/gezin/{demo.family_id}"))
    section = relapse_section(plan)
    headings = [h.text().strip() for h in section.find_all("h3")]
    assert headings == ["Waaraan we merken dat het minder gaat", "Wat we dan doen", "Wie we bellen"]
    lists = section.find_all("ul")
    assert SIGNAL in lists[0].text()
    assert "Sandra belt oma Riet en gaat naar de huisarts." in lists[1].text()
    calls = lists[2]
    assert "Oma Riet" in calls.text() and "Fatima" in calls.text()
    tel = [a.attrs["href"] for a in calls.find_all("a") if a.attrs.get("href", "").startswith("tel:")]
    assert tel == ["tel:0612345678", "tel:0201234567"]
    assert WARNING not in plan, "the demo's relapse plan is complete"


def test_mark_sees_whom_to_call_but_not_sandras_health(app, demo):
    plan = text_of(as_user(app, MARK).get(f"/gezin/{demo.family_id}"))
    section = relapse_section(plan)
    assert "Oma Riet" in section.text() and SIGNAL not in plan
    assert WARNING not in plan


def test_a_line_of_the_relapse_plan_is_of_a_kind_and_only_whom_we_call_has_a_phone(app, demo, sandra):
    url = f"/gezin/{demo.family_id}/plan/terugvalpreventie/nieuw"
    form = text_of(sandra.get(url))
    values = form_values(form, url)
    assert "relapse_line" not in values, "no kind of line chosen in advance"
    assert 'type="tel"' in form
    values.update(body=["Lisa gaat niet meer naar school."], category=["algemeen"],
                  subjects=ids(demo, "Lisa"))
    before = entry_count(app)
    no_kind = sandra.post(url, data=values)
    assert no_kind.status_code == 422 and "Kies wat voor regel dit is." in text_of(no_kind)
    signal_with_phone = sandra.post(url, data=dict(values, relapse_line=["vroeg_signaal"], phone=["06 11112222"]))
    assert signal_with_phone.status_code == 422 and "hoort bij" in text_of(signal_with_phone)
    bad_phone = sandra.post(url, data=dict(values, relapse_line=["wie_we_bellen"], phone=["bel maar"]))
    assert bad_phone.status_code == 422 and input_value(text_of(bad_phone), "phone") == "bel maar"
    assert entry_count(app) == before

    assert sandra.post(url, data=dict(values, relapse_line=["vroeg_signaal"])).status_code == 302
    line = entries(app, body="Lisa gaat niet meer naar school.")[0]
    assert (line.relapse_line, line.phone) == ("vroeg_signaal", None)


def test_the_chair_is_told_what_the_relapse_plan_lacks(app, demo, fatima, sandra):
    # take whom to call off the plan
    for line in entries(app, relapse_line="wie_we_bellen"):
        edit = f"/gezin/{demo.family_id}/plan/{line.id}/bewerken"
        page = text_of(fatima.get(edit))
        done = fatima.post(f"/gezin/{demo.family_id}/plan/{line.id}/van-het-plan",
                           data={"csrf_token": csrf_token(page), "version": str(line.version)})
        assert done.status_code == 302
    plan = text_of(fatima.get(f"/gezin/{demo.family_id}"))
    assert f"{WARNING}: wie bellen jullie?" in words(plan)
    assert "Wie we bellen" in relapse_section(plan).text(), "the missing kind's heading stays"
    assert WARNING not in text_of(sandra.get(f"/gezin/{demo.family_id}")), "for the chair only"

    # a new line of whom to call, with a phone number: complete again
    url = f"/gezin/{demo.family_id}/plan/terugvalpreventie/nieuw"
    values = form_values(text_of(fatima.get(url)), url)
    values.update(relapse_line=["wie_we_bellen"], body=["Buurvrouw Ans"], phone=["+31 6 2222 3333"],
                  category=["algemeen"], subjects=ids(demo, "Sandra", "Lisa", "Noah"))
    saved = fatima.post(url, data=values)
    assert saved.status_code == 302, text_of(saved)[:800]
    plan = text_of(fatima.get(saved.headers["Location"]))
    assert WARNING not in plan
    assert 'href="tel:+31622223333"' in plan
