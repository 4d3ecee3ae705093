"""The closed sets of codes the product stores: statuses, levels, kinds, ways of giving consent.

Each vocabulary is one enum, used alike by the models (a `samenplan.db.Code` column and the
CHECK constraint made from it), the forms (their choices), the rules and the templates (its
label). A member *is* its code (a `str`), so it is stored, compared and put in JSON as the code;
its `label` is the Dutch text for people (marked for translation, translated at render).

Pure: no Flask, no database.
"""
from __future__ import annotations

import enum

from samenplan.domain.i18n import _

__all__ = [
    "ActionEnding",
    "Category",
    "ConsentMethod",
    "FundingStream",
    "ContactEffect",
    "EvaluationDecision",
    "GoalLevel",
    "GoalStatus",
    "GoalType",
    "InvolvementEndReason",
    "LifeDomain",
    "OrganisationKind",
    "PlanPhase",
    "RelapseLine",
    "Representation",
    "Role",
    "ScalingQuestion",
    "SafetyItemKind",
    "SectionKind",
    "SupportKind",
    "TimelineKind",
    "Trend",
    "Vocabulary",
]


class Vocabulary(enum.StrEnum):
    """A closed set of codes. Subclasses give each member ``(code, label)``, and may add facts
    of their own after those two (kept in ``_facts``)."""

    def __new__(cls, code: str, label: str = "", *facts):
        member = str.__new__(cls, code)
        member._value_ = code
        member._label = label or code
        member._facts = facts
        return member

    @property
    def label(self) -> str:
        """What people read (Dutch source text; pass it through gettext to show it)."""
        return self._label

    @classmethod
    def codes(cls) -> tuple[str, ...]:
        return tuple(member.value for member in cls)

    @classmethod
    def choices(cls, members=None) -> list[tuple[str, str]]:
        """(code, label) pairs for a form, in the vocabulary's order (or `members`' order)."""
        return [(member.value, member.label) for member in (members if members is not None else cls)]

    @classmethod
    def check(cls, column: str, members=None) -> str:
        """The SQL condition that `column` holds one of the codes (for a CHECK constraint)."""
        codes = ", ".join(f"'{m.value}'" for m in (members if members is not None else cls))
        return f"{column} IN ({codes})"

    @classmethod
    def parse(cls, value: object):
        """`value` as a member, or None when it is none of the codes (form and query input)."""
        try:
            return cls(value)
        except ValueError:
            return None


class GoalStatus(Vocabulary):
    """Where a goal stands (DESIGN §2). ``behaald`` and ``gestopt`` are final."""

    DRAFT = "concept", _("Idee")
    ACTIVE = "actief", _("Actief")
    PAUSED = "gepauzeerd", _("Gepauzeerd")
    ACHIEVED = "behaald", _("Behaald")
    STOPPED = "gestopt", _("Gestopt")


class GoalType(Vocabulary):
    """A goal of the family's own life, or one about taking part in society (school, work)."""

    PERSONAL = "persoonlijk", _("Persoonlijk doel")
    SOCIETAL = "maatschappelijk", _("Maatschappelijk doel (zoals school of werk)")


class GoalLevel(Vocabulary):
    """A goal, its sub-goals (*tussendoelen*), and their work points (*werkpunten*)."""

    GOAL = "doel", _("Doel")
    SUB_GOAL = "tussendoel", _("Tussendoel")
    WORK_POINT = "werkpunt", _("Werkpunt")

    @property
    def below(self) -> GoalLevel | None:
        """The level of what hangs under a record of this level (None under a work point)."""
        order = list(GoalLevel)
        index = order.index(self)
        return order[index + 1] if index + 1 < len(order) else None


