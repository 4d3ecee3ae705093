"""Tables behind the privacy model: records with subjects and a category, consent,
shields, emergency access, and the hash-chained audit log."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean, CheckConstraint, Column, DateTime, ForeignKey, Integer, String, Table, Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samenplan.db import Base, utcnow
from samenplan.privacy.facts import Category

CATEGORY_CHECK = "category IN (" + ", ".join(f"'{c.value}'" for c in Category) + ")"

record_subject = Table(
    "record_subject",
    Base.metadata,
    Column("record_id", ForeignKey("record.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Record(Base):
    """Everything that carries personal data is a Record: a goal, an action, a plan section...

    Subjects (the Persons it is about) and a category decide, through samenplan.privacy,
    who may see it. Concrete kinds are joined-table subclasses.
    """

    __tablename__ = "record"
    __table_args__ = (CheckConstraint(CATEGORY_CHECK, name="category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    category: Mapped[str] = mapped_column(String(20), default=Category.ALGEMEEN.value)
    author_participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    subjects: Mapped[list["Person"]] = relationship(  # noqa: F821
        secondary=record_subject, order_by="Person.date_of_birth"
    )
    author: Mapped["Participant | None"] = relationship(  # noqa: F821
        foreign_keys=[author_participant_id]
    )
    created_by: Mapped["User | None"] = relationship(foreign_keys=[created_by_id])  # noqa: F821
    updated_by: Mapped["User | None"] = relationship(foreign_keys=[updated_by_id])  # noqa: F821

    __mapper_args__ = {"polymorphic_on": "kind", "polymorphic_identity": "record"}

    @property
    def category_enum(self) -> Category:
        return Category(self.category)


class Consent(Base):
    """A toestemming: from one subject, to an organisation or a participant, for categories."""

    __tablename__ = "consent"
    __table_args__ = (
        CheckConstraint(
            "(grantee_organisation_id IS NULL) != (grantee_participant_id IS NULL)",
            name="one_grantee",
        ),
        CheckConstraint("how IN ('app', 'tafel', 'papier')", name="how"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    grantee_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    grantee_participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"))
    purpose: Mapped[str] = mapped_column(Text, default="")
    start_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    end_at: Mapped[datetime | None] = mapped_column(DateTime)
    how: Mapped[str] = mapped_column(String(10), default="app")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    subject: Mapped["Person"] = relationship()  # noqa: F821
    grantee_organisation: Mapped["Organisation | None"] = relationship()  # noqa: F821
    grantee_participant: Mapped["Participant | None"] = relationship()  # noqa: F821
    categories: Mapped[list[ConsentCategory]] = relationship(
        cascade="all, delete-orphan", order_by="ConsentCategory.category"
    )
    approvals: Mapped[list[ConsentApproval]] = relationship(cascade="all, delete-orphan")
    recorded_by: Mapped["User | None"] = relationship(foreign_keys=[recorded_by_id])  # noqa: F821


class ConsentCategory(Base):
    __tablename__ = "consent_category"
    __table_args__ = (CheckConstraint(CATEGORY_CHECK, name="category"),)

    consent_id: Mapped[int] = mapped_column(
        ForeignKey("consent.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[str] = mapped_column(String(20), primary_key=True)


class ConsentApproval(Base):
    """One consenter's yes to a consent (the subject, or a holder of parental authority)."""

    __tablename__ = "consent_approval"
    __table_args__ = (CheckConstraint("how IN ('app', 'tafel', 'papier')", name="how"),)

    consent_id: Mapped[int] = mapped_column(
        ForeignKey("consent.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    given_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    how: Mapped[str] = mapped_column(String(10), default="app")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    person: Mapped["Person"] = relationship()  # noqa: F821


class Shield(Base):
    """Afscherming: a record, or a category about one subject, hidden from one participant."""

    __tablename__ = "shield"
    __table_args__ = (
        CheckConstraint("(record_id IS NULL) != (category IS NULL)", name="record_or_category"),
        CheckConstraint("category IS NULL OR " + CATEGORY_CHECK, name="category"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), index=True)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("record.id", ondelete="CASCADE"))
    category: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    lifted_at: Mapped[datetime | None] = mapped_column(DateTime)
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    subject: Mapped["Person"] = relationship()  # noqa: F821
    participant: Mapped["Participant"] = relationship()  # noqa: F821
    record: Mapped[Record | None] = relationship()


class EmergencyAccess(Base):
    """Doorbreken: time-boxed access to one subject and category, with the weighing recorded."""

    __tablename__ = "emergency_access"
    __table_args__ = (CheckConstraint(CATEGORY_CHECK, name="category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    category: Mapped[str] = mapped_column(String(20))
    aim: Mapped[str] = mapped_column(Text)
    without_information: Mapped[str] = mapped_column(Text)
    consent_attempts: Mapped[str] = mapped_column(Text)
    weighing: Mapped[str] = mapped_column(Text)
    needed: Mapped[str] = mapped_column(Text)
    withhold_from_family: Mapped[bool] = mapped_column(Boolean, default=False)
    withhold_reason: Mapped[str] = mapped_column(Text, default="")
    start_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    end_at: Mapped[datetime] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    participant: Mapped["Participant"] = relationship()  # noqa: F821
    subject: Mapped["Person"] = relationship()  # noqa: F821


class AuditEvent(Base):
    """Append-only, hash-chained. Never updated, never deleted."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    actor_participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"))
    family_id: Mapped[int | None] = mapped_column(ForeignKey("family.id"), index=True)
    action: Mapped[str] = mapped_column(String(30))
    record_id: Mapped[int | None] = mapped_column(Integer, index=True)  # no FK: outlives records
    subject_ids: Mapped[str] = mapped_column(String(200), default="")  # "1,3": for inzage
    category: Mapped[str | None] = mapped_column(String(20))
    ground: Mapped[str] = mapped_column(String(30), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    hidden_from_family: Mapped[bool] = mapped_column(Boolean, default=False)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    actor: Mapped["User | None"] = relationship()  # noqa: F821


class AuditHead(Base):
    """A single row; locked while an event is appended so the chain stays a chain."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_id: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))


class Notification(Base):
    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    family_id: Mapped[int | None] = mapped_column(ForeignKey("family.id"))
    text: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)
