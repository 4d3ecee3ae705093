"""The network map and the tijdlijn (issue 11, items 3 and 7): who is around the family and
the help there was before, each entry a record behind the privacy door.

Through the real forms and pages of the demo family (DESIGN.md §6, with the network and the
timeline `seed-demo` draws), on SQLite and PostgreSQL: every demo login sees exactly the
entries its consents allow (Mark never Sandra's GGZ history; Daan her GGZ help but not her
debt counselling; Joris only Lisa's `algemeen`); adding, changing, a save from an older version
(the merge screen) and the history; what an attacker posts is refused and nothing is stored."""
from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import func, select

from tests.support.audit import events_about
from tests.support.clients import as_user, db_session, page
from tests.support.families import (
    invitation_link_in_outbox, join_from_outbox, post_anyway, submit, take_on_the_bakkers,
)
from tests.support.html import card, dom, form_values
from tests.support.pages import form_version
from tests.support.people import (
    DAAN, FATIMA, ILSE, JORIS, LISA, MARK, RIET, SANDRA,
)

NETWORK = ["Riet Jansen", "Ans Mulder", "Karin de Boer"]  # the demo's map, in order
GGZ = "Gesprekken bij de GGZ"  # Sandra, gezondheid (told by Daan)
DEBT = "Schuldhulp van de gemeente"  # Sandra, financien (told by Ilse)
SCHOOL = "Lisa gaat naar een andere school"  # Lisa, algemeen
BIRTH = "Noah is geboren"  # Noah, algemeen
STORY = [BIRTH, GGZ, DEBT, SCHOOL]  # oldest first

SEES_NETWORK = {
    SANDRA: NETWORK, MARK: NETWORK, LISA: NETWORK, RIET: NETWORK, FATIMA: NETWORK,
    # every entry is about someone these professionals have no consent for
    DAAN: [], ILSE: [], JORIS: [],
}
SEES_TIMELINE = {
    SANDRA: STORY, FATIMA: STORY,
    MARK: [BIRTH, SCHOOL], RIET: [BIRTH, SCHOOL], LISA: [BIRTH, SCHOOL],
    DAAN: [GGZ], ILSE: [DEBT], JORIS: [SCHOOL],
}


def network_url(demo, rest: str = "") -> str:
    return f"/gezin/{demo.family_id}/netwerk{rest}"


def timeline_url(demo, rest: str = "") -> str:
    return f"/gezin/{demo.family_id}/tijdlijn{rest}"


def listed(html: str, list_class: str) -> list[str]:
    """The headings of the entries of the list with `list_class`, in page order."""
    lists = [n for n in dom(html).iter() if list_class in n.classes()]
    assert len(lists) == 1, f"{len(lists)} lists .{list_class}"
    return [h.text() for h in lists[0].iter() if h.tag == "h3"]


def member_names(html: str) -> list[str]:
    return [re.sub(r" \(.*\)$", "", name) for name in listed(html, "network-list")]


def record_id(app, model_name: str, **where) -> int:
    from samenplan.network.models import NetworkMember
    from samenplan.timeline.models import TimelineEvent

    model = {"member": NetworkMember, "event": TimelineEvent}[model_name]
    with db_session(app) as session:
        found = session.scalar(select(model.id).filter_by(**where))
    assert found, (model_name, where)
    return found


def count(app, model_name: str) -> int:
    from samenplan.network.models import NetworkMember
    from samenplan.timeline.models import TimelineEvent

    model = {"member": NetworkMember, "event": TimelineEvent}[model_name]
    with db_session(app) as session:
        return session.scalar(select(func.count(model.id)))


# --- who sees what ----------------------------------------------------------------------------

@pytest.mark.parametrize("login", list(SEES_NETWORK), ids=lambda e: e.split("@")[0])
def test_each_login_sees_the_network_its_consents_allow_in_list_and_map(app, demo, login):
    client = as_user(app, login)
    response = client.get(network_url(demo))
    assert response.status_code == 200
    html = page(response)
    assert member_names(html) == SEES_NETWORK[login]
    hidden = [n for n in NETWORK if n not in SEES_NETWORK[login]]
    for name in hidden:
        assert name not in html
    svgs = dom(html).find_all("svg")
    if SEES_NETWORK[login]:
        assert len(svgs) == 1
        svg = svgs[0]
        assert svg.attrs["role"] == "img"
        title_id, desc_id = svg.attrs["aria-labelledby"].split()
        assert svg.find("title", id=title_id).text() == "Het netwerk van het gezin"
        desc = svg.find("desc", id=desc_id).text()
        assert f"met {len(SEES_NETWORK[login])} mensen eromheen" in desc
        # every visible person on the map by name, in the legend the kinds of line in words
        drawn = " ".join(t.text() for t in svg.find_all("text"))
        assert "stippellijn: het contact is niet goed" in drawn
        for name in SEES_NETWORK[login]:
            assert name.split()[0] in drawn
    else:
        assert svgs == []
        assert "Er staat nog niemand op de kaart." in html