class LifeDomain(Vocabulary):
    """The leefgebieden (DESIGN §2): the 13 self-sufficiency domains of the ZRM, four of
    parenting, and Veiligheid; each in its group."""

    FINANCIEN = "financien", _("Financiën"), "zrm"
    WERK_OPLEIDING = "werk_opleiding", _("Werk & opleiding"), "zrm"
    TIJDSBESTEDING = "tijdsbesteding", _("Tijdsbesteding"), "zrm"
    HUISVESTING = "huisvesting", _("Huisvesting"), "zrm"
    HUISELIJKE_RELATIES = "huiselijke_relaties", _("Huiselijke relaties"), "zrm"
    GEESTELIJKE_GEZONDHEID = "geestelijke_gezondheid", _("Geestelijke gezondheid"), "zrm"
    LICHAMELIJKE_GEZONDHEID = "lichamelijke_gezondheid", _("Lichamelijke gezondheid"), "zrm"
    MIDDELENGEBRUIK = "middelengebruik", _("Middelengebruik"), "zrm"
    BASALE_ADL = "basale_adl", _("Basale ADL"), "zrm"
    INSTRUMENTELE_ADL = "instrumentele_adl", _("Instrumentele ADL"), "zrm"
    SOCIAAL_NETWERK = "sociaal_netwerk", _("Sociaal netwerk"), "zrm"
    MAATSCHAPPELIJKE_PARTICIPATIE = ("maatschappelijke_participatie",
                                     _("Maatschappelijke participatie"), "zrm")
    JUSTITIE = "justitie", _("Justitie"), "zrm"
    LICHAMELIJKE_VERZORGING = "lichamelijke_verzorging", _("Lichamelijke verzorging"), "opvoeding"
    SOCIAAL_EMOTIONELE_ONDERSTEUNING = ("sociaal_emotionele_ondersteuning",
                                        _("Sociaal-emotionele ondersteuning"), "opvoeding")
    SCHOLING = "scholing", _("Scholing"), "opvoeding"
    OPVANG = "opvang", _("Opvang"), "opvoeding"
    VEILIGHEID = "veiligheid", _("Veiligheid"), "veiligheid"

    @property
    def group(self) -> str:
        """"zrm" (zelfredzaamheid), "opvoeding" or "veiligheid"."""
        return self._facts[0]


class ScalingQuestion(Vocabulary):
    """The three 0-10 scaling questions (DESIGN §2)."""

    PROGRESS = "voortgang", _("Voortgang")
    MOTIVATION = "motivatie", _("Motivatie")
    CONFIDENCE = "vertrouwen", _("Vertrouwen")


class Trend(Vocabulary):
    """How one respondent's last answer compares with the one before."""

    UP = "omhoog", _("omhoog")
    DOWN = "omlaag", _("omlaag")
    SAME = "gelijk", _("gelijk")
    NEW = "nieuw", _("eerste keer")


class ConsentMethod(Vocabulary):
    """How a consent was given or asked: by the person in the app, or recorded by the
    casusregisseur from the table or from paper; ``verzoek`` is a request nobody answered yet."""

    APP = "app", _("in samenplan")
    TABLE = "tafel", _("aan tafel")
    PAPER = "papier", _("op papier")
    REQUEST = "verzoek", _("gevraagd")

    @classmethod
    def given(cls) -> tuple[ConsentMethod, ...]:
        """The ways a consenter's yes can be recorded (a request is not a yes)."""
        return (cls.APP, cls.TABLE, cls.PAPER)


class OrganisationKind(Vocabulary):
    """The kinds of organisation (DESIGN §2)."""

    WIJKTEAM = "wijkteam", _("Wijkteam")
    JEUGDHULP = "jeugdhulp", _("Jeugdhulp")
    GGZ = "ggz", _("GGZ (geestelijke gezondheidszorg)")
    SCHULDHULP = "schuldhulp", _("Schuldhulp")
    ONDERWIJS = "onderwijs", _("Onderwijs")
    JEUGDBESCHERMING = "jeugdbescherming", _("Jeugdbescherming")
    GEMEENTE = "gemeente", _("Gemeente")
    OTHER = "other", _("Anders")

    @property
    def may_be_guardian(self) -> bool:
        """Whether an organisation of this kind can hold authority as *voogd* (a gecertificeerde
        instelling)."""
        return self is OrganisationKind.JEUGDBESCHERMING


