"""Nazorg rules (004 L1610-1630, L1818-1836). Pure: no Flask, no database."""
from __future__ import annotations

from datetime import date

#: months after closure offered as check-in moments by default
DEFAULT_MONTHS = (1, 3, 6)
#: a later answer this much lower than the one at closure is worrying
WORRYING_DROP = 2
#: who answers on their own (a younger child does not)
ANSWERING_AGE = 12


def add_months(day: date, months: int) -> date:
    """`day` `months` later; the 31st becomes the last day of a shorter month."""
    import calendar

    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_days(closed_on: date) -> list[date]:
    return [add_months(closed_on, m) for m in DEFAULT_MONTHS]


def worrying(score: int, at_closure: int | None, wants_contact: bool) -> bool:
    """A worrying answer: the family asks for contact, or it is 2 or more lower than the
    person's answer at closure (without one, only asking for contact counts)."""
    if wants_contact:
        return True
    return at_closure is not None and at_closure - score >= WORRYING_DROP
