from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samenplan.db import Base, Code, utcnow
from samenplan.domain.vocabulary import SectionKind
from samenplan.privacy.models import Record


class Plan(Base):
    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    family: Mapped["Family"] = relationship()  # noqa: F821


class PlanSection(Record):
    """One entry in a plan section (`section`: its kind), free text; a Record, so it has
    subjects, a category, a version and a history. An entry is never deleted: taking it off
    the plan archives it (`archived_at`), and its history stays."""

    __tablename__ = "plan_section"
    revised_fields = ("title", "body", "category", "subjects", "horizon_date", "still_to_find",
                      "archived_at")
    __table_args__ = (
        CheckConstraint(SectionKind.check("section"), name="section"),
    )

    id: Mapped[int] = mapped_column(ForeignKey("record.id", ondelete="CASCADE"), primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    section: Mapped[SectionKind] = mapped_column(Code(SectionKind, 30))
    title: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    # toekomstperspectief: the day by which it must be clear where the child grows up
    horizon_date: Mapped[date | None] = mapped_column(Date)
    # hulp die nodig is: nobody offers this help yet, it is still to be found
    still_to_find: Mapped[bool] = mapped_column(Boolean, default=False)
    # taken off the plan (when, by whom: its revision); NULL while it is on the plan
    archived_at: Mapped[datetime | None] = mapped_column(DateTime)

    __mapper_args__ = {"polymorphic_identity": "plan_section"}
