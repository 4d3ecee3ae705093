"""Which reminder an action gets today (pure: no database, no Flask).

"Today" and "tomorrow" are local days in Europe/Amsterdam (`ages.local_day`). An action due
tomorrow gets a reminder; an overdue action gets one on the days after its due date, at most
`OVERDUE_WINDOW` days late (a cron that was down for a day still sends it; an action long
overdue when reminders were switched on is not suddenly reminded). Each reminder is recorded
by (kind, record, user, due day), so it is sent once however often this runs.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from samenplan.domain.ages import local_day
from samenplan.domain.vocabulary import ReminderKind

OVERDUE_WINDOW = timedelta(days=7)


def action_reminder(due_date: date | None, done: bool, today: date) -> ReminderKind | None:
    """The reminder an action gets on local day `today`, or None."""
    if due_date is None or done:
        return None
    if due_date == today + timedelta(days=1):
        return ReminderKind.ACTION_DUE
    if today - OVERDUE_WINDOW <= due_date < today:
        return ReminderKind.ACTION_OVERDUE
    return None


def due_dates_to_look_at(now: datetime) -> tuple[date, date]:
    """The range of due dates that may get a reminder now (inclusive), for the SQL filter."""
    today = local_day(now)
    return today - OVERDUE_WINDOW, today + timedelta(days=1)


def is_tomorrow(day: date, now: datetime) -> bool:
    """Whether `day` is tomorrow in Amsterdam (`now` naive UTC)."""
    return day == local_day(now) + timedelta(days=1)
