"""Example goals: enough of them, every life domain, positive, searchable."""
from __future__ import annotations

from collections import Counter

import pytest

from samenplan.domain.examples import EXAMPLE_GOALS, ExampleGoal, search_examples
from samenplan.domain.goals import LIFE_DOMAIN_CODES, is_positively_phrased


def test_enough_examples():
    assert len(EXAMPLE_GOALS) >= 36


def test_every_domain_is_covered_and_every_domain_is_known():
    counts = Counter(example.domain for example in EXAMPLE_GOALS)
    assert set(counts) == set(LIFE_DOMAIN_CODES)
    assert all(counts[code] >= 1 for code in LIFE_DOMAIN_CODES)


@pytest.mark.parametrize("example", EXAMPLE_GOALS, ids=lambda e: e.text[:30])
def test_examples_are_positive_plain_sentences(example: ExampleGoal):
    assert is_positively_phrased(example.text), example.text
    assert example.text[0].isupper()
    assert example.text.endswith(".")
    assert len(example.text.split()) <= 15  # short enough for B1
    assert example.domain_label


def test_examples_are_unique():
    texts = [example.text for example in EXAMPLE_GOALS]
    assert len(texts) == len(set(texts))


def test_the_example_from_the_brief_is_there():
    assert ExampleGoal("We eten drie keer per week samen aan tafel.", "huiselijke_relaties") in (
        EXAMPLE_GOALS
    )


def test_empty_query_returns_all():
    assert search_examples("") == list(EXAMPLE_GOALS)
    assert search_examples("   ") == list(EXAMPLE_GOALS)


def test_domain_filter():
    found = search_examples("", domain="veiligheid")
    assert found
    assert all(example.domain == "veiligheid" for example in found)
    assert len(found) == sum(1 for e in EXAMPLE_GOALS if e.domain == "veiligheid")


def test_unknown_domain_is_an_error():
    with pytest.raises(ValueError):
        search_examples("", domain="onbekend")


def test_search_is_case_insensitive():
    lower = search_examples("tafel")
    assert lower == search_examples("TAFEL") == search_examples("Tafel")
    assert any("samen aan tafel" in example.text for example in lower)


def test_search_ignores_accents_both_ways():
    # "één" in the text, found by "een" and "EEN"; "Financiën" as domain label.
    found = search_examples("een ochtend")
    assert any("één ochtend" in example.text for example in found)
    assert search_examples("EEN OCHTEND") == found
    by_label = search_examples("financien")
    assert by_label == search_examples("Financiën")
    assert by_label == [e for e in EXAMPLE_GOALS if e.domain == "financien"]


def test_search_matches_words_not_fragments_inside_words():
    # "eten" is a word in the table example, and only a fragment of "weten".
    found = search_examples("eten")
    assert any("samen aan tafel" in example.text for example in found)
    assert not any(example.text.startswith("De kinderen weten") for example in found)


def test_search_matches_word_starts_for_typing():
    assert search_examples("taf") == search_examples("tafel")


def test_every_query_word_must_match():
    assert search_examples("tafel school") == []
    both = search_examples("kinderen school")
    assert both
    for example in both:
        words = example.text.lower()
        assert "kinderen" in words and "school" in words


def test_search_with_domain_filter():
    found = search_examples("kinderen", domain="scholing")
    assert found
    assert all(example.domain == "scholing" for example in found)


def test_no_match():
    assert search_examples("ruimtevaart") == []
