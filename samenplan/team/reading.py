"""What a viewer sees of the team, the contact card and who agreed with the plan: view models,
with every decision (may edit, names as the viewer may know them) made here, not in templates.

The team lists only the professionals whose participation the viewer may know of
(`Access.sees_participant`, DESIGN.md §3): of the others not a name, not a number, not a count.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from samenplan.domain.ages import local_day
from samenplan.domain.i18n import _ as _mark
from samenplan.families.models import Participant
from samenplan.goals.reading import Change, HistoryEntry
from samenplan.privacy.access import Access
from samenplan.privacy.facts import Role
from samenplan.team import services
from samenplan.team.models import PlanAgreement, PlanContact
from samenplan.web import participant_name, shown_function


def tel_href(phone: str) -> str:
    """A phone number as a `tel:` link: digits and a leading +."""
    digits = re.sub(r"[^0-9+]", "", phone or "")
    return f"tel:{digits}" if digits else ""


def line_phone(participant: Participant) -> str:
    involvement = participant.involvement
    return (involvement.phone if involvement is not None and involvement.phone else None) \
        or participant.phone or ""


def line_function(participant: Participant) -> str:
    return participant.function or ""


@dataclass(frozen=True)
class TeamLine:
    participant: Participant
    name: str
    organisation: str
    function: str
    phone: str
    tel: str
    funding: str  # the label (translated in the template), "" when not set
    start_date: date | None
    end_date: date | None
    ended: bool
    end_reason: str  # why their part ended (the label, translated in the template), "" when not
    is_chair: bool
    is_me: bool
    may_edit: bool
    version: int


def team_lines(access: Access) -> list[TeamLine]:
    """The professionals the viewer may know take part, the casusregisseur first."""
    today = local_day(access.now)
    lines, seen = [], []
    members = [p for p in access.visible_participants if p.role.is_professional]
    members.sort(key=lambda p: (p.role is not Role.CASUSREGISSEUR, p.display_name))
    for p in members:
        inv = p.involvement
        if inv is not None and p.id != access.participant.id and access.decide(inv).allowed:
            seen.append(inv)
        lines.append(TeamLine(
            participant=p, name=participant_name(access, p),
            organisation=p.organisation.name if p.organisation is not None else "",
            function=shown_function(access, p), phone=line_phone(p), tel=tel_href(line_phone(p)),
            funding=inv.funding.label if inv is not None and inv.funding else "",
            start_date=inv.start_date if inv is not None else None,
            end_date=inv.end_date if inv is not None else None,
            ended=inv is not None and inv.ended(today),
            end_reason=inv.end_reason.label if inv is not None and inv.end_reason else "",
            is_chair=p.role is Role.CASUSREGISSEUR, is_me=p.id == access.participant.id,
            may_edit=services.may_edit_line(access, p),
            version=inv.version if inv is not None else 0,
        ))
    access.log_views(seen)  # what these lines tell about the family, as any record's view
    return lines


@dataclass(frozen=True)
class ContactCard:
    chair_name: str = ""
    chair_first_name: str = ""
    chair_phone: str = ""
    chair_tel: str = ""
    emergency_name: str = ""
    emergency_phone: str = ""
    emergency_tel: str = ""
    buddy_name: str = ""
    buddy_phone: str = ""
    buddy_tel: str = ""
    without_chair: bool = False
    may_edit: bool = False
    version: int = 0
    buddy_participant_id: int | None = None
    # a handover under way (handover/): who takes over, and from which day
    coming_name: str = ""
    coming_day: date | None = None

    @property
    def shown(self) -> bool:
        return bool(self.chair_name or self.emergency_phone or self.buddy_name or self.without_chair)


def contact_card(access: Access, plan_id: int, contact: PlanContact | None = None,
                 loaded: bool = False) -> ContactCard:
    """The card on the plan's first screen. One query (the card), none for the people in it:
    they are the plan's participants, loaded once per request."""
    if not loaded:
        contact = services.current_contact(access, plan_id)
    chair = next((p for p in access.participants if p.role is Role.CASUSREGISSEUR), None)
    values: dict = {"without_chair": chair is None,
                    "may_edit": access.viewer.role is Role.CASUSREGISSEUR}
    if chair is not None:
        phone = line_phone(chair)
        values.update(chair_name=participant_name(access, chair),
                      chair_first_name=chair.display_name.split(" ")[0],
                      chair_phone=phone, chair_tel=tel_href(phone))
    handover = access.handover
    if chair is not None and handover is not None and handover.is_open:
        values.update(coming_name=handover.successor.display_name, coming_day=handover.switch_on)
    if contact is not None:
        values.update(version=contact.version, emergency_name=contact.emergency_name,
                      emergency_phone=contact.emergency_phone,
                      emergency_tel=tel_href(contact.emergency_phone))
        buddy = next((p for p in access.participants if p.id == contact.buddy_participant_id), None)
        if buddy is not None and access.sees_participant(buddy):
            phone = line_phone(buddy)
            values.update(buddy_name=participant_name(access, buddy, with_organisation=True),
                          buddy_phone=phone, buddy_tel=tel_href(phone),
                          buddy_participant_id=buddy.id)
        elif contact.buddy_participant_id is None and contact.buddy_name:
            values.update(buddy_name=contact.buddy_name, buddy_phone=contact.buddy_phone,
                          buddy_tel=tel_href(contact.buddy_phone))
    return ContactCard(**values)


