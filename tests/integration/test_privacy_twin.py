"""The privacy twins agree, record by record (DESIGN.md §3, "Design consequences").

`privacy/query.py` (the rules as a SQL WHERE clause over `record`) and `privacy/policy.py`
(the same rules as a pure function) must give every viewer exactly the same records.
Hypothesis generates random families -- ages around 12 and 16 (and many of 12-15, whose
health, safety and justice records a parent sees only with the youth's grant), birthdays
today, tomorrow and yesterday in Amsterdam while `now` sits around midnight there,
29 February, parental authority, participants of every role, records hanging under records
(goal > sub-goal > work point > action, up to depth 3), consents for categories and record
grants for one record (the one aimed at, or one next to it), valid, pending, expired, revoked
or declined, shields on a record, on what it hangs under or on a category, and emergency
accesses -- writes each into the database (one transaction per example, rolled back
afterwards: nothing is left behind), and compares for EVERY participant

    {ids of `select(Record.id).where(visible_filter(viewer, family_id)).params(moment(viewer, now))`}
    {ids of the family's records for which
        `policy.can_view(viewer, record_facts, family_facts(session, family_id), now)`}

The pure side gets its facts through `privacy/loader.py`, so the loader is checked as well;
the closure table `record_ancestor` (written by the after-insert listener) is checked against
the generated tree, and the loaded grants against the generated consents.
Organisations holding authority over a child (a guardian, voogd) and legal representatives of
an adult (mentor, curator: everything; bewindvoerder: money), persons or organisations, with
their organisations' approvals, are generated too (issue 10).
A handful of plain tests pin the nastiest cases to the answer DESIGN.md §3 gives.
Runs on SQLite and on PostgreSQL (`database_url`).
"""
from __future__ import annotations

import calendar
import collections
import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone

import pytest
from hypothesis import HealthCheck, example, given, note, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from samenplan.auth.models import User
from samenplan.db import make_engine
from samenplan.domain.ages import AGE_OF_CO_CONSENT, AGE_OF_CONSENT, LOCAL_ZONE, age_on, local_day
from samenplan.families.models import (
    Family, LegalRepresentative, Participant, Person,
)
from samenplan.goals.models import Action, GasScore, Goal, ScalingAnswer
from samenplan.orgs.models import Organisation
from samenplan.plans.models import Plan, PlanSection
from samenplan.privacy import policy
from samenplan.privacy.facts import (
    Category, GrantFacts, PersonFacts, Representation, RepresentativeFacts, Role,
)
from samenplan.privacy.loader import family_facts, record_facts, viewer_facts
from samenplan.privacy.models import (
    Consent, ConsentApproval, ConsentCategory, ConsentOrganisationApproval, EmergencyAccess, Record,
    Shield,
)
from samenplan.privacy.query import moment, visible_filter

CATEGORIES = tuple(c.value for c in Category)
# what a parent sees of a 12-15-year-old only with the youth's own grant
STRICT = ("gezondheid", "veiligheid", "justitie")
MAX_DEPTH = 3  # goal > sub-goal > work point > action
ZERO = timedelta(0)
TINY = timedelta(microseconds=1)
SECOND = timedelta(seconds=1)
MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


# --- the generated family, in plain values (indices, not database ids) ---------------------
# Every moment is stored as an offset from `now`, so a printed family reads "now-1µs".


@dataclass(frozen=True)
class PersonSpec:
    dob: date
    holders: tuple[int, ...] = ()  # person indices holding parental authority
    guardians: tuple[int, ...] = ()  # organisation indices holding authority (voogd)
    # legal representatives: (kind, person index or None, organisation index or None)
    representatives: tuple[tuple[str, int | None, int | None], ...] = ()


@dataclass(frozen=True)
class ParticipantSpec:
    role: str
    person: int | None = None  # family
    org: int | None = None  # professional, casusregisseur (and now and then anyone)


RECORD_KINDS = ("plan_section", "goal", "action", "gas_score", "scaling_answer")


@dataclass(frozen=True)
class RecordSpec:
    category: str
    subjects: tuple[int, ...] = ()
    author: int | None = None  # participant index
    # the record this one hangs under (an earlier index). Only a goal has records under it:
    # sub-goals (goal), actions, GAS scores, scaling answers (through their goal) and now and
    # then a plan section (parent_record_id set directly)
    parent: int | None = None
    kind: str = "plan_section"  # one of RECORD_KINDS
    # takes its subjects and category from its parent (privacy_from), not copies of its own
    inherits: bool = False


@dataclass(frozen=True)
class ConsentSpec:
    subject: int
    categories: tuple[str, ...]
    approvers: tuple[int, ...]
    to_org: int | None = None
    org_approvers: tuple[int, ...] = ()  # organisation indices that said yes
    to_participant: int | None = None
    start: timedelta = -30 * DAY
    end: timedelta | None = None
    revoked: timedelta | None = None
    record: int | None = None  # a record grant: this record only (in `categories`)
    declined: timedelta | None = None  # a consenter said no (then: never valid)
    declined_by: int | None = None  # person index
    requested_by: int | None = None  # participant index: a request ("verzoek")


@dataclass(frozen=True)
class ShieldSpec:
    participant: int  # hidden FROM
    subject: int
    record: int | None = None
    category: str | None = None
    lifted: timedelta | None = None


@dataclass(frozen=True)
class EmergencySpec:
    participant: int
    subject: int
    category: str
    start: timedelta = -HOUR
    end: timedelta = 23 * HOUR
    ended: timedelta | None = None


@dataclass(frozen=True)
class FamilySpec:
    now: datetime
    persons: tuple[PersonSpec, ...]
    participants: tuple[ParticipantSpec, ...]
    organisations: int = 1
    records: tuple[RecordSpec, ...] = ()
    consents: tuple[ConsentSpec, ...] = ()
    shields: tuple[ShieldSpec, ...] = ()
    emergencies: tuple[EmergencySpec, ...] = ()

    def ancestors(self, record: int) -> list[int]:
        """The indices `record` hangs under, nearest first."""
        line, parent = [], self.records[record].parent
        while parent is not None:
            line.append(parent)
            parent = self.records[parent].parent
        return line


def _depth(records, i: int) -> int:
    depth = 0
    while records[i].parent is not None:
        i, depth = records[i].parent, depth + 1
    return depth


# --- strategies ------------------------------------------------------------------------------

SPECIAL_DAYS = [
    date(2024, 2, 28), date(2024, 2, 29), date(2024, 3, 1),  # leap year
    date(2025, 2, 28), date(2025, 3, 1), date(2027, 2, 28), date(2027, 3, 1),  # not a leap year
    date(2028, 2, 29),
    date(2024, 3, 30), date(2024, 3, 31), date(2024, 10, 26), date(2024, 10, 27),  # DST changes
    date(2025, 3, 30), date(2025, 10, 26),
    date(2024, 12, 31), date(2025, 1, 1), date(2025, 6, 30),
]
days = st.one_of(st.sampled_from(SPECIAL_DAYS), st.dates(date(2020, 1, 1), date(2035, 12, 31)))

# Midnight in Amsterdam is 22:00 UTC in summer and 23:00 UTC in winter.
BOUNDARY_CLOCKS = [
    time(22, 0), time(21, 59, 59, 999999), time(23, 0), time(22, 59, 59, 999999),
    time(0, 0), time(23, 59, 59, 999999), time(22, 30), time(23, 30), time(0, 30),
]


@st.composite
def moments(draw) -> datetime:
    day = draw(days)
    how = draw(st.sampled_from(["local_midnight", "near_midnight", "boundary", "any"]))
    if how == "local_midnight":  # just before or after midnight in Amsterdam (22:00/23:00 UTC)
        midnight = (
            datetime.combine(day, time(0), tzinfo=LOCAL_ZONE).astimezone(timezone.utc)
            .replace(tzinfo=None)
        )
        return midnight + draw(
            st.sampled_from([ZERO, TINY, 30 * MINUTE, 59 * MINUTE, -TINY, -MINUTE])
        )
    if how == "near_midnight":  # 21:30 .. 01:30 UTC
        offset = draw(st.integers(-30 * 60 * 10**6, 210 * 60 * 10**6))
        return datetime.combine(day, time(22)) + timedelta(microseconds=offset)
    if how == "boundary":
        return datetime.combine(day, draw(st.sampled_from(BOUNDARY_CLOCKS)))
    return datetime.combine(day, draw(st.times()))


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February, and that year is not a leap year
        return date(day.year - years, 2, 28)


