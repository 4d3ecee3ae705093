"""Ages, and who must consent for a person on a given day.

Pure: no Flask, no database. Every datetime handed in is naive UTC; the calendar
day that counts for birthdays is the day in Europe/Amsterdam.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from samenplan.privacy.facts import Category, PersonFacts

LOCAL_ZONE = ZoneInfo("Europe/Amsterdam")

#: From this age a person consents alone.
AGE_OF_CONSENT = 16
#: From this age a person consents too, next to every holder of parental authority.
AGE_OF_CO_CONSENT = 12


def local_day(now: datetime) -> date:
    """The calendar date in Europe/Amsterdam at the naive-UTC moment `now`."""
    if now.tzinfo is not None:
        raise ValueError("local_day expects a naive UTC datetime")
    return now.replace(tzinfo=timezone.utc).astimezone(LOCAL_ZONE).date()


def age_on(date_of_birth: date, day: date) -> int:
    """Age in whole years on `day`.

    A birthday on `day` counts. Someone born on 29 February turns a year older on
    1 March in a non-leap year (on 28 February they have not had their birthday yet).
    """
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - int(before_birthday)


def birth_cutoff(day: date, years: int) -> date:
    """The latest date of birth of someone who is at least `years` old on `day`.

    So ``age_on(dob, day) >= years  <=>  dob <= birth_cutoff(day, years)``; this is
    what the SQL twin of the privacy policy compares dates of birth with.
    """
    year = day.year - years
    try:
        return day.replace(year=year)
    except ValueError:
        # `day` is 29 February and `year` is not a leap year: someone born on
        # 1 March of that year is still one short, someone born on 28 February is not.
        return date(year, 2, 28)


def required_consenters(
    person: PersonFacts, day: date, categories: Iterable[Category] | None = None,
) -> frozenset[int]:
    """Person ids whose consent a grant *from* `person` for `categories` (None: any) needs on
    `day`.

    - 16 and older: the person alone; but for what a legal representative covers (a mentor
      or curator: everything; a bewindvoerder: `financien`), that representative instead;
    - 12 to 15: the person and every holder of parental authority;
    - under 12: every holder of parental authority (may be empty: then no grant
      can ever become valid).

    Holders and representatives may be organisations too: `required_organisations`.
    """
    return _required(person, day, categories)[0]


def required_organisations(
    person: PersonFacts, day: date, categories: Iterable[Category] | None = None,
) -> frozenset[int]:
    """Organisation ids whose consent (through one of their professional participants) a grant
    from `person` for `categories` needs on `day`: a guardian organisation (voogd) of a person
    under 16; an organisation that is the legal representative of someone of 16 or older, for
    what it covers."""
    return _required(person, day, categories)[1]


def _required(
    person: PersonFacts, day: date, categories: Iterable[Category] | None,
) -> tuple[frozenset[int], frozenset[int]]:
    age = age_on(person.date_of_birth, day)
    if age >= AGE_OF_CONSENT:
        wanted = tuple(Category) if categories is None else tuple(categories)
        persons: set[int] = set()
        organisations: set[int] = set()
        if not wanted:  # about nothing: the person's own word, as ever
            persons.add(person.id)
        for category in wanted:
            covering = [r for r in person.representatives if category in r.kind.categories]
            if not covering:
                persons.add(person.id)
            for representative in covering:
                if representative.person_id is not None:
                    persons.add(representative.person_id)
                if representative.organisation_id is not None:
                    organisations.add(representative.organisation_id)
        return frozenset(persons), frozenset(organisations)
    if age >= AGE_OF_CO_CONSENT:
        return frozenset({person.id}) | person.authority_holders, person.authority_organisations
    return frozenset(person.authority_holders), person.authority_organisations
