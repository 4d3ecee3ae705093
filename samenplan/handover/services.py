"""The warm handover of the casusregisseur (issue 13 item 5): one transaction per step, owned
here. The steps: `start` (the chair names a successor and the day of the switch; the overlap
begins: both have chair rights), `record_meeting` (the family met the successor), `switch`
(the successor becomes the casusregisseur), or `cancel` (the chair stays). `chair_left` is
what happens to an open handover when one of the two leaves their organisation.

Who: the casusregisseur names a successor; during the overlap either of the two records the
meeting, switches or cancels (both chair). At every moment the plan has exactly one
casusregisseur (the database's unique index on the active casusregisseur of a family); the
overlap is chair *rights*, not a second casusregisseur (privacy/access.py `co_chair`).

Who can succeed: a professional of the plan whose taking part every participant may already
know, or a colleague of the chair's organisation (in the plan or not: one who may take on
families there): naming them tells nobody anything new about the family (DESIGN.md §3).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from samenplan.auth.models import User
from samenplan.domain.ages import local_day
from samenplan.domain.i18n import _
from samenplan.domain.vocabulary import InvolvementEndReason
from samenplan.families.models import Participant
from samenplan.handover.models import Handover
from samenplan.notices.services import notify
from samenplan.orgs.models import OrganisationMember
from samenplan.privacy import audit, loader, policy
from samenplan.privacy.access import Access
from samenplan.privacy.facts import Category, Role
from samenplan.privacy.models import Involvement
from samenplan.records.history import check_version, saving

#: the switch is planned at most this far ahead
LONGEST_OVERLAP = timedelta(days=183)


class NotAllowed(Exception):
    """Not one of the two chairs (the views answer 404)."""


class Invalid(Exception):
    """The input does not do (the form shows `message` at `field`)."""

    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field, self.message = field, message


class Refused(Exception):
    """The step cannot be taken now (the screen says why; nothing typed is lost)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


# --- who ------------------------------------------------------------------------------------
def is_casusregisseur(access: Access) -> bool:
    """The casusregisseur themself (not the successor during the overlap)."""
    return access.participant.role is Role.CASUSREGISSEUR


def may_chair(access: Access) -> bool:
    """One of the two who chair: the casusregisseur, or the successor during the overlap."""
    return access.viewer.role is Role.CASUSREGISSEUR


def chair_of(access: Access) -> Participant | None:
    return next((p for p in access.participants if p.role is Role.CASUSREGISSEUR), None)


@dataclass(frozen=True)
class Candidate:
    key: str  # "deelnemer-<participant id>" or "collega-<user id>"
    name: str
    organisation: str
    in_plan: bool


def _open_to_all(access: Access, participant: Participant) -> bool:
    """Every active participant may already know that `participant` takes part."""
    facts = access.participation_facts(participant)
    return all(
        policy.can_see_participation(loader.viewer_facts(other), facts, access.facts,
                                     access.now).allowed
        for other in access.participants)


def candidates(access: Access) -> list[Candidate]:
    """Whom the casusregisseur can name as successor (see the module's text)."""
    me = access.participant
    found: list[Candidate] = []
    in_plan_users = {p.user_id for p in access.participants}
    for p in access.participants:
        if p.role is not Role.PROFESSIONAL or p.id == me.id or not p.user.active:
            continue
        if p.organisation_id == me.organisation_id or _open_to_all(access, p):
            found.append(Candidate(f"deelnemer-{p.id}", p.display_name,
                                   p.organisation.name if p.organisation else "", True))
    colleagues = access.session.scalars(
        select(OrganisationMember).join(User, User.id == OrganisationMember.user_id)
        .where(OrganisationMember.organisation_id == me.organisation_id,
               OrganisationMember.active, OrganisationMember.may_start_families, User.active)
        .order_by(User.name))
    for member in colleagues:
        if member.user_id in in_plan_users:
            continue
        found.append(Candidate(f"collega-{member.user_id}", member.user.name,
                               me.organisation.name if me.organisation else "", False))
    return sorted(found, key=lambda c: (not c.in_plan, c.name))


# --- naming a successor -----------------------------------------------------------------------
@dataclass(frozen=True)
class StartInput:
    successor: str
    switch_on: date | None
    reason: str


def _words(value: str | None, limit: int = 2000) -> str:
    return (value or "").strip()[:limit]


