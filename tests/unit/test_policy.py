"""The privacy policy of DESIGN.md §3 (samenplan.privacy.policy): pure, facts built by hand."""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date, datetime, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from samenplan.domain.ages import age_on, local_day
from samenplan.privacy import policy
from samenplan.privacy.facts import (
    Category,
    EmergencyFacts,
    FamilyFacts,
    GrantFacts,
    PersonFacts,
    RecordFacts,
    Role,
    ShieldFacts,
    ViewerFacts,
)
from samenplan.privacy.policy import (
    ACTION,
    GOAL,
    PLAN_SECTION,
    Decision,
    GrantStatus,
    audience,
    can_edit,
    can_view,
    grant_covers,
    grant_status,
)

A = Category.ALGEMEEN
G = Category.GEZONDHEID
V = Category.VEILIGHEID
F = Category.FINANCIEN
ADRES = Category.VERBLIJFPLAATS
ALL_CATEGORIES = frozenset(Category)

NOW = datetime(2026, 3, 1, 12, 0)  # 13:00 in Amsterdam
EARLIER = NOW - timedelta(days=30)
LATER = NOW + timedelta(days=30)
SECOND = timedelta(seconds=1)

# --- a generic family -------------------------------------------------------
MOTHER, FATHER, TEEN, CHILD, YOUTH = 1, 2, 3, 4, 5  # person ids
PARENTS = frozenset({MOTHER, FATHER})
UNKNOWN = 99  # a person id missing from the facts

PERSONS = {
    MOTHER: PersonFacts(MOTHER, date(1990, 1, 1)),
    FATHER: PersonFacts(FATHER, date(1988, 1, 1)),
    TEEN: PersonFacts(TEEN, date(2011, 6, 1), PARENTS),  # 14 on NOW
    CHILD: PersonFacts(CHILD, date(2018, 9, 1), PARENTS),  # 7 on NOW
    YOUTH: PersonFacts(YOUTH, date(2009, 6, 1), PARENTS),  # 16 on NOW
}

MOTHER_V = ViewerFacts(1, Role.FAMILY, person_id=MOTHER)
FATHER_V = ViewerFacts(2, Role.FAMILY, person_id=FATHER)
TEEN_V = ViewerFacts(3, Role.FAMILY, person_id=TEEN)
YOUTH_V = ViewerFacts(5, Role.FAMILY, person_id=YOUTH)
OMA = ViewerFacts(30, Role.NETWORK)
PRO = ViewerFacts(10, Role.PROFESSIONAL, organisation_id=100)
COLLEAGUE = ViewerFacts(11, Role.PROFESSIONAL, organisation_id=100)
OTHER_PRO = ViewerFacts(12, Role.PROFESSIONAL, organisation_id=200)
REGISSEUR = ViewerFacts(20, Role.CASUSREGISSEUR, organisation_id=300)


def grant(
    id: int,
    subject: int,
    consenters: Iterable[int] | None = None,
    categories: Iterable[Category] = (G,),
    *,
    org: int | None = None,
    participant: int | None = None,
    start: datetime = EARLIER,
    end: datetime | None = None,
    revoked_at: datetime | None = None,
) -> GrantFacts:
    """A grant; consenters default to exactly those the subject needs on NOW."""
    if consenters is None:
        consenters = {subject} if subject not in PERSONS else _needed_on_now(subject)
    return GrantFacts(
        id=id,
        subject_id=subject,
        categories=frozenset(categories),
        start=start,
        end=end,
        revoked_at=revoked_at,
        grantee_organisation_id=org,
        grantee_participant_id=participant,
        consenter_ids=frozenset(consenters),
    )


def _needed_on_now(subject: int) -> frozenset[int]:
    return {
        MOTHER: frozenset({MOTHER}),
        FATHER: frozenset({FATHER}),
        TEEN: PARENTS | {TEEN},
        CHILD: PARENTS,
        YOUTH: frozenset({YOUTH}),
    }[subject]


def record(
    id: int = 1,
    category: Category = G,
    subjects: Iterable[int] = (MOTHER,),
    author: int | None = None,
) -> RecordFacts:
    return RecordFacts(id, category, frozenset(subjects), author)


def shield(
    id: int,
    participant: int,
    subject: int,
    *,
    record_id: int | None = None,
    category: Category | None = None,
    lifted_at: datetime | None = None,
) -> ShieldFacts:
    return ShieldFacts(id, participant, subject, record_id, category, lifted_at)


def emergency(
    id: int,
    participant: int,
    subject: int,
    category: Category = G,
    *,
    start: datetime = NOW - timedelta(hours=2),
    end: datetime = NOW + timedelta(hours=22),
    ended_at: datetime | None = None,
) -> EmergencyFacts:
    return EmergencyFacts(id, participant, subject, category, start, end, ended_at)


def facts(
    grants: Iterable[GrantFacts] = (),
    shields: Iterable[ShieldFacts] = (),
    emergencies: Iterable[EmergencyFacts] = (),
    persons: dict[int, PersonFacts] | None = None,
) -> FamilyFacts:
    return FamilyFacts(
        persons=PERSONS if persons is None else persons,
        grants=tuple(grants),
        shields=tuple(shields),
        emergencies=tuple(emergencies),
    )


def allowed(ground: str, detail: str | None = None):
    """A matcher for readable asserts: decision == allowed("grant", "grant #3")."""
    return _Expect(True, ground, detail)


def denied(ground: str, detail: str | None = None):
    return _Expect(False, ground, detail)


@dataclasses.dataclass(frozen=True)
class _Expect:
    allowed: bool
    ground: str
    detail: str | None

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Decision)
            and other.allowed is self.allowed
            and other.ground == self.ground
            and (self.detail is None or other.detail == self.detail)
        )


# =============================================================================
# Decision
# =============================================================================


def test_decision_is_truthy_exactly_when_allowed() -> None:
    assert Decision(True, policy.GRANT, "grant #1")
    assert not Decision(False, policy.NO_GRANT)
    assert Decision(False, policy.SHIELDED).detail == ""


def test_grounds_are_distinct_strings() -> None:
    grounds = policy.ALLOW_GROUNDS | policy.DENY_GROUNDS
    assert not policy.ALLOW_GROUNDS & policy.DENY_GROUNDS
    assert grounds == {
        "shielded", "author", "subject", "authority", "algemeen", "grant", "emergency",
        "no_grant", "no_subjects", "not_participant", "role",
    }  # fmt: skip


def test_decision_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Decision(True, policy.AUTHOR).allowed = False  # type: ignore[misc]


# =============================================================================
# grant_status
# =============================================================================


def status(g: GrantFacts, now: datetime = NOW, persons: dict[int, PersonFacts] = PERSONS):
    return grant_status(g, persons[g.subject_id], now)


@pytest.mark.parametrize(
    ("subject", "consenters", "state", "missing"),
    [
        # 16 and older: the subject alone
        (MOTHER, {MOTHER}, "actief", set()),
        (MOTHER, {FATHER}, "wacht", {MOTHER}),
        (MOTHER, set(), "wacht", {MOTHER}),
        (YOUTH, {YOUTH}, "actief", set()),
        (YOUTH, PARENTS, "wacht", {YOUTH}),  # parents cannot consent for a 16-year-old
        (YOUTH, PARENTS | {YOUTH}, "actief", set()),
        # 12 to 15: the subject and every holder of authority
        (TEEN, PARENTS | {TEEN}, "actief", set()),
        (TEEN, {TEEN, MOTHER}, "wacht", {FATHER}),
        (TEEN, PARENTS, "wacht", {TEEN}),
        (TEEN, {TEEN}, "wacht", PARENTS),
        (TEEN, set(), "wacht", PARENTS | {TEEN}),
        # under 12: every holder of authority
        (CHILD, PARENTS, "actief", set()),
        (CHILD, {MOTHER}, "wacht", {FATHER}),
        (CHILD, {CHILD}, "wacht", PARENTS),  # a young child's own consent does not count
        (CHILD, PARENTS | {CHILD}, "actief", set()),
    ],
)
def test_grant_status_by_consenters(
    subject: int, consenters: set[int], state: str, missing: set[int]
) -> None:
    result = status(grant(1, subject, consenters, org=100))
    assert result == GrantStatus(valid=state == "actief", state=state, missing=frozenset(missing))


