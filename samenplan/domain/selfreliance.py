"""Self-sufficiency over time (zelfredzaamheid, ZRM-style; issue 13 item 6; DESIGN §2 life
domains; 000 §3.1 and Bijlage A): the rules, pure (no Flask, no database).

Per caregiver, the casusregisseur scores with the family, at the start, at evaluations and at
closure, each of the 13 ZRM domains and (for a caregiver of children) the 4 parenting domains
on a level 1-5 (`SelfRelianceLevel`), or leaves a domain unscored. Levels 4 and 5 are
*sufficient*; 1-3 *insufficient* (000 dichotomises the scale the same way, and reports the
number of insufficient domains per caregiver at the start and at the end: 4.35 → 3.38).
Veiligheid is a life domain, but not a ZRM domain: it is not scored here.

Which kind of information each domain's level is (`DOMAIN_CATEGORY`): a level on Geestelijke
or Lichamelijke gezondheid or Middelengebruik is health information, on Financiën financial,
on Justitie justice; the rest (work, housing, network, the parenting domains, …) is
`algemeen`. The services keep one record per category per meting, so the privacy door
decides per record who sees which domains.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from samenplan.domain.ages import age_on
from samenplan.domain.i18n import _
from samenplan.domain.vocabulary import Category, LifeDomain, SelfRelianceLevel, SelfRelianceMoment

__all__ = [
    "ADULT_AGE", "DOMAIN_CATEGORY", "FAMILY_DOMAIN_NAMES", "GROUPS", "PARENTING_DOMAINS",
    "SCORED_DOMAINS", "Change", "DomainChange", "Meting", "changes", "domains_of", "group_of",
    "insufficient", "insufficient_count", "is_caregiver", "cares_for_children", "start_and_now",
]

ADULT_AGE = 18

#: the domains scored: the 13 of the ZRM and the 4 of parenting (not Veiligheid)
SCORED_DOMAINS: tuple[LifeDomain, ...] = tuple(
    d for d in LifeDomain if d.group in ("zrm", "opvoeding"))
PARENTING_DOMAINS: tuple[LifeDomain, ...] = tuple(d for d in LifeDomain if d.group == "opvoeding")

#: the kind of information a domain's level is (the rest is `algemeen`)
DOMAIN_CATEGORY: Mapping[LifeDomain, Category] = {
    d: {
        LifeDomain.GEESTELIJKE_GEZONDHEID: Category.GEZONDHEID,
        LifeDomain.LICHAMELIJKE_GEZONDHEID: Category.GEZONDHEID,
        LifeDomain.MIDDELENGEBRUIK: Category.GEZONDHEID,
        LifeDomain.FINANCIEN: Category.FINANCIEN,
        LifeDomain.JUSTITIE: Category.JUSTITIE,
    }.get(d, Category.ALGEMEEN)
    for d in SCORED_DOMAINS
}

#: the categories a meting is kept in, one record each, in this order
GROUPS: tuple[Category, ...] = (Category.ALGEMEEN, Category.GEZONDHEID, Category.FINANCIEN,
                                Category.JUSTITIE)

#: what families and their network read instead of the ZRM names (DESIGN §2, §7)
FAMILY_DOMAIN_NAMES: Mapping[LifeDomain, str] = {
    LifeDomain.FINANCIEN: _("Geld"),
    LifeDomain.WERK_OPLEIDING: _("Werk of opleiding"),
    LifeDomain.TIJDSBESTEDING: _("De dag invullen"),
    LifeDomain.HUISVESTING: _("Wonen"),
    LifeDomain.HUISELIJKE_RELATIES: _("Relaties thuis"),
    LifeDomain.GEESTELIJKE_GEZONDHEID: _("Gevoel en stress"),
    LifeDomain.LICHAMELIJKE_GEZONDHEID: _("Lichaam en gezondheid"),
    LifeDomain.MIDDELENGEBRUIK: _("Alcohol en drugs"),
    LifeDomain.BASALE_ADL: _("Eten, wassen en aankleden"),
    LifeDomain.INSTRUMENTELE_ADL: _("Huishouden en post"),
    LifeDomain.SOCIAAL_NETWERK: _("Mensen om je heen"),
    LifeDomain.MAATSCHAPPELIJKE_PARTICIPATIE: _("Meedoen in de buurt"),
    LifeDomain.JUSTITIE: _("Politie en justitie"),
    LifeDomain.LICHAMELIJKE_VERZORGING: _("Verzorging van de kinderen"),
    LifeDomain.SOCIAAL_EMOTIONELE_ONDERSTEUNING: _("Er zijn voor de kinderen"),
    LifeDomain.SCHOLING: _("School van de kinderen"),
    LifeDomain.OPVANG: _("Opvang van de kinderen"),
}


def group_of(domain: LifeDomain) -> Category:
    return DOMAIN_CATEGORY[domain]


def domains_of(category: Category, with_parenting: bool = True) -> tuple[LifeDomain, ...]:
    """The scored domains kept in `category`'s record (the parenting ones only for a caregiver
    of children)."""
    return tuple(d for d in SCORED_DOMAINS if DOMAIN_CATEGORY[d] == category
                 and (with_parenting or d not in PARENTING_DOMAINS))


# --- who is a caregiver ----------------------------------------------------------------------
def cares_for_children(person_id: int, household: int | None,
                       children: Iterable[tuple[int | None, frozenset[int]]]) -> bool:
    """Whether the person holds authority over, or lives with, a child of the family
    (`children`: each minor's household and the ids of its holders of authority)."""
    return any(person_id in holders or (household is not None and household == child_household)
               for child_household, holders in children)


def is_caregiver(date_of_birth: date, day: date, person_id: int, household: int | None,
                 children: Iterable[tuple[int | None, frozenset[int]]]) -> bool:
    """An opvoeder: an adult who holds authority over a child of the family or lives in its
    household (000: mothers, fathers, step-parents and other family who bring up the children)."""
    return age_on(date_of_birth, day) >= ADULT_AGE and cares_for_children(
        person_id, household, children)


# --- counting --------------------------------------------------------------------------------
def insufficient(level: int | None) -> bool:
    """Scored 1-3 (acute, niet, beperkt zelfredzaam); unscored is not counted either way."""
    return level is not None and not SelfRelianceLevel(str(level)).sufficient


def insufficient_count(levels: Mapping[LifeDomain, int | None]) -> int:
    """The number of domains scored insufficient (1-3) in one meting."""
    return sum(1 for level in levels.values() if insufficient(level))


@dataclass(frozen=True)
class Meting:
    """One scoring moment as the rules need it: its day, kind and levels (only those the
    reader may see: every count is over these)."""

    day: date
    moment: SelfRelianceMoment
    levels: Mapping[LifeDomain, int | None]
    key: int = 0  # for ordering metingen on the same day: the order they were made


def _order(metingen: Iterable[Meting]) -> list[Meting]:
    return sorted(metingen, key=lambda m: (m.day, m.key))


def start_and_now(metingen: Sequence[Meting]) -> tuple[Meting | None, Meting | None]:
    """The start meting (the first of kind *start*, else the first) and the latest one; the
    latest is None when there is only the start."""
    ordered = _order(metingen)
    if not ordered:
        return None, None
    start = next((m for m in ordered if m.moment == SelfRelianceMoment.START), ordered[0])
    now = ordered[-1]
    return start, (now if now is not start else None)


class Change:
    """How a domain's level moved (Dutch source text, translated at render)."""

    UP = _("beter")
    DOWN = _("slechter")
    SAME = _("gelijk")


@dataclass(frozen=True)
class DomainChange:
    domain: LifeDomain
    before: int | None
    after: int | None

    @property
    def direction(self) -> str | None:
        """beter / slechter / gelijk, or None when either is unscored."""
        if self.before is None or self.after is None:
            return None
        if self.after > self.before:
            return Change.UP
        if self.after < self.before:
            return Change.DOWN
        return Change.SAME

    @property
    def became_sufficient(self) -> bool:
        return insufficient(self.before) and self.after is not None and not insufficient(self.after)


def changes(start: Meting, now: Meting) -> list[DomainChange]:
    """Per domain scored in either meting, its level at the start and now, in domain order."""
    domains = [d for d in SCORED_DOMAINS if d in start.levels or d in now.levels]
    return [DomainChange(d, start.levels.get(d), now.levels.get(d)) for d in domains
            if start.levels.get(d) is not None or now.levels.get(d) is not None]
