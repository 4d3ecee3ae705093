"""Scaling questions 0-10: validation, follow-ups, trends and gaps."""
from __future__ import annotations

import enum

import pytest

from samenplan.domain.scaling import (
    FOLLOW_UPS,
    GAP_THRESHOLD,
    QUESTION_KEYS,
    QUESTIONS,
    TRENDS,
    Gap,
    follow_ups,
    gaps,
    trend,
    validate_score,
)


def test_three_questions():
    assert QUESTION_KEYS == ("voortgang", "motivatie", "vertrouwen")
    for key, question in QUESTIONS.items():
        assert question.key == key
        assert question.label
        assert question.text.endswith(".")
        assert "0" in question.text and "10" in question.text
    # the guideline's anchors (004 p. 46): 0 is "er is nog niets bereikt", not "heel slecht"
    assert QUESTIONS["voortgang"].text == (
        "Hoe gaat het met dit doel? 0 is: er is nog niets bereikt. 10 is: het is zoals je het wilt."
    )


def test_follow_up_templates():
    assert FOLLOW_UPS == (
        "Wat maakt dat het een {n} is en geen 0?",
        "Wat zou er anders zijn bij één punt hoger?",
    )


def test_follow_ups_for_a_six():
    assert follow_ups(6) == [
        "Wat maakt dat het een 6 is en geen 0?",
        "Wat zou er anders zijn bij één punt hoger?",
    ]


def test_follow_ups_at_the_ends():
    assert follow_ups(0) == ["Wat zou er anders zijn bij één punt hoger?"]
    assert follow_ups(10) == ["Wat maakt dat het een 10 is en geen 0?"]


# --- validate_score -------------------------------------------------------------


@pytest.mark.parametrize("value", list(range(11)))
def test_valid_scores(value):
    assert validate_score(value) == value


@pytest.mark.parametrize(("value", "expected"), [("7", 7), (" 0 ", 0), ("10", 10)])
def test_valid_form_strings(value, expected):
    assert validate_score(value) == expected


@pytest.mark.parametrize("value", [-1, 11, 100, "11", "-1"])
def test_out_of_range(value):
    with pytest.raises(ValueError, match="tussen 0 en 10"):
        validate_score(value)


@pytest.mark.parametrize("value", [6.5, 6.0, "6.5", "zes", "", None, True, False, [6]])
def test_not_a_whole_number(value):
    with pytest.raises(ValueError, match="heel getal"):
        validate_score(value)


# --- trend ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([], "nieuw"),
        ([5], "nieuw"),
        ([4, 6], "omhoog"),
        ([6, 4], "omlaag"),
        ([5, 5], "gelijk"),
        ([2, 8, 7], "omlaag"),  # only the last two count
        ([9, 3, 4], "omhoog"),
        ((3, 3, 3), "gelijk"),
    ],
)
def test_trend(scores, expected):
    assert trend(scores) == expected
    assert expected in TRENDS


# --- gaps -----------------------------------------------------------------------


def test_threshold_is_three():
    assert GAP_THRESHOLD == 3


def test_gap_of_three_is_visible_two_is_not():
    assert gaps({"moeder": ("family", 7), "wijkteam": ("professional", 4)}) == [
        Gap("moeder", 7, "wijkteam", 4)
    ]
    assert gaps({"moeder": ("family", 6), "wijkteam": ("professional", 4)}) == []


def test_gap_difference_and_direction():
    (gap,) = gaps({1: ("family", 2), 2: ("professional", 8)})
    assert gap.difference == 6
    assert not gap.family_higher
    (gap,) = gaps({1: ("family", 9), 2: ("casusregisseur", 5)})
    assert gap.difference == 4
    assert gap.family_higher


def test_no_gaps_within_one_side_or_with_network():
    latest = {
        "moeder": ("family", 1),
        "zoon": ("family", 9),
        "oma": ("network", 10),
        "ggz": ("professional", 3),
        "school": ("professional", 0),
    }
    found = gaps(latest)
    pairs = {(g.family_respondent, g.professional_respondent) for g in found}
    assert pairs == {("zoon", "ggz"), ("zoon", "school")}
    assert all(g.family_respondent != "oma" for g in found)


def test_every_family_professional_pair_largest_first():
    latest = {
        "moeder": ("family", 8),
        "vader": ("family", 9),
        "wijkteam": ("casusregisseur", 5),
        "jeugdhulp": ("professional", 2),
    }
    found = [(g.family_respondent, g.professional_respondent, g.difference) for g in gaps(latest)]
    assert found == [
        ("vader", "jeugdhulp", 7),
        ("moeder", "jeugdhulp", 6),
        ("vader", "wijkteam", 4),
        ("moeder", "wijkteam", 3),
    ]


def test_gaps_accept_str_enum_roles():
    class Role(str, enum.Enum):
        FAMILY = "family"
        PROFESSIONAL = "professional"

    assert gaps({1: (Role.FAMILY, 10), 2: (Role.PROFESSIONAL, 0)}) == [Gap(1, 10, 2, 0)]


def test_gaps_empty_and_one_sided():
    assert gaps({}) == []
    assert gaps({1: ("family", 0), 2: ("family", 10)}) == []


def test_gaps_reject_invalid_scores():
    with pytest.raises(ValueError):
        gaps({1: ("family", 11), 2: ("professional", 0)})


# --- who answers what (DESIGN §2: motivation and confidence are the family's) ----------------
def test_family_answers_three_questions_others_progress_only():
    from samenplan.domain.scaling import questions_for
    from samenplan.domain.vocabulary import Role

    assert questions_for(Role.FAMILY) == ("voortgang", "motivatie", "vertrouwen")
    for role in (Role.NETWORK, Role.PROFESSIONAL, Role.CASUSREGISSEUR):
        assert questions_for(role) == ("voortgang",), role
    assert questions_for("network") == ("voortgang",)


def test_the_anchors_are_the_guidelines():
    text = QUESTIONS["voortgang"].text
    assert "0 is: er is nog niets bereikt" in text
    assert "heel slecht" not in text
