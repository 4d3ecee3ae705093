"""The one door to personal data. Views and services ask an `Access` for records; it
filters lists in SQL (privacy/query.py), decides single records with the pure policy
(privacy/policy.py), and writes view events to the audit log.

An Access lives for one request: nothing here caches a decision across requests, so a
revoked consent bites on the very next page load.
"""
from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import TypeVar

from sqlalchemy import Select, event, inspect, select
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from samenplan.auth.models import User
from samenplan.db import utcnow
from samenplan.families.models import Family, Participant, Person
from samenplan.privacy import audit, loader, policy
from samenplan.privacy.facts import Category, FamilyFacts, RecordFacts, ViewerFacts
from samenplan.privacy.models import Record, record_ancestor, record_subject
from samenplan.privacy.query import kept_with, moment, visible_filter
from samenplan.records.history import act_as

log = logging.getLogger(__name__)
R = TypeVar("R", bound=Record)


@dataclass(frozen=True)
class Audience:
    """ "Zichtbaar voor: …": the readers the viewer may know of by name, and the first names of
    the subjects through whose consent others read it too (without naming those others)."""

    named: list[Participant]
    consented_by: list[str]
    # readers the viewer has shielded (something of) a subject from: "Let op: Mark ziet dit ook"
    warnings: list[Participant] = field(default_factory=list)

    @cached_property
    def names(self) -> list[str]:
        """The named readers as shown: "Fatima El Amrani (Sociaal Wijkteam Noord)"."""
        return [f"{p.display_name} ({p.organisation.name})" if p.organisation is not None
                else p.display_name for p in self.named]

    @cached_property
    def warning_names(self) -> list[str]:
        return [p.display_name for p in self.warnings]

    def __bool__(self) -> bool:
        return bool(self.named or self.consented_by)


class Widening(Exception):
    """A change of a record's subjects or category that would let new people read it, by
    someone who may not consent for every subject (DESIGN.md §3). `newly`: who would read it."""

    def __init__(self, newly: list[Participant]):
        super().__init__("widening")
        self.newly = newly


_NOT_YET = object()