def start(access: Access, data: StartInput) -> Handover:
    if not is_casusregisseur(access):
        raise NotAllowed("only the casusregisseur hands over")
    if access.handover is not None:
        raise Refused(_("Er is al een overdracht bezig. Rond die eerst af of stop ermee."))
    chosen = next((c for c in candidates(access) if c.key == data.successor), None)
    if chosen is None:  # someone of another family, or one the plan may not know of
        raise Invalid("successor", _("Kies een opvolger uit de lijst."))
    today = local_day(access.now)
    if data.switch_on is None:
        raise Invalid("switch_on", _("Kies de dag van de overdracht."))
    if data.switch_on < today:
        raise Invalid("switch_on", _("Kies vandaag of een dag na vandaag."))
    if data.switch_on > today + LONGEST_OVERLAP:
        raise Invalid("switch_on", _("Kies een dag binnen een half jaar."))
    successor, added = _successor(access, chosen)
    handover = Handover(
        family_id=access.family_id, from_participant_id=access.participant.id,
        successor_participant_id=successor.id, successor_added=added,
        switch_on=data.switch_on, reason=_words(data.reason), created_at=access.now,
        created_by_id=access.user.id, meeting_note="", cancel_reason="",
    )
    access.session.add(handover)
    try:
        access.session.flush()
    except IntegrityError:  # another handover was started at the same moment
        access.session.rollback()
        raise Refused(_("Er is al een overdracht bezig. Rond die eerst af of stop ermee.")) from None
    access.queue(access.event("handover_start", target_kind="handover", target_id=handover.id,
                              params={"successor": successor.id}))
    names = {"chair": access.participant.display_name, "successor": successor.display_name,
             "day": data.switch_on.isoformat()}
    link = f"/gezin/{access.family_id}/overdracht"
    notify(access.session, [successor.user_id], kind="handover_you", params=names, link=link,
           now=access.now, family_id=access.family_id, actor_user_id=access.user.id)
    _tell(access, handover, "handover_named_family", "handover_named_team", names, link)
    access.session.commit()
    return handover


def _successor(access: Access, chosen: Candidate) -> tuple[Participant, bool]:
    """The participant who will succeed: already in the plan, or a colleague who joins it now
    as a professional of the chair's organisation, about the whole family (`algemeen`), as the
    casusregisseur's taking part is. Returns it and whether it joined for this."""
    kind, _sep, number = chosen.key.partition("-")
    if kind == "deelnemer":
        return next(p for p in access.participants if p.id == int(number)), False
    user_id = int(number)
    me = access.participant
    participant = access.session.scalar(select(Participant).where(
        Participant.family_id == access.family_id, Participant.user_id == user_id))
    if participant is None:
        participant = Participant(family_id=access.family_id, user_id=user_id,
                                  role=Role.PROFESSIONAL, created_at=access.now)
        access.session.add(participant)
    # one who took part before comes back, for the chair's organisation
    participant.active, participant.role = True, Role.PROFESSIONAL
    participant.organisation_id = me.organisation_id
    access.session.flush()
    involvement = participant.involvement
    if involvement is None:
        access.session.add(Involvement(
            family_id=access.family_id, participant=participant, subjects=[],
            category=Category.ALGEMEEN.value, author_participant_id=me.id,
            created_by_id=access.user.id, updated_by_id=access.user.id,
        ))
    else:
        with saving(access.session, involvement):
            involvement.subjects, involvement.category = [], Category.ALGEMEEN.value
            involvement.end_date = involvement.end_reason = None
            involvement.updated_by_id, involvement.updated_at = access.user.id, access.now
    access.session.flush()
    access.queue(audit.Event(
        "join", family_id=access.family_id, actor_user_id=access.user.id,
        target_kind="participant", target_id=participant.id,
        params=(("reason", "handover"), ("role", Role.PROFESSIONAL.value)),
    ))
    return participant, True


def _tell(access: Access, handover: Handover, family_kind: str, team_kind: str, params: dict,
          link: str) -> None:
    """The family and the network in plain words, the other professionals in theirs; never
    the two chairs (they are told on their own, or acted)."""
    chairs = {handover.from_participant_id, handover.successor_participant_id}
    others = [p for p in access.participants if p.id not in chairs]
    notify(access.session, [p.user_id for p in others if not p.role.is_professional],
           kind=family_kind, params=params, link=link, now=access.now,
           family_id=access.family_id, actor_user_id=access.user.id)
    notify(access.session, [p.user_id for p in others if p.role.is_professional],
           kind=team_kind, params=params, link=link, now=access.now,
           family_id=access.family_id, actor_user_id=access.user.id)


