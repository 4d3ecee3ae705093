"""Rules about the plan as a whole, pure: no Flask, no database.

- The plan for when things go less well (terugvalpreventieplan, DESIGN §2: early signs, what
  the family then does, whom they call) must be there and known before a plan is closed: it is
  complete when each of its three kinds of line is in it at least once.
"""
from __future__ import annotations

from collections.abc import Iterable

from samenplan.domain.vocabulary import RelapseLine


def missing_relapse_lines(lines: Iterable[RelapseLine | str | None]) -> list[RelapseLine]:
    """The kinds of line the relapse plan does not have yet, in the plan's order; `lines`: the
    kind of each of its entries (None or an unknown code counts as none)."""
    present = {RelapseLine.parse(line) for line in lines}
    return [kind for kind in RelapseLine if kind not in present]


def relapse_plan_complete(lines: Iterable[RelapseLine | str | None]) -> bool:
    """Whether each kind of line (an early sign, what we then do, whom we call) is there."""
    return not missing_relapse_lines(lines)
