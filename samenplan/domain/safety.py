"""Rules of the veiligheidsplan (DESIGN §2; 004 ch. 4, the safety plan), pure: no Flask, no
database.

- A safety plan applies for a while (from, to) and is reviewed on a date; the plan warns from
  two weeks before the review date, and when it has passed.
- The safety scale: "Hoe veilig is het thuis?", 0-10, each participant for themself; a trend
  per respondent as for the goals' scaling questions (`domain.scaling.trend`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from samenplan.domain.i18n import _

#: from how long before its review date the safety plan warns
REVIEW_NEAR = timedelta(weeks=2)

SAFETY_QUESTION = _("Hoe veilig is het thuis? 0 is helemaal niet veilig, 10 is helemaal veilig.")
SAFETY_LABEL = _("Veiligheid")


@dataclass(frozen=True)
class ReviewWarning:
    """How near the review date is: `days` from today (negative: past)."""

    days: int

    @property
    def past(self) -> bool:
        return self.days < 0


def review_warning(review_on: date | None, today: date) -> ReviewWarning | None:
    """A warning when `review_on` is within two weeks from `today`, or past; else None."""
    if review_on is None or review_on - today > REVIEW_NEAR:
        return None
    return ReviewWarning((review_on - today).days)


def check_period(applies_from: date | None, applies_to: date | None,
                 review_on: date | None) -> tuple[str, str] | None:
    """(field, message) when the dates do not fit together, else None."""
    if applies_from and applies_to and applies_to < applies_from:
        return "applies_to", _("De einddatum ligt vóór de begindatum.")
    if applies_from and review_on and review_on < applies_from:
        return "review_on", _("De datum om het plan te bekijken ligt vóór de begindatum.")
    return None
