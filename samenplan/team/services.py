"""Changing the team, the contact card and the plan agreed: one transaction each, owned here.

Rules: a professional changes their own line in the team, the casusregisseur every line they
may see (`policy.can_edit_participation`); only the casusregisseur sets the contact card, and
its buddy is a participant the casusregisseur may see (never one of another family); every
participant may say akkoord with the plan, with a reason when not.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from samenplan.domain.ages import local_day
from samenplan.domain.i18n import _
from samenplan.domain.vocabulary import FundingStream, InvolvementEndReason
from samenplan.families.models import Participant
from samenplan.plans.models import Plan
from samenplan.privacy import policy
from samenplan.privacy.access import Access
from samenplan.privacy.facts import Category, Role
from samenplan.privacy.models import Involvement, Record
from samenplan.records.history import check_version, saving, touch
from samenplan.records.models import Revision
from samenplan.team.models import PlanAgreement, PlanContact

#: the kinds of record that make up the plan's content: a change of one of them after someone
#: agreed is "sindsdien is het plan veranderd" (ticking an action, a score, an answer is not)
PLAN_CONTENT_KINDS = ("goal", "plan_section")

PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{5,38}$")


class Invalid(ValueError):
    """Input that cannot be saved; the message is Dutch for the reader, `field` the form field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class NotAllowed(Exception):
    """Not theirs to change (the route answers 404: it looks like nothing is there)."""


class StaleRow(Exception):
    """Someone else saved the contact card, or this participant's answer, since the form was
    loaded; `current` is what is saved now (None: nothing yet)."""

    def __init__(self, current):
        super().__init__("stale")
        self.current = current


def _phone(value: str, field: str) -> str:
    value = " ".join((value or "").split())
    if value and not PHONE.match(value):
        raise Invalid(_("Schrijf een telefoonnummer met alleen cijfers, spaties of een +, "
                        "bijvoorbeeld 020 123 45 67."), field)
    return value


def plan_of(access: Access) -> Plan:
    return access.session.scalar(select(Plan).where(Plan.family_id == access.family_id))


# --- the team ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class LineInput:
    function: str
    phone: str
    funding: str | None
    start_date: date | None
    end_date: date | None
    version: int | None


def team_member(access: Access, participant_id: int) -> Participant | None:
    """A professional of this plan the viewer may know takes part, or None (also for one of
    another family, or one whose participation the viewer may not know of)."""
    return next((p for p in access.visible_participants
                 if p.id == participant_id and p.role.is_professional), None)


def may_edit_line(access: Access, participant: Participant) -> bool:
    return policy.can_edit_participation(
        access.viewer, access.participation_facts(participant), access.facts, access.now,
    ).allowed


def save_line(access: Access, participant: Participant, data: LineInput) -> Involvement:
    """Change a professional's line in the team, from the version the form was loaded at."""
    if not may_edit_line(access, participant):
        raise NotAllowed("not their line")
    involvement = participant.involvement
    if involvement is not None:
        check_version(involvement, data.version)
    elif data.version not in (None, 0):
        raise Invalid(_("Laad de pagina opnieuw en probeer het nog eens."))
    function = (data.function or "").strip()
    if len(function) > 200:
        raise Invalid(_("Gebruik hooguit 200 tekens voor de rol."), "function")
    phone = _phone(data.phone, "phone")
    funding = FundingStream.parse(data.funding) if data.funding else None
    if data.funding and funding is None:
        raise Invalid(_("Kies een financiering uit de lijst."), "funding")
    if data.start_date and data.end_date and data.end_date < data.start_date:
        raise Invalid(_("De einddatum ligt voor de begindatum."), "end_date")
    if involvement is None:
        # a professional without an involvement record yet (their own line, or the chair's):
        # about nobody in particular, so nobody sees more of them than before
        involvement = Involvement(
            family_id=access.family_id, participant=participant, subjects=[],
            category=Category.ALGEMEEN.value, author_participant_id=access.participant.id,
            created_by_id=access.user.id,
        )
        access.session.add(involvement)
    role_changed = (participant.function or "") != function
    with saving(access.session, involvement):
        involvement.phone, involvement.funding = phone, funding
        involvement.start_date, involvement.end_date = data.start_date, data.end_date
        involvement.updated_by_id, involvement.updated_at = access.user.id, access.now
        # the role is the participant's (named with it wherever they are named: choices, the
        # consent round, as far as the viewer may know them); the number too, for those places
        participant.function, participant.phone = function or None, phone or None
        if role_changed:  # a new version of the line, so a save from before it is stale
            touch(involvement, "phone")
        access.session.flush()
        access.queue(access.event("update", involvement, params={
            "fields": ["team"] + (["function"] if role_changed else [])}))
        access.session.commit()
    return involvement


