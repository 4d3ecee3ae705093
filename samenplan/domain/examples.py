"""Example goals, to help a family find words for their own goals.

Every example is in plain Dutch (B1), positively phrased (it says what the
family wants to happen, not what should stop) and in the words a family would
use. Each belongs to one life domain; together they cover all 18.

Pure: no Flask, no database.
"""
from __future__ import annotations

from dataclasses import dataclass

from samenplan.domain.goals import LIFE_DOMAIN_LABELS, life_domain_label, text_words
from samenplan.domain.i18n import _

__all__ = ["EXAMPLE_GOALS", "ExampleGoal", "search_examples"]


@dataclass(frozen=True)
class ExampleGoal:
    """An example goal: the text in the family's words, and its life domain code."""

    text: str
    domain: str

    @property
    def domain_label(self) -> str:
        return life_domain_label(self.domain)


def _examples(domain: str, *texts: str) -> tuple[ExampleGoal, ...]:
    return tuple(ExampleGoal(text=text, domain=domain) for text in texts)


EXAMPLE_GOALS: tuple[ExampleGoal, ...] = (
    *_examples(
        "financien",
        _("Ik betaal elke maand op tijd de huur en de energie."),
        _("We schrijven elke week samen op wat we uitgeven."),
        _("Ik open mijn post elke week samen met iemand die ik vertrouw."),
    ),
    *_examples(
        "werk_opleiding",
        _("Ik heb een baan van twintig uur per week."),
        _("Ik maak mijn opleiding tot kok af."),
    ),
    *_examples(
        "tijdsbesteding",
        _("Ik sport twee keer per week met een vriend."),
        _("De kinderen hebben elk een club of hobby waar ze graag heen gaan."),
    ),
    *_examples(
        "huisvesting",
        _("We wonen in een huis met genoeg ruimte voor ons allemaal."),
        _("Ons huis is schoon en opgeruimd, zodat we er fijn wonen."),
    ),
    *_examples(
        "huiselijke_relaties",
        _("We eten drie keer per week samen aan tafel."),
        _("Als we ruzie hebben, praten we het later rustig uit."),
    ),
    *_examples(
        "geestelijke_gezondheid",
        _("Ik weet wat ik kan doen als ik me somber voel."),
        _("Ik praat elke twee weken met mijn behandelaar over hoe het gaat."),
    ),
    *_examples(
        "lichamelijke_gezondheid",
        _("Ik ga op tijd naar de huisarts en de tandarts."),
        _("Ik ga elke avond om elf uur naar bed, zodat ik goed uitgerust ben."),
    ),
    *_examples(
        "middelengebruik",
        _("Ik blijf nuchter als ik voor de kinderen zorg."),
        _("Ik weet wie ik kan bellen als ik zin krijg om te gebruiken."),
    ),
    *_examples(
        "basale_adl",
        _("Ik was me elke ochtend en trek schone kleren aan."),
        _("Ik eet elke dag drie maaltijden."),
    ),
    *_examples(
        "instrumentele_adl",
        _("Ik doe zelf de boodschappen met een boodschappenlijstje."),
        _("Ik zet mijn afspraken zelf in de agenda op mijn telefoon."),
    ),
    *_examples(
        "sociaal_netwerk",
        _("Ik heb twee mensen die ik kan bellen als het even tegenzit."),
        _("Oma past elke woensdag op de kinderen."),
    ),
    *_examples(
        "maatschappelijke_participatie",
        _("Ik doe één ochtend per week vrijwilligerswerk."),
        _("We gaan een keer per maand naar een activiteit in het buurthuis."),
    ),
    *_examples(
        "justitie",
        _("Ik kom op tijd naar alle afspraken met de reclassering."),
        _("Ik heb een betalingsregeling voor mijn boetes en betaal elke maand."),
    ),
    *_examples(
        "lichamelijke_verzorging",
        _("De kinderen gaan elke dag met een gezonde lunch naar school."),
        _("De kinderen poetsen elke ochtend en avond hun tanden."),
    ),
    *_examples(
        "sociaal_emotionele_ondersteuning",
        _("Ik lees elke avond voor aan mijn zoon."),
        _("Ik vraag elke dag aan de kinderen hoe hun dag was."),
        _("Ik geef mijn kinderen elke dag een compliment."),
    ),
    *_examples(
        "scholing",
        _("De kinderen zijn elke schooldag op tijd op school."),
        _("We maken samen een rustige plek in huis om huiswerk te maken."),
        _("Ik ga naar elk oudergesprek op school."),
    ),
    *_examples(
        "opvang",
        _("De kinderen gaan na school naar de opvang als ik werk."),
        _("Er is altijd iemand die de kinderen kan ophalen als ik moet werken."),
    ),
    *_examples(
        "veiligheid",
        _("De kinderen weten wie ze kunnen bellen als ze hulp nodig hebben."),
        _("Als ik boos word, neem ik eerst tien minuten pauze."),
        _("Iedereen in huis voelt zich veilig."),
    ),
)


def search_examples(query: str, domain: str | None = None) -> list[ExampleGoal]:
    """Example goals matching `query`, optionally only those of one life domain.

    Matching is by word, ignoring case and accents ("een" finds "één",
    "financien" finds "Financiën"): every word of the query must be the start
    of a word in the example's text or in its domain label. An empty query
    returns every example (of the domain, if given). The order is that of
    EXAMPLE_GOALS. ValueError for an unknown domain code.
    """
    if domain is not None and domain not in LIFE_DOMAIN_LABELS:
        raise ValueError(f"unknown life domain {domain!r}")
    wanted = text_words(query or "")
    results: list[ExampleGoal] = []
    for example in EXAMPLE_GOALS:
        if domain is not None and example.domain != domain:
            continue
        words = text_words(example.text) + text_words(example.domain_label)
        if all(any(word.startswith(w) for word in words) for w in wanted):
            results.append(example)
    return results
