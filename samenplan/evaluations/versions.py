"""Frozen plan versions (issue 12 item 4; DESIGN §4 "A frozen plan version is a set of
revisions"): made when an evaluation is closed, never changed after. A version is the set of
(record, version) of every record of the family's plan that keeps a history, and the scores and
scaling answers of its evaluation; the content of each record at its version is folded from its
revisions (the first holds every revised field, later ones what changed).

Reading goes through the door like every page: a reader sees an entry of a version only when
they may see the record now *and* its revision at that version was for them too (the rule of
the record's history, `goals.reading.load_history`)."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from flask_babel import gettext
from sqlalchemy import func, or_, select

from samenplan.domain import gas as gas_rules
from samenplan.domain.i18n import _ as _mark
from samenplan.domain.vocabulary import EvaluationDecision, ScalingQuestion, SectionKind
from samenplan.evaluations.models import Evaluation, GoalDecision, PlanVersion, PlanVersionEntry
from samenplan.goals.models import GasLevel, GasScore, ScalingAnswer
from samenplan.goals.reading import history_labels, in_words
from samenplan.plans.models import PlanSection
from samenplan.plans.reading import SECTION_FIELD_LABELS
from samenplan.privacy import loader, policy
from samenplan.privacy.access import Access
from samenplan.privacy.facts import Category
from samenplan.privacy.models import Record
from samenplan.records.models import Revision

#: the kinds of record a version shows, in the order it shows them, with their heading
SHOWN = {
    "goal": _mark("Doelen"), "plan_section": _mark("Het plan"), "safety_item": _mark("Veiligheidsplan"),
    "network_member": _mark("Netwerk"), "timeline_event": _mark("Tijdlijn"),
}
_GROUP_ORDER = {**{kind.label: 10 + n for n, kind in enumerate(SectionKind)}, SHOWN["goal"]: 0, SHOWN["safety_item"]: 60, SHOWN["network_member"]: 70,
                SHOWN["timeline_event"]: 80}
#: what hangs under a goal, shown with it
UNDER_GOAL = ("goal", "action", "goal_decision", "gas_score", "scaling_answer")
OWN_LABELS = {
    "decision": _mark("Besluit"), "note": _mark("Waarom"), "name": _mark("Naam"),
    "relation": _mark("Wie is het"), "helper": _mark("Wie hielp"), "worked": _mark("Wat werkte"),
    "not_worked": _mark("Wat werkte niet"), "level": _mark("Stap op de ladder"),
}


def measured_at(evaluation: Evaluation):
    """The condition for the scores and scaling answers of `evaluation`: linked to it, or given
    on its day without a link (from someone's own phone at the table)."""
    from samenplan.evaluations.holding import day_of

    day = day_of(evaluation)
    return (
        or_(GasScore.evaluation_id == evaluation.id,
            (GasScore.evaluation_id.is_(None)) & (GasScore.scored_on == day)),
        or_(ScalingAnswer.evaluation_id == evaluation.id,
            (ScalingAnswer.evaluation_id.is_(None)) & (ScalingAnswer.answered_on == day)),
    )


def _revised_kinds() -> list[str]:
    """Every kind of record that keeps a history, but the decisions: a version holds those of
    its own evaluation only (as its scores)."""
    return sorted(identity for identity, mapper in Record.__mapper__.polymorphic_map.items()
                  if mapper.class_.revised_fields and identity != "goal_decision")


def freeze(access: Access, evaluation: Evaluation) -> PlanVersion:
    """A new version of the family's plan, as it is now (the caller commits)."""
    session = access.session
    session.flush()
    number = (session.scalar(select(func.max(PlanVersion.number))
                             .where(PlanVersion.family_id == access.family_id)) or 0) + 1
    version = PlanVersion(family_id=access.family_id, number=number, evaluation_id=evaluation.id,
                          frozen_at=access.now, frozen_by_id=access.user.id)
    session.add(version)
    session.flush()
    rows = list(session.execute(select(Record.id, Record.kind, Record.version).where(
        Record.family_id == access.family_id, Record.kind.in_(_revised_kinds()))))
    scores, answers = measured_at(evaluation)
    for model, condition in ((GasScore, scores), (ScalingAnswer, answers),
                             (GoalDecision, GoalDecision.evaluation_id == evaluation.id)):
        rows += list(session.execute(select(model.id, Record.kind, Record.version).where(
            Record.family_id == access.family_id, condition)))
    goal_ids = [r.id for r in rows if r.kind == "goal"]
    ladders: dict[int, dict[str, str]] = {}
    if goal_ids:
        for level in session.scalars(select(GasLevel).where(GasLevel.goal_id.in_(goal_ids))):
            if level.description:
                ladders.setdefault(level.goal_id, {})[str(level.level)] = level.description
    session.add_all(PlanVersionEntry(
        plan_version_id=version.id, record_id=r.id, kind=r.kind, record_version=r.version,
        extra={"ladder": ladders[r.id]} if r.id in ladders else None) for r in rows)
    session.flush()
    return version


# --- reading --------------------------------------------------------------------------------
@dataclass
class Entry:
    """One record as it was in a version, as this reader may see it."""

    record_id: int
    kind: str
    parent_id: int | None
    group: str  # the heading it is shown under (marked for translation)
    content: dict = field(default_factory=dict)
    ladder: dict = field(default_factory=dict)

    @property
    def archived(self) -> bool:
        return bool(self.content.get("archived_at"))


@dataclass
class VersionView:
    version: PlanVersion
    entries: dict[int, Entry]
    evaluation: Evaluation | None = None

    def groups(self) -> list[tuple[str, list[Entry]]]:
        """The headings and, under each, the entries that hang under nothing shown (a goal's
        actions, decisions and scores come with it: `under`)."""
        found: dict[str, list[Entry]] = {}
        for entry in self.entries.values():
            if entry.archived or (entry.parent_id in self.entries):
                continue
            if entry.kind in UNDER_GOAL and entry.kind != "goal":
                continue
            found.setdefault(entry.group, []).append(entry)
        return sorted(found.items(), key=lambda item: _GROUP_ORDER.get(item[0], 50))

    def under(self, entry: Entry) -> list[Entry]:
        return [e for e in self.entries.values()
                if e.parent_id == entry.record_id and not e.archived]


def versions(access: Access) -> list[PlanVersion]:
    """The family's versions, newest first (they hold no personal data of their own)."""
    return list(access.session.scalars(select(PlanVersion).where(
        PlanVersion.family_id == access.family_id).order_by(PlanVersion.number.desc())))


def version_by_number(access: Access, number: int) -> PlanVersion | None:
    return access.session.scalar(select(PlanVersion).where(
        PlanVersion.family_id == access.family_id, PlanVersion.number == number))


def read(access: Access, version: PlanVersion) -> VersionView:
    """The entries of `version` this reader may see, with their content at that version."""
    wanted = {e.record_id: e for e in version.entries
              if e.kind in SHOWN or e.kind in UNDER_GOAL}
    if not wanted:
        return VersionView(version, {})
    live = {r.id: r for r in access.load_visible(
        access.select_visible(Record).where(Record.id.in_(sorted(wanted))))}
    sections = dict(access.session.execute(select(PlanSection.id, PlanSection.section).where(
        PlanSection.id.in_(sorted(i for i, e in wanted.items() if e.kind == "plan_section")))).all()) \
        if any(e.kind == "plan_section" for e in wanted.values()) else {}
    folded = _fold(access, live, wanted)
    entries: dict[int, Entry] = {}
    for record_id, content in folded.items():
        record, frozen = live[record_id], wanted[record_id]
        group = SHOWN.get(frozen.kind) or SHOWN["goal"]
        if frozen.kind == "plan_section" and record_id in sections:
            group = SectionKind(sections[record_id]).label
            if sections[record_id] == SectionKind.SAFETY_PLAN:
                group = SHOWN["safety_item"]
        entries[record_id] = Entry(record_id, frozen.kind, record.parent_record_id, group,
                                   content, (frozen.extra or {}).get("ladder", {}))
    evaluation = access.get(Evaluation, version.evaluation_id) if version.evaluation_id else None
    return VersionView(version, entries, evaluation)


def _fold(access: Access, live: dict[int, Record], wanted: dict[int, PlanVersionEntry]) -> dict[int, dict]:
    """Each visible record's content at its frozen version, from its revisions; a record whose
    revision at that version was not for this reader is left out (as its history does)."""
    ids = sorted(live)
    by_record: dict[int, list[Revision]] = {}
    for revision in access.session.scalars(select(Revision).where(
            Revision.record_id.in_(ids)).order_by(Revision.record_id, Revision.version, Revision.id)):
        if revision.version <= wanted[revision.record_id].record_version:
            by_record.setdefault(revision.record_id, []).append(revision)
    result: dict[int, dict] = {}
    measured = _measured(access, [i for i in ids if wanted[i].kind in ("gas_score", "scaling_answer")])
    for record_id in ids:
        if record_id in measured:  # a score or an answer never changes: as it is
            result[record_id] = measured[record_id]
            continue
        revisions = by_record.get(record_id)
        if not revisions:
            continue
        last = revisions[-1]
        now_facts = loader.record_facts(live[record_id], ancestor_ids=frozenset())
        then = dataclasses.replace(now_facts, category=Category(last.category),
                                   subject_ids=frozenset(last.subject_ids or []))
        if not policy.can_view(access.viewer, then, access.facts, access.now).allowed:
            continue
        content: dict = {}
        for revision in revisions:
            content.update(revision.after or {})
        result[record_id] = content
    return result


def _measured(access: Access, ids: list[int]) -> dict[int, dict]:
    if not ids:
        return {}
    found: dict[int, dict] = {}
    for score in access.session.scalars(select(GasScore).where(GasScore.id.in_(ids))):
        found[score.id] = {"level": score.level, "note": score.note}
    for answer in access.session.scalars(select(ScalingAnswer).where(ScalingAnswer.id.in_(ids))):
        found[answer.id] = {"question": answer.question.value, "score": answer.score,
                            "author_participant_id": answer.author_participant_id,
                            "respondent_person_id": answer.respondent_person_id}
    return found


# --- in words -------------------------------------------------------------------------------
def labels(access: Access) -> dict[str, str]:
    return {**SECTION_FIELD_LABELS, **history_labels(access), **OWN_LABELS}


def value_in_words(access: Access, name: str, value) -> str:
    if name == "decision" and EvaluationDecision.parse(value) is not None:
        return gettext(EvaluationDecision(value).label)
    if name == "level" and value is not None:
        if access.viewer.role.is_professional:
            return f"{value:+d}: {gettext(gas_rules.level_label(value))}"
        return gettext(gas_rules.step_words(value))
    return in_words(access, name, value)


def title_of(access: Access, entry: Entry) -> str:
    """The line an entry is known by, in words."""
    c = entry.content
    if entry.kind == "goal_decision":
        return gettext("Besluit: %(decision)s", decision=value_in_words(access, "decision", c.get("decision")))
    if entry.kind == "gas_score":
        return gettext("Stap: %(step)s", step=value_in_words(access, "level", c.get("level")))
    if entry.kind == "scaling_answer":
        question = ScalingQuestion.parse(c.get("question"))
        return f"{gettext(question.label) if question else ''}: {c.get('score')}"
    for key in ("title", "what", "name", "body"):
        if c.get(key):
            return str(c[key])
    return gettext("(zonder titel)")


def fields_of(access: Access, entry: Entry) -> list[tuple[str, str]]:
    """The entry's fields as (label, value) in words, those this reader's labels name."""
    names = labels(access)
    skip = {"title", "what", "name", "subjects", "category", "archived_at"}
    return [(gettext(names[k]), value_in_words(access, k, v)) for k, v in entry.content.items()
            if k in names and k not in skip and v not in (None, "", [])]


# --- comparing ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass
class Difference:
    entry: Entry
    title: str
    how: str  # "added", "removed", "changed"
    changes: list[Change] = field(default_factory=list)
    under: str = ""  # the goal it hangs under, for an action or decision


def compare(access: Access, older: VersionView, newer: VersionView) -> list[Difference]:
    """What is added, removed and changed from `older` to `newer` (each as the reader may see
    it), in the order of the newer version's groups; changed fields before → after in words."""
    names = labels(access)
    differences: list[Difference] = []
    ids = list(dict.fromkeys([*newer.entries, *older.entries]))
    for record_id in ids:
        old, new = older.entries.get(record_id), newer.entries.get(record_id)
        old_in = old is not None and not old.archived
        new_in = new is not None and not new.archived
        entry = new or old
        if entry.kind in ("gas_score", "scaling_answer", "goal_decision"):
            continue  # each evaluation's own: compared with its goal (a decision) or not at all
        parent = (newer.entries.get(entry.parent_id) or older.entries.get(entry.parent_id)
                  if entry.parent_id else None)
        under = title_of(access, parent) if parent is not None else ""
        if new_in and not old_in:
            differences.append(Difference(new, title_of(access, new), "added", under=under))
        elif old_in and not new_in:
            differences.append(Difference(old, title_of(access, old), "removed", under=under))
        elif old_in and new_in:
            changes = [Change(gettext(names[k]), value_in_words(access, k, old.content.get(k)),
                              value_in_words(access, k, new.content.get(k)))
                       for k in names if k in (set(old.content) | set(new.content))
                       and old.content.get(k) != new.content.get(k)]
            if old.ladder != new.ladder:
                changes.append(Change(gettext("Stappen naar het doel"),
                                      " / ".join(old.ladder.get(str(n), "") for n in (2, 1, 0, -1, -2)),
                                      " / ".join(new.ladder.get(str(n), "") for n in (2, 1, 0, -1, -2))))
            decided = (_decision_of(access, older, record_id), _decision_of(access, newer, record_id))
            if entry.kind == "goal" and decided[0] != decided[1]:
                changes.append(Change(gettext("Besluit bij de evaluatie"), *decided))
            if changes:
                differences.append(Difference(new, title_of(access, new), "changed", changes, under))
    return differences


def _decision_of(access: Access, view: VersionView, goal_id: int) -> str:
    """The decision about a goal at the evaluation of `view`, in words ("" when none)."""
    for entry in view.entries.values():
        if entry.kind == "goal_decision" and entry.parent_id == goal_id:
            note = entry.content.get("note") or ""
            return f"{value_in_words(access, 'decision', entry.content.get('decision'))}" + (
                f": {note}" if note else "")
    return ""
