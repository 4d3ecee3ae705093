"""The pure rules of self-sufficiency (ZRM-style): 4-5 is sufficient, counting insufficient
domains per meting, the start and the latest meting, per-domain change, who is a caregiver,
and which category each domain's level is."""
from __future__ import annotations

from datetime import date

from samenplan.domain import selfreliance as rules
from samenplan.domain.vocabulary import Category, LifeDomain, SelfRelianceLevel, SelfRelianceMoment

D = LifeDomain
START = SelfRelianceMoment.START
EVAL = SelfRelianceMoment.EVALUATION


def test_four_and_five_are_sufficient_unscored_is_neither():
    assert [SelfRelianceLevel(str(n)).sufficient for n in range(1, 6)] == [False, False, False, True, True]
    assert rules.insufficient(3) and not rules.insufficient(4) and not rules.insufficient(None)
    assert rules.insufficient_count({D.FINANCIEN: 2, D.HUISVESTING: 4, D.JUSTITIE: None,
                                     D.OPVANG: 1, D.SCHOLING: 5}) == 2


def test_the_start_is_the_first_start_meting_and_now_the_latest():
    a = rules.Meting(date(2026, 1, 5), EVAL, {D.FINANCIEN: 1}, key=1)
    b = rules.Meting(date(2026, 2, 1), START, {D.FINANCIEN: 2}, key=2)
    c = rules.Meting(date(2026, 5, 1), EVAL, {D.FINANCIEN: 4}, key=3)
    assert rules.start_and_now([c, a, b]) == (b, c)
    assert rules.start_and_now([a]) == (a, None)
    assert rules.start_and_now([]) == (None, None)
    assert rules.start_and_now([c, a]) == (a, c)  # no start meting: the first one


def test_change_per_domain():
    start = rules.Meting(date(2026, 1, 1), START, {D.FINANCIEN: 2, D.HUISVESTING: 4,
                                                   D.SOCIAAL_NETWERK: 3})
    now = rules.Meting(date(2026, 4, 1), EVAL, {D.FINANCIEN: 3, D.HUISVESTING: 3,
                                                D.SOCIAAL_NETWERK: 3, D.OPVANG: 4})
    found = {c.domain: c for c in rules.changes(start, now)}
    assert found[D.FINANCIEN].direction == rules.Change.UP
    assert found[D.HUISVESTING].direction == rules.Change.DOWN
    assert found[D.SOCIAAL_NETWERK].direction == rules.Change.SAME
    assert found[D.OPVANG].direction is None and found[D.OPVANG].before is None
    assert not found[D.FINANCIEN].became_sufficient
    assert [c.domain for c in rules.changes(start, now)] == [
        D.FINANCIEN, D.HUISVESTING, D.SOCIAAL_NETWERK, D.OPVANG]  # in domain order


def test_sensitive_domains_are_kept_in_their_own_category():
    assert rules.group_of(D.GEESTELIJKE_GEZONDHEID) == Category.GEZONDHEID
    assert rules.group_of(D.MIDDELENGEBRUIK) == Category.GEZONDHEID
    assert rules.group_of(D.FINANCIEN) == Category.FINANCIEN
    assert rules.group_of(D.JUSTITIE) == Category.JUSTITIE
    assert rules.group_of(D.SCHOLING) == Category.ALGEMEEN
    assert D.VEILIGHEID not in rules.SCORED_DOMAINS  # not a ZRM domain
    assert len(rules.SCORED_DOMAINS) == 17 and len(rules.PARENTING_DOMAINS) == 4
    assert set(rules.domains_of(Category.ALGEMEEN, with_parenting=False)).isdisjoint(
        rules.PARENTING_DOMAINS)
    assert set(rules.FAMILY_DOMAIN_NAMES) == set(rules.SCORED_DOMAINS)
    assert "Financiën" not in rules.FAMILY_DOMAIN_NAMES.values()


def test_a_caregiver_is_an_adult_who_holds_authority_or_lives_with_a_child():
    day = date(2026, 12, 1)
    children = [(1, frozenset({10, 11}))]  # a child in household 1, authority with 10 and 11
    assert rules.is_caregiver(date(1988, 7, 2), day, 11, 2, children)  # authority, elsewhere
    assert rules.is_caregiver(date(1960, 1, 1), day, 12, 1, children)  # lives with the child
    assert not rules.is_caregiver(date(1960, 1, 1), day, 13, 3, children)  # neither
    assert not rules.is_caregiver(date(2011, 5, 20), day, 14, 1, children)  # 15: not an adult
    assert not rules.is_caregiver(date(1960, 1, 1), day, 15, None, [(None, frozenset())])