def _open(access: Access, version: int | None) -> Handover:
    if not may_chair(access):
        raise NotAllowed("only the two chairs")
    handover = access.handover
    if handover is None:
        raise Refused(_("Er is geen overdracht bezig."))
    check_version(handover, version)
    return handover


# --- the meeting ---------------------------------------------------------------------------
@dataclass(frozen=True)
class MeetingInput:
    meeting_on: date | None
    person_ids: list[int]
    note: str
    version: int | None


def record_meeting(access: Access, data: MeetingInput) -> Handover:
    """The family met the successor: when, who of the family was there, and a note."""
    handover = _open(access, data.version)
    today = local_day(access.now)
    if data.meeting_on is None:
        raise Invalid("meeting_on", _("Vul de dag van de kennismaking in."))
    if data.meeting_on > today:
        raise Invalid("meeting_on", _("Leg de kennismaking vast als die is geweest."))
    if data.meeting_on < local_day(handover.created_at):
        raise Invalid("meeting_on", _("Die dag was de overdracht nog niet begonnen. Kies een "
                                      "latere dag."))
    family = {p.id for p in access.persons}
    met = sorted({pid for pid in data.person_ids if pid in family})
    if not met or len(met) != len(set(data.person_ids)):
        raise Invalid("persons", _("Kies wie van het gezin er was."))
    with saving(access.session, handover):
        handover.meeting_on, handover.met_person_ids = data.meeting_on, met
        handover.meeting_note = _words(data.note)
        handover.meeting_recorded_at, handover.meeting_recorded_by_id = access.now, access.user.id
        access.session.flush()
        access.queue(access.event("handover_meeting", target_kind="handover",
                                  target_id=handover.id, params={"persons": met}))
        access.session.commit()
    return handover


# --- the switch ------------------------------------------------------------------------------
@dataclass(frozen=True)
class SwitchInput:
    version: int | None
    old_chair_stops: bool


def switch(access: Access, data: SwitchInput) -> Handover:
    """The successor becomes the casusregisseur; the one before stays on the team as a
    professional, or stops (their part ends today: handed over)."""
    handover = _open(access, data.version)
    if not handover.met:
        raise Refused(_("Leg eerst vast dat het gezin de nieuwe casusregisseur heeft ontmoet."))
    with saving(access.session, handover):
        _make_switch(access.session, handover, access.user.id, access.now,
                     old_chair_stops=data.old_chair_stops)
        access.queue(access.event("handover_switch", target_kind="handover",
                                  target_id=handover.id,
                                  params={"old_chair_stops": data.old_chair_stops}))
        old, new = handover.from_participant, handover.successor
        names = {"chair": old.display_name, "successor": new.display_name}
        link = f"/gezin/{access.family_id}"
        _tell(access, handover, "handover_done_family", "handover_done_team", names, link)
        notify(access.session, [old.user_id, new.user_id], kind="handover_done_team",
               params=names, link=link, now=access.now, family_id=access.family_id,
               actor_user_id=access.user.id)
        access.session.commit()
    return handover


def _make_switch(session, handover: Handover, actor_user_id: int | None, now,
                 old_chair_stops: bool, chair_left: bool = False) -> None:
    """The roles change hands in two flushes: the unique index on a family's active
    casusregisseur never sees two of them."""
    old, new = handover.from_participant, handover.successor
    old.role = Role.PROFESSIONAL
    if (old.function or "").strip().lower() == "casusregisseur":
        old.function = None
    session.flush()
    new.role = Role.CASUSREGISSEUR
    new.function = "casusregisseur"
    handover.switched_at, handover.switched_by_id = now, actor_user_id
    handover.switched_as_chair_left = chair_left
    session.flush()
    involvement = old.involvement
    if old_chair_stops and involvement is not None and old.active:
        with saving(session, involvement):
            involvement.end_date = local_day(now)
            involvement.end_reason = InvolvementEndReason.HANDED_OVER
            involvement.updated_by_id, involvement.updated_at = actor_user_id, now
            session.flush()