@st.composite
def dates_of_birth(draw, now: datetime) -> date:
    # the birthday that counts is on the Amsterdam day; the UTC date is the classic mistake
    base = draw(st.sampled_from([local_day(now), now.date()]))
    how = draw(st.sampled_from(["boundary"] * 6 + ["band"] * 4 + ["leap", "any"]))
    if how == "boundary":
        # 12 and 16 born today (shift 0), tomorrow (+1: one short) or yesterday (-1)
        if draw(often):
            age = draw(st.sampled_from([12, 16]))
            shift = draw(st.sampled_from([0, 1, -1]))
        else:
            age = draw(st.sampled_from([11, 15, 13, 17, 10, 14, 0, 3, 8, 18, 19, 25, 45]))
            shift = draw(st.sampled_from([0, 1, -1, 2, -2]) | st.integers(-366, 366))
        dob = years_before(base, age) + timedelta(days=shift)
    elif how == "band":
        # 12 to 15: the youth consents next to the parents, and the parents see the youth's
        # health, safety and justice records only with the youth's grant
        age = draw(st.integers(AGE_OF_CO_CONSENT, AGE_OF_CONSENT - 1))
        dob = years_before(base, age) - timedelta(days=draw(st.integers(0, 364)))
    elif how == "leap":
        years = [y for y in range(base.year - 19, base.year - 7) if calendar.isleap(y)]
        dob = date(draw(st.sampled_from(years)), 2, 29)
    else:
        dob = draw(st.dates(years_before(base, 80), base))
    return min(dob, base + DAY)  # born at the latest tomorrow (UTC/Amsterdam edge)


offsets = st.one_of(
    st.sampled_from(
        [-30 * DAY, -DAY, -HOUR, -SECOND, -TINY, ZERO, TINY, SECOND, HOUR, DAY, 30 * DAY]
    ),
    st.timedeltas(-400 * DAY, 400 * DAY),
)
categories = st.sampled_from(CATEGORIES)
often = st.sampled_from([True, True, True, False])  # True 3 times in 4, and first


