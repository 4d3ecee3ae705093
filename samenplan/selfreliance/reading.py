"""What the Zelfredzaamheid page shows, as the viewer may see it: the metingen' records through
the door, grouped per caregiver and per meting; the counts of insufficient domains at the start
and now, and the heat map, over the domains of the records the viewer may see only. Families
and their network read plain domain names and plain words for the levels (DESIGN §7)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext
from markupsafe import Markup

from samenplan.charts.selfreliance import self_reliance_heat_map
from samenplan.charts.text import long_date
from samenplan.domain import selfreliance as rules
from samenplan.domain.ages import local_day
from samenplan.domain.vocabulary import Category, LifeDomain, SelfRelianceLevel, SelfRelianceMoment
from samenplan.evaluations import reading as evaluation_reading
from samenplan.families.models import Person
from samenplan.goals.reading import MergeRow, form_merge_rows
from samenplan.privacy.access import Access
from samenplan.selfreliance import services
from samenplan.selfreliance.models import SelfRelianceScore


def plain(access: Access) -> bool:
    """Whether the viewer reads the family's words (family and network), not the ZRM's."""
    return not access.viewer.role.is_professional


def domain_name(access: Access, domain: LifeDomain) -> str:
    return gettext(rules.FAMILY_DOMAIN_NAMES[domain] if plain(access) else domain.label)


def level_words(access: Access, level: int | None, own: bool) -> str:
    if level is None:
        return gettext("nog niet besproken") if plain(access) else gettext("niet gescoord")
    member = SelfRelianceLevel(str(level))
    if not plain(access):
        return f"{level} · {gettext(member.label)}"
    return gettext(member.plain_own if own else member.plain_other)


@dataclass
class DomainLine:
    domain: LifeDomain
    name: str
    level: int | None
    words: str
    note: str


@dataclass
class MetingView:
    meting_id: int
    day: date
    moment: SelfRelianceMoment
    evaluation_when: str
    lines: list[DomainLine]
    parts: list[SelfRelianceScore]  # the records of it the viewer may see
    may_edit: bool

    @property
    def levels(self) -> dict[LifeDomain, int | None]:
        return {line.domain: line.level for line in self.lines}

    @property
    def insufficient(self) -> int:
        return rules.insufficient_count(self.levels)

    def rule(self) -> rules.Meting:
        return rules.Meting(self.day, self.moment, self.levels, self.meting_id)


@dataclass
class CaregiverView:
    person: Person
    own: bool  # the viewer is this caregiver
    metingen: list[MetingView] = field(default_factory=list)
    domains: list[LifeDomain] = field(default_factory=list)
    start: MetingView | None = None
    now: MetingView | None = None
    changes: list[tuple[str, rules.DomainChange]] = field(default_factory=list)  # with its name
    chart: Markup = Markup("")


def visible(access: Access) -> list[SelfRelianceScore]:
    return access.load_visible(access.select_visible(SelfRelianceScore)
                               .order_by(SelfRelianceScore.day, SelfRelianceScore.id))


def page(access: Access) -> list[CaregiverView]:
    """Per caregiver (with a meting the viewer may see; for the casusregisseur every
    caregiver), their metingen, counts and chart."""
    records = visible(access)
    evaluations = {e.id: e for e in evaluation_reading.visible(access)}
    persons = {p.id: p for p in access.persons}
    wanted = {r.caregiver_id for r in records}
    if services.may_score(access):
        wanted |= {p.id for p in services.caregivers(access)}
    day = local_day(access.now)
    children = services.children(access, day)
    result = []
    for person in access.persons:
        if person.id not in wanted:
            continue
        mine = [r for r in records if r.caregiver_id == person.id]
        with_parenting = rules.cares_for_children(person.id, person.household, children) or any(
            code in r.levels for r in mine for code in (d.value for d in rules.PARENTING_DOMAINS))
        categories = {Category(r.category) for r in mine}
        domains = [d for d in rules.SCORED_DOMAINS if rules.group_of(d) in categories
                   and (with_parenting or d not in rules.PARENTING_DOMAINS)]
        view = CaregiverView(persons[person.id], own=access.participant.person_id == person.id,
                             domains=domains)
        by_meting: dict[int, list[SelfRelianceScore]] = {}
        for r in mine:
            by_meting.setdefault(r.meting_id, []).append(r)
        for meting_id, parts in by_meting.items():
            view.metingen.append(_meting(access, view, meting_id, parts, evaluations))
        view.metingen.sort(key=lambda m: (m.day, m.meting_id))
        start, now = rules.start_and_now([m.rule() for m in view.metingen])
        view.start = next((m for m in view.metingen if start and m.meting_id == start.key), None)
        view.now = next((m for m in view.metingen if now and m.meting_id == now.key), None)
        if start and now:
            view.changes = [(domain_name(access, c.domain), c) for c in rules.changes(start, now)]
        view.chart = _chart(access, view)
        result.append(view)
    return result


def _meting(access: Access, view: CaregiverView, meting_id: int, parts: list[SelfRelianceScore],
            evaluations: dict) -> MetingView:
    first = min(parts, key=lambda p: p.id)
    levels: dict[str, int] = {}
    notes: dict[str, str] = {}
    for part in parts:
        levels.update(part.levels or {})
        notes.update(part.notes or {})
    lines = [DomainLine(d, domain_name(access, d), levels.get(d.value),
                        level_words(access, levels.get(d.value), view.own), notes.get(d.value, ""))
             for d in view.domains]
    evaluation = evaluations.get(first.evaluation_id)
    head = next((p for p in parts if p.head_id is None), None)
    return MetingView(
        meting_id, first.day, first.moment,
        evaluation_reading.when(evaluation.starts_at) if evaluation is not None else "",
        lines, sorted(parts, key=lambda p: p.id),
        may_edit=head is not None and services.may_score(access))


def column_label(meting: MetingView) -> str:
    return f"{gettext(meting.moment.label)}, {long_date(meting.day)}"


def _chart(access: Access, view: CaregiverView) -> Markup:
    legend = [level_words(access, n, view.own) if plain(access) else gettext(
        SelfRelianceLevel(str(n)).label).lower() for n in range(1, 6)]
    return self_reliance_heat_map(
        [domain_name(access, d) for d in view.domains],
        [(m.day, column_label(m)) for m in view.metingen],
        [[m.levels.get(d) for m in view.metingen] for d in view.domains],
        f"zelfredzaamheid-{view.person.id}",
        caption=gettext("%(name)s: hoe het gaat per leefgebied", name=view.person.first_name),
        legend=legend)


def merge_rows(access: Access, parts: dict[Category, SelfRelianceScore], form) -> list[MergeRow]:
    """The meting as saved now next to what was typed, for the merge screen."""
    head = parts[Category.ALGEMEEN]
    theirs: dict[str, object] = {"day": head.day, "moment": head.moment.value,
                                 "evaluation": str(head.evaluation_id or "")}
    for part in parts.values():
        for code, level in (part.levels or {}).items():
            theirs[services.level_field(LifeDomain(code))] = str(level)
        for code, note in (part.notes or {}).items():
            theirs[services.note_field(LifeDomain(code))] = note
    for name in form.domain_fields:
        theirs.setdefault(name, "")
    return form_merge_rows(form, {k: v for k, v in theirs.items() if k in form})
