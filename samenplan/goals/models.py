from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samenplan.db import Base, Code, utcnow
from samenplan.domain.vocabulary import ActionEnding, GoalLevel, GoalStatus, GoalType, LifeDomain, ScalingQuestion
from samenplan.privacy.models import Record


class Goal(Record):
    __tablename__ = "goal"
    hangs_under = "parent_id"
    revised_fields = (
        "title", "description", "subjects", "category", "life_domain", "status", "status_reason",
        "owner_participant_id", "start_date", "end_date", "goal_type", "indicator",
        "gas_start", "gas_baseline", "gas_weight",
    )
    __table_args__ = (
        CheckConstraint(GoalStatus.check("status"), name="status"),
        CheckConstraint(
            "start_date IS NULL OR end_date IS NULL OR end_date >= start_date", name="dates"
        ),
        CheckConstraint(GoalType.check("goal_type"), name="goal_type"),
        CheckConstraint(GoalLevel.check("level"), name="level"),
        CheckConstraint(LifeDomain.check("life_domain"), name="life_domain"),
        CheckConstraint("gas_baseline IS NULL OR gas_baseline BETWEEN -2 AND 2", name="gas_baseline"),
        CheckConstraint("gas_weight BETWEEN 1 AND 10", name="gas_weight"),
    )

    id: Mapped[int] = mapped_column(ForeignKey("record.id", ondelete="CASCADE"), primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    life_domain: Mapped[LifeDomain] = mapped_column(Code(LifeDomain, 40))
    priority: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[GoalStatus] = mapped_column(Code(GoalStatus, 20), default=GoalStatus.ACTIVE)
    # why the status last changed (every change has a reason; the history keeps them all)
    status_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    owner_participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"))
    goal_type: Mapped[GoalType] = mapped_column(Code(GoalType, 20), default=GoalType.PERSONAL)
    level: Mapped[GoalLevel] = mapped_column(Code(GoalLevel, 20), default=GoalLevel.GOAL)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("goal.id"), index=True)
    indicator: Mapped[str] = mapped_column(Text, default="")  # how we see that it works
    # the start situation in words (the guideline's ladder has it apart from its five levels),
    # and the step it is on: normally −1, since at the start the goal is not reached
    gas_start: Mapped[str] = mapped_column(Text, default="", server_default="")
    gas_baseline: Mapped[int | None] = mapped_column(Integer)
    gas_weight: Mapped[int] = mapped_column(Integer, default=1)
    realistic_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)

    owner: Mapped["Participant | None"] = relationship(  # noqa: F821
        foreign_keys=[owner_participant_id]
    )
    gas_levels: Mapped[list[GasLevel]] = relationship(
        cascade="all, delete-orphan", order_by="GasLevel.level.desc()"
    )
    agreements: Mapped[list[GoalAgreement]] = relationship(
        cascade="all, delete-orphan", order_by="GoalAgreement.at"
    )
    status_changes: Mapped[list[GoalStatusChange]] = relationship(
        cascade="all, delete-orphan", order_by="GoalStatusChange.id"
    )
    actions: Mapped[list[Action]] = relationship(
        back_populates="goal",
        foreign_keys="Action.goal_id",
        order_by="(Action.due_date.is_(None), Action.due_date, Action.id)",
    )

    __mapper_args__ = {"polymorphic_identity": "goal"}


class Action(Record):
    """An actie: who does what, by when. Shares its goal's subjects and category unless
    `own_privacy` says it has its own."""

    __tablename__ = "action"
    hangs_under = "goal_id"
    __table_args__ = (CheckConstraint("ended_how IS NULL OR " + ActionEnding.check("ended_how"),
                                      name="ended_how"),)
    revised_fields = ("what", "assignee_participant_id", "due_date", "done_at", "category", "subjects",
                      "ended_how", "ended_note", "ended_at")

    id: Mapped[int] = mapped_column(ForeignKey("record.id", ondelete="CASCADE"), primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id"), index=True)
    what: Mapped[str] = mapped_column(String(500))
    assignee_participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"))
    due_date: Mapped[date | None] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(DateTime)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    own_privacy: Mapped[bool] = mapped_column(Boolean, default=False)
    # the evaluation it was agreed at, if any (for that evaluation's report)
    evaluation_id: Mapped[int | None] = mapped_column(ForeignKey("evaluation.id"), index=True)
    # ended without being done (before closing the plan): cancelled with the reason, or handed
    # over with to whom, in `ended_note` (samenplan/closure/services.py `end_action`)
    ended_how: Mapped[ActionEnding | None] = mapped_column(Code(ActionEnding, 20))
    ended_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)

    goal: Mapped[Goal] = relationship(back_populates="actions", foreign_keys=[goal_id])
    assignee: Mapped["Participant | None"] = relationship(  # noqa: F821
        foreign_keys=[assignee_participant_id]
    )

    __mapper_args__ = {"polymorphic_identity": "action"}

    @property
    def done(self) -> bool:
        return self.done_at is not None

    @property
    def ended(self) -> bool:
        """Done, or ended otherwise (cancelled, handed over): nothing is open any more."""
        return self.done_at is not None or self.ended_how is not None


