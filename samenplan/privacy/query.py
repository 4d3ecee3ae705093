"""The SQL twin of privacy/policy.py: the same rules as a WHERE clause over `record`.

Lists are loaded through `visible_filter`, so a page never even loads a record its viewer may
not see. The clause is made once per viewer (and kept, `visible_filter`: building it is most of
a page's SQL work); the moment it decides at is not in it but in bind parameters, which every
statement that uses it gets from `moment` (`Access.select_visible`): without them it does not
run at all. tests/integration/test_privacy_twin.py generates random families and checks, record
by record, that this filter and `policy.can_view` agree. Change one, change the other.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Boolean, ColumnElement, Date, DateTime, and_, bindparam, exists, false, func, not_, or_,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.cache_key import NO_CACHE
from sqlalchemy.sql.visitors import InternalTraversal

from samenplan.domain.ages import AGE_OF_CO_CONSENT, AGE_OF_CONSENT, birth_cutoff, local_day
from samenplan.families.models import (
    LegalRepresentative, Person, authority_organisation, parental_authority,
)
from samenplan.privacy.facts import Category, Representation, Role, ViewerFacts
from samenplan.privacy.models import (
    Consent, ConsentApproval, ConsentCategory, ConsentOrganisationApproval, EmergencyAccess,
    Record, Shield, record_ancestor, record_subject,
)

_rs = record_subject


@dataclass(frozen=True)
class _Moment:
    """The bind parameters of one viewer's clause that say when it decides: the moment (naive
    UTC) and the latest dates of birth of who is 16, and 12, on that day in Amsterdam. Named
    after the viewer, so the clauses of several viewers in one statement (`select_visible_across`)
    never take each other's values."""

    now: Any
    adult_cutoff: Any  # born on or before: 16 or older
    teen_cutoff: Any  # born on or before: 12 or older

    @staticmethod
    def names(viewer: ViewerFacts) -> tuple[str, str, str]:
        key = f"privacy_{viewer.participant_id}"
        return f"{key}_now", f"{key}_adult", f"{key}_teen"

    @classmethod
    def of(cls, viewer: ViewerFacts) -> _Moment:
        now, adult, teen = cls.names(viewer)
        return cls(bindparam(now, type_=DateTime(), required=True),
                   bindparam(adult, type_=Date(), required=True),
                   bindparam(teen, type_=Date(), required=True))


def moment(viewer: ViewerFacts, now: datetime) -> dict[str, datetime | date]:
    """The values of the bind parameters of `viewer`'s clause (`visible_filter`) at `now`: a
    statement that uses the clause runs with these (`Select.params`)."""
    day = local_day(now)
    values = (now, birth_cutoff(day, AGE_OF_CONSENT), birth_cutoff(day, AGE_OF_CO_CONSENT))
    return dict(zip(_Moment.names(viewer), values))


def _not_ended(end_col, now) -> ColumnElement[bool]:
    return or_(end_col.is_(None), end_col > now)


# The record whose subjects and category decide (the record itself, or the one it takes them
# from: `privacy_from`). Every rule about subjects and category reads them from `Owner`.
Owner = aliased(Record, name="privacy_owner")


def _record_shielded(viewer: ViewerFacts, now) -> ColumnElement[bool]:
    """A shield on this record, or on a record it hangs under."""
    return exists(
        select(Shield.id).correlate_except(Shield).where(
            Shield.participant_id == viewer.participant_id,
            _not_ended(Shield.lifted_at, now),
            or_(
                Shield.record_id == Record.id,
                exists(  # a shield on what the record hangs under covers it too
                    select(record_ancestor.c.ancestor_id).correlate_except(record_ancestor).where(
                        record_ancestor.c.record_id == Record.id,
                        record_ancestor.c.ancestor_id == Shield.record_id,
                    )
                ),
            ),
        )
    )


