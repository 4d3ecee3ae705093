from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from sqlalchemy import (
    JSON, Boolean, CheckConstraint, Column, Date, DateTime, ForeignKey, Index, Integer, String,
    Table, UniqueConstraint, text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samenplan.db import Base, Code, utcnow
from samenplan.privacy.facts import Category, Representation, Role

#: the roles an invitation can carry (the casusregisseur is handed over, never invited)
INVITED_ROLES = (Role.FAMILY, Role.NETWORK, Role.PROFESSIONAL)

parental_authority = Table(
    "parental_authority",
    Base.metadata,
    Column("child_id", ForeignKey("person.id", ondelete="CASCADE"), primary_key=True),
    Column("holder_id", ForeignKey("person.id", ondelete="CASCADE"), primary_key=True),
)

authority_organisation = Table(
    "authority_organisation",
    Base.metadata,
    Column("child_id", ForeignKey("person.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisation.id"), primary_key=True, index=True),
)
"""An organisation holding authority (gezag) over a child as voogd: a guardian, such as a
gecertificeerde instelling. Its professional participants consent as a holder would."""

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
    # who lives with whom: persons with the same number live in one household (None: unknown)
    household: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # optimistic concurrency, as for records: a correction names the version it was made from
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}
    #: the fields whose changes make a revision (records/history.py), on the person's own
    #: history; the LVB flag in revisions of its own (`history_privacy`)
    revised_fields: ClassVar[tuple[str, ...]] = (
        "first_name", "last_name", "date_of_birth", "household", "lvb", "authority_holders",
        "authority_organisations", "representatives",
    )

    family: Mapped[Family] = relationship(back_populates="persons")
    authority_holders: Mapped[list[Person]] = relationship(
        secondary=parental_authority,
        primaryjoin=lambda: Person.id == parental_authority.c.child_id,
        secondaryjoin=lambda: Person.id == parental_authority.c.holder_id,
        order_by=lambda: Person.id,
    )
    authority_organisations: Mapped[list["Organisation"]] = relationship(  # noqa: F821
        secondary=authority_organisation, order_by="Organisation.id",
    )
    representatives: Mapped[list[LegalRepresentative]] = relationship(
        foreign_keys=lambda: [LegalRepresentative.person_id], back_populates="person",
        cascade="all, delete-orphan", order_by=lambda: LegalRepresentative.id,
    )

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def history_privacy(self, fields) -> dict[str, tuple[str, ...]]:
        """The revised `fields` by the category a revision of them has (records/history.py):
        the LVB flag is health information (`policy.may_know_lvb`); the rest is the family's
        data the casusregisseur keeps (`algemeen`). The history screen is the casusregisseur's,
        and shows a revision of the LVB flag only to who may know it."""
        from samenplan.privacy.facts import Category

        sensitive = {"lvb": Category.GEZONDHEID.value}
        groups: dict[str, list[str]] = {}
        for name in fields:
            groups.setdefault(sensitive.get(name, Category.ALGEMEEN.value), []).append(name)
        return {category: tuple(names) for category, names in groups.items()}


class LegalRepresentative(Base):
    """The legal representative of someone who cannot (fully) decide for themself, named by the
    court: a mentor, a curator or a bewindvoerder (`privacy.facts.Representation`): a person of
    the family, or an organisation. At most one of each kind per person (families/intake.py:
    a change of representative is the old row out and a new one in, in one flush)."""

    __tablename__ = "legal_representative"
    __table_args__ = (
        CheckConstraint(Representation.check("kind"), name="kind"),
        CheckConstraint(
            "(representative_person_id IS NULL) != (organisation_id IS NULL)",
            name="one_representative",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    kind: Mapped[Representation] = mapped_column(Code(Representation, 20))
    representative_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE")
    )
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    person: Mapped[Person] = relationship(foreign_keys=[person_id], back_populates="representatives")
    representative: Mapped[Person | None] = relationship(foreign_keys=[representative_person_id])
    organisation: Mapped["Organisation | None"] = relationship()  # noqa: F821

    @property
    def code(self) -> str:
        """Who represents in which capacity, as kept in a revision: "mentor:person:5"."""
        if self.organisation_id is not None:
            return f"{self.kind}:organisation:{self.organisation_id}"
        return f"{self.kind}:person:{self.representative_person_id}"


class Participant(Base):
    """A deelnemer: a user's place in one family's plan."""

    __tablename__ = "participant"
    __table_args__ = (
        UniqueConstraint("family_id", "user_id", name="uq_participant_family_user"),
        CheckConstraint(Role.check("role"), name="role"),
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
    role: Mapped[Role] = mapped_column(Code(Role, 20))
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
    def is_professional(self) -> bool:
        return self.role.is_professional

    @property
    def display_name(self) -> str:
        return self.user.name


class Invitation(Base):
    """An invitation by e-mail to join one family's plan with a role. Single use, 7 days,
    can be withdrawn. Only the hash of the link's token is stored."""

    __tablename__ = "invitation"
    __table_args__ = (
        CheckConstraint(Role.check("role", INVITED_ROLES), name="role"),
        CheckConstraint("role != 'family' OR person_id IS NOT NULL", name="family_has_person"),
        CheckConstraint("role != 'professional' OR organisation_id IS NOT NULL", name="professional_has_organisation"),
        CheckConstraint("involvement_category IS NULL OR " + Category.check("involvement_category"),
                        name="involvement_category"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), index=True)
    email: Mapped[str] = mapped_column(String(320))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(Code(Role, 20))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    function: Mapped[str | None] = mapped_column(String(200))
    # a professional's involvement (DESIGN.md §3): about whom, and what kind of information
    involvement_category: Mapped[Category | None] = mapped_column(Code(Category, 20))
    involvement_subject_ids: Mapped[list[int] | None] = mapped_column(JSON)
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("participant.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime)
    accepted_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    # invited from the network map: accepting links that entry to the new participant
    network_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("network_member.id", ondelete="SET NULL")
    )

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
