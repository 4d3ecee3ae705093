"""How the plan's phase is shown (templates/plans/_phase.html, on the plan page): running plans
show nothing; a paused plan says until when and why; a closed one since when, with the final
report. The reason is the family's `algemeen` information about the plan as a whole: shown to
every participant of the plan (anyone who reads the plan page), never outside it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from samenplan.closure import services
from samenplan.domain.vocabulary import PlanPhase
from samenplan.plans.models import Plan
from samenplan.privacy.access import Access


@dataclass(frozen=True)
class PhaseLine:
    phase: PlanPhase
    since: datetime | None
    reason: str
    look_again_on: date | None
    final_evaluation_id: int | None
    may_change: bool  # the casusregisseur: pause, resume, reopen, close


def phase_line(access: Access, plan: Plan) -> PhaseLine | None:
    """None for a running plan (no query: the plan page's budget)."""
    if plan.phase is PlanPhase.RUNNING:
        return None
    change = services.last_change(plan)
    return PhaseLine(
        phase=plan.phase, since=change.changed_at if change else None,
        reason=change.reason if change else "",
        look_again_on=change.look_again_on if change else None,
        final_evaluation_id=services.final_report(access, plan),
        may_change=services.is_chair(access),
    )