class SectionKind(Vocabulary):
    """The parts of a gezinsplan that are free text (DESIGN §2), in the order the plan shows
    them: first what the family and those around them found together (the analysis: their
    wish, where each child under a protection measure grows up, what goes well, the worries,
    what they do themselves, the help that is needed), then the others. Each has a short
    invitation for an empty section, for those who may write in it. The network and the
    timeline are features of their own (samenplan/network, samenplan/timeline), not sections
    (migration 0034 folded the entries of the sections there were)."""

    PERSPECTIVE = ("perspectief", _("Onze wens voor later"),
                   _("Schrijf op wat jullie wens is voor later. In jullie eigen woorden."))
    FUTURE = ("toekomstperspectief", _("Waar het kind opgroeit"),
              _("Schrijf op waar een kind opgroeit, en wanneer dat duidelijk moet zijn."))
    STRENGTHS = "wat_gaat_goed", _("Wat gaat goed"), _("Schrijf op wat goed gaat.")
    WORRIES = "zorgen", _("Zorgen"), _("Schrijf op waar jullie je zorgen over maken.")
    OWN_STEPS = ("wat_we_zelf_doen", _("Wat we zelf doen"),
                 _("Schrijf op wat jullie zelf doen, en wat mensen om jullie heen doen."))
    HELP_NEEDED = ("hulp_nodig", _("Hulp die nodig is"),
                   _("Schrijf op welke hulp nodig is. Ook hulp die nog gevonden moet worden."))
    SAFETY_PLAN = "veiligheidsplan", _("Veiligheidsplan"), _("Schrijf op wat helpt om veilig te zijn.")
    RELAPSE_PLAN = ("terugvalpreventie", _("Als het minder goed gaat"),
                    _("Schrijf op wat jullie doen als het minder goed gaat."))
    DETAILS = "gegevens", _("Gegevens"), _("Schrijf hier gegevens op die nodig zijn.")

    @property
    def invitation(self) -> str:
        """What an empty section says to someone who may write in it (Dutch source text)."""
        return self._facts[0]

    @property
    def per_child(self) -> bool:
        """An entry is about one child, with a date by which it must be clear (toekomstperspectief)."""
        return self is SectionKind.FUTURE

    @property
    def may_be_still_to_find(self) -> bool:
        """An entry may say the help is still to be found (specialised help nobody offers yet)."""
        return self is SectionKind.HELP_NEEDED

    @property
    def is_relapse_plan(self) -> bool:
        """Each entry is one line of a kind (RelapseLine): an early sign, what the family then
        does, or whom they call (with a phone number)."""
        return self is SectionKind.RELAPSE_PLAN


class RelapseLine(Vocabulary):
    """The three kinds of line of the plan for when things go less well (terugvalpreventieplan,
    DESIGN §2), in the order the plan shows them, each with its heading on the plan."""

    EARLY_SIGN = ("vroeg_signaal", _("Waaraan we merken dat het minder gaat"),
                  _("waaraan merken jullie dat het minder gaat"))
    WHAT_WE_DO = "wat_we_doen", _("Wat we dan doen"), _("wat doen jullie dan")
    WHOM_WE_CALL = "wie_we_bellen", _("Wie we bellen"), _("wie bellen jullie")

    @property
    def question(self) -> str:
        """What the plan asks while this kind of line is missing (Dutch source text)."""
        return self._facts[0]

    @property
    def may_have_phone(self) -> bool:
        return self is RelapseLine.WHOM_WE_CALL


class SafetyItemKind(Vocabulary):
    """What an item of the veiligheidsplan arranges (DESIGN §2; 004: safety people the children
    can call, who supports the parents, who steps in when a carer is not there, arrangements
    for parties and visitors)."""

    SAFE_PERSON = "veilige_persoon", _("Veilige persoon voor de kinderen")
    SUPPORT = "steun_ouders", _("Steun voor de ouders")
    STAND_IN = "invaller", _("Invaller als een verzorger er niet is")
    VISITS = "feestjes_bezoek", _("Afspraken over feestjes en bezoek")
    OTHER = "anders", _("Anders")


class Category(Vocabulary):
    """The kind of information a record holds (DESIGN §3), with its name in plain words."""

    ALGEMEEN = "algemeen", _("Algemeen")
    GEZONDHEID = "gezondheid", _("Gezondheid (ook psychisch)")
    VEILIGHEID = "veiligheid", _("Veiligheid")
    FINANCIEN = "financien", _("Geld en schulden")
    JUSTITIE = "justitie", _("Politie en justitie")
    VERBLIJFPLAATS = "verblijfplaats", _("Adres en waar iemand is")


