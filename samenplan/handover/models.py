"""The warm handover of the casusregisseur (issue 13 item 5; DESIGN.md §2 "Closure, handover,
aftercare"): the chair names a successor; from then until the switch both have chair rights
(the overlap: `privacy/access.py` reads the successor as casusregisseur); the family meets the
successor, and that meeting is recorded; then the switch makes the successor the one
casusregisseur of the plan. At most one handover of a family is open at a time.

A handover holds no more of the family than who chairs their plan: the names of two
professionals whom every participant may know (the chair is seen by all; a successor is one
whose taking part was already open to all, or a colleague of the chair's organisation), the
days, and which family members met the successor. Shown to every participant of the plan."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samenplan.db import Base, utcnow


class Handover(Base):
    __tablename__ = "handover"
    __table_args__ = (
        # one open handover per family: two at once would make three chairs
        Index("uq_handover_one_open", "family_id", unique=True,
              sqlite_where=text("switched_at IS NULL AND cancelled_at IS NULL"),
              postgresql_where=text("switched_at IS NULL AND cancelled_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), index=True)
    from_participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"))
    successor_participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"))
    #: the successor joined the plan for this handover (a colleague of the chair's
    #: organisation): a cancelled handover ends their place in it again
    successor_added: Mapped[bool] = mapped_column(default=False)
    #: the day the switch is planned for (the overlap runs from naming until the switch)
    switch_on: Mapped[date] = mapped_column(Date)
    #: why the chair hands over, in the chair's words (optional): "ik ga met verlof"
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # the meeting in which the family meets the successor
    meeting_on: Mapped[date | None] = mapped_column(Date)
    met_person_ids: Mapped[list[int] | None] = mapped_column(JSON)
    meeting_note: Mapped[str] = mapped_column(Text, default="")
    meeting_recorded_at: Mapped[datetime | None] = mapped_column(DateTime)
    meeting_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # the end: switched (the successor chairs) or cancelled (the chair stays)
    switched_at: Mapped[datetime | None] = mapped_column(DateTime)
    switched_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    #: the switch came because the chair left their organisation (`orgs/services.py`)
    switched_as_chair_left: Mapped[bool] = mapped_column(default=False)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    # optimistic concurrency: a step names the version it was taken from
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    from_participant: Mapped["Participant"] = relationship(  # noqa: F821
        foreign_keys=[from_participant_id])
    successor: Mapped["Participant"] = relationship(  # noqa: F821
        foreign_keys=[successor_participant_id])

    @property
    def is_open(self) -> bool:
        return self.switched_at is None and self.cancelled_at is None

    @property
    def met(self) -> bool:
        return self.meeting_on is not None