@st.composite
def families(draw) -> FamilySpec:
    now = draw(moments())
    day = local_day(now)
    # usually one or two parents, then up to three others with ages around 12 and 16
    n_parents = draw(st.sampled_from([2, 1, 2, 1, 0]))
    parents = [draw(st.dates(years_before(day, 60), years_before(day, 20)))
               for _ in range(n_parents)]
    at_least = 1 if not parents or draw(often) else 0  # mostly a family with children
    others = draw(st.lists(dates_of_birth(now), min_size=at_least, max_size=3))
    dobs = parents + others
    n_persons = len(dobs)
    adults = [i for i, dob in enumerate(dobs) if age_on(dob, day) >= 18]
    n_orgs = draw(st.integers(1, 3))
    org_ix = st.integers(0, n_orgs - 1)
    persons = []
    for i, dob in enumerate(dobs):
        holders: tuple[int, ...] = ()
        candidates = [a for a in adults if a != i]
        # gezag lasts until 18, so 16- and 17-year-olds have holders too (who no longer decide)
        if age_on(dob, day) < 18 and candidates:
            if draw(often):
                holders = tuple(candidates[:2])
            else:
                holders = tuple(sorted(draw(
                    st.lists(st.sampled_from(candidates), max_size=2, unique=True)
                )))
        # now and then an organisation holds authority (a guardian), with or without parents
        guardians: tuple[int, ...] = ()
        if age_on(dob, day) < 18 and not draw(often):
            guardians = (draw(org_ix),)
            if draw(st.booleans()):
                holders = ()
        # now and then a legal representative (a person or an organisation) for someone of 16
        # or more -- or, rarely, for a younger one (where it counts for nothing)
        representatives: tuple[tuple[str, int | None, int | None], ...] = ()
        if draw(st.sampled_from([False] * 5 + [True] * 2)) and (
            age_on(dob, day) >= 16 or draw(st.sampled_from([False] * 5 + [True]))
        ):
            kinds = draw(st.lists(st.sampled_from(list(Representation)), min_size=1, max_size=2,
                                  unique=True))
            others = [j for j in range(len(dobs)) if j != i]
            for kind in kinds:
                if others and draw(st.booleans()):
                    representatives += ((kind, draw(st.sampled_from(others)), None),)
                else:
                    representatives += ((kind, None, draw(org_ix)),)
        persons.append(PersonSpec(dob, holders, guardians, representatives))

    person_ix = st.integers(0, n_persons - 1)
    # every example holds every role; extra participants of any role on top
    holders = sorted({h for p in persons for h in p.holders})
    parent = draw(st.sampled_from(holders)) if holders and draw(often) else draw(person_ix)
    participants = [
        ParticipantSpec("family", person=parent),  # a holder of authority, if there is one
        ParticipantSpec("family", person=draw(person_ix)),
        ParticipantSpec("network", org=draw(st.none() | st.none() | st.none() | org_ix)),
        ParticipantSpec("professional", org=draw(org_ix)),
        ParticipantSpec("casusregisseur", org=draw(org_ix)),
    ]
    for _ in range(draw(st.integers(0, 2))):
        role = draw(st.sampled_from(["family", "network", "professional"]))
        if role == "family":
            participants.append(ParticipantSpec(role, person=draw(person_ix)))
        elif role == "network":
            participants.append(ParticipantSpec(role))
        else:
            participants.append(ParticipantSpec(role, org=draw(org_ix)))
    n_part = len(participants)
    part_ix = st.integers(0, n_part - 1)
    # mostly 1-3 subjects; now and then none (the policy then denies all but author/algemeen)
    subject_lists = st.sampled_from([1, 2, 1, 3, 0]).flatmap(
        lambda n: st.lists(person_ix, min_size=min(n, n_persons), max_size=min(n, n_persons),
                           unique=True)
    ).map(lambda s: tuple(sorted(s)))
    authors = st.none() | st.none() | part_ix
    base = draw(st.lists(st.builds(
        RecordSpec, category=categories, subjects=subject_lists, author=authors,
    ), min_size=2, max_size=10))

    # Records hang under earlier records, up to MAX_DEPTH deep: mostly chains (goal > sub-goal
    # > work point > action), now and then under any record. Usually a record takes its
    # parent's subjects and category (as an action takes its goal's), else it has its own.
    records: list[RecordSpec] = []

    def under(parent: int | None, r: RecordSpec) -> RecordSpec:
        if parent is not None and draw(often):
            # mostly inherited (privacy_from), now and then a copy of its own that happens to
            # be the same: the twins must agree either way
            r = replace(r, category=records[parent].category, subjects=records[parent].subjects,
                        inherits=draw(often))
        return replace(r, parent=parent)

    def open_records() -> list[int]:
        return [j for j in range(len(records)) if _depth(records, j) < MAX_DEPTH]

    for r in base:
        parent = None
        how = draw(st.sampled_from(["root", "chain", "root", "chain", "any", "alike"]))
        if records and how == "chain" and _depth(records, len(records) - 1) < MAX_DEPTH:
            parent = len(records) - 1
        elif records and how == "any":
            parent = draw(st.sampled_from(open_records()))
        elif records and how == "alike":  # another record of the same kind about the same people
            alike = records[draw(st.integers(0, len(records) - 1))]
            r = replace(r, category=alike.category, subjects=alike.subjects)
        records.append(under(parent, r))

    # A parent (participant 0) and a youth of 12-15 under their authority (or of 11 or 16,
    # either side of the band): health, safety and justice records about the youth, alone or
    # with someone else (the parent, a sibling), and grants from the youth to that parent.
    p0 = participants[0].person
    band = [i for i, p in enumerate(persons)
            if p0 in p.holders and 11 <= age_on(p.dob, day) <= AGE_OF_CONSENT]
    teens = [i for i in band if age_on(persons[i].dob, day) in range(AGE_OF_CO_CONSENT,
                                                                     AGE_OF_CONSENT)]
    youth = draw(st.sampled_from(teens if teens and draw(often) else band)) if band else None
    youth_records: list[int] = []
    if youth is not None:
        for k in range(draw(st.integers(1, 3))):
            category = draw(st.sampled_from(STRICT)) if draw(often) else draw(categories)
            subjects = draw(st.sampled_from([
                (youth,), (youth,), tuple(sorted({youth, p0})),
                tuple(sorted({youth, draw(person_ix)})),
            ]))
            r = RecordSpec(category, subjects, author=draw(st.none() | st.none() | part_ix))
            if k and _depth(records, len(records) - 1) < MAX_DEPTH and draw(often):
                r = under(len(records) - 1, r)  # under the youth's previous record
            else:  # keeps its own subjects, wherever it hangs
                r = replace(r, parent=draw(st.none() | st.none() | st.sampled_from(open_records())))
            youth_records.append(len(records))
            records.append(r)

    # only a goal has records under it; what hangs under a goal is mostly an action
    has_children = {r.parent for r in records if r.parent is not None}
    for i, r in enumerate(records):
        if i in has_children:
            kind = "goal"
        elif r.parent is not None:
            kind = draw(st.sampled_from(
                ["action", "action", "goal", "gas_score", "scaling_answer", "plan_section"]
            ))
        else:
            kind = draw(st.sampled_from(["plan_section", "goal"]))
        records[i] = replace(r, kind=kind)
    spec_so_far = FamilySpec(now=now, persons=tuple(persons), participants=tuple(participants),
                             records=tuple(records))
    n_records = len(records)
    record_ix = st.integers(0, n_records - 1)

    def near(record: int) -> list[int]:
        """What hangs above, under and next to `record`."""
        parent = records[record].parent
        return [j for j, r in enumerate(records) if j != record and (
            j == parent or r.parent == record or (parent is not None and r.parent == parent)
        )]

    consents: list[ConsentSpec] = []

    def consent_group(target: int, grantee: dict, subjects: list[int], *, complete=1) -> None:
        """One consent from each of `subjects` to `grantee`, aimed at record `target`: for
        categories, or (a record grant) for the target or a record next to it. `complete` > 1
        makes plainly valid consents (everyone who could consent has, in time, not revoked;
        declined now and then all the same) more frequent: a grant that is not valid tells
        little."""
        if draw(st.booleans()):
            if draw(often):
                record = target
            else:
                record = draw(st.sampled_from(near(target)) if near(target) else record_ix)
            complete += 1
        else:
            record = None
        for subject in subjects:
            # who could consent: the subject and their holders (and now and then someone else),
            # the organisations holding authority and the legal representatives
            spec = persons[subject]
            possible = sorted({subject, *spec.holders,
                               *(p for _k, p, _o in spec.representatives if p is not None)})
            possible_orgs = sorted({*spec.guardians,
                                    *(o for _k, _p, o in spec.representatives if o is not None)})
            org_approvers = []
            # whether "subject only" or "holders only" suffices depends on the age on the day
            plainly_valid = draw(st.sampled_from([True] * (complete - 1) + [False, False]))
            how = "all" if plainly_valid else draw(st.sampled_from(
                ["all", "subject", "holders", "all_but_one", "random"]
                + ["without_representatives"] * bool(spec.representatives)
            ))
            if how == "without_representatives":  # the person alone, and their holders
                approvers = [p for p in possible if p in {subject, *spec.holders}]
                org_approvers = list(spec.guardians)
            elif how == "subject":
                approvers = [subject]
            elif how == "holders":
                approvers = list(persons[subject].holders)
                org_approvers = list(spec.guardians)
            elif how == "all":
                approvers, org_approvers = possible, possible_orgs
            elif how == "all_but_one":
                gone = draw(st.sampled_from(possible + [-1 - o for o in possible_orgs]))
                approvers = [p for p in possible if p != gone]
                org_approvers = [o for o in possible_orgs if -1 - o != gone]
            else:
                approvers = draw(st.lists(person_ix, unique=True, max_size=3))
                org_approvers = draw(st.lists(org_ix, unique=True, max_size=2))
            if record is not None:  # normally in the record's own category
                if draw(often):
                    cats = [records[record].category]
                else:
                    cats = draw(st.lists(categories, min_size=1, max_size=2, unique=True))
            else:
                extra = draw(st.lists(categories, max_size=5, unique=True))
                if draw(often):
                    cats = [records[target].category, *extra]
                else:  # aimed elsewhere
                    cats = extra or [draw(categories)]
            if plainly_valid:
                start = draw(st.sampled_from([-30 * DAY, -DAY, -TINY, ZERO]))
                end = draw(st.sampled_from([None, 30 * DAY, TINY]))
                revoked = draw(st.sampled_from([None, DAY, TINY]))
            elif draw(often):  # valid in time, mostly
                start = draw(st.sampled_from([-30 * DAY, -DAY, -TINY, ZERO, TINY]))
                end = draw(st.sampled_from([None, None, 30 * DAY, TINY, ZERO]))
                revoked = draw(st.sampled_from([None, None, None, DAY, TINY, ZERO, -TINY]))
            else:
                start = draw(st.sampled_from([-30 * DAY, -DAY]) | offsets)
                end = draw(st.none() | offsets)
                revoked = draw(st.none() | offsets)
            # a request asked for by a participant, now and then declined by a consenter --
            # whatever approvals it has (its consenters may be others than on the day it was
            # declined: the youth has turned 16 since)
            declined = declined_by = requested_by = None
            if draw(st.sampled_from([False] * (4 if plainly_valid else 3) + [True])):
                declined = draw(st.sampled_from([-DAY, -HOUR, -TINY, ZERO, TINY, DAY]))
                declined_by = draw(st.sampled_from(possible))
            if declined is not None or not draw(often):
                requested_by = draw(part_ix)
            consents.append(ConsentSpec(
                subject=subject, categories=tuple(sorted(set(cats))),
                approvers=tuple(sorted(approvers)), org_approvers=tuple(sorted(org_approvers)),
                start=start, end=end, revoked=revoked,
                record=record, declined=declined, declined_by=declined_by,
                requested_by=requested_by, **grantee,
            ))

    # The youth's grants to the parent (participant 0), and now and then to an organisation.
    for target in youth_records:
        for _ in range(draw(st.sampled_from([0, 1, 1, 2]))):
            if draw(often):
                grantee = dict(to_participant=0)
            else:
                grantee = dict(to_org=draw(org_ix))
            others = [s for s in records[target].subjects if s != p0] or [youth]
            consent_group(target, grantee, others if draw(often) else [youth], complete=4)

    # Consents come in groups aimed at one record and one grantee: one consent from each of
    # its subjects (or from some of them), each with its own approvals and times. Random
    # consents alone would hardly ever open a record about two people.
    for _ in range(draw(st.integers(1, 8))):
        target = draw(record_ix)
        subjects = list(records[target].subjects) or [draw(person_ix)]
        if len(subjects) > 1 and not draw(often):
            subjects = draw(st.lists(st.sampled_from(subjects), min_size=1, unique=True))
        to_org = draw(st.booleans())
        grantee = dict(to_org=draw(org_ix)) if to_org else dict(to_participant=draw(part_ix))
        consent_group(target, grantee, subjects)

    # Shields aimed at a record (its author now and then: a shield beats authorship): on the
    # record itself, on a record it hangs under, or on its category for one of its subjects.
    shields = []
    hanging = [i for i, r in enumerate(records) if r.parent is not None]
    for _ in range(draw(st.sampled_from([0, 1, 2, 3, 4]))):  # uniform; shrinks to none
        record = draw(st.sampled_from(hanging) if hanging and draw(st.booleans()) else record_ix)
        target = records[record]
        above = spec_so_far.ancestors(record)
        if above and draw(st.booleans()):
            hidden = draw(st.sampled_from(above))
        else:
            hidden = record
        subjects = records[hidden].subjects
        subject = draw(st.sampled_from(subjects) if subjects else person_ix)
        # mostly from someone who might see the target otherwise: its author, a grantee
        # of a consent covering it, a family member (algemeen)
        could_see = sorted({
            *([target.author] if target.author is not None else []),
            *(c.to_participant for c in consents if c.to_participant is not None
              and c.record in (None, record) and target.category in c.categories),
            *(i for i, p in enumerate(participants)
              if p.role == "family" and target.category == Category.ALGEMEEN.value),
        })
        if could_see and draw(often):
            participant = draw(st.sampled_from(could_see))
        else:
            participant = draw(part_ix)
        lifted = draw(st.none() | st.none() | offsets)
        if hidden != record or draw(st.booleans()):
            shields.append(ShieldSpec(participant, subject, record=hidden, lifted=lifted))
        else:
            category = target.category if draw(often) else draw(categories)
            shields.append(ShieldSpec(participant, subject, category=category, lifted=lifted))

    emergencies = []
    professionals = [i for i, p in enumerate(participants) if Role(p.role).is_professional]
    for _ in range(draw(st.integers(0, 3))):
        target = records[draw(record_ix)]
        if target.subjects and draw(often):
            subject, category = draw(st.sampled_from(target.subjects)), target.category
        else:
            subject, category = draw(person_ix), draw(categories)
        if draw(often):  # the default: 24 hours from a moment ago
            start = draw(st.sampled_from([-HOUR, -23 * HOUR, -SECOND, ZERO]))
            length, ended = 24 * HOUR, draw(st.sampled_from([None, None, None, TINY, -TINY]))
        else:
            start = draw(st.sampled_from([-HOUR, -24 * HOUR, ZERO, TINY]) | offsets)
            length = draw(st.sampled_from([24 * HOUR, HOUR, TINY, ZERO])
                          | st.timedeltas(-DAY, 3 * DAY))
            ended = draw(st.none() | offsets)
        emergencies.append(EmergencySpec(
            participant=draw(st.sampled_from(professionals) | part_ix),
            subject=subject, category=category, start=start, end=start + length, ended=ended,
        ))

    return FamilySpec(
        now=now, persons=tuple(persons), participants=tuple(participants), organisations=n_orgs,
        records=tuple(records), consents=tuple(consents), shields=tuple(shields),
        emergencies=tuple(emergencies),
    )


