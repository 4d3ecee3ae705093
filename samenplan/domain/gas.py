"""Goal Attainment Scaling (GAS).

As the guideline has it (Dekkers et al. 2011, in 004 p. 46): each goal has a
ladder of five levels, each with a description: −2 worse than at the start,
−1 forward but not yet reached (or still the same), 0 the goal reached — the
goal as written and agreed, so level 0 starts as the goal's own words —, +1
more than the goal, +2 much more. The start situation has a description of its
own; its place on the ladder (`Goal.gas_baseline`) is below 0, since at the
start the goal is not reached yet: a start put at 0 or higher gets a warning
(a nudge, not a block). At an evaluation every goal gets a level, and the plan
gets the Kiresuk-Sherman T-score::

    T = 50 + 10·Σwᵢxᵢ / √((1−ρ)·Σwᵢ² + ρ·(Σwᵢ)²)

with ρ = 0.3, the customary assumed correlation between goal scores. T = 50
means "on average exactly the goals reached"; every 10 points is one standard
deviation above or below that. The weight and the T-score are for
professionals; families see their goal's steps in words (`STEP_WORDS`).

Pure: no Flask, no database.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from numbers import Integral, Real

from samenplan.domain.i18n import _

__all__ = [
    "DEFAULT_RHO",
    "LEVELS",
    "LEVEL_LABELS",
    "MIN_LEVEL",
    "MAX_LEVEL",
    "REQUIRED_LEVELS",
    "STEP_WORDS",
    "ladder_is_scorable",
    "level_label",
    "prefilled",
    "start_warning",
    "step_words",
    "t_score",
]

#: The five GAS levels, from worse than at the start to much more than the goal.
LEVELS: tuple[int, ...] = (-2, -1, 0, 1, 2)
MIN_LEVEL = LEVELS[0]
MAX_LEVEL = LEVELS[-1]

#: Assumed correlation between the goals' scores (Kiresuk & Sherman).
DEFAULT_RHO = 0.3

#: The guideline's names of the levels (marked for translation), as professionals read them
#: next to the number.
LEVEL_LABELS: Mapping[int, str] = {
    -2: _("slechter dan bij de start"),
    -1: _("vooruit, maar nog niet gehaald (of nog hetzelfde)"),
    0: _("het doel gehaald"),
    1: _("meer dan het doel"),
    2: _("veel meer dan het doel"),
}

#: The same steps in the words a family reads ("stappen naar het doel"), without numbers.
STEP_WORDS: Mapping[int, str] = {
    -2: _("Het gaat slechter dan bij de start"),
    -1: _("Op weg, maar nog niet gehaald"),
    0: _("Doel gehaald"),
    1: _("Meer dan het doel"),
    2: _("Veel meer dan het doel"),
}

#: Levels that must be described before a goal can be scored: the goal reached (0) and the
#: way there (−1, where the family is while working on it).
REQUIRED_LEVELS: tuple[int, ...] = (-1, 0)


def _is_level(value: object) -> bool:
    return (
        isinstance(value, Integral)
        and not isinstance(value, bool)
        and MIN_LEVEL <= value <= MAX_LEVEL
    )


def level_label(level: int) -> str:
    """The Dutch plain-language label of a GAS level (−2..+2)."""
    if not _is_level(level):
        raise ValueError(f"GAS level must be an integer from -2 to 2, got {level!r}")
    return LEVEL_LABELS[int(level)]


def step_words(level: int) -> str:
    """The family's words for a GAS level (−2..+2): the step, without number or term."""
    if not _is_level(level):
        raise ValueError(f"GAS level must be an integer from -2 to 2, got {level!r}")
    return STEP_WORDS[int(level)]


def prefilled(descriptions: Mapping[int, str | None], goal_title: str) -> dict[int, str]:
    """The ladder to put in the form: as described, and when level 0 is not described yet,
    level 0 in the goal's own words (0 IS the goal as written and agreed)."""
    ladder = {level: str(descriptions.get(level) or "") for level in LEVELS}
    if not ladder[0].strip():
        ladder[0] = goal_title.strip()
    return ladder


#: A start at 0 or higher: the goal would be reached before anyone began.
_START_AT_GOAL = _(
    "Let op: je zet de start op 0 of hoger. Op 0 is het doel al gehaald. Klopt dat? Zet de "
    "start dan lager, of maak het doel groter."
)
#: A start at −2: −2 means worse than at the start, so the start cannot be there.
_START_BELOW = _(
    "Let op: je zet de start op −2. −2 betekent: slechter dan bij de start. De start hoort "
    "meestal bij −1."
)


def start_warning(baseline: int | None) -> str | None:
    """A Dutch warning (a nudge, the save stands) when the start is put where it cannot be:
    at 0 or higher (the goal reached already) or at −2 (worse than the start). None for −1 or
    no start chosen. ValueError for a level outside −2..+2."""
    if baseline is None:
        return None
    if not _is_level(baseline):
        raise ValueError(f"GAS level must be an integer from -2 to 2, got {baseline!r}")
    if baseline >= 0:
        return _START_AT_GOAL
    if baseline == MIN_LEVEL:
        return _START_BELOW
    return None


def t_score(
    levels: Sequence[int],
    weights: Sequence[float],
    rho: float = DEFAULT_RHO,
) -> float:
    """The Kiresuk-Sherman T-score of goals scored at `levels` with `weights`.

    `levels[i]` and `weights[i]` belong to the same goal. Levels are integers
    from −2 to +2; weights are positive finite numbers; `rho` is in [0, 1).

    Raises ValueError on empty input, unequal lengths, a level that is not an
    integer in −2..+2, a weight that is not a positive finite number, or a
    `rho` outside [0, 1).
    """
    levels = list(levels)
    weights = list(weights)
    if not levels:
        raise ValueError("t_score needs at least one goal (levels is empty)")
    if len(levels) != len(weights):
        raise ValueError(
            f"t_score needs one weight per level: got {len(levels)} levels "
            f"and {len(weights)} weights"
        )
    for i, level in enumerate(levels):
        if not _is_level(level):
            raise ValueError(
                f"GAS level must be an integer from -2 to 2, got {level!r} at position {i}"
            )
    for i, weight in enumerate(weights):
        if (
            not isinstance(weight, Real)
            or isinstance(weight, bool)
            or not math.isfinite(weight)
            or weight <= 0
        ):
            raise ValueError(
                f"GAS weight must be a positive finite number, got {weight!r} at position {i}"
            )
    if (
        not isinstance(rho, Real)
        or isinstance(rho, bool)
        or not (0 <= rho < 1)  # also rejects NaN
    ):
        raise ValueError(f"rho must be at least 0 and less than 1, got {rho!r}")

    weighted_sum = math.fsum(float(w) * int(x) for x, w in zip(levels, weights))
    sum_of_squares = math.fsum(float(w) ** 2 for w in weights)
    square_of_sum = math.fsum(float(w) for w in weights) ** 2
    denominator = math.sqrt((1 - rho) * sum_of_squares + rho * square_of_sum)
    return 50 + 10 * weighted_sum / denominator


def ladder_is_scorable(descriptions: Mapping[int, str | None]) -> bool:
    """Whether a goal's ladder can be scored: levels −1 and 0 are described.

    `descriptions` maps a level to its description; a missing, empty or
    whitespace-only description does not count. (The start has a description of its own,
    `Goal.gas_start`; it helps to read −2 and −1, but a ladder can be scored without it.)
    """
    for level in REQUIRED_LEVELS:
        text = descriptions.get(level)
        if text is None or not str(text).strip():
            return False
    return True
