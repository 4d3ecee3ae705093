"""What the evaluation screens show, as the viewer may see it: evaluations through the door,
invitees' names as the viewer may know them (`web.participant_name`), when in local time."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import format_date, gettext
from sqlalchemy import select

from samenplan.domain.vocabulary import EvaluationReply, EvaluationStatus
from samenplan.evaluations import services
from samenplan.evaluations.models import Evaluation, EvaluationAnswer
from samenplan.goals.reading import MergeRow, form_merge_rows
from samenplan.privacy import policy
from samenplan.privacy.access import Access
from samenplan.web import participant_name


def when(moment: datetime) -> str:
    """"dinsdag 8 december, 10:00" in Europe/Amsterdam."""
    local = services.to_local(moment)
    return f"{format_date(local.date(), 'EEEE d MMMM')}, {local.strftime('%H:%M')}"


@dataclass
class Invitee:
    name: str
    reply: str  # the answer in words, or "" when none yet


@dataclass
class EvaluationView:
    evaluation: Evaluation
    when: str
    status: str
    upcoming: bool
    invited: bool
    my_reply: EvaluationReply | None
    may_edit: bool
    invitees: list[Invitee] = field(default_factory=list)


def _answers(access: Access, ids: list[int]) -> dict[tuple[int, int], EvaluationAnswer]:
    if not ids:
        return {}
    rows = access.session.scalars(select(EvaluationAnswer).where(
        EvaluationAnswer.evaluation_id.in_(ids)))
    return {(a.evaluation_id, a.participant_id): a for a in rows}


def views(access: Access, evaluations: list[Evaluation],
          answers: dict | None = None) -> list[EvaluationView]:
    """`answers`: (evaluation id, participant id) -> answer, when already loaded (the home
    page loads them for every family at once)."""
    if answers is None:
        answers = _answers(access, [e.id for e in evaluations])
    by_id = {p.id: p for p in access.participants}
    result = []
    for e in evaluations:
        invitees = []
        for pid in e.invitee_ids or []:
            participant = by_id.get(pid)
            if participant is None:
                continue
            reply = answers.get((e.id, pid))
            invitees.append(Invitee(participant_name(access, participant),
                                    gettext(reply.reply.label) if reply else ""))
        mine = answers.get((e.id, access.participant.id))
        result.append(EvaluationView(
            e, when(e.starts_at), gettext(e.status.label),
            upcoming=e.status == EvaluationStatus.PLANNED and e.starts_at >= access.now,
            invited=access.participant.id in (e.invitee_ids or []),
            my_reply=mine.reply if mine else None,
            may_edit=access.can_edit(e, policy.EVALUATION).allowed, invitees=invitees))
    return result


def visible(access: Access) -> list[Evaluation]:
    return access.load_visible(access.select_visible(Evaluation).order_by(Evaluation.starts_at))


def next_one(evaluations: list[Evaluation], now: datetime) -> Evaluation | None:
    return next((e for e in evaluations
                 if e.status == EvaluationStatus.PLANNED and e.starts_at >= now), None)


def merge_rows(evaluation: Evaluation, form) -> list[MergeRow]:
    local = services.to_local(evaluation.starts_at)
    return form_merge_rows(form, {
        "day": local.date(), "at": local.time().replace(tzinfo=None), "place": evaluation.place,
        "video_url": evaluation.video_url, "note": evaluation.note,
        "invitees": list(evaluation.invitee_ids or [])})


@dataclass
class PlanLine:
    """The plan page's line about the next evaluation (loaded with the plan: no query of its
    own)."""

    evaluation: Evaluation | None
    when: str
    may_plan: bool


def next_evaluation_id(access: Access):
    """The id of the next planned evaluation the viewer may see, as a scalar subquery for the
    plan page's first query (privacy through the SQL twin, as every list)."""
    return (access.select_visible(Evaluation)
            .where(Evaluation.status == EvaluationStatus.PLANNED,
                   Evaluation.starts_at >= access.now)
            .order_by(Evaluation.starts_at).limit(1)
            .with_only_columns(Evaluation.id).correlate(None).scalar_subquery())


def next_evaluation(access: Access) -> Evaluation | None:
    """The next planned evaluation the viewer may see (one query; for pages other than the
    plan, which loads it with the plan)."""
    found = access.load_visible(
        access.select_visible(Evaluation)
        .where(Evaluation.status == EvaluationStatus.PLANNED, Evaluation.starts_at >= access.now)
        .order_by(Evaluation.starts_at).limit(1))
    return found[0] if found else None


def plan_line(access: Access, evaluation: Evaluation | None) -> PlanLine:
    """The line for `evaluation` (the plan page's next one, loaded with the plan and
    admitted through the door)."""
    return PlanLine(evaluation, when(evaluation.starts_at) if evaluation else "",
                    services.may_plan(access))