# --- into the database, and the comparison ---------------------------------------------------


@dataclass
class Written:
    family_id: int
    persons: list[int]
    orgs: list[int]
    participants: list[int]
    records: list[int]
    consents: list[int]
    shields: list[int]
    emergencies: list[int]


def _record(r: RecordSpec, i: int, depth: int, family, plan, parent, persons, participants, now):
    """Record `r` (index `i`, `depth` deep) as the kind it is, under `parent` (flushed)."""
    common = dict(
        family_id=family.id, category=r.category, subjects=[persons[s] for s in r.subjects],
        author=participants[r.author] if r.author is not None else None,
    )
    if r.inherits and parent is not None:
        common.update(category=None, subjects=[], privacy_source=parent.privacy_owner)
    if r.kind != "plan_section" and parent is not None and not isinstance(parent, Goal):
        raise ValueError(f"R{i}: a {r.kind} hangs under a goal, not under R{r.parent}")
    goal_id = parent.id if parent is not None else None
    if r.kind == "plan_section":  # the generic way: parent_record_id set directly
        return PlanSection(plan_id=plan.id, section="zorgen", body=f"R{i}", position=i,
                           parent_record_id=goal_id, **common)
    if r.kind == "goal":
        level = ("doel", "tussendoel", "werkpunt", "werkpunt")[min(depth, 3)]
        return Goal(plan_id=plan.id, title=f"R{i}", life_domain="veiligheid", level=level,
                    parent_id=goal_id, **common)
    if parent is None:
        raise ValueError(f"R{i}: a {r.kind} hangs under a goal")
    if r.kind == "action":
        return Action(goal_id=goal_id, what=f"R{i}", **common)
    if r.kind == "gas_score":
        return GasScore(goal_id=goal_id, level=0, scored_on=local_day(now), **common)
    if r.kind == "scaling_answer":
        return ScalingAnswer(goal_id=goal_id, question="voortgang", score=5,
                             answered_on=local_day(now), **common)
    raise ValueError(f"R{i}: unknown kind {r.kind!r}")


def write(session: Session, spec: FamilySpec) -> Written:
    """Write `spec` into the session's transaction (flushed, never committed)."""
    now, tag = spec.now, uuid.uuid4().hex[:10]
    at = lambda offset: None if offset is None else now + offset  # noqa: E731
    family = Family(name=f"Twin {tag}")
    persons = [
        Person(family=family, first_name=f"P{i}", last_name="Twin", date_of_birth=p.dob)
        for i, p in enumerate(spec.persons)
    ]
    orgs = [Organisation(name=f"Twin {tag} O{i}", kind="other") for i in range(spec.organisations)]
    for person, p in zip(persons, spec.persons):
        person.authority_holders = [persons[h] for h in p.holders]
        person.authority_organisations = [orgs[g] for g in p.guardians]
        person.representatives = [
            LegalRepresentative(kind=kind, representative=persons[who] if who is not None else None,
                                organisation=orgs[org] if org is not None else None)
            for kind, who, org in p.representatives
        ]
    participants = [
        Participant(
            family=family, role=p.role,
            user=User(email=f"u{i}-{tag}@twin.test", name=f"U{i}"),
            person=persons[p.person] if p.person is not None else None,
            organisation=orgs[p.org] if p.org is not None else None,
        )
        for i, p in enumerate(spec.participants)
    ]
    plan = Plan(family=family)
    session.add_all([family, *orgs, *participants, plan])
    session.flush()
    # Level by level: the after-insert listener writes a record's closure rows (its parent and
    # the parent's ancestors) and needs the parent flushed, with its own rows, first.
    records: list[Record | None] = [None] * len(spec.records)
    depths = [_depth(spec.records, i) for i in range(len(spec.records))]
    for level in range(max(depths, default=-1) + 1):
        batch = []
        for i, r in enumerate(spec.records):
            if depths[i] != level:
                continue
            parent = records[r.parent] if r.parent is not None else None
            records[i] = _record(r, i, level, family, plan, parent, persons, participants, now)
            batch.append(records[i])
        session.add_all(batch)
        session.flush()
    consents = [
        Consent(
            family_id=family.id, subject=persons[c.subject],
            grantee_organisation=orgs[c.to_org] if c.to_org is not None else None,
            grantee_participant=(
                participants[c.to_participant] if c.to_participant is not None else None
            ),
            start_at=at(c.start), end_at=at(c.end), revoked_at=at(c.revoked),
            categories=[ConsentCategory(category=cat) for cat in c.categories],
            approvals=[ConsentApproval(person=persons[a]) for a in c.approvers],
            organisation_approvals=[ConsentOrganisationApproval(organisation=orgs[o])
                                    for o in c.org_approvers],
            record=records[c.record] if c.record is not None else None,
            declined_at=at(c.declined),
            declined_by=persons[c.declined_by] if c.declined_by is not None else None,
            requested_by=(
                participants[c.requested_by] if c.requested_by is not None else None
            ),
            how="verzoek" if c.requested_by is not None else "app",
        )
        for c in spec.consents
    ]
    shields = [
        Shield(
            family_id=family.id, subject=persons[s.subject],
            participant=participants[s.participant],
            record=records[s.record] if s.record is not None else None, category=s.category,
            lifted_at=at(s.lifted),
        )
        for s in spec.shields
    ]
    emergencies = [
        EmergencyAccess(
            family_id=family.id, participant=participants[e.participant],
            subject=persons[e.subject], category=e.category, aim="-", without_information="-",
            consent_attempts="-", weighing="-", needed="-", start_at=at(e.start),
            end_at=at(e.end), ended_at=at(e.ended),
        )
        for e in spec.emergencies
    ]
    session.add_all([*consents, *shields, *emergencies])
    session.flush()
    ids = lambda rows: [row.id for row in rows]  # noqa: E731
    written = Written(
        family.id, ids(persons), ids(orgs), ids(participants), ids(records), ids(consents),
        ids(shields), ids(emergencies),
    )
    session.expire_all()  # from here on, everything is read back from the database
    return written


