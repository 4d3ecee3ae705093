"""Goals: life domains, statuses, MAGIE and SMART, and the goal limit."""
from __future__ import annotations

import dataclasses
import re
from datetime import date

import pytest

from samenplan.domain.vocabulary import GoalStatus
from samenplan.domain.goals import (
    ALLOWED_TRANSITIONS,
    FINAL_STATUSES,
    LIFE_DOMAIN_CODES,
    LIFE_DOMAIN_GROUPS,
    LIFE_DOMAINS,
    Check,
    GoalFacts,
    can_transition,
    goal_limit,
    is_positively_phrased,
    life_domain_label,
    limit_warning,
    magie,
    missing,
    negations_in,
    smart,
)

# A goal that passes every letter of both checks.
GOOD = GoalFacts(
    title="We eten drie keer per week samen aan tafel",
    description="Op maandag, woensdag en zondag koken we samen en eten we om zes uur.",
    indicator="We turven op de kalender in de keuken hoe vaak we samen eten.",
    has_gas_ladder=True,
    start_date=date(2025, 1, 6),
    end_date=date(2025, 6, 30),
    family_agreed=True,
    family_seen=True,
    has_sub_goals=False,
    sub_goals_smart=False,
    owner_set=True,
    actions_count=2,
    realistic_confirmed=True,
)


def by_letter(checks: list[Check]) -> dict[str, Check]:
    return {c.letter: c for c in checks}


def with_(**changes) -> GoalFacts:
    return dataclasses.replace(GOOD, **changes)


# --- life domains -----------------------------------------------------------


def test_eighteen_life_domains_in_design_order():
    assert LIFE_DOMAINS == (
        ("financien", "Financiën"),
        ("werk_opleiding", "Werk & opleiding"),
        ("tijdsbesteding", "Tijdsbesteding"),
        ("huisvesting", "Huisvesting"),
        ("huiselijke_relaties", "Huiselijke relaties"),
        ("geestelijke_gezondheid", "Geestelijke gezondheid"),
        ("lichamelijke_gezondheid", "Lichamelijke gezondheid"),
        ("middelengebruik", "Middelengebruik"),
        ("basale_adl", "Basale ADL"),
        ("instrumentele_adl", "Instrumentele ADL"),
        ("sociaal_netwerk", "Sociaal netwerk"),
        ("maatschappelijke_participatie", "Maatschappelijke participatie"),
        ("justitie", "Justitie"),
        ("lichamelijke_verzorging", "Lichamelijke verzorging"),
        ("sociaal_emotionele_ondersteuning", "Sociaal-emotionele ondersteuning"),
        ("scholing", "Scholing"),
        ("opvang", "Opvang"),
        ("veiligheid", "Veiligheid"),
    )


def test_life_domain_codes_are_ascii_snake_case_and_unique():
    assert len(set(LIFE_DOMAIN_CODES)) == 18
    for code in LIFE_DOMAIN_CODES:
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*", code), code


def test_life_domain_groups_cover_all_domains_once():
    grouped = [d for _label, domains in LIFE_DOMAIN_GROUPS for d in domains]
    assert tuple(grouped) == LIFE_DOMAINS
    assert [len(domains) for _label, domains in LIFE_DOMAIN_GROUPS] == [13, 4, 1]


def test_life_domain_label():
    assert life_domain_label("werk_opleiding") == "Werk & opleiding"
    with pytest.raises(ValueError):
        life_domain_label("onbekend")


# --- statuses ---------------------------------------------------------------


def test_statuses():
    assert GoalStatus.codes() == ("concept", "actief", "gepauzeerd", "behaald", "gestopt")
    assert GoalStatus("gepauzeerd").label == "Gepauzeerd"
    assert GoalStatus.DRAFT.label == "Idee"  # DESIGN §2: idee, actief, gepauzeerd, behaald, gestopt
    assert set(ALLOWED_TRANSITIONS) == set(GoalStatus)
    assert FINAL_STATUSES == {"behaald", "gestopt"}


ALLOWED = {
    ("concept", "actief"),
    ("concept", "gestopt"),
    ("actief", "gepauzeerd"),
    ("actief", "behaald"),
    ("actief", "gestopt"),
    ("gepauzeerd", "actief"),
    ("gepauzeerd", "gestopt"),
}
ALL_PAIRS = [(a.value, b.value) for a in GoalStatus for b in GoalStatus]


@pytest.mark.parametrize(("old", "new"), ALL_PAIRS)
def test_transitions(old, new):
    assert can_transition(old, new) is ((old, new) in ALLOWED)


def test_final_statuses_have_no_way_out():
    for status in ("behaald", "gestopt"):
        assert not any(can_transition(status, new) for new in GoalStatus)


def test_unknown_status_cannot_transition():
    assert not can_transition("onbekend", "actief")
    assert not can_transition("actief", "onbekend")


# --- the good goal passes everything -----------------------------------------


