from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samenplan.db import Base, Code, utcnow
from samenplan.domain.vocabulary import OrganisationKind


def parse_domains(text: str | None) -> list[str]:
    """"Wijkteam.nl, gemeente.nl" -> ["wijkteam.nl", "gemeente.nl"]: lower case, no blanks, no
    doubles, in the order typed (commas, spaces or new lines between them)."""
    seen: list[str] = []
    for part in (text or "").replace(",", " ").split():
        domain = part.strip().lower().lstrip("@")
        if domain and domain not in seen:
            seen.append(domain)
    return seen


def domain_of(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip().lower() if "@" in (email or "") else ""


class Organisation(Base):
    __tablename__ = "organisation"
    __table_args__ = (
        CheckConstraint(OrganisationKind.check("kind"), name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(Code(OrganisationKind, 30))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # the organisation's own e-mail domains, set by the administrator: its beheerder invites
    # professionals with these addresses only, and its login provider may cover only these
    domains: Mapped[str | None] = mapped_column(String(1000))  # "wijkteam.nl,gemeente.nl"
    # single sign-on through the organisation's own OpenID Connect provider (optional)
    oidc_issuer: Mapped[str | None] = mapped_column(String(300))
    oidc_client_id: Mapped[str | None] = mapped_column(String(300))
    oidc_client_secret: Mapped[str | None] = mapped_column(String(300))
    oidc_domains: Mapped[str | None] = mapped_column(String(1000))  # "wijkteam.nl,gemeente.nl"
    # an organisation that stopped working with samenplan (the administrator deactivated it):
    # its members were let go; it can no longer be chosen, invited, or logged in through
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    deactivated_at: Mapped[datetime | None] = mapped_column(DateTime)
    deactivated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    @property
    def sso_enabled(self) -> bool:
        """Its professionals log in through its provider (never once it stopped)."""
        return bool(self.active and self.oidc_issuer and self.oidc_client_id and self.oidc_domains)

    @property
    def email_domains(self) -> set[str]:
        """The domains its login provider covers (single sign-on)."""
        return {d.strip().lower() for d in (self.oidc_domains or "").split(",") if d.strip()}

    @property
    def own_domains(self) -> list[str]:
        """The organisation's own e-mail domains (set by the administrator)."""
        return parse_domains(self.domains)

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name!r}>"


class OrganisationMember(Base):
    """A user working for an organisation: the one truth of who is a professional of which
    organisation (a professional takes part in a plan for an organisation they are an
    active member of; single sign-on opens only members' accounts). Its functioneel
    beheerders are members too (`is_beheerder`); they manage the members and never see
    family data by that role."""

    __tablename__ = "organisation_member"
    __table_args__ = (
        UniqueConstraint("organisation_id", "user_id", name="uq_organisation_member_organisation_user"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    is_beheerder: Mapped[bool] = mapped_column(Boolean, default=False)
    # may take on (start) a family's plan as its casusregisseur
    may_start_families: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    joined_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    left_at: Mapped[datetime | None] = mapped_column(DateTime)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    organisation: Mapped[Organisation] = relationship()
    user: Mapped["User"] = relationship(foreign_keys=[user_id])  # noqa: F821

    def __repr__(self) -> str:
        return f"<OrganisationMember {self.id} user {self.user_id} of {self.organisation_id}>"
