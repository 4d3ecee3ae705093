"""Who consents for whom beyond the parents (issue 10, "Starting for real"): an organisation
holding authority as voogd (guardian) over a child, and the legal representative of an adult
who cannot decide for themself (a mentor or curator consents for everything, a bewindvoerder
for `financien` only). Pure: `domain.ages.required_consenters` / `required_organisations`,
`policy.grant_status`, `may_consent_for`, `can_see_consent`, `can_see_representation`.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samenplan.domain.ages import age_on, required_consenters, required_organisations
from samenplan.privacy.facts import (
    Category,
    FamilyFacts,
    GrantFacts,
    PersonFacts,
    RecordFacts,
    Representation,
    RepresentativeFacts,
    Role,
    ViewerFacts,
)
from samenplan.privacy.policy import (
    ACTIEF,
    CHAIR,
    CONSENTER,
    WACHT,
    can_see_consent,
    can_see_representation,
    can_view,
    grant_status,
    may_consent_for,
)

A, G, F, V = Category.ALGEMEEN, Category.GEZONDHEID, Category.FINANCIEN, Category.VEILIGHEID
NOW = datetime(2026, 3, 1, 12, 0)
DAY = NOW.date()
EARLIER = NOW - timedelta(days=3)

# persons
MOTHER, WARD, TEEN_WARD, ANJA, SISTER, BOB = 1, 2, 3, 4, 5, 6
# organisations
GI, BEWIND_BV, WIJKTEAM, SCHULDHULP = 100, 200, 300, 400

GUARDIANSHIP = PersonFacts(WARD, date(2019, 4, 1), authority_organisations=frozenset({GI}))  # 6
TEEN_GUARDIANSHIP = PersonFacts(TEEN_WARD, date(2012, 1, 1),  # 14
                                authority_organisations=frozenset({GI}))
# Anja (35) has a bewindvoerder (an organisation) for her money
WITH_BEWIND = PersonFacts(ANJA, date(1990, 5, 5), representatives=(
    RepresentativeFacts(Representation.BEWINDVOERDER, organisation_id=BEWIND_BV),))
# Bob (40) is under mentorschap of his sister, and has a bewindvoerder too
WITH_MENTOR = PersonFacts(BOB, date(1985, 8, 8), representatives=(
    RepresentativeFacts(Representation.MENTOR, person_id=SISTER),
    RepresentativeFacts(Representation.BEWINDVOERDER, organisation_id=BEWIND_BV),
))
UNDER_CURATELE = PersonFacts(BOB, date(1985, 8, 8), representatives=(
    RepresentativeFacts(Representation.CURATOR, person_id=SISTER),))

PERSONS = {
    MOTHER: PersonFacts(MOTHER, date(1990, 1, 1)),
    WARD: GUARDIANSHIP,
    TEEN_WARD: TEEN_GUARDIANSHIP,
    ANJA: WITH_BEWIND,
    SISTER: PersonFacts(SISTER, date(1980, 2, 2)),
    BOB: WITH_MENTOR,
}
FACTS = FamilyFacts(persons=PERSONS)

MOTHER_V = ViewerFacts(1, Role.FAMILY, person_id=MOTHER)
ANJA_V = ViewerFacts(4, Role.FAMILY, person_id=ANJA)
SISTER_V = ViewerFacts(5, Role.FAMILY, person_id=SISTER)
BOB_V = ViewerFacts(6, Role.FAMILY, person_id=BOB)
JEUGDBESCHERMER = ViewerFacts(10, Role.PROFESSIONAL, organisation_id=GI)
GI_CHAIR = ViewerFacts(11, Role.CASUSREGISSEUR, organisation_id=GI)
BEWINDVOERDER = ViewerFacts(12, Role.PROFESSIONAL, organisation_id=BEWIND_BV)
SCHULDHULPVERLENER = ViewerFacts(13, Role.PROFESSIONAL, organisation_id=SCHULDHULP)
REGISSEUR = ViewerFacts(20, Role.CASUSREGISSEUR, organisation_id=WIJKTEAM)
OMA = ViewerFacts(30, Role.NETWORK, organisation_id=GI)  # network never consents, whatever org


def grant(subject: int, categories, *, persons=(), orgs=(), to_org: int = WIJKTEAM,
          id: int = 1) -> GrantFacts:
    return GrantFacts(
        id=id, subject_id=subject, categories=frozenset(categories), start=EARLIER,
        grantee_organisation_id=to_org, consenter_ids=frozenset(persons),
        consenter_organisation_ids=frozenset(orgs),
    )


# --- an organisation as voogd -------------------------------------------------------------------
def test_a_guardian_organisation_consents_for_a_child_under_12():
    assert required_consenters(GUARDIANSHIP, DAY) == frozenset()
    assert required_organisations(GUARDIANSHIP, DAY) == {GI}
    waiting = grant_status(grant(WARD, [A]), GUARDIANSHIP, NOW)
    assert (waiting.state, waiting.missing, waiting.missing_organisations) == (WACHT, set(), {GI})
    assert grant_status(grant(WARD, [A], orgs=[GI]), GUARDIANSHIP, NOW).state == ACTIEF
    # the yes of another organisation, or of a parent without authority, counts for nothing
    assert grant_status(grant(WARD, [A], orgs=[WIJKTEAM], persons=[MOTHER]), GUARDIANSHIP,
                        NOW).state == WACHT


def test_a_guardian_organisation_and_the_youth_consent_together_from_12_to_15():
    assert required_consenters(TEEN_GUARDIANSHIP, DAY) == {TEEN_WARD}
    assert required_organisations(TEEN_GUARDIANSHIP, DAY) == {GI}
    assert grant_status(grant(TEEN_WARD, [G], orgs=[GI]), TEEN_GUARDIANSHIP, NOW).missing == {TEEN_WARD}
    assert grant_status(grant(TEEN_WARD, [G], persons=[TEEN_WARD]), TEEN_GUARDIANSHIP,
                        NOW).missing_organisations == {GI}
    assert grant_status(grant(TEEN_WARD, [G], persons=[TEEN_WARD], orgs=[GI]), TEEN_GUARDIANSHIP,
                        NOW).state == ACTIEF


def test_the_guardian_organisation_is_out_of_it_from_16():
    at_16 = datetime(2028, 1, 2, 12)
    assert required_organisations(TEEN_GUARDIANSHIP, at_16.date()) == frozenset()
    assert grant_status(grant(TEEN_WARD, [G], persons=[TEEN_WARD]), TEEN_GUARDIANSHIP,
                        at_16).state == ACTIEF


def test_a_child_with_a_parent_and_an_organisation_holding_authority_needs_both():
    both = PersonFacts(WARD, date(2019, 4, 1), authority_holders=frozenset({MOTHER}),
                       authority_organisations=frozenset({GI}))
    assert grant_status(grant(WARD, [A], persons=[MOTHER]), both, NOW).missing_organisations == {GI}
    assert grant_status(grant(WARD, [A], orgs=[GI]), both, NOW).missing == {MOTHER}
    assert grant_status(grant(WARD, [A], persons=[MOTHER], orgs=[GI]), both, NOW).state == ACTIEF


def test_the_professionals_of_the_guardian_organisation_may_consent_for_the_child():
    assert may_consent_for(JEUGDBESCHERMER, WARD, FACTS, NOW)
    assert may_consent_for(GI_CHAIR, WARD, FACTS, NOW)  # also when they chair the plan
    assert may_consent_for(JEUGDBESCHERMER, TEEN_WARD, FACTS, NOW, [G])
    for nobody in (REGISSEUR, BEWINDVOERDER, OMA, MOTHER_V):
        assert not may_consent_for(nobody, WARD, FACTS, NOW)
    assert not may_consent_for(JEUGDBESCHERMER, MOTHER, FACTS, NOW)  # not for anyone else
    assert not may_consent_for(JEUGDBESCHERMER, 99, FACTS, NOW)  # nor for an unknown person


def test_the_guardian_organisation_sees_the_grants_it_must_give():
    request = grant(WARD, [A, G], to_org=WIJKTEAM)
    assert can_see_consent(JEUGDBESCHERMER, request, FACTS, NOW).ground == CONSENTER
    assert not can_see_consent(BEWINDVOERDER, request, FACTS, NOW).allowed
    assert not can_see_consent(MOTHER_V, request, FACTS, NOW).allowed


def test_authority_of_an_organisation_gives_no_view_by_itself():
    """A guardian organisation consents; what its professionals see still follows grants
    (rule 5), given to it like to anyone else."""
    about_the_child = RecordFacts(7, G, frozenset({WARD}))
    assert not can_view(JEUGDBESCHERMER, about_the_child, FACTS, NOW).allowed
    to_itself = FamilyFacts(persons=PERSONS, grants=(grant(WARD, [G], orgs=[GI], to_org=GI),))
    assert can_view(JEUGDBESCHERMER, about_the_child, to_itself, NOW).allowed


# --- legal representatives of an adult -------------------------------------------------------
def test_a_bewindvoerder_consents_for_money_only():
    assert required_organisations(WITH_BEWIND, DAY, [F]) == {BEWIND_BV}
    assert required_consenters(WITH_BEWIND, DAY, [F]) == frozenset()
    assert required_consenters(WITH_BEWIND, DAY, [G]) == {ANJA}
    assert required_organisations(WITH_BEWIND, DAY, [G]) == frozenset()
    # money and health in one grant: each says yes for their own part
    assert required_consenters(WITH_BEWIND, DAY, [F, G]) == {ANJA}
    assert required_organisations(WITH_BEWIND, DAY, [F, G]) == {BEWIND_BV}


def test_a_money_grant_of_someone_with_a_bewindvoerder_needs_the_bewindvoerder():
    to_schuldhulp = dict(to_org=SCHULDHULP)
    own_yes = grant_status(grant(ANJA, [F], persons=[ANJA], **to_schuldhulp), WITH_BEWIND, NOW)
    assert (own_yes.state, own_yes.missing_organisations) == (WACHT, {BEWIND_BV})
    assert grant_status(grant(ANJA, [F], orgs=[BEWIND_BV], **to_schuldhulp), WITH_BEWIND,
                        NOW).state == ACTIEF
    # but not for her health: that is hers
    health = grant_status(grant(ANJA, [G], orgs=[BEWIND_BV]), WITH_BEWIND, NOW)
    assert (health.state, health.missing) == (WACHT, {ANJA})
    assert grant_status(grant(ANJA, [G], persons=[ANJA]), WITH_BEWIND, NOW).state == ACTIEF
    both = grant_status(grant(ANJA, [F, G], persons=[ANJA]), WITH_BEWIND, NOW)
    assert (both.state, both.missing_organisations) == (WACHT, {BEWIND_BV})


def test_who_may_consent_for_someone_with_a_bewindvoerder():
    assert may_consent_for(BEWINDVOERDER, ANJA, FACTS, NOW, [F])
    assert not may_consent_for(BEWINDVOERDER, ANJA, FACTS, NOW, [G])
    assert not may_consent_for(BEWINDVOERDER, ANJA, FACTS, NOW, [A])
    assert may_consent_for(BEWINDVOERDER, ANJA, FACTS, NOW)  # for something: money
    assert may_consent_for(ANJA_V, ANJA, FACTS, NOW, [G])
    assert not may_consent_for(ANJA_V, ANJA, FACTS, NOW, [F])  # money is the bewindvoerder's
    assert may_consent_for(ANJA_V, ANJA, FACTS, NOW)
    assert not may_consent_for(SCHULDHULPVERLENER, ANJA, FACTS, NOW, [F])
    money = grant(ANJA, [F], to_org=SCHULDHULP)
    assert can_see_consent(BEWINDVOERDER, money, FACTS, NOW).ground == CONSENTER
    assert can_see_consent(ANJA_V, money, FACTS, NOW).allowed  # hers, whoever says yes
    assert not can_see_consent(BEWINDVOERDER, grant(ANJA, [G]), FACTS, NOW).allowed


def test_a_mentor_consents_for_everything_but_what_a_bewindvoerder_covers_too():
    assert required_consenters(WITH_MENTOR, DAY, [G]) == {SISTER}
    assert required_consenters(WITH_MENTOR, DAY, [A, V]) == {SISTER}
    # both measures cover money: both say yes
    assert required_consenters(WITH_MENTOR, DAY, [F]) == {SISTER}
    assert required_organisations(WITH_MENTOR, DAY, [F]) == {BEWIND_BV}
    assert grant_status(grant(BOB, [G], persons=[BOB]), WITH_MENTOR, NOW).missing == {SISTER}
    assert grant_status(grant(BOB, [G], persons=[SISTER]), WITH_MENTOR, NOW).state == ACTIEF
    assert may_consent_for(SISTER_V, BOB, FACTS, NOW, [G])
    assert not may_consent_for(BOB_V, BOB, FACTS, NOW)  # he cannot decide this himself


def test_a_curator_consents_for_everything():
    facts = FamilyFacts(persons={**PERSONS, BOB: UNDER_CURATELE})
    for category in Category:
        assert required_consenters(UNDER_CURATELE, DAY, [category]) == {SISTER}
        assert may_consent_for(SISTER_V, BOB, facts, NOW, [category])
    assert grant_status(grant(BOB, list(Category), persons=[SISTER]), UNDER_CURATELE,
                        NOW).state == ACTIEF


def test_representation_is_for_the_grown_up_regime_only():
    """Under 16 the parents (or a guardian) speak for a child; a representative in the facts of
    a 14-year-old changes nothing."""
    odd = PersonFacts(TEEN_WARD, date(2012, 1, 1), authority_holders=frozenset({MOTHER}),
                      representatives=(RepresentativeFacts(Representation.CURATOR, person_id=SISTER),))
    assert required_consenters(odd, DAY, [G]) == {TEEN_WARD, MOTHER}


def test_who_may_know_of_a_legal_representative():
    facts = FamilyFacts(persons=PERSONS, grants=(
        grant(ANJA, [F], persons=[], orgs=[BEWIND_BV], to_org=SCHULDHULP, id=1),
    ))
    bewind, mentor = Representation.BEWINDVOERDER, Representation.MENTOR
    assert can_see_representation(REGISSEUR, ANJA, bewind, facts, NOW).ground == CHAIR
    assert can_see_representation(ANJA_V, ANJA, bewind, facts, NOW).allowed  # herself
    assert can_see_representation(BEWINDVOERDER, ANJA, bewind, facts, NOW).ground == CONSENTER
    # who may see her money matters (a valid grant) knows of her bewind; nobody else does
    assert can_see_representation(SCHULDHULPVERLENER, ANJA, bewind, facts, NOW).allowed
    assert not can_see_representation(MOTHER_V, ANJA, bewind, facts, NOW).allowed
    assert not can_see_representation(JEUGDBESCHERMER, ANJA, bewind, facts, NOW).allowed
    assert not can_see_representation(OMA, ANJA, bewind, facts, NOW).allowed
    # a mentor tells that Bob cannot decide for himself: like health information
    assert can_see_representation(SISTER_V, BOB, mentor, facts, NOW).ground == CONSENTER
    assert can_see_representation(BOB_V, BOB, mentor, facts, NOW).allowed
    assert not can_see_representation(ANJA_V, BOB, mentor, facts, NOW).allowed
    assert not can_see_representation(SCHULDHULPVERLENER, BOB, mentor, facts, NOW).allowed


# --- properties ------------------------------------------------------------------------------
days = st.dates(date(1940, 1, 1), date(2030, 12, 31))
representatives = st.lists(st.builds(
    RepresentativeFacts, kind=st.sampled_from(Representation),
    person_id=st.none() | st.integers(10, 12), organisation_id=st.none() | st.integers(100, 102),
), max_size=3).map(tuple)


@given(dob=days, day=days, holders=st.frozensets(st.integers(10, 12), max_size=2),
       orgs=st.frozensets(st.integers(100, 102), max_size=2), reps=representatives,
       categories=st.none() | st.frozensets(st.sampled_from(Category), max_size=3))
def test_who_consents_property(dob, day, holders, orgs, reps, categories):
    person = PersonFacts(1, dob, holders, orgs, reps)
    persons = required_consenters(person, day, categories)
    organisations = required_organisations(person, day, categories)
    age = age_on(dob, day)
    rep_persons = {r.person_id for r in reps if r.person_id is not None}
    rep_orgs = {r.organisation_id for r in reps if r.organisation_id is not None}
    if age < 16:  # the rules of the parents, an organisation among them
        assert organisations == orgs
        assert persons == (holders | {1} if age >= 12 else holders)
    else:  # the person, or their representatives for what those cover
        assert persons <= rep_persons | {1} and organisations <= rep_orgs
        wanted = set(Category) if categories is None else set(categories)
        uncovered = {c for c in wanted if not any(c in r.kind.categories for r in reps)}
        assert (1 in persons) == (bool(uncovered) or not wanted)
        if not reps:
            assert (persons, organisations) == ({1}, frozenset())


@pytest.mark.parametrize("kind", list(Representation))
def test_what_each_measure_covers(kind):
    assert (kind.categories == {F}) == (kind is Representation.BEWINDVOERDER)
    assert F in kind.categories
