"""What was reminded: one row per reminder sent, so that `send-reminders` sends each once."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from samenplan.db import Base, Code, utcnow
from samenplan.domain.vocabulary import ReminderKind


class Reminder(Base):
    """A reminder sent: its kind, the record it is about (an action, later an evaluation: a
    plain id, no foreign key, so the evaluation model can plug in), to whom, and the day it is
    about (the due day). The UNIQUE constraint is what keeps two runs at once from both sending."""

    __tablename__ = "reminder"
    __table_args__ = (
        UniqueConstraint("kind", "record_id", "user_id", "day", name="uq_reminder_once"),
        CheckConstraint(ReminderKind.check("kind"), name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ReminderKind] = mapped_column(Code(ReminderKind, 30))
    record_id: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
