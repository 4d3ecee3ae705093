from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from samenplan.db import Base, utcnow

ORGANISATION_KINDS = (
    "wijkteam", "jeugdhulp", "ggz", "schuldhulp", "onderwijs", "jeugdbescherming", "gemeente", "other",
)


class Organisation(Base):
    __tablename__ = "organisation"
    __table_args__ = (
        CheckConstraint(
            "kind IN (" + ", ".join(f"'{k}'" for k in ORGANISATION_KINDS) + ")", name="kind"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # single sign-on through the organisation's own OpenID Connect provider (optional)
    oidc_issuer: Mapped[str | None] = mapped_column(String(300))
    oidc_client_id: Mapped[str | None] = mapped_column(String(300))
    oidc_client_secret: Mapped[str | None] = mapped_column(String(300))
    oidc_domains: Mapped[str | None] = mapped_column(String(1000))  # "wijkteam.nl,gemeente.nl"

    @property
    def sso_enabled(self) -> bool:
        return bool(self.oidc_issuer and self.oidc_client_id and self.oidc_domains)

    @property
    def email_domains(self) -> set[str]:
        return {d.strip().lower() for d in (self.oidc_domains or "").split(",") if d.strip()}

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name!r}>"
