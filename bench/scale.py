"""samenplan at the size of a city (issue 14 item 6): 1,000 families and 200,000 audit events.
Prints figures; asserts nothing (DESIGN §5).

The demo family and 999 more, each with two persons, a plan with three goals (one of them about
health) and two actions per goal (one overdue), consent from both persons to the wijkteam, and
Fatima (the demo's casusregisseur) chairing every one. The audit log holds 200,000 events, each
in its family's own hash chain: 20,000 in the demo family's (Sandra's "Wie keek?" pages through
them), the rest spread over the others. Then, with the statements counted and the time taken
(median of 5 views after a first one):

- Fatima's home page (her worklist of 1,000 families);
- the demo family's plan page, as Fatima;
- Sandra's "Wie keek?" (first page);
- `audit verify` of one family, and of all 1,000.

    .venv/bin/python bench/scale.py [--postgresql] [--families 1000] [--events 200000]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from unittest import mock
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ARGON2_TIME_COST", "1")
os.environ.setdefault("ARGON2_MEMORY_KIB", "1024")

from sqlalchemy import func, select  # noqa: E402

from bench.pages import migrate, postgresql_database  # noqa: E402
from tests.support.apps import make_app  # noqa: E402
from tests.support.builders import counting  # noqa: E402
from tests.support.clients import log_in_directly  # noqa: E402
from tests.support.people import FATIMA, SANDRA  # noqa: E402


def seed(app, families: int, events: int) -> int:
    """The demo, `families - 1` more families and `events` audit events; the demo's id."""
    from samenplan import db
    from samenplan.auth.models import User
    from samenplan.db import utcnow
    from samenplan.demo import DEMO_FAMILY, seed_demo
    from samenplan.domain.vocabulary import Category, Role
    from samenplan.families.models import Family, Participant, Person
    from samenplan.goals.models import Action, Goal
    from samenplan.plans.models import Plan
    from samenplan.privacy import audit
    from samenplan.domain.vocabulary import ConsentMethod
    from samenplan.privacy.models import Consent, ConsentApproval, ConsentCategory

    with app.app_context():
        session = db.session()
        seed_demo(session)
        demo = session.scalar(select(Family).where(Family.name == DEMO_FAMILY))
        fatima = session.scalar(select(User).where(User.email == FATIMA))
        chair = session.scalar(select(Participant).where(
            Participant.family_id == demo.id, Participant.user_id == fatima.id))
        today = utcnow().date()
        fatima_id = fatima.id
        started = time.perf_counter()
        for n in range(1, families):
            family = Family(name=f"Gezin {n:04d}")
            parent = Person(family=family, first_name=f"Ouder{n}", last_name=f"Achternaam{n}",
                            date_of_birth=date(1985, 1, 1) + timedelta(days=n))
            child = Person(family=family, first_name=f"Kind{n}", last_name=f"Achternaam{n}",
                           date_of_birth=date(2016, 1, 1) + timedelta(days=n))
            child.authority_holders = [parent]
            plan = Plan(family=family)
            session.add_all([family, parent, child, plan])
            session.flush()
            me = Participant(family=family, user=fatima, role=Role.CASUSREGISSEUR,
                             organisation_id=chair.organisation_id)
            session.add(me)
            session.flush()
            meta = dict(family_id=family.id, author_participant_id=me.id,
                        created_by_id=fatima.id, updated_by_id=fatima.id)
            for person in (parent, child):  # the parent consents for both (the child is 10)
                session.add(Consent(
                    family_id=family.id, subject_id=person.id,
                    grantee_organisation_id=chair.organisation_id,
                    categories=[ConsentCategory(category=c) for c in Category],
                    approvals=[ConsentApproval(person_id=parent.id, how=ConsentMethod.TABLE,
                                               recorded_by_id=fatima.id)],
                    start_at=utcnow() - timedelta(days=30), how=ConsentMethod.TABLE,
                    recorded_by_id=fatima.id,
                ))
            for k, category in enumerate((Category.ALGEMEEN, Category.ALGEMEEN, Category.GEZONDHEID)):
                goal = Goal(plan_id=plan.id, title=f"Doel {k} van gezin {n}", category=category,
                            subjects=[parent] if k == 2 else [parent, child],
                            life_domain="financien", priority=k + 1, status="actief",
                            start_date=today - timedelta(days=60), end_date=today + timedelta(days=60),
                            owner_participant_id=me.id, **meta)
                session.add(goal)
                for a in range(2):
                    action = Action(goal=goal, what=f"Actie {a} bij doel {k}",
                                    assignee_participant_id=me.id,
                                    due_date=today + timedelta(days=7 if a else -3), **meta)
                    action.inherit_privacy_from(goal)
                    session.add(action)
            if n % 100 == 0:
                session.commit()
        session.commit()
        made = time.perf_counter() - started
        family_ids = session.scalars(select(Family.id).order_by(Family.id)).all()
        session.expunge_all()  # the audit appends below need no objects in the session
        started = time.perf_counter()
        in_demo = min(events // 10, events)
        rest = events - in_demo
        per_family = rest // max(1, len(family_ids) - 1)
        for family_id in family_ids:
            count = in_demo if family_id == demo.id else per_family
            record = session.scalar(select(Goal.id).where(Goal.family_id == family_id).limit(1))
            batch = [audit.Event(
                action="view", family_id=family_id, actor_user_id=fatima_id,
                entries=(audit.Entry(record, "gezondheid", (), "grant"),),
            ) for _ in range(count)]
            # each event as if of its own request: the append of one request would merge them
            with mock.patch.object(audit, "_merge_views", list):
                for i in range(0, len(batch), 5000):
                    audit.append(session, batch[i:i + 5000])
                    session.commit()
        logged = time.perf_counter() - started
        total = session.scalar(select(func.count()).select_from(audit.AuditEvent))
        print(f"  built {len(family_ids)} families in {made:.0f} s, "
              f"{total} audit events in {logged:.0f} s")
        return demo.id


def timed(app, client, url: str, runs: int = 5) -> tuple[float, int]:
    client.get(url)
    times, statements = [], 0
    for _ in range(runs):
        with counting(app) as seen:
            started = time.perf_counter()
            answer = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, (url, answer.status_code)
        statements = len(seen)
    return statistics.median(times), statements


def measure(url: str, families: int, events: int) -> None:
    migrate(url)
    app = make_app(url)
    dialect = app.extensions["samenplan.engine"].dialect.name
    print(f"\n{dialect}: {families} families, {events} audit events")
    family_id = seed(app, families, events)
    fatima = log_in_directly(app.test_client(), FATIMA)
    sandra = log_in_directly(app.test_client(), SANDRA)
    rows = [
        ("Fatima's home (worklist)", *timed(app, fatima, "/")),
        ("plan page, as Fatima", *timed(app, fatima, f"/gezin/{family_id}")),
        ("Sandra's 'Wie keek?'", *timed(app, sandra, f"/gezin/{family_id}/wie-keek")),
    ]
    from samenplan import db
    from samenplan.privacy import audit

    with app.app_context():
        started = time.perf_counter()
        one = audit.verify(db.session(), family_id)
        rows.append(("audit verify, one family", (time.perf_counter() - started) * 1000, None))
        started = time.perf_counter()
        every = audit.verify(db.session())
        rows.append(("audit verify, all families", (time.perf_counter() - started) * 1000, None))
    for name, ms, statements in rows:
        extra = f"{statements:>4} statements" if statements is not None else ""
        print(f"  {name:<28} {ms:9.1f} ms  {extra}")
    print(f"  verify: one family {'ok' if one.ok else 'BROKEN'}, all {'ok' if every.ok else 'BROKEN'}")
    app.extensions["samenplan.engine"].dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgresql", action="store_true")
    parser.add_argument("--families", type=int, default=1000)
    parser.add_argument("--events", type=int, default=200_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        measure(f"sqlite:///{folder}/scale.sqlite3", args.families, args.events)
    if args.postgresql:
        with postgresql_database("samenplan_scale") as url:
            measure(url, args.families, args.events)


if __name__ == "__main__":
    main()
