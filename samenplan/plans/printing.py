"""The whole plan as a printable page for the kitchen table (and the same page as a PDF):
the plan page's own view model (`load_plan`, through the door, one view event), with nothing
to click, the persons of the family, and each goal's ladder in words. Families and their
network get no T-score and no weights (DESIGN.md §7)."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select

from samenplan.domain.gas import level_label
from samenplan.families.reading import PersonsView, persons_view
from samenplan.goals.models import GasLevel
from samenplan.domain.ages import local_day
from samenplan.plans.services import PlanView, load_plan
from samenplan.privacy.access import Access
from samenplan.privacy.facts import Role


@dataclass(frozen=True)
class Step:
    level: int
    label: str  # the level in words (domain.gas.LEVEL_LABELS)
    description: str


@dataclass
class PrintView:
    plan: PlanView
    persons: PersonsView
    printed_on: date
    # family and network: the ladder in words only, no T-score, no weights
    in_words: bool


def load_print(access: Access) -> PrintView:
    view = load_plan(access)
    in_words = access.viewer.role in (Role.FAMILY, Role.NETWORK)
    if in_words:
        view.t_scores = []
    view.may_add_goal = False  # paper: nothing to click
    for gv in view.goals:
        gv.may_edit = gv.may_add_action = False
        gv.actions = [replace(av, may_tick=False) for av in gv.actions]
    by_goal = {gv.goal.id: gv for gv in view.goals}
    if by_goal:  # the goals' ladders in one query (they hang under goals already through the door)
        for level in access.session.scalars(
            select(GasLevel).where(GasLevel.goal_id.in_(sorted(by_goal)))
            .order_by(GasLevel.goal_id, GasLevel.level.desc())
        ):
            if level.description:
                by_goal[level.goal_id].steps.append(
                    Step(level.level, level_label(level.level), level.description))
    return PrintView(view, persons_view(access), local_day(access.now), in_words)
