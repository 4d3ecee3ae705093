"""GAS: the Kiresuk-Sherman T-score, level labels, scorable ladders."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samenplan.domain.gas import (
    DEFAULT_RHO,
    LEVELS,
    ladder_is_scorable,
    level_label,
    t_score,
)


# --- hand-computed values ---------------------------------------------------


def test_three_goals_one_better_than_expected():
    # 50 + 10·3 / √(0.7·3 + 0.3·9) = 50 + 30/√4.8
    assert t_score([1, 1, 1], [1, 1, 1]) == pytest.approx(63.693, abs=1e-3)
    assert t_score([1, 1, 1], [1, 1, 1]) == pytest.approx(50 + 30 / math.sqrt(4.8))


def test_three_goals_one_worse_than_expected():
    assert t_score([-1, -1, -1], [1, 1, 1]) == pytest.approx(36.307, abs=1e-3)


def test_one_goal_at_plus_two_weight_one_is_seventy():
    # √(0.7·1 + 0.3·1) = 1
    assert t_score([2], [1]) == pytest.approx(70.0)


def test_unequal_weights():
    # Σwx = 2·1 + 1·(−1) + 3·2 = 7; Σw² = 14; (Σw)² = 36
    expected = 50 + 10 * 7 / math.sqrt(0.7 * 14 + 0.3 * 36)
    assert t_score([1, -1, 2], [2, 1, 3]) == pytest.approx(expected)
    assert t_score([1, -1, 2], [2, 1, 3]) == pytest.approx(65.4228, abs=1e-4)


def test_weights_scale_invariant():
    assert t_score([1, -1, 2], [2, 1, 3]) == pytest.approx(t_score([1, -1, 2], [4, 2, 6]))


def test_rho_zero():
    # √(Σw²) = √3
    assert t_score([1, 1, 1], [1, 1, 1], rho=0) == pytest.approx(50 + 30 / math.sqrt(3))
    assert t_score([1, 1, 1], [1, 1, 1], rho=0.0) == pytest.approx(67.3205, abs=1e-4)


def test_rho_half():
    # √(0.5·3 + 0.5·9) = √6
    assert t_score([1, 1, 1], [1, 1, 1], rho=0.5) == pytest.approx(50 + 30 / math.sqrt(6))
    assert t_score([2, 0], [1, 3], rho=0.5) == pytest.approx(
        50 + 10 * 2 / math.sqrt(0.5 * 10 + 0.5 * 16)
    )


def test_default_rho_is_point_three():
    assert DEFAULT_RHO == 0.3
    assert t_score([1, 0], [1, 2]) == t_score([1, 0], [1, 2], rho=0.3)


def test_accepts_tuples_and_generators():
    assert t_score((1, 1, 1), (1.0, 1.0, 1.0)) == pytest.approx(t_score([1, 1, 1], [1, 1, 1]))
    assert t_score(iter([2]), iter([1])) == pytest.approx(70.0)


def test_mixed_levels_cancel_out():
    assert t_score([-2, 2], [1, 1]) == 50.0


# --- invalid input ----------------------------------------------------------


@pytest.mark.parametrize(
    ("levels", "weights", "kwargs", "message"),
    [
        ([], [], {}, "at least one goal"),
        ([1, 0], [1], {}, "one weight per level"),
        ([1], [1, 1], {}, "one weight per level"),
        ([3], [1], {}, "integer from -2 to 2"),
        ([-3], [1], {}, "integer from -2 to 2"),
        ([0.5], [1], {}, "integer from -2 to 2"),
        ([1.0], [1], {}, "integer from -2 to 2"),
        (["1"], [1], {}, "integer from -2 to 2"),
        ([None], [1], {}, "integer from -2 to 2"),
        ([True], [1], {}, "integer from -2 to 2"),
        ([1], [0], {}, "positive finite"),
        ([1], [-1], {}, "positive finite"),
        ([1], [-0.5], {}, "positive finite"),
        ([1], [math.inf], {}, "positive finite"),
        ([1], [math.nan], {}, "positive finite"),
        ([1], ["2"], {}, "positive finite"),
        ([1], [1], {"rho": 1}, "rho"),
        ([1], [1], {"rho": 1.5}, "rho"),
        ([1], [1], {"rho": -0.1}, "rho"),
        ([1], [1], {"rho": math.nan}, "rho"),
    ],
)
def test_invalid_input_raises(levels, weights, kwargs, message):
    with pytest.raises(ValueError, match=message):
        t_score(levels, weights, **kwargs)


def test_error_names_the_position():
    with pytest.raises(ValueError, match="position 2"):
        t_score([0, 1, 5], [1, 1, 1])


# --- properties -------------------------------------------------------------

weights_st = st.floats(min_value=0.01, max_value=100, allow_nan=False, allow_infinity=False)


@st.composite
def scored_goals(draw):
    n = draw(st.integers(min_value=1, max_value=12))
    levels = draw(st.lists(st.sampled_from(LEVELS), min_size=n, max_size=n))
    weights = draw(st.lists(weights_st, min_size=n, max_size=n))
    return levels, weights


rhos = st.floats(min_value=0, max_value=0.99)


@settings(database=None)
@given(st.lists(weights_st, min_size=1, max_size=12), rhos)
def test_all_levels_zero_is_exactly_fifty(weights, rho):
    assert t_score([0] * len(weights), weights, rho) == 50


@settings(database=None)
@given(scored_goals(), rhos)
def test_negating_levels_mirrors_around_fifty(goals, rho):
    levels, weights = goals
    up = t_score(levels, weights, rho)
    down = t_score([-x for x in levels], weights, rho)
    assert up - 50 == pytest.approx(50 - down, abs=1e-9)


@settings(database=None)
@given(scored_goals(), rhos)
def test_stays_between_all_minus_two_and_all_plus_two(goals, rho):
    levels, weights = goals
    n = len(levels)
    score = t_score(levels, weights, rho)
    low = t_score([-2] * n, weights, rho)
    high = t_score([2] * n, weights, rho)
    assert low - 1e-9 <= score <= high + 1e-9


@settings(database=None)
@given(scored_goals())
def test_default_rho_bounds(goals):
    # |Σwx| ≤ 2Σw and the denominator ≥ √ρ·Σw, so |T − 50| ≤ 20/√ρ ≈ 36.5.
    levels, weights = goals
    bound = 20 / math.sqrt(DEFAULT_RHO)
    assert 50 - bound - 1e-9 <= t_score(levels, weights) <= 50 + bound + 1e-9


@settings(database=None)
@given(scored_goals(), rhos, st.integers(min_value=0, max_value=11))
def test_raising_one_level_never_lowers_the_score(goals, rho, index):
    levels, weights = goals
    i = index % len(levels)
    if levels[i] == 2:
        return
    higher = list(levels)
    higher[i] += 1
    assert t_score(higher, weights, rho) > t_score(levels, weights, rho)


# --- labels and ladders -----------------------------------------------------


def test_levels():
    assert LEVELS == (-2, -1, 0, 1, 2)


# the guideline's ladder (Dekkers et al. 2011, in 004 p. 46; DESIGN §2) — the labels before
# this said "veel minder dan verwacht … wat we verwachten", a ladder of expectations the
# guideline does not have: its 0 is the goal reached, its −2 worse than at the start
@pytest.mark.parametrize(
    ("level", "label"),
    [
        (-2, "slechter dan bij de start"),
        (-1, "vooruit, maar nog niet gehaald (of nog hetzelfde)"),
        (0, "het doel gehaald"),
        (1, "meer dan het doel"),
        (2, "veel meer dan het doel"),
    ],
)
def test_level_labels(level, label):
    assert level_label(level) == label


@pytest.mark.parametrize("level", [-3, 3, 0.0, "0", None, True])
def test_level_label_rejects_non_levels(level):
    with pytest.raises(ValueError):
        level_label(level)


def test_ladder_scorable_needs_minus_one_and_zero():
    assert ladder_is_scorable({-1: "Ik open mijn post soms", 0: "Ik open mijn post elke week"})
    assert ladder_is_scorable(
        {-2: "a", -1: "b", 0: "c", 1: "d", 2: "e"}
    )


@pytest.mark.parametrize(
    "descriptions",
    [
        {},
        {0: "het doel gehaald"},
        {-1: "het begin"},
        {-1: "het begin", 0: ""},
        {-1: "   ", 0: "het doel gehaald"},
        {-1: "het begin", 0: None},
        {-2: "a", 1: "b", 2: "c"},
    ],
)
def test_ladder_not_scorable(descriptions):
    assert not ladder_is_scorable(descriptions)


# --- the guideline's ladder: family words, level 0 the goal, the start -----------------------
def test_every_step_has_family_words_without_numbers_or_terms():
    from samenplan.domain.gas import STEP_WORDS, step_words

    assert set(STEP_WORDS) == set(LEVELS)
    assert step_words(0) == "Doel gehaald"
    assert step_words(-2) == "Het gaat slechter dan bij de start"
    for level in LEVELS:
        words = step_words(level)
        assert not any(ch.isdigit() for ch in words), words
        assert "GAS" not in words and "niveau" not in words.lower()
    with pytest.raises(ValueError):
        step_words(3)


def test_level_zero_is_prefilled_with_the_goal_when_not_described():
    from samenplan.domain.gas import prefilled

    title = "We hebben elke avond rust in huis"
    assert prefilled({}, title) == {2: "", 1: "", 0: title, -1: "", -2: ""}
    assert prefilled({0: "   ", -1: "Soms rustig"}, f"  {title} ")[0] == title
    # once described, level 0 is what was written, not overwritten by the title
    assert prefilled({0: "Vijf avonden per week rustig"}, title)[0] == "Vijf avonden per week rustig"


@pytest.mark.parametrize("baseline", [0, 1, 2])
def test_a_start_at_zero_or_higher_warns(baseline):
    from samenplan.domain.gas import start_warning

    warning = start_warning(baseline)
    assert warning is not None and "0 of hoger" in warning and "doel al gehaald" in warning


def test_a_start_below_the_goal_does_not_warn_and_minus_two_does():
    from samenplan.domain.gas import start_warning

    assert start_warning(-1) is None
    assert start_warning(None) is None
    assert "slechter dan bij de start" in start_warning(-2)
    with pytest.raises(ValueError):
        start_warning(5)
