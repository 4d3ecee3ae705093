"""Every committed change in a family raises the family's change stamp (`PlanChange`), in the
same transaction, written in one place for every kind of record: an after-flush listener sees
each new, changed or deleted record, consent, shield and emergency access, and raises the
stamp of its family once per flush. An open plan page polls the stamp (plans/live.py): while
it is unchanged nothing can have changed for any reader, without a look at a single record."""
from __future__ import annotations

from sqlalchemy import event, insert, inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from samenplan.db import utcnow
from samenplan.privacy.models import Consent, EmergencyAccess, Record, Shield
from samenplan.records.models import PlanChange

#: what, changed, can change what a reader of the plan sees
WATCHED = (Record, Consent, Shield, EmergencyAccess)


def family_stamp(session: Session, family_id: int) -> int:
    """The family's change stamp now: one query on `plan_change`, none on records."""
    return session.scalar(
        select(PlanChange.stamp).where(PlanChange.family_id == family_id)
    ) or 0


def _families(session: Session) -> set[int]:
    families = set()
    for obj in session.new | session.deleted:
        if isinstance(obj, WATCHED) and obj.family_id is not None:
            families.add(obj.family_id)
    for obj in session.dirty:
        if isinstance(obj, WATCHED) and obj.family_id is not None and (
            session.is_modified(obj) or inspect(obj).deleted
        ):
            families.add(obj.family_id)
    return families


def _bump(session: Session, family_id: int) -> None:
    connection = session.connection()
    dialect = connection.dialect.name
    values = {"family_id": family_id, "stamp": 1, "changed_at": utcnow()}
    if dialect in ("postgresql", "sqlite"):
        make = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = make(PlanChange).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=[PlanChange.family_id],
            set_={"stamp": PlanChange.stamp + 1, "changed_at": values["changed_at"]},
        )
        connection.execute(stmt)
        return
    updated = connection.execute(
        PlanChange.__table__.update().where(PlanChange.family_id == family_id)
        .values(stamp=PlanChange.stamp + 1, changed_at=values["changed_at"])
    )
    if not updated.rowcount:
        connection.execute(insert(PlanChange).values(**values))


@event.listens_for(Session, "after_flush")
def _raise_stamps(session: Session, _context) -> None:
    """(In after_flush the session still lists what this flush wrote: new, dirty, deleted.)"""
    for family_id in sorted(_families(session)):
        _bump(session, family_id)
