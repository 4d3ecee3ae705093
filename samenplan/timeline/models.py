"""The tijdlijn (DESIGN §2): earlier help and life events, dated, per person, so nobody has to
ask the family again."""
from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from samenplan.db import Code
from samenplan.domain.vocabulary import TimelineKind
from samenplan.privacy.models import Record


class TimelineEvent(Record):
    """Earlier help (what, by whom, from/to, what worked and what did not) or a life event
    (one date). A Record: about its subjects, of the category its writer chose (earlier GGZ
    help is `gezondheid`, debt counselling `financien`)."""

    __tablename__ = "timeline_event"
    revised_fields = (
        "event_kind", "title", "helper", "start_date", "end_date", "worked", "not_worked",
        "subjects", "category",
    )
    __table_args__ = (
        CheckConstraint(TimelineKind.check("event_kind"), name="event_kind"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates"),
    )

    id: Mapped[int] = mapped_column(ForeignKey("record.id", ondelete="CASCADE"), primary_key=True)
    # earlier help or a life event ("kind" is Record's: the kind of record)
    event_kind: Mapped[TimelineKind] = mapped_column(Code(TimelineKind, 20))
    title: Mapped[str] = mapped_column(String(300))
    # who helped: often an organisation that takes no part in samenplan (free text)
    helper: Mapped[str] = mapped_column(String(200), default="")
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)  # empty: still going
    worked: Mapped[str] = mapped_column(Text, default="")
    not_worked: Mapped[str] = mapped_column(Text, default="")

    __mapper_args__ = {"polymorphic_identity": "timeline_event"}
