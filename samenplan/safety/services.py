"""The veiligheidsplan: its period and review date, its items (with the people they name, who
get a record grant for that item through the consent services: recorded at the table by the
casusregisseur, given by a family member who may consent, else asked for), per child when and
by whom it was explained, and the 0-10 safety scale. Each function checks the viewer's right
through the door (Access), logs, and commits once."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from samenplan.domain.ages import age_on, local_day
from samenplan.domain.i18n import _
from samenplan.domain.safety import check_period
from samenplan.domain.scaling import validate_score
from samenplan.domain.sections import is_child
from samenplan.domain.vocabulary import Category, Role, SafetyItemKind, SectionKind
from samenplan.families.models import Person
from samenplan.plans.models import Plan, PlanSection
from samenplan.privacy import policy
from samenplan.privacy import services as consent
from samenplan.privacy.access import Access, Widening  # noqa: F401 - the views catch it here
from samenplan.privacy.models import Consent
from samenplan.records.history import check_version, saving
from samenplan.safety.models import SafetyAnswer, SafetyExplanation, SafetyItem, SafetyPlan

#: the kind of information every item and every answer is (DESIGN §3)
CATEGORY = Category.VEILIGHEID
#: why a record grant for an item is there (shown with the consent)
PURPOSE = _("Staat in het veiligheidsplan")  # stored as written, translated where shown


class Invalid(Exception):
    """Input that cannot be saved; `field` is the form field it is about, the message (Dutch
    source text) is shown to the user."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class NotAllowed(Exception):
    """The viewer may not do this. Views answer 404, so nothing leaks."""


# --- who is who -------------------------------------------------------------------------------
def children(access: Access) -> list[Person]:
    today = local_day(access.now)
    return [p for p in access.persons if is_child(p.date_of_birth, today)]


def children_without_login(access: Access) -> list[Person]:
    """The children who take no part themselves: the casusregisseur may enter their answer."""
    with_login = {p.person_id for p in access.participants if p.person_id is not None}
    return [p for p in children(access) if p.id not in with_login]


def consenters(access: Access) -> list[Person]:
    """Who can say yes at the table for someone: the persons of 12 and older (a subject from
    12, a holder of authority); the age rules pick, per grant, whose yes it needs."""
    today = local_day(access.now)
    return [p for p in access.persons if age_on(p.date_of_birth, today) >= 12]


def safety_plan(access: Access) -> SafetyPlan | None:
    """The family's safety plan as a row (for writing under it), whether or not the viewer may
    read it; reading goes through the door (`reading.load_page`)."""
    return access.session.scalar(select(SafetyPlan).where(SafetyPlan.family_id == access.family_id))


def may_write(access: Access) -> bool:
    return access.may_create(policy.PLAN_SECTION)


def may_edit_item(access: Access, item: PlanSection) -> bool:
    return (isinstance(item, SafetyItem) and item.archived_at is None
            and access.can_edit(item, policy.PLAN_SECTION).allowed)


def may_edit_plan(access: Access, plan: SafetyPlan | None) -> bool:
    if plan is None:
        return may_write(access)
    return access.can_edit(plan, policy.PLAN_SECTION).allowed


# --- the plan: how long it applies, and its review date -----------------------------------
@dataclass
class PlanInput:
    applies_from: date | None
    applies_to: date | None
    review_on: date | None
    version: int | None = None


def _new_plan(access: Access) -> SafetyPlan:
    plan_id = access.session.scalar(select(Plan.id).where(Plan.family_id == access.family_id))
    plan = SafetyPlan(
        family_id=access.family_id, plan_id=plan_id, category=Category.ALGEMEEN,
        subjects=children(access) or list(access.persons),
        author_participant_id=access.participant.id, created_by_id=access.user.id,
        updated_by_id=access.user.id, created_at=access.now, updated_at=access.now,
    )
    access.session.add(plan)
    access.session.flush()
    access.queue(access.event("create", plan, policy.AUTHOR))
    return plan


