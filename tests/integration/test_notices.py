"""Meldingen (issue 10 item 6): one place in the app, and one mail per event, for consent asked
and recorded, access granted or lost, an invitation accepted and a professional leaving. A
notification is a code and its parameters put in words when shown; the mail says only that there
is news; opening a notification marks it read; nobody opens or reads another's."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.support.clients import as_user, confirm_revoke, csrf_token, db_session, page, post_form
from tests.support.html import card, dom, form_with_button
from tests.support.mail import outbox_to
from tests.support.people import DAAN, FATIMA, ILSE, MARK, SANDRA


@pytest.fixture
def notices_app(app, tmp_path):
    app.config["MAIL_OUTBOX"] = str(tmp_path / "outbox")
    return app


def unread_on_home(html: str) -> int:
    """The count on the home page's Meldingen button."""
    link = next(a for a in dom(html).find_all("a") if "notices-link" in a.classes())
    found = re.search(r"(\d+)", link.text())
    return int(found.group(1)) if found else 0


def notice_cards(html: str) -> list:
    return [li for li in dom(html).find_all("li") if "card" in li.classes()
            and li.attrs.get("id", "").startswith("melding-")]


def notifications_of(app, email: str):
    from samenplan.auth.models import User
    from samenplan.privacy.models import Notification

    with db_session(app) as session:
        return session.scalars(select(Notification).join(User, User.id == Notification.user_id)
                               .where(User.email == email).order_by(Notification.id)).all()


def revoke_ggz(app, demo) -> None:
    sandra = as_user(app, SANDRA)
    consent_page = page(sandra.get(f"/gezin/{demo.family_id}/toestemming"))
    ggz = card(consent_page, "Sandra → GGZ Kompas")
    assert post_form(sandra, *confirm_revoke(sandra, ggz)).status_code == 302


def test_a_revoked_consent_tells_the_professional_once_in_the_app_and_by_mail(notices_app, demo):
    daan = as_user(notices_app, DAAN)
    assert unread_on_home(page(daan.get("/"))) == 0
    revoke_ggz(notices_app, demo)

    home = page(daan.get("/"))
    assert unread_on_home(home) == 1
    listing = page(daan.get("/meldingen"))
    [notice] = notice_cards(listing)
    assert "Je mag niet meer alles zien in dit plan" in notice.text()
    assert "Gezondheid" in notice.text() and "Sandra" in notice.text()
    mails = outbox_to(notices_app, DAAN)
    assert len(mails) == 1, "one mail per event"
    assert "Sandra" not in mails[0] and "Gezondheid" not in mails[0] and "GGZ" not in mails[0], \
        "the mail tells nothing about the family"
    assert "/meldingen" in mails[0]

    opened = post_form(daan, listing, form_with_button(notice, "Bekijk"))
    assert opened.status_code == 302 and opened.headers["Location"].endswith(f"/gezin/{demo.family_id}")
    assert unread_on_home(page(daan.get("/"))) == 0
    assert "Nieuw:" not in page(daan.get("/meldingen"))


def test_consent_recorded_at_the_table_tells_the_consenter_and_the_new_reader(notices_app, demo):
    fatima = as_user(notices_app, FATIMA)
    url = f"/gezin/{demo.family_id}/toestemming"
    html = page(fatima.get(url))
    from samenplan.orgs.models import Organisation

    with db_session(notices_app) as session:
        schuldhulp = session.scalar(select(Organisation.id).where(Organisation.name == "Schuldhulp Stad"))
    response = fatima.post(url, data={
        "csrf_token": csrf_token(html), "subject": str(demo.persons["Sandra"]),
        "grantee": f"org:{schuldhulp}", "categories": ["gezondheid"], "purpose": "Schulden en zorg",
        "how": "tafel", "consenters": [str(demo.persons["Sandra"])],
    })
    assert response.status_code == 302, page(response)[:2000]

    [granted] = [n for n in notifications_of(notices_app, ILSE) if n.kind == "access_granted"]
    assert granted.params["categories"] == ["gezondheid"]
    ilse_page = page(as_user(notices_app, ILSE).get(f"/gezin/{demo.family_id}"))
    assert "Je mag nu meer zien in dit plan" in ilse_page, "the plan page lists the family's news"
    assert [n.kind for n in notifications_of(notices_app, SANDRA)] == ["consent_recorded"]
    assert not notifications_of(notices_app, FATIMA), "whoever acted is not told"
    assert len(outbox_to(notices_app, ILSE)) == 1 and len(outbox_to(notices_app, SANDRA)) == 1