@pytest.mark.parametrize("login", list(SEES_TIMELINE), ids=lambda e: e.split("@")[0])
def test_each_login_sees_the_timeline_its_consents_allow_oldest_first(app, demo, login):
    html = page(as_user(app, login).get(timeline_url(demo)))
    assert listed(html, "timeline") == SEES_TIMELINE[login]
    for title in STORY:
        if title not in SEES_TIMELINE[login]:
            assert title not in html
    if GGZ in SEES_TIMELINE[login]:
        ggz = card(html, GGZ)
        assert "GGZ Oost" in ggz.text() and "Vijf maanden wachten" in ggz.text()
        assert "Zichtbaar voor:" in ggz.text()


def test_the_timeline_filters_per_person_with_a_plain_get_form(app, demo):
    client = as_user(app, SANDRA)
    html = page(client.get(timeline_url(demo)))
    form = next(f for f in dom(html).find_all("form") if (f.attrs.get("method") or "") == "get")
    assert form.attrs["action"] == timeline_url(demo)
    select_ = form.find("select", name="persoon")
    assert form.find("label").attrs["for"] == select_.attrs["id"]
    lisa = demo.persons["Lisa"]
    only_lisa = page(client.get(timeline_url(demo), query_string={"persoon": lisa}))
    assert listed(only_lisa, "timeline") == [SCHOOL]
    only_sandra = page(client.get(timeline_url(demo), query_string={"persoon": demo.persons["Sandra"]}))
    assert listed(only_sandra, "timeline") == [GGZ, DEBT]
    # Mark filtering on Sandra finds nothing of hers: the filter narrows what he may see
    mark = page(as_user(app, MARK).get(timeline_url(demo), query_string={"persoon": demo.persons["Sandra"]}))
    assert listed(mark, "timeline") == []
    # nonsense is no filter at all
    junk = page(client.get(timeline_url(demo), query_string={"persoon": "abc"}))
    assert listed(junk, "timeline") == STORY


def test_an_entry_of_the_other_kind_is_not_found(app, demo):
    """Daan may not open Sandra's debt help by its address, nor its history."""
    debt = record_id(app, "event", title=DEBT)
    daan = as_user(app, DAAN)
    assert daan.get(timeline_url(demo, f"/{debt}/bewerken")).status_code == 404
    assert daan.get(timeline_url(demo, f"/{debt}/geschiedenis")).status_code == 404
    ggz = record_id(app, "event", title=GGZ)
    assert as_user(app, MARK).get(timeline_url(demo, f"/{ggz}/geschiedenis")).status_code == 404


# --- adding, changing, merging, history ---------------------------------------------------------

