"""The plan's contact card and the plan agreed (issue 11, items 4 and 8).

Both are kept as rows that are only ever added: each setting of the contact card, each answer
to "akkoord met het plan?", is a new row with a number one higher than the one before (its
`version`); the newest is what holds now, the older ones are its history. A save names the
version it was made from; a save from an older one is stale (the merge screen), and two saves
of the same version at once meet the unique constraint, of which one loses (also stale).

Neither holds information about the family: the card names professionals (an office number,
a stand-in), whose names are shown only as far as the viewer may know they take part
(`Access.sees_participant`); an answer is a participant's view of the plan as a whole, shown
only with the participant's name as the viewer may know it (and not at all when they may not).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samenplan.db import Base, utcnow


class PlanContact(Base):
    """For the family, on the plan's first screen: whom to call when the casusregisseur is away
    (an emergency number: an office desk, a colleague) and their buddy (*maatje*): a participant
    of the plan, or a name and phone number of someone outside it. Set by the casusregisseur."""

    __tablename__ = "plan_contact"
    __table_args__ = (UniqueConstraint("plan_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    emergency_name: Mapped[str] = mapped_column(String(200), default="")
    emergency_phone: Mapped[str] = mapped_column(String(40), default="")
    buddy_participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"))
    buddy_name: Mapped[str] = mapped_column(String(200), default="")
    buddy_phone: Mapped[str] = mapped_column(String(40), default="")
    set_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    buddy: Mapped["Participant | None"] = relationship()  # noqa: F821
    set_by: Mapped["User | None"] = relationship()  # noqa: F821


class PlanAgreement(Base):
    """One participant's answer to "are you akkoord with the plan as a whole?", with a reason
    when not, and the plan's change stamp when they answered (`plan_revision`: the newest
    revision of the plan's content then, records/history.py), so the plan can say when it
    changed after they agreed."""

    __tablename__ = "plan_agreement"
    __table_args__ = (
        UniqueConstraint("plan_id", "participant_id", "version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    agrees: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    plan_revision: Mapped[int] = mapped_column(Integer, default=0)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    participant: Mapped["Participant"] = relationship()  # noqa: F821