class Role(Vocabulary):
    """A participant's place in one family's plan."""

    FAMILY = "family", _("Gezin")
    NETWORK = "network", _("Netwerk")
    PROFESSIONAL = "professional", _("Hulpverlener")
    CASUSREGISSEUR = "casusregisseur", _("Casusregisseur")

    @property
    def is_professional(self) -> bool:
        return self in (Role.PROFESSIONAL, Role.CASUSREGISSEUR)


class Representation(Vocabulary):
    """A legal representative of an adult who cannot (fully) decide for themself, named by the
    court: they consent on the person's behalf, for what the measure covers."""

    MENTOR = "mentor", _("Mentor")  # mentorschap
    CURATOR = "curator", _("Curator")  # curatele
    BEWINDVOERDER = "bewindvoerder", _("Bewindvoerder")  # beschermingsbewind: money and goods only

    @property
    def categories(self) -> frozenset[Category]:
        """The kinds of information the representative consents for, instead of the person."""
        if self is Representation.BEWINDVOERDER:
            return frozenset({Category.FINANCIEN})
        return frozenset(Category)


class FundingStream(Vocabulary):
    """The law a professional's help is paid from (DESIGN §2, the team): it says who pays, and
    which rules apply to the help."""

    JEUGDWET = "jeugdwet", _("Jeugdwet")
    WMO = "wmo", _("Wmo")
    ZVW = "zvw", _("Zorgverzekeringswet (Zvw)")
    WLZ = "wlz", _("Wet langdurige zorg (Wlz)")
    PARTICIPATIEWET = "participatiewet", _("Participatiewet")
    OTHER = "anders", _("Anders")
class SupportKind(Vocabulary):
    """What someone in the family's network gives, or could give (DESIGN §2 *netwerk*)."""

    PRACTICAL = "praktisch", _("Praktisch")
    EMOTIONAL = "emotioneel", _("Emotioneel")
    FINANCIAL = "financieel", _("Geld")


class ContactEffect(Vocabulary):
    """Whether the contact with someone in the network helps the family or harms it."""

    HELPS = "helpt", _("Het contact helpt")
    NEUTRAL = "neutraal", _("Niet goed, niet slecht")
    HARMS = "schaadt", _("Het contact is niet goed voor het gezin")


class TimelineKind(Vocabulary):
    """What an entry of the tijdlijn is: help there was before, or something that happened."""

    EARLIER_HELP = "eerdere_hulp", _("Eerdere hulp")
    LIFE_EVENT = "gebeurtenis", _("Gebeurtenis")


class ReminderKind(Vocabulary):
    """What a reminder (`send-reminders`) is about; each is sent once per record, person and day."""

    ACTION_DUE = "action_due", _("Actie voor morgen")
    ACTION_OVERDUE = "action_overdue", _("Actie over de datum")
    ACTION_OVERDUE_CHAIR = "action_overdue_chair", _("Actie over de datum (casusregisseur)")
    EVALUATION = "evaluation_tomorrow", _("Evaluatie morgen")
    AFTERCARE = "aftercare_today", _("Nazorg: vandaag een vraag hoe het gaat")

class EvaluationStatus(Vocabulary):
    """Where an evaluation moment of the plan stands (DESIGN §2 "Evaluations")."""

    PLANNED = "gepland", _("Gepland")
    IN_PROGRESS = "bezig", _("Bezig")
    HELD = "gehouden", _("Gehouden")
    CANCELLED = "afgezegd", _("Afgezegd")


class EvaluationReply(Vocabulary):
    """An invitee's answer to an evaluation moment."""

    COMING = "komt", _("Ik kom")
    NOT_COMING = "komt_niet", _("Ik kom niet")
    UNSURE = "weet_niet", _("Weet ik nog niet")


class EscalationStatus(Vocabulary):
    """Where an escalation (*opschalen*) of an action stands: open until the casusregisseur
    records its outcome (DESIGN §2 "Evaluations")."""

    OPEN = "open", _("Open")
    CLOSED = "afgerond", _("Afgerond")


