"""Satisfaction totals for professionals: never a list, never one family. A group of closed
families is shown only when at least 5 distinct families in it answered; otherwise "Nog te
weinig gezinnen". The groups: per organisation the viewer works for, the closed families in
which a professional of that organisation took part; and the closed families the viewer
chaired. The chaired group is a subgroup of their organisation's: to keep one family from
being worked out by subtracting the two, it is shown only when the rest of every organisation
group around it is 0 or at least 5 families too.

Known limit: totals over time. A group of 5 families today and 6 tomorrow lets someone who
saw both subtract and learn the sixth family's answers. Grades are rounded to one decimal and
only whole counts are shown, which does not prevent it; a fix needs totals per fixed period
(e.g. per quarter, shown once closed). Cross-family by nature, so not read through one
family's door: the only data read are the grades and codes, counted here."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select

from samenplan.domain.vocabulary import PlanPhase, Role, SatisfactionQuestion, SatisfactionReply
from samenplan.families.models import Participant
from samenplan.orgs.models import Organisation
from samenplan.plans.models import Plan
from samenplan.satisfaction.models import SatisfactionAnswer

MIN_FAMILIES = 5
PROFESSIONAL_ROLES = (Role.PROFESSIONAL, Role.CASUSREGISSEUR)


@dataclass
class Totals:
    name: str
    families: int  # distinct families that answered
    shown: bool = False
    average: float | None = None
    answers: int = 0
    counts: dict[SatisfactionQuestion, dict[SatisfactionReply, int]] = field(default_factory=dict)


def _closed_families(session, *conditions) -> set[int]:
    return set(session.scalars(
        select(Participant.family_id).join(Plan, Plan.family_id == Participant.family_id)
        .where(Plan.phase == PlanPhase.CLOSED, Participant.role.in_(PROFESSIONAL_ROLES),
               *conditions).distinct()))


def _totals(name: str, answers: list[SatisfactionAnswer]) -> Totals:
    families = {a.family_id for a in answers}
    result = Totals(name, len(families))
    if len(families) < MIN_FAMILIES:
        return result
    result.shown = True
    result.answers = len(answers)
    result.average = round(sum(a.grade for a in answers) / len(answers), 1)
    for question in SatisfactionQuestion:
        counted = Counter((a.replies or {}).get(question.value) for a in answers)
        result.counts[question] = {r: counted.get(r.value, 0) for r in SatisfactionReply}
    return result


def hidden(totals: Totals) -> Totals:
    return Totals(totals.name, totals.families)


def totals(session, user, chaired_name: str) -> list[Totals]:
    """The groups the user may see totals of (a professional of an organisation, a chair)."""
    mine = list(session.scalars(select(Participant).where(
        Participant.user_id == user.id, Participant.role.in_(PROFESSIONAL_ROLES))))
    org_ids = sorted({p.organisation_id for p in mine if p.organisation_id is not None})
    groups: list[tuple[str, set[int]]] = []
    for org in session.scalars(select(Organisation).where(Organisation.id.in_(org_ids))
                               .order_by(Organisation.name)):
        groups.append((org.name, _closed_families(session, Participant.organisation_id == org.id)))
    chaired = _closed_families(session, Participant.user_id == user.id,
                               Participant.role == Role.CASUSREGISSEUR)
    wanted = set().union(chaired, *(g for _n, g in groups))
    answers = list(session.scalars(select(SatisfactionAnswer).where(
        SatisfactionAnswer.family_id.in_(wanted)).order_by(SatisfactionAnswer.id))) if wanted else []
    answered = {a.family_id for a in answers}
    result = [_totals(name, [a for a in answers if a.family_id in fams]) for name, fams in groups]
    if chaired or not groups:
        chair = _totals(chaired_name, [a for a in answers if a.family_id in chaired])
        for _name, fams in groups:
            rest = len((fams - chaired) & answered)
            if fams & chaired and 0 < rest < MIN_FAMILIES:
                chair = hidden(chair)
        result.append(chair)
    return result
