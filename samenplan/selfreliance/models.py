"""Self-sufficiency scores (zelfredzaamheid, issue 13 item 6): a *meting* of one caregiver on
one day, kept as one record per kind of information.

Why more than one record per meting: a ZRM level says a lot. "Geestelijke gezondheid: 2" is
health information, "Financiën: 1" financial, "Justitie: 3" justice; a professional who may
see Sandra's debts (Schuldhulp, `financien`) must not learn her mental health from a level,
and her ex-partner must see none of it. So the levels are split by the category of their
domain (`domain.selfreliance.DOMAIN_CATEGORY`): the *head* record holds the `algemeen`
domains (work, housing, network, the parenting domains …) and each other category that has a
level or a note gets a record of its own under the head (`head_id`, so a shield set on the
meting covers its parts too). Every record has the caregiver as its subject and carries the
meting's day, kind and evaluation itself, so a reader who sees only one part still knows
when it was. The privacy door decides per record; every count and the heat map are computed
over the records the reader may see, and say so.

Only the casusregisseur scores (with the family at the table); every record has a version and
a history (`revised_fields`)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samenplan.db import Code
from samenplan.domain.i18n import _
from samenplan.domain.vocabulary import SelfRelianceMoment
from samenplan.privacy.models import Record


class SelfRelianceScore(Record):
    """One category's part of a meting: the levels (domain code → 1-5) and short notes
    (domain code → text) of the domains of that category."""

    __tablename__ = "self_reliance_score"
    __table_args__ = (CheckConstraint(SelfRelianceMoment.check("moment"), name="moment"),)
    revised_fields = ("day", "moment", "evaluation_id", "levels", "notes")
    hangs_under = "head_id"

    id: Mapped[int] = mapped_column(ForeignKey("record.id", ondelete="CASCADE"), primary_key=True)
    caregiver_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"),
                                              index=True)
    # the meting's head (its algemeen part); None on the head itself
    head_id: Mapped[int | None] = mapped_column(
        ForeignKey("self_reliance_score.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    moment: Mapped[SelfRelianceMoment] = mapped_column(Code(SelfRelianceMoment, 20))
    # the evaluation it was scored at (helper A's held evaluations link here)
    evaluation_id: Mapped[int | None] = mapped_column(
        ForeignKey("evaluation.id", ondelete="SET NULL"))
    levels: Mapped[dict] = mapped_column(JSON, default=dict)
    notes: Mapped[dict] = mapped_column(JSON, default=dict)

    caregiver: Mapped["Person"] = relationship(foreign_keys=[caregiver_id])  # noqa: F821

    title = _("Zelfredzaamheid")

    @property
    def meting_id(self) -> int:
        """The id that names the whole meting: its head's."""
        return self.head_id or self.id

    @property
    def body(self) -> str:
        """Its content in one line, for "alles wat samenplan over je weet" (the inzage)."""
        from samenplan.domain.selfreliance import FAMILY_DOMAIN_NAMES, SCORED_DOMAINS

        levels, notes = self.levels or {}, self.notes or {}
        parts = [" ".join(filter(None, (f"{FAMILY_DOMAIN_NAMES[d]}: {levels.get(d.value, '–')}",
                                        notes.get(d.value))))
                 for d in SCORED_DOMAINS if d.value in levels or d.value in notes]
        return " · ".join([self.day.isoformat(), *parts])

    __mapper_args__ = {"polymorphic_identity": "self_reliance_score"}