def test_grant_from_a_young_child_without_authority_holders_is_pending_forever() -> None:
    orphan = PersonFacts(7, date(2020, 1, 1))  # no authority holders on record
    result = grant_status(grant(1, 7, {7}, org=100), orphan, NOW)
    assert result == GrantStatus(valid=False, state="wacht", missing=frozenset())
    result = grant_status(grant(1, 7, set(), org=100), orphan, NOW)
    assert result == GrantStatus(valid=False, state="wacht", missing=frozenset())


def test_teenager_without_authority_holders_consents_alone() -> None:
    teen = PersonFacts(7, date(2012, 1, 1))
    assert grant_status(grant(1, 7, {7}, org=100), teen, NOW).state == "actief"


LISA = PersonFacts(3, date(2011, 5, 20), PARENTS)  # turns 12 on 20 May 2023, 16 on 20 May 2027


def test_grant_given_by_parents_when_child_was_11_is_pending_once_the_child_is_12() -> None:
    g = grant(1, 3, PARENTS, org=100, start=datetime(2022, 1, 1))
    assert grant_status(g, LISA, datetime(2023, 5, 19, 12)).state == "actief"
    assert grant_status(g, LISA, datetime(2023, 5, 20, 12)) == GrantStatus(
        valid=False, state="wacht", missing=frozenset({3})
    )


def test_turning_12_counts_from_midnight_in_amsterdam() -> None:
    g = grant(1, 3, PARENTS, org=100, start=datetime(2022, 1, 1))
    # summer time (UTC+2): 21:59 UTC is 23:59 on the 19th, 22:00 UTC is midnight on the 20th
    assert grant_status(g, LISA, datetime(2023, 5, 19, 21, 59)).valid
    assert not grant_status(g, LISA, datetime(2023, 5, 19, 22, 0)).valid


def test_at_16_the_parents_consent_is_no_longer_needed_but_the_childs_is() -> None:
    with_lisa = grant(1, 3, PARENTS | {3}, org=100, start=datetime(2026, 1, 1))
    lisa_alone = grant(2, 3, {3}, org=100, start=datetime(2026, 1, 1))
    parents_only = grant(3, 3, PARENTS, org=100, start=datetime(2026, 1, 1))
    before, after = datetime(2027, 5, 19, 12), datetime(2027, 5, 20, 12)
    assert grant_status(with_lisa, LISA, before).valid
    assert grant_status(with_lisa, LISA, after).valid
    assert grant_status(lisa_alone, LISA, before).missing == PARENTS
    assert grant_status(lisa_alone, LISA, after).valid
    assert grant_status(parents_only, LISA, before).missing == {3}
    assert grant_status(parents_only, LISA, after).missing == {3}


def test_turning_16_in_winter_counts_from_midnight_in_amsterdam() -> None:
    # born 15 January 2010: 16 on 15 January 2026; winter time (UTC+1)
    kid = PersonFacts(8, date(2010, 1, 15), PARENTS)
    alone = grant(1, 8, {8}, org=100, start=datetime(2025, 1, 1))
    assert grant_status(alone, kid, datetime(2026, 1, 14, 22, 59)).state == "wacht"
    assert grant_status(alone, kid, datetime(2026, 1, 14, 23, 30)).state == "actief"


@pytest.mark.parametrize(
    ("kwargs", "state"),
    [
        ({"start": NOW}, "actief"),  # start is inclusive
        ({"start": NOW + SECOND}, "nog_niet"),
        ({"start": LATER}, "nog_niet"),
        ({"end": NOW + SECOND}, "actief"),
        ({"end": NOW}, "verlopen"),  # end is exclusive
        ({"end": EARLIER + SECOND}, "verlopen"),
        ({"revoked_at": NOW}, "ingetrokken"),
        ({"revoked_at": NOW - SECOND}, "ingetrokken"),
        ({"revoked_at": NOW + SECOND}, "actief"),  # a revocation that takes effect later
        ({"revoked_at": EARLIER, "end": EARLIER + SECOND}, "ingetrokken"),  # revoked wins
        ({"revoked_at": NOW - SECOND, "start": LATER}, "ingetrokken"),
    ],
)
def test_grant_status_in_time(kwargs: dict, state: str) -> None:
    result = status(grant(1, MOTHER, org=100, **kwargs))
    assert result.state == state
    assert result.valid is (state == "actief")


def test_revoked_grant_still_reports_missing_consenters() -> None:
    result = status(grant(1, TEEN, PARENTS, org=100, revoked_at=EARLIER))
    assert result == GrantStatus(valid=False, state="ingetrokken", missing=frozenset({TEEN}))


def test_grant_status_of_someone_else_is_an_error() -> None:
    with pytest.raises(ValueError):
        grant_status(grant(1, MOTHER, org=100), PERSONS[FATHER], NOW)


# =============================================================================
# grant_covers
# =============================================================================


def test_grant_to_organisation_covers_its_professionals() -> None:
    g = grant(1, MOTHER, org=100, categories={G, F})
    assert grant_covers(g, PRO, record(1, G))
    assert grant_covers(g, COLLEAGUE, record(1, F))
    assert not grant_covers(g, PRO, record(1, A))  # category not granted
    assert not grant_covers(g, OTHER_PRO, record(1, G))
    assert not grant_covers(g, OMA, record(1, G))


def test_grant_to_participant_covers_only_that_participant() -> None:
    g = grant(1, MOTHER, participant=PRO.participant_id)
    assert grant_covers(g, PRO, record(1, G))
    assert not grant_covers(g, COLLEAGUE, record(1, G))
    assert not grant_covers(g, PRO, record(1, A))


def test_missing_organisation_never_matches_missing_organisation() -> None:
    g = grant(1, MOTHER, participant=77)  # to a participant, so grantee_organisation_id is None
    assert not grant_covers(g, OMA, record(1, G))  # OMA has no organisation either


# =============================================================================
# rule 1: shields
# =============================================================================


def test_record_shield_beats_a_grant() -> None:
    f = facts([grant(1, MOTHER, org=100)], [shield(4, PRO.participant_id, MOTHER, record_id=1)])
    assert can_view(PRO, record(1), f, NOW) == denied("shielded", "shield #4")
    assert can_view(COLLEAGUE, record(1), f, NOW) == allowed("grant", "grant #1")


def test_shield_beats_authorship() -> None:
    f = facts(shields=[shield(4, PRO.participant_id, MOTHER, record_id=1)])
    r = record(1, author=PRO.participant_id)
    assert can_view(PRO, r, f, NOW) == denied("shielded")


def test_shield_beats_authority_and_algemeen() -> None:
    f = facts(shields=[shield(1, FATHER_V.participant_id, CHILD, record_id=1)])
    assert can_view(FATHER_V, record(1, G, {CHILD}), f, NOW) == denied("shielded")
    assert can_view(FATHER_V, record(1, A, {CHILD}), f, NOW) == denied("shielded")
    assert can_view(MOTHER_V, record(1, G, {CHILD}), f, NOW) == allowed("authority")


def test_shield_beats_emergency_access() -> None:
    f = facts(
        shields=[shield(1, PRO.participant_id, CHILD, category=V)],
        emergencies=[emergency(2, PRO.participant_id, CHILD, V)],
    )
    assert can_view(PRO, record(1, V, {CHILD}), f, NOW) == denied("shielded", "shield #1")


def test_record_shield_hides_only_that_record() -> None:
    f = facts([grant(1, MOTHER, org=100)], [shield(4, PRO.participant_id, MOTHER, record_id=1)])
    assert can_view(PRO, record(2), f, NOW) == allowed("grant")


