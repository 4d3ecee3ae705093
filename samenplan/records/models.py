"""Revisions: who changed which fields of a record, when, from what to what."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samenplan.db import Base, utcnow


class Revision(Base):
    """One change of one record (like Indico's note revisions), or of one person's data (a
    gezinslid: `person_id`). `before` and `after` hold only the fields that changed (codes and
    ids, never prose of our own); `category` and `subject_ids` are the record's privacy right
    after the change, so a revision is shown only to who may see the record as it was then
    *and* as it is now (for a person: the category of the fields it holds, `Person.history_privacy`)."""

    __tablename__ = "revision"
    __table_args__ = (
        Index("ix_revision_record_version", "record_id", "version"),
        CheckConstraint("(record_id IS NULL) != (person_id IS NULL)", name="record_or_person"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("record.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    category: Mapped[str] = mapped_column(String(20))
    subject_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    before: Mapped[dict] = mapped_column(JSON, default=dict)
    after: Mapped[dict] = mapped_column(JSON, default=dict)

    changed_by: Mapped["User | None"] = relationship()  # noqa: F821
    record: Mapped["Record | None"] = relationship()  # noqa: F821
    person: Mapped["Person | None"] = relationship()  # noqa: F821


class PlanChange(Base):
    """A family's change counter: every committed change of a record of the family (or of what
    decides who sees its records: a consent, a shield, an emergency access) raises `stamp`, in
    the same transaction (records/changes.py). An open plan compares it to learn cheaply that
    nothing changed; it is never shown as such (it counts changes the reader may not see)."""

    __tablename__ = "plan_change"

    family_id: Mapped[int] = mapped_column(
        ForeignKey("family.id", ondelete="CASCADE"), primary_key=True
    )
    stamp: Mapped[int] = mapped_column(Integer, default=0)
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