def save_plan(access: Access, data: PlanInput) -> SafetyPlan:
    """Start the safety plan with its dates, or change them from the version the viewer saw
    (from an older one: Stale, the merge screen)."""
    problem = check_period(data.applies_from, data.applies_to, data.review_on)
    if problem is not None:
        raise Invalid(*problem)
    plan = safety_plan(access)
    if plan is None:
        if not may_write(access):
            raise NotAllowed("role may not write the safety plan")
        plan = _new_plan(access)
        plan.applies_from, plan.applies_to, plan.review_on = (
            data.applies_from, data.applies_to, data.review_on)
        access.session.commit()
        return plan
    decision = access.can_edit(plan, policy.PLAN_SECTION)
    if not decision.allowed:
        raise NotAllowed(decision.ground)
    check_version(plan, data.version)
    with saving(access.session, plan):
        plan.applies_from, plan.applies_to, plan.review_on = (
            data.applies_from, data.applies_to, data.review_on)
        plan.updated_by_id, plan.updated_at = access.user.id, access.now
        access.session.flush()
        access.queue(access.event("update", plan, decision))
        access.session.commit()
    return plan


# --- items --------------------------------------------------------------------------------
@dataclass
class ItemInput:
    item_kind: str
    title: str
    body: str
    subject_ids: list[int]
    named_participant_ids: list[int] = field(default_factory=list)
    named_others: str = ""
    # recorded at the table by the casusregisseur: who said yes to the named seeing the item
    consenter_ids: list[int] = field(default_factory=list)
    version: int | None = None  # the version the form was loaded at (None: a new item)


def _check_item(access: Access, data: ItemInput) -> tuple[SafetyItemKind, list[Person], list[int]]:
    kind = SafetyItemKind.parse(data.item_kind)
    if kind is None:
        raise Invalid("item_kind", _("Kies wat voor afspraak dit is."))
    wanted = set(data.subject_ids)
    subjects = [p for p in access.persons if p.id in wanted]
    if len(subjects) != len(wanted):
        raise Invalid("subjects", _("Kies alleen mensen uit dit gezin."))
    if not subjects:
        raise Invalid("subjects", _("Kies minstens één persoon."))
    if not (data.body or "").strip():
        raise Invalid("body", _("Schrijf de afspraak op."))
    known = {p.id for p in access.visible_participants}
    named = list(dict.fromkeys(data.named_participant_ids))
    if not set(named) <= known:
        raise Invalid("named", _("Deze persoon doet niet mee aan het plan."))
    family = {p.id for p in access.persons}
    if not set(data.consenter_ids) <= family:
        raise Invalid("consenters", _("Kies alleen mensen uit dit gezin."))
    if data.consenter_ids and not consent.may_record_at_table(access):
        raise Invalid("consenters", _("Alleen je vaste hulpverlener kan toestemming aan tafel opschrijven."))
    return kind, subjects, named


def _apply(item: SafetyItem, kind: SafetyItemKind, data: ItemInput, subjects: list[Person],
           named: list[int]) -> None:
    item.item_kind = kind
    item.title = (data.title or "").strip()[:300]
    item.body = data.body.strip()
    item.subjects = subjects
    item.category = CATEGORY
    item.named_participant_ids = named
    item.named_others = (data.named_others or "").strip()[:300]


def _item_grants(access: Access, item_id: int) -> list[Consent]:
    """The record grants of an item that still stand or wait (not revoked, not declined)."""
    return list(access.session.scalars(select(Consent).where(
        Consent.family_id == access.family_id, Consent.record_id == item_id,
        Consent.revoked_at.is_(None), Consent.declined_at.is_(None))))


def _grant_named(access: Access, item: SafetyItem, consenter_ids: list[int]) -> None:
    """For every participant the item names and every subject of the item, a record grant
    unless there is one already: recorded at the table when the casusregisseur ticked who said
    yes, else given by the viewer (a consenter) or asked for. The author needs none."""
    have = {(c.grantee_participant_id, c.subject_id) for c in _item_grants(access, item.id)}
    # who reads it already (the casusregisseur, a parent of a young child) needs no grant
    readers = {p.id for p in access.readers_of(access.record_facts(item))}
    ticked = set(consenter_ids)
    for participant_id in item.named_participant_ids:
        if participant_id == access.participant.id or participant_id in readers:
            continue
        for subject in item.subjects:
            if (participant_id, subject.id) in have:
                continue
            required = consent.consenters_for(access, subject, [CATEGORY])
            at_table = sorted(ticked & required) if consent.may_record_at_table(access) else []
            consent.add_grant(access, consent.GrantInput(
                subject_id=subject.id, grantee=f"participant:{participant_id}", categories=[],
                purpose=PURPOSE, end_at=None, how="tafel" if at_table else "app",
                consenter_ids=at_table, record_id=item.id,
            ))


