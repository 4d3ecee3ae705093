"""Nazorg ("vinger aan de pols", 004 L1610-1630, L1818-1836): after the plan is closed the
casusregisseur plans a few check-in moments (`AftercareMoment`: only a day, no personal
content, like the plan's phase changes), and on each the family answers "hoe gaat het nu,
0-10?" (`AftercareAnswer`, a Record: the answer is the person's data).

The value "at closure" that a later answer is compared with is the person's answer on the
moment marked `at_closure` (the first check-in, "bij afronding", offered on the day the plan
is closed). A later answer 2 or more lower than that, or one that asks for contact, is
worrying (domain/aftercare.py)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samenplan.db import Base, utcnow
from samenplan.domain.i18n import _
from samenplan.privacy.models import Record


class AftercareMoment(Base):
    """A planned check-in of a closed plan: its (Amsterdam) day; cancelled ones stay."""

    __tablename__ = "aftercare_moment"

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    at_closure: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime)


class AftercareAnswer(Record):
    """One person's answer on a check-in: 0-10, a few words, and whether they want contact.
    Subject: the person answering; category algemeen unless they chose gezondheid.
    `by_call`: recorded by the casusregisseur after a phone call (the author is then the
    casusregisseur's participation). An answer is what was said that day: not edited later."""

    __tablename__ = "aftercare_answer"
    revised_fields = ("score", "going_well", "worries", "wants_contact")

    id: Mapped[int] = mapped_column(ForeignKey("record.id", ondelete="CASCADE"), primary_key=True)
    moment_id: Mapped[int] = mapped_column(ForeignKey("aftercare_moment.id", ondelete="CASCADE"),
                                           index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    score: Mapped[int] = mapped_column(Integer)
    going_well: Mapped[str] = mapped_column(Text, default="")
    worries: Mapped[str] = mapped_column(Text, default="")
    wants_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    by_call: Mapped[bool] = mapped_column(Boolean, default=False)
    answered_on: Mapped[date] = mapped_column(Date)

    moment: Mapped[AftercareMoment] = relationship()
    person: Mapped["Person"] = relationship(foreign_keys=[person_id])  # noqa: F821

    title = _("Nazorg: hoe gaat het nu?")

    @property
    def body(self) -> str:
        return " · ".join(filter(None, (f"{self.answered_on.isoformat()}: {self.score}/10",
                                        self.going_well, self.worries)))

    __mapper_args__ = {"polymorphic_identity": "aftercare_answer"}
