"""The pure rule of which reminder an action gets (domain/reminders.py): tomorrow and today are
the days in Amsterdam; an overdue action within a week; a done or undated one never."""
from datetime import date, datetime

import pytest

from samenplan.domain.reminders import OVERDUE_WINDOW, action_reminder, is_tomorrow
from samenplan.domain.vocabulary import ReminderKind

TODAY = date(2031, 3, 10)


@pytest.mark.parametrize("due, done, expected", [
    (date(2031, 3, 11), False, ReminderKind.ACTION_DUE),
    (date(2031, 3, 11), True, None),
    (date(2031, 3, 10), False, None),  # today: the plan shows it, no reminder
    (date(2031, 3, 12), False, None),
    (date(2031, 3, 9), False, ReminderKind.ACTION_OVERDUE),
    (TODAY - OVERDUE_WINDOW, False, ReminderKind.ACTION_OVERDUE),
    (date(2031, 3, 2), False, None),  # long overdue: not suddenly reminded
    (date(2031, 3, 9), True, None),
    (None, False, None),
])
def test_which_reminder_an_action_gets(due, done, expected):
    assert action_reminder(due, done, TODAY) == expected


@pytest.mark.parametrize("now, day, expected", [
    (datetime(2031, 1, 14, 22, 59), date(2031, 1, 15), True),   # 23:59 in winter
    (datetime(2031, 1, 14, 23, 0), date(2031, 1, 15), False),   # 00:00: the 15th is today
    (datetime(2031, 1, 14, 23, 0), date(2031, 1, 16), True),
    (datetime(2031, 7, 14, 21, 59), date(2031, 7, 15), True),   # 23:59 in summer
    (datetime(2031, 7, 14, 22, 0), date(2031, 7, 16), True),    # 00:00 on the 15th
    (datetime(2031, 7, 14, 22, 0), date(2031, 7, 15), False),
])
def test_tomorrow_across_midnight_in_amsterdam(now, day, expected):
    assert is_tomorrow(day, now) is expected
