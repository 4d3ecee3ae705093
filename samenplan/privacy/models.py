"""Tables behind the privacy model: records with subjects and a category, consent,
shields, emergency access, and the hash-chained audit log."""
from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from sqlalchemy import (
    JSON, Boolean, CheckConstraint, Column, Date, DateTime, ForeignKey, Index, Integer, String, Table,
    Text, UniqueConstraint,
)
from sqlalchemy import event, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import array as pg_array
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samenplan.db import Base, Code, utcnow
from samenplan.domain.vocabulary import ConsentMethod, FundingStream, InvolvementEndReason
from samenplan.privacy.facts import Category

CATEGORY_CHECK = Category.check("category")

record_ancestor = Table(
    "record_ancestor",
    Base.metadata,
    Column("record_id", ForeignKey("record.id", ondelete="CASCADE"), primary_key=True),
    Column("ancestor_id", ForeignKey("record.id", ondelete="CASCADE"), primary_key=True, index=True),
)
"""Every record a record hangs under, however deep (a closure table, written once when the
record is made: records never move). A shield on a goal covers all that hangs under it."""

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
    # NULL when the record takes its privacy from another (`privacy_from_id`)
    category: Mapped[Category | None] = mapped_column(Code(Category, 20))
    author_participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # the record this one hangs under (an action under its goal, a score under its goal)
    parent_record_id: Mapped[int | None] = mapped_column(
        ForeignKey("record.id", ondelete="CASCADE"), index=True
    )
    # the record whose subjects and category this one has (DESIGN.md §3 `privacy_from`): an
    # action, score or answer takes its goal's, so narrowing the goal narrows them, unwritten.
    # Always a record with privacy of its own (never a chain).
    privacy_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("record.id", ondelete="CASCADE"), index=True
    )

    # loaded for a whole list at once by the door (`Access._attach_privacy`), else on first use
    subjects: Mapped[list["Person"]] = relationship(  # noqa: F821
        secondary=record_subject, order_by="Person.date_of_birth"
    )
    privacy_source: Mapped["Record | None"] = relationship(
        remote_side=lambda: [Record.id], foreign_keys=lambda: [Record.privacy_from_id],
        lazy="selectin",
    )
    # every record it hangs under: a shield on any of them covers this record too (the door
    # looks up only the shielded ones, once per request: `Access.record_facts`)
    ancestor_links: Mapped[list["RecordAncestor"]] = relationship(
        primaryjoin=lambda: Record.id == RecordAncestor.record_id,
        foreign_keys=lambda: [RecordAncestor.record_id],
        viewonly=True,
    )

    @property
    def ancestor_ids(self) -> frozenset[int]:
        return frozenset(link.ancestor_id for link in self.ancestor_links)
    author: Mapped["Participant | None"] = relationship(  # noqa: F821
        foreign_keys=[author_participant_id]
    )
    created_by: Mapped["User | None"] = relationship(foreign_keys=[created_by_id])  # noqa: F821
    updated_by: Mapped["User | None"] = relationship(foreign_keys=[updated_by_id])  # noqa: F821

    # optimistic concurrency: every save names the version it was edited from (records/history.py)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {
        "polymorphic_on": "kind", "polymorphic_identity": "record", "version_id_col": version,
    }
    #: the fields whose changes make a revision (records/history.py); none: no history
    revised_fields: ClassVar[tuple[str, ...]] = ()
    #: the attribute holding the id of the record this kind hangs under (e.g. "goal_id")
    hangs_under: ClassVar[str | None] = None

    @property
    def privacy_owner(self) -> "Record":
        """The record whose subjects and category apply to this one (itself, or its source)."""
        source = self.privacy_source
        return source if source is not None else self

    @property
    def effective_category(self) -> str:
        return self.privacy_owner.category

    @property
    def effective_subjects(self) -> list["Person"]:  # noqa: F821
        return self.privacy_owner.subjects

    def inherit_privacy_from(self, parent: "Record") -> None:
        """Take `parent`'s subjects and category (its source's, when it inherits itself)."""
        self.privacy_source = parent.privacy_owner
        self.category = None
        self.subjects = []

    @property
    def category_enum(self) -> Category:
        return Category(self.effective_category)


class RecordAncestor(Base):
    __table__ = record_ancestor


@event.listens_for(Record, "before_insert", propagate=True)
def _set_parent(mapper, connection, record: Record) -> None:
    if record.parent_record_id is None and record.hangs_under:
        record.parent_record_id = getattr(record, record.hangs_under)


@event.listens_for(Record, "after_insert", propagate=True)
def _remember_ancestors(mapper, connection, record: Record) -> None:
    """Write the closure rows of a new record: its parent and every ancestor of the parent."""
    if record.parent_record_id is None:
        return
    parent = record.parent_record_id
    rows = [{"record_id": record.id, "ancestor_id": parent}]
    above = connection.execute(
        select(record_ancestor.c.ancestor_id).where(record_ancestor.c.record_id == parent)
    ).scalars()
    rows += [{"record_id": record.id, "ancestor_id": a} for a in above]
    connection.execute(record_ancestor.insert(), rows)