def _category_shielded(viewer: ViewerFacts, now) -> ColumnElement[bool]:
    """A shield on the category of (one of) the record's subjects."""
    subject = _rs.alias("shield_rs")
    return exists(
        select(Shield.id).correlate_except(Shield).where(
            Shield.participant_id == viewer.participant_id,
            _not_ended(Shield.lifted_at, now),
            Shield.record_id.is_(None),
            Shield.category == Owner.category,
            exists(
                select(subject.c.person_id).correlate_except(subject).where(
                    subject.c.record_id == Owner.id,
                    subject.c.person_id == Shield.subject_id,
                )
            ),
        )
    )


def _consent_complete(consent, subject, at: _Moment) -> ColumnElement[bool]:
    """Every consenter the subject's age on the day requires has approved `consent`: persons
    (`consent_approval`) and organisations (`consent_organisation_approval`: a guardian, a
    legal representative), as `domain.ages.required_consenters` / `required_organisations`."""
    adult_cutoff, teen_cutoff = at.adult_cutoff, at.teen_cutoff

    def approved_by(person_id_col):
        return exists(
            select(ConsentApproval.person_id).correlate_except(ConsentApproval).where(
                ConsentApproval.consent_id == consent.id,
                ConsentApproval.person_id == person_id_col,
            )
        )

    def approved_by_organisation(organisation_id_col):
        return exists(
            select(ConsentOrganisationApproval.organisation_id)
            .correlate_except(ConsentOrganisationApproval).where(
                ConsentOrganisationApproval.consent_id == consent.id,
                ConsentOrganisationApproval.organisation_id == organisation_id_col,
            )
        )

    subject_approved = approved_by(consent.subject_id)
    holder = parental_authority.alias("holder")
    every_holder_approved = not_(
        exists(
            select(holder.c.holder_id).correlate_except(holder).where(
                holder.c.child_id == consent.subject_id, not_(approved_by(holder.c.holder_id)),
            )
        )
    )
    guardian = authority_organisation.alias("guardian")
    every_guardian_approved = not_(
        exists(
            select(guardian.c.organisation_id).correlate_except(guardian).where(
                guardian.c.child_id == consent.subject_id,
                not_(approved_by_organisation(guardian.c.organisation_id)),
            )
        )
    )
    has_holder = or_(
        exists(
            select(parental_authority.c.holder_id).correlate_except(parental_authority).where(
                parental_authority.c.child_id == consent.subject_id
            )
        ),
        exists(
            select(authority_organisation.c.organisation_id)
            .correlate_except(authority_organisation).where(
                authority_organisation.c.child_id == consent.subject_id
            )
        ),
    )

    # from 16: per kind of information the consent is for, the subject, or the legal
    # representatives whose measure covers it (a mentor, a curator: all; a bewindvoerder: money)
    category = aliased(ConsentCategory, name="consent_cat")
    representative = aliased(LegalRepresentative, name="representative")

    def covers(rep, category_col):
        return or_(*(
            and_(rep.kind == kind.value, category_col.in_(sorted(c.value for c in kind.categories)))
            for kind in Representation
        ))

    uncovered = exists(
        select(category.category).correlate_except(category).where(
            category.consent_id == consent.id,
            not_(exists(
                select(representative.id).correlate_except(representative).where(
                    representative.person_id == consent.subject_id,
                    covers(representative, category.category),
                )
            )),
        )
    )
    about_nothing = not_(exists(
        select(category.category).correlate_except(category).where(category.consent_id == consent.id)
    ))
    needed = aliased(LegalRepresentative, name="needed_representative")
    needed_category = aliased(ConsentCategory, name="needed_cat")
    every_representative_approved = not_(exists(
        select(needed.id).correlate_except(needed).where(
            needed.person_id == consent.subject_id,
            exists(
                select(needed_category.category).correlate_except(needed_category).where(
                    needed_category.consent_id == consent.id,
                    covers(needed, needed_category.category),
                )
            ),
            not_(or_(
                and_(needed.representative_person_id.is_not(None),
                     approved_by(needed.representative_person_id)),
                and_(needed.organisation_id.is_not(None),
                     approved_by_organisation(needed.organisation_id)),
            )),
        )
    ))
    adult_complete = and_(
        or_(not_(or_(uncovered, about_nothing)), subject_approved),
        every_representative_approved,
    )
    return or_(
        and_(subject.date_of_birth <= adult_cutoff, adult_complete),
        and_(
            subject.date_of_birth > adult_cutoff,
            subject.date_of_birth <= teen_cutoff,
            subject_approved,
            every_holder_approved,
            every_guardian_approved,
        ),
        and_(subject.date_of_birth > teen_cutoff, has_holder, every_holder_approved,
             every_guardian_approved),
    )


