"""`policy.why_unseen`: why someone an action or goal is given to cannot see it (issue 10
item 5) — a shield, or the subjects whose consent they lack; decided by `can_view` itself."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from samenplan.privacy import policy
from samenplan.privacy.facts import (
    Category, FamilyFacts, GrantFacts, PersonFacts, RecordFacts, Role, ShieldFacts, ViewerFacts,
)

NOW = datetime(2026, 3, 1, 12, 0)
MOTHER, FATHER, TEEN = 1, 2, 3
PERSONS = {
    MOTHER: PersonFacts(MOTHER, date(1990, 1, 1)),
    FATHER: PersonFacts(FATHER, date(1988, 1, 1)),
    TEEN: PersonFacts(TEEN, date(2011, 6, 1), frozenset({MOTHER, FATHER})),  # 14
}
PRO = ViewerFacts(10, Role.PROFESSIONAL, organisation_id=100)
FATHER_V = ViewerFacts(2, Role.FAMILY, person_id=FATHER)
HEALTH = Category.GEZONDHEID


def record(*subjects: int, category: Category = HEALTH) -> RecordFacts:
    return RecordFacts(id=7, category=category, subject_ids=frozenset(subjects))


def to_pro(subject: int, *consenters: int) -> GrantFacts:
    return GrantFacts(id=subject * 10, subject_id=subject, categories=frozenset({HEALTH}),
                      start=NOW - timedelta(days=1), grantee_organisation_id=100,
                      consenter_ids=frozenset(consenters))


def test_someone_who_may_see_it_has_nothing_missing():
    facts = FamilyFacts(PERSONS, grants=(to_pro(MOTHER, MOTHER),))
    assert policy.why_unseen(PRO, record(MOTHER), facts, NOW) is None


def test_every_subject_without_consent_is_named():
    facts = FamilyFacts(PERSONS, grants=(to_pro(MOTHER, MOTHER),))
    assert policy.why_unseen(PRO, record(MOTHER, FATHER, TEEN), facts, NOW) == policy.Unseen(
        subjects=(FATHER, TEEN))


def test_a_pending_consent_is_no_consent():
    facts = FamilyFacts(PERSONS, grants=(to_pro(TEEN, TEEN, MOTHER),))  # the father's yes missing
    assert policy.why_unseen(PRO, record(TEEN), facts, NOW).subjects == (TEEN,)
    facts = FamilyFacts(PERSONS, grants=(to_pro(TEEN, TEEN, MOTHER, FATHER),))
    assert policy.why_unseen(PRO, record(TEEN), facts, NOW) is None


def test_a_family_member_lacks_only_the_others_consent():
    """The father sees what is about him; the mother's health is hers to share."""
    assert policy.why_unseen(FATHER_V, record(FATHER, MOTHER), FamilyFacts(PERSONS), NOW) == (
        policy.Unseen(subjects=(MOTHER,)))
    assert policy.why_unseen(FATHER_V, record(FATHER, category=Category.ALGEMEEN),
                             FamilyFacts(PERSONS), NOW) is None


def test_a_shield_is_what_stops_them_and_no_consent_helps():
    shield = ShieldFacts(id=5, participant_id=PRO.participant_id, subject_id=MOTHER, category=HEALTH)
    facts = FamilyFacts(PERSONS, grants=(to_pro(MOTHER, MOTHER),), shields=(shield,))
    assert policy.why_unseen(PRO, record(MOTHER), facts, NOW) == policy.Unseen(shield=5)