@dataclass
class Access:
    session: Session
    user: User
    participant: Participant
    now: datetime = field(default_factory=utcnow)
    _viewed: set[int] = field(default_factory=set)  # one view event per record per request

    @property
    def family_id(self) -> int:
        return self.participant.family_id

    @property
    def family(self) -> Family:
        return self.participant.family

    @cached_property
    def viewer(self) -> ViewerFacts:
        return loader.viewer_facts(self.participant, chairs=self.co_chair)

    @cached_property
    def handover(self):
        """The family's open handover of the casusregisseur (handover/models.py), or None.
        Loaded with the participation (`access_for`, `accesses_for`): no query of its own."""
        from samenplan.handover.models import Handover

        return self.session.scalar(select(Handover).where(
            Handover.family_id == self.family_id, Handover.switched_at.is_(None),
            Handover.cancelled_at.is_(None)))

    @property
    def co_chair(self) -> bool:
        """The viewer is the named successor during the overlap: chair rights, as the
        casusregisseur has them, until the switch or the cancellation."""
        return self.handover is not None and self.handover.successor_participant_id == self.participant.id

    def participation_facts(self, participant: Participant):
        """The facts of `participant`'s taking part, as the policy decides on them: the
        successor of an open handover takes part openly, as the chair does."""
        handover = self.handover
        return loader.participation_facts(
            participant, self.record_facts,
            chairs=handover is not None and handover.successor_participant_id == participant.id)

    @cached_property
    def facts(self) -> FamilyFacts:
        return loader.family_facts(self.session, self.family_id, self.persons)

    @cached_property
    def participants(self) -> list[Participant]:
        """Everyone active in this family's plan (names only; no personal records), with
        their account, organisation and involvement in the same query."""
        self.persons  # noqa: B018 - a participant's person comes from the identity map
        participants = list(
            self.session.scalars(
                select(Participant)
                .where(Participant.family_id == self.family_id, Participant.active)
                .options(
                    joinedload(Participant.user), joinedload(Participant.organisation),
                    joinedload(Participant.involvement),
                )
                .order_by(Participant.id)
            ).unique()
        )
        self._attach_privacy([p.involvement for p in participants if p.involvement is not None])
        return participants

    @cached_property
    def _participation(self) -> dict[int, bool]:
        return {
            p.id: policy.can_see_participation(
                self.viewer, self.participation_facts(p), self.facts, self.now).allowed
            for p in self.participants
        }

    def sees_participant(self, participant: Participant | None) -> bool:
        """Whether the viewer may know that `participant` takes part (their name, their
        organisation). A professional's participation says something about someone."""
        return participant is not None and self._participation.get(participant.id, False)

    def sees_former(self, participant: Participant) -> bool:
        """Whether the viewer may know that `participant`, who no longer takes part (their
        place ended), took part: as for one who still does. Their involvement's subjects
        must be attached (`_attach_privacy`)."""
        return policy.can_see_participation(
            self.viewer, self.participation_facts(participant), self.facts, self.now).allowed

    @property
    def visible_participants(self) -> list[Participant]:
        """The participants the viewer may know of: for team lists, choices and names."""
        return [p for p in self.participants if self.sees_participant(p)]

    @cached_property
    def persons(self) -> list[Person]:
        return list(
            self.session.scalars(
                select(Person).where(Person.family_id == self.family_id)
                .order_by(Person.date_of_birth)
            )
        )

    # --- reading -------------------------------------------------------------------------
    def select_visible(self, model: type[R], *, bound: bool = True) -> Select[tuple[R]]:
        """SELECT of `model` already narrowed to what this viewer may see now (the viewer's
        clause, kept across requests, with this request's moment: `query.moment`). Not
        `bound`: without the moment's values, which are then given when it runs
        (`session.execute(statement, access.moment)`), for a statement that is kept (`kept`)."""
        statement = select(model).where(visible_filter(self.viewer, self.family_id))
        return statement.params(self.moment) if bound else statement

    @cached_property
    def moment(self) -> dict:
        """The values of the viewer's clause's bind parameters at this request's moment."""
        return moment(self.viewer, self.now)

    def kept(self, name: str, make):
        """`make(self)`: a part of a statement made of `select_visible(…, bound=False)`, made
        once for this viewer and family and kept with their clause (`query.visible_filter`):
        for one whose making costs more than its running (the live plan's parts: a twentieth
        of the plan page). What it is part of runs with `moment` given."""
        return kept_with(visible_filter(self.viewer, self.family_id), name, lambda: make(self))

    def load_visible(self, stmt: Select[tuple[R]], values: dict | None = None) -> list[R]:
        """Run a statement made by `select_visible` (with the `values` of its own parameters,
        and the moment's, for a kept one); double-check each row with the pure policy (the
        twins must agree; if they ever do not, deny and log) and log views."""
        return self.admit(list(self.session.scalars(stmt, {**self.moment, **(values or {})})
                               .unique()))

    def admit(self, records: list[R], *, log_views: bool = True) -> list[R]:
        """Records a statement of `select_visible` loaded along with something else (the plan
        page's next evaluation comes with the plan): their privacy from what the request has
        loaded, each checked with the pure policy, their views logged (not with
        `log_views=False`: for a page that shows only how many there are, none of their
        content, such as the worklist)."""
        self._attach_privacy(records)
        allowed, grounds = [], []
        for record in records:
            decision = self.decide(record)
            if decision.allowed:
                allowed.append(record)
                grounds.append(decision)
            else:
                log.error("privacy twins disagree on record %s for participant %s",
                          record.id, self.participant.id)
        if log_views:
            self.log_views(allowed, grounds)
        return allowed

    def get(self, model: type[R], record_id: int) -> R | None:
        """One record, or None when it does not exist *or* may not be seen (no difference
        is shown to the user)."""
        record = self.session.scalar(
            select(model).where(model.id == record_id, Record.family_id == self.family_id)
        )
        if record is None:
            return None
        self._attach_privacy([record])
        decision = self.decide(record)
        if not decision.allowed:
            self._log_denied(record, decision)
            return None
        self.log_views([record])
        return record

    def record_facts(self, record: Record) -> RecordFacts:
        """The facts the policy decides `record` on; of its ancestors only those that carry a
        shield matter (and are looked up once per request, not per record)."""
        return loader.record_facts(
            record, ancestor_ids=self._shielded_ancestors.get(record.id, frozenset())
        )

    def decide(self, record: Record) -> policy.Decision:
        return policy.can_view(self.viewer, self.record_facts(record), self.facts, self.now)

    def can_edit(self, record: Record, kind: str) -> policy.Decision:
        if self.plan_closed:
            return policy.Decision(False, PLAN_CLOSED, "the plan is closed: read-only")
        return policy.can_edit(self.viewer, self.record_facts(record), self.facts, self.now, kind)

    @cached_property
    def plan_closed(self) -> bool:
        """A closed plan is read-only (samenplan/closure/guard.py): nobody edits its content.
        The plan the page loaded already is used (no query of its own), else it is asked."""
        from samenplan.domain.vocabulary import PlanPhase
        from samenplan.plans.models import Plan

        for obj in list(self.session.identity_map.values()):
            if isinstance(obj, Plan) and obj.family_id == self.family_id:
                return obj.phase is PlanPhase.CLOSED
        return self.session.scalar(
            select(Plan.phase).where(Plan.family_id == self.family_id)) is PlanPhase.CLOSED

    # --- what every record's privacy needs, loaded once per request ----------------------
    @property
    def _subject_links(self) -> dict[int, list[int]]:
        """Record id -> the ids of its own subjects, for the whole family in one query (most
        records take theirs from their goal and have none). Dropped at every flush."""
        cache = self.session.info.setdefault(SUBJECT_LINKS, {})
        links = cache.get(self.family_id)
        if links is None:
            links = {}
            rows = self.session.execute(
                select(record_subject.c.record_id, record_subject.c.person_id)
                .join(Record, Record.id == record_subject.c.record_id)
                .where(Record.family_id == self.family_id)
            )
            for record_id, person_id in rows:
                links.setdefault(record_id, []).append(person_id)
            cache[self.family_id] = links
        return links

    def _attach_privacy(self, records: Iterable[Record]) -> None:
        """Give loaded records (and the records they take their privacy from) their subjects
        from `_subject_links`, instead of one query per list."""
        persons = {p.id: p for p in self.persons}
        order = {p.id: n for n, p in enumerate(self.persons)}
        for record in records:
            for owner in (record, record.privacy_source):
                # not loaded yet (asking the state for every unloaded key costs more)
                if owner is not None and "subjects" not in inspect(owner).dict:
                    ids = sorted(self._subject_links.get(owner.id, ()), key=order.__getitem__)
                    set_committed_value(owner, "subjects", [persons[i] for i in ids])

    @cached_property
    def _shielded_ancestors(self) -> dict[int, frozenset[int]]:
        """Record id -> the records it hangs under that a shield is set on (a shield on a goal
        covers what hangs under it). One query, and none when no record is shielded."""
        shielded = {s.record_id for s in self.facts.shields if s.record_id is not None}
        if not shielded:
            return {}
        found: dict[int, set[int]] = {}
        rows = self.session.execute(
            select(record_ancestor.c.record_id, record_ancestor.c.ancestor_id)
            .where(record_ancestor.c.ancestor_id.in_(sorted(shielded)))
        )
        for record_id, ancestor_id in rows:
            found.setdefault(record_id, set()).add(ancestor_id)
        return {record_id: frozenset(ids) for record_id, ids in found.items()}

    def may_create(self, kind: str) -> bool:
        if self.plan_closed:
            return False
        return kind in policy.EDIT_RIGHTS.get(self.viewer.role, frozenset())

    # --- audience ("Zichtbaar voor") -------------------------------------------------------
    def audience(self, record: Record) -> Audience:
        return self.audience_of(self.record_facts(record))

    def audience_for_draft(self, subject_ids: Iterable[int], category: Category) -> Audience:
        draft = RecordFacts(
            id=0, category=category, subject_ids=frozenset(subject_ids),
            author_participant_id=self.participant.id,
        )
        return self.audience_of(draft)

    def answer_once(self, question: tuple, record: RecordFacts, work_out):
        """`work_out()`, the answer to `question` about `record` from this request's facts,
        worked out once for records alike (`policy.alike`): the forty goals of a plan alike in
        subjects and category have one audience. Lives as long as the facts (one request)."""
        key = (question, policy.alike(record, self.facts))
        answer = self._answers.get(key, _NOT_YET)
        if answer is _NOT_YET:
            answer = self._answers[key] = work_out()
        return answer

    @cached_property
    def _answers(self) -> dict:
        return {}

    def audience_of(self, record: RecordFacts) -> Audience:
        """Who may read `record`: by name only those the viewer may know take part; the
        others are summed up as "en wie Sandra toestemming gaf" (`consented_by`)."""
        return self.answer_once(("audience",), record, lambda: self._audience_of(record))

    def _audience_of(self, record: RecordFacts) -> Audience:
        readers = self.readers_of(record)
        named = [p for p in readers if self.sees_participant(p)]
        consented_by = []
        if len(named) < len(readers):
            subject_ids = record.subject_ids
            consented_by = [p.first_name for p in self.persons if p.id in subject_ids]
        shielded_from = {
            shield.participant_id for shield in self.facts.shields
            if shield.subject_id in record.subject_ids and policy.shield_is_active(shield, self.now)
            and policy.can_see_shield(self.viewer, shield, self.facts, self.now).allowed
        }
        warnings = [p for p in named if p.id in shielded_from]
        return Audience(named=named, consented_by=consented_by, warnings=warnings)

    def readers_of(self, record: RecordFacts) -> list[Participant]:
        """Everyone who may read `record` (for decisions; never shown as such)."""
        by_id, readers = self._readers
        allowed = policy.audience(record, readers.values(), self.facts, self.now)
        return [by_id[v.participant_id] for v, _decision in allowed]

    @cached_property
    def participants_by_id(self) -> dict[int, Participant]:
        """`participants` by id (once a request: every card asks who its people are)."""
        return {p.id: p for p in self.participants}

    @cached_property
    def _readers(self) -> tuple[dict[int, Participant], dict[int, ViewerFacts]]:
        """Every participant by id, and as the policy sees them as readers (once a request:
        a page asks who reads each of its records)."""
        return (self.participants_by_id,
                {p.id: loader.viewer_facts(p) for p in self.participants})

    def reader_facts(self, participant: Participant) -> ViewerFacts:
        """`participant` as the policy sees them as a reader of a record."""
        facts = self._readers[1].get(participant.id)
        return facts if facts is not None else loader.viewer_facts(participant)

    # --- changing who may read a record ------------------------------------------------
    def newly_seeing(self, record: Record, subject_ids: Iterable[int],
                     category: Category | str) -> list[Participant]:
        """Who could read `record` with these subjects and category but cannot read it now."""
        before = loader.record_facts(record)
        after = dataclasses.replace(before, subject_ids=frozenset(subject_ids),
                                    category=Category(category))
        now_readers = {p.id for p in self.readers_of(before)}
        return [p for p in self.readers_of(after) if p.id not in now_readers]

    def refuse_widening(self, record: Record, subject_ids: Iterable[int],
                        category: Category | str) -> None:
        """Raise Widening when giving `record` these subjects and category lets someone read it
        who could not before, and the viewer may not consent for every subject; narrowing is
        always allowed (DESIGN.md §3)."""
        subject_ids = frozenset(subject_ids)
        newly = self.newly_seeing(record, subject_ids, category)
        if not newly:
            return
        after = dataclasses.replace(loader.record_facts(record), subject_ids=subject_ids,
                                    category=Category(category))
        if not policy.may_widen(self.viewer, after, self.facts, self.now):
            raise Widening(newly)

    def may_know_lvb(self, person: Person) -> bool:
        return policy.may_know_lvb(self.viewer, person.id, self.facts, self.now)

    # --- audit ---------------------------------------------------------------------------
    def entry(self, record: Record, ground: policy.Decision | str = "") -> audit.Entry:
        """`record` as an audit entry: its privacy now and the ground the actor had."""
        decision = ground if isinstance(ground, policy.Decision) else None
        return audit.Entry(
            record_id=record.id, category=record.effective_category,
            subject_ids=tuple(sorted(p.id for p in record.effective_subjects)),
            ground=ground if decision is None else decision.ground,
            basis=() if decision is None else tuple(
                (key, tuple(ids)) for key, ids in decision.basis.items()
            ),
            withheld=decision is not None and self._withheld(decision),
        )

    def event(self, action: str, record: Record | None = None,
              ground: policy.Decision | str = "", *, params: dict | None = None,
              **extra) -> audit.Event:
        """An audit event by the viewer in this family: about `record` (if any), on `ground`
        (a decision, or a ground's code), with `params` (codes and ids, never prose)."""
        values = dict(
            action=action, family_id=self.family_id, actor_user_id=self.user.id,
            actor_participant_id=self.participant.id,
        )
        if record is not None:
            values["entries"] = (self.entry(record, ground),)
        if params:
            values["params"] = tuple(sorted(params.items()))
        values.update(extra)
        return audit.Event(**values)

    def log_views(self, records: Sequence[Record],
                  grounds: Sequence[policy.Decision] | None = None) -> None:
        """Every view of a non-algemeen record is written to the audit log with its ground
        (`grounds`: the decisions the records were just shown on, one per record; else they
        are decided here): queued, and appended with whatever the request commits, as one view
        event listing every record the request showed (reads never commit by themselves)."""
        entries = []
        for n, record in enumerate(records):
            if record.effective_category == Category.ALGEMEEN.value or record.id in self._viewed:
                continue
            self._viewed.add(record.id)
            entries.append(self.entry(record, grounds[n] if grounds else self.decide(record)))
        if entries:
            self.queue(self.event("view", entries=tuple(entries)))

    def queue(self, event: audit.Event) -> None:
        """An audit event appended in this request's transaction, when it commits (at the
        latest at the end of the request: see `audit.queue`)."""
        audit.queue(self.session, event)

    def _withheld(self, decision: policy.Decision) -> bool:
        """A view under an emergency access the family may not see yet stays out of their log."""
        if decision.ground != policy.EMERGENCY:
            return False
        used = set(decision.emergencies)
        return any(e.withhold_from_family for e in self.facts.emergencies if e.id in used)

    def _log_denied(self, record: Record, decision: policy.Decision) -> None:
        self.queue(self.event("denied", record, decision))


