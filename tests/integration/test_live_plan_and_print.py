"""Issue 11 items 9 and 10: the live plan and the print page.

An open plan polls `GET /gezin/<id>/veranderd` (htmx, every 20 s): while nothing changed it
answers 304 with no body, from the family's change stamp alone (no statement on any record
table); after a change the reader may see, the notice "Er is iets veranderd in het plan." with
a link to refresh; after a change of a record the reader may NOT see (goal 3 for Daan) nothing,
and no ETag that tells it either. The print page (and its PDF) shows what the plan page shows
for the same reader, no more."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select, update

from samenplan.goals.models import Goal
from tests.support.builders import counting
from tests.support.clients import (
    as_user, confirm_revoke, db_session, log_in_directly, page, pdf_text, post_form,
)
from tests.support.html import card, dom
from tests.support.live import NOTICE, open_plan, poll, retitle_goal
from tests.support.people import DAAN, FATIMA, ILSE, LISA, MARK, RIET, SANDRA

ADDRESS = "Merelstraat 7"
RECORD_TABLES = ("record", "goal", "action", "plan_section", "gas_score", "scaling_answer",
                 "involvement", "revision")


def touches_records(statement: str) -> bool:
    lowered = statement.lower()
    return any(re.search(rf'\b(from|join|into|update)\s+"?{t}"?(\s|$|,)', lowered)
               for t in RECORD_TABLES)


# --- the poll ------------------------------------------------------------------------------------
def test_unchanged_plan_answers_304_with_no_body_and_no_query_on_records(app, client, demo):
    log_in_directly(client, SANDRA)
    url = open_plan(client, demo.family_id)
    first = poll(client, url)
    assert first.status_code == 200 and NOTICE not in page(first)
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "private, no-cache"
    poll(client, url, etag)  # anything done once per login or per minute happens here
    with counting(app) as statements:
        again = poll(client, url, etag)
    assert again.status_code == 304
    assert again.get_data() == b""
    on_records = [s for s in statements if touches_records(s)]
    print(f"\nthe 304 of the poll: {len(statements)} statements, "
          f"{len(on_records)} on record tables, {statements.count('COMMIT')} commit")
    assert not on_records, on_records
    assert not any(s.lstrip().upper().startswith("INSERT INTO AUDIT_EVENT") for s in statements)


def test_the_page_s_own_starting_point_is_a_valid_etag(app, client, demo):
    """A browser's first poll has no ETag yet; one that sends the page's own gets a 304."""
    log_in_directly(client, SANDRA)
    url = open_plan(client, demo.family_id)
    stand = url.split("stand=")[1]
    assert poll(client, url, f'"{stand}"').status_code == 304


def test_a_change_the_reader_may_see_is_offered_within_one_poll(app, client, demo):
    log_in_directly(client, MARK)
    url = open_plan(client, demo.family_id)
    etag = poll(client, url).headers["ETag"]
    retitle_goal(as_user(app, FATIMA), demo.family_id, demo.goals[1], "Elke avond rust in huis")
    changed = poll(client, url, etag)
    assert changed.status_code == 200
    notice = dom(page(changed))
    assert NOTICE in notice.text()
    refresh = notice.find("a", id="plan-vernieuwen")
    assert refresh.attrs["href"] == f"/gezin/{demo.family_id}"
    # htmx stops polling at 286 once it has the notice: it is not read out every 20 seconds
    assert poll(client, url, etag, htmx=True).status_code == 286
    # and the refreshed page starts from the change: nothing to offer any more
    url = open_plan(client, demo.family_id)
    assert NOTICE not in page(poll(client, url))


def test_a_change_the_reader_may_not_see_is_not_offered_and_the_etag_does_not_tell(app, client, demo):
    """Daan (GGZ) sees goal 2, not goal 3 (debts, DESIGN.md §6): Ilse changing goal 3 is no
    news for him — no notice, a 304, and an ETag that changes as it does when nothing changed."""
    log_in_directly(client, DAAN)
    url = open_plan(client, demo.family_id)
    first = poll(client, url)
    etag = first.headers["ETag"]
    quiet = poll(client, url, etag)
    assert quiet.status_code == 304
    assert quiet.headers["ETag"] != etag, "a fresh ETag in every answer, changed or not"
    retitle_goal(as_user(app, ILSE), demo.family_id, demo.goals[3], "Overzicht over de schulden")
    with db_session(app) as session:
        assert session.scalar(select(Goal.title).where(Goal.id == demo.goals[3])) == \
            "Overzicht over de schulden"
    with counting(app) as statements:
        after = poll(client, url, etag)
    assert any(touches_records(s) for s in statements), "the family stamp moved: Daan's own "\
        "visible state is looked up (one aggregate query, no record loaded)"
    assert after.status_code == 304, page(after)
    assert after.get_data() == b""
    assert len(after.headers["ETag"]) == len(quiet.headers["ETag"])
    fresh = poll(client, url)  # without an ETag: the answer itself says nothing changed
    assert fresh.status_code == 200 and NOTICE not in page(fresh)
    # a change Daan may see (his own goal 2, by Fatima) is offered
    retitle_goal(as_user(app, FATIMA), demo.family_id, demo.goals[2], "Elke week naar de GGZ")
    assert NOTICE in page(poll(client, url, etag))


def test_a_revoked_consent_is_offered_to_whom_it_hides_something(app, client, demo):
    """Sandra revokes GGZ Kompas (DESIGN.md §6): goal 2 leaves Daan's plan, and his open page
    is told within one poll (his own visible state changed; nothing of anyone else's)."""
    log_in_directly(client, DAAN)
    url = open_plan(client, demo.family_id)
    etag = poll(client, url).headers["ETag"]
    sandra = as_user(app, SANDRA)
    consent_page = page(sandra.get(f"/gezin/{demo.family_id}/toestemming"))
    ggz = card(consent_page, "Sandra → GGZ Kompas")
    assert post_form(sandra, *confirm_revoke(sandra, ggz)).status_code == 302
    assert NOTICE in page(poll(client, url, etag))


def test_reading_writes_nothing_and_raises_no_stamp(app, client, demo):
    from samenplan.records.changes import family_stamp

    with db_session(app) as session:
        before = family_stamp(session, demo.family_id)
    assert before > 0, "seeding the demo raised the stamp: every change does"
    log_in_directly(client, FATIMA)
    url = open_plan(client, demo.family_id)
    client.get(f"/gezin/{demo.family_id}/afdrukken")
    with counting(app) as statements:
        poll(client, url)
    writes = [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert not writes, writes
    with db_session(app) as session:
        assert family_stamp(session, demo.family_id) == before
    retitle_goal(as_user(app, FATIMA), demo.family_id, demo.goals[4], "Lisa gaat naar school")
    with db_session(app) as session:
        assert family_stamp(session, demo.family_id) > before, "a save raises it"


def test_polling_does_not_keep_an_idle_login_open(app, client, demo):
    """A professional's login ends when idle (auth/services.py): the open page's own polls are
    not the user being active, a page they open is."""
    from datetime import timedelta

    from samenplan.auth.models import User, UserSession
    from samenplan.db import utcnow

    log_in_directly(client, DAAN)
    url = open_plan(client, demo.family_id)

    def last_seen_minutes_ago(minutes: int | None = None):
        with db_session(app) as session:
            row = session.scalar(select(UserSession).join(User).where(User.email == DAAN)
                                 .order_by(UserSession.id.desc()))
            if minutes is not None:
                row.last_seen_at = utcnow() - timedelta(minutes=minutes)
                session.commit()
            return row.last_seen_at

    seen = last_seen_minutes_ago(5)
    assert poll(client, url, htmx=True).status_code == 200
    assert last_seen_minutes_ago() == seen, "a poll is no activity"
    client.get(f"/gezin/{demo.family_id}")
    assert last_seen_minutes_ago() > seen, "opening a page is"
    # idle too long: the poll gets no notice and stops (286 without a body), no login page
    last_seen_minutes_ago(24 * 60)
    ended = poll(client, url, htmx=True)
    assert ended.status_code == 286 and ended.get_data() == b""
    assert poll(client, url).status_code == 302  # without htmx: to the login page


def test_a_revoked_or_foreign_reader_gets_404(app, client, demo):
    log_in_directly(client, DAAN)
    url = open_plan(client, demo.family_id)
    assert poll(client, url).status_code == 200
    from samenplan.families.models import Participant

    with db_session(app) as session:
        session.execute(update(Participant).where(
            Participant.id == demo.participants[DAAN]).values(active=False))
        session.commit()
    assert poll(client, url).status_code == 404
    # someone who takes no part in this family (the administrator) gets 404 as well
    other = as_user(app, "beheer@samenplan.demo")
    assert poll(other, url).status_code == 404
    assert other.get(f"/gezin/{demo.family_id}/afdrukken").status_code == 404


def test_another_reader_s_token_is_worth_nothing(app, client, demo):
    log_in_directly(client, FATIMA)
    fatima_url = open_plan(client, demo.family_id)
    fatima_etag = poll(client, fatima_url).headers["ETag"]
    daan = as_user(app, DAAN)
    # Fatima's starting point and ETag, sent by Daan: not his, so no 304 and the refresh offered
    answer = poll(daan, fatima_url, fatima_etag)
    assert answer.status_code == 200 and NOTICE in page(answer)


def test_the_plan_page_polls_outside_every_form_and_offers_print(app, client, demo):
    log_in_directly(client, SANDRA)
    html = page(client.get(f"/gezin/{demo.family_id}"))
    region = dom(html).find(id="plan-veranderd")
    assert region.attrs["aria-live"] == "polite"
    assert region.attrs["hx-trigger"] == "every 20s"
    node = region.parent
    while node is not None:
        assert node.tag != "form"
        node = node.parent
    assert dom(html).find("a", id="plan-afdrukken").attrs["href"] == \
        f"/gezin/{demo.family_id}/afdrukken"
    assert "<script>" not in html


# --- the print page ------------------------------------------------------------------------------
def goal_titles(html: str) -> set[str]:
    return {h.text() for h in dom(html).find_all("h3") if (h.attrs.get("id") or "").startswith("doel-")}


def shown(html: str) -> dict:
    main = dom(html).find("main")
    return {"goals": goal_titles(html), "actions": {a.attrs["id"] for a in main.find_all("li")
                                                     if (a.attrs.get("id") or "").startswith("actie-")},
            "sections": {s.attrs["id"] for s in main.find_all("li")
                         if (s.attrs.get("id") or "").startswith("sectie-")}}


# DESIGN.md §6 "Which follows": the goals each demo login sees
SEES = {SANDRA: {1, 2, 3, 4}, MARK: {1, 4}, LISA: {1, 4, 5}, RIET: {1, 4},
        FATIMA: {1, 2, 3, 4, 5}, DAAN: {2}, ILSE: {3}}


@pytest.mark.parametrize("email", sorted(SEES))
def test_the_print_page_shows_what_the_plan_page_shows(app, client, demo, email):
    log_in_directly(client, email)
    plan = page(client.get(f"/gezin/{demo.family_id}"))
    printed = client.get(f"/gezin/{demo.family_id}/afdrukken")
    assert printed.status_code == 200
    html = page(printed)
    assert goal_titles(html) == {demo.goal_titles[n] for n in SEES[email]}
    assert shown(html) == shown(plan)
    assert (ADDRESS in html) == (ADDRESS in plan)
    assert printed.headers["Content-Security-Policy"].startswith("default-src 'self'; script-src 'self'")
    main = dom(html).find("main")
    assert not main.find_all("form"), "paper: nothing to click"
    assert not main.find_all(id="plan-veranderd"), "the print page does not poll"


def test_mark_s_print_has_no_address_and_no_hidden_goals(app, client, demo):
    log_in_directly(client, MARK)
    html = page(client.get(f"/gezin/{demo.family_id}/afdrukken"))
    titles = goal_titles(html)
    assert titles == {demo.goal_titles[1], demo.goal_titles[4]}
    assert ADDRESS not in html
    assert "Noah kan altijd oma Riet bellen." in html  # the safety line
    # the family, the ladder in words, who does what and who sees it
    assert "Het gezin" in html and "Sandra" in html
    assert "Stappen naar het doel" in html
    assert "Zichtbaar voor:" in html
    for word in ("T-score", "score van het plan", "Gewicht"):
        assert word not in html
    assert 'class="level"' not in html, "the steps in words, without -2..+2"


def test_the_casusregisseur_s_print_has_the_numbers(app, client, demo):
    log_in_directly(client, FATIMA)
    html = page(client.get(f"/gezin/{demo.family_id}/afdrukken"))
    assert goal_titles(html) == set(demo.goal_titles.values())
    assert ADDRESS in html
    assert "Gewicht:" in html and "De score van het plan is nu" in html
    assert 'class="level"' in html


def test_printing_is_audited_like_the_plan_page(app, client, demo):
    from samenplan.privacy.models import AuditEvent

    log_in_directly(client, DAAN)
    client.get(f"/gezin/{demo.family_id}/afdrukken")  # once per login
    with db_session(app) as session:
        before = session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1))
    client.get(f"/gezin/{demo.family_id}/afdrukken")
    with db_session(app) as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.id > before)).all()
    views = [e for e in events if e.action == "view"]
    assert len(views) == 1
    listed = {item["record"] for item in views[0].items}
    assert demo.goals[2] in listed and demo.goals[3] not in listed


@pytest.mark.parametrize("email", [MARK, DAAN])
def test_the_pdf_is_the_print_page_and_holds_nothing_hidden(app, client, demo, email):
    log_in_directly(client, email)
    response = client.get(f"/gezin/{demo.family_id}/afdrukken.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    data = response.get_data()
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    for number, title in demo.goal_titles.items():
        assert (title in text) == (number in SEES[email]), (number, title)
    assert ADDRESS not in text
    assert "Uitloggen" not in text and "Download als PDF" not in text
