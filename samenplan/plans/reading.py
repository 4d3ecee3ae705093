"""What a viewer sees of one plan-section entry besides the plan page: its history and the
merge screen's rows. The goal's history and merge reading serve every kind of record
(goals/reading.py); here only what is the entry's own: its fields' names."""
from __future__ import annotations

from samenplan.domain.i18n import _ as _mark
from samenplan.goals.reading import HistoryEntry, MergeRow, form_merge_rows, load_history
from samenplan.plans.models import PlanSection
from samenplan.privacy.access import Access

#: the revised fields of an entry as "Wat is er veranderd?" names them
SECTION_FIELD_LABELS = {
    "title": _mark("Kop"), "body": _mark("Tekst"), "subjects": _mark("Over wie"),
    "category": _mark("Soort informatie"), "horizon_date": _mark("Duidelijk op"),
    "still_to_find": _mark("Hulp nog te vinden"), "archived_at": _mark("Op het plan"),
    "relapse_line": _mark("Soort regel"), "phone": _mark("Telefoonnummer"),
}


def section_history(access: Access, section: PlanSection) -> list[HistoryEntry]:
    return load_history(access, section, SECTION_FIELD_LABELS)


def section_merge_rows(section: PlanSection, form) -> list[MergeRow]:
    """The entry as saved now next to what was typed (for the merge screen)."""
    theirs: dict[str, object] = {
        "title": section.title or "", "body": section.body or "",
        "subjects": [p.id for p in section.effective_subjects],
        "category": section.effective_category,
    }
    if section.section.per_child:
        theirs["horizon_date"] = section.horizon_date
    if section.section.may_be_still_to_find:
        theirs["still_to_find"] = section.still_to_find
    if section.section.is_relapse_plan:
        theirs["relapse_line"] = section.relapse_line
        theirs["phone"] = section.phone or ""
    return form_merge_rows(form, theirs)
