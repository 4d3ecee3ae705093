"""Holding an evaluation through its forms, as the casusregisseur's browser would (issue 12
items 3-5): each part of the agenda is its own form, whose fields carry the goal's prefix
("doel-<id>-level"), the CSRF token too."""
from __future__ import annotations

from sqlalchemy import func, select

from tests.support.clients import csrf_token, db_session
from tests.support.clients import page as text_of
from tests.support.pages import form_version


def evaluation_url(family_id: int, evaluation_id: int, rest: str = "") -> str:
    return f"/gezin/{family_id}/evaluaties/{evaluation_id}{rest}"


def next_evaluation_id(app, family_id: int) -> int:
    from samenplan.evaluations.models import Evaluation

    with db_session(app) as session:
        return session.scalar(select(Evaluation.id).where(
            Evaluation.family_id == family_id, Evaluation.status == "gepland")
            .order_by(Evaluation.starts_at))


def held_evaluation_ids(app, family_id: int) -> list[int]:
    from samenplan.evaluations.models import Evaluation

    with db_session(app) as session:
        return list(session.scalars(select(Evaluation.id).where(
            Evaluation.family_id == family_id, Evaluation.status == "gehouden")
            .order_by(Evaluation.starts_at)))


def start_holding(client, family_id: int, evaluation_id: int):
    html = text_of(client.get(evaluation_url(family_id, evaluation_id)))
    return client.post(evaluation_url(family_id, evaluation_id, "/houden"),
                       data={"csrf_token": csrf_token(html), "version": form_version(html)})


def hold_page(client, family_id: int, evaluation_id: int) -> str:
    return text_of(client.get(evaluation_url(family_id, evaluation_id, "/houden")))


def post_part(client, family_id: int, evaluation_id: int, rest: str, prefix: str | None,
              html: str, **fields):
    """Post one part of the agenda: `fields` by their names without the prefix."""
    token = csrf_token(html)
    data = {"csrf_token": token}
    if prefix:
        data[f"{prefix}-csrf_token"] = token
    data |= {(f"{prefix}-{name}" if prefix else name): value for name, value in fields.items()}
    return client.post(evaluation_url(family_id, evaluation_id, rest), data=data)


def close_evaluation(client, family_id: int, evaluation_id: int):
    html = hold_page(client, family_id, evaluation_id)
    version = html.split('action="' + evaluation_url(family_id, evaluation_id, "/afsluiten"))[1]
    return client.post(evaluation_url(family_id, evaluation_id, "/afsluiten"), data={
        "csrf_token": csrf_token(html), "version": form_version(version)})


def version_rows(app) -> list[tuple]:
    """Every plan version and entry as stored (for proving that nothing changes them)."""
    from samenplan.evaluations.models import PlanVersion, PlanVersionEntry

    with db_session(app) as session:
        versions = [tuple(row) for row in session.execute(select(
            PlanVersion.id, PlanVersion.family_id, PlanVersion.number, PlanVersion.evaluation_id,
            PlanVersion.frozen_at, PlanVersion.frozen_by_id).order_by(PlanVersion.id))]
        entries = [tuple(row) for row in session.execute(select(
            PlanVersionEntry.plan_version_id, PlanVersionEntry.record_id, PlanVersionEntry.kind,
            PlanVersionEntry.record_version).order_by(
                PlanVersionEntry.plan_version_id, PlanVersionEntry.record_id))]
        return versions + entries


def version_count(app, family_id: int) -> int:
    from samenplan.evaluations.models import PlanVersion

    with db_session(app) as session:
        return session.scalar(select(func.count(PlanVersion.id)).where(
            PlanVersion.family_id == family_id))