@pytest.mark.parametrize(
    ("lifted_at", "shielded"),
    [(None, True), (NOW + SECOND, True), (NOW, False), (EARLIER, False)],
)
def test_lifted_shield_no_longer_applies(lifted_at: datetime | None, shielded: bool) -> None:
    f = facts(
        [grant(1, MOTHER, org=100)],
        [shield(4, PRO.participant_id, MOTHER, record_id=1, lifted_at=lifted_at)],
    )
    expected = denied("shielded") if shielded else allowed("grant")
    assert can_view(PRO, record(1), f, NOW) == expected


def test_category_shield_hides_every_record_of_that_category_about_that_subject() -> None:
    f = facts(
        [grant(1, MOTHER, categories=ALL_CATEGORIES, org=100)],
        [shield(4, PRO.participant_id, MOTHER, category=ADRES)],
    )
    assert can_view(PRO, record(1, ADRES, {MOTHER}), f, NOW) == denied("shielded")
    assert can_view(PRO, record(2, ADRES, {MOTHER}), f, NOW) == denied("shielded")
    assert can_view(PRO, record(3, G, {MOTHER}), f, NOW) == allowed("grant")


def test_category_shield_applies_to_a_record_with_several_subjects() -> None:
    f = facts(
        [grant(1, MOTHER, org=100), grant(2, TEEN, org=100)],
        [shield(4, PRO.participant_id, TEEN, category=G)],
    )
    assert can_view(PRO, record(1, G, {MOTHER, TEEN}), f, NOW) == denied("shielded")


def test_category_shield_does_not_apply_to_records_about_others() -> None:
    f = facts(
        [grant(1, MOTHER, org=100), grant(2, FATHER, org=100)],
        [shield(4, PRO.participant_id, TEEN, category=G)],
    )
    assert can_view(PRO, record(1, G, {MOTHER, FATHER}), f, NOW) == allowed("grant", "grant #1,#2")


def test_shield_from_someone_else_does_not_apply() -> None:
    f = facts(
        [grant(1, MOTHER, org=100)], [shield(4, OTHER_PRO.participant_id, MOTHER, record_id=1)]
    )
    assert can_view(PRO, record(1), f, NOW) == allowed("grant")


# =============================================================================
# rule 2: authorship
# =============================================================================


@pytest.mark.parametrize("viewer", [PRO, OMA, REGISSEUR, FATHER_V])
def test_author_always_sees_their_own_record(viewer: ViewerFacts) -> None:
    r = record(1, G, {MOTHER}, author=viewer.participant_id)
    assert can_view(viewer, r, facts(), NOW) == allowed("author")


def test_author_sees_their_own_record_without_subjects() -> None:
    r = record(1, G, (), author=PRO.participant_id)
    assert can_view(PRO, r, facts(), NOW) == allowed("author")


def test_authorship_is_personal_not_per_organisation() -> None:
    r = record(1, G, {MOTHER}, author=PRO.participant_id)
    assert can_view(COLLEAGUE, r, facts(), NOW) == denied("no_grant")


# =============================================================================
# rule 3: family
# =============================================================================


def test_family_member_sees_records_about_themself() -> None:
    assert can_view(TEEN_V, record(1, G, {TEEN}), facts(), NOW) == allowed("subject", "person #3")
    assert can_view(MOTHER_V, record(1, F, {MOTHER}), facts(), NOW) == allowed("subject", "person #1")


def test_a_co_subject_needs_the_other_subjects_consent_for_what_is_not_algemeen() -> None:
    # a health record about mother and teen: each sees it only with the other's grant
    r = record(1, G, {TEEN, MOTHER})
    assert can_view(TEEN_V, r, facts(), NOW) == denied("no_grant", "no consent from person #1")
    assert can_view(MOTHER_V, r, facts(), NOW) == denied("no_grant", "no consent from person #3")
    f = facts([grant(7, MOTHER, participant=TEEN_V.participant_id)])
    assert can_view(TEEN_V, r, f, NOW) == allowed("subject", "person #3")
    # algemeen is the family's shared information
    assert can_view(TEEN_V, record(1, A, {TEEN, MOTHER}), facts(), NOW) == allowed("subject")


def test_parent_sees_records_about_a_child_under_12_by_authority() -> None:
    assert can_view(FATHER_V, record(1, G, {CHILD}), facts(), NOW) == allowed(
        "authority", "authority over #4"
    )
    assert can_view(FATHER_V, record(1, V, {CHILD}), facts(), NOW) == allowed("authority")


@pytest.mark.parametrize("category", [G, V, Category.JUSTITIE, F, ADRES])
def test_authority_over_a_child_of_12_to_15_gives_only_algemeen(category: Category) -> None:
    assert can_view(FATHER_V, record(1, category, {TEEN}), facts(), NOW) == denied(
        "no_grant", "no consent from person #3"
    )
    assert can_view(FATHER_V, record(1, category, {TEEN, CHILD}), facts(), NOW) == denied("no_grant")
    assert can_view(FATHER_V, record(1, A, {TEEN}), facts(), NOW) == allowed("algemeen")


def test_a_parent_sees_a_teens_health_record_when_the_teen_agreed() -> None:
    # from 12 the youth consents too (with both parents, as for any grant of a 12-15-year-old)
    f = facts([grant(8, TEEN, participant=FATHER_V.participant_id)])
    assert can_view(FATHER_V, record(1, G, {TEEN}), f, NOW) == allowed("grant", "grant #8")
    # a grant without the youth's own yes is pending and gives nothing
    f = facts([grant(8, TEEN, PARENTS, participant=FATHER_V.participant_id)])
    assert can_view(FATHER_V, record(1, G, {TEEN}), f, NOW) == denied("no_grant")
    # authority over the younger one and the teen's grant together cover a shared record
    f = facts([grant(8, TEEN, participant=FATHER_V.participant_id)])
    assert can_view(FATHER_V, record(1, G, {TEEN, CHILD}), f, NOW) == allowed(
        "grant", "grant #8; authority over #4"
    )


@pytest.mark.parametrize(
    ("now", "sees"),
    [
        (datetime(2023, 5, 31, 21, 59), True),  # 23:59 in Amsterdam on the eve: still 11
        (datetime(2023, 5, 31, 22, 0), False),  # midnight in Amsterdam: 12 today
    ],
)
def test_authority_over_health_ends_on_the_12th_birthday_in_amsterdam(now, sees) -> None:
    # TEEN is born 1 June 2011: 12 on 1 June 2023 (summer time, UTC+2)
    decision = can_view(FATHER_V, record(1, G, {TEEN}), facts(), now)
    assert decision.allowed is sees
    assert can_view(FATHER_V, record(1, A, {TEEN}), facts(), now).allowed


def test_authority_comes_before_algemeen() -> None:
    assert can_view(MOTHER_V, record(1, A, {CHILD}), facts(), NOW) == allowed("authority")


def test_no_authority_over_a_child_of_16() -> None:
    assert can_view(FATHER_V, record(1, G, {YOUTH}), facts(), NOW) == denied(
        "no_grant", "no consent from person #5"
    )


@pytest.mark.parametrize(
    ("now", "sees"),
    [(datetime(2025, 5, 31, 21, 59), False), (datetime(2025, 5, 31, 22, 0), False)],
)
def test_at_16_authority_gives_nothing_beyond_algemeen(now, sees) -> None:
    # YOUTH is born 1 June 2009: 16 on 1 June 2025; neither side of it gives authority
    assert can_view(FATHER_V, record(1, G, {YOUTH}), facts(), now).allowed is sees
    assert can_view(FATHER_V, record(1, A, {YOUTH}), facts(), now).allowed


def test_authority_needs_every_subject() -> None:
    # father holds authority over TEEN, not over MOTHER
    assert can_view(FATHER_V, record(1, G, {MOTHER, TEEN}), facts(), NOW) == denied(
        "no_grant", "no consent from person #1"
    )


def test_no_authority_without_being_a_holder() -> None:
    # a sibling holds no authority
    assert can_view(TEEN_V, record(1, G, {CHILD}), facts(), NOW) == denied(
        "no_grant", "no consent from person #4"
    )


def test_family_sees_algemeen_records_about_anyone() -> None:
    assert can_view(FATHER_V, record(1, A, {MOTHER}), facts(), NOW) == allowed("algemeen")
    assert can_view(TEEN_V, record(1, A, {YOUTH, MOTHER}), facts(), NOW) == allowed("algemeen")


