"""The joint analysis (gezamenlijke analyse, DESIGN §2 "the cycle"; 004 ch. 4: "Wat gaat er al
goed, welke problemen zijn het belangrijkst, wat kunnen de gezinsleden en hun netwerk zelf en
waarbij heeft het gezin ondersteuning nodig ... welke hulp is reeds ingezet, wat werkte daarin
wel en niet"): the steps the casusregisseur goes through with the family, in order, each a plain
question with a few examples, and the plan section its answers are written in. Pure: no Flask,
no database. Texts are Dutch source text, translated where they are shown."""
from __future__ import annotations

from dataclasses import dataclass

from samenplan.domain.i18n import _
from samenplan.domain.vocabulary import SectionKind

#: the step about earlier help: its answers belong in the timeline (tijdlijn), not in a section
EARLIER_HELP = "eerdere_hulp"


@dataclass(frozen=True)
class Step:
    code: str  # in the step's address
    section: SectionKind | None  # where its answers go (None: earlier help, in the timeline)
    question: str
    examples: tuple[str, ...]


STEPS: tuple[Step, ...] = (
    Step(SectionKind.STRENGTHS.value, SectionKind.STRENGTHS,
         _("Wat gaat er goed? Waar zijn jullie blij mee of trots op?"),
         (_("Oma haalt Noah elke dag op van school."), _("Lisa kan goed tekenen."),
          _("We eten elke avond samen."))),
    Step(SectionKind.WORRIES.value, SectionKind.WORRIES,
         _("Waar maken jullie je zorgen over?"),
         (_("Er komen veel brieven over geld."), _("Noah slaapt slecht."),
          _("Ik ben vaak moe en somber."))),
    Step(SectionKind.OWN_STEPS.value, SectionKind.OWN_STEPS,
         _("Wat kunnen jullie zelf doen? En wat kunnen de mensen om jullie heen doen?"),
         (_("Oma past op woensdag op Noah."), _("Ik maak elke week een lijstje van wat ik moet betalen."),
          _("De buurvrouw gaat mee naar afspraken."))),
    Step(SectionKind.HELP_NEEDED.value, SectionKind.HELP_NEEDED,
         _("Waarbij hebben jullie hulp nodig van een hulpverlener?"),
         (_("Hulp om overzicht te krijgen over de schulden."),
          _("Iemand om mee te praten over hoe het met me gaat."), _("Hulp voor Lisa op school."))),
    Step(EARLIER_HELP, None,
         _("Welke hulp hebben jullie eerder gehad? Wat werkte wel, en wat niet?"),
         (_("Twee jaar geleden hulp bij opvoeden. Dat hielp even."),
          _("Een schuldhulpverlener. Dat stopte toen hij wegging."))),
)


def step(code: str) -> Step | None:
    """The step with this code, or None."""
    return next((s for s in STEPS if s.code == code), None)


def step_of(section: SectionKind) -> Step | None:
    """The step whose answers go in `section` (None: the section is not part of the analysis)."""
    return next((s for s in STEPS if s.section is section), None)


def number(current: Step) -> int:
    """The step's place, from 1."""
    return STEPS.index(current) + 1


def after(current: Step) -> Step | None:
    index = STEPS.index(current)
    return STEPS[index + 1] if index + 1 < len(STEPS) else None


def before(current: Step) -> Step | None:
    index = STEPS.index(current)
    return STEPS[index - 1] if index > 0 else None
