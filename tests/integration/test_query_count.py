"""A page view costs a fixed number of SQL statements, however big the plan (DESIGN.md §5):
the plan page and a goal page, for a plan of the demo's goals plus 2 and plus 40, for a family
member and the casusregisseur: at most 21 statements, the same for both sizes, one commit and
at most one audit insert (one view event listing every record shown). Lists are loaded through
the door in one query each; subjects and shielded ancestors once per request, not per list."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from samenplan import db
from samenplan.goals.models import Goal
from tests.support.builders import add_goals, audit_inserts, page_statements, shapes
from tests.support.clients import log_in_directly
from tests.support.people import FATIMA, SANDRA

DEMO_GOALS = {SANDRA: 4, FATIMA: 5}  # DESIGN.md §6: Sandra does not see Lisa's goal 5
BUDGET = 20  # DESIGN §5: the plan page of a 40-goal plan in at most 20 statements


def goal_count(html: str) -> int:
    return html.count('<h3 id="doel-')


def differing(small: list[str], large: list[str]) -> str:
    a, b = shapes(small), shapes(large)
    return "\n".join(f"{s} (x{b.count(s)} vs x{a.count(s)})" for s in sorted(set(a) | set(b))
                     if a.count(s) != b.count(s))


def gezondheid_goal(app, family_id: int) -> int:
    """Sandra's GGZ goal (DESIGN.md §6 goal 2): not `algemeen`, so viewing it is audited."""
    with app.app_context():
        return db.session().scalar(select(Goal.id).where(
            Goal.family_id == family_id, Goal.category == "gezondheid", Goal.priority == 2))


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
    print(f"\n{email} plan page: {len(small)} statements with 2 extra goals, {len(large)} with "
          f"40; {large.count('COMMIT')} commit, {audit_inserts(large)} audit insert")
    assert large.count("COMMIT") == 1, "the view event is appended in one commit"
    assert audit_inserts(large) == 1, "one view event for the whole page"
    assert len(large) == len(small), differing(small, large)
    assert len(large) <= BUDGET, "\n".join(shapes(large))


@pytest.mark.parametrize("email", [SANDRA, FATIMA])
def test_the_goal_page_costs_the_same_for_2_goals_as_for_40(app, client, demo, email):
    url = f"/gezin/{demo.family_id}/doelen/{gezondheid_goal(app, demo.family_id)}"
    log_in_directly(client, email)
    add_goals(app, 2)
    small, _html = page_statements(app, client, url)
    add_goals(app, 38)
    large, _html = page_statements(app, client, url)
    print(f"\n{email} goal page: {len(small)} statements with 2 extra goals, {len(large)} with 40")
    assert large.count("COMMIT") == 1 and audit_inserts(large) == 1
    assert len(large) == len(small), differing(small, large)
    assert len(large) <= BUDGET, "\n".join(shapes(large))
