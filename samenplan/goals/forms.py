from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from samenplan.forms import CheckboxesField

from samenplan.domain.gas import LEVEL_LABELS
from samenplan.domain.goals import LIFE_DOMAINS
from samenplan.domain.vocabulary import GoalStatus, GoalType
from samenplan.privacy.facts import Category


class GoalForm(FlaskForm):
    # the version the goal was loaded at: a save from an older one gets the merge screen
    version = HiddenField(validators=[Optional()])
    title = StringField(
        _l("Het doel, in jullie eigen woorden"),
        validators=[DataRequired(_l("Schrijf het doel op.")), Length(max=300, message=_l("Maak het doel korter (hoogstens 300 tekens)."))],
        description=_l("Schrijf op wat er wél moet gebeuren. Bijvoorbeeld: We eten elke avond samen."),
    )
    description = TextAreaField(_l("Uitleg (mag leeg)"), validators=[Optional(), Length(max=5000)])
    subjects = CheckboxesField(
        _l("Over wie gaat dit doel?"), coerce=int,
        validators=[DataRequired(_l("Kies minstens één persoon."))],
    )
    # a new goal starts with nothing chosen: "algemeen" by default let the father see it
    category = SelectField(
        _l("Wat voor informatie is dit?"),
        choices=[("", _l("Kies wat voor informatie dit is"))]
        + [(code, _l(label)) for code, label in Category.choices()],
        validators=[DataRequired(_l("Kies wat voor informatie dit is. Dat bepaalt wie het doel mag zien."))],
        description=_l("Dit bepaalt wie het doel mag zien."),
    )
    life_domain = SelectField(
        _l("Leefgebied"),
        choices=[("", _l("Kies een leefgebied"))] + [(code, _l(label)) for code, label in LIFE_DOMAINS],
        validators=[DataRequired(_l("Kies een leefgebied."))],
    )
    status = SelectField(
        _l("Status"), choices=[(code, _l(label)) for code, label in GoalStatus.choices()],
        default=GoalStatus.ACTIVE,
        description=_l("Behaald of gestopt besluiten jullie normaal samen bij een evaluatie."),
    )
    status_reason = TextAreaField(
        _l("Waarom verandert de status? (alleen als je de status verandert)"),
        validators=[Optional(), Length(max=1000)],
    )
    goal_type = SelectField(
        _l("Soort doel"),
        choices=[(code, _l(label)) for code, label in GoalType.choices()], default=GoalType.PERSONAL,
    )
    indicator = TextAreaField(
        _l("Hoe zien we dat het lukt? (mag leeg)"), validators=[Optional(), Length(max=2000)],
    )
    owner = SelectField(_l("Wie let erop dat het lukt?"), coerce=int, validate_choice=True)
    start_date = DateField(_l("Begint op"), validators=[Optional()])
    end_date = DateField(_l("Klaar op"), validators=[Optional()])

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("De einddatum ligt vóór de begindatum."))


class ActionForm(FlaskForm):
    what = StringField(
        _l("Wat gaat er gebeuren?"),
        validators=[DataRequired(_l("Schrijf op wat er gaat gebeuren.")), Length(max=500)],
    )
    assignee = SelectField(_l("Wie doet het?"), coerce=int)
    due_date = DateField(_l("Wanneer klaar?"), validators=[Optional()])


NOBODY = 0  # "nog niet gekozen" in a participant select


def participant_choices(access, keep: int | None = None) -> list[tuple[int, str]]:
    """Owners and assignees to choose from: only people the viewer may know take part, and
    the one already chosen (`keep`), named as the viewer may see them."""
    from samenplan.web import participant_name, shown_function

    choices = [(NOBODY, _l("Nog niet gekozen"))] + [
        (p.id, f"{p.display_name} ({shown_function(access, p)})" if shown_function(access, p)
         else p.display_name)
        for p in access.visible_participants
    ]
    if keep and keep not in {c for c, _label in choices}:
        current = next((p for p in access.participants if p.id == keep), None)
        if current is not None:
            choices.append((keep, participant_name(access, current)))
    return choices