# --- closing a professional's part (issue 13 item 1) ----------------------------------------
@dataclass(frozen=True)
class CloseInput:
    end_date: date | None
    reason: str | None
    version: int | None


def part_is_over(involvement: Involvement | None, today: date) -> bool:
    """A closed part whose last day has passed: the professional no longer works on the plan
    (on the end date itself they still do)."""
    return (involvement is not None and involvement.end_reason is not None
            and involvement.end_date is not None and involvement.end_date < today)


def _leave(session, participant: Participant, actor_user_id: int | None) -> None:
    """The professional's place in the plan ends: from their next request they see nothing of
    it (web.require_access tells them why), and nobody reads through their participation."""
    from samenplan.privacy import audit

    participant.active = False
    audit.queue(session, audit.Event(
        "leave", family_id=participant.family_id, actor_user_id=actor_user_id,
        target_kind="participant", target_id=participant.id,
        params=(("reason", "part_ended"), ("role", participant.role)),
    ))


def end_finished_parts(session, now) -> int:
    """The daily run (`flask send-reminders`): every professional whose closed part's last day
    has passed leaves the plan. A part whose end date passed *without* a reason stays: it is on
    the casusregisseur's worklist until it is closed. Returns how many left; commits once."""
    today = local_day(now)
    ended = list(session.scalars(
        select(Participant).join(Involvement, Involvement.participant_id == Participant.id)
        .where(Participant.active, Participant.role == Role.PROFESSIONAL,
               Involvement.end_reason.is_not(None), Involvement.end_date < today)))
    for participant in ended:
        _leave(session, participant, None)
    session.commit()
    return len(ended)


def left_unclosed_query(family_ids: list[int]):
    """The professionals of these families whose organisation let them go (`orgs/services.py`
    `deactivate`) while their part in the plan was not closed: no reason why it ended. On the
    casusregisseur's worklist, and closable on the team page, until it is closed."""
    from sqlalchemy import and_
    from sqlalchemy.orm import joinedload

    from samenplan.orgs.models import OrganisationMember

    return (
        select(Participant)
        .join(OrganisationMember, and_(OrganisationMember.user_id == Participant.user_id,
                                       OrganisationMember.organisation_id == Participant.organisation_id))
        .outerjoin(Involvement, Involvement.participant_id == Participant.id)
        .where(Participant.family_id.in_(family_ids), Participant.active.is_(False),
               Participant.role == Role.PROFESSIONAL, OrganisationMember.active.is_(False),
               Involvement.end_reason.is_(None))
        .options(joinedload(Participant.user), joinedload(Participant.organisation),
                 joinedload(Participant.involvement))
        .order_by(Participant.id)
    )


def left_unclosed(access: Access, participants: list[Participant] | None = None) -> list[Participant]:
    """Of `left_unclosed_query` (or `participants`, loaded by it for several families), those
    of this family the casusregisseur may know took part. Nobody else is shown them."""
    if access.viewer.role is not Role.CASUSREGISSEUR:
        return []
    if participants is None:
        participants = list(access.session.scalars(left_unclosed_query([access.family_id])).unique())
    mine = [p for p in participants if p.family_id == access.family_id]
    access._attach_privacy([p.involvement for p in mine if p.involvement is not None])
    return [p for p in mine if access.sees_former(p)]


