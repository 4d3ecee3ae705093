"""Put a plan into the closed phase for a test. Helper B's closing service does this in the
app (with its final version); until it is merged, this sets `plan.phase` and appends the
PlanPhaseChange as that service would (the lead switches it to B's service at merge)."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select


def close_plan(app, family_id: int, *, days_ago: int = 0, by: str | None = None) -> int:
    """Close `family_id`'s plan `days_ago` days ago; returns the PlanPhaseChange id."""
    from samenplan import db
    from samenplan.auth.models import User
    from samenplan.domain.vocabulary import PlanPhase
    from samenplan.plans.models import Plan, PlanPhaseChange
    from tests.support.people import FATIMA

    with app.app_context():
        session = db.session()
        plan = session.scalar(select(Plan).where(Plan.family_id == family_id))
        user = session.scalar(select(User).where(User.email == (by or FATIMA)))
        change = PlanPhaseChange(plan_id=plan.id, old_phase=plan.phase, new_phase=PlanPhase.CLOSED,
                                 changed_at=datetime.utcnow() - timedelta(days=days_ago),
                                 changed_by_id=user.id if user is not None else None)
        plan.phase = PlanPhase.CLOSED
        session.add(change)
        session.commit()
        return change.id