SUBJECT_LINKS = "samenplan.subject_links"
#: the ground of a refused edit on a closed plan
PLAN_CLOSED = "plan_closed"


@event.listens_for(Session, "after_flush")
def _forget_subject_links(session: Session, _context) -> None:
    """Subjects may have changed: the next record loaded looks them up again."""
    session.info.pop(SUBJECT_LINKS, None)


def accesses_for(session: Session, user: User, participations: Sequence[Participant],
                 now: datetime | None = None) -> dict[int, Access]:
    """The user's access to each of these families' plans (their active participations, one
    per family), with what the door needs of all of them loaded at once: persons, facts,
    participants, subjects and shielded ancestors in the same few queries whatever the number
    of families (the home page). Family id -> Access."""
    now = now or utcnow()
    accesses = {p.family_id: Access(session=session, user=user, participant=p, now=now)
                for p in participations}
    if not accesses:
        return {}
    family_ids = sorted(accesses)
    persons: dict[int, list[Person]] = {fid: [] for fid in family_ids}
    for person in session.scalars(select(Person).where(Person.family_id.in_(family_ids))
                                  .order_by(Person.date_of_birth)):
        persons[person.family_id].append(person)
    facts = loader.families_facts(session, persons)
    everyone: dict[int, list[Participant]] = {fid: [] for fid in family_ids}
    for participant in session.scalars(
        select(Participant).where(Participant.family_id.in_(family_ids), Participant.active)
        .options(joinedload(Participant.user), joinedload(Participant.organisation),
                 joinedload(Participant.involvement))
        .order_by(Participant.id)
    ).unique():
        everyone[participant.family_id].append(participant)
    links: dict[int, dict[int, list[int]]] = {fid: {} for fid in family_ids}
    for family_id, record_id, person_id in session.execute(
        select(Record.family_id, record_subject.c.record_id, record_subject.c.person_id)
        .join(Record, Record.id == record_subject.c.record_id)
        .where(Record.family_id.in_(family_ids))
    ):
        links[family_id].setdefault(record_id, []).append(person_id)
    session.info.setdefault(SUBJECT_LINKS, {}).update(links)
    shielded = {s.record_id for f in facts.values() for s in f.shields if s.record_id is not None}
    ancestors: dict[int, set[int]] = {}
    if shielded:
        for record_id, ancestor_id in session.execute(
            select(record_ancestor.c.record_id, record_ancestor.c.ancestor_id)
            .where(record_ancestor.c.ancestor_id.in_(sorted(shielded)))
        ):
            ancestors.setdefault(record_id, set()).add(ancestor_id)
    from samenplan.domain.vocabulary import PlanPhase
    from samenplan.plans.models import Plan

    from samenplan.handover.models import Handover

    closed = set(session.scalars(select(Plan.family_id).where(
        Plan.family_id.in_(family_ids), Plan.phase == PlanPhase.CLOSED)))
    handovers = {h.family_id: h for h in session.scalars(select(Handover).where(
        Handover.family_id.in_(family_ids), Handover.switched_at.is_(None),
        Handover.cancelled_at.is_(None)))}
    for fid, access in accesses.items():
        access.__dict__.update(  # the cached properties, filled from the batch
            plan_closed=fid in closed, handover=handovers.get(fid),
            persons=persons[fid], facts=facts[fid], participants=everyone[fid],
            _shielded_ancestors={rid: frozenset(ids) for rid, ids in ancestors.items()},
        )
        access._attach_privacy([p.involvement for p in everyone[fid] if p.involvement is not None])
    return accesses


