"""Withdrawing a consent is asked once ("Weet je het zeker?"), and whoever withdrew it may take
that back for 10 minutes ("Ongedaan maken"): the consent holds again, with a revision in its
a new version and, in the audit trail, both the withdrawal and its undoing. Nobody else may undo it, nor after the 10 minutes."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.support.clients import as_user, csrf_token, page, post_form
from tests.support.html import card, form_with_button
from tests.support.people import DAAN, FATIMA, MARK, SANDRA

GGZ_GOAL = "Ik ga elke week naar mijn afspraak bij de GGZ"  # goal 2: Sandra, gezondheid


@pytest.fixture
def undo_app(app):
    app.config["LOGIN_RATE_LIMIT"] = "10000 per minute"
    return app


@pytest.fixture
def sandra_ggz(undo_app):
    """(family id, the id of Sandra's consent to GGZ Kompas)."""
    from samenplan import db
    from samenplan.families.models import Family
    from samenplan.orgs.models import Organisation
    from samenplan.privacy.models import Consent

    with undo_app.app_context():
        session = db.session()
        ggz = session.scalar(select(Organisation.id).where(Organisation.name == "GGZ Kompas"))
        consent = session.scalar(select(Consent.id).where(
            Consent.grantee_organisation_id == ggz, Consent.record_id.is_(None),
            Consent.revoked_at.is_(None)))
        return session.scalar(select(Family.id)), consent


def consent_row(app, consent_id):
    from samenplan import db
    from samenplan.privacy.models import Consent

    with app.app_context():
        c = db.session().get(Consent, consent_id)
        return c.revoked_at, c.revoked_by_id, c.version


def revoke_through_the_screens(client, family_id):
    """Sandra: 'Intrekken' (a link to the question), then 'Ja, intrekken'."""
    html = page(client.get(f"/gezin/{family_id}/toestemming"))
    node = card(html, "Sandra → GGZ Kompas")
    link = next(a for a in node.find_all("a") if a.text().startswith("Intrekken"))
    assert not any(b.text().startswith("Intrekken") for b in node.find_all("button")), \
        "withdrawing is one tap: no question asked"
    confirm = client.get(link.attrs["href"])
    assert confirm.status_code == 200
    confirm_html = page(confirm)
    assert "Weet je het zeker?" in confirm_html
    form = form_with_button(card(confirm_html, "Sandra → GGZ Kompas"), "Ja, intrekken")
    response = post_form(client, confirm_html, form)
    assert response.status_code in (302, 303)
    return page(client.get(response.headers["Location"]))


def test_asking_does_not_revoke_and_yes_does(undo_app, sandra_ggz):
    family_id, consent_id = sandra_ggz
    sandra = as_user(undo_app, SANDRA)
    sandra.get(f"/gezin/{family_id}/toestemming/{consent_id}/intrekken")
    assert consent_row(undo_app, consent_id)[0] is None, "the question itself withdrew it"
    revoke_through_the_screens(sandra, family_id)
    assert consent_row(undo_app, consent_id)[0] is not None


def test_the_one_who_withdrew_can_undo_it_and_the_reader_sees_again(undo_app, sandra_ggz):
    from samenplan import db
    from samenplan.privacy.models import AuditEvent

    family_id, consent_id = sandra_ggz
    sandra = as_user(undo_app, SANDRA)
    html = revoke_through_the_screens(sandra, family_id)
    assert GGZ_GOAL not in page(as_user(undo_app, DAAN).get(f"/gezin/{family_id}"))

    undo = form_with_button(card(html, "Sandra → GGZ Kompas"), "Ongedaan maken")
    response = post_form(sandra, html, undo)
    assert response.status_code in (302, 303)
    after = page(sandra.get(response.headers["Location"]))
    assert "De toestemming geldt weer" in after
    assert "Geldt nu." in card(after, "Sandra → GGZ Kompas").text()
    assert consent_row(undo_app, consent_id)[0] is None
    assert GGZ_GOAL in page(as_user(undo_app, DAAN).get(f"/gezin/{family_id}"))
    with undo_app.app_context():
        session = db.session()
        actions = session.scalars(select(AuditEvent.action).where(
            AuditEvent.target_kind == "consent", AuditEvent.target_id == consent_id)
            .order_by(AuditEvent.seq)).all()
        assert actions[-2:] == ["revoke", "undo_revoke"], actions


def test_nobody_else_may_undo_and_not_after_ten_minutes(undo_app, sandra_ggz):
    from samenplan import db
    from samenplan.privacy.models import Consent

    family_id, consent_id = sandra_ggz
    sandra = as_user(undo_app, SANDRA)
    html = revoke_through_the_screens(sandra, family_id)
    url = f"/gezin/{family_id}/toestemming/{consent_id}/terugzetten"
    version = consent_row(undo_app, consent_id)[2]
    for other in (FATIMA, MARK):  # the casusregisseur sees the consent; Mark does not
        client = as_user(undo_app, other)
        other_html = page(client.get(f"/gezin/{family_id}/toestemming"))
        if other == FATIMA:
            assert "Ongedaan maken" not in card(other_html, "Sandra → GGZ Kompas").text()
        response = client.post(url, data={"csrf_token": csrf_token(other_html), "version": version})
        assert response.status_code in (403, 404), (other, response.status_code)
        assert consent_row(undo_app, consent_id)[0] is not None

    with undo_app.app_context():  # eleven minutes later
        session = db.session()
        consent = session.get(Consent, consent_id)
        consent.revoked_at = consent.revoked_at - timedelta(minutes=11)
        session.commit()
    later = page(sandra.get(f"/gezin/{family_id}/toestemming"))
    assert "Ongedaan maken" not in card(later, "Sandra → GGZ Kompas").text()
    response = sandra.post(url, data={"csrf_token": csrf_token(html), "version": version})
    assert response.status_code == 403
    assert consent_row(undo_app, consent_id)[0] is not None
