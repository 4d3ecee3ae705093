from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, Text
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
    """A piece of free text in a plan section; a Record, so it has subjects and a category."""

    __tablename__ = "plan_section"
    revised_fields = ("title", "body", "category", "subjects")
    __table_args__ = (
        CheckConstraint(SectionKind.check("section"), name="section"),
    )

    id: Mapped[int] = mapped_column(ForeignKey("record.id", ondelete="CASCADE"), primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    section: Mapped[SectionKind] = mapped_column(Code(SectionKind, 30))
    title: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    __mapper_args__ = {"polymorphic_identity": "plan_section"}