# --- cancelling -------------------------------------------------------------------------------
@dataclass(frozen=True)
class CancelInput:
    version: int | None
    reason: str


def cancel(access: Access, data: CancelInput) -> Handover:
    """The handover does not go on: the casusregisseur stays. A colleague who joined only for
    it leaves the plan again. Either of the two may cancel (a successor may decline)."""
    handover = _open(access, data.version)
    reason = _words(data.reason)
    if not reason:
        raise Invalid("reason", _("Schrijf op waarom de overdracht niet doorgaat."))
    with saving(access.session, handover):
        _end(access.session, handover, access.user.id, access.now, reason)
        access.queue(access.event("handover_cancel", target_kind="handover",
                                  target_id=handover.id))
        names = {"chair": handover.from_participant.display_name,
                 "successor": handover.successor.display_name}
        link = f"/gezin/{access.family_id}/overdracht"
        _tell(access, handover, "handover_cancelled_family", "handover_cancelled_team", names, link)
        notify(access.session, [handover.from_participant.user_id, handover.successor.user_id],
               kind="handover_cancelled_team", params=names, link=link, now=access.now,
               family_id=access.family_id, actor_user_id=access.user.id)
        access.session.commit()
    return handover


def _end(session, handover: Handover, actor_user_id: int | None, now, reason: str) -> None:
    handover.cancelled_at, handover.cancelled_by_id = now, actor_user_id
    handover.cancel_reason = reason
    successor = handover.successor
    if handover.successor_added and successor.active and successor.role is Role.PROFESSIONAL:
        successor.active = False
        audit.queue(session, audit.Event(
            "leave", family_id=handover.family_id, actor_user_id=actor_user_id,
            target_kind="participant", target_id=successor.id,
            params=(("reason", "handover_cancelled"), ("role", Role.PROFESSIONAL.value)),
        ))
    session.flush()


# --- one of the two leaves their organisation (orgs/services.py) ---------------------------
def chair_left(session, participation: Participant, actor_user_id: int, now) -> None:
    """`participation` ends because its professional left their organisation, in the caller's
    transaction (before it is made inactive). The chair leaving during an overlap: the
    successor, who already chairs, becomes the casusregisseur (the family keeps one). The
    successor leaving: the handover stops, the chair stays."""
    handover = session.scalar(select(Handover).where(
        Handover.family_id == participation.family_id, Handover.switched_at.is_(None),
        Handover.cancelled_at.is_(None)))
    if handover is None:
        return
    names = {"chair": handover.from_participant.display_name,
             "successor": handover.successor.display_name}
    if handover.from_participant_id == participation.id and handover.successor.active:
        _make_switch(session, handover, actor_user_id, now, old_chair_stops=False, chair_left=True)
        kind, told = "handover_done_team", [handover.successor.user_id]
    elif handover.successor_participant_id == participation.id:
        _end(session, handover, actor_user_id, now, "")
        kind, told = "handover_cancelled_team", [handover.from_participant.user_id]
    else:
        return
    notify(session, told, kind=kind, params=names, link=f"/gezin/{participation.family_id}",
           now=now, family_id=participation.family_id, actor_user_id=actor_user_id)


# --- a family left without a casusregisseur (the organisation's worklist) -------------------------
@dataclass(frozen=True)
class Orphaned:
    """The families whose casusregisseur left `organisation` without a handover: how many, per
    leaver (their functioneel beheerder sees how many, never which: DESIGN.md §1)."""

    former_user_id: int
    former_name: str
    families: int
    since: object  # when the leaver left (their membership's end)


def _orphaned_families(session, organisation_id: int, former_user_id: int | None = None):
    """(family id, former chair's user id) of the families without an active casusregisseur
    whose last casusregisseur was of this organisation."""
    from sqlalchemy import and_, exists
    from sqlalchemy.orm import aliased

    last = aliased(Participant)
    active_chair = aliased(Participant)
    later = aliased(Participant)
    stmt = (
        select(last.family_id, last.user_id)
        .where(last.role == Role.CASUSREGISSEUR, last.active.is_(False),
               last.organisation_id == organisation_id,
               ~exists().where(and_(active_chair.family_id == last.family_id,
                                    active_chair.role == Role.CASUSREGISSEUR, active_chair.active)),
               # the last one who chaired this family (a family chaired by two in turn, both
               # gone, counts once: for the one who left last)
               ~exists().where(and_(later.family_id == last.family_id,
                                    later.role == Role.CASUSREGISSEUR, later.id > last.id)))
    )
    if former_user_id is not None:
        stmt = stmt.where(last.user_id == former_user_id)
    return session.execute(stmt).all()


