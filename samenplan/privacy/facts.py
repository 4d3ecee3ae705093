"""The facts the privacy policy decides on.

Plain, frozen dataclasses: no Flask, no database. `privacy/loader.py` builds them
from the database; tests build them by hand. Every datetime is naive UTC.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from datetime import date, datetime

from samenplan.domain.vocabulary import Category, Representation, Role

__all__ = ["Category", "Representation", "Role"]  # the vocabularies, re-exported for the policy


@dataclass(frozen=True)
class RepresentativeFacts:
    """One legal representative: a person of the family, or an organisation (a professional
    mentor or bewindvoerder; its professional participants consent in its name)."""

    kind: Representation
    person_id: int | None = None
    organisation_id: int | None = None


@dataclass(frozen=True)
class PersonFacts:
    id: int
    date_of_birth: date
    # person ids of everyone who holds parental authority (gezag) over this person
    authority_holders: frozenset[int] = frozenset()
    # organisations holding authority over this person as voogd (guardian, e.g. a
    # gecertificeerde instelling): its professional participants consent as a holder would
    authority_organisations: frozenset[int] = frozenset()
    # the person's legal representatives (mentor, curator, bewindvoerder)
    representatives: tuple[RepresentativeFacts, ...] = ()


@dataclass(frozen=True)
class ViewerFacts:
    participant_id: int
    role: Role
    person_id: int | None = None  # set for role FAMILY
    organisation_id: int | None = None  # set for professionals


@dataclass(frozen=True)
class RecordFacts:
    id: int
    category: Category
    subject_ids: frozenset[int]
    author_participant_id: int | None = None
    # the records this one hangs under (its goal, that goal's goal, ...): a shield on any
    # of them hides this record too
    ancestor_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class GrantFacts:
    """A consent (toestemming): from one subject, to an organisation OR a participant, for
    categories of information, or for one record (`record_id`; then `categories` holds the
    record's category when the grant was given, and the grant covers nothing else)."""

    id: int
    subject_id: int
    categories: frozenset[Category]
    start: datetime
    end: datetime | None = None
    revoked_at: datetime | None = None
    grantee_organisation_id: int | None = None
    grantee_participant_id: int | None = None
    # person ids of everyone who has given this consent (the subject and/or authority holders)
    consenter_ids: frozenset[int] = frozenset()
    # organisations that have given it (a guardian organisation, an organisation as legal
    # representative), through one of their professional participants
    consenter_organisation_ids: frozenset[int] = frozenset()
    record_id: int | None = None
    requested_by_participant_id: int | None = None  # asked for by this participant
    declined: bool = False  # a required consenter said no


@dataclass(frozen=True)
class ShieldFacts:
    """Afscherming: a record, or a category of one subject, hidden from one participant."""

    id: int
    participant_id: int  # shielded FROM this participant
    subject_id: int
    record_id: int | None = None  # a single record ...
    category: Category | None = None  # ... or every record of this category about subject_id
    lifted_at: datetime | None = None


@dataclass(frozen=True)
class EmergencyFacts:
    """Doorbreken: time-boxed access for one participant to one subject and category."""

    id: int
    participant_id: int
    subject_id: int
    category: Category
    start: datetime
    end: datetime
    ended_at: datetime | None = None  # ended early by hand
    withhold_from_family: bool = False  # the family does not see it in the log (yet)


@dataclass(frozen=True)
class ParticipationFacts:
    """That someone takes part in the plan. A professional's participation says something
    about someone (a GGZ professional tells of mental-health care), so it carries the
    subjects and category of their involvement (`involvement`, a record)."""

    participant_id: int
    role: Role
    involvement: RecordFacts | None = None  # professionals only


@dataclass(frozen=True)
class EventFacts:
    """An audit event, as far as deciding who may read it needs."""

    id: int
    action: str
    actor_participant_id: int | None
    subject_ids: frozenset[int]
    record_id: int | None = None
    target_kind: str | None = None  # "consent", "shield", "emergency" or None
    target_id: int | None = None
    hidden_from_family: bool = False


@dataclass(frozen=True)
class FamilyFacts:
    persons: dict[int, PersonFacts] = field(default_factory=dict)
    grants: tuple[GrantFacts, ...] = ()
    shields: tuple[ShieldFacts, ...] = ()
    emergencies: tuple[EmergencyFacts, ...] = ()
    # the viewing decisions already made from these facts (`policy.can_view`): facts never
    # change and live for one request (privacy/loader.py), so a page that asks the same
    # question for forty alike records works it out once; never compared or shown, and
    # never handed on: facts made from these (`dataclasses.replace`) start without any
    decisions: dict = field(default_factory=dict, init=False, compare=False, repr=False)

    @cached_property
    def named_records(self) -> frozenset[int]:
        """The records a grant or a shield names by id (a record grant, a shield on one
        record): only for those does a record's id change what the policy decides."""
        return frozenset(
            [g.record_id for g in self.grants if g.record_id is not None]
            + [s.record_id for s in self.shields if s.record_id is not None])
