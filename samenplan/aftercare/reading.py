"""What the Nazorg page shows, as the viewer may see it: the check-in moments (days only) and
the answers through the door; which moments the viewer may answer now; and, for the
casusregisseur's worklist, how many people's latest answer is worrying (counts only, no
content: no views logged)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from samenplan.aftercare import services
from samenplan.aftercare.models import AftercareAnswer, AftercareMoment
from samenplan.domain import aftercare as rules
from samenplan.domain.ages import local_day
from samenplan.privacy.access import Access, select_visible_across
from samenplan.web import participant_name


@dataclass
class AnswerView:
    answer: AftercareAnswer
    name: str
    recorded_by: str  # "" when the person answered themself
    worrying: bool


@dataclass
class MomentView:
    moment: AftercareMoment
    answers: list[AnswerView] = field(default_factory=list)
    may_answer: bool = False  # the viewer may answer (for themself or after a call) now


@dataclass
class Page:
    closed_on: date | None
    moments: list[MomentView]
    may_plan: bool
    suggested: list[date]


def visible_answers(access: Access) -> list[AftercareAnswer]:
    return access.load_visible(access.select_visible(AftercareAnswer).order_by(AftercareAnswer.id))


def _baselines(answers, moments_by_id) -> dict[int, int]:
    result: dict[int, int] = {}
    for a in answers:
        moment = moments_by_id.get(a.moment_id)
        if moment is not None and moment.at_closure and a.person_id not in result:
            result[a.person_id] = a.score
    return result


def is_worrying(answer: AftercareAnswer, moment: AftercareMoment | None, baselines) -> bool:
    at_closure = None if moment is None or moment.at_closure else baselines.get(answer.person_id)
    return rules.worrying(answer.score, at_closure, answer.wants_contact)


def page(access: Access) -> Page:
    closed = services.closed_on(access)
    found = services.moments(access)
    answers = visible_answers(access)
    by_id = {m.id: m for m in found}
    baselines = _baselines(answers, by_id)
    persons = {p.id: p for p in access.persons}
    participants = {p.id: p for p in access.participants}
    today = local_day(access.now)
    own = services.own_person(access)
    chair = services.is_chair(access)
    views = []
    for moment in found:
        view = MomentView(moment)
        for a in (a for a in answers if a.moment_id == moment.id):
            author = participants.get(a.author_participant_id)
            view.answers.append(AnswerView(
                a, persons[a.person_id].first_name if a.person_id in persons else "",
                participant_name(access, author) if a.by_call and author is not None else "",
                is_worrying(a, moment, baselines)))
        answered_by_me = own is not None and any(a.answer.person_id == own.id for a in view.answers)
        view.may_answer = closed is not None and moment.day <= today and (
            chair or (own is not None and not answered_by_me))
        views.append(view)
    suggested = []
    if closed is not None:
        planned = {m.day for m in found}
        suggested = [d for d in rules.default_days(closed) if d not in planned]
    return Page(closed, views, chair and closed is not None, suggested)


def open_for_me(access: Access) -> list[AftercareMoment]:
    """The check-ins the viewer (a family member of 12+) may answer now and has not: for the
    small notice on the plan page."""
    own = services.own_person(access)
    if own is None or services.closed_on(access) is None:
        return []
    today = local_day(access.now)
    from sqlalchemy import select

    done = set(access.session.scalars(select(AftercareAnswer.moment_id).where(
        AftercareAnswer.person_id == own.id, AftercareAnswer.family_id == access.family_id)))
    return [m for m in services.moments(access) if m.day <= today and m.id not in done]


def worries_across(session, accesses: dict[int, Access], family_ids: list[int]) -> dict[int, int]:
    """Per family (of `family_ids`, those the viewer chairs): how many people's latest nazorg
    answer that the viewer may see is worrying. Two statements whatever the number of families."""
    from sqlalchemy import select

    if not family_ids:
        return {}
    wanted = [accesses[f] for f in family_ids]
    answers = list(session.scalars(select_visible_across(wanted, AftercareAnswer)
                                   .where(AftercareAnswer.family_id.in_(family_ids))
                                   .order_by(AftercareAnswer.id)).unique())
    if not answers:
        return {}
    moments = {m.id: m for m in session.scalars(
        select(AftercareMoment).where(AftercareMoment.id.in_({a.moment_id for a in answers})))}
    by_family: dict[int, list[AftercareAnswer]] = defaultdict(list)
    for a in answers:
        by_family[a.family_id].append(a)
    result = {}
    for fid, mine in by_family.items():
        admitted = accesses[fid].admit(mine, log_views=False)
        baselines = _baselines(admitted, moments)
        latest: dict[int, AftercareAnswer] = {}
        for a in admitted:
            latest[a.person_id] = a
        count = sum(is_worrying(a, moments.get(a.moment_id), baselines) for a in latest.values())
        if count:
            result[fid] = count
    return result
