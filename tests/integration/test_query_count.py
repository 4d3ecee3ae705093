"""The plan page costs the same number of SQL statements for 2 goals as for 40.

plans/services.py promises "a fixed number of queries however big the plan": lists are
loaded with `select_visible` + `selectinload`, never one lazy load per goal or action.
We add goals (each with two actions and an agreement, about different people, in
different categories, with different owners and assignees) to the demo family, and count
the statements the engine sends while the page is rendered, for a family member and for
the casusregisseur.
"""
from __future__ import annotations

import contextlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from samenplan import db
from samenplan.db import utcnow
from samenplan.demo import DEMO_FAMILY
from samenplan.families.models import Family, Participant
from samenplan.goals.models import Action, Goal, GoalAgreement
from samenplan.plans.models import Plan
from tests.support.clients import log_in_directly
from tests.support.people import FATIMA, SANDRA

DEMO_GOALS = {SANDRA: 4, FATIMA: 5}  # DESIGN.md §6: Sandra does not see Lisa's goal 5

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
    """Add `count` goals, each with two actions, to the demo family's plan."""
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
                session.add(Action(
                    goal=goal, what=f"Actie {k} bij doel {n}",
                    assignee_participant_id=parts[assignee].id if assignee else None,
                    due_date=today + timedelta(days=k * 7 - 3),
                    done_at=utcnow() if k else None, category=category,
                    subjects=[people[s] for s in subjects], **meta,
                ))
        session.commit()


@contextlib.contextmanager
def counting(app):
    """Every statement the app's engine sends to the database, while the block runs."""
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
    client.get(url)  # warm-up: anything done once per login or per minute happens here
    with counting(app) as statements:
        response = client.get(url)
    assert response.status_code == 200
    return statements, response.get_data(as_text=True)


def goal_count(html: str) -> int:
    return len(re.findall(r'<h3 id="doel-\d+-titel">', html))


def shapes(statements: list[str]) -> list[str]:
    """Statements with the numbers and placeholders blurred, for a readable diff."""
    return [re.sub(r"\s+", " ", re.sub(r"\d+|\?|%\(\w+\)s", "N", s))[:160] for s in statements]


RESULTS: dict[tuple[str, str], tuple[int, int]] = {}


@pytest.mark.parametrize("email", [SANDRA, FATIMA])
def test_the_plan_page_costs_the_same_for_2_goals_as_for_40(app, client, demo, email):
    url = f"/gezin/{demo.family_id}"
    log_in_directly(client, email)
    add_goals(app, 2)
    small, html = page_statements(app, client, url)
    assert goal_count(html) == DEMO_GOALS[email] + 2
    add_goals(app, 38)
    large, html = page_statements(app, client, url)
    assert goal_count(html) == DEMO_GOALS[email] + 40
    assert html.count('id="actie-') >= 80
    dialect = app.extensions["samenplan.engine"].dialect.name
    commits = large.count("COMMIT")
    audit_inserts = sum(1 for s in large if s.lstrip().upper().startswith("INSERT INTO AUDIT_EVENT"))
    print(f"\n{dialect} {email}: {len(small)} statements with 2 extra goals, "
          f"{len(large)} with 40; {commits} commit, {audit_inserts} audit insert")
    assert commits <= 1, "a read commits more than once"
    assert audit_inserts <= 1, "a read appends to the audit log more than once"
    extra = sorted(set(shapes(large)) - set(shapes(small))) or [
        f"{s} (x{shapes(large).count(s)} vs x{shapes(small).count(s)})"
        for s in sorted(set(shapes(large))) if shapes(large).count(s) != shapes(small).count(s)
    ]
    assert len(large) == len(small), (
        f"{len(small)} statements for 2 goals, {len(large)} for 40; differing:\n"
        + "\n".join(extra)
    )
