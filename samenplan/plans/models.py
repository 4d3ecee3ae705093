from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samenplan.db import Base, Code, utcnow
from samenplan.domain.vocabulary import PlanPhase, RelapseLine, SectionKind
from samenplan.privacy.models import Record


class Plan(Base):
    __tablename__ = "plan"
    __table_args__ = (CheckConstraint(PlanPhase.check("phase"), name="phase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    # where the plan as a whole stands; every change of it is a PlanPhaseChange (its history)
    phase: Mapped[PlanPhase] = mapped_column(
        Code(PlanPhase, 20), default=PlanPhase.RUNNING, server_default=PlanPhase.RUNNING.value
    )

    family: Mapped["Family"] = relationship()  # noqa: F821
    phase_changes: Mapped[list["PlanPhaseChange"]] = relationship(
        back_populates="plan", order_by="PlanPhaseChange.id", cascade="all, delete-orphan"
    )

    @property
    def closed(self) -> bool:
        return self.phase is PlanPhase.CLOSED


class PlanPhaseChange(Base):
    """One change of the plan's phase: paused (with the reason and the day to look again),
    closed, reopened (with the reason) — dated and attributed; only ever added."""

    __tablename__ = "plan_phase_change"
    __table_args__ = (
        CheckConstraint("old_phase IS NULL OR " + PlanPhase.check("old_phase"), name="old_phase"),
        CheckConstraint(PlanPhase.check("new_phase"), name="new_phase"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    old_phase: Mapped[PlanPhase | None] = mapped_column(Code(PlanPhase, 20))
    new_phase: Mapped[PlanPhase] = mapped_column(Code(PlanPhase, 20))
    # the words of whoever changed it (why it pauses, why it reopens); the family's data
    reason: Mapped[str] = mapped_column(Text, default="")
    look_again_on: Mapped[date | None] = mapped_column(Date)
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    plan: Mapped[Plan] = relationship(back_populates="phase_changes")
    changed_by: Mapped["User | None"] = relationship()  # noqa: F821


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
