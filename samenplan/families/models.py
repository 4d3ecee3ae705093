from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON, Boolean, CheckConstraint, Column, Date, DateTime, ForeignKey, Index, String, Table,
    UniqueConstraint, text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samenplan.db import Base, utcnow
from samenplan.privacy.facts import Role

parental_authority = Table(
    "parental_authority",
    Base.metadata,
    Column("child_id", ForeignKey("person.id", ondelete="CASCADE"), primary_key=True),
    Column("holder_id", ForeignKey("person.id", ondelete="CASCADE"), primary_key=True),
)


class Family(Base):
    __tablename__ = "family"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    persons: Mapped[list[Person]] = relationship(
        back_populates="family", order_by="Person.date_of_birth"
    )
    participants: Mapped[list[Participant]] = relationship(back_populates="family")


class Person(Base):
    """A gezinslid. May or may not have a login (through a family Participant)."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    date_of_birth: Mapped[date] = mapped_column(Date)
    lvb: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    family: Mapped[Family] = relationship(back_populates="persons")
    authority_holders: Mapped[list[Person]] = relationship(
        secondary=parental_authority,
        primaryjoin=lambda: Person.id == parental_authority.c.child_id,
        secondaryjoin=lambda: Person.id == parental_authority.c.holder_id,
        order_by=lambda: Person.id,
    )

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Participant(Base):
    """A deelnemer: a user's place in one family's plan."""

    __tablename__ = "participant"
    __table_args__ = (
        UniqueConstraint("family_id", "user_id", name="uq_participant_family_user"),
        CheckConstraint(
            "role IN ('family', 'network', 'professional', 'casusregisseur')", name="role"
        ),
        CheckConstraint("role != 'family' OR person_id IS NOT NULL", name="family_has_person"),
        CheckConstraint(
            "role NOT IN ('professional', 'casusregisseur') OR organisation_id IS NOT NULL",
            name="professional_has_organisation",
        ),
        # exactly one chair per plan: at most one here, "at least one" is checked by the service
        Index(
            "uq_participant_one_casusregisseur",
            "family_id",
            unique=True,
            sqlite_where=text("role = 'casusregisseur' AND active"),
            postgresql_where=text("role = 'casusregisseur' AND active"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    function: Mapped[str | None] = mapped_column(String(200))  # "mentor", "oma", ...
    phone: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    family: Mapped[Family] = relationship(back_populates="participants")
    user: Mapped["User"] = relationship()  # noqa: F821
    person: Mapped[Person | None] = relationship()
    organisation: Mapped["Organisation | None"] = relationship()  # noqa: F821
    # a professional's involvement: about whom, and what kind of information (privacy/models.py)
    involvement: Mapped["Involvement | None"] = relationship(  # noqa: F821
        foreign_keys="Involvement.participant_id", back_populates="participant",
        uselist=False,
    )

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def is_professional(self) -> bool:
        return self.role_enum.is_professional

    @property
    def display_name(self) -> str:
        return self.user.name


class Invitation(Base):
    """An invitation by e-mail to join one family's plan with a role. Single use, 7 days,
    can be withdrawn. Only the hash of the link's token is stored."""

    __tablename__ = "invitation"
    __table_args__ = (
        CheckConstraint(
            "role IN ('family', 'network', 'professional')", name="role"
        ),
        CheckConstraint("role != 'family' OR person_id IS NOT NULL", name="family_has_person"),
        CheckConstraint("role != 'professional' OR organisation_id IS NOT NULL", name="professional_has_organisation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), index=True)
    email: Mapped[str] = mapped_column(String(320))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    function: Mapped[str | None] = mapped_column(String(200))
    # a professional's involvement (DESIGN.md §3): about whom, and what kind of information
    involvement_category: Mapped[str | None] = mapped_column(String(20))
    involvement_subject_ids: Mapped[list[int] | None] = mapped_column(JSON)
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("participant.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime)
    accepted_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)

    family: Mapped[Family] = relationship()
    person: Mapped[Person | None] = relationship()
    organisation: Mapped["Organisation | None"] = relationship()  # noqa: F821
    invited_by: Mapped[Participant] = relationship(foreign_keys=[invited_by_id])

    def state(self, now: datetime) -> str:
        if self.accepted_at:
            return "geaccepteerd"
        if self.withdrawn_at:
            return "ingetrokken"
        if now >= self.expires_at:
            return "verlopen"
        return "open"
