"""The second demo family (issue 13 item 8): the Hendriks family, whose plan `seed-demo` closes
six weeks ago through the closing service, with nazorg and satisfaction answers, so the screens
after closure show something. The rest of the suite seeds the first family only; this file
seeds both, as `seed-demo` does. On SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import reset_database
from tests.support.clients import as_user, csrf_token, db_session, page
from tests.support.pages import words
from tests.support.people import FATIMA, SANDRA

KARIN, NAOMI, MILAN = ("karin@wijkteam-noord.demo", "naomi@demo.samenplan.nl",
                       "milan@demo.samenplan.nl")


@pytest.fixture
def both(app, database_url):
    from samenplan.demo import seed_demo

    app.config["LOGIN_RATE_LIMIT"] = "10000 per minute"
    reset_database(database_url)
    with db_session(app) as session:
        assert seed_demo(session)
    return app


def family_id(app) -> int:
    from samenplan.demo_closed import CLOSED_FAMILY
    from samenplan.families.models import Family

    with db_session(app) as session:
        return session.scalar(select(Family.id).where(Family.name == CLOSED_FAMILY))


def test_the_closed_family_is_closed_with_a_final_version(both):
    from samenplan.domain.vocabulary import PlanPhase
    from samenplan.evaluations.models import PlanVersion
    from samenplan.plans.models import Plan

    fid = family_id(both)
    with db_session(both) as session:
        assert session.scalar(select(Plan.phase).where(Plan.family_id == fid)) is PlanPhase.CLOSED
        assert len(session.scalars(select(PlanVersion).where(PlanVersion.family_id == fid)).all()) == 2
    karin = as_user(both, KARIN)
    plan = words(page(karin.get(f"/gezin/{fid}")))
    assert "afgerond" in plan.lower()
    assert "Ik betaal elke maand de huur en de energie op tijd" in plan
    # read-only: an edit is refused in words
    token = csrf_token(page(karin.get(f"/gezin/{fid}/nazorg")))
    refused = karin.post(f"/gezin/{fid}/doelen/nieuw", data={"title": "Nog een doel",
                                                              "csrf_token": token})
    assert refused.status_code == 409 and "Dit plan is afgerond" in words(page(refused))


def test_nazorg_and_self_sufficiency_show_what_was_said(both):
    fid = family_id(both)
    karin = as_user(both, KARIN)
    nazorg = words(page(karin.get(f"/gezin/{fid}/nazorg")))
    assert "De huur gaat nog steeds goed." in nazorg
    assert "We redden het samen." in nazorg
    selfreliance = words(page(karin.get(f"/gezin/{fid}/zelfredzaamheid")))
    assert "bij de start: 7 leefgebieden. Nu: 1." in selfreliance


def test_satisfaction_answers_are_seen_only_by_who_gave_them(both):
    fid = family_id(both)
    naomi = words(page(as_user(both, NAOMI).get(f"/gezin/{fid}/tevredenheid")))
    milan = words(page(as_user(both, MILAN).get(f"/gezin/{fid}/tevredenheid")))
    assert "8" in naomi and "7" in milan
    totals = words(page(as_user(both, KARIN).get("/tevredenheid")))
    assert "Nog te weinig gezinnen" in totals  # one closed family, not five


def test_the_first_family_sees_nothing_of_the_second(both):
    fid = family_id(both)
    for email in (FATIMA, SANDRA):
        client = as_user(both, email)
        assert client.get(f"/gezin/{fid}").status_code == 404
        assert "Hendriks" not in page(client.get("/"))
