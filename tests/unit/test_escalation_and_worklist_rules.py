"""The pure rules of opschalen and of the casusregisseur's worklist (issue 12 items 7-8)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from samenplan.domain import escalation, worklist

TODAY = date(2031, 3, 10)


@pytest.mark.parametrize("done, reminded, known, already_open, expected", [
    (False, True, True, False, None),
    (True, True, True, False, escalation.NOT_WHILE_DONE),
    (False, False, True, False, escalation.NOT_BEFORE_REMINDER),
    (False, True, False, False, escalation.NO_ORGANISATION),
    (False, True, True, True, escalation.ALREADY_OPEN),
])
def test_an_action_is_escalated_only_undone_after_a_reminder(done, reminded, known, already_open,
                                                             expected):
    assert escalation.refusal(done=done, reminded=reminded, organisation_known=known,
                              already_open=already_open) == expected


def test_a_goal_unscored_for_over_three_months():
    assert not worklist.unscored_too_long(TODAY - timedelta(days=92), TODAY - timedelta(days=400), TODAY)
    assert worklist.unscored_too_long(TODAY - timedelta(days=93), TODAY - timedelta(days=400), TODAY)
    # never scored: counted from the goal's start
    assert not worklist.unscored_too_long(None, TODAY - timedelta(days=30), TODAY)
    assert worklist.unscored_too_long(None, TODAY - timedelta(days=100), TODAY)


@pytest.mark.parametrize("levels, stuck", [
    ([], False), ([-1], False), ([-1, 0], False), ([-1, -1], True), ([0, -1, -1], True),
    ([-1, -1, 0], False),
])
def test_the_same_level_at_the_last_two_scores(levels, stuck):
    assert worklist.same_level_twice(levels) is stuck
