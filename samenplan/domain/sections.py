"""Rules of the plan's free-text sections (DESIGN §2), pure: no Flask, no database.

- A *toekomstperspectief* is about one child under a protection measure: where the child grows
  up, to be clear by a horizon date (½–1 year after the measure starts). The plan warns from
  eight weeks before that date, and when it has passed.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from samenplan.domain.ages import age_on

#: from how long before its horizon date a toekomstperspectief warns
HORIZON_NEAR = timedelta(weeks=8)
#: a toekomstperspectief is about a child: younger than this on the day it is written
ADULT_AGE = 18


@dataclass(frozen=True)
class HorizonWarning:
    """How near a horizon date is: `days` from today (negative: past)."""

    days: int

    @property
    def past(self) -> bool:
        return self.days < 0

    @property
    def weeks(self) -> int:
        """Whole weeks left (0 in the last week)."""
        return max(self.days, 0) // 7


def horizon_warning(horizon: date | None, today: date) -> HorizonWarning | None:
    """A warning when `horizon` is within eight weeks from `today`, or past; else None."""
    if horizon is None or horizon - today > HORIZON_NEAR:
        return None
    return HorizonWarning((horizon - today).days)


def is_child(date_of_birth: date, today: date) -> bool:
    return age_on(date_of_birth, today) < ADULT_AGE
