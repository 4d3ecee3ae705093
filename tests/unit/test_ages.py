"""Ages, the Amsterdam calendar day, and who must consent (samenplan.domain.ages)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samenplan.domain.ages import age_on, birth_cutoff, local_day, required_consenters
from samenplan.privacy.facts import PersonFacts

# --- local_day ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("utc", "expected"),
    [
        # winter (CET, UTC+1)
        (datetime(2026, 1, 14, 22, 59), date(2026, 1, 14)),
        (datetime(2026, 1, 14, 23, 0), date(2026, 1, 15)),
        (datetime(2026, 1, 14, 23, 30), date(2026, 1, 15)),
        # summer (CEST, UTC+2)
        (datetime(2026, 7, 1, 21, 59), date(2026, 7, 1)),
        (datetime(2026, 7, 1, 22, 0), date(2026, 7, 2)),
        # midday is the same day everywhere
        (datetime(2026, 3, 12, 12, 0), date(2026, 3, 12)),
        # around the switch to summer time (29 March 2026, 01:00 UTC)
        (datetime(2026, 3, 28, 22, 59), date(2026, 3, 28)),
        (datetime(2026, 3, 28, 23, 0), date(2026, 3, 29)),
        (datetime(2026, 3, 29, 21, 59), date(2026, 3, 29)),
        (datetime(2026, 3, 29, 22, 0), date(2026, 3, 30)),
        # new year's eve
        (datetime(2025, 12, 31, 23, 0), date(2026, 1, 1)),
    ],
)
def test_local_day_is_the_date_in_amsterdam(utc: datetime, expected: date) -> None:
    assert local_day(utc) == expected


def test_local_day_refuses_aware_datetimes() -> None:
    from datetime import timezone

    with pytest.raises(ValueError):
        local_day(datetime(2026, 1, 1, tzinfo=timezone.utc))


@given(st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2100, 1, 1)))
def test_local_day_is_the_utc_day_or_the_next(utc: datetime) -> None:
    assert local_day(utc) - utc.date() in (timedelta(0), timedelta(days=1))


# --- age_on ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dob", "day", "age"),
    [
        (date(2011, 5, 20), date(2023, 5, 19), 11),
        (date(2011, 5, 20), date(2023, 5, 20), 12),  # birthday today counts
        (date(2011, 5, 20), date(2027, 5, 19), 15),
        (date(2011, 5, 20), date(2027, 5, 20), 16),
        (date(2011, 5, 20), date(2011, 5, 20), 0),
        (date(2011, 5, 20), date(2012, 5, 19), 0),
        (date(1991, 3, 12), date(2026, 3, 11), 34),
        (date(1991, 3, 12), date(2026, 3, 12), 35),
        (date(2000, 12, 31), date(2001, 1, 1), 0),
        (date(2000, 1, 1), date(2000, 12, 31), 0),
        (date(2000, 1, 1), date(2001, 1, 1), 1),
    ],
)
def test_age_on(dob: date, day: date, age: int) -> None:
    assert age_on(dob, day) == age


@pytest.mark.parametrize(
    ("day", "age"),
    [
        (date(2013, 2, 28), 12),  # no 29 Feb in 2013: not yet
        (date(2013, 3, 1), 13),  # ... a year older on 1 March
        (date(2016, 2, 28), 15),
        (date(2016, 2, 29), 16),  # leap year: on the day itself
        (date(2016, 3, 1), 16),
    ],
)
def test_age_on_for_someone_born_on_29_february(day: date, age: int) -> None:
    assert age_on(date(2000, 2, 29), day) == age


# --- birth_cutoff ------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "years", "cutoff"),
    [
        (date(2026, 3, 1), 16, date(2010, 3, 1)),
        (date(2026, 3, 1), 12, date(2014, 3, 1)),
        (date(2026, 3, 1), 0, date(2026, 3, 1)),
        (date(2024, 2, 29), 16, date(2008, 2, 29)),  # 2008 is a leap year
        (date(2024, 2, 29), 12, date(2012, 2, 29)),
        (date(2024, 2, 29), 1, date(2023, 2, 28)),  # 2023 is not
        (date(2024, 2, 29), 15, date(2009, 2, 28)),
        (date(2025, 2, 28), 1, date(2024, 2, 28)),  # someone born 29 Feb 2024 is still 0
    ],
)
def test_birth_cutoff(day: date, years: int, cutoff: date) -> None:
    assert birth_cutoff(day, years) == cutoff


def test_birth_cutoff_on_29_february_agrees_with_age_on() -> None:
    day = date(2024, 2, 29)
    cutoff = birth_cutoff(day, 15)  # 2009 has no 29 February
    assert age_on(cutoff, day) == 15
    assert age_on(cutoff + timedelta(days=1), day) == 14  # 1 March 2009


days = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
# plenty of leap days and month ends among the dates hypothesis tries
tricky_days = st.one_of(
    days,
    st.sampled_from(
        [
            date(2024, 2, 29), date(2000, 2, 29), date(2023, 2, 28),
            date(2023, 3, 1), date(2100, 2, 28),
        ]
    ),
)


@given(dob=tricky_days, day=tricky_days, years=st.integers(min_value=0, max_value=120))
def test_age_at_least_years_iff_born_on_or_before_cutoff(dob: date, day: date, years: int) -> None:
    assert (age_on(dob, day) >= years) == (dob <= birth_cutoff(day, years))


@given(day=tricky_days, years=st.integers(min_value=0, max_value=120))
def test_birth_cutoff_is_the_latest_such_date(day: date, years: int) -> None:
    cutoff = birth_cutoff(day, years)
    assert age_on(cutoff, day) >= years
    assert age_on(cutoff + timedelta(days=1), day) < years


@given(dob=days, day=days)
def test_age_grows_by_one_a_year_at_most(dob: date, day: date) -> None:
    later = day + timedelta(days=1)
    assert age_on(dob, later) - age_on(dob, day) in (0, 1)


# --- required_consenters -----------------------------------------------------

PARENTS = frozenset({1, 2})


def child(dob: date, holders: frozenset[int] = PARENTS) -> PersonFacts:
    return PersonFacts(id=3, date_of_birth=dob, authority_holders=holders)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2023, 5, 19), PARENTS),  # 11
        (date(2023, 5, 20), PARENTS | {3}),  # 12 today
        (date(2027, 5, 19), PARENTS | {3}),  # 15
        (date(2027, 5, 20), frozenset({3})),  # 16 today
        (date(2040, 1, 1), frozenset({3})),  # adult
    ],
)
def test_required_consenters_by_age(day: date, expected: frozenset[int]) -> None:
    assert required_consenters(child(date(2011, 5, 20)), day) == expected


def test_required_consenters_of_a_young_child_without_authority_holders_is_empty() -> None:
    orphan = child(date(2020, 1, 1), frozenset())
    assert required_consenters(orphan, date(2026, 1, 1)) == frozenset()


def test_required_consenters_of_a_teenager_without_authority_holders_is_the_teenager() -> None:
    person = child(date(2012, 1, 1), frozenset())
    assert required_consenters(person, date(2026, 1, 1)) == frozenset({3})


def test_required_consenters_of_an_adult_ignore_authority_holders() -> None:
    # e.g. stale data: authority ends at 18, and consent needs only the person from 16
    person = child(date(2000, 1, 1), PARENTS)
    assert required_consenters(person, date(2026, 1, 1)) == frozenset({3})


def test_required_consenters_on_the_amsterdam_birthday() -> None:
    lisa = child(date(2011, 5, 20))
    eve = datetime(2023, 5, 19, 21, 59)  # 23:59 in Amsterdam (summer time)
    birthday = datetime(2023, 5, 19, 22, 0)  # 00:00 on 20 May in Amsterdam
    assert required_consenters(lisa, local_day(eve)) == PARENTS
    assert required_consenters(lisa, local_day(birthday)) == PARENTS | {3}


@given(
    dob=days,
    day=days,
    holders=st.frozensets(st.integers(min_value=10, max_value=20), max_size=3),
)
def test_required_consenters_property(dob: date, day: date, holders: frozenset[int]) -> None:
    person = PersonFacts(id=1, date_of_birth=dob, authority_holders=holders)
    required = required_consenters(person, day)
    age = age_on(dob, day)
    assert (1 in required) == (age >= 12)
    assert (required >= holders) == (age < 16 or not holders)
    assert required <= holders | {1}