def closable_member(access: Access, participant_id: int) -> Participant | None:
    """A professional whose part the viewer may close: one of the team, or (the
    casusregisseur) one who left their organisation without their part closed."""
    found = team_member(access, participant_id)
    if found is None:
        found = next((p for p in left_unclosed(access) if p.id == participant_id), None)
    return found


def close_line(access: Access, participant: Participant, data: CloseInput) -> Involvement:
    """End a professional's part in the plan: an end date and why (`InvolvementEndReason`).
    The professional closes their own part, the casusregisseur anyone's they may see
    (`policy.can_edit_participation`, as for the line). A new version of the involvement, with
    its history; a save from an older version is stale. The casusregisseur is told (once, a
    mail without details after commit), only when they may know this professional takes part
    and did not close it themselves."""
    from samenplan.notices.services import notify

    if not may_edit_line(access, participant) or participant.role is not Role.PROFESSIONAL:
        raise NotAllowed("not their line")  # the casusregisseur's part ends by a handover
    involvement = participant.involvement
    if involvement is not None:
        check_version(involvement, data.version)
    elif data.version not in (None, 0):
        raise Invalid(_("Laad de pagina opnieuw en probeer het nog eens."))
    reason = InvolvementEndReason.parse(data.reason) if data.reason else None
    if reason is None:
        raise Invalid(_("Kies waarom het stopt."), "reason")
    if data.end_date is None:
        raise Invalid(_("Vul de datum in waarop het stopt."), "end_date")
    if involvement is not None and involvement.start_date and data.end_date < involvement.start_date:
        raise Invalid(_("De einddatum ligt voor de begindatum."), "end_date")
    if involvement is None:  # about nobody in particular, as in `save_line`
        involvement = Involvement(
            family_id=access.family_id, participant=participant, subjects=[],
            category=Category.ALGEMEEN.value, author_participant_id=access.participant.id,
            created_by_id=access.user.id,
        )
        access.session.add(involvement)
    with saving(access.session, involvement):
        involvement.end_date, involvement.end_reason = data.end_date, reason
        involvement.updated_by_id, involvement.updated_at = access.user.id, access.now
        access.session.flush()
        access.queue(access.event("update", involvement, params={"fields": ["end"]}))
        if participant.active and part_is_over(involvement, local_day(access.now)):
            _leave(access.session, participant, access.user.id)  # closed after the day itself
        chair = next((p for p in access.participants if p.role is Role.CASUSREGISSEUR), None)
        if chair is not None and chair.user_id != access.user.id and chair.user is not None:
            chairs = Access(session=access.session, user=chair.user, participant=chair,
                            now=access.now)
            if chairs.sees_participant(participant):
                notify(access.session, [chair.user_id], kind="involvement_closed",
                       params={"name": participant.display_name},
                       link=f"/gezin/{access.family_id}/team#lid-{participant.id}", now=access.now,
                       family_id=access.family_id, actor_user_id=access.user.id)
        access.session.commit()
    return involvement


# --- the contact card ---------------------------------------------------------------------
@dataclass(frozen=True)
class ContactInput:
    emergency_name: str
    emergency_phone: str
    buddy_participant_id: int | None
    buddy_name: str
    buddy_phone: str
    version: int | None


def current_contact(access: Access, plan_id: int) -> PlanContact | None:
    return access.session.scalar(
        select(PlanContact).where(PlanContact.plan_id == plan_id)
        .order_by(PlanContact.version.desc()).limit(1)
    )


def buddy_choices(access: Access) -> list[Participant]:
    """Who can be the buddy: the other professionals the casusregisseur may see."""
    return [p for p in access.visible_participants
            if p.role.is_professional and p.id != access.participant.id]


