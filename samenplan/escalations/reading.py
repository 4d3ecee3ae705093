"""What the screens show of escalations, as the viewer may see them: escalations through the
door (those of actions the viewer may see); the contact and the organisation named only to
who may know that the action's assignee takes part (the organisation says something about
someone, as the participation does)."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext
from samenplan.escalations import services
from samenplan.escalations.models import Escalation
from samenplan.goals.models import Action
from samenplan.goals.reading import MergeRow, form_merge_rows
from samenplan.privacy import policy
from samenplan.privacy.access import Access
from samenplan.domain.i18n import _ as _mark


@dataclass
class EscalationView:
    escalation: Escalation
    action: Action
    contact_name: str
    organisation_name: str
    status: str
    may_close: bool


@dataclass
class GoalEscalations:
    """The goal page's part: the escalations of its actions, and (for the chair) which of its
    actions may be escalated now."""

    views: list[EscalationView] = field(default_factory=list)
    escalatable: list[Action] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.views or self.escalatable)


def view(access: Access, escalation: Escalation, action: Action) -> EscalationView:
    known = services.organisation_known(access, action)
    organisation = next((p.organisation for p in access.participants
                         if p.organisation_id == escalation.organisation_id), None)
    return EscalationView(
        escalation, action,
        escalation.contact.name if known else gettext("een hulpverlener"),
        (organisation or escalation.organisation).name if known else gettext("een organisatie"),
        gettext(escalation.status.label),
        access.can_edit(escalation, policy.ESCALATION).allowed)


def for_goal(access: Access, actions: list[Action], escalations: list[Escalation]) -> GoalEscalations:
    """The goal page's part, from what it loaded (its actions and their escalations, through
    the door); for the chair one query more: which actions were reminded of."""
    by_id = {a.id: a for a in actions}
    views = [view(access, e, by_id[e.action_id]) for e in escalations if e.action_id in by_id]
    escalatable = []
    if services.may_escalate(access):
        reminded = services.reminded(access, [a.id for a in actions if not a.done])
        open_ids = {v.action.id for v in views if v.escalation.is_open}  # the service checks all
        escalatable = [a for a in actions if services.refusal(
            access, a, reminded_ids=reminded, open_ids=open_ids) is None]
    return GoalEscalations(views, escalatable)


#: the fields of an escalation its history shows
HISTORY_LABELS = {
    "contact_user_id": _mark("Contactpersoon"), "reason": _mark("Waarom opgeschaald"),
    "status": _mark("Status"), "outcome": _mark("Uitkomst"),
}


def in_words(access: Access, escalation: Escalation, field_name: str, value) -> str:
    """A revised value of an escalation in words: the status by its label, the contact by name
    as far as the viewer may know the organisation; the rest as for any record."""
    from samenplan.domain.vocabulary import EscalationStatus
    from samenplan.goals.reading import in_words as record_in_words

    if field_name == "status" and EscalationStatus.parse(value) is not None:
        return gettext(EscalationStatus(value).label)
    if field_name == "contact_user_id":
        known = services.organisation_known(access, escalation.action)
        return escalation.contact.name if known and value == escalation.contact_user_id \
            else gettext("een hulpverlener")
    return record_in_words(access, field_name, value)


def merge_rows(escalation: Escalation, form) -> list[MergeRow]:
    return form_merge_rows(form, {"outcome": escalation.outcome})