def test_good_goal_passes_magie_and_smart():
    assert [c.letter for c in magie(GOOD)] == list("MAGIE")
    assert [c.letter for c in smart(GOOD)] == list("SMART")
    assert missing(magie(GOOD)) == []
    assert missing(smart(GOOD)) == []
    assert all(c.hint == "" for c in magie(GOOD) + smart(GOOD))


def test_names():
    assert [c.name for c in magie(GOOD)] == [
        "Meetbaar", "Acceptabel", "Gecommuniceerd", "Inspirerend", "Engagerend",
    ]
    assert [c.name for c in smart(GOOD)] == [
        "Specifiek", "Meetbaar", "Acceptabel", "Realistisch", "Tijdgebonden",
    ]


def test_missing_keeps_order_and_only_failures():
    checks = magie(with_(family_agreed=False, owner_set=False))
    assert [c.letter for c in missing(checks)] == ["A", "E"]


def assert_fails(check: Check, *words: str) -> None:
    assert not check.ok
    assert check.hint
    for word in words:
        assert word in check.hint


# --- MAGIE letter by letter ---------------------------------------------------


def test_magie_meetbaar_by_indicator_or_ladder():
    assert by_letter(magie(with_(has_gas_ladder=False)))["M"].ok
    assert by_letter(magie(with_(indicator="")))["M"].ok
    check = by_letter(magie(with_(indicator="  ", has_gas_ladder=False)))["M"]
    assert_fails(check, "doelladder")


def test_magie_acceptabel():
    assert_fails(by_letter(magie(with_(family_agreed=False)))["A"], "gezin")


def test_magie_gecommuniceerd():
    assert_fails(by_letter(magie(with_(family_seen=False)))["G"], "gezin")


@pytest.mark.parametrize(
    "title",
    [
        "Niet meer schreeuwen tegen de kinderen",
        "Geen schulden meer",
        "Nooit meer te laat op school",
        "Stoppen met blowen",
        "Ik stop met roken",
        "Minder ruzie thuis",
        "Ik wil minderen met drinken",
        "Er komt NIET meer de politie",
        "Geén boetes",
    ],
)
def test_magie_inspirerend_fails_on_negations(title):
    check = by_letter(magie(with_(title=title)))["I"]
    assert_fails(check, "wél")
    assert not is_positively_phrased(title)


@pytest.mark.parametrize(
    "title",
    [
        "We genieten samen van het weekend",  # "genieten" contains "niet"
        "We eten drie keer per week samen aan tafel",
        "Ik haal de kinderen elke dag af van school",
        "Ik heb een baan",
    ],
)
def test_magie_inspirerend_passes_positive_titles(title):
    assert by_letter(magie(with_(title=title)))["I"].ok
    assert is_positively_phrased(title)


def test_negations_in_reports_what_it_found():
    assert negations_in("Stoppen met roken en geen bier") == ["stoppen met", "geen"]
    assert negations_in("We lachen samen") == []


def test_inspirerend_only_looks_at_the_title():
    goal = with_(description="Nu is er geen rust", indicator="We hebben niet meer dan 1 ruzie")
    assert by_letter(magie(goal))["I"].ok


def test_magie_engagerend_needs_owner_and_action():
    no_owner = by_letter(magie(with_(owner_set=False)))["E"]
    assert_fails(no_owner, "trekt")
    assert "actie" not in no_owner.hint

    no_action = by_letter(magie(with_(actions_count=0)))["E"]
    assert_fails(no_action, "actie")
    assert "trekt" not in no_action.hint

    neither = by_letter(magie(with_(owner_set=False, actions_count=0)))["E"]
    assert_fails(neither, "trekt", "actie")


# --- SMART letter by letter ---------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Rust",
        "Beter eten",  # two words
        "Het gaat beter",  # only vague words
        "Alles wordt weer goed",
        "We zijn gelukkig samen",
    ],
)
def test_smart_specifiek_fails_on_short_or_vague_titles(title):
    assert_fails(by_letter(smart(with_(title=title)))["S"], "concreet")


def test_smart_specifiek_needs_description_or_sub_goals():
    check = by_letter(smart(with_(description="  ")))["S"]
    assert_fails(check, "tussendoelen")
    assert "concreet" not in check.hint
    # Sub-goals are detail enough, even when they are not SMART yet.
    assert by_letter(smart(with_(description="", has_sub_goals=True)))["S"].ok


def test_smart_specifiek_both_problems_both_hints():
    check = by_letter(smart(with_(title="Het gaat beter", description="")))["S"]
    assert_fails(check, "concreet", "precies")


def test_smart_meetbaar():
    assert by_letter(smart(with_(indicator="")))["M"].ok
    assert_fails(by_letter(smart(with_(indicator="", has_gas_ladder=False)))["M"])


def test_smart_acceptabel():
    assert_fails(by_letter(smart(with_(family_agreed=False)))["A"], "gezin")


def test_smart_realistisch():
    assert_fails(by_letter(smart(with_(realistic_confirmed=False)))["R"], "haalbaar")