def test_network_add_edit_merge_and_history(app, demo):
    sandra = as_user(app, SANDRA)
    new = network_url(demo, "/nieuw")
    form_page = page(sandra.get(new))
    options = dom(form_page).find("select", name="category").find_all("option")
    assert not [o for o in options if "selected" in o.attrs and o.attrs.get("value")]  # nothing chosen for you
    saved = submit(sandra, new, {
        "name": "Meester Bram", "relation": "voetbaltrainer", "subjects": [str(demo.persons["Lisa"])],
        "category": "algemeen", "effect": "helpt", "gives_now": ["emotioneel"],
        "could_give": ["praktisch", "emotioneel"], "note": "Luistert naar Lisa.",
    })
    assert saved.status_code == 302
    bram = record_id(app, "member", name="Meester Bram")
    listing = page(sandra.get(saved.headers["Location"]))
    entry = card(listing, "Meester Bram (voetbaltrainer)")
    assert "Opgeslagen." in entry.text()
    lines = [p.text() for p in entry.find_all("p")]
    assert "Geeft nu: Emotioneel" in lines
    assert "Zou kunnen geven: Praktisch" in lines  # not "emotioneel" twice
    assert "Zichtbaar voor:" in entry.text()

    edit = network_url(demo, f"/{bram}/bewerken")
    old_page = page(sandra.get(edit))
    fatima = as_user(app, FATIMA)
    assert submit(fatima, edit, {"relation": "trainer"}).status_code == 302
    # Sandra saves from the page she loaded before Fatima's change: the merge screen
    data = {k: v if len(v) > 1 else v[0] for k, v in form_values(old_page, edit).items()}
    data["note"] = "Luistert naar Lisa, ook na de training."
    stale = sandra.post(edit, data=data)
    assert stale.status_code == 409
    merge = page(stale)
    assert "Iemand anders heeft dit net veranderd" in merge
    assert "ook na de training" in merge  # what she typed is still in the form
    assert "trainer" in merge
    with db_session(app) as session:
        from samenplan.network.models import NetworkMember

        assert session.get(NetworkMember, bram).note == "Luistert naar Lisa."
    # saving again from the version now shown is a knowing choice
    data["version"] = form_version(merge)
    assert sandra.post(edit, data=data).status_code == 302
    history = page(sandra.get(network_url(demo, f"/{bram}/geschiedenis")))
    assert "Wie is het voor jullie?: voetbaltrainer → trainer" in dom(history).text()
    assert "Heeft dit gemaakt." in history


def test_timeline_add_edit_merge_and_history(app, demo):
    fatima = as_user(app, FATIMA)
    new = timeline_url(demo, "/nieuw")
    saved = submit(fatima, new, {
        "kind": "eerdere_hulp", "title": "Opvoedondersteuning", "subjects": [str(demo.persons["Sandra"])],
        "category": "algemeen", "start_date": "2022-02-01", "end_date": "", "helper": "CJG",
        "worked": "Tips voor het slapengaan.", "not_worked": "",
    })
    assert saved.status_code == 302
    event = record_id(app, "event", title="Opvoedondersteuning")
    listing = page(fatima.get(saved.headers["Location"]))
    entry = card(listing, "Opvoedondersteuning")
    assert "loopt nog" in entry.text() and "Opgeslagen." in entry.text()
    assert listed(listing, "timeline") == [BIRTH, GGZ, DEBT, "Opvoedondersteuning", SCHOOL]

    edit = timeline_url(demo, f"/{event}/bewerken")
    old_page = page(fatima.get(edit))
    sandra = as_user(app, SANDRA)
    assert submit(sandra, edit, {"end_date": "2022-12-31"}).status_code == 302
    data = {k: v if len(v) > 1 else v[0] for k, v in form_values(old_page, edit).items()}
    data["not_worked"] = "De afspraken waren onder schooltijd."
    stale = fatima.post(edit, data=data)
    assert stale.status_code == 409
    assert "Iemand anders heeft dit net veranderd" in page(stale)
    assert "onder schooltijd" in page(stale)
    history = dom(page(fatima.get(timeline_url(demo, f"/{event}/geschiedenis")))).text()
    assert "Tot wanneer: (leeg) → 31 december 2022" in history


def test_a_life_event_has_one_date(app, demo):
    sandra = as_user(app, SANDRA)
    saved = submit(sandra, timeline_url(demo, "/nieuw"), {
        "kind": "gebeurtenis", "title": "Verhuisd", "subjects": [str(demo.persons["Sandra"])],
        "category": "algemeen", "start_date": "2023-05-01", "end_date": "2023-06-01",
    })
    assert saved.status_code == 302
    with db_session(app) as session:
        from samenplan.timeline.models import TimelineEvent

        moved = session.scalar(select(TimelineEvent).where(TimelineEvent.title == "Verhuisd"))
        assert moved.end_date is None


# --- what an attacker posts -------------------------------------------------------------------