@pytest.mark.parametrize("category", [G, V, F, Category.JUSTITIE, ADRES])
def test_family_does_not_see_other_categories_about_another_adult(category: Category) -> None:
    assert can_view(FATHER_V, record(1, category, {MOTHER}), facts(), NOW) == denied("no_grant")


def test_family_member_sees_with_a_grant_to_them() -> None:
    f = facts([grant(7, MOTHER, participant=FATHER_V.participant_id)])
    assert can_view(FATHER_V, record(1, G, {MOTHER}), f, NOW) == allowed("grant", "grant #7")


def test_family_member_needs_a_grant_from_every_subject() -> None:
    f = facts([grant(7, MOTHER, participant=TEEN_V.participant_id)])
    r = record(1, G, {MOTHER, YOUTH})
    assert can_view(TEEN_V, r, f, NOW) == denied("no_grant", "no consent from person #5")
    f = facts([*f.grants, grant(8, YOUTH, participant=TEEN_V.participant_id)])
    assert can_view(TEEN_V, r, f, NOW) == allowed("grant", "grant #7,#8")


def test_family_member_gets_nothing_from_a_pending_grant() -> None:
    # a teenager shares with her sister... but the parents did not consent
    f = facts([grant(7, TEEN, {TEEN}, participant=YOUTH_V.participant_id)])
    assert can_view(YOUTH_V, record(1, G, {TEEN}), f, NOW) == denied(
        "no_grant", "no consent from person #3"
    )


def test_family_member_gets_nothing_from_a_grant_to_an_organisation() -> None:
    family_with_org = dataclasses.replace(FATHER_V, organisation_id=100)  # should not happen
    f = facts([grant(7, MOTHER, org=100)])
    assert can_view(family_with_org, record(1, G, {MOTHER}), f, NOW) == denied("no_grant")


def test_family_member_cannot_use_emergency_access() -> None:
    f = facts(emergencies=[emergency(1, FATHER_V.participant_id, MOTHER, G)])
    assert can_view(FATHER_V, record(1, G, {MOTHER}), f, NOW) == denied("no_grant")


def test_family_and_records_without_subjects() -> None:
    assert can_view(MOTHER_V, record(1, A, ()), facts(), NOW) == allowed("algemeen")
    assert can_view(MOTHER_V, record(1, G, ()), facts(), NOW) == denied("no_subjects")


def test_family_and_unknown_persons() -> None:
    # no authority over someone we know nothing about, and they cannot consent
    f = facts([grant(7, UNKNOWN, {UNKNOWN}, participant=MOTHER_V.participant_id)])
    assert can_view(MOTHER_V, record(1, G, {UNKNOWN}), f, NOW) == denied(
        "no_grant", "person #99 unknown"
    )
    assert can_view(MOTHER_V, record(1, G, {TEEN, UNKNOWN}), f, NOW) == denied("no_grant")
    # algemeen does not depend on the subjects
    assert can_view(MOTHER_V, record(1, A, {UNKNOWN}), f, NOW) == allowed("algemeen")


def test_unknown_authority_holder_data_denies() -> None:
    # the child is missing from the facts: the parent gets no authority over it
    persons = {k: v for k, v in PERSONS.items() if k != CHILD}
    assert can_view(MOTHER_V, record(1, G, {CHILD}), facts(persons=persons), NOW) == denied(
        "no_grant", "person #4 unknown"
    )


# =============================================================================
# rule 4: network and professionals
# =============================================================================


@pytest.mark.parametrize("viewer", [PRO, OMA, REGISSEUR])
@pytest.mark.parametrize("category", [A, G])
def test_outsiders_see_nothing_without_subjects(viewer: ViewerFacts, category: Category) -> None:
    assert can_view(viewer, record(1, category, ()), facts(), NOW) == denied("no_subjects")


def test_professional_sees_with_a_grant_to_the_organisation() -> None:
    f = facts([grant(3, MOTHER, org=100)])
    assert can_view(PRO, record(), f, NOW) == allowed("grant", "grant #3")
    assert can_view(COLLEAGUE, record(), f, NOW) == allowed("grant", "grant #3")
    assert can_view(OTHER_PRO, record(), f, NOW) == denied(
        "no_grant", "no consent from person #1"
    )


def test_professional_sees_with_a_grant_to_them_personally() -> None:
    f = facts([grant(3, MOTHER, participant=PRO.participant_id)])
    assert can_view(PRO, record(), f, NOW) == allowed("grant", "grant #3")
    assert can_view(COLLEAGUE, record(), f, NOW) == denied("no_grant")


def test_professional_needs_the_category() -> None:
    f = facts([grant(3, MOTHER, categories={A, F}, org=100)])
    assert can_view(PRO, record(1, G), f, NOW) == denied("no_grant")
    assert can_view(PRO, record(1, F), f, NOW) == allowed("grant")
    assert can_view(PRO, record(1, A), f, NOW) == allowed("grant")


def test_algemeen_is_not_open_to_outsiders_without_a_grant() -> None:
    assert can_view(PRO, record(1, A), facts(), NOW) == denied("no_grant")
    assert can_view(OMA, record(1, A), facts(), NOW) == denied("no_grant")


def test_professional_needs_a_grant_from_every_subject() -> None:
    r = record(1, G, {MOTHER, TEEN})
    one = facts([grant(3, MOTHER, org=100)])
    assert can_view(PRO, r, one, NOW) == denied("no_grant", "no consent from person #3")
    both = facts([grant(3, MOTHER, org=100), grant(7, TEEN, org=100)])
    assert can_view(PRO, r, both, NOW) == allowed("grant", "grant #3,#7")


def test_grants_to_person_and_to_organisation_are_both_listed() -> None:
    f = facts([grant(3, MOTHER, org=100), grant(4, MOTHER, participant=PRO.participant_id)])
    assert can_view(PRO, record(), f, NOW) == allowed("grant", "grant #3,#4")


def test_grant_from_another_subject_does_not_count() -> None:
    f = facts([grant(3, FATHER, org=100)])
    assert can_view(PRO, record(1, G, {MOTHER}), f, NOW) == denied("no_grant")


@pytest.mark.parametrize(
    "g",
    [
        grant(3, TEEN, {TEEN}, org=100),  # parents missing
        grant(3, TEEN, PARENTS, org=100),  # the teenager missing
        grant(3, CHILD, {MOTHER}, org=100),  # one parent missing
        grant(3, YOUTH, PARENTS, org=100),  # 16: only the youth can consent
        grant(3, MOTHER, org=100, end=NOW),  # expired
        grant(3, MOTHER, org=100, revoked_at=NOW - SECOND),  # revoked
        grant(3, MOTHER, org=100, start=NOW + SECOND),  # not yet started
    ],
    ids=[
        "teen-alone", "parents-only", "one-parent", "youth-by-parents",
        "expired", "revoked", "future",
    ],
)
def test_invalid_grants_give_no_access(g: GrantFacts) -> None:
    r = record(1, G, {g.subject_id})
    assert can_view(PRO, r, facts([g]), NOW) == denied(
        "no_grant", f"no consent from person #{g.subject_id}"
    )


def test_one_valid_grant_is_enough_next_to_a_revoked_one() -> None:
    f = facts([grant(3, MOTHER, org=100, revoked_at=EARLIER), grant(8, MOTHER, org=100)])
    assert can_view(PRO, record(), f, NOW) == allowed("grant", "grant #8")


def test_network_member_sees_with_a_grant_to_them() -> None:
    f = facts([grant(5, MOTHER, {MOTHER}, {A}, participant=OMA.participant_id)])
    assert can_view(OMA, record(1, A), f, NOW) == allowed("grant", "grant #5")
    assert can_view(OMA, record(1, G), f, NOW) == denied("no_grant")


def test_network_member_does_not_profit_from_an_organisation_grant() -> None:
    f = facts([grant(5, MOTHER, org=100)])
    assert can_view(OMA, record(), f, NOW) == denied("no_grant")


