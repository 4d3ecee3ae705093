"""Escalating an undone action (*opschalen*) and recording the outcome: the casusregisseur
only. Each function checks through the door (Access), logs, and commits once.

Who the contact may be, and what they are told (DESIGN §3; decided here, written down here):
- the contact is an active member, with an active login, of the organisation of the action's
  assignee (a professional of that organisation), other than the assignee: a named person at
  the organisation that is responsible. The casusregisseur must be allowed to know that the
  assignee takes part (`Access.sees_participant`), or the organisation is not named at all;
- the contact need not take part in the family's plan. What the contact is told depends on
  what they may see: when they take part and their own access lets them see the escalation,
  the notification links to it in the plan; otherwise it carries no personal data at all (no
  family, no action, no reason): only who asks them to get in touch (the casusregisseur's
  name and organisation), which their organisation knows already, as its professional takes
  part. The reason and the outcome stay in the plan, for those who may see the action.
"""
from __future__ import annotations

from sqlalchemy import select

from samenplan.auth.models import User
from samenplan.domain import escalation as rules
from samenplan.domain.i18n import _
from samenplan.domain.vocabulary import EscalationStatus, ReminderKind
from samenplan.escalations.models import Escalation
from samenplan.families.models import Participant
from samenplan.goals.models import Action
from samenplan.notices.models import Reminder
from samenplan.notices.services import notify
from samenplan.orgs.models import OrganisationMember
from samenplan.privacy import policy
from samenplan.privacy.access import Access
from samenplan.records.history import check_version, saving

#: the reminders about an action (to its assignee, or the chair's line about it)
ACTION_REMINDERS = (ReminderKind.ACTION_DUE, ReminderKind.ACTION_OVERDUE,
                    ReminderKind.ACTION_OVERDUE_CHAIR)


class Invalid(Exception):
    """Input that cannot be saved; `field` is the form field it is about."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class NotAllowed(Exception):
    """The viewer may not do this. Views answer 404, so nothing leaks."""


def may_escalate(access: Access) -> bool:
    return access.may_create(policy.ESCALATION)


def reminded(access: Access, action_ids: list[int]) -> set[int]:
    """Of these actions, those a reminder was sent about (one query)."""
    if not action_ids:
        return set()
    return set(access.session.scalars(select(Reminder.record_id).where(
        Reminder.kind.in_(ACTION_REMINDERS), Reminder.record_id.in_(action_ids))))


def open_for(access: Access, action_ids: list[int]) -> set[int]:
    """Of these actions, those with an open escalation (one query; ids only, the door decides
    what of them is shown)."""
    if not action_ids:
        return set()
    return set(access.session.scalars(select(Escalation.action_id).where(
        Escalation.action_id.in_(action_ids), Escalation.status == EscalationStatus.OPEN)))


def organisation_known(access: Access, action: Action) -> bool:
    assignee = action.assignee
    return (assignee is not None and assignee.active and assignee.organisation_id is not None
            and access.sees_participant(assignee))


def refusal(access: Access, action: Action, *, reminded_ids: set[int],
            open_ids: set[int]) -> str | None:
    return rules.refusal(done=action.done, reminded=action.id in reminded_ids,
                         organisation_known=organisation_known(access, action),
                         already_open=action.id in open_ids)


def contacts(access: Access, action: Action) -> list[User]:
    """Whom the action can be escalated to: the other active members of its assignee's
    organisation (with an active login), by name. None when the organisation is not known."""
    if not organisation_known(access, action):
        return []
    return list(access.session.scalars(
        select(User).join(OrganisationMember, OrganisationMember.user_id == User.id)
        .where(OrganisationMember.organisation_id == action.assignee.organisation_id,
               OrganisationMember.active, User.active, User.id != action.assignee.user_id)
        .order_by(User.name, User.id)))


def escalate(access: Access, action: Action, contact_user_id: int | None, reason: str) -> Escalation:
    """Escalate `action` (seen through the door) to a contact of its organisation."""
    if not may_escalate(access):
        raise NotAllowed("only the casusregisseur escalates")
    decision = access.decide(action)
    if not decision.allowed:
        raise NotAllowed(decision.ground)
    why_not = refusal(access, action, reminded_ids=reminded(access, [action.id]),
                      open_ids=open_for(access, [action.id]))
    if why_not is not None:
        raise Invalid("contact", why_not)
    contact = next((u for u in contacts(access, action) if u.id == contact_user_id), None)
    if contact is None:
        if contact_user_id:
            raise NotAllowed("contact outside the organisation")  # a tampered id: 404
        raise Invalid("contact", _("Kies naar wie je opschaalt."))
    if not (reason or "").strip():
        raise Invalid("reason", _("Schrijf op waarom je opschaalt."))
    escalation = Escalation(
        family_id=access.family_id, action_id=action.id, privacy_source=action.privacy_owner,
        organisation_id=action.assignee.organisation_id, contact_user_id=contact.id,
        reason=reason.strip()[:2000], status=EscalationStatus.OPEN, outcome="",
        author_participant_id=access.participant.id, created_by_id=access.user.id,
        updated_by_id=access.user.id, created_at=access.now, updated_at=access.now,
    )
    access.session.add(escalation)
    access.session.flush()
    access.queue(access.event("create", escalation, policy.AUTHOR,
                              params={"contact": contact.id}))
    _tell_the_contact(access, escalation, contact)
    access.session.commit()
    return escalation


def _tell_the_contact(access: Access, escalation: Escalation, contact: User) -> None:
    """A link into the plan for a contact who may see the escalation there; for anyone else a
    message without personal data (see the module's text)."""
    participant = access.session.scalar(select(Participant).where(
        Participant.family_id == access.family_id, Participant.user_id == contact.id,
        Participant.active))
    if participant is not None:
        theirs = Access(session=access.session, user=contact, participant=participant,
                        now=access.now)
        if theirs.decide(escalation).allowed:
            notify(access.session, [contact.id], kind="escalation_in_plan",
                   params={"by": access.user.name},
                   link=f"/gezin/{access.family_id}/opschalingen/{escalation.id}",
                   now=access.now, family_id=access.family_id, actor_user_id=access.user.id)
            return
    organisation = access.participant.organisation
    notify(access.session, [contact.id], kind="escalation",
           params={"by": access.user.name,
                   "organisation": organisation.name if organisation is not None else ""},
           link="/meldingen", now=access.now, family_id=None, actor_user_id=access.user.id)


def record_outcome(access: Access, escalation: Escalation, outcome: str,
                   version: int | None) -> Escalation:
    """Close an open escalation with its outcome, or correct the outcome of a closed one, from
    the version the viewer saw (an older one: Stale, the merge screen)."""
    decision = access.can_edit(escalation, policy.ESCALATION)
    if not decision.allowed:
        raise NotAllowed(decision.ground)
    if not (outcome or "").strip():
        raise Invalid("outcome", _("Schrijf op wat de opschaling heeft opgeleverd."))
    check_version(escalation, version)
    with saving(access.session, escalation):
        if escalation.is_open:
            escalation.status = EscalationStatus.CLOSED
            escalation.closed_at, escalation.closed_by_id = access.now, access.user.id
        escalation.outcome = outcome.strip()[:2000]
        escalation.updated_by_id, escalation.updated_at = access.user.id, access.now
        access.session.flush()
        access.queue(access.event("update", escalation, decision))
        access.session.commit()
    return escalation
