"""The SQL twin's clause is made once per viewer and kept across requests (privacy/query.py
`visible_filter`); the moment it decides at comes with each statement (`query.moment`). Kept,
it must still decide at that moment: a consent that ends, is revoked or starts between two
statements counts from the very next one (DESIGN.md §3), and a statement without its moment
does not run at all."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError

from tests.support.people import DAAN


def _daan_and_goal_2(app, demo):
    from samenplan import db
    from samenplan.families.models import Participant
    from samenplan.privacy.loader import viewer_facts

    session = db.session()
    daan = viewer_facts(session.get(Participant, demo.participants[DAAN]))
    goal = next(gid for n, gid in demo.goals.items() if "GGZ" in demo.goal_titles[n])
    return session, daan, goal


def _sees(session, viewer, family_id, record_id, now) -> bool:
    from samenplan.privacy.models import Record
    from samenplan.privacy.query import moment, visible_filter

    stmt = (select(Record.id).where(visible_filter(viewer, family_id), Record.id == record_id)
            .params(moment(viewer, now)))
    return session.scalar(stmt) is not None


def test_the_kept_clause_decides_at_each_statement_s_moment(app, demo):
    from samenplan.db import utcnow
    from samenplan.privacy.models import Consent
    from samenplan.privacy.query import visible_filter

    with app.app_context():
        session, daan, goal = _daan_and_goal_2(app, demo)
        now = utcnow()
        assert visible_filter(daan, demo.family_id) is visible_filter(daan, demo.family_id)
        assert _sees(session, daan, demo.family_id, goal, now)
        # Sandra's consent to GGZ Kompas ends in an hour: after that hour, Daan sees nothing
        session.execute(update(Consent).where(Consent.grantee_organisation_id.is_not(None))
                        .where(Consent.subject_id == demo.persons["Sandra"])
                        .values(end_at=now + timedelta(hours=1)))
        assert _sees(session, daan, demo.family_id, goal, now)
        assert not _sees(session, daan, demo.family_id, goal, now + timedelta(hours=2))
        # ... and before the consent started, he saw nothing either
        assert not _sees(session, daan, demo.family_id, goal, now - timedelta(days=3650))
        session.rollback()


def test_a_statement_without_its_moment_does_not_run(app, demo):
    from samenplan.privacy.models import Record
    from samenplan.privacy.query import visible_filter

    with app.app_context():
        session, daan, _goal = _daan_and_goal_2(app, demo)
        with pytest.raises(SQLAlchemyError):
            session.scalars(select(Record.id).where(visible_filter(daan, demo.family_id))).all()
        session.rollback()


def test_the_live_plan_s_kept_state_counts_at_each_request_s_moment(app, demo):
    """The live plan's state columns are made once per reader and kept with their clause
    (`Access.kept`); the moment comes with each request: what Daan may see per part of the plan
    changes when the consent that lets him see goal 2 has ended, without anything else changing."""
    from samenplan.families.models import Participant
    from samenplan.plans import live
    from samenplan.privacy.access import Access
    from samenplan.privacy.models import Consent

    with app.test_request_context():
        session, _daan, goal = _daan_and_goal_2(app, demo)
        daan = session.get(Participant, demo.participants[DAAN])
        now = Access(session, daan.user, daan).now

        def parts_at(moment):
            access = Access(session, daan.user, daan, now=moment)
            return live.visible_parts(access), access.kept("live plan state", None)

        before, columns = parts_at(now)
        assert live.goal_part(goal) in before
        session.execute(update(Consent).where(Consent.grantee_organisation_id.is_not(None))
                        .where(Consent.subject_id == demo.persons["Sandra"])
                        .values(end_at=now + timedelta(hours=1)))
        later, kept = parts_at(now + timedelta(hours=2))
        assert kept is columns, "made once, kept with the clause"
        assert live.goal_part(goal) not in later
        assert live.goal_part(goal) in parts_at(now + timedelta(minutes=30))[0]
        session.rollback()