class Involvement(Record):
    """A professional's participation as a record: the persons it is about and the kind of
    information it tells (a GGZ professional for Sandra: `gezondheid`). Their name and
    organisation are shown only to whoever may see this record (DESIGN.md §3)."""

    __tablename__ = "involvement"

    id: Mapped[int] = mapped_column(ForeignKey("record.id", ondelete="CASCADE"), primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), unique=True
    )
    # the professional's line in the team (DESIGN.md §2): the phone number to call them on,
    # the law their help is paid from, and from when to when (their role in the plan is the
    # participant's `function`); shown only to who may see this participation
    # (`Access.sees_participant`)
    phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    funding: Mapped[FundingStream | None] = mapped_column(Code(FundingStream, 20))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    # why the professional's part ended (set when it is closed, issue 13 item 1); NULL while
    # it runs, and when an end date passes without it (flagged to the casusregisseur)
    end_reason: Mapped[InvolvementEndReason | None] = mapped_column(Code(InvolvementEndReason, 20))

    participant: Mapped["Participant"] = relationship(  # noqa: F821
        foreign_keys=[participant_id], back_populates="involvement"
    )

    __table_args__ = (
        CheckConstraint("funding IS NULL OR " + FundingStream.check("funding"), name="funding"),
        CheckConstraint("end_reason IS NULL OR " + InvolvementEndReason.check("end_reason"),
                        name="end_reason"),
        CheckConstraint(
            "start_date IS NULL OR end_date IS NULL OR end_date >= start_date", name="dates"
        ),
    )
    __mapper_args__ = {"polymorphic_identity": "involvement"}
    revised_fields = ("phone", "funding", "start_date", "end_date", "end_reason")

    def ended(self, day: date) -> bool:
        """Whether this involvement is over on `day` (its end date has passed)."""
        return self.end_date is not None and self.end_date < day


