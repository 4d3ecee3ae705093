"""Issue 13 items 1 and 5, when people leave their organisation: a professional let go while
their part in the plan was not closed is on the casusregisseur's worklist the same day (and
closable by the chair); a casusregisseur let go without a handover leaves the family without
one, shown on the organisation's worklist (how many, never which), where the functioneel
beheerder makes a colleague their casusregisseur. An open handover shows on both chairs'
worklists. On SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from tests.support import handover as ho
from tests.support.clients import as_user, csrf_token, db_session, page
from tests.support.families import today
from tests.support.html import form_values
from tests.support.pages import words
from tests.support.people import (
    BEHEER_GGZ, BEHEER_SCHULDHULP, BEHEER_WIJKTEAM, DAAN, FATIMA, MARK, SANDRA,
)


def _let_go(app, email: str, organisation: str, by: str) -> None:
    """`by`, the functioneel beheerder of `organisation`, reports `email` as a leaver through
    the screen (what leaving means first, then the button)."""
    from samenplan.auth.models import User
    from samenplan.orgs.models import Organisation, OrganisationMember

    with db_session(app) as session:
        org_id = session.scalar(select(Organisation.id).where(Organisation.name == organisation))
        member_id = session.scalar(select(OrganisationMember.id).join(
            User, User.id == OrganisationMember.user_id).where(
            User.email == email, OrganisationMember.organisation_id == org_id))
    beheerder = as_user(app, by)
    url = f"/organisatie/{org_id}/hulpverleners/{member_id}/uit-dienst"
    response = beheerder.post(url, data={"csrf_token": csrf_token(page(beheerder.get(url)))})
    assert response.status_code == 302, words(page(response))[:500]


def _org_page(app, by: str, organisation: str):
    from samenplan.orgs.models import Organisation

    with db_session(app) as session:
        org_id = session.scalar(select(Organisation.id).where(Organisation.name == organisation))
    client = as_user(app, by)
    return client, org_id, page(client.get(f"/organisatie/{org_id}"))


def test_a_professional_let_go_with_the_part_open_is_on_the_worklist_the_same_day(app, demo):
    _let_go(app, DAAN, "GGZ Kompas", BEHEER_GGZ)
    fatima = as_user(app, FATIMA)
    home = words(page(fatima.get("/")))
    assert "1 hulpverlener is uit dienst, zonder afsluiting van het werk in dit plan" in home
    team = page(fatima.get(f"/gezin/{demo.family_id}/team"))
    assert "Weg zonder afsluiting" in words(team) and "Daan Visser (GGZ Kompas)" in words(team)
    # nobody else is shown him: Mark may not know a GGZ worker took part
    assert "Daan Visser" not in words(page(as_user(app, MARK).get(f"/gezin/{demo.family_id}/team")))
    assert "Weg zonder afsluiting" not in words(page(as_user(app, SANDRA).get(f"/gezin/{demo.family_id}/team")))
    # the chair closes his part; the worklist is quiet about it after that
    url = f"/gezin/{demo.family_id}/team/{demo.participants[DAAN]}/stoppen"
    assert as_user(app, MARK).get(url).status_code == 404
    values = form_values(page(fatima.get(url)), url)
    done = fatima.post(url, data={**values, "end_date": today().isoformat(), "reason": "anders"})
    assert done.status_code == 302
    assert "uit dienst, zonder afsluiting" not in words(page(fatima.get("/")))
    assert "Weg zonder afsluiting" not in words(page(fatima.get(f"/gezin/{demo.family_id}/team")))


def test_a_chair_let_go_without_a_handover_leaves_the_family_on_the_organisations_worklist(app, demo):
    karin = ho.add_colleague(app)
    _let_go(app, FATIMA, ho.WIJKTEAM, BEHEER_WIJKTEAM)
    assert ho.chairs(app, demo.family_id) == []
    assert "Zonder vaste hulpverlener" in words(page(as_user(app, DAAN).get("/")))
    plan = words(page(as_user(app, SANDRA).get(f"/gezin/{demo.family_id}")))
    assert "Er is nu even geen vaste hulpverlener." in plan

    beheerder, org_id, html = _org_page(app, BEHEER_WIJKTEAM, ho.WIJKTEAM)
    shown = words(html)
    assert "Gezinnen zonder casusregisseur" in shown and "1 gezin van Fatima El Amrani" in shown
    # how many, never which: no family's name, no link into a plan
    assert "Jansen" not in shown.replace("Fatima", "") and f"/gezin/{demo.family_id}" not in html
    # another organisation's beheerder sees none of it, and cannot appoint
    schuldhulp, _o, other = _org_page(app, BEHEER_SCHULDHULP, "Schuldhulp Stad")
    assert "Gezinnen zonder casusregisseur" not in words(other)
    with db_session(app) as session:
        from samenplan.auth.models import User
        from samenplan.orgs.models import OrganisationMember

        fatima_id = session.scalar(select(User.id).where(User.email == FATIMA))
        karin_member = session.scalar(select(OrganisationMember.id).where(OrganisationMember.user_id == karin))
        daan_member = session.scalar(select(OrganisationMember.id).join(
            User, User.id == OrganisationMember.user_id).where(User.email == DAAN))
    appoint = f"/organisatie/{org_id}/zonder-casusregisseur/{fatima_id}"
    assert schuldhulp.post(appoint, data={
        "csrf_token": csrf_token(other), "member": str(karin_member)}).status_code == 404
    # only a colleague of this organisation who may take on families
    wrong = beheerder.post(appoint, data={"csrf_token": csrf_token(html), "member": str(daan_member)})
    assert wrong.status_code == 422 and "Kies een collega uit de lijst." in words(page(wrong))
    assert ho.chairs(app, demo.family_id) == []

    done = beheerder.post(appoint, data={"csrf_token": csrf_token(html), "member": str(karin_member)})
    assert done.status_code == 302
    assert ho.chairs(app, demo.family_id) == ["Karin Mulder"]
    assert any("Vanaf nu is Karin Mulder je vaste hulpverlener" in n for n in ho.notices_of(app, SANDRA))
    assert any("Je bent nu de casusregisseur van een gezin dat Fatima El Amrani had" in n
               for n in ho.notices_of(app, ho.KARIN))
    assert "Gezinnen zonder casusregisseur" not in words(_org_page(app, BEHEER_WIJKTEAM, ho.WIJKTEAM)[2])
    karin_client = as_user(app, ho.KARIN)
    assert karin_client.get(f"/gezin/{demo.family_id}/afronden").status_code == 200  # she chairs
    assert "Zonder vaste hulpverlener" not in words(page(as_user(app, DAAN).get("/")))


def test_an_open_handover_is_on_both_chairs_worklists(app, demo):
    ho.add_colleague(app)
    fatima = as_user(app, FATIMA)
    ho.start(fatima, demo.family_id, "Karin Mulder", switch_on=today())
    for client in (fatima, as_user(app, ho.KARIN)):
        assert "Overdracht aan Karin Mulder: kennismaking nog niet vastgelegd" in words(page(client.get("/")))
    # the day of the switch passes without it: a warning
    from samenplan.handover.models import Handover

    with db_session(app) as session:
        handover = session.scalar(select(Handover))
        handover.switch_on = today() - timedelta(days=1)
        session.commit()
    assert "Overdracht aan Karin Mulder: de dag is voorbij" in words(page(fatima.get("/")))
    assert "Overdracht aan" not in words(page(as_user(app, DAAN).get("/")))