def orphaned(session, organisation) -> list[Orphaned]:
    rows = _orphaned_families(session, organisation.id)
    by_user: dict[int, int] = {}
    for _family, user_id in rows:
        by_user[user_id] = by_user.get(user_id, 0) + 1
    found = []
    for user_id, count in by_user.items():
        member = session.scalar(select(OrganisationMember).where(
            OrganisationMember.user_id == user_id,
            OrganisationMember.organisation_id == organisation.id))
        found.append(Orphaned(user_id, member.user.name if member else "", count,
                              member.left_at if member else None))
    return sorted(found, key=lambda o: o.former_name)


def appointable(session, organisation) -> list[OrganisationMember]:
    """Who of the organisation can become a family's casusregisseur: active people who may
    take on families."""
    return list(session.scalars(
        select(OrganisationMember).join(User, User.id == OrganisationMember.user_id)
        .where(OrganisationMember.organisation_id == organisation.id, OrganisationMember.active,
               OrganisationMember.may_start_families, User.active)
        .order_by(User.name)))


def appoint(session, actor, organisation, former_user_id: int, member_id: int, now) -> int:
    """The functioneel beheerder makes a colleague the casusregisseur of every family the
    leaver left without one (they can hand each over later, warmly). Each family and its
    team is told who their new vaste hulpverlener is. Returns how many families."""
    member = next((m for m in appointable(session, organisation) if m.id == member_id), None)
    if member is None:
        raise Invalid("member", _("Kies een collega uit de lijst."))
    families = [fid for fid, _user in _orphaned_families(session, organisation.id, former_user_id)]
    if not families:
        raise Refused(_("Deze gezinnen hebben al een casusregisseur."))
    former = session.get(User, former_user_id)
    events = []
    for family_id in families:
        participant = session.scalar(select(Participant).where(
            Participant.family_id == family_id, Participant.user_id == member.user_id))
        if participant is None:
            participant = Participant(family_id=family_id, user_id=member.user_id,
                                      created_at=now)
            session.add(participant)
        participant.active, participant.role = True, Role.CASUSREGISSEUR
        participant.organisation_id, participant.function = organisation.id, "casusregisseur"
        session.flush()
        if participant.involvement is None:
            session.add(Involvement(
                family_id=family_id, participant=participant, subjects=[],
                category=Category.ALGEMEEN.value, author_participant_id=participant.id,
                created_by_id=actor.id, updated_by_id=actor.id))
        else:
            involvement = participant.involvement
            involvement.subjects, involvement.category = [], Category.ALGEMEEN.value
            involvement.end_date = involvement.end_reason = None
            involvement.updated_by_id, involvement.updated_at = actor.id, now
        session.flush()
        events.append(audit.Event(
            "join", family_id=family_id, actor_user_id=actor.id, target_kind="participant",
            target_id=participant.id,
            params=(("reason", "appointed"), ("role", Role.CASUSREGISSEUR.value)),
        ))
        others = session.scalars(select(Participant).where(
            Participant.family_id == family_id, Participant.active,
            Participant.id != participant.id)).all()
        names = {"chair": former.name if former else "", "successor": member.user.name}
        notify(session, [p.user_id for p in others if not p.role.is_professional],
               kind="handover_done_family", params=names, link=f"/gezin/{family_id}", now=now,
               family_id=family_id, actor_user_id=actor.id)
        # the other professionals learn who chairs (everyone may know the casusregisseur)
        notify(session, [p.user_id for p in others if p.role.is_professional],
               kind="handover_done_team", params=names, link=f"/gezin/{family_id}", now=now,
               family_id=family_id, actor_user_id=actor.id)
        notify(session, [member.user_id], kind="appointed_chair", params=names,
               link=f"/gezin/{family_id}", now=now, family_id=family_id, actor_user_id=actor.id)
    events.append(audit.Event(
        "chair_appoint", actor_user_id=actor.id, target_kind="organisation_member",
        target_id=member.id, params=(("families", len(families)), ("former", former_user_id)),
    ))
    audit.append(session, events)
    session.commit()
    return len(families)