class Consent(Base):
    """A toestemming: from one subject, to an organisation or a participant, for categories."""

    __tablename__ = "consent"
    __table_args__ = (
        CheckConstraint(
            "(grantee_organisation_id IS NULL) != (grantee_participant_id IS NULL)",
            name="one_grantee",
        ),
        CheckConstraint(ConsentMethod.check("how"), name="how"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    # a record grant: consent for this one record only (e.g. a safety-plan item for oma)
    record_id: Mapped[int | None] = mapped_column(
        ForeignKey("record.id", ondelete="CASCADE"), index=True
    )
    # asked for by a participant; the consenters approve or decline it themselves
    requested_by_participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"))
    declined_at: Mapped[datetime | None] = mapped_column(DateTime)
    declined_by_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    grantee_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    grantee_participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"))
    purpose: Mapped[str] = mapped_column(Text, default="")
    start_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    end_at: Mapped[datetime | None] = mapped_column(DateTime)
    how: Mapped[ConsentMethod] = mapped_column(Code(ConsentMethod, 10), default=ConsentMethod.APP)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # optimistic concurrency, as for records: approving, declining, asking and revoking name
    # the version the consent was shown at; every change of its state (an approval too) is a
    # new version (records/history.py)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    subject: Mapped["Person"] = relationship(foreign_keys=[subject_id])  # noqa: F821
    record: Mapped[Record | None] = relationship()
    requested_by: Mapped["Participant | None"] = relationship(  # noqa: F821
        foreign_keys=[requested_by_participant_id]
    )
    declined_by: Mapped["Person | None"] = relationship(  # noqa: F821
        foreign_keys=[declined_by_person_id]
    )
    grantee_organisation: Mapped["Organisation | None"] = relationship()  # noqa: F821
    grantee_participant: Mapped["Participant | None"] = relationship(  # noqa: F821
        foreign_keys=[grantee_participant_id]
    )
    categories: Mapped[list[ConsentCategory]] = relationship(
        cascade="all, delete-orphan", order_by="ConsentCategory.category"
    )
    approvals: Mapped[list[ConsentApproval]] = relationship(cascade="all, delete-orphan")
    organisation_approvals: Mapped[list[ConsentOrganisationApproval]] = relationship(
        cascade="all, delete-orphan", order_by="ConsentOrganisationApproval.given_at",
    )
    recorded_by: Mapped["User | None"] = relationship(foreign_keys=[recorded_by_id])  # noqa: F821
    revoked_by: Mapped["User | None"] = relationship(foreign_keys=[revoked_by_id])  # noqa: F821


class ConsentCategory(Base):
    __tablename__ = "consent_category"
    __table_args__ = (CheckConstraint(CATEGORY_CHECK, name="category"),)

    consent_id: Mapped[int] = mapped_column(
        ForeignKey("consent.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[Category] = mapped_column(Code(Category, 20), primary_key=True)


class ConsentApproval(Base):
    """One consenter's yes to a consent (the subject, or a holder of parental authority)."""

    __tablename__ = "consent_approval"
    __table_args__ = (CheckConstraint(ConsentMethod.check("how", ConsentMethod.given()), name="how"),)

    consent_id: Mapped[int] = mapped_column(
        ForeignKey("consent.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    given_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    how: Mapped[ConsentMethod] = mapped_column(Code(ConsentMethod, 10), default=ConsentMethod.APP)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    person: Mapped["Person"] = relationship()  # noqa: F821
    recorded_by: Mapped["User | None"] = relationship()  # noqa: F821


class ConsentOrganisationApproval(Base):
    """An organisation's yes to a consent, given by one of its professional participants: a
    guardian organisation (voogd) for a child, an organisation as legal representative."""

    __tablename__ = "consent_organisation_approval"
    __table_args__ = (CheckConstraint(ConsentMethod.check("how", ConsentMethod.given()), name="how"),)

    consent_id: Mapped[int] = mapped_column(
        ForeignKey("consent.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), primary_key=True)
    given_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    how: Mapped[ConsentMethod] = mapped_column(Code(ConsentMethod, 10), default=ConsentMethod.APP)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    organisation: Mapped["Organisation"] = relationship()  # noqa: F821
    recorded_by: Mapped["User | None"] = relationship()  # noqa: F821


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
    category: Mapped[Category | None] = mapped_column(Code(Category, 20))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    lifted_at: Mapped[datetime | None] = mapped_column(DateTime)
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # optimistic concurrency: lifting names the version the shield was shown at
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

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
    category: Mapped[Category] = mapped_column(Code(Category, 20))
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


#: a list of ids: an indexed integer array on PostgreSQL, JSON on SQLite
IdList = JSON().with_variant(ARRAY(Integer), "postgresql")


class HoldsAny(ColumnElement):
    """SQL: the id list in `column` (an `IdList`) holds one of `ids`."""

    inherit_cache = False
    type = Boolean()

    def __init__(self, column, ids):
        self.column = column
        self.ids = sorted(int(i) for i in ids)


@compiles(HoldsAny, "postgresql")
def _holds_any_postgresql(element: HoldsAny, compiler, **kw) -> str:
    if not element.ids:
        return "false"
    return compiler.process(element.column.op("&&")(pg_array(element.ids, type_=Integer)), **kw)


@compiles(HoldsAny)
def _holds_any_json(element: HoldsAny, compiler, **kw) -> str:
    if not element.ids:
        return "0 = 1"
    ids = ", ".join(str(i) for i in element.ids)  # ints only: nothing to escape
    column = compiler.process(element.column, **kw)
    return f"EXISTS (SELECT 1 FROM json_each({column}) WHERE json_each.value IN ({ids}))"


class AuditEvent(Base):
    """Append-only, hash-chained per family. Never updated, never deleted.

    Structured, not prose (DESIGN.md §3): `items` lists the records the event is about (every
    record a page showed, for a view), each with its category, subjects, ground and the ids
    that ground rests on; `subject_ids` are all the persons it is about, indexed for a
    family member's "wie keek?"; `params` holds codes and ids (a new status, a field)."""

    __tablename__ = "audit_event"
    __table_args__ = (
        UniqueConstraint("family_id", "seq"),
        Index("ix_audit_event_family_at", "family_id", "at"),
        Index("ix_audit_event_subject_ids", "subject_ids", postgresql_using="gin"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)  # place in its family's chain, from 1
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    actor_participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"))
    family_id: Mapped[int | None] = mapped_column(ForeignKey("family.id"), index=True)
    action: Mapped[str] = mapped_column(String(30))
    subject_ids: Mapped[list[int]] = mapped_column(IdList, default=list)
    items: Mapped[list[dict]] = mapped_column(JSON, default=list)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    # what a consent, shield or emergency event is about ("consent", 12)
    target_kind: Mapped[str | None] = mapped_column(String(20))
    target_id: Mapped[int | None] = mapped_column(Integer)
    hidden_from_family: Mapped[bool] = mapped_column(Boolean, default=False)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    actor: Mapped["User | None"] = relationship()  # noqa: F821


class AuditHead(Base):
    """One row per chain (a family's id; 0 for events of no family), locked while events are
    appended to that chain so it stays a chain."""

    __tablename__ = "audit_head"

    chain: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))


class Notification(Base):
    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    family_id: Mapped[int | None] = mapped_column(ForeignKey("family.id"))
    # a code and its parameters, put in words in the reader's language (privacy/labels.py)
    kind: Mapped[str] = mapped_column(String(30))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    link: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)