@dataclass(frozen=True)
class AgreementLine:
    name: str
    agrees: bool
    reason: str
    at: datetime
    changed_since: bool
    is_me: bool


@dataclass
class AgreementView:
    lines: list[AgreementLine] = field(default_factory=list)
    mine: PlanAgreement | None = None
    # everyone in the plan sees the viewer's answer (their taking part is open), or only who
    # may know that they take part (a professional's participation is personal data)
    open_answer: bool = True

    @property
    def my_version(self) -> int:
        return self.mine.version if self.mine is not None else 0


def agreements(access: Access, plan_id: int, changed_at: datetime | None = None,
               known: bool = False) -> AgreementView:
    """Each participant's latest answer, of those the viewer may know take part (the others
    are left out, uncounted), and whether the plan as the viewer sees it changed after they
    answered. `changed_at` (with `known`): when the content the viewer sees last changed, from
    the records a page already loaded (else looked up). One query, or two."""
    rows = access.session.scalars(
        select(PlanAgreement).where(PlanAgreement.plan_id == plan_id)
        .order_by(PlanAgreement.participant_id, PlanAgreement.version)
    ).all()
    latest: dict[int, PlanAgreement] = {}
    for row in rows:
        latest[row.participant_id] = row
    view = AgreementView(mine=latest.get(access.participant.id),
                         open_answer=access.viewer.role is not Role.PROFESSIONAL)
    by_id = {p.id: p for p in access.participants}
    shown = [(by_id[pid], row) for pid, row in latest.items()
             if pid in by_id and access.sees_participant(by_id[pid])]
    if shown and not known:
        changed_at = services.content_changed_at(access)
    for participant, row in sorted(shown, key=lambda item: item[1].at):
        view.lines.append(AgreementLine(
            name=participant_name(access, participant), agrees=row.agrees, reason=row.reason,
            at=row.at, changed_since=changed_at is not None and changed_at > row.at,
            is_me=participant.id == access.participant.id,
        ))
    return view


# --- a line's history ("Wat is er veranderd?") ----------------------------------------------
#: the revised fields of a line (privacy/models.py Involvement.revised_fields), in words
LINE_FIELDS = {"phone": "Telefoonnummer",
               "funding": "Financiering", "start_date": "Betrokken vanaf",
               "end_date": "Betrokken tot", "end_reason": "Waarom gestopt"}


@dataclass(frozen=True)
class LineChange:
    label: str  # Dutch source text: translated in the template
    before: str
    after: str
    coded: bool = False  # before and after are labels of codes (Dutch source text) too


@dataclass(frozen=True)
class LineRevision:
    at: datetime
    by: str
    changes: list[LineChange]


def _line_value(name: str, value) -> str:
    from samenplan.domain.vocabulary import FundingStream, InvolvementEndReason

    if value in (None, ""):
        return ""
    if name in ("funding", "end_reason"):
        code = (FundingStream if name == "funding" else InvolvementEndReason).parse(value)
        return code.label if code else ""
    if name.endswith("_date"):
        return date.fromisoformat(value).strftime("%d-%m-%Y")
    return str(value)


def line_history(access: Access, participant: Participant) -> list[LineRevision]:
    """The changes of a professional's line, newest first: for whoever sees the line (the
    revisions hold nothing but the line's own facts). One query."""
    from samenplan.records.models import Revision

    involvement = participant.involvement
    if involvement is None:
        return []
    by_user = {p.user_id: p for p in access.participants}
    revisions = access.session.scalars(
        select(Revision).where(Revision.record_id == involvement.id).order_by(Revision.id.desc())
    )
    history = []
    for revision in revisions:
        changes = [LineChange(label, _line_value(name, revision.before.get(name)),
                              _line_value(name, revision.after.get(name)),
                              name in ("funding", "end_reason"))
                   for name, label in LINE_FIELDS.items() if name in revision.after]
        changes = [c for c in changes if c.before != c.after]
        if changes:
            history.append(LineRevision(revision.changed_at,
                                        participant_name(access, by_user.get(revision.changed_by_id)),
                                        changes))
    return history


