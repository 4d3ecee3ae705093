"""The network page's view model: the entries the viewer may see (filtered in SQL), each with
what the viewer may do with it and who reads it."""
from __future__ import annotations

from dataclasses import dataclass

from samenplan.domain.i18n import _ as _mark
from samenplan.charts import MapMember
from samenplan.domain.vocabulary import ContactEffect, SupportKind
from samenplan.network import services
from samenplan.network.models import NetworkMember
from samenplan.privacy.access import Access, Audience

FIELD_LABELS = {  # for "Wat is er veranderd?" (gettext at render)
    "name": _mark("Naam"), "relation": _mark("Wie is het voor jullie?"), "subjects": _mark("Voor wie"),
    "category": _mark("Soort informatie"), "effect": _mark("Helpt het contact?"), "gives_now": _mark("Geeft nu"),
    "could_give": _mark("Zou kunnen geven"), "note": _mark("Wat doet deze persoon"), "participant_id": _mark("Doet mee aan het plan"),
}


@dataclass
class MemberView:
    member: NetworkMember
    subject_names: list[str]
    gives_now: list[str]  # labels (Dutch source text)
    could_give: list[str]
    effect_label: str
    may_edit: bool
    may_invite: bool
    takes_part: bool
    audience: Audience


def visible_members(access: Access) -> list[NetworkMember]:
    stmt = access.select_visible(NetworkMember).order_by(NetworkMember.id)
    return access.load_visible(stmt)


def member_view(access: Access, member: NetworkMember) -> MemberView:
    return MemberView(
        member=member,
        subject_names=[p.first_name for p in member.effective_subjects],
        gives_now=[SupportKind(c).label for c in member.gives_now or []],
        could_give=[SupportKind(c).label for c in member.could_give or []],
        effect_label=ContactEffect(member.effect).label,
        may_edit=access.can_edit(member, services.KIND).allowed,
        may_invite=services.may_invite_from(access, member),
        takes_part=member.participant_id is not None,
        audience=access.audience(member),
    )


def map_members(views: list[MemberView]) -> list[MapMember]:
    return [MapMember(v.member.name, v.member.relation, v.member.effect) for v in views]
