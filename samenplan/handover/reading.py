"""What the handover page and the plan's contact card show of a handover (handover/models.py):
to every participant of the plan (the two chairs are people everyone may know take part)."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from samenplan.domain.ages import local_day
from samenplan.handover.models import Handover
from samenplan.privacy.access import Access


@dataclass
class HandoverView:
    handover: Handover
    chair: str
    successor: str
    met: list[str] = field(default_factory=list)  # the family members at the meeting
    overdue: bool = False  # the day of the switch has passed without it


def view_of(access: Access, handover: Handover) -> HandoverView:
    persons = {p.id: p.first_name for p in access.persons}
    return HandoverView(
        handover=handover, chair=handover.from_participant.display_name,
        successor=handover.successor.display_name,
        met=[persons[pid] for pid in handover.met_person_ids or [] if pid in persons],
        overdue=handover.is_open and handover.switch_on < local_day(access.now),
    )


def history(access: Access) -> list[HandoverView]:
    """Every handover of this family's plan, the newest first."""
    return [view_of(access, h) for h in access.session.scalars(
        select(Handover).where(Handover.family_id == access.family_id)
        .order_by(Handover.created_at.desc(), Handover.id.desc()))]


def coming(access: Access) -> HandoverView | None:
    """The open handover, for the contact card (no query: the door loaded it)."""
    return view_of(access, access.handover) if access.handover is not None else None
