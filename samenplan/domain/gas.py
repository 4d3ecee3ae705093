"""Goal Attainment Scaling (GAS).

Each goal has a ladder of five levels, −2..+2, each with a description:
−1 is usually where the family starts, 0 the expected result, +1 and +2
better than expected. At an evaluation every goal gets a level, and the plan
gets the Kiresuk-Sherman T-score::

    T = 50 + 10·Σwᵢxᵢ / √((1−ρ)·Σwᵢ² + ρ·(Σwᵢ)²)

with ρ = 0.3, the customary assumed correlation between goal scores. T = 50
means "on average exactly what we expected"; every 10 points is one standard
deviation above or below that.

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
    "ladder_is_scorable",
    "level_label",
    "t_score",
]

#: The five GAS levels, from much less to much more than expected.
LEVELS: tuple[int, ...] = (-2, -1, 0, 1, 2)
MIN_LEVEL = LEVELS[0]
MAX_LEVEL = LEVELS[-1]

#: Assumed correlation between the goals' scores (Kiresuk & Sherman).
DEFAULT_RHO = 0.3

#: Plain-language Dutch names of the levels (marked for translation).
LEVEL_LABELS: Mapping[int, str] = {
    -2: _("veel minder dan verwacht"),
    -1: _("minder dan verwacht (vaak het begin)"),
    0: _("wat we verwachten"),
    1: _("meer dan verwacht"),
    2: _("veel meer dan verwacht"),
}

#: Levels that must be described before a goal can be scored: where the family
#: usually starts (−1) and the expected result (0).
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
    whitespace-only description does not count.
    """
    for level in REQUIRED_LEVELS:
        text = descriptions.get(level)
        if text is None or not str(text).strip():
            return False
    return True
