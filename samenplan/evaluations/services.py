"""Evaluation moments: the casusregisseur plans, changes and cancels them (with a reason);
each invitee says whether they come. Each function checks the viewer's right through the door
(Access), logs, and commits once."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone

from sqlalchemy import select

from samenplan.domain.ages import LOCAL_ZONE
from samenplan.domain.i18n import _
from samenplan.domain.vocabulary import Category, EvaluationReply, EvaluationStatus
from samenplan.evaluations.models import Evaluation, EvaluationAnswer
from samenplan.privacy import policy
from samenplan.privacy.access import Access
from samenplan.records.history import check_version, saving


class Invalid(Exception):
    """Input that cannot be saved; `field` is the form field it is about."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class NotAllowed(Exception):
    """The viewer may not do this. Views answer 404, so nothing leaks."""


def may_plan(access: Access) -> bool:
    return access.may_create(policy.EVALUATION)


def to_utc(day: date, at: time) -> datetime:
    """A local date and time (Europe/Amsterdam) as the naive UTC stored everywhere."""
    local = datetime.combine(day, at).replace(tzinfo=LOCAL_ZONE)
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def to_local(moment: datetime) -> datetime:
    return moment.replace(tzinfo=timezone.utc).astimezone(LOCAL_ZONE)


@dataclass
class EvaluationInput:
    day: date | None
    at: time | None
    place: str = ""
    video_url: str = ""
    note: str = ""
    invitee_ids: list[int] = field(default_factory=list)
    version: int | None = None


def _check(access: Access, data: EvaluationInput) -> tuple[datetime, list[int]]:
    if data.day is None:
        raise Invalid("day", _("Kies een datum."))
    if data.at is None:
        raise Invalid("at", _("Kies een tijd."))
    url = data.video_url.strip()
    if url and (not url.lower().startswith("https://") or len(url) < 12 or " " in url):
        raise Invalid("video_url", _("Een videolink begint met https://"))
    if not data.place.strip() and not url:
        raise Invalid("place", _("Vul een plek of een videolink in."))
    family_ids = {p.id for p in access.participants}
    wanted = list(dict.fromkeys(int(i) for i in data.invitee_ids))
    if any(i not in family_ids for i in wanted):
        raise Invalid("invitees", _("Nodig alleen mensen uit dit gezinsplan uit."))
    if not wanted:
        raise Invalid("invitees", _("Nodig minstens één persoon uit."))
    if not subjects_for(access, wanted):
        raise Invalid("invitees", _("Deze mensen mogen samen niets over dit gezin zien. Nodig minder mensen uit, of vraag eerst toestemming."))
    return to_utc(data.day, data.at), wanted


def subjects_for(access: Access, invitee_ids: list[int]) -> list:
    """The family's persons an evaluation is about, so that every invitee may read it: each
    person whose general information every invitee may read (an evaluation with someone
    present says something about whom it concerns; DESIGN §3). Empty when there is none."""
    from samenplan.privacy.facts import RecordFacts

    wanted = set(invitee_ids)

    def all_read(subject_ids) -> bool:
        draft = RecordFacts(id=0, category=Category.ALGEMEEN, subject_ids=frozenset(subject_ids),
                            author_participant_id=access.participant.id)
        return wanted <= {p.id for p in access.readers_of(draft)}

    chosen = [p for p in access.persons if all_read([p.id])]
    while chosen and not all_read([p.id for p in chosen]):
        chosen.pop()
    return chosen


def _apply(evaluation: Evaluation, data: EvaluationInput, starts_at: datetime,
           invitees: list[int]) -> None:
    evaluation.starts_at = starts_at
    evaluation.place = data.place.strip()
    evaluation.video_url = data.video_url.strip()
    evaluation.note = data.note.strip()
    evaluation.invitee_ids = invitees