@dataclass
class Outcome:
    """Per participant index: the record indices each twin lets them see."""

    sql: dict[int, set[int]] = field(default_factory=dict)
    pure: dict[int, set[int]] = field(default_factory=dict)
    decisions: dict[tuple[int, int], policy.Decision] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # the family was not written as generated

    def disagreements(self) -> list[tuple[int, int]]:
        return sorted(
            (p, r) for p in self.sql for r in self.sql[p] ^ self.pure[p]
        )


def compare(session: Session, spec: FamilySpec, w: Written) -> Outcome:
    now = spec.now
    record_ix = {rid: i for i, rid in enumerate(w.records)}
    facts = family_facts(session, w.family_id)
    records = session.scalars(
        select(Record).where(Record.family_id == w.family_id)
        .options(selectinload(Record.subjects))
    ).all()
    assert sorted(r.id for r in records) == sorted(w.records)
    participants = {
        p.id: p
        for p in session.scalars(select(Participant).where(Participant.family_id == w.family_id))
    }
    out = Outcome()
    # what the twins decide on must be the generated family: the closure table (written by the
    # after-insert listener) holds every record's ancestors, the loader every consent's fields
    for record in records:
        i = record_ix[record.id]
        want = {w.records[a] for a in spec.ancestors(i)}
        got = record_facts(record).ancestor_ids
        if got != want or record.kind != spec.records[i].kind:
            out.problems.append(
                f"R{i} (#{record.id}, {record.kind}): ancestors in record_ancestor "
                f"{sorted(got)}, expected {sorted(want)}"
            )
    consent_ix = {cid: i for i, cid in enumerate(w.consents)}
    for grant in facts.grants:
        c = spec.consents[consent_ix[grant.id]]
        want_record = w.records[c.record] if c.record is not None else None
        if (grant.record_id, grant.declined, grant.categories, grant.consenter_organisation_ids) != (
            want_record, c.declined is not None, frozenset(Category(x) for x in c.categories),
            frozenset(w.orgs[o] for o in c.org_approvers),
        ):
            out.problems.append(f"C{consent_ix[grant.id]} loaded as {grant}")
    for i, pid in enumerate(w.persons):  # who speaks for whom, as loaded
        p, loaded = spec.persons[i], facts.persons[pid]
        want = {(Representation(k), w.persons[who] if who is not None else None,
                 w.orgs[org] if org is not None else None) for k, who, org in p.representatives}
        got = {(r.kind, r.person_id, r.organisation_id) for r in loaded.representatives}
        if (loaded.authority_organisations, got) != (frozenset(w.orgs[g] for g in p.guardians), want):
            out.problems.append(f"P{i} loaded as {loaded}")
    for p_ix, pid in enumerate(w.participants):
        viewer = viewer_facts(participants[pid])
        sql_ids = set(session.scalars(
            select(Record.id).where(visible_filter(viewer, w.family_id)).params(moment(viewer, now))
        ))
        assert sql_ids <= set(w.records), "the SQL filter let through another family's record"
        out.sql[p_ix] = {record_ix[rid] for rid in sql_ids}
        out.pure[p_ix] = set()
        for record in records:
            decision = policy.can_view(viewer, record_facts(record), facts, now)
            out.decisions[p_ix, record_ix[record.id]] = decision
            if decision.allowed:
                out.pure[p_ix].add(record_ix[record.id])
    return out


def _t(offset: timedelta | None) -> str:
    if offset is None:
        return "-"
    if offset == ZERO:
        return "now"
    sign, offset = ("+", offset) if offset > ZERO else ("-", -offset)
    parts = []
    if offset.days:
        parts.append(f"{offset.days}d")
    seconds, micro = offset.seconds, offset.microseconds
    if seconds >= 3600:
        parts.append(f"{seconds // 3600}h")
    if seconds % 3600 >= 60:
        parts.append(f"{seconds % 3600 // 60}m")
    if seconds % 60:
        parts.append(f"{seconds % 60}s")
    if micro:
        parts.append(f"{micro}µs")
    return "now" + sign + "".join(parts)


def grant_state(spec: FamilySpec, c: ConsentSpec, *, declined: bool | None = None) -> str:
    """What `policy.grant_status` says of consent `c` at `spec.now` (person indices as ids);
    `declined=False`: as if nobody had said no."""
    person = spec.persons[c.subject]
    at = lambda offset: None if offset is None else spec.now + offset  # noqa: E731
    grant = GrantFacts(
        id=0, subject_id=c.subject, categories=frozenset(Category(x) for x in c.categories),
        start=spec.now + c.start, end=at(c.end), revoked_at=at(c.revoked),
        consenter_ids=frozenset(c.approvers), consenter_organisation_ids=frozenset(c.org_approvers),
        record_id=c.record, declined=c.declined is not None if declined is None else declined,
    )
    facts = PersonFacts(
        c.subject, person.dob, frozenset(person.holders), frozenset(person.guardians),
        tuple(RepresentativeFacts(Representation(k), person_id=who, organisation_id=org)
              for k, who, org in person.representatives),
    )
    return policy.grant_status(grant, facts, spec.now).state


def describe(spec: FamilySpec, w: Written, out: Outcome | None = None) -> str:
    """The family in readable form, with database ids, and where the twins disagree."""
    now, day = spec.now, local_day(spec.now)
    names = lambda prefix, ixs: ",".join(f"{prefix}{i}" for i in ixs) or "nobody"  # noqa: E731
    lines = [
        f"now = {now.isoformat(' ')} UTC; the day in Amsterdam is {day} "
        f"(UTC date {now.date()})"
    ]
    lines.append("organisations: " + ", ".join(f"O{i} #{oid}" for i, oid in enumerate(w.orgs)))
    lines.append("persons:")
    for i, p in enumerate(spec.persons):
        age = age_on(p.dob, day)
        band = ("under 12" if age < AGE_OF_CO_CONSENT else "12-15" if age < AGE_OF_CONSENT
                else "16+")
        speaks = "".join(
            f"; {kind}: " + (f"P{who}" if who is not None else f"O{org}")
            for kind, who, org in p.representatives
        )
        guardians = f" and {names('O', p.guardians)}" if p.guardians else ""
        lines.append(
            f"  P{i} #{w.persons[i]}: born {p.dob}, {age} in Amsterdam today ({band}; "
            f"{age_on(p.dob, now.date())} by the UTC date); authority: "
            f"{names('P', p.holders)}{guardians}{speaks}"
        )
    lines.append("participants:")
    for i, p in enumerate(spec.participants):
        link = f" = P{p.person}" if p.person is not None else ""
        link += f" of O{p.org}" if p.org is not None else ""
        lines.append(f"  U{i} #{w.participants[i]}: {p.role}{link}")
    lines.append("records:")
    for i, r in enumerate(spec.records):
        by = f" by U{r.author}" if r.author is not None else ""
        above = spec.ancestors(i)
        where = f", under {' < '.join(f'R{a}' for a in above)}" if above else ""
        lines.append(f"  R{i} #{w.records[i]}: {r.kind}, {r.category} about "
                     f"{names('P', r.subjects)}{by}{where}")
    lines.append("consents:")
    for i, c in enumerate(spec.consents):
        to = f"O{c.to_org}" if c.to_org is not None else f"U{c.to_participant}"
        what = "+".join(c.categories)
        if c.record is not None:
            what = f"R{c.record} only (record grant, in {what})"
        asked = f"; asked by U{c.requested_by}" if c.requested_by is not None else ""
        no = (f"; declined {_t(c.declined)} by P{c.declined_by}" if c.declined is not None
              else "")
        lines.append(
            f"  C{i} #{w.consents[i]}: from P{c.subject} to {to} for {what}, "
            f"approved by {names('P', c.approvers)}"
            f"{' and ' + names('O', c.org_approvers) if c.org_approvers else ''}; "
            f"start {_t(c.start)}, end {_t(c.end)}, "
            f"revoked {_t(c.revoked)}{asked}{no} -> policy: {grant_state(spec, c)}"
        )
    lines.append("shields:")
    for i, s in enumerate(spec.shields):
        what = (f"R{s.record} and all under it" if s.record is not None
                else f"{s.category} about P{s.subject}")
        lines.append(f"  S{i} #{w.shields[i]}: hides {what} (subject P{s.subject}) from "
                     f"U{s.participant}; lifted {_t(s.lifted)}")
    lines.append("emergencies:")
    for i, e in enumerate(spec.emergencies):
        lines.append(f"  E{i} #{w.emergencies[i]}: U{e.participant} for P{e.subject}/{e.category}"
                     f" from {_t(e.start)} to {_t(e.end)}, ended {_t(e.ended)}")
    if out is not None and out.problems:
        lines.append("NOT WRITTEN AS GENERATED:")
        lines += [f"  {problem}" for problem in out.problems]
    if out is not None:
        problems = out.disagreements()
        lines.append("disagreements:" if problems else "the twins agree")
        for p_ix, r_ix in problems:
            d = out.decisions[p_ix, r_ix]
            sql = "shows it" if r_ix in out.sql[p_ix] else "hides it"
            pure = "allows" if d.allowed else "denies"
            lines.append(f"  U{p_ix} ({spec.participants[p_ix].role}) x R{r_ix}: SQL {sql}, "
                         f"policy {pure} ({d.ground}: {d.detail})")
    return "\n".join(lines)