class EvaluationDecision(Vocabulary):
    """What the evaluation decides about one goal (DESIGN §2 "Evaluations"), with the goal
    status it leads to (None: the status stays as it is, or an active one when it was paused)."""

    CONTINUE = "doorgaan", _("Doorgaan"), "actief"
    ADJUST = "aanpassen", _("Aanpassen"), "actief"
    ACHIEVED = "afronden", _("Afronden: doel behaald"), "behaald"
    PAUSE = "pauzeren", _("Pauzeren"), "gepauzeerd"
    STOP = "stoppen", _("Stoppen"), "gestopt"

    @property
    def goal_status(self) -> GoalStatus:
        return GoalStatus(self._facts[0])


class SelfRelianceMoment(Vocabulary):
    """When a caregiver's self-sufficiency (zelfredzaamheid, ZRM-style) is scored: at the start,
    at an evaluation, at closure (000: a begin- and eindmeting)."""

    START = "start", _("Start")
    EVALUATION = "evaluatie", _("Evaluatie")
    CLOSURE = "afsluiting", _("Afsluiting")


class SelfRelianceLevel(Vocabulary):
    """A ZRM level of one life domain (000 §3.1: 1 acute problematiek … 5 volledig
    zelfredzaam; 4 and 5 are sufficient). The code is the digit. After the professional's label:
    the plain words for the caregiver themself ("je redt het zelf") and for someone else in the
    family ("redt het zelf")."""

    ACUTE = "1", _("Acute problematiek"), _("je hebt nu meteen hulp nodig"), _("heeft nu meteen hulp nodig")
    NOT = "2", _("Niet zelfredzaam"), _("je redt het nog niet zelf"), _("redt het nog niet zelf")
    LIMITED = "3", _("Beperkt zelfredzaam"), _("je redt het een beetje zelf"), _("redt het een beetje zelf")
    SUFFICIENT = "4", _("Voldoende zelfredzaam"), _("je redt het zelf"), _("redt het zelf")
    FULL = "5", _("Volledig zelfredzaam"), _("je redt het helemaal zelf"), _("redt het helemaal zelf")

    @property
    def number(self) -> int:
        return int(self.value)

    @property
    def sufficient(self) -> bool:
        return self.number >= 4

    @property
    def plain_own(self) -> str:
        return self._facts[0]

    @property
    def plain_other(self) -> str:
        return self._facts[1]


class PlanPhase(Vocabulary):
    """Where the plan as a whole stands (DESIGN §2, the cycle): running; paused with a reason
    and a date to look again (004 L1833-1836); closed (*afgerond*: read-only, with a final
    version; nazorg check-ins follow). A closed plan can be reopened, with history."""

    RUNNING = "lopend", _("Lopend")
    PAUSED = "gepauzeerd", _("Gepauzeerd")
    CLOSED = "afgerond", _("Afgerond")


class ActionEnding(Vocabulary):
    """How an open action ended without being done, before the plan is closed (issue 13
    item 2): not needed any more (with the reason), or handed over (to whom: a family member,
    the network, another organisation's contact — in the note)."""

    CANCELLED = "geannuleerd", _("Niet meer nodig")
    HANDED_OVER = "overgedragen", _("Overgedragen")


class InvolvementEndReason(Vocabulary):
    """Why a professional's part in the plan ended (issue 13 item 1), told to the
    casusregisseur and shown to who may see the involvement."""

    GOAL_REACHED = "doel_bereikt", _("Het doel is bereikt")
    REFERRED = "doorverwezen", _("Doorverwezen naar andere hulp")
    FAMILY_STOPPED = "gezin_gestopt", _("Het gezin is gestopt")
    HANDED_OVER = "overgedragen", _("Overgedragen aan een nieuwe casusregisseur")
    OTHER = "anders", _("Anders")


class SatisfactionQuestion(Vocabulary):
    """The plain questions of the satisfaction form at closure (CEM+-like; 000 L193-211)."""

    USEFUL = "nuttig", _("Had je iets aan de hulp?")
    LISTENED = "geluisterd", _("Werd er naar je geluisterd?")
    TOGETHER = "samen", _("Werkten de hulpverleners goed samen?")


class SatisfactionReply(Vocabulary):
    """An answer to one satisfaction question."""

    YES = "ja", _("Ja")
    PARTLY = "een_beetje", _("Een beetje")
    NO = "nee", _("Nee")