def test_casusregisseur_needs_consent_like_any_professional() -> None:
    assert can_view(REGISSEUR, record(), facts(), NOW) == denied("no_grant")
    f = facts([grant(5, MOTHER, org=300)])
    assert can_view(REGISSEUR, record(), f, NOW) == allowed("grant", "grant #5")


def test_outsiders_and_unknown_persons() -> None:
    f = facts([grant(3, UNKNOWN, {UNKNOWN}, org=100)])
    assert can_view(PRO, record(1, G, {UNKNOWN}), f, NOW) == denied(
        "no_grant", "person #99 unknown"
    )
    f = facts([grant(3, MOTHER, org=100)], emergencies=[emergency(2, PRO.participant_id, UNKNOWN)])
    assert can_view(PRO, record(1, G, {MOTHER, UNKNOWN}), f, NOW) == denied(
        "no_grant", "person #99 unknown"
    )


def test_the_first_subject_without_consent_is_named() -> None:
    f = facts([grant(3, TEEN, org=100)])
    assert can_view(PRO, record(1, G, {CHILD, TEEN, MOTHER}), f, NOW) == denied(
        "no_grant", "no consent from person #1"
    )
    assert can_view(PRO, record(1, G, {CHILD, TEEN}), f, NOW) == denied(
        "no_grant", "no consent from person #4"
    )


# =============================================================================
# rule 5: emergency access
# =============================================================================


@pytest.mark.parametrize("viewer", [PRO, REGISSEUR])
def test_emergency_access_opens_one_subject_and_category(viewer: ViewerFacts) -> None:
    f = facts(emergencies=[emergency(2, viewer.participant_id, CHILD, V)])
    assert can_view(viewer, record(1, V, {CHILD}), f, NOW) == allowed("emergency", "emergency #2")
    assert can_view(viewer, record(1, G, {CHILD}), f, NOW) == denied("no_grant")
    assert can_view(viewer, record(1, V, {TEEN}), f, NOW) == denied("no_grant")


def test_emergency_access_is_personal() -> None:
    f = facts(emergencies=[emergency(2, PRO.participant_id, CHILD, V)])
    assert can_view(COLLEAGUE, record(1, V, {CHILD}), f, NOW) == denied("no_grant")


def test_network_members_cannot_use_emergency_access() -> None:
    f = facts(emergencies=[emergency(2, OMA.participant_id, CHILD, V)])
    assert can_view(OMA, record(1, V, {CHILD}), f, NOW) == denied("no_grant")


@pytest.mark.parametrize(
    ("kwargs", "active"),
    [
        ({}, True),
        ({"start": NOW}, True),  # start inclusive
        ({"start": NOW + SECOND}, False),
        ({"end": NOW}, False),  # end exclusive: the 24 hours are over
        ({"end": NOW + SECOND}, True),
        ({"start": EARLIER, "end": EARLIER + timedelta(hours=24)}, False),
        ({"ended_at": NOW}, False),  # ended early by hand
        ({"ended_at": NOW - timedelta(hours=1)}, False),
        ({"ended_at": NOW + SECOND}, True),
    ],
)
def test_emergency_access_is_time_boxed(kwargs: dict, active: bool) -> None:
    f = facts(emergencies=[emergency(2, PRO.participant_id, CHILD, V, **kwargs)])
    expected = allowed("emergency") if active else denied("no_grant")
    assert can_view(PRO, record(1, V, {CHILD}), f, NOW) == expected


def test_emergency_access_expires_after_24_hours() -> None:
    opened = NOW
    window = {"start": opened, "end": opened + timedelta(hours=24)}
    f = facts(emergencies=[emergency(2, PRO.participant_id, CHILD, V, **window)])
    r = record(1, V, {CHILD})
    assert can_view(PRO, r, f, opened + timedelta(hours=23, minutes=59))
    assert not can_view(PRO, r, f, opened + timedelta(hours=24))


def test_emergency_for_one_of_two_subjects_is_not_enough() -> None:
    r = record(1, V, {MOTHER, CHILD})
    f = facts(emergencies=[emergency(2, PRO.participant_id, CHILD, V)])
    assert can_view(PRO, r, f, NOW) == denied("no_grant", "no consent from person #1")


def test_emergency_for_one_subject_and_a_grant_from_the_other() -> None:
    r = record(1, V, {MOTHER, CHILD})
    f = facts(
        [grant(5, MOTHER, categories={V}, org=100)],
        emergencies=[emergency(2, PRO.participant_id, CHILD, V)],
    )
    assert can_view(PRO, r, f, NOW) == allowed("emergency", "emergency #2; grant #5")


def test_emergencies_for_both_subjects() -> None:
    r = record(1, V, {TEEN, CHILD})
    f = facts(
        emergencies=[
            emergency(2, PRO.participant_id, CHILD, V),
            emergency(6, PRO.participant_id, TEEN, V),
        ]
    )
    assert can_view(PRO, r, f, NOW) == allowed("emergency", "emergency #2,#6")


def test_a_grant_is_preferred_over_emergency_access() -> None:
    f = facts(
        [grant(5, CHILD, categories={V}, org=100)],
        emergencies=[emergency(2, PRO.participant_id, CHILD, V)],
    )
    assert can_view(PRO, record(1, V, {CHILD}), f, NOW) == allowed("grant", "grant #5")


# =============================================================================
# audience
# =============================================================================


def test_audience_lists_only_who_may_see_it_with_their_ground() -> None:
    f = facts([grant(3, CHILD, org=100)], [shield(1, MOTHER_V.participant_id, CHILD, record_id=1)])
    viewers = [MOTHER_V, FATHER_V, TEEN_V, YOUTH_V, OMA, PRO, COLLEAGUE, OTHER_PRO, REGISSEUR]
    result = audience(record(1, G, {CHILD}), viewers, f, NOW)
    assert [(v, d.ground) for v, d in result] == [
        (FATHER_V, "authority"),
        (PRO, "grant"),
        (COLLEAGUE, "grant"),
    ]
    assert all(d.allowed for _, d in result)


def test_audience_of_nobody() -> None:
    assert audience(record(1, G, {MOTHER}), [OMA, PRO], facts(), NOW) == []
    assert audience(record(1, G, {MOTHER}), [], facts(), NOW) == []


# =============================================================================
# can_edit
# =============================================================================


@pytest.mark.parametrize("kind", [GOAL, ACTION, PLAN_SECTION])
def test_family_may_edit_what_they_see(kind: str) -> None:
    assert can_edit(MOTHER_V, record(1, G, {MOTHER}), facts(), NOW, kind) == allowed("subject")
    assert can_edit(FATHER_V, record(1, G, {MOTHER}), facts(), NOW, kind) == denied("no_grant")


@pytest.mark.parametrize("viewer", [PRO, REGISSEUR])
@pytest.mark.parametrize("kind", [GOAL, ACTION, PLAN_SECTION])
def test_professionals_may_edit_what_they_see(viewer: ViewerFacts, kind: str) -> None:
    f = facts([grant(3, MOTHER, org=viewer.organisation_id)])
    assert can_edit(viewer, record(), f, NOW, kind) == allowed("grant", "grant #3")


def test_network_may_edit_only_actions() -> None:
    f = facts([grant(5, MOTHER, {MOTHER}, {A}, participant=OMA.participant_id)])
    r = record(1, A, {MOTHER})
    assert can_edit(OMA, r, f, NOW, ACTION) == allowed("grant")
    assert can_edit(OMA, r, f, NOW, GOAL) == denied("role")
    assert can_edit(OMA, r, f, NOW, PLAN_SECTION) == denied("role")
    # even their own goal: they may see it, not change it
    own = record(2, G, {MOTHER}, author=OMA.participant_id)
    assert can_edit(OMA, own, f, NOW, GOAL) == denied("role")
    assert can_edit(OMA, own, f, NOW, ACTION) == allowed("author")


def test_editing_needs_viewing_first() -> None:
    assert can_edit(OMA, record(1, G), facts(), NOW, ACTION) == denied("no_grant")
    f = facts([grant(3, MOTHER, org=100)], [shield(1, PRO.participant_id, MOTHER, record_id=1)])
    assert can_edit(PRO, record(1), f, NOW, GOAL) == denied("shielded")


