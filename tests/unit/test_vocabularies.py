"""The vocabularies: one enum each, and the models, constraints and forms all use that one."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import CheckConstraint
from sqlalchemy.orm import configure_mappers

from samenplan import models  # noqa: F401 - every mapper known
from samenplan.db import Base, Code
from samenplan.domain import vocabulary
from samenplan.domain.vocabulary import GoalLevel, GoalStatus, Role, Vocabulary

VOCABULARIES = [
    getattr(vocabulary, name) for name in vocabulary.__all__
    if name != "Vocabulary" and issubclass(getattr(vocabulary, name), Vocabulary)
]


def _code_columns():
    configure_mappers()
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, Code):
                yield table, column


@pytest.mark.parametrize("vocab", VOCABULARIES, ids=lambda v: v.__name__)
def test_every_code_has_a_label_of_its_own(vocab):
    labels = [member.label for member in vocab]
    assert all(labels), vocab
    assert len(set(labels)) == len(labels)
    assert len(set(vocab.codes())) == len(vocab.codes())
    for member in vocab:
        assert member == member.value and vocab(member.value) is member  # a member is its code


def test_every_code_column_is_checked_by_the_database():
    """A code column without a CHECK constraint naming its codes lets a typo into the data."""
    found = list(_code_columns())
    assert len(found) >= 15
    for table, column in found:
        checks = [c for c in table.constraints if isinstance(c, CheckConstraint)
                  and re.search(rf"\b{column.name} IN \(", str(c.sqltext))]
        assert checks, f"{table.name}.{column.name} has no CHECK on its codes"
        allowed = set(re.findall(r"'([^']+)'", str(checks[0].sqltext)))
        assert allowed <= set(column.type.vocabulary.codes()), (table.name, column.name)


def test_a_code_set_on_a_record_becomes_its_member_at_once():
    from samenplan.goals.models import Goal

    goal = Goal(status="gepauzeerd", level="tussendoel")
    assert goal.status is GoalStatus.PAUSED and goal.status.label == "Gepauzeerd"
    assert goal.level is GoalLevel.SUB_GOAL and goal.level.below is GoalLevel.WORK_POINT
    with pytest.raises(ValueError):
        goal.status = "klaar"  # not a status: refused there and then, not at the database


def test_forms_offer_the_vocabulary():
    from samenplan.goals.forms import GoalForm, StatusForm
    from samenplan.privacy.forms import category_choices
    from samenplan.privacy.facts import Category

    for form in (GoalForm, StatusForm):
        assert [code for code, _ in form.status.kwargs["choices"]] == list(GoalStatus.codes())
    assert [code for code, _ in category_choices()] == list(Category.codes())


def test_roles_and_the_checks_made_from_them():
    assert Role.check("role", [Role.FAMILY, Role.NETWORK]) == "role IN ('family', 'network')"
    assert {r for r in Role if r.is_professional} == {Role.PROFESSIONAL, Role.CASUSREGISSEUR}
    assert Role.parse("beheerder") is None