def test_refused_posts_store_nothing(app, demo):
    bakkers = take_on_the_bakkers(app)  # another family, also Fatima's
    fatima = as_user(app, FATIMA)
    before = count(app, "member"), count(app, "event")
    base = {"name": "X", "relation": "", "category": "algemeen", "effect": "helpt", "note": ""}
    # a subject of another family
    other = post_anyway(fatima, network_url(demo, "/nieuw"),
                        {**base, "subjects": [str(bakkers.persons["Anja"])]}, network_url(demo))
    assert other.status_code in (404, 422)
    # a kind of support that does not exist
    unknown = post_anyway(fatima, network_url(demo, "/nieuw"),
                          {**base, "subjects": [str(demo.persons["Sandra"])], "gives_now": ["alles"]},
                          network_url(demo))
    assert unknown.status_code == 422
    assert "Kies wat deze persoon geeft uit de lijst." in page(unknown)
    assert 'value="X"' in page(unknown)  # what was typed stays
    # an entry of this family edited from the other family's address
    riet = record_id(app, "member", name="Riet Jansen")
    assert fatima.get(f"/gezin/{bakkers.family_id}/netwerk/{riet}/bewerken").status_code == 404
    # roles that do not draw the map, or tell the story
    assert post_anyway(as_user(app, DAAN), network_url(demo, "/nieuw"),
                       {**base, "subjects": [str(demo.persons["Sandra"])]}).status_code == 404
    assert post_anyway(as_user(app, RIET), timeline_url(demo, "/nieuw"), {
        "kind": "gebeurtenis", "title": "Y", "subjects": [str(demo.persons["Noah"])],
        "category": "algemeen", "start_date": "2020-01-01"}).status_code == 404
    assert (count(app, "member"), count(app, "event")) == before


def test_a_wider_category_than_the_editor_may_give_is_refused(app, demo):
    """Daan may not turn Sandra's GGZ history into `algemeen` (then Mark would read it)."""
    ggz = record_id(app, "event", title=GGZ)
    daan = as_user(app, DAAN)
    edit = timeline_url(demo, f"/{ggz}/bewerken")
    refused = submit(daan, edit, {"category": "algemeen", "worked": "Anders opgeschreven."})
    assert refused.status_code == 422
    text = dom(page(refused)).text()
    assert "Dit kan niet: dan zien ook" in text and "Mark de Boer" in text
    assert "Anders opgeschreven." in page(refused)
    with db_session(app) as session:
        from samenplan.timeline.models import TimelineEvent

        event = session.get(TimelineEvent, ggz)
        assert (event.category, event.worked) == ("gezondheid", "Een vaste behandelaar die ze vertrouwde.")
    assert GGZ not in page(as_user(app, MARK).get(timeline_url(demo)))


# --- invite from the map, a harmful contact ----------------------------------------------------

def test_riet_is_linked_to_her_entry_and_a_neighbour_is_invited_from_the_map(app, demo):
    from samenplan.families.models import Invitation
    from samenplan.network.models import NetworkMember

    riet = record_id(app, "member", name="Riet Jansen")
    ans = record_id(app, "member", name="Ans Mulder")
    address = f"ans-{uuid.uuid4().hex[:8]}@example.org"  # the outbox outlives a test run
    with db_session(app) as session:
        assert session.get(NetworkMember, riet).participant_id == demo.participants[RIET]
    sandra = as_user(app, SANDRA)
    listing = page(sandra.get(network_url(demo)))
    assert "Uitnodigen voor het plan" not in card(listing, "Riet Jansen (oma)").text()  # she takes part
    invite_link = f"/gezin/{demo.family_id}/uitnodigen?netwerk={ans}"
    assert invite_link in listing
    url = f"/gezin/{demo.family_id}/uitnodigen"
    values = form_values(page(sandra.get(invite_link)), url)
    assert values["role"] == ["network"] and values["name"] == ["Ans Mulder"]
    assert values["function"] == ["buurvrouw van hiernaast"] and values["network_member"] == [str(ans)]
    sent = sandra.post(url, data={**{k: v[0] for k, v in values.items()}, "email": address})
    assert sent.status_code == 302
    with db_session(app) as session:
        invitation = session.scalar(select(Invitation).where(Invitation.email == address))
        assert invitation.network_member_id == ans
    assert invitation_link_in_outbox(app, address)
    join_from_outbox(app, address, "Ans Mulder")
    with db_session(app) as session:
        member = session.get(NetworkMember, ans)
        assert member.participant_id is not None
        assert member.participant.user.email == address


def test_an_invitation_from_another_familys_entry_is_refused(app, demo):
    bakkers = take_on_the_bakkers(app)
    ans = record_id(app, "member", name="Ans Mulder")
    fatima = as_user(app, FATIMA)
    url = f"/gezin/{bakkers.family_id}/uitnodigen"
    refused = post_anyway(fatima, url, {"name": "Ans", "email": "ans2@example.org", "role": "network",
                                        "network_member": str(ans), "person": "0", "organisation": "0"}, url)
    assert refused.status_code in (403, 404)
    from samenplan.families.models import Invitation

    with db_session(app) as session:
        assert session.scalar(select(Invitation).where(Invitation.email == "ans2@example.org")) is None


