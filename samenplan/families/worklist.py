"""The home page's reading (issue 12 item 8): per family the viewer's upcoming evaluations,
and for the families they chair the casusregisseur's worklist: the next evaluation (or its
absence), overdue actions, open escalations, consents still missing, gaps of 3+ between
family and professionals, goals without a score for over three months, goals at the same
level for two evaluations.

A fixed number of queries per chunk of families (`CHUNK`, 200): the door's facts of the
chunk's families at once (`accesses_for`), then one statement for the records of all of them,
each family's part narrowed in SQL to what the viewer may see there (`select_visible_across`),
every row admitted by its family's Access with the pure policy. Chunks keep every statement
under the database's limit of bound parameters (SQLite: ~50 per family in the records'
statement), so a casusregisseur of any number of families gets a home page. The worklist shows counts, never a
record's content, so it logs no views (the pages it links to do); a count includes only
records the viewer may see."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import with_polymorphic

from samenplan.aftercare.reading import worries_across
from samenplan.auth.models import User
from samenplan.domain import scaling as scaling_rules
from samenplan.domain import worklist as rules
from samenplan.domain.ages import local_day
from samenplan.domain.vocabulary import (
    EscalationStatus, EvaluationStatus, GoalStatus, Role, ScalingQuestion,
)
from samenplan.escalations.models import Escalation
from samenplan.evaluations import reading as evaluation_reading
from samenplan.evaluations.models import Evaluation, EvaluationAnswer
from samenplan.families.models import Participant
from samenplan.goals.models import Action, GasScore, Goal, ScalingAnswer
from samenplan.privacy import policy
from samenplan.privacy.access import Access, accesses_for, select_visible_across
from samenplan.privacy.models import Record


@dataclass
class Worklist:
    """What needs the casusregisseur's attention in one family (counts of what they may see)."""

    next_evaluation: Evaluation | None = None
    next_when: str = ""
    overdue_actions: int = 0
    open_escalations: list[Escalation] = field(default_factory=list)
    missing_consents: int = 0
    gaps: int = 0  # goals where family and a professional differ by 3 or more
    unscored: int = 0  # goals without a score for over three months
    stuck: int = 0  # goals at the same level at their last two scores
    # professionals the chair may see whose end date has passed (Amsterdam day) without a
    # reason: their part is not closed (issue 13 item 1)
    unclosed: list = field(default_factory=list)
    aftercare_worries: int = 0  # people whose latest nazorg answer is worrying (aftercare/)
    look_again: bool = False  # the help is paused and its day to look again has come (closure)
    # professionals let go by their organisation with their part not closed (team/services.py)
    left: list = field(default_factory=list)
    handover: object | None = None  # the open handover of the casusregisseur (handover/)
    handover_overdue: bool = False  # ... whose day of the switch has passed

    @property
    def all_well(self) -> bool:
        return self.next_evaluation is not None and not any((
            self.overdue_actions, self.open_escalations, self.missing_consents, self.gaps,
            self.unscored, self.stuck, self.unclosed, self.aftercare_worries, self.look_again,
            self.left, self.handover_overdue))


@dataclass
class Home:
    upcoming: dict[int, list] = field(default_factory=dict)  # family -> EvaluationView list
    worklists: dict[int, Worklist] = field(default_factory=dict)  # the families chaired

    @property
    def without_next_evaluation(self) -> set[int]:
        return {fid for fid, w in self.worklists.items() if w.next_evaluation is None}


#: families read per statement: 200 x ~50 bound parameters stays well under SQLite's 32,766
CHUNK = 200


def home(session, user: User, participations: list[Participant], now) -> Home:
    """The home page's reading, `CHUNK` families at a time (a bounded number of statements
    for each chunk, none of them too large for the database)."""
    result = Home()
    ordered = sorted(participations, key=lambda p: p.family_id)
    for start in range(0, len(ordered), CHUNK):
        part = _home(session, user, ordered[start:start + CHUNK], now)
        result.upcoming.update(part.upcoming)
        result.worklists.update(part.worklists)
    return result


def _home(session, user: User, participations: list[Participant], now) -> Home:
    accesses = accesses_for(session, user, participations, now)
    if not accesses:
        return Home()
    chaired = [fid for fid, a in accesses.items() if a.viewer.role is Role.CASUSREGISSEUR]
    today = local_day(now)
    records = _load(session, accesses, chaired, now, today)
    by_family: dict[int, list[Record]] = defaultdict(list)
    for record in records:
        by_family[record.family_id].append(record)
    admitted = {fid: accesses[fid].admit(by_family[fid], log_views=False) for fid in accesses}
    evaluations = {fid: [r for r in rs if isinstance(r, Evaluation)] for fid, rs in admitted.items()}
    answers = _answers(session, [e.id for es in evaluations.values() for e in es])
    result = Home()
    for fid, access in accesses.items():
        mine = [e for e in evaluations[fid] if access.participant.id in (e.invitee_ids or [])]
        result.upcoming[fid] = evaluation_reading.views(access, mine, answers=answers)
    from samenplan.closure.services import look_again_due

    from samenplan.team.services import left_unclosed, left_unclosed_query

    due = look_again_due(session, chaired)
    left = list(session.scalars(left_unclosed_query(chaired)).unique()) if chaired else []
    for fid in chaired:
        w = result.worklists[fid] = _worklist(accesses[fid], admitted[fid], evaluations[fid], today)
        w.look_again = fid in due
        w.left = left_unclosed(accesses[fid], left)
        w.handover = accesses[fid].handover
        w.handover_overdue = w.handover is not None and w.handover.switch_on < today
    for fid, count in worries_across(session, accesses, chaired).items():
        result.worklists[fid].aftercare_worries = count
    return result


