"""A goal's status changes only with a reason; behaald and gestopt are decided at an
evaluation, outside one only by the casusregisseur (DESIGN §2, issue 12)."""
from __future__ import annotations

import pytest

from samenplan.domain.goals import ENDING_STATUSES, may_end_outside_evaluation, status_change_refusal
from samenplan.domain.vocabulary import GoalStatus, Role


def test_ending_statuses():
    assert ENDING_STATUSES == {GoalStatus.ACHIEVED, GoalStatus.STOPPED}


@pytest.mark.parametrize("role", [Role.FAMILY, Role.NETWORK, Role.PROFESSIONAL])
@pytest.mark.parametrize("new", ["behaald", "gestopt"])
def test_only_the_chair_ends_a_goal_outside_an_evaluation(role, new):
    refusal = status_change_refusal("actief", new, "Het lukt al weken", role=role)
    assert refusal is not None and "evaluatie" in refusal
    assert not may_end_outside_evaluation(role)
    # at an evaluation anyone who may change the goal takes the decision with the team
    assert status_change_refusal("actief", new, "Besloten", role=role, at_evaluation=True) is None


def test_the_chair_ends_a_goal_with_a_reason():
    assert may_end_outside_evaluation(Role.CASUSREGISSEUR)
    assert status_change_refusal("actief", "behaald", "Elke avond rust, al twee maanden",
                                 role=Role.CASUSREGISSEUR) is None
    assert status_change_refusal("actief", "behaald", "  ", role=Role.CASUSREGISSEUR) == (
        "Schrijf op waarom de status verandert.")


def test_every_change_needs_a_reason_and_an_allowed_step():
    assert status_change_refusal("actief", "gepauzeerd", "", role=Role.FAMILY) == (
        "Schrijf op waarom de status verandert.")
    assert status_change_refusal("actief", "gepauzeerd", "Even rust", role=Role.FAMILY) is None
    assert "Deze stap kan niet" in status_change_refusal(
        "behaald", "actief", "Toch niet", role=Role.CASUSREGISSEUR)
    assert status_change_refusal("actief", "actief", "", role=Role.FAMILY) is None