def test_a_harmful_contact_who_takes_part_never_reads_their_entry(app, demo):
    riet = record_id(app, "member", name="Riet Jansen")
    riet_client = as_user(app, RIET)
    assert "Riet Jansen" in member_names(page(riet_client.get(network_url(demo))))
    sandra = as_user(app, SANDRA)
    edit = network_url(demo, f"/{riet}/bewerken")
    assert submit(sandra, edit, {"effect": "schaadt", "category": "algemeen"}).status_code == 302
    assert "Riet Jansen doet mee aan het plan, maar ziet dit nooit" in page(sandra.get(edit))
    html = page(riet_client.get(network_url(demo)))
    assert "Riet Jansen" not in member_names(html)
    assert riet_client.get(network_url(demo, f"/{riet}/geschiedenis")).status_code == 404
    # no trace of the shield for her; Sandra still sees the entry, and the line dashed
    assert "afgeschermd" not in page(riet_client.get(f"/gezin/{demo.family_id}")).lower()
    mine = page(sandra.get(network_url(demo)))
    assert "Riet Jansen" in member_names(mine)
    assert 'stroke-dasharray="6 4"' in mine
    # the other family members still read it
    assert "Riet Jansen" in member_names(page(as_user(app, MARK).get(network_url(demo))))
    # Sandra sees on her shields page what is hidden from whom, by the entry's name
    shields = page(sandra.get(f"/gezin/{demo.family_id}/afscherming"))
    hidden = [c.text() for c in dom(shields).iter() if "card" in c.classes() and "Riet Jansen" in c.text()]
    assert hidden, "the shield on Riet's entry is listed for Sandra"
    hers = page(riet_client.get(f"/gezin/{demo.family_id}/afscherming"))
    assert not [c for c in dom(hers).iter() if "card" in c.classes() and "Riet Jansen" in c.text()]


def test_the_sub_menu_links_both_pages(app, demo):
    html = page(as_user(app, JORIS).get(f"/gezin/{demo.family_id}/tijdlijn"))
    assert f'href="{network_url(demo)}"' in html and f'href="{timeline_url(demo)}"' in html
    assert 'aria-current="page"' in html


def test_inzage_holds_the_entries_about_you_and_their_text(app, demo):
    """"Alles wat samenplan over je weet": Sandra's download has her timeline and network
    entries with what they say; Lisa's has hers, not her mother's GGZ history."""
    import json

    sandra = json.loads(page(as_user(app, SANDRA).get(f"/gezin/{demo.family_id}/inzage.json")))
    by_title = {item["titel"]: item for item in sandra["gegevens"]}
    assert "Vijf maanden wachten voor het begon." in by_title[GGZ]["tekst"]
    assert by_title[GGZ]["soort"] == "timeline_event"
    assert "Haalt Noah op woensdag" in by_title["Riet Jansen"]["tekst"]
    lisa = json.loads(page(as_user(app, LISA).get(f"/gezin/{demo.family_id}/inzage.json")))
    titles = {item["titel"] for item in lisa["gegevens"]}
    assert SCHOOL in titles and GGZ not in titles and DEBT not in titles


def test_reading_the_ggz_history_is_in_the_log_with_its_ground(app, demo):
    """Every view of a record that is not `algemeen` is logged (DESIGN.md §3): Daan's reading
    of the tijdlijn, on Sandra's consent to GGZ Kompas; one view event for the whole page."""
    ggz = record_id(app, "event", title=GGZ)
    before = len(events_about(app, ggz, "view"))
    assert as_user(app, DAAN).get(timeline_url(demo)).status_code == 200
    views = events_about(app, ggz, "view")
    assert len(views) == before + 1
    assert (views[-1].actor_participant_id, views[-1].ground) == (demo.participants[DAAN], "author")
    assert as_user(app, ILSE).get(timeline_url(demo)).status_code == 200
    assert len(events_about(app, ggz, "view")) == before + 1  # Ilse did not see it
    assert as_user(app, FATIMA).get(timeline_url(demo)).status_code == 200
    assert events_about(app, ggz, "view")[-1].ground == "grant"