def _load(session, accesses: dict[int, Access], chaired: list[int], now, today: date) -> list[Record]:
    """One statement: the upcoming planned evaluations of every family; of the families
    chaired also the active goals, their scores and "voortgang" answers, the overdue actions
    and the open escalations; each family's part as its viewer may see it."""
    kinds = with_polymorphic(Record, [Goal, Action, GasScore, ScalingAnswer, Escalation,
                                      Evaluation])
    upcoming = and_(kinds.Evaluation.status == EvaluationStatus.PLANNED,
                    kinds.Evaluation.starts_at >= now)
    wanted = [upcoming]
    if chaired:
        wanted.append(and_(Record.family_id.in_(chaired), or_(
            and_(kinds.Goal.parent_id.is_(None), kinds.Goal.status == GoalStatus.ACTIVE),
            kinds.GasScore.id.is_not(None),
            kinds.ScalingAnswer.question == ScalingQuestion.PROGRESS,
            and_(kinds.Action.done_at.is_(None), kinds.Action.ended_how.is_(None),
                 kinds.Action.due_date < today),
            kinds.Escalation.status == EscalationStatus.OPEN,
        )))
    stmt = select_visible_across(accesses.values(), kinds).where(or_(*wanted)).order_by(Record.id)
    return list(session.scalars(stmt).unique())


def _answers(session, evaluation_ids: list[int]) -> dict:
    if not evaluation_ids:
        return {}
    return {(a.evaluation_id, a.participant_id): a for a in session.scalars(
        select(EvaluationAnswer).where(EvaluationAnswer.evaluation_id.in_(evaluation_ids)))}


def _worklist(access: Access, records: list[Record], evaluations: list[Evaluation],
              today: date) -> Worklist:
    goals = [r for r in records if isinstance(r, Goal)]
    scores: dict[int, list[GasScore]] = defaultdict(list)
    for score in sorted((r for r in records if isinstance(r, GasScore)),
                        key=lambda s: (s.scored_on, s.id)):
        scores[score.goal_id].append(score)
    latest: dict[int, dict[int, tuple[str, int]]] = defaultdict(dict)
    roles = {p.id: p.role for p in access.participants}
    for answer in sorted((r for r in records if isinstance(r, ScalingAnswer)),
                         key=lambda a: (a.answered_on, a.id)):
        if answer.author_participant_id in roles:
            latest[answer.goal_id][answer.author_participant_id] = (
                roles[answer.author_participant_id], answer.score)
    following = min(evaluations, key=lambda e: e.starts_at, default=None)
    worklist = Worklist(
        next_evaluation=following,
        next_when=evaluation_reading.when(following.starts_at) if following else "",
        overdue_actions=sum(1 for r in records if isinstance(r, Action)),
        open_escalations=[r for r in records if isinstance(r, Escalation)],
        missing_consents=_missing_consents(access),
        unclosed=_unclosed(access, today),
    )
    for goal in goals:
        levels = [s.level for s in scores.get(goal.id, [])]
        last = scores[goal.id][-1].scored_on if scores.get(goal.id) else None
        since = goal.start_date or goal.created_at.date()
        worklist.unscored += rules.unscored_too_long(last, since, today)
        worklist.stuck += rules.same_level_twice(levels)
        worklist.gaps += bool(scaling_rules.gaps(latest.get(goal.id, {})))
    return worklist


def _unclosed(access: Access, today: date) -> list[Participant]:
    """The professionals (not the chair) the chair may know take part whose end date has passed
    without a reason why their part ended. No query: the participants are loaded in the batch."""
    return [p for p in access.participants
            if p.role is Role.PROFESSIONAL and p.involvement is not None
            and p.involvement.ended(today) and p.involvement.end_reason is None
            and access.sees_participant(p)]


def _missing_consents(access: Access) -> int:
    """Consents (grants) still waiting for a required consenter, that the viewer may see."""
    persons = access.facts.persons
    return sum(
        1 for grant in access.facts.grants
        if grant.subject_id in persons
        and policy.grant_status(grant, persons[grant.subject_id], access.now).state == policy.WACHT
        and policy.can_see_consent(access.viewer, grant, access.facts, access.now).allowed
    )