# --- older versions of the contact card and of the answers about the plan ---------------------
# Both are rows that are only ever added (team/models.py): a row is a version, and what changed
# from the row before it is its change, shown like any record's revisions (records/_history.html).
@dataclass(frozen=True)
class RowVersion:
    """A row of the contact card or an answer about the plan, as a revision is shown."""

    version: int
    changed_at: datetime
    before: dict  # empty: the first (nothing changed, it was made)


CONTACT_FIELDS = {
    "emergency_name": _mark("Wie bel je als je vaste hulpverlener er niet is"),
    "emergency_phone": _mark("Telefoonnummer als je vaste hulpverlener er niet is"),
    "buddy": _mark("Maatje"), "buddy_phone": _mark("Telefoonnummer van het maatje"),
}
AGREEMENT_FIELDS = {"agrees": _mark("Akkoord met het plan"), "reason": _mark("Waarom niet")}


def _contact_values(access: Access, row: PlanContact) -> dict[str, str]:
    """The card's fields in words as this viewer may see them: a buddy from the team by name
    only when the viewer may know they take part ("een hulpverlener" otherwise)."""
    by_id = {p.id: p for p in access.participants}
    buddy = by_id.get(row.buddy_participant_id) if row.buddy_participant_id else None
    return {
        "emergency_name": row.emergency_name or "", "emergency_phone": row.emergency_phone or "",
        "buddy": participant_name(access, buddy, with_organisation=True) if buddy is not None
        else ("" if row.buddy_participant_id else row.buddy_name or ""),
        "buddy_phone": "" if row.buddy_participant_id else row.buddy_phone or "",
    }


def _versions(access: Access, rows, values, labels: dict[str, str], author_of,
              first_is_a_change: bool = False) -> list[HistoryEntry]:
    """Each row as a version of the one before it (`values(row)`: its fields in words), newest
    first; a row that changes nothing the viewer may see is left out."""
    entries, before = [], None
    for row in rows:
        now = values(row)
        was = before if before is not None else (
            dict.fromkeys(now, "") if first_is_a_change else {})
        changes = [Change(name, label, was.get(name, ""), now[name])
                   for name, label in labels.items() if was and was.get(name, "") != now[name]]
        if not was or changes:
            entries.append(HistoryEntry(RowVersion(row.version, _at(row), was),
                                        author_of(row), changes))
        before = now
    return entries[::-1]


def _at(row) -> datetime:
    return row.set_at if isinstance(row, PlanContact) else row.at


def contact_history(access: Access, plan_id: int) -> list[HistoryEntry]:
    """'Wat is er veranderd?' of the contact card, for everyone who sees the card. One query."""
    rows = access.session.scalars(
        select(PlanContact).where(PlanContact.plan_id == plan_id).order_by(PlanContact.version))
    by_user = {p.user_id: p for p in access.participants if p.user_id is not None}
    return _versions(access, rows, lambda row: _contact_values(access, row), CONTACT_FIELDS,
                     lambda row: by_user.get(row.set_by_id))


def agreement_history(access: Access, plan_id: int) -> list[HistoryEntry]:
    """Every answer about the plan as a whole, of the participants the viewer may know take
    part (the others left out, uncounted, as on the plan), each as a change of that
    participant's answer before. One query."""
    rows = access.session.scalars(
        select(PlanAgreement).where(PlanAgreement.plan_id == plan_id)
        .order_by(PlanAgreement.participant_id, PlanAgreement.version)).all()
    by_id = {p.id: p for p in access.participants}
    entries = []
    for participant_id in dict.fromkeys(r.participant_id for r in rows):
        participant = by_id.get(participant_id)
        if participant is None or not access.sees_participant(participant):
            continue
        entries += _versions(
            access, [r for r in rows if r.participant_id == participant_id],
            lambda row: {"agrees": "ja" if row.agrees else "nee",
                         "reason": "" if row.agrees else row.reason or ""},
            AGREEMENT_FIELDS, lambda _row, p=participant: p, first_is_a_change=True)
    return sorted(entries, key=lambda e: e.revision.changed_at, reverse=True)


def row_words(field_name: str, value) -> str:
    """A value of the card or of an answer in words (for records/_history.html)."""
    from flask_babel import gettext

    if field_name == "agrees" and value:
        return gettext("akkoord") if value == "ja" else gettext("niet akkoord")
    return value or gettext("(leeg)")