def _granted(subject_id_col, viewer: ViewerFacts, at: _Moment, *, to_organisation: bool):
    """A valid consent from `subject_id_col` to the viewer, covering the record's category (and,
    for a record grant, this very record)."""
    consent = aliased(Consent)
    subject = aliased(Person)
    grantee = consent.grantee_participant_id == viewer.participant_id
    if to_organisation and viewer.organisation_id is not None:
        grantee = or_(grantee, consent.grantee_organisation_id == viewer.organisation_id)
    return exists(
        select(consent.id)
        .join(subject, subject.id == consent.subject_id)
        .correlate_except(consent, subject)
        .where(
            consent.subject_id == subject_id_col,
            grantee,
            consent.start_at <= at.now,
            _not_ended(consent.end_at, at.now),
            _not_ended(consent.revoked_at, at.now),
            consent.declined_at.is_(None),
            or_(consent.record_id.is_(None), consent.record_id == Record.id),
            exists(
                select(ConsentCategory.category).correlate_except(ConsentCategory).where(
                    ConsentCategory.consent_id == consent.id,
                    ConsentCategory.category == Owner.category,
                )
            ),
            _consent_complete(consent, subject, at),
        )
    )


def _emergency(subject_id_col, viewer: ViewerFacts, now):
    return exists(
        select(EmergencyAccess.id).correlate_except(EmergencyAccess).where(
            EmergencyAccess.participant_id == viewer.participant_id,
            EmergencyAccess.subject_id == subject_id_col,
            EmergencyAccess.category == Owner.category,
            EmergencyAccess.start_at <= now,
            EmergencyAccess.end_at > now,
            _not_ended(EmergencyAccess.ended_at, now),
        )
    )


def _has_subjects() -> ColumnElement[bool]:
    return exists(
        select(_rs.c.person_id).correlate_except(_rs).where(_rs.c.record_id == Owner.id)
    )


def _every_subject(condition, *, except_person: int | None = None) -> ColumnElement[bool]:
    """Every subject of the record (but `except_person`) meets `condition(subject_row)`."""
    subject = _rs.alias("every_rs")
    clauses = [subject.c.record_id == Owner.id]
    if except_person is not None:
        clauses.append(subject.c.person_id != except_person)
    return not_(
        exists(
            select(subject.c.person_id)
            .correlate_except(subject)
            .where(*clauses, not_(condition(subject)))
        )
    )


def _family_allowed(viewer: ViewerFacts, at: _Moment) -> ColumnElement[bool]:
    me = viewer.person_id
    if me is None:
        return false()
    # authority covers a child under 12; from 12 a parent needs the child's own grant
    young_cutoff = at.teen_cutoff
    def under_my_authority(subject):
        child = aliased(Person)
        return and_(
            exists(
                select(child.id).correlate_except(child).where(
                    child.id == subject.c.person_id, child.date_of_birth > young_cutoff
                )
            ),
            exists(
                select(parental_authority.c.holder_id).correlate_except(parental_authority).where(
                    parental_authority.c.child_id == subject.c.person_id,
                    parental_authority.c.holder_id == me,
                )
            ),
        )

    def granted_to_me(subject):
        return _granted(subject.c.person_id, viewer, at, to_organisation=False)

    def covered(subject):
        return or_(under_my_authority(subject), granted_to_me(subject))

    # rule 4: the family's shared information, or every subject but me covered
    return or_(
        Owner.category == Category.ALGEMEEN.value,
        and_(_has_subjects(), _every_subject(covered, except_person=me)),
    )


