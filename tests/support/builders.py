"""Bigger plans than the demo's: goals with actions and agreements added to the demo family,
for the query-count tests and the benchmarks (bench/pages.py)."""
from __future__ import annotations

import contextlib
import re
from datetime import timedelta

from sqlalchemy import event, func, select

from tests.support.people import FATIMA, SANDRA

# (category, subjects): Sandra is a subject of every one and the only one over 12 when it is
# not `algemeen` (so she sees it: Lisa's own information needs Lisa's consent), and the wijkteam
# has consent from every person for every category (so Fatima does); most are not
# `algemeen`, so every view is written to the audit log as well.
KINDS = [
    ("algemeen", ["Sandra", "Lisa"]),
    ("gezondheid", ["Sandra"]),
    ("financien", ["Sandra"]),
    ("veiligheid", ["Sandra", "Noah"]),
    ("verblijfplaats", ["Sandra", "Noah"]),
]
OWNERS = [SANDRA, FATIMA, "riet@demo.samenplan.nl", "daan@ggz-kompas.demo"]
ASSIGNEES = [SANDRA, "riet@demo.samenplan.nl", FATIMA, "ilse@schuldhulp-stad.demo",
             "lisa@demo.samenplan.nl", None]


def add_goals(app, count: int) -> None:
    """Add `count` goals, each with two actions (under the goal's privacy) and an agreement,
    about different people, in different categories, with different owners and assignees."""
    from samenplan import db
    from samenplan.db import utcnow
    from samenplan.demo import DEMO_FAMILY
    from samenplan.families.models import Family, Participant
    from samenplan.goals.models import Action, Goal, GoalAgreement
    from samenplan.plans.models import Plan

    with app.app_context():
        session = db.session()
        family = session.scalar(select(Family).where(Family.name == DEMO_FAMILY))
        plan = session.scalar(select(Plan).where(Plan.family_id == family.id))
        people = {p.first_name: p for p in family.persons}
        parts = {
            p.user.email: p
            for p in session.scalars(select(Participant).where(Participant.family_id == family.id))
        }
        author = parts[FATIMA]
        meta = dict(family_id=family.id, author_participant_id=author.id,
                    created_by_id=author.user_id, updated_by_id=author.user_id)
        first = session.scalar(select(func.count(Goal.id)).where(Goal.plan_id == plan.id))
        today = utcnow().date()
        for n in range(first, first + count):
            category, subjects = KINDS[n % len(KINDS)]
            goal = Goal(
                plan_id=plan.id, title=f"Extra doel {n}", category=category,
                subjects=[people[s] for s in subjects], life_domain="financien",
                priority=n + 1, status="actief", start_date=today - timedelta(days=10),
                end_date=today + timedelta(days=90),
                owner_participant_id=parts[OWNERS[n % len(OWNERS)]].id, **meta,
            )
            goal.agreements = [GoalAgreement(participant_id=parts[SANDRA].id, agrees=n % 3 != 0,
                                             reason="" if n % 3 else "Nog niet")]
            session.add(goal)
            for k in range(2):
                assignee = ASSIGNEES[(2 * n + k) % len(ASSIGNEES)]
                action = Action(
                    goal=goal, what=f"Actie {k} bij doel {n}",
                    assignee_participant_id=parts[assignee].id if assignee else None,
                    due_date=today + timedelta(days=k * 7 - 3),
                    done_at=utcnow() if k else None, **meta,
                )
                action.inherit_privacy_from(goal)
                session.add(action)
        session.commit()


@contextlib.contextmanager
def counting(app):
    """Every statement the app's engine sends to the database while the block runs, and a
    "COMMIT" for every commit."""
    statements: list[str] = []

    def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    def commit(conn):
        statements.append("COMMIT")

    engine = app.extensions["samenplan.engine"]
    event.listen(engine, "before_cursor_execute", before_cursor_execute)
    event.listen(engine, "commit", commit)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before_cursor_execute)
        event.remove(engine, "commit", commit)


def page_statements(app, client, url: str) -> tuple[list[str], str]:
    """The statements of one view of `url`, after a first view (anything done once per login
    or per minute happens there)."""
    client.get(url)
    with counting(app) as statements:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return statements, response.get_data(as_text=True)


def audit_inserts(statements: list[str]) -> int:
    return sum(1 for s in statements if s.lstrip().upper().startswith("INSERT INTO AUDIT_EVENT"))


def shapes(statements: list[str]) -> list[str]:
    """Statements with the numbers and placeholders blurred, for a readable diff."""
    return [re.sub(r"\s+", " ", re.sub(r"\d+|\?|%\(\w+\)s", "N", s))[:160] for s in statements]


