"""Evaluation moments of the plan (issue 12 item 2; DESIGN §2 "Evaluations"): when, where (a
place or an https video link), a note, whom the casusregisseur invites (participants of this
family), and its status. An evaluation is a Record (subjects: the family's persons, category
`algemeen`), so the privacy door decides who sees it; each invitee's answer is one row, the
latest with its time."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from samenplan.db import Base, Code, utcnow
from samenplan.domain.i18n import _
from samenplan.domain.vocabulary import EvaluationReply, EvaluationStatus
from samenplan.privacy.models import Record


class Evaluation(Record):
    __tablename__ = "evaluation"
    revised_fields = ("starts_at", "place", "video_url", "note", "invitee_ids", "status",
                      "cancel_reason")
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