def _others_allowed(viewer: ViewerFacts, at: _Moment) -> ColumnElement[bool]:
    professional = viewer.role.is_professional

    def covered(subject):
        grant = _granted(subject.c.person_id, viewer, at, to_organisation=True)
        if professional:  # rule 5: emergency access is for professionals only
            return or_(grant, _emergency(subject.c.person_id, viewer, at.now))
        return grant

    return and_(_has_subjects(), _every_subject(covered))


@lru_cache(maxsize=64)
def visible_filter(viewer: ViewerFacts, family_id: int) -> ColumnElement[bool]:
    """WHERE clause: records of `family_id` that `viewer` may see (DESIGN.md §3) at the moment
    its statement is given by `moment(viewer, now)`. Made once per viewer and kept (it holds
    ids and rules, never a decision: what it lets through is decided by the database at the
    moment of each statement, on the consents and shields of that moment). A kept clause
    takes some 400 kB once used: a worker keeps those of its 64 latest viewers."""
    at = _Moment.of(viewer)
    if viewer.role is Role.FAMILY:
        allowed = _family_allowed(viewer, at)
    else:
        allowed = _others_allowed(viewer, at)
    return _Kept(and_(
        Record.family_id == family_id,
        not_(_record_shielded(viewer, at.now)),
        exists(
            select(Owner.id).where(
                Owner.id == func.coalesce(Record.privacy_from_id, Record.id),
                not_(_category_shielded(viewer, at.now)),
                or_(Record.author_participant_id == viewer.participant_id, allowed),
            )
        ),
    ))


_kept_ids = itertools.count(1)


class _Kept(ColumnElement[bool]):
    """A kept clause (`visible_filter`) as a statement holds it. SQLAlchemy finds a statement's
    compiled SQL by a key it makes by walking the whole statement, and a viewer's clause is by
    far the largest part of it: walked for every statement, that was a twentieth of a plan
    page. A kept clause never changes, so it is walked once and known by a number of its own;
    a copy with something changed in it (as SQLAlchemy makes to adapt a statement) gets a new
    number and is walked anew."""

    __visit_name__ = "samenplan_kept_clause"
    _traverse_internals = [("clause", InternalTraversal.dp_clauseelement)]
    inherit_cache = False  # its key is its own (`_gen_cache_key`), not one walked anew
    type = Boolean()

    def __init__(self, clause: ColumnElement[bool]):
        self.clause = clause
        self._number = next(_kept_ids)
        self._binds = None  # the bind parameters in the clause, in the order of its key
        self._made = {}  # what is made of the clause and kept with it (`kept_with`)

    def _clone(self, **kw):
        copy = super()._clone(**kw)
        copy._number, copy._binds, copy._made = next(_kept_ids), None, {}
        return copy

    def _gen_cache_key(self, anon_map, bindparams):
        number, seen = anon_map.get_anon(self)
        if seen:
            return (number, self.__class__)
        if self._binds is None:
            walked = self.clause._generate_cache_key()
            if walked is None:  # the clause cannot be cached: neither can the statement
                anon_map[NO_CACHE] = True
                return None
            self._binds = tuple(walked.bindparams)
        if bindparams is not None:
            bindparams.extend(self._binds)
        return (number, self.__class__, self._number)

    @property
    def _from_objects(self):
        return self.clause._from_objects


def kept_with(clause: _Kept, name: str, make):
    """`make()`, made once of a kept clause (`visible_filter`) and kept as long as it is; of
    any other clause made anew each time."""
    kept = getattr(clause, "_made", None)
    if kept is None:
        return make()
    made = kept.get(name)
    if made is None:
        made = kept[name] = make()
    return made


@compiles(_Kept)
def _compile_kept(element: _Kept, compiler, **kw) -> str:
    return compiler.process(element.clause, **kw)
