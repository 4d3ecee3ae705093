"""The family's network (DESIGN §2 *netwerk*): the people around the family, what they give or
could give, and whether the contact helps or harms."""
from __future__ import annotations

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samenplan.db import Code
from samenplan.domain.vocabulary import ContactEffect
from samenplan.privacy.models import Record


class NetworkMember(Record):
    """One person around the family: oma, the neighbour, a friend. A Record: its subjects are
    the family members the contact is about, its category is chosen by whoever writes it (a
    harmful contact is often `veiligheid`). Kept as a name only, or linked to the participant
    they became when they were invited from here (`participant_id`).

    `gives_now` and `could_give` are lists of `SupportKind` codes (checked by the service,
    `domain/network.py`): several per person, each either given now or only possible."""

    __tablename__ = "network_member"
    revised_fields = (
        "name", "relation", "gives_now", "could_give", "effect", "note", "participant_id",
        "subjects", "category",
    )
    __table_args__ = (CheckConstraint(ContactEffect.check("effect"), name="effect"),)

    id: Mapped[int] = mapped_column(ForeignKey("record.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    relation: Mapped[str] = mapped_column(String(100), default="")
    gives_now: Mapped[list[str]] = mapped_column(JSON, default=list)
    could_give: Mapped[list[str]] = mapped_column(JSON, default=list)
    effect: Mapped[ContactEffect] = mapped_column(Code(ContactEffect, 10))
    note: Mapped[str] = mapped_column(Text, default="")
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL"), index=True
    )

    participant: Mapped["Participant | None"] = relationship(  # noqa: F821
        foreign_keys=[participant_id]
    )

    __mapper_args__ = {"polymorphic_identity": "network_member"}