def test_unknown_kind_cannot_be_edited() -> None:
    assert can_edit(MOTHER_V, record(1, G, {MOTHER}), facts(), NOW, "comment") == denied("role")


# =============================================================================
# the demo family of DESIGN.md §6
# =============================================================================

SANDRA, MARK, LISA_ID, NOAH = 1, 2, 3, 4
DEMO_PERSONS = {
    SANDRA: PersonFacts(SANDRA, date(1991, 3, 12)),
    MARK: PersonFacts(MARK, date(1988, 7, 2)),
    LISA_ID: PersonFacts(LISA_ID, date(2011, 5, 20), frozenset({SANDRA, MARK})),
    NOAH: PersonFacts(NOAH, date(2018, 9, 1), frozenset({SANDRA, MARK})),
}
WIJKTEAM, GGZ, SCHULDHULP, SCHOOL = 100, 101, 102, 103

DEMO_VIEWERS = {
    "sandra": ViewerFacts(1, Role.FAMILY, person_id=SANDRA),
    "mark": ViewerFacts(2, Role.FAMILY, person_id=MARK),
    "lisa": ViewerFacts(3, Role.FAMILY, person_id=LISA_ID),
    "riet": ViewerFacts(5, Role.NETWORK),
    "fatima": ViewerFacts(10, Role.CASUSREGISSEUR, organisation_id=WIJKTEAM),
    "daan": ViewerFacts(11, Role.PROFESSIONAL, organisation_id=GGZ),
    "ilse": ViewerFacts(12, Role.PROFESSIONAL, organisation_id=SCHULDHULP),
    "joris": ViewerFacts(13, Role.PROFESSIONAL, organisation_id=SCHOOL),
}
RIET = DEMO_VIEWERS["riet"].participant_id

DEMO_RECORDS = {
    "goal1": RecordFacts(1, A, frozenset({SANDRA, LISA_ID, NOAH})),
    "goal2": RecordFacts(2, G, frozenset({SANDRA})),
    "goal3": RecordFacts(3, F, frozenset({SANDRA})),
    "goal4": RecordFacts(4, A, frozenset({LISA_ID})),
    "address": RecordFacts(5, ADRES, frozenset({SANDRA})),
    "safety": RecordFacts(6, V, frozenset({NOAH})),
    "goal5": RecordFacts(7, G, frozenset({LISA_ID}), author_participant_id=3),  # Lisa's own
}

DEMO_START = datetime(2025, 9, 1)
DEMO_NOW = datetime(2026, 3, 1, 12, 0)  # Lisa 14, Noah 7
GGZ_GRANT = 11


def demo_facts(ggz_revoked_at: datetime | None = None) -> FamilyFacts:
    both = {SANDRA, MARK}
    grants = [
        # every person -> Sociaal Wijkteam Noord, all categories
        grant(1, SANDRA, {SANDRA}, ALL_CATEGORIES, org=WIJKTEAM, start=DEMO_START),
        grant(2, MARK, {MARK}, ALL_CATEGORIES, org=WIJKTEAM, start=DEMO_START),
        grant(3, LISA_ID, both | {LISA_ID}, ALL_CATEGORIES, org=WIJKTEAM, start=DEMO_START),
        grant(4, NOAH, both, ALL_CATEGORIES, org=WIJKTEAM, start=DEMO_START),
        # Sandra -> GGZ Kompas algemeen, gezondheid; Sandra -> Schuldhulp Stad financien
        grant(
            GGZ_GRANT, SANDRA, {SANDRA}, {A, G},
            org=GGZ, start=DEMO_START, revoked_at=ggz_revoked_at,
        ),
        grant(12, SANDRA, {SANDRA}, {F}, org=SCHULDHULP, start=DEMO_START),
        # Lisa with Sandra and Mark -> Het Baken College algemeen
        grant(13, LISA_ID, both | {LISA_ID}, {A}, org=SCHOOL, start=DEMO_START),
        # Sandra, Lisa (with Sandra and Mark) and Noah (by Sandra and Mark) -> Riet algemeen
        grant(21, SANDRA, {SANDRA}, {A}, participant=RIET, start=DEMO_START),
        grant(22, LISA_ID, both | {LISA_ID}, {A}, participant=RIET, start=DEMO_START),
        grant(23, NOAH, both, {A}, participant=RIET, start=DEMO_START),
        # the safety line, for the people named in it: Riet and Lisa (record grants)
        dataclasses.replace(grant(24, NOAH, both, {V}, participant=RIET, start=DEMO_START), record_id=6),
        dataclasses.replace(
            grant(25, NOAH, both, {V}, participant=DEMO_VIEWERS["lisa"].participant_id,
                  start=DEMO_START),
            record_id=6,
        ),
    ]
    shields = [shield(1, DEMO_VIEWERS["mark"].participant_id, SANDRA, record_id=5)]
    return FamilyFacts(persons=DEMO_PERSONS, grants=tuple(grants), shields=tuple(shields))


# viewer -> the records they see (everything else: not)
DEMO_SEES = {  # DESIGN.md §6
    "fatima": {"goal1", "goal2", "goal3", "goal4", "goal5", "address", "safety"},
    "daan": {"goal2"},
    "ilse": {"goal3"},
    "joris": {"goal4"},
    "mark": {"goal1", "goal4", "safety"},
    "riet": {"goal1", "goal4", "safety"},
    "sandra": {"goal1", "goal2", "goal3", "goal4", "address", "safety"},
    "lisa": {"goal1", "goal4", "goal5", "safety"},
}


@pytest.mark.parametrize("viewer_name", sorted(DEMO_SEES))
@pytest.mark.parametrize("record_name", sorted(DEMO_RECORDS))
def test_demo_family_who_sees_what(viewer_name: str, record_name: str) -> None:
    decision = can_view(
        DEMO_VIEWERS[viewer_name], DEMO_RECORDS[record_name], demo_facts(), DEMO_NOW
    )
    assert decision.allowed is (record_name in DEMO_SEES[viewer_name]), decision


@pytest.mark.parametrize(
    ("viewer_name", "record_name", "expected"),
    [
        ("fatima", "goal1", allowed("grant", "grant #1,#3,#4")),
        ("fatima", "safety", allowed("grant", "grant #4")),
        ("daan", "goal2", allowed("grant", "grant #11")),
        ("daan", "goal1", denied("no_grant", "no consent from person #3")),
        ("ilse", "goal3", allowed("grant", "grant #12")),
        ("ilse", "goal2", denied("no_grant", "no consent from person #1")),
        ("joris", "goal4", allowed("grant", "grant #13")),
        ("joris", "goal1", denied("no_grant", "no consent from person #1")),
        ("mark", "goal1", allowed("algemeen")),
        ("mark", "goal4", allowed("algemeen")),
        ("mark", "goal5", denied("no_grant", "no consent from person #3")),
        ("sandra", "goal5", denied("no_grant", "no consent from person #3")),
        ("lisa", "goal5", allowed("author")),
        ("lisa", "safety", allowed("grant", "grant #25")),
        ("mark", "safety", allowed("authority", "authority over #4")),
        ("mark", "goal2", denied("no_grant", "no consent from person #1")),
        ("mark", "address", denied("shielded", "shield #1")),
        ("riet", "goal1", allowed("grant", "grant #21,#22,#23")),
        ("riet", "goal4", allowed("grant", "grant #22")),
        ("riet", "safety", allowed("grant", "grant #24")),
        ("riet", "goal5", denied("no_grant")),
        ("sandra", "address", allowed("subject", "person #1")),
        ("lisa", "goal4", allowed("subject", "person #3")),
        ("lisa", "goal1", allowed("subject")),
        ("lisa", "goal3", denied("no_grant")),
    ],
)
def test_demo_family_grounds(viewer_name: str, record_name: str, expected) -> None:
    decision = can_view(
        DEMO_VIEWERS[viewer_name], DEMO_RECORDS[record_name], demo_facts(), DEMO_NOW
    )
    assert decision == expected