def _end_grants_of_unnamed(access: Access, item: SafetyItem) -> None:
    """Whom the item no longer names loses its record grant; only who may revoke it (a
    consenter, the casusregisseur) can take someone out."""
    still = set(item.named_participant_ids)
    for grant in _item_grants(access, item.id):
        if grant.grantee_participant_id is None or grant.grantee_participant_id in still:
            continue
        if not consent.may_revoke(access, grant):
            raise Invalid("named", _("Alleen wie toestemming gaf, of je vaste hulpverlener, kan "
                                     "iemand uit deze afspraak halen."))
        consent.end_grant(access, grant, grant.version)


def create_item(access: Access, data: ItemInput) -> SafetyItem:
    if not may_write(access):
        raise NotAllowed("role may not write in the safety plan")
    kind, subjects, named = _check_item(access, data)
    plan = safety_plan(access) or _new_plan(access)
    plan_id = access.session.scalar(select(Plan.id).where(Plan.family_id == access.family_id))
    last = access.session.scalar(select(func.max(PlanSection.position)).where(
        PlanSection.plan_id == plan_id, PlanSection.section == SectionKind.SAFETY_PLAN))
    item = SafetyItem(
        family_id=access.family_id, plan_id=plan_id, safety_plan_id=plan.id,
        section=SectionKind.SAFETY_PLAN, position=(last or 0) + 1,
        author_participant_id=access.participant.id, created_by_id=access.user.id,
        updated_by_id=access.user.id, created_at=access.now, updated_at=access.now,
    )
    _apply(item, kind, data, subjects, named)
    access.session.add(item)
    access.session.flush()
    access.queue(access.event("create", item, policy.AUTHOR))
    _grant_named(access, item, data.consenter_ids)
    access.session.commit()
    return item


def _require_edit(access: Access, item: PlanSection) -> policy.Decision:
    decision = access.can_edit(item, policy.PLAN_SECTION)
    if not isinstance(item, SafetyItem) or not decision.allowed or item.archived_at is not None:
        raise NotAllowed(decision.ground)
    return decision


def update_item(access: Access, item: SafetyItem, data: ItemInput) -> SafetyItem:
    """A change from the version the viewer saw (`data.version`): from an older one nothing is
    saved (Stale: the merge screen); other subjects that let new people read it, by someone who
    may not consent for every subject, neither (Widening). Naming someone new asks for (or
    records) their record grant; taking someone out ends theirs."""
    decision = _require_edit(access, item)
    check_version(item, data.version)
    kind, subjects, named = _check_item(access, data)
    access.refuse_widening(item, [p.id for p in subjects], CATEGORY)
    with saving(access.session, item):
        _apply(item, kind, data, subjects, named)
        item.updated_by_id, item.updated_at = access.user.id, access.now
        access.session.flush()  # the item first: a newer version stops the save here
        access.queue(access.event("update", item, decision))
        _end_grants_of_unnamed(access, item)
        _grant_named(access, item, data.consenter_ids)
        access.session.commit()
    return item


# --- explained to the children ------------------------------------------------------------
@dataclass
class ExplanationInput:
    child_id: int | None
    explained_on: date | None
    explained_by: str
    note: str = ""
    version: int | None = None


def _check_explanation(access: Access, data: ExplanationInput) -> Person:
    """The child it was explained to (of this family), and a date and who explained it."""
    child = next((p for p in children(access) if p.id == data.child_id), None)
    if child is None:
        raise Invalid("child_id", _("Kies een kind uit dit gezin."))
    if data.explained_on is None:
        raise Invalid("explained_on", _("Zet erbij wanneer het is uitgelegd."))
    if data.explained_on > local_day(access.now):
        raise Invalid("explained_on", _("Deze datum ligt in de toekomst."))
    if not (data.explained_by or "").strip():
        raise Invalid("explained_by", _("Schrijf op wie het heeft uitgelegd."))
    return child