def check_twins(session: Session, spec: FamilySpec) -> Outcome:
    """Write, compare, roll back. Fails with the family printed when the twins disagree."""
    try:
        w = write(session, spec)
        out = compare(session, spec, w)
        text = describe(spec, w, out)
        if out.problems:
            if _in_hypothesis():
                note(text)
            raise AssertionError("the family was not written as generated\n" + text)
        if out.disagreements():
            if _in_hypothesis():
                note(text)
            raise AssertionError("the privacy twins disagree\n" + text)
        return out
    finally:
        session.rollback()


def _in_hypothesis() -> bool:
    from hypothesis.control import currently_in_test_context

    return currently_in_test_context()


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


# --- the nastiest cases, pinned to DESIGN.md §3 --------------------------------------------

WINTER = datetime(2025, 1, 14, 23, 30)  # 00:30 on 15 January in Amsterdam
MOTHER, FATHER, CHILD = 0, 1, 2
U_MOTHER, U_PRO, U_NETWORK, U_REGISSEUR, U_CHILD = 0, 1, 2, 3, 4


def _household(child_dob: date, now: datetime, **kw) -> FamilySpec:
    """Mother, father, one child under both parents' authority; the mother, a professional
    of O0, the grandmother (network), a casusregisseur of O1 and the child take part."""
    return FamilySpec(
        now=now,
        persons=(PersonSpec(date(1985, 5, 5)), PersonSpec(date(1983, 8, 8)),
                 PersonSpec(child_dob, (MOTHER, FATHER))),
        participants=(ParticipantSpec("family", person=MOTHER),
                      ParticipantSpec("professional", org=0), ParticipantSpec("network"),
                      ParticipantSpec("casusregisseur", org=1),
                      ParticipantSpec("family", person=CHILD)),
        organisations=2, **kw,
    )


def twelfth_birthday(now: datetime, child_dob: date) -> FamilySpec:
    return _household(
        child_dob, now,
        records=(RecordSpec("gezondheid", (CHILD,)), RecordSpec("algemeen", (CHILD,))),
        consents=(ConsentSpec(CHILD, ("algemeen", "gezondheid"), (MOTHER, FATHER), to_org=0),),
    )


def sixteenth_birthday(now: datetime) -> FamilySpec:
    return _household(
        date(2009, 1, 15), now,
        records=(RecordSpec("gezondheid", (CHILD,)),),
        consents=(ConsentSpec(CHILD, ("gezondheid",), (CHILD,), to_org=0),),
    )


ADULT = 0


def _adult(records, consents=(), shields=()) -> FamilySpec:
    """One adult, a professional of O0 (U1), the grandmother (network, U2) and a second
    professional of O0 (U3)."""
    return FamilySpec(
        now=WINTER,
        persons=(PersonSpec(date(1985, 5, 5)),),
        participants=(ParticipantSpec("family", person=ADULT),
                      ParticipantSpec("professional", org=0), ParticipantSpec("network"),
                      ParticipantSpec("professional", org=0)),
        organisations=2, records=records, consents=consents, shields=shields,
    )


def one_record_grant() -> FamilySpec:
    return _adult(
        records=(
            RecordSpec("veiligheid", (ADULT,), kind="goal"),  # R0: the safety plan
            RecordSpec("veiligheid", (ADULT,), parent=0, kind="action"),  # R1: its action
            RecordSpec("veiligheid", (ADULT,)),  # R2: another safety item
            RecordSpec("gezondheid", (ADULT,)),  # R3
        ),
        consents=(
            ConsentSpec(ADULT, ("veiligheid",), (ADULT,), to_participant=2, record=0),  # oma: R0
            ConsentSpec(ADULT, ("veiligheid",), (ADULT,), to_org=0, record=2),  # O0: R2
            # for R3, but in a category R3 is not: nothing
            ConsentSpec(ADULT, ("veiligheid",), (ADULT,), to_org=0, record=3),
            # revoked, and not yet given: nothing
            ConsentSpec(ADULT, ("veiligheid",), (ADULT,), to_participant=2, record=2,
                        revoked=-SECOND),
            ConsentSpec(ADULT, ("veiligheid",), (), to_participant=2, record=1,
                        requested_by=1),
        ),
    )


def shield_on_a_goal() -> FamilySpec:
    return _adult(
        records=(
            RecordSpec("gezondheid", (ADULT,), kind="goal"),  # R0
            RecordSpec("gezondheid", (ADULT,), parent=0, kind="goal"),  # R1: sub-goal
            RecordSpec("gezondheid", (ADULT,), author=2, parent=1, kind="action"),  # R2
            RecordSpec("gezondheid", (ADULT,), kind="goal"),  # R3: another goal
            RecordSpec("gezondheid", (ADULT,), parent=3, kind="action"),  # R4: its action
        ),
        consents=(ConsentSpec(ADULT, CATEGORIES, (ADULT,), to_org=0),
                  ConsentSpec(ADULT, CATEGORIES, (ADULT,), to_participant=2)),
        shields=(
            ShieldSpec(2, ADULT, record=0),  # the goal, from oma: its action too, hers or not
            ShieldSpec(1, ADULT, record=1),  # the sub-goal, from U1
            ShieldSpec(3, ADULT, record=0, lifted=-SECOND),  # lifted: no effect
        ),
    )


YOUTH_BORN = date(2010, 6, 1)  # 14 on WINTER


def fourteen_year_olds_health(approvers: tuple[int, ...]) -> FamilySpec:
    grant = ConsentSpec(CHILD, ("gezondheid", "veiligheid"), approvers, to_participant=U_MOTHER)
    return _household(
        YOUTH_BORN, WINTER,
        records=(
            RecordSpec("gezondheid", (CHILD,), kind="goal"),  # R0
            RecordSpec("algemeen", (CHILD,)),  # R1: the family's shared information
            RecordSpec("gezondheid", (MOTHER, CHILD)),  # R2: about both: her grant still counts
            RecordSpec("veiligheid", (CHILD,), parent=0, kind="action"),  # R3
            RecordSpec("justitie", (CHILD,)),  # R4: not in the grant
        ),
        consents=(grant,) if approvers else (),
    )


def declined_request(now: datetime, declined: timedelta | None) -> FamilySpec:
    """U1 asked O0 for the youth's health information when she was 15; she and her mother
    said yes, her father said no. At 16 her yes alone would do, but no is no."""
    return _household(
        date(2009, 1, 15), now,
        records=(RecordSpec("gezondheid", (CHILD,)),),
        consents=(ConsentSpec(CHILD, ("gezondheid",), (CHILD, MOTHER), to_org=0, start=-DAY,
                              requested_by=U_PRO, declined=declined,
                              declined_by=FATHER if declined is not None else None),),
    )


