"""A demo family made ready to close (issue 13 item 2), written directly, so a test starts where
only the steps it is about remain: the next evaluation is being held, every goal is reached,
every action done, the relapse plan has a line, each professional's part is closed. What is
left: the family going through the relapse plan, and the akkoord of Sandra, Mark and Lisa."""
from __future__ import annotations

from sqlalchemy import select

from tests.support.clients import csrf_token, db_session
from tests.support.clients import page as text_of
from tests.support.people import FATIMA

RELAPSE_LINE = "Als Sandra weer niet slaapt, belt ze oma Riet"


def prepare_for_closing(app, family_id: int, *, open_action: bool = False) -> dict:
    """Returns {"evaluation": id, "action": id of the action left open (or None)}."""
    from samenplan.db import utcnow
    from samenplan.domain.vocabulary import EvaluationStatus, GoalStatus, Role
    from samenplan.evaluations.models import Evaluation
    from samenplan.families.models import Participant, Person
    from samenplan.goals.models import Action, Goal
    from samenplan.plans.models import Plan, PlanSection

    with db_session(app) as session:
        now = utcnow()
        evaluation = session.scalar(select(Evaluation).where(
            Evaluation.family_id == family_id, Evaluation.status == EvaluationStatus.PLANNED)
            .order_by(Evaluation.starts_at))
        evaluation.status = EvaluationStatus.IN_PROGRESS
        for goal in session.scalars(select(Goal).where(Goal.family_id == family_id,
                                                       Goal.parent_id.is_(None))):
            goal.status = GoalStatus.ACHIEVED
        left = None
        for action in session.scalars(select(Action).where(
                Action.family_id == family_id, Action.done_at.is_(None)).order_by(Action.id)):
            if open_action and left is None:
                left = action.id
                continue
            action.done_at = now
        plan = session.scalar(select(Plan).where(Plan.family_id == family_id))
        sandra = session.scalar(select(Person).where(Person.family_id == family_id,
                                                     Person.first_name == "Sandra"))
        chair = next(p for p in session.scalars(select(Participant).where(
            Participant.family_id == family_id)) if p.user.email == FATIMA)
        session.add(PlanSection(
            family_id=family_id, plan_id=plan.id, section="terugvalpreventie",
            relapse_line="vroeg_signaal", body=RELAPSE_LINE, category="algemeen", subjects=[sandra],
            author_participant_id=chair.id, created_by_id=chair.user_id,
            updated_by_id=chair.user_id))
        for participant in session.scalars(select(Participant).where(
                Participant.family_id == family_id, Participant.role == Role.PROFESSIONAL)):
            if participant.involvement is not None:
                participant.involvement.end_reason = "doel_bereikt"
        session.commit()
        return {"evaluation": evaluation.id, "action": left}


def closing_url(family_id: int, rest: str = "") -> str:
    return f"/gezin/{family_id}/afronden{rest}"


def closing_page(client, family_id: int):
    return client.get(closing_url(family_id))


def post(client, family_id: int, path: str, **data):
    """POST to `path` with a CSRF token from the plan's phase page (any page of the family)."""
    html = text_of(client.get(f"/gezin/{family_id}/fase"))
    return client.post(path, data={"csrf_token": csrf_token(html), **data})


def agree(client, family_id: int, person_id: int, agrees: bool = True, reason: str = ""):
    return post(client, family_id, closing_url(family_id, "/akkoord"), person_id=str(person_id),
                antwoord="akkoord" if agrees else "niet", reason=reason)


def phase_of(app, family_id: int) -> str:
    from samenplan.plans.models import Plan

    with db_session(app) as session:
        return session.scalar(select(Plan.phase).where(Plan.family_id == family_id)).value


def close_plan(app, family_id: int, *, days_ago: int = 0, by: str | None = None) -> int:
    """Close `family_id`'s plan through the closing service, as the casusregisseur does it
    (`prepare_for_closing`, the relapse plan gone through, everyone's akkoord recorded at the
    table, closed: a final version), then date the closure `days_ago` days back (a test of
    what follows a closure: nazorg, satisfaction). Returns the PlanPhaseChange id."""
    from datetime import timedelta

    from samenplan.auth.models import User
    from samenplan.closure import services as closure
    from samenplan.db import utcnow
    from samenplan.plans.models import PlanPhaseChange
    from samenplan.privacy.access import access_for

    prepare_for_closing(app, family_id)
    with db_session(app) as session:
        user = session.scalar(select(User).where(User.email == (by or FATIMA)))

        def chair():
            access = access_for(session, user, family_id)
            access.now = utcnow()
            return access

        closure.record_relapse_known(chair())
        for person in closure.agreeing_persons(chair()):
            closure.agree(chair(), person.id, True, "")
        change = closure.close(chair())
        if days_ago:
            change = session.get(PlanPhaseChange, change.id)
            change.changed_at = change.changed_at - timedelta(days=days_ago)
            session.commit()
        return change.id


def mark_closed(app, family_id: int) -> int:
    """Put a bare family (tests/support/builders.add_other_family: no evaluation to close from)
    into the closed phase directly, with the PlanPhaseChange the closing service would append.
    For tests about another family's closed plan only; `close_plan` closes the demo family
    through the service."""
    from samenplan.db import utcnow
    from samenplan.domain.vocabulary import PlanPhase
    from samenplan.plans.models import Plan, PlanPhaseChange

    with db_session(app) as session:
        plan = session.scalar(select(Plan).where(Plan.family_id == family_id))
        change = PlanPhaseChange(plan_id=plan.id, old_phase=plan.phase, new_phase=PlanPhase.CLOSED,
                                 changed_at=utcnow())
        plan.phase = PlanPhase.CLOSED
        session.add(change)
        session.commit()
        return change.id
