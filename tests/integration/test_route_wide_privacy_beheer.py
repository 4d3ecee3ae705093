"""Route-wide privacy for those who manage (issue 10, item 4): the administrator and the
functioneel beheerders of the demo organisations take part in no plan, and by that role see no
family data through any route.

The crawler of test_route_wide_privacy.py runs as each of them: every page reachable from the
home page, every GET route that needs no id, and typed in, every page of the demo family (its
plan, consent, shields, inzage and its export, every goal as page and fragment, its "wie
keek?" of each record) and the screens of the other organisations. No response may hold:
- the text of any record (every record is denied: they take part in no plan);
- the family's name or a link into it (`/gezin/<id>`), the name of any of its persons;
- the name, address or phone of any participant - except, for a beheerder, the name and
  address of their own organisation's people, whom they manage (never their phone: that is
  the plan's);
- the name of an organisation other than their own (the administrator knows them all);
- the reason of a shield, or any trace of one.
The family pages all answer 404. Positive controls: the crawl reaches the management screens
and shows the names it should; and the same check finds the family's data on the casusregisseur's
plan page (teeth). The crawl runs once more after a leaver: a leaver's screens say *how many*
plans, never which.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.integration.test_route_wide_privacy import (
    UNKNOWN_ID, Crawl, Fetched, RecordText, Secret, Verdict, crawl, family_only_routes, leaks_in,
    policy_verdict,
)
from tests.support.clients import as_user, csrf_token, page
from tests.support.people import ADMIN, BEHEER_GGZ, BEHEER_WIJKTEAM, BEHEERDERS, DAAN, FATIMA

MANAGERS = [ADMIN, *BEHEERDERS]


@pytest.fixture
def crawl_app(app):
    app.config["LOGIN_RATE_LIMIT"] = "10000 per minute"
    return app


def manager_verdict(app, email: str) -> Verdict:
    """What the pure policy says (everything of every plan is denied, every participant hidden:
    they take part in none), with what managing adds: their own organisation's people by name
    and address, and the names of the organisations they may know of."""
    from samenplan import db
    from samenplan.auth.models import User
    from samenplan.families.models import Family, Person
    from samenplan.orgs.models import Organisation, OrganisationMember

    verdict = policy_verdict(app, email)
    assert verdict.family_ids == [] and verdict.allowed == [], f"{email} takes part in a plan?"
    with app.app_context():
        session = db.session()
        user = session.scalar(select(User).where(User.email == email))
        managed = set(session.scalars(select(OrganisationMember.organisation_id).where(
            OrganisationMember.user_id == user.id, OrganisationMember.is_beheerder,
            OrganisationMember.active)))
        known_orgs = (set(session.scalars(select(Organisation.id))) if user.is_admin else managed)
        colleagues = {
            u.id: u for u in session.scalars(
                select(User).join(OrganisationMember, OrganisationMember.user_id == User.id)
                .where(OrganisationMember.organisation_id.in_(managed)))
        }
        hidden = []
        for secret in verdict.hidden:
            if secret.kind == "organisation" and secret.id in known_orgs:
                continue
            if secret.kind == "participant" and secret.id in colleagues:
                # their name and address are the beheerder's to know; their phone in a plan is not
                colleague = colleagues[secret.id]
                rest = tuple(t for t in secret.texts if t not in (colleague.name, colleague.email))
                secret = Secret("participant", secret.id, f"phone of {secret.label}", rest,
                                family_id=secret.family_id)
            hidden.append(secret)
        for family in session.scalars(select(Family)):
            hidden.append(Secret("family", family.id, family.name, (family.name,),
                                 traces=(f"/gezin/{family.id}",), family_id=family.id))
        for person in session.scalars(select(Person)):
            hidden.append(Secret("person", person.id, person.name, (person.name,), family_id=person.family_id))
        verdict.hidden = hidden
        verdict.visible_texts = [user.name, user.email] + [
            t for c in colleagues.values() for t in (c.name, c.email)] + [
            o.name for o in session.scalars(select(Organisation).where(Organisation.id.in_(known_orgs)))]
    return verdict


def family_urls(app, demo) -> list[tuple[str, bool]]:
    """Every page of the demo family, typed in: what a participant would reach."""
    from samenplan import db
    from samenplan.privacy.models import Record

    f = demo.family_id
    urls = [(u, False) for u in family_only_routes(app, [f]) if u.startswith("/gezin/")]
    urls += [(f"/gezin/{f}", True), (f"/gezin/{f}/doelen/{UNKNOWN_ID}", False)]
    with app.app_context():
        records = db.session().scalars(select(Record.id).where(Record.family_id == f)).all()
    for goal in demo.goals.values():
        urls += [(f"/gezin/{f}/doelen/{goal}", False), (f"/gezin/{f}/doelen/{goal}", True),
                 (f"/gezin/{f}/doelen/{goal}/bewerken", False)]
    urls += [(f"/gezin/{f}/wie-keek?record={r}", False) for r in records]
    return urls


def other_organisations_urls(app, email: str) -> list[str]:
    """The screens of every organisation the user does not manage, and of their people."""
    from samenplan import db
    from samenplan.auth.models import User
    from samenplan.orgs.models import OrganisationMember

    with app.app_context():
        session = db.session()
        user = session.scalar(select(User).where(User.email == email))
        managed = set(session.scalars(select(OrganisationMember.organisation_id).where(
            OrganisationMember.user_id == user.id, OrganisationMember.is_beheerder)))
        urls = []
        for member in session.scalars(select(OrganisationMember).where(
                OrganisationMember.organisation_id.not_in(managed or {0}))):
            o, m = member.organisation_id, member.id
            urls += [f"/organisatie/{o}", f"/organisatie/{o}/inloggen", f"/organisatie/{o}/hulpverleners/{m}",
                     f"/organisatie/{o}/hulpverleners/{m}/uit-dienst"]
    return sorted(set(urls))


def crawl_as_manager(app, demo, email: str):
    verdict = manager_verdict(app, email)
    result = crawl(app, email, verdict)
    client = as_user(app, email)
    typed = [(u, h) for u, h in family_urls(app, demo)] + [(u, False) for u in other_organisations_urls(app, email)]
    for url, as_htmx in typed:
        response = client.get(url, headers={"HX-Request": "true"} if as_htmx else {})
        assert response.status_code == 404, f"{email}: GET {url} (htmx={as_htmx}) -> {response.status_code}"
        result.pages.append(Fetched(url, as_htmx, response.status_code, response.mimetype,
                                    response.get_data(as_text=True)))
    return result, verdict


def assert_reached_the_management_screens(app, email: str, result: Crawl) -> None:
    """Positive control: the crawl saw the screens it is about, and the names it may show."""
    from samenplan import db
    from samenplan.orgs.models import Organisation

    with app.app_context():
        orgs = {o.name: o.id for o in db.session().scalars(select(Organisation))}
    text = result.text()
    if email == ADMIN:
        assert "/beheer" in result.urls
        for name, oid in orgs.items():
            assert f"/beheer/organisaties/{oid}" in result.urls, f"the admin's crawl missed {name}"
            assert name in text
        assert "Wim de Wit" in text and "beheer@ggz-kompas.demo" in text  # the beheerders
        return
    own = {BEHEER_WIJKTEAM: "Sociaal Wijkteam Noord", BEHEER_GGZ: "GGZ Kompas",
           "beheer@schuldhulp-stad.demo": "Schuldhulp Stad", "beheer@hetbaken.demo": "Het Baken College"}[email]
    oid = orgs[own]
    for path in (f"/organisatie/{oid}", f"/organisatie/{oid}/inloggen"):
        assert path in result.urls, f"{email}'s crawl missed {path}"
    assert any(u.startswith(f"/organisatie/{oid}/hulpverleners/") and u.endswith("/uit-dienst")
               for u in result.urls), f"{email}'s crawl missed a leaving screen"
    professional = {BEHEER_WIJKTEAM: "Fatima El Amrani", BEHEER_GGZ: "Daan Visser",
                    "beheer@schuldhulp-stad.demo": "Ilse Smit", "beheer@hetbaken.demo": "Joris Bakker"}[email]
    assert professional in text, f"{email} never sees {professional}"
    assert "1 gezinsplan" in text  # the leaving screen: how many plans


def test_who_manages_sees_no_family_data_anywhere(crawl_app, demo):
    leaks = []
    for email in MANAGERS:
        result, verdict = crawl_as_manager(crawl_app, demo, email)
        assert verdict.denied, "every record is denied to them"
        assert_reached_the_management_screens(crawl_app, email, result)
        leaks += leaks_in(result, verdict)
    assert not leaks, "family data on a manager's screen:\n  " + "\n  ".join(map(str, leaks[:40]))


def test_after_a_leaver_still_only_how_many(crawl_app, demo):
    """GGZ Kompas lets Daan go: its beheerder's screens show that he left, and of his plans only
    how many there were; nothing of the family."""
    from samenplan import db
    from samenplan.auth.models import User
    from samenplan.orgs.models import OrganisationMember

    with crawl_app.app_context():
        member = db.session().scalar(select(OrganisationMember.id).join(
            User, User.id == OrganisationMember.user_id).where(User.email == DAAN))
        ggz = db.session().scalar(select(OrganisationMember.organisation_id).where(OrganisationMember.id == member))
    beheerder = as_user(crawl_app, BEHEER_GGZ)
    url = f"/organisatie/{ggz}/hulpverleners/{member}/uit-dienst"
    assert beheerder.post(url, data={"csrf_token": csrf_token(page(beheerder.get(url)))}).status_code == 302
    result, verdict = crawl_as_manager(crawl_app, demo, BEHEER_GGZ)
    assert "Uit dienst sinds" in result.text() and "Daan Visser" in result.text()
    leaks = leaks_in(result, verdict)
    assert not leaks, "\n  ".join(map(str, leaks))


def test_the_manager_check_has_teeth(crawl_app, demo):
    """The same needles find the family's data where it is: on the casusregisseur's plan page
    (her goals, the family's name, its persons, the other professionals' names and phones)."""
    verdict = manager_verdict(crawl_app, BEHEER_WIJKTEAM)
    fatima = as_user(crawl_app, FATIMA)
    result = Crawl(BEHEER_WIJKTEAM)
    for url in (f"/gezin/{demo.family_id}", f"/gezin/{demo.family_id}/toestemming"):
        response = fatima.get(url)
        assert response.status_code == 200
        result.pages.append(Fetched(url, False, 200, response.mimetype, response.get_data(as_text=True)))
    leaks = leaks_in(result, verdict)
    kinds = {leak.kind for leak in leaks}
    assert {"goal", "family", "person", "participant"} <= kinds, kinds
    caught = {leak.detail for leak in leaks if leak.secret}
    assert "Jansen / de Boer" in caught and "Noah de Boer" in caught and "Daan Visser" in caught
    assert not any(leak.detail == "Fatima El Amrani" for leak in leaks), "her own professional is no leak"
    assert any(leak.id == demo.goals[1] for leak in leaks if not leak.secret)


def test_records_of_a_family_stay_out_of_reach_by_their_ids(crawl_app, demo):
    """Every record of the family, by its id, on every route that takes one, as every manager:
    404 (the family routes check participation before anything else)."""
    from samenplan import db
    from samenplan.privacy.models import Record

    f = demo.family_id
    with crawl_app.app_context():
        records = [RecordText(r.id, r.kind, r.category or "", ()) for r in
                   db.session().scalars(select(Record).where(Record.family_id == f))]
    rules = [r for r in crawl_app.url_map.iter_rules()
             if "GET" in r.methods and "family_id" in r.arguments and len(r.arguments) == 2]
    assert rules, "no route takes a family and a record"
    for email in MANAGERS:
        client = as_user(crawl_app, email)
        for rule in rules:
            other = next(a for a in rule.arguments if a != "family_id")
            for record in records[:40]:
                url = rule.build({"family_id": f, other: record.id}, append_unknown=False)[1]
                assert client.get(url).status_code == 404, f"{email}: GET {url}"
