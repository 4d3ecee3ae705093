"""Evaluation moments of the plan (issue 12 item 2; DESIGN §2 "Evaluations"): when, where (a
place or an https video link), a note, whom the casusregisseur invites (participants of this
family), and its status. An evaluation is a Record (subjects: the family's persons, category
`algemeen`), so the privacy door decides who sees it; each invitee's answer is one row, the
latest with its time."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON, CheckConstraint, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samenplan.db import Base, Code, utcnow
from samenplan.domain.i18n import _
from samenplan.domain.vocabulary import EvaluationDecision, EvaluationReply, EvaluationStatus
from samenplan.privacy.models import Record


class Evaluation(Record):
    __tablename__ = "evaluation"
    revised_fields = ("starts_at", "place", "video_url", "note", "invitee_ids", "status",
                      "cancel_reason", "attendee_ids")
    __table_args__ = (CheckConstraint(EvaluationStatus.check("status"), name="status"),)

    id: Mapped[int] = mapped_column(ForeignKey("record.id", ondelete="CASCADE"), primary_key=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime, index=True)  # naive UTC
    place: Mapped[str] = mapped_column(String(300), default="")
    video_url: Mapped[str] = mapped_column(String(500), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    invitee_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    status: Mapped[EvaluationStatus] = mapped_column(Code(EvaluationStatus, 20),
                                                     default=EvaluationStatus.PLANNED)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    # who was there (participants of this family), recorded at the table
    attendee_ids: Mapped[list[int]] = mapped_column(JSON, default=list)

    title = _("Evaluatie")

    @property
    def body(self) -> str:
        """Its content in one line, for "alles wat samenplan over je weet" (the inzage)."""
        return " · ".join(filter(None, (self.starts_at.isoformat(" ", "minutes"), self.place,
                                        self.video_url, self.note)))

    __mapper_args__ = {"polymorphic_identity": "evaluation"}


class EvaluationAnswer(Base):
    """An invitee's latest answer ("Ik kom / Ik kom niet / Weet ik nog niet"), with its time."""

    __tablename__ = "evaluation_answer"
    __table_args__ = (UniqueConstraint("evaluation_id", "participant_id"),
                      CheckConstraint(EvaluationReply.check("reply"), name="reply"))

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"),
                                               index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), index=True)
    reply: Mapped[EvaluationReply] = mapped_column(Code(EvaluationReply, 20))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class GoalDecision(Record):
    """What an evaluation decided about one goal (doorgaan, aanpassen, afronden, pauzeren,
    stoppen) and why. It hangs under its goal and takes the goal's subjects and category
    (`privacy_from`), so a reader sees a decision only when they may see its goal."""

    __tablename__ = "goal_decision"
    hangs_under = "goal_id"
    revised_fields = ("decision", "note")
    __table_args__ = (UniqueConstraint("evaluation_id", "goal_id"),
                      CheckConstraint(EvaluationDecision.check("decision"), name="decision"))

    id: Mapped[int] = mapped_column(ForeignKey("record.id", ondelete="CASCADE"), primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id"), index=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id"), index=True)
    decision: Mapped[EvaluationDecision] = mapped_column(Code(EvaluationDecision, 20))
    note: Mapped[str] = mapped_column(Text, default="")

    title = _("Besluit over een doel")

    @property
    def body(self) -> str:
        return " · ".join(filter(None, (self.decision.value, self.note)))

    __mapper_args__ = {"polymorphic_identity": "goal_decision"}


class PlanVersion(Base):
    """A frozen version of a family's plan, made when an evaluation is closed: the set of
    (record, version) of every record of the plan at that moment (`PlanVersionEntry`). The
    content of each is rebuilt from its revisions up to that version. Never changed after it
    is made; nothing in it is personal data but the records it points at, which the door
    decides on as always."""

    __tablename__ = "plan_version"
    __table_args__ = (UniqueConstraint("family_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    evaluation_id: Mapped[int | None] = mapped_column(ForeignKey("evaluation.id"), index=True)
    frozen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    frozen_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    entries: Mapped[list[PlanVersionEntry]] = relationship(order_by="PlanVersionEntry.record_id")


class PlanVersionEntry(Base):
    """One record of a frozen plan version, at the version it had then. No foreign key to the
    record: a version never changes, whatever happens to the record later."""

    __tablename__ = "plan_version_entry"

    plan_version_id: Mapped[int] = mapped_column(
        ForeignKey("plan_version.id", ondelete="CASCADE"), primary_key=True)
    record_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(30))
    record_version: Mapped[int] = mapped_column(Integer)
    # what the record's revisions do not hold: a goal's ladder as it was ({"ladder": {level: text}})
    extra: Mapped[dict | None] = mapped_column(JSON)


class FrozenVersion(Exception):
    """A plan version (or one of its entries) was about to be changed or removed: never."""


@event.listens_for(PlanVersion, "before_update")
@event.listens_for(PlanVersion, "before_delete")
@event.listens_for(PlanVersionEntry, "before_update")
@event.listens_for(PlanVersionEntry, "before_delete")
def _refuse_change(_mapper, _connection, target) -> None:
    raise FrozenVersion(f"a plan version never changes ({target!r})")
