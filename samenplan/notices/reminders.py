"""`flask --app samenplan send-reminders`: actions due tomorrow and overdue, and planned
evaluations of tomorrow (to each invitee who may see it), each once, in the notifications
and by mail.

Safe to run from cron every few minutes, and twice at once: every reminder is first inserted
into `reminder` (UNIQUE on kind, record, user and day) and only then notified, in one
transaction per reminder; a run that finds the row there already (or loses the race to
another run: IntegrityError) skips it. A reminder tells nobody of a record they may not see:
each recipient's own `Access` decides on the action (the privacy policy) at the moment of
sending, so an assignee whose sight of the action was taken away gets nothing.

The notification and the mail carry no details (the due day only; the mail only that there is
news, as every notification mail): what the action is, is read in the app.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from samenplan.domain.ages import local_day
from samenplan.domain.reminders import action_reminder, due_dates_to_look_at, is_tomorrow
from samenplan.domain.vocabulary import EvaluationStatus, ReminderKind, Role
from samenplan.families.models import Participant
from samenplan.goals.models import Action
from samenplan.notices.models import Reminder
from samenplan.notices.services import notify
from samenplan.privacy.access import Access


@dataclass
class Tally:
    sent: int = 0
    already: int = 0

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(self.sent + other.sent, self.already + other.already)


@dataclass(frozen=True)
class UpcomingEvaluation:
    """An evaluation to remind of, as plain data (the evaluation model plugs in here): its id,
    family, day (local), the users to tell (already filtered: those who may see it) and the
    path in the app to link to."""

    evaluation_id: int
    family_id: int
    day: date
    user_ids: tuple[int, ...]
    link: str


def send_reminders(session: Session, now: datetime) -> Tally:
    """Every reminder due at `now` (naive UTC), each once. Commits per reminder."""
    return (remind_actions(session, now)
            + remind_evaluations(session, now, evaluations_tomorrow(session, now))
            + remind_aftercare(session, now))


def _running_families():
    """The families whose help runs: while it is paused (or the plan is closed) nobody is
    reminded of actions or evaluations (issue 13 item 4; samenplan/closure)."""
    from samenplan.domain.vocabulary import PlanPhase
    from samenplan.plans.models import Plan

    return select(Plan.family_id).where(Plan.phase == PlanPhase.RUNNING)


def remind_actions(session: Session, now: datetime) -> Tally:
    today = local_day(now)
    first, last = due_dates_to_look_at(now)
    candidates = [
        (action_id, family_id, due, kind)
        for action_id, family_id, due, done_at in session.execute(
            select(Action.id, Action.family_id, Action.due_date, Action.done_at)
            .where(Action.due_date.between(first, last), Action.done_at.is_(None),
                   Action.ended_how.is_(None), Action.assignee_participant_id.is_not(None),
                   Action.family_id.in_(_running_families()))
            .order_by(Action.id)
        )
        if (kind := action_reminder(due, done_at is not None, today)) is not None
    ]
    session.rollback()  # end the read: each reminder below is a transaction of its own
    tally = Tally()
    for action_id, family_id, due, kind in candidates:
        for user_id, reminder_kind in _recipients(session, action_id, family_id, kind, now):
            tally += _send_once(session, reminder_kind, action_id, user_id, due, now,
                                family_id=family_id,
                                params={"due": due.isoformat()},
                                link=f"/gezin/{family_id}#actie-{action_id}")
        session.rollback()
    return tally


def _recipients(session: Session, action_id: int, family_id: int, kind: ReminderKind,
                now: datetime) -> list[tuple[int, ReminderKind]]:
    """Who is reminded of this action, each only if their own access lets them see it: the
    assignee (due tomorrow and overdue), and for an overdue action the casusregisseur too."""
    action = session.get(Action, action_id)
    if action is None or action.done:
        return []
    people: list[tuple[Participant, ReminderKind]] = []
    assignee = action.assignee
    if assignee is not None and assignee.active:
        people.append((assignee, kind))
    if kind is ReminderKind.ACTION_OVERDUE:
        chair = session.scalar(select(Participant).where(
            Participant.family_id == family_id, Participant.role == Role.CASUSREGISSEUR,
            Participant.active))
        if chair is not None and (assignee is None or chair.user_id != assignee.user_id):
            people.append((chair, ReminderKind.ACTION_OVERDUE_CHAIR))
    told = []
    for participant, reminder_kind in people:
        user = participant.user
        if not user.active:
            continue
        access = Access(session=session, user=user, participant=participant, now=now)
        if access.decide(action).allowed:
            told.append((user.id, reminder_kind))
    return told


def evaluations_tomorrow(session: Session, now: datetime) -> list[UpcomingEvaluation]:
    """The planned (not cancelled, not held) evaluations of tomorrow (local day), each with
    the invitees who still take part and whose own access lets them see it at `now`."""
    from samenplan.evaluations.models import Evaluation
    from samenplan.evaluations.services import to_local

    day = local_day(now) + timedelta(days=1)
    # a local day lies within these two UTC moments (Amsterdam is UTC+1 or UTC+2)
    first = datetime.combine(day, time.min) - timedelta(hours=3)
    last = datetime.combine(day, time.max) + timedelta(hours=1)
    found = [
        (evaluation.id, evaluation.family_id, list(evaluation.invitee_ids or []))
        for evaluation in session.scalars(
            select(Evaluation).where(Evaluation.status == EvaluationStatus.PLANNED,
                                     Evaluation.starts_at.between(first, last),
                                     Evaluation.family_id.in_(_running_families()))
            .order_by(Evaluation.starts_at, Evaluation.id))
        if to_local(evaluation.starts_at).date() == day
    ]
    upcoming = []
    for evaluation_id, family_id, invitee_ids in found:
        evaluation = session.get(Evaluation, evaluation_id)
        told = []
        for participant in session.scalars(select(Participant).where(
                Participant.id.in_(invitee_ids), Participant.family_id == family_id,
                Participant.active).order_by(Participant.id)):
            if not participant.user.active:
                continue
            access = Access(session=session, user=participant.user, participant=participant,
                            now=now)
            if access.decide(evaluation).allowed:
                told.append(participant.user_id)
        upcoming.append(UpcomingEvaluation(
            evaluation_id, family_id, day, tuple(told),
            f"/gezin/{family_id}/evaluaties/{evaluation_id}"))
    session.rollback()  # end the read: each reminder is a transaction of its own
    return upcoming


def remind_evaluations(session: Session, now: datetime,
                       upcoming: Iterable[UpcomingEvaluation]) -> Tally:
    """Remind of the evaluations of tomorrow (local day), each once per user. The caller
    hands in the evaluations with the users who may see them; one whose day is not tomorrow
    is left alone (`evaluations_tomorrow` finds them for the command)."""
    tally = Tally()
    for evaluation in upcoming:
        if not is_tomorrow(evaluation.day, now):
            continue
        for user_id in dict.fromkeys(evaluation.user_ids):
            tally += _send_once(session, ReminderKind.EVALUATION, evaluation.evaluation_id,
                                user_id, evaluation.day, now, family_id=evaluation.family_id,
                                params={"day": evaluation.day.isoformat()}, link=evaluation.link)
    return tally


def _send_once(session: Session, kind: ReminderKind, record_id: int, user_id: int, day: date,
               now: datetime, *, family_id: int, params: dict, link: str) -> Tally:
    """Insert first, then notify, in one transaction; a reminder already there is skipped."""
    exists = session.scalar(select(Reminder.id).where(
        Reminder.kind == kind, Reminder.record_id == record_id, Reminder.user_id == user_id,
        Reminder.day == day))
    if exists is not None:
        return Tally(already=1)
    try:
        with session.begin_nested():
            session.add(Reminder(kind=kind, record_id=record_id, user_id=user_id, day=day,
                                 sent_at=now))
    except IntegrityError:  # another run sent it a moment ago
        session.rollback()
        return Tally(already=1)
    notify(session, [user_id], kind=f"reminder_{kind.value}", params=params, link=link,
           now=now, family_id=family_id)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return Tally(already=1)
    return Tally(sent=1)



def remind_aftercare(session: Session, now: datetime) -> Tally:
    """Nazorg (aftercare/): on the (Amsterdam) day of a check-in of a closed plan, each family
    member who may answer it (12+, with a login, still taking part, not answered yet), once."""
    from samenplan.aftercare.models import AftercareAnswer, AftercareMoment
    from samenplan.domain.aftercare import ANSWERING_AGE
    from samenplan.domain.ages import age_on
    from samenplan.domain.vocabulary import PlanPhase
    from samenplan.families.models import Person
    from samenplan.plans.models import Plan

    today = local_day(now)
    found = list(session.execute(
        select(AftercareMoment.id, AftercareMoment.family_id, Participant.user_id, Person.id,
               Person.date_of_birth)
        .join(Plan, Plan.family_id == AftercareMoment.family_id)
        .join(Participant, Participant.family_id == AftercareMoment.family_id)
        .join(Person, Person.id == Participant.person_id)
        .where(AftercareMoment.day == today, AftercareMoment.cancelled_at.is_(None),
               Plan.phase == PlanPhase.CLOSED, Participant.role == Role.FAMILY,
               Participant.active)
        .order_by(AftercareMoment.id, Participant.id)))
    answered = set(session.execute(select(AftercareAnswer.moment_id, AftercareAnswer.person_id)
                                   .where(AftercareAnswer.moment_id.in_({r[0] for r in found})))
                   ) if found else set()
    session.rollback()  # end the read: each reminder is a transaction of its own
    tally = Tally()
    for moment_id, family_id, user_id, person_id, born in found:
        if age_on(born, today) < ANSWERING_AGE or (moment_id, person_id) in answered:
            continue
        tally += _send_once(session, ReminderKind.AFTERCARE, moment_id, user_id, today, now,
                            family_id=family_id, params={},
                            link=f"/gezin/{family_id}/nazorg/{moment_id}/antwoord")
    return tally
