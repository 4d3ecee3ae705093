from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samenplan.privacy.models import Record

GOAL_STATUSES = ("concept", "actief", "gepauzeerd", "behaald", "gestopt")


class Goal(Record):
    __tablename__ = "goal"
    __table_args__ = (
        CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in GOAL_STATUSES) + ")", name="status"
        ),
        CheckConstraint(
            "start_date IS NULL OR end_date IS NULL OR end_date >= start_date", name="dates"
        ),
    )

    id: Mapped[int] = mapped_column(ForeignKey("record.id", ondelete="CASCADE"), primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    life_domain: Mapped[str] = mapped_column(String(40))
    priority: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default="actief")
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    owner_participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"))

    owner: Mapped["Participant | None"] = relationship(  # noqa: F821
        foreign_keys=[owner_participant_id]
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

    id: Mapped[int] = mapped_column(ForeignKey("record.id", ondelete="CASCADE"), primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id"), index=True)
    what: Mapped[str] = mapped_column(String(500))
    assignee_participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"))
    due_date: Mapped[date | None] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(DateTime)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    own_privacy: Mapped[bool] = mapped_column(Boolean, default=False)

    goal: Mapped[Goal] = relationship(back_populates="actions", foreign_keys=[goal_id])
    assignee: Mapped["Participant | None"] = relationship(  # noqa: F821
        foreign_keys=[assignee_participant_id]
    )

    __mapper_args__ = {"polymorphic_identity": "action"}

    @property
    def done(self) -> bool:
        return self.done_at is not None