def select_visible_across(accesses: Iterable[Access], model: type[R]) -> Select[tuple[R]]:
    """SELECT of `model` narrowed, in each family, to what the viewer may see there: one
    statement for several families (rows are then admitted by their family's Access)."""
    from sqlalchemy import or_

    accesses = list(accesses)
    return select(model).where(or_(*(
        visible_filter(a.viewer, a.family_id) for a in accesses))).params(
        {key: value for a in accesses for key, value in moment(a.viewer, a.now).items()})


def took_part_before(session: Session, user: User, family_id: int) -> bool:
    """The user once took part in this family's plan and no longer does (their participation
    ended). About themselves only: what they may be told when the plan is closed to them."""
    return session.scalar(
        select(Participant.id).where(
            Participant.family_id == family_id, Participant.user_id == user.id,
            Participant.active.is_(False),
        ).limit(1)
    ) is not None


def access_for(session: Session, user: User, family_id: int) -> Access | None:
    """The user's access to one family's plan, or None when they take no part in it."""
    from sqlalchemy import and_

    from samenplan.domain.vocabulary import PlanPhase
    from samenplan.handover.models import Handover
    from samenplan.plans.models import Plan

    row = session.execute(
        select(Participant, Plan.phase, Handover)
        .outerjoin(Plan, Plan.family_id == Participant.family_id)
        .outerjoin(Handover, and_(Handover.family_id == Participant.family_id,
                                  Handover.switched_at.is_(None), Handover.cancelled_at.is_(None)))
        .where(
            Participant.family_id == family_id, Participant.user_id == user.id,
            Participant.active,
        ).options(joinedload(Participant.family))
    ).first()
    if row is None:
        return None
    participant, phase, handover = row
    act_as(session, user.id)  # the revisions of this request's changes are theirs
    access = Access(session=session, user=user, participant=participant)
    # the cached properties, at no cost
    access.__dict__.update(plan_closed=phase is PlanPhase.CLOSED, handover=handover)
    return access