def test_nobody_opens_or_reads_anothers_notification(notices_app, demo):
    revoke_ggz(notices_app, demo)
    [notice] = notifications_of(notices_app, DAAN)
    mark = as_user(notices_app, MARK)
    html = page(mark.get("/meldingen"))
    assert "Je mag niet meer alles zien" not in html
    forged = mark.post(f"/meldingen/{notice.id}", data={"csrf_token": csrf_token(html)})
    assert forged.status_code == 404
    assert mark.post("/meldingen/999999", data={"csrf_token": csrf_token(html)}).status_code == 404
    assert notifications_of(notices_app, DAAN)[0].read_at is None, "still unread for Daan"
    assert mark.post(f"/meldingen/{notice.id}").status_code == 400, "no change without the CSRF token"


def test_read_all_marks_only_ones_own(notices_app, demo):
    from samenplan.auth.models import User
    from samenplan.db import utcnow
    from samenplan.notices.services import notify

    revoke_ggz(notices_app, demo)
    with db_session(notices_app) as session:
        sandra_id = session.scalar(select(User.id).where(User.email == SANDRA))
        notify(session, [sandra_id], kind="consent_declined", params={}, link="/", now=utcnow())
        session.commit()
    daan = as_user(notices_app, DAAN)
    html = page(daan.get("/meldingen"))
    done = post_form(daan, html, form_with_button(dom(html), "Alles gelezen"))
    assert done.status_code == 302
    assert "Alle meldingen zijn gelezen." in page(daan.get(done.headers["Location"]))
    assert all(n.read_at is not None for n in notifications_of(notices_app, DAAN))
    assert [n.read_at for n in notifications_of(notices_app, SANDRA)] == [None], "Sandra's stays unread"


def test_a_notification_only_ever_links_inside_the_app(notices_app):
    from samenplan.notices.services import safe_link

    assert safe_link("/gezin/1/toestemming#toestemming-3") == "/gezin/1/toestemming#toestemming-3"
    for outside in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"):
        assert safe_link(outside) == "/"


def test_an_accepted_invitation_tells_who_invited(notices_app, demo):
    from samenplan import db
    from samenplan.auth.models import User
    from samenplan.db import utcnow
    from samenplan.families import services as families
    from samenplan.families.models import Invitation, Participant

    with notices_app.app_context():
        session = db.session()
        riet_account = User(email="buurvrouw@demo.samenplan.nl", name="Ans de Buur", active=True)
        session.add(riet_account)
        inviter = session.scalar(select(Participant).join(User).where(User.email == SANDRA))
        invitation = Invitation(family_id=demo.family_id, email=riet_account.email, name="Ans",
                                role="network",
                                invited_by_id=inviter.id, token_hash="x" * 64, created_at=utcnow(),
                                expires_at=utcnow().replace(year=utcnow().year + 1))
        session.add(invitation)
        session.commit()
        families.accept(session, invitation, riet_account, utcnow())
    [joined] = [n for n in notifications_of(notices_app, SANDRA) if n.kind == "invitation_accepted"]
    assert joined.params == {"name": "Ans de Buur"}
    assert "Ans de Buur doet nu mee aan het plan." in page(as_user(notices_app, SANDRA).get("/meldingen"))