def test_demo_address_audience() -> None:
    result = audience(DEMO_RECORDS["address"], DEMO_VIEWERS.values(), demo_facts(), DEMO_NOW)
    assert [v for v, _ in result] == [DEMO_VIEWERS["sandra"], DEMO_VIEWERS["fatima"]]


def test_demo_when_sandra_revokes_ggz_kompas_daan_loses_goal_2_on_the_next_request() -> None:
    daan, goal2 = DEMO_VIEWERS["daan"], DEMO_RECORDS["goal2"]
    revoked = DEMO_NOW + timedelta(minutes=5)
    f = demo_facts(ggz_revoked_at=revoked)
    assert can_view(daan, goal2, f, revoked - SECOND) == allowed("grant", "grant #11")
    assert can_view(daan, goal2, f, revoked) == denied(
        "no_grant", "no consent from person #1"
    )
    # the others are unaffected
    assert can_view(DEMO_VIEWERS["fatima"], goal2, f, revoked) == allowed("grant", "grant #1")
    assert can_view(DEMO_VIEWERS["sandra"], goal2, f, revoked) == allowed("subject")
    status_ = grant_status(f.grants[4], DEMO_PERSONS[SANDRA], revoked)
    assert status_ == GrantStatus(valid=False, state="ingetrokken", missing=frozenset())


def test_demo_lisas_health_stays_hers_on_both_sides_of_16() -> None:
    mark, goal4 = DEMO_VIEWERS["mark"], DEMO_RECORDS["goal4"]
    lisa_secret = RecordFacts(8, G, frozenset({LISA_ID}))
    # 20 May 2027, 00:30 in Amsterdam
    birthday = datetime(2027, 5, 19, 22, 30)
    for moment in (DEMO_NOW, birthday - timedelta(hours=1), birthday):
        assert can_view(mark, lisa_secret, demo_facts(), moment) == denied("no_grant")
        assert can_view(mark, goal4, demo_facts(), moment) == allowed("algemeen")


# =============================================================================
# properties
# =============================================================================

PERSON_IDS = (1, 2, 3, 4)
SUBJECT_IDS = (1, 2, 3, 4, UNKNOWN)
VIEWERS = [MOTHER_V, FATHER_V, TEEN_V, OMA, PRO, COLLEAGUE, OTHER_PRO, REGISSEUR]
PARTICIPANT_IDS = tuple(sorted({v.participant_id for v in VIEWERS}))
ORG_IDS = (100, 200, 300)
CATEGORIES = tuple(Category)

# Random families, built around one viewer and one record so that grants, shields
# and emergencies often concern them (otherwise nearly every decision is "no").
# Few, cheap draws per fact (sets as bitmasks, times as hour offsets) keep this fast.


def _subset(items: tuple, mask: int) -> frozenset:
    return frozenset(item for bit, item in enumerate(items) if mask >> bit & 1)


def subsets(items: tuple):
    return st.integers(0, 2 ** len(items) - 1).map(lambda mask: _subset(items, mask))


def around(now: datetime, days: int):
    return st.integers(-24 * days, 24 * days).map(lambda h: now + timedelta(hours=h))


nows = around(NOW, 60)
categories = st.sampled_from(CATEGORIES)
dobs = st.integers(0, 20 * 366).map(lambda d: date(2005, 1, 1) + timedelta(days=d))
# mostly known subjects; now and then someone missing from the facts
subject_sets = st.builds(
    lambda known, unknown: known | unknown,
    subsets(PERSON_IDS).filter(lambda s: len(s) <= 3),
    st.sampled_from([frozenset()] * 7 + [frozenset({UNKNOWN})]),
)
records_st = st.builds(
    RecordFacts,
    id=st.integers(1, 3),
    category=categories,
    subject_ids=subject_sets,
    author_participant_id=st.sampled_from((None, None, None, *PARTICIPANT_IDS)),
)
viewers_st = st.sampled_from(VIEWERS)


@st.composite
def persons_st(draw) -> dict[int, PersonFacts]:
    result = {}
    for pid in PERSON_IDS:
        others = tuple(p for p in PERSON_IDS if p != pid)
        result[pid] = PersonFacts(pid, draw(dobs), draw(subsets(others)))
    return result


def _subject(draw, rec: RecordFacts) -> int:
    if rec.subject_ids and draw(st.booleans()):
        return draw(st.sampled_from(sorted(rec.subject_ids)))
    return draw(st.sampled_from(SUBJECT_IDS))


def _category(draw, rec: RecordFacts) -> Category:
    return rec.category if draw(st.booleans()) else draw(categories)


@st.composite
def grants_st(draw, id: int, viewer: ViewerFacts, rec: RecordFacts, now: datetime) -> GrantFacts:
    grantee = draw(st.sampled_from(("viewer", "viewer_org", "other")))
    if grantee == "other":
        grantee = draw(st.sampled_from(ORG_IDS + tuple(-p for p in PARTICIPANT_IDS)))
    org = viewer.organisation_id if grantee == "viewer_org" else None
    if isinstance(grantee, int) and grantee > 0:
        org = grantee
    participant = viewer.participant_id if grantee == "viewer" else None
    if isinstance(grantee, int) and grantee < 0:
        participant = -grantee
    if org is None and participant is None:
        participant = viewer.participant_id
    everyone = draw(st.booleans())  # all persons consented: the consent is complete
    return GrantFacts(
        id=id,
        subject_id=_subject(draw, rec),
        categories=draw(subsets(CATEGORIES)) | {_category(draw, rec)},
        start=draw(around(now - timedelta(days=300), 400)),  # mostly started
        end=draw(st.none() | st.none() | around(now, 400)),
        revoked_at=draw(st.none() | st.none() | around(now, 400)),
        grantee_organisation_id=org,
        grantee_participant_id=participant,
        consenter_ids=frozenset(PERSON_IDS) if everyone else draw(subsets(PERSON_IDS)),
    )


@st.composite
def shields_st(draw, id: int, viewer: ViewerFacts, rec: RecordFacts, now: datetime) -> ShieldFacts:
    record_id = draw(st.integers(0, 3))  # 0: a category shield
    participant = draw(st.sampled_from((viewer.participant_id, *PARTICIPANT_IDS)))
    return ShieldFacts(
        id=id,
        participant_id=participant,
        subject_id=_subject(draw, rec),
        record_id=record_id or None,
        category=None if record_id else _category(draw, rec),
        lifted_at=draw(st.none() | around(now, 10)),
    )


@st.composite
def emergencies_st(
    draw, id: int, viewer: ViewerFacts, rec: RecordFacts, now: datetime
) -> EmergencyFacts:
    start = draw(around(now - timedelta(days=1), 1))
    viewers_own = draw(st.booleans())
    participant = viewer.participant_id if viewers_own else draw(st.sampled_from(PARTICIPANT_IDS))
    return EmergencyFacts(
        id=id,
        participant_id=participant,
        subject_id=_subject(draw, rec),
        category=_category(draw, rec),
        start=start,
        end=start + timedelta(hours=draw(st.integers(1, 72))),
        ended_at=draw(st.sampled_from((None, None, None, now)) | around(now, 2)),
    )


@st.composite
def scenarios(draw, viewers=viewers_st):
    """(viewer, record, family facts, now)."""
    viewer, rec, now = draw(viewers), draw(records_st), draw(nows)

    def numbered(strategy, max_size: int) -> tuple:
        count = draw(st.integers(0, max_size))
        return tuple(draw(strategy(i + 1, viewer, rec, now)) for i in range(count))

    f = FamilyFacts(
        persons=draw(persons_st()),
        grants=numbered(grants_st, 8),
        shields=numbered(shields_st, 2),
        emergencies=numbered(emergencies_st, 2),
    )
    return viewer, rec, f, now


def _has_valid_grant(subject_id: int, viewer: ViewerFacts, rec: RecordFacts, f: FamilyFacts, now):
    person = f.persons[subject_id]  # KeyError: an unknown person gave access
    return any(
        g.subject_id == subject_id
        and grant_covers(g, viewer, rec)
        and grant_status(g, person, now).valid
        for g in f.grants
    )


