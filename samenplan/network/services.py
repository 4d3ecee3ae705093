"""The network map: who is around the family, what they give or could give, whether the contact
helps or harms. Every change is checked by the policy, versioned, logged, committed here.

A harmful contact who takes part in the plan themself (linked to their participant) must
never read what is written about them: the entry is then shielded from that participant for
every subject, by the save itself (a shield only narrows, and nobody sees a shield that is set
against them, DESIGN.md §3). The invitation from the map is not offered for a harmful contact.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from samenplan.domain.i18n import _ as _mark
from samenplan.domain.network import UnknownSupport, split_support
from samenplan.domain.vocabulary import ContactEffect
from samenplan.network.models import NetworkMember
from samenplan.privacy import policy
from samenplan.privacy.access import Access
from samenplan.privacy.models import Shield
from samenplan.records.editing import (  # noqa: F401 - Widening for the views
    Invalid, NotAllowed, Widening, category_of, create_record, subjects_of, update_record,
)

KIND = policy.NETWORK_MEMBER


@dataclass
class MemberInput:
    name: str
    relation: str
    subject_ids: list[int]
    category: str
    effect: str
    gives_now: list[str]
    could_give: list[str]
    note: str = ""
    version: int | None = None  # the version the form was loaded at (None: a new entry)


def _apply(access: Access, member: NetworkMember, data: MemberInput) -> None:
    name = (data.name or "").strip()
    if not name:
        raise Invalid(_mark("Schrijf de naam op."))
    effect = ContactEffect.parse(data.effect)
    if effect is None:
        raise Invalid(_mark("Kies of het contact helpt of niet."))
    try:
        gives_now, could_give = split_support(data.gives_now or [], data.could_give or [])
    except UnknownSupport:
        raise Invalid(_mark("Kies wat deze persoon geeft uit de lijst.")) from None
    category = category_of(data.category)
    member.subjects = subjects_of(access, data.subject_ids)
    member.category = category.value
    member.name = name[:200]
    member.relation = (data.relation or "").strip()[:100]
    member.effect = effect.value
    member.gives_now, member.could_give = gives_now, could_give
    member.note = (data.note or "").strip()[:2000]


def create_member(access: Access, data: MemberInput) -> NetworkMember:
    return create_record(access, KIND, NetworkMember(), lambda member: _apply(access, member, data))


def update_member(access: Access, member: NetworkMember, data: MemberInput) -> NetworkMember:
    return update_record(access, member, KIND, data, lambda r: _apply(access, r, data),
                         after=lambda r: shield_from_harmful(access, r))


def shield_from_harmful(access: Access, member: NetworkMember) -> list[Shield]:
    """A harmful contact linked to a participant: the entry is shielded from them, for every
    subject it is about (the shields that are not there yet). Not committed here."""
    if member.effect != ContactEffect.HARMS or member.participant_id is None:
        return []
    from samenplan.privacy.services import _shield_event

    existing = set(access.session.execute(
        select(Shield.subject_id).where(
            Shield.record_id == member.id, Shield.participant_id == member.participant_id,
            Shield.lifted_at.is_(None),
        )
    ).scalars())
    shields = [
        Shield(family_id=member.family_id, subject_id=person.id,
               participant_id=member.participant_id, record_id=member.id, reason="",
               created_by_id=access.user.id, created_at=access.now)
        for person in member.subjects if person.id not in existing
    ]
    access.session.add_all(shields)
    access.session.flush()
    for shield in shields:
        access.queue(_shield_event(access, "shield", shield))
    return shields


def may_invite_from(access: Access, member: NetworkMember) -> bool:
    """"Uitnodigen" on an entry: only who may invite network members, for a contact that
    helps or is neutral and takes no part yet."""
    from samenplan.families.services import roles_i_may_invite

    return (member.participant_id is None and member.effect != ContactEffect.HARMS
            and "network" in roles_i_may_invite(access))


def link_on_acceptance(session, invitation, participant) -> None:
    """An invitation sent from the map, accepted: the entry is that participant from now on
    (its own family's entry only, and only if nobody is linked to it yet). An entry that
    became harmful since the invitation stays a name only: linking it would need a shield
    from the newcomer that nobody here decides."""
    if invitation.network_member_id is None:
        return
    member = session.get(NetworkMember, invitation.network_member_id)
    if member is None or member.family_id != invitation.family_id or member.participant_id:
        return
    if member.effect == ContactEffect.HARMS:
        return
    member.participant_id = participant.id
