"""The privacy policy of DESIGN.md §3, beyond `can_view` of a single category grant: record
grants, the 12-15 rule on birthdays, shields over what hangs under a record, widening, and who
may see the privacy model itself (consents, shields, emergency access, participation, the LVB
flag, audit events). Pure: facts built by hand with the builders of `test_policy`.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date, datetime

import pytest

from samenplan.domain.ages import local_day
from samenplan.privacy.facts import (
    Category,
    EventFacts,
    GrantFacts,
    ParticipationFacts,
    PersonFacts,
    RecordFacts,
    Role,
    ViewerFacts,
)
from samenplan.privacy.policy import (
    GrantStatus,
    acts_for,
    can_see_consent,
    can_see_emergency,
    can_see_event,
    can_see_participation,
    can_see_shield,
    can_view,
    grant_covers,
    grant_status,
    may_consent_for,
    may_know_lvb,
    may_set_shield,
    may_widen,
    newly_seeing,
)
from tests.unit.test_policy import (
    ADRES,
    CHILD,
    COLLEAGUE,
    FATHER,
    FATHER_V,
    MOTHER,
    MOTHER_V,
    NOW,
    OMA,
    OTHER_PRO,
    PARENTS,
    PERSONS,
    PRO,
    REGISSEUR,
    TEEN,
    TEEN_V,
    YOUTH,
    YOUTH_V,
    A,
    F,
    G,
    V,
    allowed,
    denied,
    emergency,
    facts,
    grant,
    record,
    shield,
)

J = Category.JUSTITIE
CHILD_V = ViewerFacts(4, Role.FAMILY, person_id=CHILD)  # a child of 7 with a login
OTHER_NETWORK = ViewerFacts(31, Role.NETWORK)  # the neighbour


def record_grant(
    id: int, subject: int, record_id: int, category: Category,
    consenters: Iterable[int] | None = None, **kwargs,
) -> GrantFacts:
    """A grant for one record, in the category that record had when it was granted."""
    g = grant(id, subject, consenters, {category}, **kwargs)
    return dataclasses.replace(g, record_id=record_id)


def under(rec: RecordFacts, *ancestor_ids: int) -> RecordFacts:
    """`rec`, hanging under the records `ancestor_ids` (its goal, that goal's goal, ...)."""
    return dataclasses.replace(rec, ancestor_ids=frozenset(ancestor_ids))


def with_persons(*extra: PersonFacts, **kwargs):
    """`facts(...)` for the generic family plus `extra` persons."""
    return facts(persons={**PERSONS, **{p.id: p for p in extra}}, **kwargs)


# =============================================================================
# 1. record grants
# =============================================================================


def test_record_grant_lets_oma_see_exactly_that_record() -> None:
    # CHILD's parents share one safety-plan item (record 7) with oma
    f = facts([record_grant(1, CHILD, 7, V, participant=OMA.participant_id)])
    assert can_view(OMA, record(7, V, {CHILD}), f, NOW) == allowed("grant", "grant #1")
    # not another record of the same category
    assert can_view(OMA, record(8, V, {CHILD}), f, NOW) == denied("no_grant")
    # not the same record once its category is changed (widened to algemeen, or moved)
    assert can_view(OMA, record(7, A, {CHILD}), f, NOW) == denied("no_grant")
    assert can_view(OMA, record(7, G, {CHILD}), f, NOW) == denied("no_grant")
    # one record: not what hangs under it
    assert can_view(OMA, under(record(9, V, {CHILD}), 7), f, NOW) == denied("no_grant")
    # and only for the grantee
    assert can_view(OTHER_NETWORK, record(7, V, {CHILD}), f, NOW) == denied("no_grant")


def test_record_grant_versus_category_grant() -> None:
    by_record = record_grant(1, CHILD, 7, V, participant=OMA.participant_id)
    by_category = grant(2, CHILD, categories={V}, participant=OMA.participant_id)
    assert grant_covers(by_record, OMA, record(7, V, {CHILD}))
    assert not grant_covers(by_record, OMA, record(8, V, {CHILD}))
    assert not grant_covers(by_record, OMA, record(7, A, {CHILD}))
    assert grant_covers(by_category, OMA, record(7, V, {CHILD}))
    assert grant_covers(by_category, OMA, record(8, V, {CHILD}))
    assert can_view(OMA, record(8, V, {CHILD}), facts([by_category]), NOW) == allowed("grant")


def test_record_grant_from_a_young_child_needs_both_parents() -> None:
    r = record(7, V, {CHILD})
    pending = record_grant(1, CHILD, 7, V, {MOTHER}, participant=OMA.participant_id)
    missing_father = GrantStatus(False, "wacht", frozenset({FATHER}))
    assert grant_status(pending, PERSONS[CHILD], NOW) == missing_father
    assert can_view(OMA, r, facts([pending]), NOW) == denied("no_grant")
    complete = record_grant(1, CHILD, 7, V, PARENTS, participant=OMA.participant_id)
    assert can_view(OMA, r, facts([complete]), NOW) == allowed("grant", "grant #1")


@pytest.mark.parametrize(
    ("consenters", "sees"),
    [
        ({TEEN}, False),
        (PARENTS, False),
        ({TEEN, MOTHER}, False),
        ({TEEN, FATHER}, False),
        (PARENTS | {TEEN}, True),
    ],
)
def test_record_grant_from_a_teen_needs_the_teen_and_both_parents(consenters, sees) -> None:
    g = record_grant(1, TEEN, 7, G, consenters, participant=OMA.participant_id)
    status = grant_status(g, PERSONS[TEEN], NOW)
    assert status.valid is sees
    assert status.missing == (PARENTS | {TEEN}) - consenters
    assert can_view(OMA, record(7, G, {TEEN}), facts([g]), NOW).allowed is sees


def test_record_grant_to_an_organisation_covers_its_professionals() -> None:
    f = facts([record_grant(1, MOTHER, 7, G, org=PRO.organisation_id)])
    r = record(7, G, {MOTHER})
    assert can_view(PRO, r, f, NOW) == allowed("grant", "grant #1")
    assert can_view(COLLEAGUE, r, f, NOW) == allowed("grant", "grant #1")
    assert can_view(OTHER_PRO, r, f, NOW) == denied("no_grant")
    assert can_view(OMA, r, f, NOW) == denied("no_grant")
    assert can_view(PRO, record(8, G, {MOTHER}), f, NOW) == denied("no_grant")


def test_record_grant_to_a_family_member() -> None:
    f = facts([record_grant(1, MOTHER, 7, G, participant=FATHER_V.participant_id)])
    assert can_view(FATHER_V, record(7, G, {MOTHER}), f, NOW) == allowed("grant", "grant #1")
    assert can_view(FATHER_V, record(8, G, {MOTHER}), f, NOW) == denied("no_grant")
    assert can_view(TEEN_V, record(7, G, {MOTHER}), f, NOW) == denied("no_grant")


def test_record_grant_about_two_subjects_needs_one_from_each() -> None:
    # consent is per person: one subject cannot share the other's part of a record
    r = record(7, V, {CHILD, MOTHER})
    from_child = record_grant(1, CHILD, 7, V, participant=OMA.participant_id)
    from_mother = record_grant(2, MOTHER, 7, V, participant=OMA.participant_id)
    assert can_view(OMA, r, facts([from_child]), NOW) == denied(
        "no_grant", "no consent from person #1"
    )
    both = facts([from_child, from_mother])
    assert can_view(OMA, r, both, NOW) == allowed("grant", "grant #1,#2")


@pytest.mark.parametrize(
    "change",
    [
        {"revoked_at": NOW},
        {"declined": True},
        {"end": NOW},
    ],
)
def test_an_invalid_record_grant_gives_nothing(change: dict) -> None:
    valid = record_grant(1, CHILD, 7, V, participant=OMA.participant_id)
    assert can_view(OMA, record(7, V, {CHILD}), facts([valid]), NOW).allowed
    invalid = dataclasses.replace(valid, **change)
    assert can_view(OMA, record(7, V, {CHILD}), facts([invalid]), NOW) == denied("no_grant")


# =============================================================================
# 2. the 12-15 rule, with a birthday today in Amsterdam
# =============================================================================

KID = 6
KID_V = ViewerFacts(60, Role.FAMILY, person_id=KID)

# 23:59 on the eve of a birthday in Amsterdam and 00:00 on the day itself, in naive UTC:
# 1 March 2026 (winter time, UTC+1) and 15 July 2026 (summer time, UTC+2)
WINTER_EVE, WINTER_MIDNIGHT = datetime(2026, 2, 28, 22, 59), datetime(2026, 2, 28, 23, 0)
SUMMER_EVE, SUMMER_MIDNIGHT = datetime(2026, 7, 14, 21, 59), datetime(2026, 7, 14, 22, 0)
# (date of birth, eve, midnight)
TURNS_12 = [
    pytest.param(date(2014, 3, 1), WINTER_EVE, WINTER_MIDNIGHT, id="winter"),
    pytest.param(date(2014, 7, 15), SUMMER_EVE, SUMMER_MIDNIGHT, id="summer"),
]
TURNS_16 = [
    pytest.param(date(2010, 3, 1), WINTER_EVE, WINTER_MIDNIGHT, id="winter"),
    pytest.param(date(2010, 7, 15), SUMMER_EVE, SUMMER_MIDNIGHT, id="summer"),
]


def kid(born: date) -> PersonFacts:
    return PersonFacts(KID, born, PARENTS)


def test_the_winter_kid_has_a_birthday_on_the_local_day_of_now() -> None:
    # NOW (12:00 UTC) is 1 March 2026 in Amsterdam, winter time (UTC+1)
    assert local_day(NOW) == date(2026, 3, 1)
    # 12 today: a parent's authority gives only algemeen already
    f = with_persons(kid(date(2014, 3, 1)))
    assert can_view(FATHER_V, record(1, G, {KID}), f, NOW) == denied("no_grant")
    assert may_consent_for(KID_V, KID, f, NOW)


@pytest.mark.parametrize(("born", "eve", "midnight"), TURNS_12)
@pytest.mark.parametrize("category", [G, V, J])
def test_authority_shows_health_safety_justice_until_the_12th_birthday(
    born, eve, midnight, category
) -> None:
    f, r = with_persons(kid(born)), record(1, category, {KID})
    assert can_view(FATHER_V, r, f, eve) == allowed("authority", "authority over #6")
    assert can_view(MOTHER_V, r, f, eve) == allowed("authority")
    assert can_view(FATHER_V, r, f, midnight) == denied(
        "no_grant", "no consent from person #6"
    )
    assert can_view(MOTHER_V, r, f, midnight) == denied("no_grant")


@pytest.mark.parametrize(("born", "eve", "midnight"), TURNS_12 + TURNS_16)
def test_algemeen_is_shared_on_both_sides_of_a_birthday(born, eve, midnight) -> None:
    f = with_persons(kid(born))
    for now in (eve, midnight):
        assert can_view(FATHER_V, record(1, A, {KID}), f, now).allowed
        assert can_view(TEEN_V, record(1, A, {KID}), f, now) == allowed("algemeen")
        # an outsider never sees algemeen without a grant
        assert can_view(OMA, record(1, A, {KID}), f, now) == denied("no_grant")


@pytest.mark.parametrize(("born", "eve", "midnight"), TURNS_12)
def test_from_12_a_parent_needs_the_youths_own_grant(born, eve, midnight) -> None:
    r = record(1, G, {KID})
    to_father = {"participant": FATHER_V.participant_id, "start": datetime(2026, 1, 1)}
    youth_and_parents = grant(1, KID, PARENTS | {KID}, **to_father)
    parents_only = grant(2, KID, PARENTS, **to_father)
    with_youth = with_persons(kid(born), grants=[youth_and_parents])
    without_youth = with_persons(kid(born), grants=[parents_only])
    assert can_view(FATHER_V, r, with_youth, midnight) == allowed("grant", "grant #1")
    # what the parents agreed between them while the child was 11 no longer counts at 12
    assert grant_status(parents_only, kid(born), eve).valid
    assert can_view(FATHER_V, r, without_youth, midnight) == denied("no_grant")
    # the grant is to the father: the mother still needs her own
    assert can_view(MOTHER_V, r, with_youth, midnight) == denied("no_grant")


@pytest.mark.parametrize(("born", "eve", "midnight"), TURNS_12)
def test_consenters_and_acts_for_at_the_12th_birthday(born, eve, midnight) -> None:
    f = with_persons(kid(born))
    # at 11: the holders of authority consent; the child does not
    assert may_consent_for(MOTHER_V, KID, f, eve)
    assert may_consent_for(FATHER_V, KID, f, eve)
    assert not may_consent_for(KID_V, KID, f, eve)
    assert KID in acts_for(MOTHER_V, f, eve)
    # at 12: the youth and every holder of authority
    assert may_consent_for(MOTHER_V, KID, f, midnight)
    assert may_consent_for(FATHER_V, KID, f, midnight)
    assert may_consent_for(KID_V, KID, f, midnight)
    assert KID not in acts_for(MOTHER_V, f, midnight)
    assert acts_for(KID_V, f, midnight) == {KID}


@pytest.mark.parametrize(("born", "eve", "midnight"), TURNS_16)
def test_at_16_the_parents_are_no_longer_consenters(born, eve, midnight) -> None:
    f = with_persons(kid(born))
    # 15: youth and parents
    assert may_consent_for(KID_V, KID, f, eve)
    assert may_consent_for(MOTHER_V, KID, f, eve)
    assert may_consent_for(FATHER_V, KID, f, eve)
    # 16: the youth alone
    assert may_consent_for(KID_V, KID, f, midnight)
    assert not may_consent_for(MOTHER_V, KID, f, midnight)
    assert not may_consent_for(FATHER_V, KID, f, midnight)
    youth_alone = grant(1, KID, {KID}, org=PRO.organisation_id, start=datetime(2026, 1, 1))
    assert grant_status(youth_alone, kid(born), eve).missing == PARENTS
    assert grant_status(youth_alone, kid(born), midnight).valid


def test_may_consent_for_is_for_family_members_only() -> None:
    f = facts()
    assert may_consent_for(MOTHER_V, MOTHER, f, NOW)
    assert not may_consent_for(MOTHER_V, FATHER, f, NOW)  # not for a partner
    assert may_consent_for(MOTHER_V, CHILD, f, NOW)
    assert may_consent_for(MOTHER_V, TEEN, f, NOW)
    assert may_consent_for(TEEN_V, TEEN, f, NOW)
    assert not may_consent_for(MOTHER_V, YOUTH, f, NOW)
    assert may_consent_for(YOUTH_V, YOUTH, f, NOW)
    assert not may_consent_for(CHILD_V, CHILD, f, NOW)
    for outsider in (REGISSEUR, PRO, OMA):
        assert not may_consent_for(outsider, MOTHER, f, NOW)
        assert not may_consent_for(outsider, CHILD, f, NOW)
    assert not may_consent_for(MOTHER_V, 99, f, NOW)  # unknown person


# =============================================================================
# 3. a shield on a record covers what hangs under it
# =============================================================================


def test_shield_on_a_record_hides_what_hangs_under_it() -> None:
    f = facts(
        [grant(1, CHILD, categories={V}, participant=OMA.participant_id)],
        [shield(9, OMA.participant_id, CHILD, record_id=1)],
    )
    assert can_view(OMA, record(1, V, {CHILD}), f, NOW) == denied("shielded", "shield #9")
    assert can_view(OMA, under(record(2, V, {CHILD}), 1), f, NOW) == denied("shielded")
    assert can_view(OMA, under(record(3, V, {CHILD}), 5, 1), f, NOW) == denied("shielded")
    # a record under other records: the grant counts
    assert can_view(OMA, under(record(4, V, {CHILD}), 5, 6), f, NOW) == allowed("grant", "grant #1")
    assert can_view(OMA, record(5, V, {CHILD}), f, NOW) == allowed("grant")


def test_shield_on_a_record_hides_what_hangs_under_it_even_from_its_author() -> None:
    f = facts(shields=[shield(9, OMA.participant_id, CHILD, record_id=1)])
    mine = record(2, V, {CHILD}, author=OMA.participant_id)
    assert can_view(OMA, under(mine, 1), f, NOW) == denied("shielded")
    assert can_view(OMA, under(mine, 5, 1), f, NOW) == denied("shielded")
    assert can_view(OMA, under(mine, 5), f, NOW) == allowed("author")


def test_shield_under_a_record_applies_only_to_the_shielded_participant() -> None:
    f = facts(
        [grant(1, CHILD, categories={V}, org=PRO.organisation_id)],
        [shield(9, FATHER_V.participant_id, CHILD, record_id=1)],
    )
    action = under(record(2, V, {CHILD}), 1)
    assert can_view(FATHER_V, action, f, NOW) == denied("shielded")  # beats authority
    assert can_view(MOTHER_V, action, f, NOW) == allowed("authority")
    assert can_view(PRO, action, f, NOW) == allowed("grant")


def test_lifted_shield_no_longer_hides_what_hangs_under_it() -> None:
    lifted = shield(9, FATHER_V.participant_id, CHILD, record_id=1, lifted_at=NOW)
    f = facts(shields=[lifted])
    assert can_view(FATHER_V, under(record(2, V, {CHILD}), 1), f, NOW) == allowed("authority")


# =============================================================================
# 4. who sees a consent
# =============================================================================


def test_who_sees_a_grant_from_an_adult() -> None:
    g = grant(1, MOTHER, org=PRO.organisation_id)
    f = facts([g])
    assert can_see_consent(REGISSEUR, g, f, NOW) == allowed("casusregisseur")
    assert can_see_consent(MOTHER_V, g, f, NOW) == allowed("consenter")
    assert can_see_consent(PRO, g, f, NOW) == allowed("grantee")
    assert can_see_consent(COLLEAGUE, g, f, NOW) == allowed("grantee")
    # not the partner, another organisation, the network or the children
    for viewer in (FATHER_V, OTHER_PRO, OMA, TEEN_V, YOUTH_V):
        assert can_see_consent(viewer, g, f, NOW) == denied("not_for_viewer"), viewer


def test_who_sees_a_grant_from_a_teen() -> None:
    g = grant(1, TEEN, org=OTHER_PRO.organisation_id)
    f = facts([g])
    for viewer in (TEEN_V, MOTHER_V, FATHER_V):
        assert can_see_consent(viewer, g, f, NOW) == allowed("consenter"), viewer
    assert can_see_consent(OTHER_PRO, g, f, NOW) == allowed("grantee")
    for viewer in (YOUTH_V, PRO, OMA):
        assert can_see_consent(viewer, g, f, NOW) == denied("not_for_viewer"), viewer


def test_a_pending_grant_is_seen_by_the_consenters_still_missing() -> None:
    g = grant(1, TEEN, {TEEN}, org=OTHER_PRO.organisation_id)  # the parents have not said yes
    assert can_see_consent(FATHER_V, g, facts([g]), NOW) == allowed("consenter")


def test_who_sees_a_grant_from_a_young_child() -> None:
    g = grant(1, CHILD, categories={V}, participant=OMA.participant_id)
    f = facts([g])
    assert can_see_consent(MOTHER_V, g, f, NOW) == allowed("consenter")
    assert can_see_consent(FATHER_V, g, f, NOW) == allowed("consenter")
    assert can_see_consent(CHILD_V, g, f, NOW) == allowed("consenter")  # the subject
    assert can_see_consent(OMA, g, f, NOW) == allowed("grantee")
    for viewer in (OTHER_NETWORK, PRO, TEEN_V):
        assert can_see_consent(viewer, g, f, NOW) == denied("not_for_viewer"), viewer


def test_parents_do_not_see_a_grant_from_a_youth_of_16() -> None:
    g = grant(1, YOUTH, participant=OMA.participant_id)
    f = facts([g])
    assert can_see_consent(YOUTH_V, g, f, NOW) == allowed("consenter")
    assert can_see_consent(OMA, g, f, NOW) == allowed("grantee")
    assert can_see_consent(REGISSEUR, g, f, NOW) == allowed("casusregisseur")
    assert can_see_consent(MOTHER_V, g, f, NOW) == denied("not_for_viewer")
    assert can_see_consent(FATHER_V, g, f, NOW) == denied("not_for_viewer")


@pytest.mark.parametrize(("born", "eve", "midnight"), TURNS_16)
def test_parents_stop_seeing_a_youths_grant_on_the_16th_birthday(born, eve, midnight) -> None:
    g = grant(1, KID, PARENTS | {KID}, org=PRO.organisation_id, start=datetime(2026, 1, 1))
    f = with_persons(kid(born), grants=[g])
    assert can_see_consent(MOTHER_V, g, f, eve) == allowed("consenter")
    assert can_see_consent(MOTHER_V, g, f, midnight) == denied("not_for_viewer")
    assert can_see_consent(KID_V, g, f, midnight) == allowed("consenter")


def test_a_grant_to_a_family_member_is_seen_by_them() -> None:
    g = grant(1, MOTHER, participant=FATHER_V.participant_id)
    assert can_see_consent(FATHER_V, g, facts([g]), NOW) == allowed("grantee")
    assert can_see_consent(TEEN_V, g, facts([g]), NOW) == denied("not_for_viewer")


def test_who_asked_for_a_grant_sees_it() -> None:
    asked = grant(1, MOTHER, set(), org=PRO.organisation_id)
    g = dataclasses.replace(asked, requested_by_participant_id=OMA.participant_id)
    f = facts([g])
    assert can_see_consent(OMA, g, f, NOW) == allowed("requester")
    assert can_see_consent(PRO, g, f, NOW) == allowed("grantee")
    assert can_see_consent(OTHER_NETWORK, g, f, NOW) == denied("not_for_viewer")
    assert can_see_consent(OTHER_PRO, g, f, NOW) == denied("not_for_viewer")


def test_network_members_see_only_grants_to_them() -> None:
    to_neighbour = grant(1, MOTHER, participant=OTHER_NETWORK.participant_id)
    to_org = grant(2, MOTHER, org=PRO.organisation_id)
    f = facts([to_neighbour, to_org])
    assert can_see_consent(OTHER_NETWORK, to_neighbour, f, NOW) == allowed("grantee")
    assert can_see_consent(OMA, to_neighbour, f, NOW) == denied("not_for_viewer")
    assert can_see_consent(OMA, to_org, f, NOW) == denied("not_for_viewer")


# =============================================================================
# 5. who sees a shield, and who may set one
# =============================================================================


def test_who_sees_a_shield_about_an_adult() -> None:
    s = shield(1, FATHER_V.participant_id, MOTHER, category=ADRES)  # the address, from the ex
    f = facts(shields=[s])
    assert can_see_shield(FATHER_V, s, f, NOW) == denied("shielded", "shield #1")
    assert can_see_shield(MOTHER_V, s, f, NOW) == allowed("acts_for")
    assert can_see_shield(REGISSEUR, s, f, NOW) == allowed("casusregisseur")
    for viewer in (TEEN_V, YOUTH_V, OMA, PRO):
        assert can_see_shield(viewer, s, f, NOW) == denied("not_for_viewer"), viewer


def test_nobody_sees_a_shield_set_against_them() -> None:
    # even a parent of the young child it is about
    against_father = shield(1, FATHER_V.participant_id, CHILD, record_id=9)
    # even the casusregisseur
    against_chair = shield(2, REGISSEUR.participant_id, MOTHER, category=G)
    f = facts(shields=[against_father, against_chair])
    assert can_see_shield(FATHER_V, against_father, f, NOW) == denied("shielded")
    assert can_see_shield(MOTHER_V, against_father, f, NOW) == allowed("acts_for")
    assert can_see_shield(REGISSEUR, against_father, f, NOW) == allowed("casusregisseur")
    assert can_see_shield(REGISSEUR, against_chair, f, NOW) == denied("shielded")
    assert can_see_shield(MOTHER_V, against_chair, f, NOW) == allowed("acts_for")


def test_a_teens_shield_is_theirs_not_their_parents() -> None:
    s = shield(1, OMA.participant_id, TEEN, category=G)
    f = facts(shields=[s])
    assert can_see_shield(TEEN_V, s, f, NOW) == allowed("acts_for")
    assert can_see_shield(REGISSEUR, s, f, NOW) == allowed("casusregisseur")
    assert can_see_shield(MOTHER_V, s, f, NOW) == denied("not_for_viewer")
    assert can_see_shield(FATHER_V, s, f, NOW) == denied("not_for_viewer")


@pytest.mark.parametrize(("born", "eve", "midnight"), TURNS_12)
def test_a_parent_sees_and_sets_shields_until_the_12th_birthday(born, eve, midnight) -> None:
    s = shield(1, OMA.participant_id, KID, category=V)
    f = with_persons(kid(born), shields=[s])
    assert can_see_shield(MOTHER_V, s, f, eve) == allowed("acts_for")
    assert may_set_shield(MOTHER_V, KID, f, eve)
    assert may_set_shield(KID_V, KID, f, eve)  # "a subject ... can shield", at any age
    assert can_see_shield(MOTHER_V, s, f, midnight) == denied("not_for_viewer")
    assert not may_set_shield(MOTHER_V, KID, f, midnight)
    assert may_set_shield(KID_V, KID, f, midnight)
    assert can_see_shield(KID_V, s, f, midnight) == allowed("acts_for")


def test_who_may_set_a_shield() -> None:
    f = facts()
    assert may_set_shield(MOTHER_V, MOTHER, f, NOW)
    assert may_set_shield(MOTHER_V, CHILD, f, NOW)
    assert may_set_shield(FATHER_V, CHILD, f, NOW)
    assert may_set_shield(TEEN_V, TEEN, f, NOW)
    assert may_set_shield(YOUTH_V, YOUTH, f, NOW)
    assert not may_set_shield(MOTHER_V, FATHER, f, NOW)
    assert not may_set_shield(MOTHER_V, TEEN, f, NOW)
    assert not may_set_shield(FATHER_V, YOUTH, f, NOW)
    assert not may_set_shield(TEEN_V, CHILD, f, NOW)
    for outsider in (REGISSEUR, PRO, OMA):
        assert not may_set_shield(outsider, MOTHER, f, NOW)
        assert not may_set_shield(outsider, CHILD, f, NOW)


# =============================================================================
# 6. who sees an emergency access
# =============================================================================


def test_who_sees_an_emergency_access_about_a_young_child() -> None:
    e = emergency(1, PRO.participant_id, CHILD, V)
    f = facts(emergencies=[e])
    assert can_see_emergency(PRO, e, f, NOW) == allowed("own")
    assert can_see_emergency(REGISSEUR, e, f, NOW) == allowed("casusregisseur")
    assert can_see_emergency(MOTHER_V, e, f, NOW) == allowed("acts_for")
    assert can_see_emergency(FATHER_V, e, f, NOW) == allowed("acts_for")
    for viewer in (COLLEAGUE, OTHER_PRO, OMA, TEEN_V):
        assert can_see_emergency(viewer, e, f, NOW) == denied("not_for_viewer"), viewer


def test_an_emergency_access_withheld_from_the_family() -> None:
    e = dataclasses.replace(emergency(1, PRO.participant_id, CHILD, V), withhold_from_family=True)
    f = facts(emergencies=[e])
    assert can_see_emergency(PRO, e, f, NOW) == allowed("own")
    assert can_see_emergency(REGISSEUR, e, f, NOW) == allowed("casusregisseur")
    assert can_see_emergency(MOTHER_V, e, f, NOW) == denied("withheld")
    assert can_see_emergency(FATHER_V, e, f, NOW) == denied("withheld")
    assert can_see_emergency(OMA, e, f, NOW) == denied("not_for_viewer")


def test_an_emergency_access_about_an_adult_or_a_teen_is_theirs() -> None:
    about_mother = emergency(1, PRO.participant_id, MOTHER, G)
    about_teen = emergency(2, PRO.participant_id, TEEN, G)
    f = facts(emergencies=[about_mother, about_teen])
    assert can_see_emergency(MOTHER_V, about_mother, f, NOW) == allowed("acts_for")
    assert can_see_emergency(FATHER_V, about_mother, f, NOW) == denied("not_for_viewer")
    assert can_see_emergency(TEEN_V, about_teen, f, NOW) == allowed("acts_for")
    assert can_see_emergency(MOTHER_V, about_teen, f, NOW) == denied("not_for_viewer")


# =============================================================================
# 7. who sees a participation
# =============================================================================

GGZ_INVOLVEMENT = record(50, G, {MOTHER})
GGZ = ParticipationFacts(PRO.participant_id, Role.PROFESSIONAL, involvement=GGZ_INVOLVEMENT)


@pytest.mark.parametrize(
    "participation",
    [
        ParticipationFacts(MOTHER_V.participant_id, Role.FAMILY),
        ParticipationFacts(OMA.participant_id, Role.NETWORK),
        ParticipationFacts(REGISSEUR.participant_id, Role.CASUSREGISSEUR),
    ],
)
def test_family_network_and_the_casusregisseur_take_part_openly(participation) -> None:
    for viewer in (MOTHER_V, FATHER_V, TEEN_V, OMA, OTHER_NETWORK, PRO, OTHER_PRO, REGISSEUR):
        if viewer.participant_id != participation.participant_id:
            assert can_see_participation(viewer, participation, facts(), NOW) == allowed("open")


def test_a_professionals_participation_is_seen_by_themself() -> None:
    assert can_see_participation(PRO, GGZ, facts(), NOW) == allowed("own")
    no_involvement = ParticipationFacts(PRO.participant_id, Role.PROFESSIONAL)
    assert can_see_participation(PRO, no_involvement, facts(), NOW) == allowed("own")


def test_a_professionals_participation_is_seen_as_the_record_of_their_involvement() -> None:
    f = facts()
    assert can_see_participation(MOTHER_V, GGZ, f, NOW) == allowed("subject")
    for viewer in (FATHER_V, TEEN_V, OMA, COLLEAGUE, OTHER_PRO, REGISSEUR):
        assert can_see_participation(viewer, GGZ, f, NOW) == denied("no_grant"), viewer


def test_oma_sees_the_ggz_professional_only_with_a_health_grant_from_mother() -> None:
    health = grant(1, MOTHER, categories={G}, participant=OMA.participant_id)
    money = grant(2, MOTHER, categories={F}, participant=OMA.participant_id)
    assert can_see_participation(OMA, GGZ, facts([health]), NOW) == allowed("grant", "grant #1")
    assert can_see_participation(OMA, GGZ, facts([money]), NOW) == denied("no_grant")
    assert can_see_participation(OTHER_NETWORK, GGZ, facts([health]), NOW) == denied("no_grant")


def test_a_colleague_sees_the_professionals_participation_only_with_a_grant() -> None:
    assert can_see_participation(COLLEAGUE, GGZ, facts(), NOW) == denied("no_grant")
    to_org = facts([grant(1, MOTHER, org=PRO.organisation_id)])
    assert can_see_participation(COLLEAGUE, GGZ, to_org, NOW) == allowed("grant")
    assert can_see_participation(OTHER_PRO, GGZ, to_org, NOW) == denied("no_grant")
    # the casusregisseur too needs consent to know of mental-health care
    to_chair = facts([grant(2, MOTHER, participant=REGISSEUR.participant_id)])
    assert can_see_participation(REGISSEUR, GGZ, to_chair, NOW) == allowed("grant")


def test_a_shield_on_the_involvement_hides_the_participation() -> None:
    f = facts(
        [grant(1, MOTHER, participant=OMA.participant_id)],
        [shield(2, OMA.participant_id, MOTHER, category=G)],
    )
    assert can_see_participation(OMA, GGZ, f, NOW) == denied("shielded")


def test_a_professionals_participation_without_involvement_is_not_visible() -> None:
    bare = ParticipationFacts(PRO.participant_id, Role.PROFESSIONAL)
    for viewer in (MOTHER_V, FATHER_V, OMA, COLLEAGUE, OTHER_PRO, REGISSEUR):
        assert can_see_participation(viewer, bare, facts(), NOW) == denied("no_subjects"), viewer


# =============================================================================
# 8. who may know of the LVB flag
# =============================================================================


def test_who_may_know_the_lvb_flag() -> None:
    f = facts()
    assert may_know_lvb(MOTHER_V, MOTHER, f, NOW)
    assert may_know_lvb(TEEN_V, TEEN, f, NOW)
    assert may_know_lvb(MOTHER_V, CHILD, f, NOW)  # a parent of a child under 12
    assert may_know_lvb(FATHER_V, CHILD, f, NOW)
    assert not may_know_lvb(MOTHER_V, TEEN, f, NOW)  # not of a 14-year-old
    assert not may_know_lvb(FATHER_V, MOTHER, f, NOW)  # not of another adult
    assert not may_know_lvb(TEEN_V, MOTHER, f, NOW)
    assert not may_know_lvb(OMA, CHILD, f, NOW)
    assert not may_know_lvb(REGISSEUR, MOTHER, f, NOW)


def test_a_professional_knows_the_lvb_flag_only_with_a_health_grant() -> None:
    assert not may_know_lvb(PRO, MOTHER, facts(), NOW)
    assert not may_know_lvb(PRO, MOTHER, facts([grant(1, MOTHER, categories={F, A}, org=100)]), NOW)
    health = facts([grant(1, MOTHER, categories={G}, org=PRO.organisation_id)])
    assert may_know_lvb(PRO, MOTHER, health, NOW)
    assert may_know_lvb(COLLEAGUE, MOTHER, health, NOW)
    assert not may_know_lvb(OTHER_PRO, MOTHER, health, NOW)
    # a teen's health grant to a parent lets that parent know
    teen_to_father = facts([grant(2, TEEN, participant=FATHER_V.participant_id)])
    assert may_know_lvb(FATHER_V, TEEN, teen_to_father, NOW)
    assert not may_know_lvb(MOTHER_V, TEEN, teen_to_father, NOW)


def test_a_health_shield_hides_the_lvb_flag() -> None:
    f = facts(
        [grant(1, MOTHER, org=PRO.organisation_id)],
        [shield(2, PRO.participant_id, MOTHER, category=G)],
    )
    assert not may_know_lvb(PRO, MOTHER, f, NOW)
    assert may_know_lvb(COLLEAGUE, MOTHER, f, NOW)


# =============================================================================
# 9. who reads an audit event
# =============================================================================


def event(
    id: int = 1,
    subjects: Iterable[int] = (MOTHER,),
    action: str = "view",
    *,
    actor: int | None = PRO.participant_id,
    record_id: int | None = None,
    target_kind: str | None = None,
    target_id: int | None = None,
    hidden_from_family: bool = False,
) -> EventFacts:
    return EventFacts(
        id, action, actor, frozenset(subjects), record_id, target_kind, target_id,
        hidden_from_family,
    )


def test_events_are_read_by_the_family_members_who_speak_for_a_subject() -> None:
    f = facts()
    about_mother = event(subjects={MOTHER})
    about_child = event(subjects={CHILD})
    about_teen = event(subjects={TEEN})
    assert can_see_event(MOTHER_V, about_mother, None, f, NOW) == allowed("acts_for")
    assert can_see_event(FATHER_V, about_mother, None, f, NOW) == denied("not_for_viewer")
    assert can_see_event(MOTHER_V, about_child, None, f, NOW) == allowed("acts_for")
    assert can_see_event(FATHER_V, about_child, None, f, NOW) == allowed("acts_for")
    assert can_see_event(TEEN_V, about_teen, None, f, NOW) == allowed("acts_for")
    assert can_see_event(MOTHER_V, about_teen, None, f, NOW) == denied("not_for_viewer")
    # the log is for the family: not for outsiders, whatever they may see otherwise
    for viewer in (PRO, REGISSEUR, OMA):
        assert can_see_event(viewer, about_mother, None, f, NOW) == denied("not_for_viewer"), viewer


def test_a_denial_or_an_event_withheld_from_the_family_is_never_shown() -> None:
    f = facts()
    assert can_see_event(MOTHER_V, event(action="denied"), None, f, NOW) == denied("denial")
    withheld = event(hidden_from_family=True)
    assert can_see_event(MOTHER_V, withheld, None, f, NOW) == denied("withheld")
    assert can_see_event(MOTHER_V, event(action="grant"), None, f, NOW).allowed


def test_no_trace_of_a_shield_for_whom_it_is_set_against() -> None:
    s = shield(4, FATHER_V.participant_id, CHILD, category=ADRES)
    f = facts(shields=[s])
    e = event(
        subjects={CHILD}, action="shield", actor=MOTHER_V.participant_id,
        target_kind="shield", target_id=4,
    )
    assert can_see_event(MOTHER_V, e, None, f, NOW) == allowed("acts_for")
    assert can_see_event(FATHER_V, e, None, f, NOW) == denied("not_for_viewer")
    lift = dataclasses.replace(e, id=2, action="lift")
    assert can_see_event(FATHER_V, lift, None, f, NOW) == denied("not_for_viewer")
    # a shield event whose shield is unknown is not shown
    assert can_see_event(MOTHER_V, e, None, facts(), NOW) == denied("not_for_viewer")


def test_consent_events_as_far_as_the_consent_may_be_seen() -> None:
    from_child = grant(1, CHILD, categories={V}, participant=OMA.participant_id)
    from_father = grant(2, FATHER, org=PRO.organisation_id)
    f = facts([from_child, from_father])
    about_child = event(subjects={CHILD}, action="grant", target_kind="consent", target_id=1)
    assert can_see_event(MOTHER_V, about_child, None, f, NOW) == allowed("acts_for")
    assert can_see_event(FATHER_V, about_child, None, f, NOW) == allowed("acts_for")
    # an event that also names the mother does not show her the father's consent
    father_grant = event(
        subjects={MOTHER, FATHER}, action="grant", target_kind="consent", target_id=2
    )
    assert can_see_event(FATHER_V, father_grant, None, f, NOW) == allowed("acts_for")
    assert can_see_event(MOTHER_V, father_grant, None, f, NOW) == denied("not_for_viewer")
    unknown = event(subjects={CHILD}, action="grant", target_kind="consent", target_id=77)
    assert can_see_event(MOTHER_V, unknown, None, f, NOW) == denied("not_for_viewer")


def test_emergency_events_as_far_as_the_emergency_access_may_be_seen() -> None:
    told = emergency(1, PRO.participant_id, CHILD, V)
    withheld = dataclasses.replace(
        emergency(2, PRO.participant_id, CHILD, V), withhold_from_family=True
    )
    f = facts(emergencies=[told, withheld])
    e_told = event(subjects={CHILD}, action="emergency", target_kind="emergency", target_id=1)
    e_withheld = dataclasses.replace(e_told, id=2, target_id=2)
    assert can_see_event(MOTHER_V, e_told, None, f, NOW) == allowed("acts_for")
    assert can_see_event(MOTHER_V, e_withheld, None, f, NOW) == denied("not_for_viewer")
    assert can_see_event(FATHER_V, e_withheld, None, f, NOW) == denied("not_for_viewer")


def test_an_event_about_a_record_only_while_the_viewer_may_see_that_record() -> None:
    f = facts()
    mine = record(7, G, {MOTHER})
    e = event(subjects={MOTHER}, record_id=7)
    assert can_see_event(MOTHER_V, e, mine, f, NOW) == allowed("acts_for")
    assert can_see_event(MOTHER_V, e, None, f, NOW) == denied("not_for_viewer")  # record gone
    assert can_see_event(MOTHER_V, e, record(8, G, {MOTHER}), f, NOW) == denied("not_for_viewer")


def test_an_event_about_a_record_with_the_partners_health_needs_the_partners_consent() -> None:
    shared = record(8, G, {MOTHER, FATHER})
    e = event(subjects={MOTHER, FATHER}, record_id=8)
    assert can_see_event(MOTHER_V, e, shared, facts(), NOW) == denied("no_grant")
    father_to_mother = grant(1, FATHER, participant=MOTHER_V.participant_id)
    assert can_see_event(MOTHER_V, e, shared, facts([father_to_mother]), NOW) == allowed("acts_for")
    revoked = dataclasses.replace(father_to_mother, revoked_at=NOW)
    assert can_see_event(MOTHER_V, e, shared, facts([revoked]), NOW) == denied("no_grant")


@pytest.mark.parametrize(("born", "eve", "midnight"), TURNS_12)
def test_a_parent_stops_reading_a_childs_health_events_at_12(born, eve, midnight) -> None:
    f = with_persons(kid(born))
    e = event(subjects={KID}, record_id=9)
    r = record(9, G, {KID})
    assert can_see_event(MOTHER_V, e, r, f, eve) == allowed("acts_for")
    assert can_see_event(MOTHER_V, e, r, f, midnight) == denied("not_for_viewer")
    assert can_see_event(KID_V, e, r, f, midnight) == allowed("acts_for")


# =============================================================================
# 10. widening a record
# =============================================================================


def test_widening_a_health_record_to_algemeen_shows_who_would_newly_see_it() -> None:
    before, after = record(1, G, {MOTHER}), record(1, A, {MOTHER})
    f = facts([grant(1, MOTHER, categories={A}, participant=OMA.participant_id)])
    viewers = [MOTHER_V, FATHER_V, TEEN_V, OMA, OTHER_NETWORK, PRO, REGISSEUR]
    assert newly_seeing(before, after, viewers, f, NOW) == [FATHER_V, TEEN_V, OMA]
    # narrowing: nobody newly sees it
    assert newly_seeing(after, before, viewers, f, NOW) == []
    assert newly_seeing(before, before, viewers, f, NOW) == []


def test_adding_a_subject_narrows() -> None:
    before, after = record(1, G, {CHILD}), record(1, G, {CHILD, MOTHER})
    viewers = [MOTHER_V, FATHER_V, TEEN_V, OMA, PRO]
    assert newly_seeing(before, after, viewers, facts(), NOW) == []
    # ... while dropping it again widens for the father
    assert newly_seeing(after, before, viewers, facts(), NOW) == [FATHER_V]


def test_who_may_widen_a_record_about_an_adult() -> None:
    r = record(1, G, {MOTHER})
    f = facts()
    assert may_widen(MOTHER_V, r, f, NOW)  # she consents for herself
    for viewer in (FATHER_V, TEEN_V, PRO, REGISSEUR, OMA):
        assert not may_widen(viewer, r, f, NOW), viewer


def test_may_widen_needs_a_consenter_for_every_subject() -> None:
    f = facts()
    assert may_widen(MOTHER_V, record(1, G, {MOTHER, CHILD}), f, NOW)
    assert not may_widen(MOTHER_V, record(1, G, {MOTHER, FATHER}), f, NOW)
    assert not may_widen(FATHER_V, record(1, G, {MOTHER, CHILD}), f, NOW)
    assert not may_widen(MOTHER_V, record(1, G, {TEEN, YOUTH}), f, NOW)  # not for a 16-year-old
    assert may_widen(YOUTH_V, record(1, G, {YOUTH}), f, NOW)
    assert not may_widen(MOTHER_V, record(1, G, {YOUTH}), f, NOW)
    # a record about nobody: there is no one to consent
    assert not may_widen(MOTHER_V, record(1, G, ()), f, NOW)


def test_may_widen_a_teens_record() -> None:
    # DESIGN §3: "unless the person making it may consent for every subject". A parent may not
    # widen what a 12-15-year-old must agree to herself (a parent sees her health only when she
    # agreed); the teen widens her own record; a parent widens for a child under 12.
    r = record(1, G, {TEEN})
    f = facts()
    assert may_widen(TEEN_V, r, f, NOW)
    assert not may_widen(MOTHER_V, r, f, NOW)
    assert not may_widen(FATHER_V, r, f, NOW)
    assert not may_widen(YOUTH_V, r, f, NOW)
    assert not may_widen(REGISSEUR, r, f, NOW)
    assert may_widen(MOTHER_V, record(1, G, {CHILD, MOTHER}), f, NOW)
    assert not may_widen(MOTHER_V, record(1, G, {TEEN, MOTHER}), f, NOW)


def test_a_category_shield_hides_an_emergency_access_on_that_information() -> None:
    shielded = facts(
        shields=[shield(2, FATHER_V.participant_id, CHILD, category=G)],
        emergencies=[emergency(1, PRO.participant_id, CHILD, G)],
    )
    assert not can_see_emergency(FATHER_V, shielded.emergencies[0], shielded, NOW).allowed
    assert can_see_emergency(MOTHER_V, shielded.emergencies[0], shielded, NOW).allowed
    assert can_see_emergency(PRO, shielded.emergencies[0], shielded, NOW).allowed


# =============================================================================
# 11. a declined grant
# =============================================================================


def test_a_declined_grant_is_geweigerd_even_when_everyone_approved() -> None:
    declined = dataclasses.replace(grant(1, MOTHER, org=PRO.organisation_id), declined=True)
    refused = GrantStatus(valid=False, state="geweigerd", missing=frozenset())
    assert grant_status(declined, PERSONS[MOTHER], NOW) == refused
    all_said_yes = grant(2, TEEN, PARENTS | {TEEN}, org=PRO.organisation_id)
    teen = dataclasses.replace(all_said_yes, declined=True)
    assert grant_status(teen, PERSONS[TEEN], NOW) == refused
    assert can_view(PRO, record(1, G, {MOTHER}), facts([declined]), NOW) == denied("no_grant")
    assert can_view(PRO, record(1, G, {TEEN}), facts([teen]), NOW) == denied("no_grant")


def test_a_declined_request_still_reports_who_had_not_consented() -> None:
    g = dataclasses.replace(grant(1, TEEN, {TEEN, MOTHER}, org=PRO.organisation_id), declined=True)
    assert grant_status(g, PERSONS[TEEN], NOW) == GrantStatus(
        valid=False, state="geweigerd", missing=frozenset({FATHER})
    )


def test_declined_comes_before_expiry_and_start() -> None:
    base = dataclasses.replace(grant(1, MOTHER, org=PRO.organisation_id), declined=True)
    for change in ({"end": NOW}, {"start": NOW.replace(year=2027)}):
        changed = dataclasses.replace(base, **change)
        assert grant_status(changed, PERSONS[MOTHER], NOW).state == "geweigerd"
    # a revocation is still reported as such
    revoked = dataclasses.replace(base, revoked_at=NOW)
    assert grant_status(revoked, PERSONS[MOTHER], NOW).state == "ingetrokken"