def guardianship(approvers: tuple[int, ...], org_approvers: tuple[int, ...]) -> FamilySpec:
    """A child of 7 under guardianship of O1 (a jeugdbescherming organisation; the parents hold
    no authority), and a grant from the child to O0."""
    return FamilySpec(
        now=WINTER,
        persons=(PersonSpec(date(1985, 5, 5)), PersonSpec(date(1983, 8, 8)),
                 PersonSpec(date(2017, 3, 3), guardians=(1,))),
        participants=(ParticipantSpec("family", person=MOTHER),
                      ParticipantSpec("professional", org=0), ParticipantSpec("network"),
                      ParticipantSpec("casusregisseur", org=1),
                      ParticipantSpec("family", person=CHILD)),
        organisations=2,
        records=(RecordSpec("gezondheid", (CHILD,)), RecordSpec("algemeen", (CHILD,))),
        consents=(ConsentSpec(CHILD, ("algemeen", "gezondheid"), approvers, to_org=0,
                              org_approvers=org_approvers),),
    )


def with_a_bewindvoerder(grants: tuple[tuple[str, tuple[int, ...], tuple[int, ...]], ...]):
    """An adult whose bewindvoerder is O1; grants (category, persons, organisations that said
    yes) from her to O0, about R0 (money) and R1 (health)."""
    return FamilySpec(
        now=WINTER,
        persons=(PersonSpec(date(1985, 5, 5), representatives=(("bewindvoerder", None, 1),)),),
        participants=(ParticipantSpec("family", person=ADULT),
                      ParticipantSpec("professional", org=0), ParticipantSpec("network"),
                      ParticipantSpec("professional", org=1)),
        organisations=2,
        records=(RecordSpec("financien", (ADULT,)), RecordSpec("gezondheid", (ADULT,))),
        consents=tuple(ConsentSpec(ADULT, (category,), persons, to_org=0, org_approvers=orgs)
                       for category, persons, orgs in grants),
    )


EXAMPLES = [
    guardianship((), (1,)),
    with_a_bewindvoerder((("financien", (ADULT,), ()), ("gezondheid", (), (1,)))),
    twelfth_birthday(WINTER, date(2013, 1, 15)),
    sixteenth_birthday(WINTER),
    twelfth_birthday(datetime(2024, 2, 28, 23, 30), date(2012, 2, 29)),
    one_record_grant(),
    shield_on_a_goal(),
    fourteen_year_olds_health((CHILD, MOTHER, FATHER)),
    fourteen_year_olds_health((CHILD,)),
    declined_request(WINTER, -HOUR),
]


def run(engine, spec: FamilySpec) -> Outcome:
    with Session(engine) as session:
        return check_twins(session, spec)


@pytest.mark.parametrize(
    "now, child_dob, professional_sees",
    [
        # turns 12 on 15 January in Amsterdam (still the 14th in UTC): now the child must
        # consent too, and has not -> the grant is pending
        (WINTER, date(2013, 1, 15), set()),
        (WINTER - HOUR, date(2013, 1, 15), {0, 1}),  # 23:30 on the 14th there: still 11
        # summer time: midnight in Amsterdam is 22:00 UTC
        (datetime(2024, 7, 1, 22, 0), date(2012, 7, 2), set()),
        (datetime(2024, 7, 1, 21, 59, 59, 999999), date(2012, 7, 2), {0, 1}),
        # born on 29 February, a leap year again
        (datetime(2024, 2, 28, 23, 30), date(2012, 2, 29), set()),
        (datetime(2024, 2, 28, 22, 30), date(2012, 2, 29), {0, 1}),
    ],
)
def test_child_turning_12_with_only_the_parents_consent(engine, now, child_dob, professional_sees):
    out = run(engine, twelfth_birthday(now, child_dob))
    still_11 = professional_sees == {0, 1}
    assert out.sql[U_PRO] == professional_sees
    # authority covers a child under 12; from the 12th birthday the health record is hers
    assert out.sql[U_MOTHER] == ({0, 1} if still_11 else {1})
    assert out.sql[U_CHILD] == {0, 1}  # subject
    assert out.sql[U_NETWORK] == out.sql[U_REGISSEUR] == set()


@pytest.mark.parametrize("now, age", [(WINTER, 16), (WINTER - HOUR, 15)])
def test_sixteenth_birthday(engine, now, age):
    """From 16 the youth consents alone; at 15 her grant needs the parents' yes too. Her
    health record is not her mother's to see at either age (authority ends at 12)."""
    out = run(engine, sixteenth_birthday(now))
    if age == 16:
        assert out.sql[U_PRO] == {0}
    else:
        assert out.sql[U_PRO] == set()
    assert out.sql[U_MOTHER] == set() and out.sql[U_CHILD] == {0}


def test_shield_on_a_category_versus_on_a_record(engine):
    adult = 0
    spec = FamilySpec(
        now=WINTER,
        persons=(PersonSpec(date(1985, 5, 5)),),
        participants=(ParticipantSpec("family", person=adult),
                      ParticipantSpec("professional", org=0),
                      ParticipantSpec("network")),
        records=(
            RecordSpec("verblijfplaats", (adult,), author=1),  # R0: written by U1 himself
            RecordSpec("verblijfplaats", (adult,)),  # R1
            RecordSpec("algemeen", (adult,)),  # R2
            RecordSpec("gezondheid", (adult,)),  # R3
        ),
        consents=(ConsentSpec(adult, CATEGORIES, (adult,), to_org=0),
                  ConsentSpec(adult, CATEGORIES, (adult,), to_participant=2)),
        shields=(
            ShieldSpec(1, adult, category="verblijfplaats"),  # the address, from U1
            ShieldSpec(2, adult, record=3),  # R3 only, from U2
            ShieldSpec(2, adult, record=2, lifted=-SECOND),  # lifted: no effect
            ShieldSpec(1, adult, category="gezondheid", lifted=ZERO),  # lifted right now
        ),
    )
    out = run(engine, spec)
    assert out.sql[1] == {2, 3}  # a shield beats even authorship
    assert out.sql[2] == {0, 1, 2}
    assert out.sql[0] == {0, 1, 2, 3}


@pytest.mark.parametrize("with_grant_from_mother", [False, True])
def test_emergency_covering_one_of_two_subjects(engine, with_grant_from_mother):
    consents = (ConsentSpec(MOTHER, ("veiligheid",), (MOTHER,), to_org=0),)
    spec = _household(
        date(2017, 3, 3), WINTER,
        records=(RecordSpec("veiligheid", (CHILD,)), RecordSpec("veiligheid", (MOTHER, CHILD)),
                 RecordSpec("gezondheid", (CHILD,))),
        consents=consents if with_grant_from_mother else (),
        emergencies=(
            EmergencySpec(U_PRO, CHILD, "veiligheid"),
            EmergencySpec(U_NETWORK, CHILD, "veiligheid"),  # network: no doorbreken
            EmergencySpec(U_REGISSEUR, CHILD, "veiligheid", start=-DAY, end=ZERO),  # expired
            EmergencySpec(U_REGISSEUR, CHILD, "gezondheid", ended=-SECOND),  # ended early
        ),
    )
    out = run(engine, spec)
    assert out.sql[U_PRO] == ({0, 1} if with_grant_from_mother else {0})
    assert out.sql[U_NETWORK] == out.sql[U_REGISSEUR] == set()


def test_subjectless_records(engine):
    adult = 0
    spec = FamilySpec(
        now=WINTER,
        persons=(PersonSpec(date(1985, 5, 5)),),
        participants=(ParticipantSpec("family", person=adult),
                      ParticipantSpec("professional", org=0),
                      ParticipantSpec("network"), ParticipantSpec("casusregisseur", org=0)),
        records=(RecordSpec("algemeen"), RecordSpec("gezondheid"),
                 RecordSpec("gezondheid", author=1)),
        consents=(ConsentSpec(adult, CATEGORIES, (adult,), to_org=0),
                  ConsentSpec(adult, CATEGORIES, (adult,), to_participant=2)),
    )
    out = run(engine, spec)
    assert out.sql == {0: {0}, 1: {2}, 2: set(), 3: set()}