def set_contact(access: Access, data: ContactInput) -> PlanContact:
    """The casusregisseur sets the emergency number and the buddy: a new version of the card."""
    if access.viewer.role is not Role.CASUSREGISSEUR:
        raise NotAllowed("only the casusregisseur")
    plan = plan_of(access)
    current = current_contact(access, plan.id)
    if data.version is None or data.version != (current.version if current else 0):
        raise StaleRow(current)
    name = " ".join((data.emergency_name or "").split())
    if len(name) > 200:
        raise Invalid(_("Gebruik hooguit 200 tekens."), "emergency_name")
    phone = _phone(data.emergency_phone, "emergency_phone")
    if name and not phone:
        raise Invalid(_("Schrijf het telefoonnummer erbij."), "emergency_phone")
    buddy = None
    if data.buddy_participant_id:
        buddy = next((p for p in buddy_choices(access) if p.id == data.buddy_participant_id), None)
        if buddy is None:  # another family's participant, or one the chair may not see
            raise Invalid(_("Kies een maatje uit de lijst."), "buddy")
    buddy_name = "" if buddy else " ".join((data.buddy_name or "").split())
    if len(buddy_name) > 200:
        raise Invalid(_("Gebruik hooguit 200 tekens."), "buddy_name")
    buddy_phone = "" if buddy else _phone(data.buddy_phone, "buddy_phone")
    row = PlanContact(
        plan_id=plan.id, version=(current.version if current else 0) + 1,
        emergency_name=name, emergency_phone=phone, buddy=buddy,
        buddy_name=buddy_name, buddy_phone=buddy_phone, set_at=access.now, set_by_id=access.user.id,
    )
    access.session.add(row)
    access.queue(access.event("update", target_kind="plan", target_id=plan.id,
                              params={"fields": ["contact"]}))
    try:
        access.session.commit()
    except IntegrityError:  # another save of the same version got there first
        access.session.rollback()
        raise StaleRow(current_contact(access, plan.id)) from None
    return row


# --- the plan agreed ------------------------------------------------------------------------
def plan_revision(access: Access) -> int:
    """The plan's change stamp now: the newest revision of its content (goals, sections),
    kept with an agreement (a plan version, when evaluations freeze them, is a set of
    revisions). One query."""
    return access.session.scalar(
        select(func.max(Revision.id)).join(Record, Record.id == Revision.record_id)
        .where(Record.family_id == access.family_id, Record.kind.in_(PLAN_CONTENT_KINDS))
    ) or 0


def content_changed_at(access: Access):
    """When the plan's content that this viewer may see last changed (None: there is none):
    a change they cannot see must not tell them that something changed. One query."""
    return access.session.scalar(
        access.select_visible(Record).with_only_columns(func.max(Record.updated_at))
        .where(Record.family_id == access.family_id, Record.kind.in_(PLAN_CONTENT_KINDS))
    )


def my_agreement(access: Access, plan_id: int) -> PlanAgreement | None:
    return access.session.scalar(
        select(PlanAgreement).where(PlanAgreement.plan_id == plan_id,
                                    PlanAgreement.participant_id == access.participant.id)
        .order_by(PlanAgreement.version.desc()).limit(1)
    )


def set_plan_agreement(access: Access, agrees: bool, reason: str, version: int | None) -> PlanAgreement:
    """Akkoord or niet akkoord with the plan as a whole; a second answer replaces the first
    (both are kept). `version`: the number of the viewer's answer the form was loaded with."""
    plan = plan_of(access)
    current = my_agreement(access, plan.id)
    if version is None or version != (current.version if current else 0):
        raise StaleRow(current)
    reason = (reason or "").strip()
    if not agrees and not reason:
        raise Invalid(_("Schrijf op waarom je het niet eens bent met het plan."), "reason")
    if len(reason) > 2000:
        raise Invalid(_("Gebruik hooguit 2000 tekens."), "reason")
    row = PlanAgreement(
        plan_id=plan.id, participant_id=access.participant.id,
        version=(current.version if current else 0) + 1, agrees=agrees,
        reason="" if agrees else reason, at=access.now, plan_revision=plan_revision(access),
        by_id=access.user.id,
    )
    access.session.add(row)
    access.queue(access.event("agree", target_kind="plan", target_id=plan.id,
                              params={"agrees": agrees}))
    try:
        access.session.commit()
    except IntegrityError:
        access.session.rollback()
        raise StaleRow(my_agreement(access, plan.id)) from None
    return row


