"""Satisfaction at closure (CEM+-like; 000 L193-211, L239): a parent or youth of 12+ gives a
1-10 grade and answers three plain questions, once per closure of the plan.

Not a `Record`, on purpose. The door's rules (DESIGN §3) would let others read a Record: the
family reads each other's `algemeen` information, and a professional with a grant reads it
too. This answer is stricter: only the person themself ever reads it (`reading.own` loads by
the reader's own participation, nothing else), and professionals see totals over at least 5
closed families only (`reading.totals`). No route shows another person's answer.

An answer is not changed afterwards: a changed grade would move a total a professional has
seen, and the difference would be one family's answer."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from samenplan.db import Base, utcnow


class SatisfactionAnswer(Base):
    __tablename__ = "satisfaction_answer"
    __table_args__ = (
        UniqueConstraint("participant_id", "closure_id", name="uq_satisfaction_once"),
        CheckConstraint("grade BETWEEN 1 AND 10", name="grade"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"),
                                                index=True)
    # the closure answered about: the PlanPhaseChange that closed the plan
    closure_id: Mapped[int] = mapped_column(ForeignKey("plan_phase_change.id", ondelete="CASCADE"))
    grade: Mapped[int] = mapped_column(Integer)
    replies: Mapped[dict] = mapped_column(JSON, default=dict)  # SatisfactionQuestion -> Reply
    answered_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