def add_other_family(app) -> tuple[int, str]:
    """A second family with one parent, Piet, who has a login, and a plan with one entry
    ("Piet kookt elke dag", `wat_gaat_goed`). Returns (family_id, Piet's e-mail address)."""
    from datetime import date

    from samenplan import db
    from samenplan.auth.models import User
    from samenplan.auth.passwords import hash_password
    from samenplan.families.models import Family, Participant, Person
    from samenplan.plans.models import Plan, PlanSection
    from tests.support.people import DEMO_PASSWORD

    with app.app_context():
        session = db.session()
        family = Family(name="Pieters")
        piet = Person(family=family, first_name="Piet", last_name="Pieters",
                      date_of_birth=date(1979, 4, 4))
        user = User(email="piet@pieters.test", name="Piet Pieters",
                    password_hash=hash_password(DEMO_PASSWORD))
        plan = Plan(family=family)
        session.add_all([family, piet, user, plan])
        session.flush()
        participant = Participant(family=family, user=user, role="family", person=piet)
        session.add(participant)
        session.flush()
        session.add(PlanSection(family_id=family.id, plan_id=plan.id, section="wat_gaat_goed",
                                body="Piet kookt elke dag", category="algemeen", subjects=[piet],
                                author_participant_id=participant.id))
        session.commit()
        return family.id, "piet@pieters.test"


def add_section(app, section: str, body: str, subjects: list[str], category: str = "algemeen",
                author: str = FATIMA, **fields) -> int:
    """An entry in a plan section of the demo family, written directly (for what a test needs
    in place before it starts: a horizon date in the past, say), by `author` (an e-mail
    address); `subjects` are first names. Returns its id."""
    from samenplan import db
    from samenplan.demo import DEMO_FAMILY
    from samenplan.families.models import Family, Participant
    from samenplan.plans.models import Plan, PlanSection

    with app.app_context():
        session = db.session()
        family = session.scalar(select(Family).where(Family.name == DEMO_FAMILY))
        plan = session.scalar(select(Plan).where(Plan.family_id == family.id))
        people = {p.first_name: p for p in family.persons}
        writer = next(p for p in session.scalars(
            select(Participant).where(Participant.family_id == family.id)) if p.user.email == author)
        section = PlanSection(
            family_id=family.id, plan_id=plan.id, section=section, body=body, category=category,
            subjects=[people[s] for s in subjects], author_participant_id=writer.id,
            created_by_id=writer.user_id, updated_by_id=writer.user_id, **fields,
        )
        session.add(section)
        session.commit()
        return section.id


def section_id(app, body_start: str) -> int:
    """The id of the one plan-section entry whose text starts with `body_start`."""
    from samenplan import db
    from samenplan.plans.models import PlanSection

    with app.app_context():
        ids = db.session().scalars(
            select(PlanSection.id).where(PlanSection.body.startswith(body_start))).all()
    assert len(ids) == 1, f"{len(ids)} entries start with {body_start!r}"
    return ids[0]


def add_sections(app, count: int) -> None:
    """Add `count` plan-section entries to the demo family, in every kind of section, about
    different people in different categories (as `add_goals`), some with a horizon date."""
    from samenplan.domain.vocabulary import SectionKind

    kinds = list(SectionKind)
    from samenplan.db import utcnow

    today = utcnow().date()
    for n in range(count):
        kind = kinds[n % len(kinds)]
        category, subjects = KINDS[n % len(KINDS)]
        fields = {}
        if kind.per_child:
            subjects, fields = ["Noah"], {"horizon_date": today + timedelta(days=7 * (n % 12))}
        if kind.is_relapse_plan:  # each line of the relapse plan is of a kind
            fields = {"relapse_line": "wie_we_bellen", "phone": "06 12345678"}
        add_section(app, kind.value, f"Extra stuk {n} in {kind.value}", subjects, category,
                    author=FATIMA if n % 2 else SANDRA, **fields)


