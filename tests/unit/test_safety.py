"""The veiligheidsplan's rules (domain/safety.py): the review date warns from two weeks before
and when it has passed; the dates must fit together."""
from __future__ import annotations

from datetime import date, timedelta

from samenplan.domain.safety import check_period, review_warning

TODAY = date(2026, 12, 1)


def test_the_review_date_warns_from_two_weeks_before():
    assert review_warning(None, TODAY) is None
    assert review_warning(TODAY + timedelta(days=15), TODAY) is None
    near = review_warning(TODAY + timedelta(days=14), TODAY)
    assert near is not None and near.days == 14 and not near.past
    assert review_warning(TODAY, TODAY).days == 0
    past = review_warning(TODAY - timedelta(days=1), TODAY)
    assert past is not None and past.past


def test_the_dates_fit_together():
    assert check_period(None, None, None) is None
    assert check_period(TODAY, TODAY + timedelta(days=90), TODAY + timedelta(days=30)) is None
    assert check_period(TODAY, TODAY - timedelta(days=1), None)[0] == "applies_to"
    assert check_period(TODAY, None, TODAY - timedelta(days=1))[0] == "review_on"