def _under_12_in_their_care(viewer: ViewerFacts, subject_id: int, f: FamilyFacts, now) -> bool:
    person = f.persons[subject_id]
    return (
        age_on(person.date_of_birth, local_day(now)) < 12
        and viewer.person_id in person.authority_holders
    )


def _has_emergency(subject_id: int, viewer: ViewerFacts, rec: RecordFacts, f: FamilyFacts, now):
    return any(
        e.participant_id == viewer.participant_id
        and e.subject_id == subject_id
        and e.category == rec.category
        and policy.emergency_is_active(e, now)
        for e in f.emergencies
    )


kinds_st = st.sampled_from([GOAL, ACTION, PLAN_SECTION, "comment"])


@given(scenario=scenarios(), kind=kinds_st)
def test_property_decisions_are_consistent(scenario, kind) -> None:
    viewer, rec, f, now = scenario
    decision = can_view(viewer, rec, f, now)
    # the ground matches the outcome
    grounds = policy.ALLOW_GROUNDS if decision.allowed else policy.DENY_GROUNDS
    assert decision.ground in grounds
    assert decision.ground not in (policy.NOT_PARTICIPANT, policy.ROLE)
    # family members always see records about themselves alone, unless shielded
    if rec.subject_ids == {viewer.person_id} and decision.ground != policy.SHIELDED:
        assert decision.allowed
    # outsiders never see a record without subjects they did not write
    if viewer.role != Role.FAMILY and not rec.subject_ids:
        assert decision.allowed is (decision.ground == policy.AUTHOR)
    # a grant (or emergency) ground means consent (or emergency access) for every subject
    if decision.ground in (policy.GRANT, policy.EMERGENCY):
        assert rec.subject_ids
        for subject_id in rec.subject_ids - {viewer.person_id}:
            assert _has_valid_grant(subject_id, viewer, rec, f, now) or (
                viewer.role == Role.FAMILY and _under_12_in_their_care(viewer, subject_id, f, now)
            ) or (
                decision.ground == policy.EMERGENCY
                and viewer.role.is_professional
                and _has_emergency(subject_id, viewer, rec, f, now)
            )
    # editing needs viewing, and then only the role decides
    edit = can_edit(viewer, rec, f, now, kind)
    if decision.allowed and kind in policy.EDIT_RIGHTS[viewer.role]:
        assert edit == decision
    elif decision.allowed:
        assert edit == denied("role")
    else:
        assert edit == decision


@given(scenario=scenarios(), by_record=st.booleans())
def test_property_an_active_shield_always_denies(scenario, by_record) -> None:
    viewer, rec, f, now = scenario
    assume(by_record or rec.subject_ids)
    s = ShieldFacts(
        id=99,
        participant_id=viewer.participant_id,
        subject_id=min(rec.subject_ids, default=1),
        record_id=rec.id if by_record else None,
        category=None if by_record else rec.category,
    )
    shielded = dataclasses.replace(f, shields=(*f.shields, s))
    assert can_view(viewer, rec, shielded, now) == denied("shielded")
    assert can_edit(viewer, rec, shielded, now, ACTION) == denied("shielded")


outsiders_st = st.sampled_from([PRO, COLLEAGUE, OTHER_PRO, REGISSEUR, OMA])


@given(scenario=scenarios(outsiders_st))
def test_property_revoked_grants_never_let_an_outsider_in(scenario) -> None:
    viewer, rec, f, now = scenario
    assume(rec.author_participant_id != viewer.participant_id)
    revoked = tuple(
        dataclasses.replace(g, revoked_at=min(g.revoked_at or now, now)) for g in f.grants
    )
    f = dataclasses.replace(f, grants=revoked, emergencies=())
    assert not can_view(viewer, rec, f, now)


@given(scenario=scenarios())
def test_property_less_consent_or_more_shields_never_give_more_access(scenario) -> None:
    viewer, rec, f, now = scenario
    fewer_grants = dataclasses.replace(f, grants=f.grants[:1], emergencies=())
    if can_view(viewer, rec, fewer_grants, now):
        assert can_view(viewer, rec, f, now)
    fewer_shields = dataclasses.replace(f, shields=f.shields[:1])
    if can_view(viewer, rec, f, now):
        assert can_view(viewer, rec, fewer_shields, now)


@given(scenario=scenarios())
def test_property_audience_agrees_with_can_view(scenario) -> None:
    _, rec, f, now = scenario
    result = audience(rec, VIEWERS, f, now)
    assert result == [(v, d) for v in VIEWERS if (d := can_view(v, rec, f, now))]


@given(g=grants_st(1, PRO, record(1, G, PERSON_IDS), NOW), persons=persons_st(), now=nows)
def test_property_grant_status_valid_only_when_every_condition_holds(g, persons, now) -> None:
    assume(g.subject_id in persons)
    person = persons[g.subject_id]
    result = grant_status(g, person, now)
    in_time = g.start <= now and (g.end is None or now < g.end)
    not_revoked = g.revoked_at is None or g.revoked_at > now
    someone_can_consent = bool(person.authority_holders) or (
        age_on(person.date_of_birth, local_day(now)) >= 12
    )
    assert result.valid == (result.state == "actief")
    assert result.valid == (
        in_time and not_revoked and not result.missing and someone_can_consent
    )
    assert result.missing.isdisjoint(g.consenter_ids)
    assert g.subject_id in result.missing or g.subject_id in g.consenter_ids or (
        age_on(person.date_of_birth, local_day(now)) < 12
    )


# --- a question asked twice of the same facts -------------------------------------------------
# `can_view` remembers its answers on the facts (which live for one request), and records alike
# in all but their id share one answer unless a grant or a shield names that id.

def test_the_remembered_answer_covers_every_fact_of_a_record() -> None:
    # the memo's key is made of these fields: a new fact about records must be added to it
    assert [f.name for f in dataclasses.fields(RecordFacts)] == [
        "id", "category", "subject_ids", "author_participant_id", "ancestor_ids"]


@pytest.mark.parametrize("first", [6, 7])
def test_a_record_grant_is_for_its_own_record_whichever_is_asked_first(first) -> None:
    # oma may read the safety line (record 6) by a record grant, not its twin (record 7)
    f = facts([dataclasses.replace(grant(1, MOTHER, participant=OMA.participant_id,
                                         categories={V}), record_id=6)])
    answers = {}
    for record_id in (first, 13 - first):
        answers[record_id] = can_view(OMA, record(record_id, V), f, NOW).allowed
    assert answers == {6: True, 7: False}


@pytest.mark.parametrize("first", [1, 2])
def test_a_shield_on_one_record_hides_that_record_only_whichever_is_asked_first(first) -> None:
    f = facts([grant(1, MOTHER, org=100)], [shield(4, PRO.participant_id, MOTHER, record_id=1)])
    answers = {}
    for record_id in (first, 3 - first):
        answers[record_id] = can_view(PRO, record(record_id), f, NOW).ground
    assert answers == {1: policy.SHIELDED, 2: policy.GRANT}


def test_facts_made_from_other_facts_do_not_take_their_answers() -> None:
    f = facts([grant(1, MOTHER, org=100)])
    assert can_view(PRO, record(), f, NOW).allowed
    shielded = dataclasses.replace(f, shields=(shield(4, PRO.participant_id, MOTHER, category=G),))
    assert can_view(PRO, record(), shielded, NOW) == denied("shielded")
    revoked = dataclasses.replace(f, grants=(grant(1, MOTHER, org=100, revoked_at=EARLIER),))
    assert not can_view(PRO, record(), revoked, NOW).allowed
    assert can_view(PRO, record(), f, NOW).allowed  # the first facts answer as before


@given(scenario=scenarios(), other_id=st.integers(1, 12))
def test_property_a_remembered_answer_is_the_answer(scenario, other_id) -> None:
    viewer, rec, f, now = scenario
    twin = dataclasses.replace(rec, id=other_id)
    for asked in (rec, twin, rec, twin):
        assert can_view(viewer, asked, f, now) == policy._can_view(viewer, asked, f, now)
