"""What closing the plan records besides its phase (plans/models.py `PlanPhaseChange`): each
family member's akkoord (or not) to close, and the family having gone through the relapse plan.

Neither holds more of the family than their taking part in the plan: who agreed, when, how
(on their own phone or at the table). The reason of a "niet akkoord" is the family's own words
about the plan as a whole, `algemeen`: shown to the participants of the plan, like the plan's
phase and the reason it pauses (closure/reading.py)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samenplan.db import Base, utcnow


class ClosureAgreement(Base):
    """A family member's (12+) akkoord to close the plan, or not (with the reason). Only ever
    added: the latest per person since the plan last reopened counts."""

    __tablename__ = "closure_agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    agrees: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(Text, default="")
    # recorded by the casusregisseur for an akkoord given at the table (the member is told)
    at_table: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    person: Mapped["Person"] = relationship()  # noqa: F821
    recorded_by: Mapped["User | None"] = relationship()  # noqa: F821


class RelapsePlanReview(Base):
    """The family went through the terugvalpreventieplan with the casusregisseur: it is known
    (who recorded it, when). Counts for the lines as they were then."""

    __tablename__ = "relapse_plan_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    reviewed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    reviewed_by: Mapped["User | None"] = relationship()  # noqa: F821
