"""The second demo family: the Hendriks family, whose plan was closed six weeks ago (issue 13
item 8). Invented; any likeness is chance.

Naomi Hendriks (born 1987) and her sons Milan (16) and Sem (11) were taken on ten months ago
by Karin Mulder of Sociaal Wijkteam Noord (the buddy on the Jansen family's contact card).
Two goals, both reached: the rent and energy paid on time, and Milan at school with a work
placement. Built like the first demo family (samenplan/demo.py), through the application's own
services, each step by whoever does it in the app: the intake and the consent at the table,
the relapse plan, the goals with their ladders, an evaluation halfway, the last evaluation at
which Karin proposes to close; the family goes through the relapse plan and says akkoord (Naomi
and Milan on their own phones); Karin closes the plan (a final version and report) and plans
nazorg; Naomi and Milan answer the check-in at closure and the satisfaction questions, and
Naomi the check-in a month later. Self-sufficiency of Naomi at the start and at closure.

Karin's family is hers alone: none of the first demo family's people take part in it, so what
they see (DESIGN.md §6) does not change.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from samenplan.domain.vocabulary import SectionKind
from samenplan.families import intake
from samenplan.families import services as invitations
from samenplan.goals import services as goals
from samenplan.goals.models import Action
from samenplan.orgs import services as orgs
from samenplan.plans import sections as plan_sections
from samenplan.privacy import services as privacy
from samenplan.privacy.facts import Category

CLOSED_FAMILY = "Hendriks"
KARIN = ("karin", "karin@wijkteam-noord.demo", "Karin Mulder")
#: the family's logins: key, e-mail, name, function
LOGINS = (
    ("naomi", "naomi@demo.samenplan.nl", "Naomi Hendriks", "moeder"),
    ("milan", "milan@demo.samenplan.nl", "Milan Hendriks", None),
)
ALL = [c.value for c in Category]
#: goals: title, subjects, category, life domain, trekker, ladder +2..-2, start, indicator,
#: actions (what, assignee)
GOALS = (
    ("Ik betaal elke maand de huur en de energie op tijd", ("naomi",), "financien", "financien",
     "naomi",
     ["Op tijd betaald, en er staat elke maand 50 euro apart",
      "Op tijd betaald, en ik heb een overzicht van alle vaste lasten",
      "Ik betaal elke maand de huur en de energie op tijd",
      "Soms op tijd, soms te laat",
      "Er komen achterstanden bij"],
     "De huur is twee maanden achter en de energie is al een keer afgesloten.",
     "Hoeveel maanden achter elkaar de huur en de energie op tijd zijn betaald.",
     [("Automatische betaling voor de huur regelen", "naomi"),
      ("Samen de vaste lasten op een rij zetten", "karin")]),
    ("Milan gaat naar school en heeft een stageplek", ("milan",), "algemeen", "scholing",
     "milan",
     ["Milan gaat elke dag, heeft een stage en weet welke opleiding hij wil",
      "Milan gaat elke dag en heeft een stage die hij leuk vindt",
      "Milan gaat naar school en heeft een stageplek",
      "Milan gaat de meeste dagen, maar heeft nog geen stage",
      "Milan gaat bijna niet meer naar school"],
     "Milan spijbelt twee dagen per week en zoekt geen stage.",
     "Hoeveel dagen per week Milan naar school gaat, en of hij een stageplek heeft.",
     [("Drie bedrijven bellen voor een stage", "milan"),
      ("Een gesprek met de mentor over de stage", "naomi")]),
)
#: Naomi's self-sufficiency (1-5) at the start and at closure: 6 insufficient domains, then 1
_START = {
    "financien": 2, "werk_opleiding": 3, "tijdsbesteding": 3, "huisvesting": 3,
    "huiselijke_relaties": 3, "geestelijke_gezondheid": 4, "lichamelijke_gezondheid": 4,
    "middelengebruik": 5, "basale_adl": 5, "instrumentele_adl": 3, "sociaal_netwerk": 4,
    "maatschappelijke_participatie": 4, "justitie": 5, "lichamelijke_verzorging": 4,
    "sociaal_emotionele_ondersteuning": 4, "scholing": 3, "opvang": 4,
}
_END = {**_START, "financien": 4, "werk_opleiding": 4, "tijdsbesteding": 4, "huisvesting": 4,
        "huiselijke_relaties": 4, "scholing": 4}
SELF_RELIANCE = (
    ("start", _START, {"financien": "Twee maanden huurachterstand, de energie was afgesloten"}),
    ("afsluiting", _END, {"financien": "Huur en energie gaan automatisch, er is een kleine buffer",
                          "instrumentele_adl": "De post blijft nog wel eens liggen"}),
)


def seed_closed_family(story_class, session, today: date, now: datetime, first) -> None:
    """The Hendriks family, with `first` the story of the first demo family (its
    organisations, beheerders and users are reused)."""
    story = story_class(session, today, now)
    story.users, story.organisations = first.users, first.organisations
    story.password_hash = first.password_hash
    _Closed(story).tell()


class _Closed:
    def __init__(self, story) -> None:
        self.s = story
        self.taken_on = story.today - timedelta(days=300)
        self.halfway = story.today - timedelta(days=170)
        self.closed = story.today - timedelta(days=45)

    def as_(self, who: str, day: date, hour: int = 10):
        return self.s.as_(who, self.s.at(day, hour))

    def tell(self) -> None:
        self.take_on()
        self.write_the_plan()
        self.evaluate_halfway()
        self.close()
        self.aftercare()

    # --- Karin, and the family taken on ----------------------------------------------------
    def take_on(self) -> None:
        s, day = self.s, self.taken_on
        wijkteam = s.organisations["wijkteam"]
        moment = s.at(day - timedelta(days=7), 9)
        key, email, name = KARIN
        s.users[key] = s._member(
            wijkteam, email, name, moment,
            lambda: orgs.invite_professional(s.session, s.users["beheer_wijkteam"], wijkteam,
                                             email, name, may_start=True, now=moment))
        access = intake.start_family(s.session, s.users["karin"], intake.FamilyInput(
            name=CLOSED_FAMILY, organisation_id=wijkteam.id,
            first_person=intake.PersonInput("Naomi", "Hendriks", date(1987, 11, 4), household="nieuw"),
        ), s.at(day, 9))
        s.family_id = access.family_id
        s.participants["karin"] = access.participant.id
        s.persons["naomi"] = access.persons[0].id
        household = str(access.persons[0].household)
        for key, first, born in (("milan", "Milan", date(2010, 2, 14)), ("sem", "Sem", date(2015, 6, 30))):
            person = intake.add_person(self.as_("karin", day), intake.PersonInput(
                first, "Hendriks", born, household=household, holder_ids=[s.persons["naomi"]]))
            s.persons[key] = person.id
        org = f"org:{wijkteam.id}"
        for subject, consenters in (("naomi", ["naomi"]), ("milan", ["milan", "naomi"]),
                                    ("sem", ["naomi"])):
            privacy.grant(self.as_("karin", day), privacy.GrantInput(
                subject_id=s.persons[subject], grantee=org, categories=ALL,
                purpose="Samenwerken aan het gezinsplan", end_at=None, how="tafel",
                consenter_ids=[s.persons[c] for c in consenters], record_id=None))
        for key, email, name, function in LOGINS:
            s.invite_and_join("karin", key, invitations.InvitationInput(
                email=email, name=name, role="family", person_id=s.persons[key],
                function=function or ""), s.at(day, 10), s.at(day, 20))

    # --- the plan, a week later ------------------------------------------------------------
    def write_the_plan(self) -> None:
        s, day = self.s, self.taken_on + timedelta(days=7)
        family = [s.persons[k] for k in ("naomi", "milan", "sem")]

        def section(author, kind, body, category="algemeen", subjects=family, **extra):
            plan_sections.create_section(self.as_(author, day), SectionKind(kind),
                                         plan_sections.SectionInput(
                                             title="", body=body, subject_ids=subjects,
                                             category=category, **extra))

        section("naomi", "perspectief", "Over een jaar hebben we geen achterstanden meer en "
                "gaat Milan elke dag naar school.")
        section("naomi", "wat_gaat_goed", "Sem en Milan kunnen het goed met elkaar vinden.")
        section("naomi", "terugvalpreventie", "Er komen weer brieven met 'aanmaning' erop.",
                relapse_line="vroeg_signaal")
        section("naomi", "terugvalpreventie", "Ik maak de post meteen open en bel de "
                "verhuurder als het niet lukt.", relapse_line="wat_we_doen")
        section("karin", "terugvalpreventie", "Het wijkteam, voor een afspraak",
                relapse_line="wie_we_bellen", phone="020 123 45 00")
        for title, subjects, category, domain, owner, ladder, start, indicator, actions in GOALS:
            author = "milan" if owner == "milan" else "karin"
            goal = goals.create_goal(self.as_(author, day), goals.GoalInput(
                title=title, description="", subject_ids=[s.persons[k] for k in subjects],
                category=category, life_domain=domain, status="actief",
                owner_participant_id=s.participants[owner], start_date=self.taken_on,
                end_date=self.closed + timedelta(days=30)))
            s.goals[len(s.goals) + 1] = goal.id
            goals.save_ladder(self.as_("karin", day), goal, dict(zip((2, 1, 0, -1, -2), ladder)),
                              -1, 1, indicator, goal.version, start=start)
            for what, who in actions:
                goals.add_action(self.as_(author, day), s.session.get(type(goal), goal.id), what,
                                 s.participants[who], day + timedelta(days=30))
            for who in {"naomi", "karin", *subjects}:
                goal = s.session.get(type(goal), goal.id)
                goals.set_agreement(self.as_(who, day), goal, True, "", goal.version)
        self.score_self_reliance("start", self.taken_on + timedelta(days=7))
        # the actions, done in the first two months
        for action in s.session.scalars(select(Action).where(Action.family_id == s.family_id)):
            who = next(k for k, pid in s.participants.items() if pid == action.assignee_participant_id)
            goals.set_action_done(self.as_(who, day + timedelta(days=40)), action, True, action.version)

    def score_self_reliance(self, moment: str, day: date, evaluation_id: int | None = None) -> None:
        from samenplan.selfreliance import services as selfreliance

        _moment, levels, notes = next(r for r in SELF_RELIANCE if r[0] == moment)
        selfreliance.record(self.as_("karin", day), selfreliance.MetingInput(
            caregiver_id=self.s.persons["naomi"], day=day, moment=moment,
            evaluation_id=evaluation_id, levels={k: str(v) for k, v in levels.items()},
            notes=notes))

    # --- the evaluations -------------------------------------------------------------------
    def _evaluation(self, day: date, levels: tuple[int, int], decision: str, reasons: tuple[str, str]):
        from samenplan.evaluations import holding
        from samenplan.evaluations import services as evaluations

        s = self.s
        invitees = [s.participants[k] for k in ("naomi", "milan", "karin")]
        evaluation = evaluations.plan(self.as_("karin", day - timedelta(days=7), 9),
                                      evaluations.EvaluationInput(day, time(16),
                                                                  place="Bij Naomi thuis",
                                                                  invitee_ids=invitees))
        access = self.as_("karin", day, 16)
        holding.start(access, evaluation, evaluation.version)
        holding.set_attendance(self.as_("karin", day, 16), evaluation, invitees, evaluation.version)
        for number, level, reason in zip(sorted(s.goals), levels, reasons):
            goal = s.goal(number)
            holding.score(self.as_("karin", day, 16), evaluation, goal, level)
            holding.decide(self.as_("karin", day, 16), evaluation, s.goal(number), decision, reason, None)
        return evaluation

    def evaluate_halfway(self) -> None:
        from samenplan.evaluations import holding

        evaluation = self._evaluation(self.halfway, (-1, 0), "doorgaan", (
            "De huur gaat nu automatisch; de energie nog niet.",
            "Milan gaat weer elke dag; de stage zoekt hij nog."))
        holding.close(self.as_("karin", self.halfway, 17), evaluation, evaluation.version)

    def close(self) -> None:
        from samenplan.closure import services as closure

        s, day = self.s, self.closed
        self._evaluation(day, (1, 0), "afronden", (
            "Huur en energie gaan al vier maanden op tijd, en er is een kleine buffer.",
            "Milan gaat elke dag en loopt stage bij een garage."))
        self.score_self_reliance("afsluiting", day)
        closure.propose(self.as_("karin", day, 16))
        closure.record_relapse_known(self.as_("karin", day, 16))
        for who in ("naomi", "milan"):
            closure.agree(self.as_(who, day, 19), s.persons[who], True, "")
        closure.close(self.as_("karin", day + timedelta(days=1), 9))

    def aftercare(self) -> None:
        from samenplan.aftercare import services as aftercare
        from samenplan.satisfaction import services as satisfaction

        s, day = self.s, self.closed + timedelta(days=1)
        moments = aftercare.plan_moments(
            self.as_("karin", day, 10), [day + timedelta(days=30), day + timedelta(days=90)],
            at_closure=True)
        at_closure, month_later = moments[0], moments[1]
        for who, score in (("naomi", 7), ("milan", 8)):
            aftercare.answer(self.as_(who, day, 20), at_closure.id, aftercare.AnswerInput(
                score=score, going_well="We redden het samen." if who == "naomi" else "Stage is leuk."))
        aftercare.answer(self.as_("naomi", month_later.day, 20), month_later.id,
                         aftercare.AnswerInput(score=7, going_well="De huur gaat nog steeds goed.",
                                               worries="Sem heeft het soms moeilijk op school."))
        for who, grade, replies in (
            ("naomi", 8, {"nuttig": "ja", "geluisterd": "ja", "samen": "een_beetje"}),
            ("milan", 7, {"nuttig": "een_beetje", "geluisterd": "ja", "samen": "ja"}),
        ):
            satisfaction.submit(self.as_(who, day, 21), grade, replies)
