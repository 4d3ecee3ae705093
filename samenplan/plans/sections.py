"""Entries of the plan's sections (perspectief, waar het kind opgroeit, wat gaat goed, zorgen,
wat we zelf doen, hulp die nodig is, and the others): written, changed and taken off the plan,
each checked against the policy through the door (Access), recorded with who and when, logged
in the audit trail, and committed here. Every entry is a record: subjects, a category, a
version and a history (records/history.py writes its revisions)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from samenplan.domain.ages import local_day
from samenplan.domain.i18n import _
from samenplan.domain.sections import is_child
from samenplan.domain.vocabulary import Category, RelapseLine, SectionKind
from samenplan.families.models import Person
from samenplan.plans.models import Plan, PlanSection
from samenplan.privacy import policy
from samenplan.privacy.access import Access, Widening  # noqa: F401 - the views catch it here
from samenplan.records.history import check_version, saving


class Invalid(Exception):
    """Input that cannot be saved; `field` is the form field it is about, the message (Dutch
    source text) is shown to the user."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class NotAllowed(Exception):
    """The viewer may not do this. Views answer 404, so nothing leaks about the entry."""


@dataclass
class SectionInput:
    title: str
    body: str
    subject_ids: list[int]
    category: str
    horizon_date: date | None = None
    still_to_find: bool = False
    version: int | None = None  # the version the form was loaded at (None: a new entry)
    # terugvalpreventie: the kind of line (a RelapseLine code), and a phone for "wie we bellen"
    relapse_line: str = ""
    phone: str = ""


#: a phone number as people write it: digits, spaces, dashes, brackets, a leading +
PHONE = re.compile(r"^\+?[0-9 ()\-]{6,30}$")


def phone_digits(phone: str | None) -> str:
    """A phone number as a `tel:` link dials it: its digits, and a leading + if it has one."""
    if not phone:
        return ""
    digits = re.sub(r"[^0-9]", "", phone)
    return f"+{digits}" if phone.strip().startswith("+") else digits


def _subjects(access: Access, ids: list[int]) -> list[Person]:
    wanted = set(ids)
    persons = [p for p in access.persons if p.id in wanted]
    if len(persons) != len(wanted):
        raise NotAllowed("subject outside this family")
    return persons


def _check(access: Access, kind: SectionKind, data: SectionInput) -> list[Person]:
    subjects = _subjects(access, data.subject_ids)
    if not subjects:
        raise Invalid("subjects", _("Kies minstens één persoon."))
    if Category.parse(data.category) is None:
        raise Invalid("category", _("Kies wat voor informatie dit is. Dat bepaalt wie het mag zien."))
    if not (data.body or "").strip():
        raise Invalid("body", _("Schrijf iets op."))
    if kind.per_child:
        today = local_day(access.now)
        if len(subjects) != 1 or not is_child(subjects[0].date_of_birth, today):
            raise Invalid("subjects", _("Kies één kind. Dit stuk gaat over waar dat kind opgroeit."))
        if data.horizon_date is None:
            raise Invalid("horizon_date", _("Zet erbij wanneer duidelijk moet zijn waar het kind opgroeit."))
    if kind.is_relapse_plan:
        line = RelapseLine.parse(data.relapse_line)
        if line is None:
            raise Invalid("relapse_line", _("Kies wat voor regel dit is."))
        phone = (data.phone or "").strip()
        if phone and not line.may_have_phone:
            raise Invalid("phone", _("Een telefoonnummer hoort bij ‘Wie we bellen’."))
        if phone and (not PHONE.match(phone) or len(phone_digits(phone)) < 6):
            raise Invalid("phone", _("Schrijf het telefoonnummer met cijfers, zoals 06 12345678."))
    return subjects


def _apply(section: PlanSection, kind: SectionKind, data: SectionInput, subjects: list[Person]) -> None:
    section.title = (data.title or "").strip()[:300]
    section.body = data.body.strip()
    section.subjects = subjects
    section.category = Category(data.category)
    section.horizon_date = data.horizon_date if kind.per_child else None
    section.still_to_find = bool(data.still_to_find) if kind.may_be_still_to_find else False
    section.relapse_line = RelapseLine(data.relapse_line) if kind.is_relapse_plan else None
    section.phone = ((data.phone or "").strip() or None) if kind.is_relapse_plan else None


def may_add(access: Access) -> bool:
    return access.may_create(policy.PLAN_SECTION)


def may_edit(access: Access, section: PlanSection) -> bool:
    return section.archived_at is None and access.can_edit(section, policy.PLAN_SECTION).allowed


def create_section(access: Access, kind: SectionKind, data: SectionInput) -> PlanSection:
    if not may_add(access):
        raise NotAllowed("role may not write in the plan's sections")
    subjects = _check(access, kind, data)
    plan = access.session.scalar(select(Plan).where(Plan.family_id == access.family_id))
    last = access.session.scalar(select(func.max(PlanSection.position)).where(
        PlanSection.plan_id == plan.id, PlanSection.section == kind))
    section = PlanSection(
        family_id=access.family_id, plan_id=plan.id, section=kind, position=(last or 0) + 1,
        author_participant_id=access.participant.id, created_by_id=access.user.id,
        updated_by_id=access.user.id, created_at=access.now, updated_at=access.now,
    )
    _apply(section, kind, data, subjects)
    access.session.add(section)
    access.session.flush()
    access.queue(access.event("create", section, policy.AUTHOR))
    access.session.commit()
    return section


def _require_edit(access: Access, section: PlanSection) -> policy.Decision:
    decision = access.can_edit(section, policy.PLAN_SECTION)
    if not decision.allowed or section.archived_at is not None:
        raise NotAllowed(decision.ground)
    return decision


def update_section(access: Access, section: PlanSection, data: SectionInput) -> PlanSection:
    """A change from the version the viewer saw (`data.version`): from an older one nothing is
    saved (Stale: the merge screen); a change that lets new people read it, by someone who may
    not consent for every subject, neither (Widening)."""
    decision = _require_edit(access, section)
    check_version(section, data.version)
    subjects = _check(access, section.section, data)
    access.refuse_widening(section, [p.id for p in subjects], data.category)
    with saving(access.session, section):
        _apply(section, section.section, data, subjects)
        section.updated_by_id, section.updated_at = access.user.id, access.now
        access.session.flush()  # the entry first: a newer version stops the save here
        access.queue(access.event("update", section, decision))
        access.session.commit()
    return section


def archive_section(access: Access, section: PlanSection, version: int | None) -> None:
    """Take an entry off the plan, from the version the viewer saw; it is kept, with its history."""
    decision = _require_edit(access, section)
    check_version(section, version)
    with saving(access.session, section):
        section.archived_at = access.now
        section.updated_by_id, section.updated_at = access.user.id, access.now
        access.session.flush()
        access.queue(access.event("update", section, decision, params={"archived": True}))
        access.session.commit()
