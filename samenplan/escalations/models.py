"""Opschalen (issue 12 item 7; DESIGN §2): an action still undone after a reminder, escalated
by the casusregisseur to a named contact of the organisation responsible for it (the
assignee's), with the reason; closed with the outcome.

An escalation is a Record under its action (`privacy_from` the action's privacy owner), so
whoever may see the action sees the escalation, and nobody else. Who the contact is and which
organisation it is about are shown only to who may know that the assignee takes part
(escalations/reading.py): the organisation says something about someone, as the
participation does."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samenplan.db import Code
from samenplan.domain.i18n import _
from samenplan.domain.vocabulary import EscalationStatus
from samenplan.privacy.models import Record


class Escalation(Record):
    __tablename__ = "escalation"
    hangs_under = "action_id"
    revised_fields = ("contact_user_id", "reason", "status", "outcome")
    __table_args__ = (CheckConstraint(EscalationStatus.check("status"), name="status"),)

    id: Mapped[int] = mapped_column(ForeignKey("record.id", ondelete="CASCADE"), primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    contact_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[EscalationStatus] = mapped_column(Code(EscalationStatus, 20),
                                                     default=EscalationStatus.OPEN)
    outcome: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    action: Mapped["Action"] = relationship(foreign_keys=[action_id])  # noqa: F821
    organisation: Mapped["Organisation"] = relationship()  # noqa: F821
    contact: Mapped["User"] = relationship(foreign_keys=[contact_user_id])  # noqa: F821

    title = _("Opschaling")

    @property
    def body(self) -> str:
        """Its content in one line, for "alles wat samenplan over je weet" (the inzage)."""
        return " · ".join(filter(None, (self.reason, self.outcome)))

    @property
    def is_open(self) -> bool:
        return self.status == EscalationStatus.OPEN

    __mapper_args__ = {"polymorphic_identity": "escalation"}