def consent_at_the_table(app, subject: str, organisation: str, categories: list[str],
                         consenters: list[str]) -> int:
    """Consent from `subject` (a first name in the demo family) to `organisation` (its name),
    given at the table by `consenters` and recorded by Fatima, the casusregisseur, through the
    app's own service (DESIGN.md §3). Returns the consent's id."""
    from samenplan import db
    from samenplan.auth.models import User
    from samenplan.demo import DEMO_FAMILY
    from samenplan.families.models import Family
    from samenplan.orgs.models import Organisation
    from samenplan.privacy import services as privacy
    from samenplan.privacy.access import access_for

    with app.test_request_context():
        session = db.session()
        family = session.scalar(select(Family).where(Family.name == DEMO_FAMILY))
        people = {p.first_name: p.id for p in family.persons}
        org = session.scalar(select(Organisation).where(Organisation.name == organisation))
        access = access_for(session, session.scalar(select(User).where(User.email == FATIMA)),
                            family.id)
        consent = privacy.grant(access, privacy.GrantInput(
            subject_id=people[subject], grantee=f"org:{org.id}", categories=categories,
            purpose="Samenwerken aan het gezinsplan", end_at=None, how="tafel",
            consenter_ids=[people[c] for c in consenters], record_id=None,
        ))
        session.commit()
        return consent.id


def give_a_guardian(app, child: str, organisation: str = "Jeugdbescherming Regio") -> int:
    """A protection measure for `child` (a first name in the demo family): a jeugdbescherming
    organisation holds authority over them as voogd. Written directly (the organisation is
    made for the test). Returns the organisation's id."""
    from samenplan import db
    from samenplan.demo import DEMO_FAMILY
    from samenplan.families.models import Family
    from samenplan.orgs.models import Organisation

    with app.app_context():
        session = db.session()
        family = session.scalar(select(Family).where(Family.name == DEMO_FAMILY))
        person = next(p for p in family.persons if p.first_name == child)
        guardian = Organisation(name=organisation, kind="jeugdbescherming")
        session.add(guardian)
        person.authority_organisations.append(guardian)
        session.commit()
        return guardian.id


def shield_through_the_screen(client, family_id: int, subject_id: int, target: str,
                              participant_id: int, reason: str = "") -> None:
    """A shield set by the logged-in `client` on the shield screen ("verbergen voor iemand"):
    `target` is "record:<id>" or "cat:<code>"."""
    from tests.support.clients import csrf_token, page

    screen = client.get(f"/gezin/{family_id}/afscherming")
    response = client.post(f"/gezin/{family_id}/afscherming", data={
        "csrf_token": csrf_token(page(screen)), "subject": str(subject_id), "target": target,
        "participant": str(participant_id), "reason": reason,
    })
    assert response.status_code == 302, page(response)[:3000]


def add_action(app, what: str, assignee: str | None, due, category: str = "algemeen",
               subjects: tuple[str, ...] = ("Sandra",), done: bool = False,
               author: str = FATIMA) -> int:
    """One new goal in the demo family with one action under its privacy (`category` about
    `subjects`), written by `author`, done by `assignee` (an e-mail) by `due`. Returns the
    action's id."""
    from samenplan import db
    from samenplan.db import utcnow
    from samenplan.demo import DEMO_FAMILY
    from samenplan.families.models import Family, Participant
    from samenplan.goals.models import Action, Goal
    from samenplan.plans.models import Plan

    with app.app_context():
        session = db.session()
        family = session.scalar(select(Family).where(Family.name == DEMO_FAMILY))
        plan = session.scalar(select(Plan).where(Plan.family_id == family.id))
        people = {p.first_name: p for p in family.persons}
        parts = {p.user.email: p for p in
                 session.scalars(select(Participant).where(Participant.family_id == family.id))}
        author = parts[author]
        meta = dict(family_id=family.id, author_participant_id=author.id,
                    created_by_id=author.user_id, updated_by_id=author.user_id)
        priority = session.scalar(select(func.count(Goal.id)).where(Goal.plan_id == plan.id)) + 1
        goal = Goal(plan_id=plan.id, title=f"Doel voor {what}", category=category,
                    subjects=[people[s] for s in subjects], life_domain="financien",
                    priority=priority, status="actief", start_date=due - timedelta(days=30),
                    end_date=due + timedelta(days=60),
                    owner_participant_id=author.id, **meta)
        session.add(goal)
        action = Action(goal=goal, what=what,
                        assignee_participant_id=parts[assignee].id if assignee else None,
                        due_date=due, done_at=utcnow() if done else None, **meta)
        action.inherit_privacy_from(goal)
        session.add(action)
        session.commit()
        return action.id


def revoke_consent(app, family_id: int, by: str, heading: str) -> None:
    """`by` withdraws the consent whose card on the consent page is headed `heading`
    ("Sandra → GGZ Kompas"), through the screen."""
    from tests.support.clients import as_user, confirm_revoke, page, post_form
    from tests.support.html import card

    client = as_user(app, by)
    consent_page = page(client.get(f"/gezin/{family_id}/toestemming"))
    found = card(consent_page, heading)
    assert post_form(client, *confirm_revoke(client, found)).status_code == 302