@pytest.mark.parametrize(
    "revoked, visible",
    [(SECOND, True), (TINY, True), (ZERO, False), (-SECOND, False), (None, True)],
)
def test_revoked_at_in_the_future(engine, revoked, visible):
    adult = 0
    spec = FamilySpec(
        now=WINTER,
        persons=(PersonSpec(date(1985, 5, 5)),),
        participants=(ParticipantSpec("family", person=adult),
                      ParticipantSpec("professional", org=0)),
        records=(RecordSpec("gezondheid", (adult,)),),
        consents=(ConsentSpec(adult, ("gezondheid",), (adult,), to_org=0, revoked=revoked),),
    )
    out = run(engine, spec)
    assert out.sql[1] == ({0} if visible else set())


def test_a_record_grant_covers_that_record_only(engine):
    out = run(engine, one_record_grant())
    assert out.sql[2] == {0}  # oma: the safety plan, not its action, not the other item
    assert out.sql[1] == out.sql[3] == {2}  # O0: the one record granted in its category
    assert out.sql[0] == {0, 1, 2, 3}


def test_a_shield_on_a_goal_hides_what_hangs_under_it(engine):
    out = run(engine, shield_on_a_goal())
    assert out.sql[2] == {3, 4}  # the goal, its sub-goal and the action two levels down (hers)
    assert out.sql[1] == {0, 3, 4}  # the sub-goal and its action
    assert out.sql[3] == {0, 1, 2, 3, 4}  # lifted
    assert out.sql[0] == {0, 1, 2, 3, 4}


@pytest.mark.parametrize(
    "approvers, mother_sees",
    [
        ((), {1}),  # no grant: her health, safety and justice records are hers
        ((CHILD,), {1}),  # her yes alone is pending: from 12 to 15 the parents agree too
        ((MOTHER, FATHER), {1}),  # the parents' yes without hers is no grant of hers
        ((CHILD, MOTHER, FATHER), {0, 1, 2, 3}),  # her grant: what it covers, not justitie
    ],
)
def test_a_parent_and_a_14_year_olds_health_record(engine, approvers, mother_sees):
    out = run(engine, fourteen_year_olds_health(approvers))
    assert out.sql[U_MOTHER] == mother_sees
    assert out.sql[U_CHILD] == {0, 1, 3, 4}  # not R2: her mother gave her no grant
    assert out.sql[U_PRO] == out.sql[U_NETWORK] == set()


@pytest.mark.parametrize(
    "now, declined, professional_sees",
    [
        (WINTER, None, {0}),  # 16 now: her yes is all it takes
        (WINTER, -HOUR, set()),  # ... but her father declined the request
        (WINTER, DAY, set()),  # a no is a no, whatever its time stamp says
        (WINTER - HOUR, None, set()),  # still 15: her father's yes is missing
    ],
)
def test_a_declined_request(engine, now, declined, professional_sees):
    out = run(engine, declined_request(now, declined))
    assert out.sql[U_PRO] == professional_sees
    assert out.sql[U_REGISSEUR] == set()  # O1


@pytest.mark.parametrize(
    "approvers, org_approvers, professional_sees",
    [
        ((), (1,), {0, 1}),  # the guardian organisation said yes: that is all it takes
        ((MOTHER, FATHER), (), set()),  # the parents hold no authority: their yes is nothing
        ((), (0,), set()),  # nor is the yes of another organisation
    ],
)
def test_a_child_under_guardianship_of_an_organisation(engine, approvers, org_approvers,
                                                       professional_sees):
    out = run(engine, guardianship(approvers, org_approvers))
    assert out.sql[U_PRO] == professional_sees
    assert out.sql[U_MOTHER] == {1}  # algemeen only: she holds no authority over the child


@pytest.mark.parametrize(
    "grants, professional_sees",
    [
        ((("financien", (), (1,)),), {0}),  # money: the bewindvoerder's yes
        ((("financien", (ADULT,), ()),), set()),  # ... her own is not enough
        ((("gezondheid", (ADULT,), ()),), {1}),  # her health is hers
        ((("gezondheid", (), (1,)),), set()),  # ... not the bewindvoerder's
    ],
)
def test_a_bewindvoerder_consents_for_money_only(engine, grants, professional_sees):
    out = run(engine, with_a_bewindvoerder(grants))
    assert out.sql[1] == professional_sees
    assert out.sql[3] == set()  # the bewindvoerder's own professional: no grant to O1


# --- the property ------------------------------------------------------------------------------


def features(spec: FamilySpec, out: Outcome) -> set[str]:
    """What an example holds that the twins could get wrong (see MUST_GENERATE)."""
    deepest = max(_depth(spec.records, i) for i in range(len(spec.records)))
    found = {f"deepest record: depth {deepest}"}
    for c in spec.consents:
        state = grant_state(spec, c)
        if c.record is not None:
            found.add(f"record grant: {state}")
            if state == policy.ACTIEF:
                open_ = {(p, r) for p, rs in out.sql.items() for r in rs}
                to = [i for i, p in enumerate(spec.participants)
                      if i == c.to_participant or (c.to_org is not None and p.org == c.to_org)]
                others = [r for r, rec in enumerate(spec.records)
                          if r != c.record and rec.category in c.categories
                          and c.subject in rec.subjects]
                if any((p, r) not in open_ for p in to for r in others):
                    found.add("valid record grant, another record of its kind stays hidden")
        person = spec.persons[c.subject]
        if person.guardians and state == policy.ACTIEF:
            found.add("grant from a child under a guardian organisation: actief")
        if person.representatives and state == policy.ACTIEF:
            found.add("grant from someone with a legal representative: actief")
        if person.representatives and state == policy.WACHT:
            found.add("grant from someone with a legal representative: wacht")
        if c.declined is not None:
            found.add("declined consent")
            if grant_state(spec, c, declined=False) == policy.ACTIEF:
                found.add("declined consent, complete otherwise")
    day = local_day(spec.now)
    for (p_ix, r_ix), decision in out.decisions.items():
        viewer, record = spec.participants[p_ix], spec.records[r_ix]
        if decision.ground == policy.SHIELDED and any(
            s.participant == p_ix and s.record in spec.ancestors(r_ix) for s in spec.shields
        ):
            found.add("shield on an ancestor hides a record")
        if viewer.role != "family" or record.category not in STRICT:
            continue
        youths = [s for s in record.subjects if s != viewer.person
                  and viewer.person in spec.persons[s].holders
                  and AGE_OF_CO_CONSENT <= age_on(spec.persons[s].dob, day) < AGE_OF_CONSENT]
        if youths:
            seen = "allowed" if decision.allowed else "denied"
            found.add(f"parent x 12-15's {'/'.join(STRICT)} record: {seen}")
    return found




#: What the generated families (not only the explicit EXAMPLES) must hold now and then: each
#: is in roughly 10-60% of them, so 150 families without one means the generator lost it
#: (and the property would not notice a twin getting it wrong). Checked on the long run only.
MUST_GENERATE = (
    "deepest record: depth 3",
    "record grant: actief",
    "valid record grant, another record of its kind stays hidden",
    "declined consent, complete otherwise",
    "shield on an ancestor hides a record",
    "grant from a child under a guardian organisation: actief",
    "grant from someone with a legal representative: actief",
    "grant from someone with a legal representative: wacht",
    f"parent x 12-15's {'/'.join(STRICT)} record: allowed",
    f"parent x 12-15's {'/'.join(STRICT)} record: denied",
)


def test_sql_filter_and_policy_agree_on_random_families(engine, database_url):
    sqlite = database_url.startswith("sqlite")
    seen: collections.Counter[str] = collections.Counter()
    generated = 0

    @settings(
        max_examples=150 if sqlite else 60, deadline=None, database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(spec=families())
    def twins_agree(spec: FamilySpec) -> None:
        nonlocal generated
        with Session(engine) as session:
            out = check_twins(session, spec)
        if spec not in EXAMPLES:
            generated += 1
            seen.update(features(spec, out))

    for spec in EXAMPLES:
        twins_agree = example(spec=spec)(twins_agree)
    twins_agree()
    missing = [f for f in MUST_GENERATE if not seen[f]]
    if sqlite:
        assert not missing, f"none of {generated} generated families had {missing}; {seen}"
