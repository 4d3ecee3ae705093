"""What a viewer sees of the joint analysis (domain/analysis.py): per step, the entries already
written in its section that this viewer may see, so going back (or a later round) shows what
was written and lets it be changed. Writing goes through the sections service (plans/sections.py)
like every entry of the plan; nothing here writes."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from samenplan.domain import analysis
from samenplan.domain.vocabulary import SectionKind
from samenplan.plans.models import PlanSection
from samenplan.plans.services import SectionEntry, section_entry
from samenplan.privacy.access import Access


@dataclass
class AnalysisView:
    #: step code -> the entries on the plan in its section that the viewer may see
    entries: dict[str, list[SectionEntry]] = field(default_factory=dict)

    def count(self, step: analysis.Step) -> int:
        return len(self.entries.get(step.code, []))


def load_analysis(access: Access, only: analysis.Step | None = None) -> AnalysisView:
    """The entries of the analysis' sections (or of one step's), in one query."""
    kinds = [s.section for s in analysis.STEPS if s.section is not None
             and (only is None or s is only)]
    found: dict[str, list[SectionEntry]] = defaultdict(list)
    if kinds:
        for record in access.load_visible(
            access.select_visible(PlanSection)
            .where(PlanSection.family_id == access.family_id, PlanSection.section.in_(kinds),
                   PlanSection.archived_at.is_(None))
            .order_by(PlanSection.position, PlanSection.id)
        ):
            step = analysis.step_of(SectionKind(record.section))
            found[step.code].append(section_entry(access, record))
    return AnalysisView(dict(found))