def add_evaluation(app, family_id: int, days_ahead: int = 7) -> int:
    """A planned evaluation in `family_id` (rows only, no invitees); returns its id."""
    from datetime import datetime, timedelta

    from samenplan import db
    from samenplan.domain.vocabulary import Category
    from samenplan.evaluations.models import Evaluation
    from samenplan.families.models import Person
    from sqlalchemy import select

    with app.app_context():
        session = db.session()
        persons = list(session.scalars(select(Person).where(Person.family_id == family_id)))
        evaluation = Evaluation(family_id=family_id, category=Category.ALGEMEEN, subjects=persons,
                                starts_at=datetime.utcnow() + timedelta(days=days_ahead),
                                place="Thuis", invitee_ids=[])
        session.add(evaluation)
        session.commit()
        return evaluation.id


def plan_evaluation(app, starts_at, invitees: list[str], *, cancelled: bool = False) -> int:
    """An evaluation planned by Fatima through the service, at `starts_at` (naive UTC), with
    these invitees (e-mails); `cancelled`: and cancelled again. Returns its id."""
    from samenplan import db
    from samenplan.auth.models import User
    from samenplan.demo import DEMO_FAMILY
    from samenplan.evaluations import services
    from samenplan.families.models import Family, Participant
    from samenplan.privacy.access import access_for

    with app.app_context():
        session = db.session()
        family = session.scalar(select(Family).where(Family.name == DEMO_FAMILY))
        fatima = session.scalar(select(User).where(User.email == FATIMA))
        ids = {p.user.email: p.id for p in session.scalars(
            select(Participant).where(Participant.family_id == family.id))}
        local = services.to_local(starts_at)
        access = access_for(session, fatima, family.id)
        evaluation = services.plan(access, services.EvaluationInput(
            local.date(), local.time().replace(tzinfo=None), place="Buurthuis De Linde",
            invitee_ids=[ids[e] for e in invitees]))
        if cancelled:
            access = access_for(session, fatima, family.id)
            services.cancel(access, evaluation, "Gaat niet door", evaluation.version)
        return evaluation.id


def add_chaired_families(app, count: int) -> list[int]:
    """`count` more families chaired by Fatima, each with a person, a goal with two GAS scores,
    "voortgang" answers, an overdue action and a planned evaluation (rows only). For the
    statement count of the home page. Returns their ids."""
    from datetime import date, datetime

    from samenplan import db
    from samenplan.auth.models import User
    from samenplan.evaluations.models import Evaluation
    from samenplan.families.models import Family, Participant, Person
    from samenplan.goals.models import Action, GasScore, Goal, ScalingAnswer
    from samenplan.plans.models import Plan

    made = []
    with app.app_context():
        session = db.session()
        fatima = session.scalar(select(User).where(User.email == FATIMA))
        chair = session.scalar(select(Participant).where(Participant.user_id == fatima.id,
                                                         Participant.role == "casusregisseur"))
        today = date.today()
        for n in range(count):
            family = Family(name=f"Gezin {n} voor de telling")
            person = Person(family=family, first_name=f"Kees{n}", last_name="Telling",
                            date_of_birth=date(1980, 1, 1))
            plan = Plan(family=family)
            session.add_all([family, person, plan])
            session.flush()
            me = Participant(family=family, user=fatima, role="casusregisseur",
                             organisation_id=chair.organisation_id)
            session.add(me)
            session.flush()
            meta = dict(family_id=family.id, author_participant_id=me.id, created_by_id=fatima.id,
                        updated_by_id=fatima.id)
            goal = Goal(plan_id=plan.id, title=f"Doel {n} voor de telling", category="algemeen",
                        subjects=[person], life_domain="financien", priority=1, status="actief",
                        start_date=today - timedelta(days=200), **meta)
            session.add(goal)
            session.flush()
            action = Action(goal=goal, what=f"Actie {n}", due_date=today - timedelta(days=3),
                            assignee_participant_id=me.id, **meta)
            action.inherit_privacy_from(goal)
            scores = [GasScore(goal_id=goal.id, level=-1, scored_on=today - timedelta(days=d),
                               **meta) for d in (60, 10)]
            answer = ScalingAnswer(goal_id=goal.id, question="voortgang", score=5,
                                   answered_on=today, **meta)
            for record in (*scores, answer):
                record.inherit_privacy_from(goal)
            evaluation = Evaluation(starts_at=datetime.utcnow() + timedelta(days=9), place="Thuis",
                                    invitee_ids=[me.id], category="algemeen", subjects=[person],
                                    **meta)
            session.add_all([action, *scores, answer, evaluation])
            session.commit()
            made.append(family.id)
    return made
