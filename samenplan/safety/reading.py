"""What a viewer sees of the veiligheidsplan: the plan's dates and its review warning, the items
they may see (each with who it names and whether that person can see it yet), when and by whom
it was explained to each child, and the safety scale's answers with a trend per respondent.
A fixed number of queries however many items or answers."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import selectin_polymorphic, selectinload

from samenplan.domain.ages import local_day
from samenplan.domain.i18n import _ as _mark
from samenplan.domain.safety import ReviewWarning, review_warning
from samenplan.domain.scaling import trend
from samenplan.domain.vocabulary import Role, SafetyItemKind, SectionKind
from samenplan.goals.reading import HistoryEntry, MergeRow, form_merge_rows, load_history
from samenplan.plans.models import PlanSection
from samenplan.privacy import loader, policy
from samenplan.privacy import services as consent_services
from samenplan.privacy.access import Access, Audience
from samenplan.privacy.models import Consent
from samenplan.safety import services
from samenplan.safety.models import SafetyAnswer, SafetyExplanation, SafetyItem, SafetyPlan
from samenplan.web import participant_name


@dataclass(frozen=True)
class Named:
    """One participant an item names, and whether they can read the item yet."""

    name: str
    sees: bool
    waiting_for: list[str] = field(default_factory=list)  # first names of missing consenters


@dataclass(frozen=True)
class ItemView:
    record: PlanSection
    audience: Audience
    may_edit: bool = False
    named: list[Named] = field(default_factory=list)

    @property
    def kind(self) -> SafetyItemKind | None:
        return self.record.item_kind if isinstance(self.record, SafetyItem) else None

    @property
    def named_others(self) -> str:
        return self.record.named_others if isinstance(self.record, SafetyItem) else ""


@dataclass(frozen=True)
class Respondent:
    """One respondent's answers on the safety scale (oldest first), and their trend."""

    name: str
    answers: list[SafetyAnswer]
    entered_for: bool = False  # a child's answers, entered by the casusregisseur

    @property
    def trend(self):
        return trend([a.score for a in self.answers])

    @property
    def latest(self) -> SafetyAnswer:
        return self.answers[-1]

    @property
    def chart_series(self) -> tuple[str, list[tuple[date, int]]]:
        return self.name, [(a.answered_on, a.score) for a in self.answers]


@dataclass
class SafetyPage:
    plan: SafetyPlan | None
    items: list[ItemView]
    explanations: list[SafetyExplanation]
    respondents: list[Respondent]
    review: ReviewWarning | None = None
    may_add: bool = False
    may_edit_plan: bool = False
    may_explain: bool = False
    # whom the viewer may answer for: "zelf", and for the casusregisseur the children without
    # a login, as (value, name)
    answer_for: list[tuple[str, str]] = field(default_factory=list)
    shows_explanations: bool = False


def load_page(access: Access) -> SafetyPage:
    plans = access.load_visible(access.select_visible(SafetyPlan)
                                .where(SafetyPlan.family_id == access.family_id))
    plan = plans[0] if plans else None
    entries = access.load_visible(
        access.select_visible(PlanSection)
        .where(PlanSection.family_id == access.family_id,
               PlanSection.section == SectionKind.SAFETY_PLAN, PlanSection.archived_at.is_(None))
        .options(selectin_polymorphic(PlanSection, [SafetyItem]))
        .order_by(PlanSection.position, PlanSection.id))
    grants = _grants(access, [e.id for e in entries])
    items = [item_view(access, e, grants.get(e.id, [])) for e in entries]
    explanations, answers = [], []
    if plan is not None:
        below = access.load_visible(
            access.select_visible(SafetyExplanation)
            .where(SafetyExplanation.safety_plan_id == plan.id))
        explanations = sorted(below, key=lambda e: (e.explained_on, e.id))
    some_plan = services.safety_plan(access) if plan is None else plan
    if some_plan is not None:
        answers = access.load_visible(
            access.select_visible(SafetyAnswer).where(SafetyAnswer.safety_plan_id == some_plan.id))
    return SafetyPage(
        plan=plan, items=items, explanations=explanations, respondents=respondents(access, answers),
        review=review_warning(plan.review_on, local_day(access.now)) if plan else None,
        may_add=services.may_write(access),
        may_edit_plan=services.may_edit_plan(access, plan) if plan or some_plan is None else False,
        may_explain=plan is not None and services.may_write(access),
        answer_for=answer_for(access) if some_plan is not None else [],
        shows_explanations=shows_explanations(access),
    )


def shows_explanations(access: Access) -> bool:
    """When and by whom the plan was explained to the children is for the family and the
    casusregisseur (the page, the correction and its history)."""
    return access.viewer.role in (Role.FAMILY, Role.CASUSREGISSEUR)


def answer_for(access: Access) -> list[tuple[str, str]]:
    """Whom the viewer may answer the safety scale for, as (value, name): themself, and for
    the casusregisseur each child without a login (entered for them, marked as such)."""
    found = [(services.SELF, gettext("Ik zelf"))]
    if access.viewer.role is Role.CASUSREGISSEUR:
        found += [(f"person:{p.id}", gettext("%(name)s (jij vult het in voor %(name)s)", name=p.first_name))
                  for p in services.children_without_login(access)]
    return found