def with_action_forms(access, goal_views, posted: ActionForm | None = None) -> None:
    """Give every goal card whose viewer may add an action its "add an action" form: the one
    just posted, with its errors, for the goal it was posted to; else only the choices of
    "Wie doet het?" (`view.action_choices`), which the card shows as plain HTML (no form object
    per card on the plan page: issue 14). The choices are made once for the page."""
    base = None
    for view in goal_views:
        if not view.may_add_action:
            continue
        if posted is not None and posted.goal_id == view.goal.id:
            view.action_form = posted
            continue
        if base is None:  # the labels as text once (a lazy one is translated at every use)
            base = [(value, str(label)) for value, label in participant_choices(access)]
        view.action_choices = assignee_choices(access, view.goal, base)


def assignee_choices(access, goal, choices: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """"Wie doet het?" of an action under `goal`: who could not see the action (it has its
    goal's privacy) says so."""
    from samenplan.privacy import policy
    from samenplan.privacy.unseen import mark_unseen

    return mark_unseen(access, access.record_facts(goal), choices, policy.ACTION)


def action_form_for(access, goal=None) -> ActionForm:
    """The "add an action" form; under a goal its ids are the goal's own, so every card on
    the plan page has labels that point at its own fields."""
    form = ActionForm()
    form.assignee.choices = participant_choices(access)
    form.goal_id = goal.id if goal is not None else None
    if goal is not None:
        form.assignee.choices = assignee_choices(access, goal, form.assignee.choices)
        for field in form:
            field.id = f"doel-{goal.id}-{field.name}"
            field.label.field_id = field.id
    return form


class AgreementForm(FlaskForm):
    # the goal's version when the page was loaded: one agrees with the goal as one read it
    version = HiddenField(validators=[Optional()])
    agrees = SelectField(
        _l("Ben je het eens met dit doel?"),
        choices=[("ja", _l("Ja, akkoord")), ("nee", _l("Nee, niet akkoord"))],
    )
    reason = TextAreaField(
        _l("Waarom? (nodig bij niet akkoord)"), validators=[Optional(), Length(max=2000)]
    )


class LadderForm(FlaskForm):
    """The goal's ladder as the guideline has it: five steps, the start in words and the step
    it is on; the weight only on a professional's form (`for_family`)."""

    version = HiddenField(validators=[Optional()])  # of the goal: a stale save is not applied
    indicator = TextAreaField(
        _l("Hoe zien we dat het lukt?"), validators=[Optional(), Length(max=2000)],
        description=_l("Bijvoorbeeld: Lisa is vijf schooldagen per week op school."),
    )
    start = TextAreaField(
        _l("Hoe is het bij de start?"), validators=[Optional(), Length(max=2000)],
        description=_l("Schrijf op hoe het nu gaat, voordat jullie aan het doel werken."),
    )
    level_p2 = TextAreaField(_l("+2: veel meer dan het doel"), validators=[Optional(), Length(max=1000)])
    level_p1 = TextAreaField(_l("+1: meer dan het doel"), validators=[Optional(), Length(max=1000)])
    level_0 = TextAreaField(
        _l("0: het doel gehaald"), validators=[Optional(), Length(max=1000)],
        description=_l("Dit is het doel zoals jullie het samen hebben opgeschreven."),
    )
    level_m1 = TextAreaField(_l("−1: vooruit, maar nog niet gehaald (of nog hetzelfde)"),
                             validators=[Optional(), Length(max=1000)])
    level_m2 = TextAreaField(_l("−2: slechter dan bij de start"), validators=[Optional(), Length(max=1000)])
    baseline = SelectField(
        _l("Bij welke stap hoort de start?"),
        choices=[("", _l("Nog niet gekozen")), ("-1", _l("−1 (meestal)")), ("-2", "−2"),
                 ("0", "0"), ("1", "+1"), ("2", "+2")],
        validators=[Optional()],
        description=_l("Bij de start is het doel nog niet gehaald. Dus meestal −1."),
    )
    weight = IntegerField(
        _l("Hoe belangrijk is dit doel? (gewicht 1 tot 10)"), default=1,
        validators=[NumberRange(1, 10, _l("Kies een getal van 1 tot en met 10."))],
    )

    FIELDS = {2: "level_p2", 1: "level_p1", 0: "level_0", -1: "level_m1", -2: "level_m2"}

    def descriptions(self) -> dict[int, str]:
        return {level: self[name].data or "" for level, name in self.FIELDS.items()}

    def fill(self, ladder: dict[int, str]) -> None:
        for level, name in self.FIELDS.items():
            self[name].data = ladder.get(level, "")

    def for_family(self) -> "LadderForm":
        """A family's form: the steps named in words, not by GAS number, and no weight (it is
        for professionals only; DESIGN §2, §7)."""
        from flask_babel import gettext

        from samenplan.domain.gas import STEP_WORDS

        del self.weight
        for level, name in self.FIELDS.items():
            self[name].label.text = gettext(STEP_WORDS[level])
        self.baseline.label.text = gettext("Bij welke stap hoort de start?")
        self.baseline.choices = [("", gettext("Nog niet gekozen"))] + [
            (str(level), gettext(STEP_WORDS[level])) for level in (-1, -2, 0, 1, 2)
        ]
        self.baseline.description = gettext(
            "Bij de start is het doel nog niet gehaald. Dus meestal: %(step)s.",
            step=gettext(STEP_WORDS[-1]))
        return self


class GasScoreForm(FlaskForm):
    level = SelectField(_l("Welke stap is bereikt?"), coerce=int, choices=[], default=0)

    def __init__(self, *args, for_family: bool = False, **kwargs):
        """The steps by number and the guideline's words; a family's form in words only."""
        super().__init__(*args, **kwargs)
        from flask_babel import gettext

        from samenplan.charts.ladder import signed
        from samenplan.domain.gas import LEVELS, STEP_WORDS

        self.level.choices = [
            (level, gettext(STEP_WORDS[level]) if for_family
             else f"{signed(level)}: {gettext(LEVEL_LABELS[level])}")
            for level in sorted(LEVELS, reverse=True)
        ]

    scored_on = DateField(_l("Datum"), validators=[DataRequired(_l("Kies een datum."))])
    note = TextAreaField(_l("Toelichting (mag leeg)"), validators=[Optional(), Length(max=2000)])


class SubGoalForm(FlaskForm):
    title = StringField(
        _l("Nieuw tussendoel"),
        validators=[DataRequired(_l("Schrijf het tussendoel op.")), Length(max=300)],
    )


class SubGoalTitleForm(FlaskForm):
    """The title of one sub-goal, changed on its parent's page, from the version it showed."""

    version = HiddenField(validators=[Optional()])
    title = StringField(
        _l("Titel"),
        validators=[DataRequired(_l("Schrijf het tussendoel op.")),
                    Length(max=300, message=_l("Maak het korter (hoogstens 300 tekens)."))],
    )


def sub_goal_title_form(child, formdata=None) -> SubGoalTitleForm:
    """The title form of one sub-goal on its parent's page, with ids of its own (one per
    sub-goal on the page): filled from the sub-goal, or from what was posted (`formdata`)."""
    form = SubGoalTitleForm(formdata=formdata)
    if formdata is None:
        form.title.data, form.version.data = child.title, child.version
    for field in form:
        field.id = f"tussendoel-{child.id}-{field.name}"
        field.label.field_id = field.id
    return form


class StatusForm(FlaskForm):
    status = SelectField(_l("Status"), choices=[(code, _l(label)) for code, label in GoalStatus.choices()])
    reason = TextAreaField(
        _l("Waarom verandert de status?"),
        validators=[DataRequired(_l("Schrijf op waarom de status verandert.")), Length(max=1000)],
    )
    version = HiddenField(validators=[Optional()])
