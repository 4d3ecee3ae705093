"""The casusregisseur's worklist signals about goals (issue 12 item 8): pure, no database,
no Flask. A goal needs a look when it has had no GAS score for over three months, or stayed at
the same level at its last two scores (two evaluations without a step)."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

#: "without a score for over 3 months"
UNSCORED_AFTER = timedelta(days=92)


def unscored_too_long(last_scored: date | None, since: date, today: date) -> bool:
    """No score for over three months: since the last score, or (never scored) since `since`
    (the goal's start)."""
    return today - (last_scored or since) > UNSCORED_AFTER


def same_level_twice(levels: Sequence[int]) -> bool:
    """The last two scores (oldest first) are on the same level."""
    return len(levels) >= 2 and levels[-1] == levels[-2]