def _grants(access: Access, item_ids: list[int]) -> dict[int, list[Consent]]:
    """The record grants of these items that stand or wait, by item (one query)."""
    if not item_ids:
        return {}
    found: dict[int, list[Consent]] = {}
    for grant in access.session.scalars(select(Consent).where(
            Consent.family_id == access.family_id, Consent.record_id.in_(item_ids),
            Consent.revoked_at.is_(None), Consent.declined_at.is_(None))
            .options(selectinload(Consent.categories), selectinload(Consent.approvals),
                     selectinload(Consent.organisation_approvals))):
        # a consent says something of its own: only whom the policy lets see it
        if policy.can_see_consent(access.viewer, loader.grant_facts(grant), access.facts,
                                  access.now).allowed:
            found.setdefault(grant.record_id, []).append(grant)
    return found


def item_view(access: Access, item: PlanSection, grants: list[Consent]) -> ItemView:
    named = []
    if isinstance(item, SafetyItem):
        readers = {p.id for p in access.readers_of(access.record_facts(item))}
        by_id = {p.id: p for p in access.participants}
        names = {p.id: p.first_name for p in access.persons}
        for participant_id in item.named_participant_ids:
            participant = by_id.get(participant_id)
            if participant is None or not access.sees_participant(participant):
                continue  # left the plan, or someone the viewer may not know of
            missing: set[int] = set()
            for grant in grants:
                if grant.grantee_participant_id == participant_id:
                    missing |= consent_services.consent_status(access, grant).missing
            waiting = [names[i] for i in names if i in missing]
            named.append(Named(participant_name(access, participant), participant_id in readers,
                               waiting))
    return ItemView(item, access.audience(item), may_edit=services.may_edit_item(access, item),
                    named=named)


def respondents(access: Access, answers: list[SafetyAnswer]) -> list[Respondent]:
    """Each respondent's answers the viewer may see, oldest first: participants by their name
    as the viewer may know it, a child entered by the casusregisseur by first name."""
    by_id = {p.id: p for p in access.participants}
    names = {p.id: p.first_name for p in access.persons}
    grouped: dict[tuple[str, int], list[SafetyAnswer]] = {}
    for a in sorted(answers, key=lambda a: (a.answered_on, a.id)):
        key = ("person", a.respondent_person_id) if a.respondent_person_id else (
            "participant", a.respondent_participant_id)
        grouped.setdefault(key, []).append(a)
    found = []
    for (kind, key_id), items in grouped.items():
        if kind == "person":
            found.append(Respondent(names.get(key_id, "?"), items, entered_for=True))
        elif key_id in by_id:
            found.append(Respondent(participant_name(access, by_id[key_id]), items))
    return found


# --- history and merge of an item ---------------------------------------------------------
ITEM_FIELD_LABELS = {
    "item_kind": _mark("Soort afspraak"), "title": _mark("Kop"), "body": _mark("Afspraak"),
    "subjects": _mark("Over wie"), "named_participant_ids": _mark("Wie doet mee"),
    "named_others": _mark("Andere mensen"), "archived_at": _mark("Op het plan"),
}
PLAN_FIELD_LABELS = {
    "applies_from": _mark("Geldt vanaf"), "applies_to": _mark("Geldt tot"),
    "review_on": _mark("Opnieuw bekijken op"),
}

EXPLANATION_FIELD_LABELS = {
    "child_id": _mark("Aan welk kind"), "explained_on": _mark("Wanneer"),
    "explained_by": _mark("Wie legde het uit"), "note": _mark("Wat erover gezegd is"),
}


def item_history(access: Access, item: SafetyItem) -> list[HistoryEntry]:
    return load_history(access, item, ITEM_FIELD_LABELS)


def plan_history(access: Access, plan: SafetyPlan) -> list[HistoryEntry]:
    return load_history(access, plan, PLAN_FIELD_LABELS)


def explanation_history(access: Access, explanation: SafetyExplanation) -> list[HistoryEntry]:
    return load_history(access, explanation, EXPLANATION_FIELD_LABELS)


def explanation_merge_rows(explanation: SafetyExplanation, form) -> list[MergeRow]:
    return form_merge_rows(form, {
        "child_id": explanation.child_id, "explained_on": explanation.explained_on,
        "explained_by": explanation.explained_by or "", "note": explanation.note or "",
    })


def item_merge_rows(item: SafetyItem, form) -> list[MergeRow]:
    return form_merge_rows(form, {
        "item_kind": item.item_kind, "title": item.title or "", "body": item.body or "",
        "subjects": [p.id for p in item.effective_subjects],
        "named": list(item.named_participant_ids or []), "named_others": item.named_others or "",
    })


def plan_merge_rows(plan: SafetyPlan, form) -> list[MergeRow]:
    return form_merge_rows(form, {"applies_from": plan.applies_from, "applies_to": plan.applies_to,
                                  "review_on": plan.review_on})


def in_words(access: Access, field_name: str, value) -> str:
    """A revised value of an item or the plan in words (the goals' `in_words` for the rest)."""
    from flask_babel import format_date

    from samenplan.goals.reading import in_words as goal_words

    if field_name == "item_kind" and SafetyItemKind.parse(value) is not None:
        return gettext(SafetyItemKind(value).label)
    if field_name == "named_participant_ids":
        by_id = {p.id: p for p in access.participants}
        shown = [participant_name(access, by_id[i]) for i in value or [] if i in by_id]
        return ", ".join(shown) or gettext("(leeg)")
    if field_name == "child_id":
        by_id = {p.id: p for p in access.persons}
        return by_id[value].first_name if value in by_id else gettext("(leeg)")
    if field_name in ("applies_from", "applies_to", "review_on", "explained_on"):
        return format_date(date.fromisoformat(value), "d MMMM yyyy") if value else gettext("(leeg)")
    return goal_words(access, field_name, value)