def _apply_explanation(explanation: SafetyExplanation, child: Person,
                       data: ExplanationInput) -> None:
    explanation.child_id = child.id
    explanation.explained_on = data.explained_on
    explanation.explained_by = data.explained_by.strip()[:200]
    explanation.note = (data.note or "").strip()[:2000]


def add_explanation(access: Access, data: ExplanationInput) -> SafetyExplanation:
    """When and by whom the plan was explained to one child; it is read by who may read the
    safety plan (its privacy is the plan's)."""
    plan = safety_plan(access)
    if not may_write(access) or plan is None or access.get(SafetyPlan, plan.id) is None:
        raise NotAllowed("no safety plan this viewer may write under")
    child = _check_explanation(access, data)
    explanation = SafetyExplanation(
        family_id=access.family_id, safety_plan_id=plan.id,
        author_participant_id=access.participant.id, created_by_id=access.user.id,
        updated_by_id=access.user.id, created_at=access.now, updated_at=access.now,
    )
    _apply_explanation(explanation, child, data)
    explanation.inherit_privacy_from(plan)
    access.session.add(explanation)
    access.session.flush()
    access.queue(access.event("create", explanation, policy.AUTHOR))
    access.session.commit()
    return explanation


def may_edit_explanation(access: Access, explanation: SafetyExplanation) -> bool:
    return may_write(access) and access.can_edit(explanation, policy.PLAN_SECTION).allowed


def update_explanation(access: Access, explanation: SafetyExplanation,
                       data: ExplanationInput) -> SafetyExplanation:
    """A correction of when, by whom or to which child it was explained, from the version the
    viewer saw (`data.version`): from an older one nothing is saved (Stale: the merge screen).
    Its privacy stays the safety plan's."""
    if not may_edit_explanation(access, explanation):
        raise NotAllowed("may not change this explanation")
    decision = access.can_edit(explanation, policy.PLAN_SECTION)
    check_version(explanation, data.version)
    child = _check_explanation(access, data)
    with saving(access.session, explanation):
        _apply_explanation(explanation, child, data)
        explanation.updated_by_id, explanation.updated_at = access.user.id, access.now
        access.session.flush()  # a newer version stops the save here
        access.queue(access.event("update", explanation, decision))
        access.session.commit()
    return explanation


# --- the safety scale ---------------------------------------------------------------------
SELF = "zelf"


def answer(access: Access, respondent: str, score: object, note: str = "") -> SafetyAnswer:
    """An answer on the 0-10 safety scale, given today: by the viewer for themself
    (`respondent` "zelf"), or by the casusregisseur for a child without a login
    ("person:<id>", marked as entered for them). Nobody answers for anyone else."""
    plan = safety_plan(access)
    if plan is None:
        raise Invalid("score", _("Er is nog geen veiligheidsplan."))
    try:
        value = validate_score(score)
    except ValueError as exc:
        raise Invalid("score", str(exc)) from None
    participant_id = person_id = None
    if respondent == SELF:
        participant_id = access.participant.id
    else:
        kind, _sep, raw = (respondent or "").partition(":")
        child = next((p for p in children_without_login(access)
                      if kind == "person" and str(p.id) == raw), None)
        if child is None or access.viewer.role is not Role.CASUSREGISSEUR:
            raise Invalid("respondent", _("Je kunt alleen voor jezelf antwoorden."))
        person_id = child.id
    record = SafetyAnswer(
        family_id=access.family_id, safety_plan_id=plan.id, score=value,
        respondent_participant_id=participant_id, respondent_person_id=person_id,
        answered_on=local_day(access.now), note=(note or "").strip()[:1000],
        category=CATEGORY, subjects=children(access) or list(access.persons),
        author_participant_id=access.participant.id, created_by_id=access.user.id,
        updated_by_id=access.user.id, created_at=access.now, updated_at=access.now,
    )
    access.session.add(record)
    access.session.flush()
    access.queue(access.event("create", record, policy.AUTHOR))
    access.session.commit()
    return record
