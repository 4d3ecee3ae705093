"""Scoring self-sufficiency: the casusregisseur records a meting of one caregiver (with the
family: the form says so) and corrects it later from the version they loaded. Each function
checks the viewer's right through the door (Access), queues the audit events, and commits
once. The records are split by category (models.py says why)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from samenplan.domain import selfreliance as rules
from samenplan.domain.ages import local_day
from samenplan.domain.i18n import _
from samenplan.domain.vocabulary import (
    Category, EvaluationStatus, LifeDomain, Role, SelfRelianceLevel, SelfRelianceMoment,
)
from samenplan.evaluations.models import Evaluation
from samenplan.evaluations.services import Invalid, NotAllowed  # the same answers: 422, 404
from samenplan.families.models import Person
from samenplan.privacy import policy
from samenplan.privacy.access import Access
from samenplan.privacy.facts import RecordFacts
from samenplan.records.history import Stale, changed_fields, check_version, saving
from samenplan.selfreliance.models import SelfRelianceScore

NOTE_MAX = 300

__all__ = ["Invalid", "NotAllowed", "MetingInput", "may_score", "record", "update"]


def may_score(access: Access) -> bool:
    """Only the casusregisseur scores (000: the professional judges, with the family)."""
    return access.participant.role == Role.CASUSREGISSEUR


def caregivers(access: Access) -> list[Person]:
    """The family's caregivers (opvoeders) today: adults who hold authority over a child of
    the family or live in its household."""
    day = local_day(access.now)
    minors = children(access, day)
    return [p for p in access.persons
            if rules.is_caregiver(p.date_of_birth, day, p.id, p.household, minors)]


def children(access: Access, day: date) -> list[tuple[int | None, frozenset[int]]]:
    """Each minor of the family as the rules need it: their household, their holders."""
    from samenplan.domain.ages import age_on

    return [(p.household, frozenset(h.id for h in p.authority_holders)) for p in access.persons
            if age_on(p.date_of_birth, day) < rules.ADULT_AGE]


def scorable_categories(access: Access, caregiver: Person) -> list[Category]:
    """The categories the viewer may score for `caregiver`: those they may read of them by
    consent (not merely as the author: scoring someone's mental health needs their yes)."""
    result = []
    for category in rules.GROUPS:
        draft = RecordFacts(id=0, category=category, subject_ids=frozenset({caregiver.id}),
                            author_participant_id=None)
        if policy.can_view(access.viewer, draft, access.facts, access.now).allowed:
            result.append(category)
    return result


def domains_for(access: Access, caregiver: Person,
                categories: list[Category] | None = None) -> list[LifeDomain]:
    """The domains the viewer scores for `caregiver`: of the categories they may score (or
    `categories`), the parenting domains only when they care for a child of the family."""
    day = local_day(access.now)
    with_parenting = rules.cares_for_children(caregiver.id, caregiver.household,
                                              children(access, day))
    allowed = scorable_categories(access, caregiver) if categories is None else categories
    return [d for c in allowed for d in rules.domains_of(c, with_parenting)]


@dataclass
class MetingInput:
    caregiver_id: object = None
    day: date | None = None
    moment: object = None
    evaluation_id: object = None
    levels: dict[str, object] = field(default_factory=dict)  # domain code -> "1".."5" or ""
    notes: dict[str, str] = field(default_factory=dict)
    versions: dict[str, int | None] = field(default_factory=dict)  # category -> loaded version


@dataclass
class Checked:
    day: date
    moment: SelfRelianceMoment
    evaluation_id: int | None
    levels: dict[Category, dict[str, int]]
    notes: dict[Category, dict[str, str]]


def level_field(domain: LifeDomain) -> str:
    return f"level_{domain.value}"


def note_field(domain: LifeDomain) -> str:
    return f"note_{domain.value}"


def _caregiver(access: Access, value: object) -> Person:
    try:
        wanted = int(str(value))
    except ValueError:
        raise Invalid("caregiver", _("Kies voor wie de meting is.")) from None
    person = next((p for p in access.persons if p.id == wanted), None)
    if person is None:
        raise NotAllowed("person outside this family")
    if person not in caregivers(access):
        raise Invalid("caregiver", _("Kies een ouder of verzorger. Alleen volwassenen die voor de kinderen zorgen, krijgen een meting."))
    return person


def linkable_evaluations(access: Access) -> list[Evaluation]:
    """The evaluations a meting may belong to: this family's that the viewer may see, not
    cancelled and not ahead."""
    from samenplan.evaluations.reading import visible

    return [e for e in visible(access)
            if e.status != EvaluationStatus.CANCELLED and e.starts_at <= access.now]


def _evaluation_id(access: Access, value: object) -> int | None:
    if value in (None, "", "0"):
        return None
    if str(value) not in {str(e.id) for e in linkable_evaluations(access)}:
        raise Invalid("evaluation", _("Kies een evaluatie van dit gezin die al geweest is."))
    return int(str(value))


def _check(access: Access, caregiver: Person, data: MetingInput) -> Checked:
    if data.day is None:
        raise Invalid("day", _("Kies de datum van de meting."))
    if data.day > local_day(access.now):
        raise Invalid("day", _("Een meting kan niet in de toekomst liggen."))
    moment = SelfRelianceMoment.parse(data.moment)
    if moment is None:
        raise Invalid("moment", _("Kies wanneer dit is: bij de start, bij een evaluatie of bij de afsluiting."))
    evaluation_id = _evaluation_id(access, data.evaluation_id)
    domains = domains_for(access, caregiver)
    allowed = {d.value for d in domains}
    if any(code not in allowed for code in (*data.levels, *data.notes)):
        raise NotAllowed("domain the viewer may not score")
    levels: dict[Category, dict[str, int]] = {c: {} for c in rules.GROUPS}
    notes: dict[Category, dict[str, str]] = {c: {} for c in rules.GROUPS}
    for domain in domains:
        raw = str(data.levels.get(domain.value) or "").strip()
        if raw:
            level = SelfRelianceLevel.parse(raw)
            if level is None:
                raise Invalid(level_field(domain), _("Kies een niveau van 1 tot en met 5, of ‘niet gescoord’."))
            levels[rules.group_of(domain)][domain.value] = level.number
        note = (data.notes.get(domain.value) or "").strip()
        if len(note) > NOTE_MAX:
            raise Invalid(note_field(domain), _("Schrijf hier kort iets op: hooguit 300 tekens."))
        if note:
            notes[rules.group_of(domain)][domain.value] = note
    if not any(levels.values()):
        first = domains[0] if domains else None
        raise Invalid(level_field(first) if first else "day",
                      _("Geef minstens één leefgebied een niveau."))
    return Checked(data.day, moment, evaluation_id, levels, notes)


def _apply(score: SelfRelianceScore, checked: Checked, category: Category) -> None:
    score.day = checked.day
    score.moment = checked.moment
    score.evaluation_id = checked.evaluation_id
    score.levels = checked.levels[category]
    score.notes = checked.notes[category]


def _new(access: Access, caregiver: Person, category: Category,
         head: SelfRelianceScore | None) -> SelfRelianceScore:
    return SelfRelianceScore(
        family_id=access.family_id, category=category, subjects=[caregiver],
        caregiver_id=caregiver.id, head_id=head.id if head is not None else None,
        author_participant_id=access.participant.id,
        created_by_id=access.user.id, updated_by_id=access.user.id,
        created_at=access.now, updated_at=access.now,
    )


def record(access: Access, data: MetingInput) -> SelfRelianceScore:
    """A new meting (the casusregisseur only): its head, and a record for each other category
    with a level or a note."""
    if not may_score(access):
        raise NotAllowed("only the casusregisseur scores")
    caregiver = _caregiver(access, data.caregiver_id)
    checked = _check(access, caregiver, data)
    head = _new(access, caregiver, Category.ALGEMEEN, None)
    _apply(head, checked, Category.ALGEMEEN)
    access.session.add(head)
    access.session.flush()
    made = [head]
    for category in rules.GROUPS[1:]:
        if checked.levels[category] or checked.notes[category]:
            part = _new(access, caregiver, category, head)
            _apply(part, checked, category)
            access.session.add(part)
            made.append(part)
    access.session.flush()
    for score in made:
        access.queue(access.event("create", score, policy.AUTHOR))
    access.session.commit()
    return head


def parts_of(access: Access, head: SelfRelianceScore) -> dict[Category, SelfRelianceScore]:
    """The records of a meting the viewer may see, by category (the head included)."""
    found = access.load_visible(access.select_visible(SelfRelianceScore).where(
        SelfRelianceScore.head_id == head.id))
    return {Category(head.category): head, **{Category(p.category): p for p in found}}


def last_levels(access: Access, caregiver: Person) -> dict[LifeDomain, str]:
    """Per domain, the newest level the viewer may see for `caregiver` (a new meting starts
    from these: the casusregisseur changes what changed, instead of scoring every domain
    again). Notes are not carried over: they belong to the meting they were said at."""
    found = access.load_visible(access.select_visible(SelfRelianceScore).where(
        SelfRelianceScore.caregiver_id == caregiver.id
    ).order_by(SelfRelianceScore.day, SelfRelianceScore.id))
    levels: dict[LifeDomain, str] = {}
    for score in found:
        for code, level in (score.levels or {}).items():
            domain = LifeDomain.parse(code)
            if domain is not None and level is not None:
                levels[domain] = str(level)
    return levels


def update(access: Access, head: SelfRelianceScore, data: MetingInput) -> SelfRelianceScore:
    """Correct a meting from the versions the viewer loaded (an older one: Stale). Of the parts
    only those the viewer may see and score are changed; a category that gets its first
    level or note gets its record now."""
    if not may_score(access) or head.head_id is not None or not access.decide(head).allowed:
        raise NotAllowed("only the casusregisseur corrects a meting")
    caregiver = next(p for p in access.persons if p.id == head.caregiver_id)
    checked = _check(access, caregiver, data)
    parts = parts_of(access, head)
    categories = scorable_categories(access, caregiver)
    for category in categories:
        part = parts.get(category)
        if part is not None:
            check_version(part, data.versions.get(category.value))
        elif data.versions.get(category.value) is not None:
            raise Stale(head)
    changed = []
    with saving(access.session, head):
        for category in categories:
            part = parts.get(category)
            if part is None:
                if not (checked.levels[category] or checked.notes[category]):
                    continue
                part = _new(access, caregiver, category, head)
                access.session.add(part)
                action = "create"
            else:
                action = "update"
            _apply(part, checked, category)
            if action == "update" and not changed_fields(part):
                continue
            part.updated_by_id, part.updated_at = access.user.id, access.now
            changed.append((action, part))
        access.session.flush()
        for action, part in changed:
            access.queue(access.event(action, part, policy.AUTHOR if action == "create"
                                      else access.decide(part)))
        access.session.commit()
    return head