class GoalStatusChange(Base):
    """Every status change of a goal, dated and attributed."""

    __tablename__ = "goal_status_change"
    __table_args__ = (
        CheckConstraint("old_status IS NULL OR " + GoalStatus.check("old_status"), name="old_status"),
        CheckConstraint(GoalStatus.check("new_status"), name="new_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id", ondelete="CASCADE"), index=True)
    old_status: Mapped[GoalStatus | None] = mapped_column(Code(GoalStatus, 20))
    new_status: Mapped[GoalStatus] = mapped_column(Code(GoalStatus, 20))
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    changed_by: Mapped["User | None"] = relationship()  # noqa: F821


class GasLevel(Base):
    """One rung of a goal's GAS ladder: what −2 … +2 look like for this family."""

    __tablename__ = "gas_level"
    __table_args__ = (CheckConstraint("level BETWEEN -2 AND 2", name="level"),)

    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id", ondelete="CASCADE"), primary_key=True)
    level: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    description: Mapped[str] = mapped_column(Text, default="")


class GoalAgreement(Base):
    """Akkoord / niet akkoord of one participant with a goal, with a reason."""

    __tablename__ = "goal_agreement"

    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id", ondelete="CASCADE"), primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), primary_key=True)
    agrees: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    participant: Mapped["Participant"] = relationship()  # noqa: F821


class GasScore(Record):
    """The level a goal reached on a day (usually at an evaluation)."""

    __tablename__ = "gas_score"
    hangs_under = "goal_id"
    __table_args__ = (CheckConstraint("level BETWEEN -2 AND 2", name="level"),)

    id: Mapped[int] = mapped_column(ForeignKey("record.id", ondelete="CASCADE"), primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id"), index=True)
    level: Mapped[int] = mapped_column(Integer)
    scored_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    evaluation_id: Mapped[int | None] = mapped_column(ForeignKey("evaluation.id"), index=True)

    goal: Mapped[Goal] = relationship(foreign_keys=[goal_id])

    __mapper_args__ = {"polymorphic_identity": "gas_score"}


class ScalingAnswer(Record):
    """One participant's own 0-10 answer on one question about one goal. The respondent is
    the record's author."""

    __tablename__ = "scaling_answer"
    hangs_under = "goal_id"
    __table_args__ = (
        CheckConstraint("score BETWEEN 0 AND 10", name="score"),
        CheckConstraint(ScalingQuestion.check("question"), name="question"),
    )

    id: Mapped[int] = mapped_column(ForeignKey("record.id", ondelete="CASCADE"), primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id"), index=True)
    question: Mapped[ScalingQuestion] = mapped_column(Code(ScalingQuestion, 20))
    score: Mapped[int] = mapped_column(Integer)
    why_not_zero: Mapped[str] = mapped_column(Text, default="")
    one_higher: Mapped[str] = mapped_column(Text, default="")
    answered_on: Mapped[date] = mapped_column(Date)
    evaluation_id: Mapped[int | None] = mapped_column(ForeignKey("evaluation.id"), index=True)
    # a child's own answer entered by the casusregisseur for a child without a login (the
    # author is then the casusregisseur: "ingevuld door Fatima")
    respondent_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))

    goal: Mapped[Goal] = relationship(foreign_keys=[goal_id])

    __mapper_args__ = {"polymorphic_identity": "scaling_answer"}
