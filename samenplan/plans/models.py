from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samenplan.db import Base, Code, utcnow
from samenplan.domain.vocabulary import RelapseLine, SectionKind
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
                      "archived_at", "relapse_line", "phone")
    __table_args__ = (
        CheckConstraint(SectionKind.check("section"), name="section"),
        CheckConstraint(RelapseLine.check("relapse_line"), name="relapse_line"),
        # every line of the relapse plan is of a kind, and only its lines are
        CheckConstraint(f"(section = '{SectionKind.RELAPSE_PLAN}') = (relapse_line IS NOT NULL)",
                        name="relapse_line_in_relapse_plan"),
        CheckConstraint(f"phone IS NULL OR relapse_line = '{RelapseLine.WHOM_WE_CALL}'",
                        name="phone_of_whom_we_call"),
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
    # terugvalpreventie: which kind of line this is (NULL in every other section), and for
    # "wie we bellen" the phone number to call
    relapse_line: Mapped[RelapseLine | None] = mapped_column(Code(RelapseLine, 20))
    phone: Mapped[str | None] = mapped_column(String(40))

    __mapper_args__ = {"polymorphic_identity": "plan_section"}