def plan(access: Access, data: EvaluationInput,
         status: EvaluationStatus = EvaluationStatus.PLANNED) -> Evaluation:
    """Plan a new evaluation moment (the casusregisseur only)."""
    if not may_plan(access):
        raise NotAllowed("role may not plan evaluations")
    starts_at, invitees = _check(access, data)
    evaluation = Evaluation(
        family_id=access.family_id, category=Category.ALGEMEEN,
        subjects=subjects_for(access, invitees),
        status=status, author_participant_id=access.participant.id,
        created_by_id=access.user.id, updated_by_id=access.user.id,
        created_at=access.now, updated_at=access.now,
    )
    _apply(evaluation, data, starts_at, invitees)
    access.session.add(evaluation)
    access.session.flush()
    access.queue(access.event("create", evaluation, policy.AUTHOR))
    access.session.commit()
    return evaluation


def _require_edit(access: Access, evaluation: Evaluation) -> policy.Decision:
    decision = access.can_edit(evaluation, policy.EVALUATION)
    if not decision.allowed:
        raise NotAllowed(decision.ground)
    return decision


def update(access: Access, evaluation: Evaluation, data: EvaluationInput) -> Evaluation:
    """Change an evaluation from the version the viewer saw (an older one: Stale)."""
    decision = _require_edit(access, evaluation)
    if evaluation.status not in (EvaluationStatus.PLANNED, EvaluationStatus.IN_PROGRESS):
        raise NotAllowed("a held or cancelled evaluation is not changed")
    starts_at, invitees = _check(access, data)
    check_version(evaluation, data.version)
    subjects = subjects_for(access, invitees)
    access.refuse_widening(evaluation, [p.id for p in subjects], Category.ALGEMEEN)
    with saving(access.session, evaluation):
        _apply(evaluation, data, starts_at, invitees)
        evaluation.subjects = subjects
        evaluation.updated_by_id, evaluation.updated_at = access.user.id, access.now
        access.session.flush()
        access.queue(access.event("update", evaluation, decision))
        access.session.commit()
    return evaluation


def cancel(access: Access, evaluation: Evaluation, reason: str, version: int | None) -> Evaluation:
    """Cancel a planned evaluation; a reason is needed."""
    decision = _require_edit(access, evaluation)
    if evaluation.status != EvaluationStatus.PLANNED:
        raise NotAllowed("only a planned evaluation is cancelled")
    if not reason.strip():
        raise Invalid("reason", _("Schrijf op waarom de evaluatie niet doorgaat."))
    check_version(evaluation, version)
    with saving(access.session, evaluation):
        evaluation.status = EvaluationStatus.CANCELLED
        evaluation.cancel_reason = reason.strip()
        evaluation.updated_by_id, evaluation.updated_at = access.user.id, access.now
        access.session.flush()
        access.queue(access.event("update", evaluation, decision))
        access.session.commit()
    return evaluation


def answer(access: Access, evaluation: Evaluation, reply: object) -> EvaluationAnswer:
    """The viewer's own answer to an evaluation they are invited to (the latest counts)."""
    if access.participant.id not in (evaluation.invitee_ids or []):
        raise NotAllowed("not invited")
    if evaluation.status != EvaluationStatus.PLANNED:
        raise Invalid("reply", _("Deze evaluatie gaat niet door."))
    parsed = EvaluationReply.parse(reply)
    if parsed is None:
        raise Invalid("reply", _("Kies een antwoord."))
    row = access.session.scalar(select(EvaluationAnswer).where(
        EvaluationAnswer.evaluation_id == evaluation.id,
        EvaluationAnswer.participant_id == access.participant.id))
    if row is None:
        row = EvaluationAnswer(evaluation_id=evaluation.id, participant_id=access.participant.id)
        access.session.add(row)
    row.reply, row.at = parsed, access.now
    access.session.flush()
    access.queue(access.event("answer", evaluation, access.decide(evaluation)))
    access.session.commit()
    return row
