"""The veiligheidsplan (DESIGN §2): one per family, with how long it applies and a review date;
its items (an entry of the plan's veiligheidsplan section, with a kind and the people it names:
who is named gets a record grant for that item, through the consent services); per child when
and by whom it was explained; and the 0-10 safety scale, answered by each participant for
themself. Every one of them is a Record, so the privacy door decides who sees it."""
from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samenplan.db import Code
from samenplan.domain.i18n import _
from samenplan.domain.vocabulary import SafetyItemKind
from samenplan.plans.models import PlanSection
from samenplan.privacy.models import Record


class SafetyPlan(Record):
    """The family's safety plan itself: from when to when it applies and when it is reviewed.
    Its subjects are the children it is for, its category `algemeen`: the family and who the
    children's general information is shared with know there is one and until when. A shield
    on it covers everything that hangs under it."""

    __tablename__ = "safety_plan"
    revised_fields = ("applies_from", "applies_to", "review_on")

    id: Mapped[int] = mapped_column(ForeignKey("record.id", ondelete="CASCADE"), primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), unique=True)
    applies_from: Mapped[date | None] = mapped_column(Date)
    applies_to: Mapped[date | None] = mapped_column(Date)
    review_on: Mapped[date | None] = mapped_column(Date)

    #: what it is called in lists of records (the shield screen)
    title = _("Veiligheidsplan")

    __mapper_args__ = {"polymorphic_identity": "safety_plan"}


class SafetyItem(PlanSection):
    """One item of the safety plan: an entry of the plan's veiligheidsplan section (title,
    text, subjects, category, version, history, taken off the plan), with what it arranges
    (`item_kind`) and whom it involves: participants of the plan (`named_participant_ids`; each
    gets a record grant for this item from the consenters the age rules require) and people
    who take no part in samenplan, by name only (`named_others`)."""

    __tablename__ = "safety_item"
    hangs_under = "safety_plan_id"
    revised_fields = PlanSection.revised_fields + ("item_kind", "named_participant_ids",
                                                   "named_others")
    __table_args__ = (CheckConstraint(SafetyItemKind.check("item_kind"), name="item_kind"),)

    id: Mapped[int] = mapped_column(ForeignKey("plan_section.id", ondelete="CASCADE"),
                                    primary_key=True)
    safety_plan_id: Mapped[int] = mapped_column(ForeignKey("safety_plan.id"), index=True)
    item_kind: Mapped[SafetyItemKind] = mapped_column(Code(SafetyItemKind, 20))
    named_participant_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    named_others: Mapped[str] = mapped_column(String(300), default="")

    # the plan page shows items by their entry's columns only (no query of their own); the
    # safety plan's page loads these columns for all its items at once (`reading.load_page`)
    __mapper_args__ = {"polymorphic_identity": "safety_item"}


class SafetyExplanation(Record):
    """When and by whom the safety plan was explained to one child, with a short note. It
    takes its privacy from the safety plan (`privacy_from`)."""

    __tablename__ = "safety_explanation"
    hangs_under = "safety_plan_id"
    revised_fields = ("explained_on", "explained_by", "note")

    id: Mapped[int] = mapped_column(ForeignKey("record.id", ondelete="CASCADE"), primary_key=True)
    safety_plan_id: Mapped[int] = mapped_column(ForeignKey("safety_plan.id"), index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    explained_on: Mapped[date] = mapped_column(Date)
    explained_by: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")

    child: Mapped["Person"] = relationship(foreign_keys=[child_id])  # noqa: F821

    title = _("Uitleg van het veiligheidsplan")

    @property
    def body(self) -> str:
        """Its content in one line, for "alles wat samenplan over je weet" (the inzage)."""
        return " · ".join(filter(None, (self.explained_on.isoformat(), self.explained_by, self.note)))

    __mapper_args__ = {"polymorphic_identity": "safety_explanation"}


class SafetyAnswer(Record):
    """One answer on the 0-10 safety scale ("Hoe veilig is het thuis?"), by a participant for
    themself (`respondent_participant_id`, the author), or a child's own answer entered by the
    casusregisseur for a child without a login (`respondent_person_id`). Subjects: the
    children; category `veiligheid`."""

    __tablename__ = "safety_answer"
    hangs_under = "safety_plan_id"
    __table_args__ = (
        CheckConstraint("score BETWEEN 0 AND 10", name="score"),
        CheckConstraint("(respondent_participant_id IS NULL) != (respondent_person_id IS NULL)",
                        name="one_respondent"),
    )

    id: Mapped[int] = mapped_column(ForeignKey("record.id", ondelete="CASCADE"), primary_key=True)
    safety_plan_id: Mapped[int] = mapped_column(ForeignKey("safety_plan.id"), index=True)
    respondent_participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"))
    respondent_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    score: Mapped[int] = mapped_column(Integer)
    answered_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")

    respondent_person: Mapped["Person | None"] = relationship(  # noqa: F821
        foreign_keys=[respondent_person_id])

    title = _("Antwoord: hoe veilig is het thuis?")

    @property
    def body(self) -> str:
        """Its content in one line, for "alles wat samenplan over je weet" (the inzage)."""
        return " · ".join(filter(None, (f"{self.score}/10", self.note)))

    __mapper_args__ = {"polymorphic_identity": "safety_answer"}