@pytest.mark.parametrize(
    ("start", "end", "hint"),
    [
        (None, date(2025, 6, 30), "startdatum"),
        (date(2025, 1, 6), None, "einddatum"),
        (None, None, "startdatum"),
        (date(2025, 6, 30), date(2025, 6, 30), "na de startdatum"),
        (date(2025, 6, 30), date(2025, 1, 6), "na de startdatum"),
    ],
)
def test_smart_tijdgebonden_fails(start, end, hint):
    check = by_letter(smart(with_(start_date=start, end_date=end)))["T"]
    assert_fails(check, hint)


def test_smart_tijdgebonden_passes_with_end_after_start():
    goal = with_(start_date=date(2025, 1, 6), end_date=date(2025, 1, 7))
    assert by_letter(smart(goal))["T"].ok


# --- a MAGIE goal is made SMART by its sub-goals -------------------------------

# A family's goal in their words: MAGIE-style, nothing SMART of its own.
BROAD = GoalFacts(
    title="Rust in huis",
    description="",
    indicator="",
    has_gas_ladder=False,
    start_date=None,
    end_date=None,
    family_agreed=False,
    family_seen=True,
    owner_set=True,
    actions_count=1,
    realistic_confirmed=False,
)


def test_broad_goal_fails_every_smart_letter_alone():
    assert [c.letter for c in missing(smart(BROAD))] == list("SMART")


def test_smart_sub_goals_make_every_letter_met():
    goal = dataclasses.replace(BROAD, has_sub_goals=True, sub_goals_smart=True)
    assert missing(smart(goal)) == []
    assert all(c.hint == "" for c in smart(goal))


def test_sub_goals_that_are_not_all_smart_do_not_count():
    goal = dataclasses.replace(BROAD, has_sub_goals=True, sub_goals_smart=False)
    failing = missing(smart(goal))
    # S: sub-goals give detail, but the title itself is still vague.
    assert [c.letter for c in failing] == list("SMART")
    assert all("tussendoelen SMART" in c.hint for c in failing)


def test_sub_goals_smart_without_sub_goals_does_not_count():
    goal = dataclasses.replace(BROAD, has_sub_goals=False, sub_goals_smart=True)
    assert [c.letter for c in missing(smart(goal))] == list("SMART")
    assert all("tussendoelen SMART" not in c.hint for c in smart(goal))


def test_sub_goals_do_not_change_magie():
    goal = dataclasses.replace(BROAD, has_sub_goals=True, sub_goals_smart=True)
    assert magie(goal) == magie(BROAD)


# --- limits -------------------------------------------------------------------


def test_goal_limit():
    assert goal_limit(any_lvb=False) == 5
    assert goal_limit(any_lvb=True) == 3


@pytest.mark.parametrize("active", [0, 1, 5])
def test_no_warning_up_to_five(active):
    assert limit_warning(active, any_lvb=False) is None


def test_warning_at_six():
    assert limit_warning(6, any_lvb=False) == (
        "Jullie hebben 6 actieve doelen. Met meer dan 5 doelen tegelijk lukt vaak "
        "geen enkel doel goed. Kies samen wat nu het belangrijkst is."
    )


@pytest.mark.parametrize("active", [0, 3])
def test_no_lvb_warning_up_to_three(active):
    assert limit_warning(active, any_lvb=True) is None


def test_lvb_warning_at_four():
    warning = limit_warning(4, any_lvb=True)
    assert warning is not None
    assert warning.startswith("Jullie hebben 4 actieve doelen.")
    assert "overzicht" in warning
    assert "3" in warning


def test_lvb_warns_where_the_general_limit_does_not():
    assert limit_warning(4, any_lvb=False) is None
    assert limit_warning(4, any_lvb=True) is not None


def test_negative_count_is_an_error():
    with pytest.raises(ValueError):
        limit_warning(-1, any_lvb=False)


# --- purity -------------------------------------------------------------------


@pytest.mark.parametrize("module", ["gas", "goals", "scaling", "examples", "i18n"])
def test_domain_modules_import_no_framework(module):
    import ast
    import importlib

    source_file = importlib.import_module(f"samenplan.domain.{module}").__file__
    with open(source_file, encoding="utf-8") as f:
        tree = ast.parse(f.read())
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & {"flask", "flask_babel", "sqlalchemy", "wtforms", "babel"}


def test_life_domain_name_is_plain_for_a_family_reader():
    from samenplan.domain.goals import life_domain_choices, life_domain_name

    assert life_domain_name("financien", for_family=True) == "Geld"
    assert life_domain_name("financien", for_family=False) == "Financiën"
    assert life_domain_name("instrumentele_adl", for_family=True) == "Huishouden en post"
    assert life_domain_name("veiligheid", for_family=True) == "Veiligheid"
    family = dict(life_domain_choices(for_family=True))
    assert "Basale ADL" not in family.values() and len(family) == len(life_domain_choices(False))
    with pytest.raises(ValueError):
        life_domain_name("onbekend", for_family=True)
