"""The Jansen / de Boer demo family of DESIGN.md §6. Invented; any likeness is chance.

Built through the application's own services, the functions the routes call, each step done by
whoever would do it in the app: the administrator adds the organisations and names their
functioneel beheerders; each beheerder adds their professionals; Fatima takes the family on,
adds its persons, records consent at the kitchen table and invites everyone; Sandra invites
oma Riet and shields her address from Mark; Fatima writes the veiligheidsplan with them (the
people an item names get their record grant at the table) and Sandra adds who steps in; Lisa writes goal 5 herself; each respondent answers
the scaling questions of two earlier evaluations; the assignees tick their actions. So the demo
proves the services: a demo that cannot be made through them points at a gap in them.

The history is told at the moments it happened (an `Access`'s `now`): the family taken on ten
weeks ago, the plan agreed a week later, evaluations eight and two weeks ago. Notifications are
not sent while it is written (`notices.quietly`): its people heard everything at the table.
The audit log records all of it, as it would, at the time of seeding.

Written directly, because there is no service for it (yet), and only that:
- the demo's password and TOTP secret (DESIGN.md §6): the password rules refuse a published
  password (rightly) and enrolment makes a secret of its own; `_demo_login`;
- the family's accounts, for the same reason (`create_account` checks the password);
- the professionals' phone numbers on their participant (the team's lines, with the same
  numbers, are set through `team.services`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from samenplan.auth import services as accounts
from samenplan.auth.admins import AdminRefused, create_admin
from samenplan.auth.models import User
from samenplan.auth.passwords import hash_password
from samenplan.db import utcnow
from samenplan.families import intake
from samenplan.families import services as invitations
from samenplan.families.models import Family, Invitation, Participant, Person
from samenplan.goals import services as goals
from samenplan.goals.models import Action, Goal
from samenplan.network import services as network
from samenplan.notices.services import quietly
from samenplan.orgs import services as orgs
from samenplan.orgs.models import Organisation
from samenplan.domain.vocabulary import SectionKind
from samenplan.plans import sections as plan_sections
from samenplan.plans.models import PlanSection
from samenplan.privacy import services as privacy
from samenplan.privacy.access import Access, access_for
from samenplan.privacy.facts import Category
from samenplan.privacy.models import Consent, Record
from samenplan.records.history import act_as
from samenplan.safety import services as safety
from samenplan.timeline import services as timeline

DEMO_FAMILY = "Jansen / de Boer"
DEMO_PASSWORD = "samen-demo-2026"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"
ALL_CATEGORIES = [c.value for c in Category]
DEMO_ADMIN = "beheer@samenplan.demo"
DEMO_ADMIN_NAME = "Bram Beheer"
#: the demo organisations (in DESIGN.md §6's order): key, name, kind, e-mail domain
ORGANISATIONS = (
    ("wijkteam", "Sociaal Wijkteam Noord", "wijkteam", "wijkteam-noord.demo"),
    ("ggz", "GGZ Kompas", "ggz", "ggz-kompas.demo"),
    ("schuldhulp", "Schuldhulp Stad", "schuldhulp", "schuldhulp-stad.demo"),
    ("school", "Het Baken College", "onderwijs", "hetbaken.demo"),
)
#: the functioneel beheerders of the four demo organisations (in DESIGN.md §6's order)
DEMO_BEHEERDERS = (
    ("beheer@wijkteam-noord.demo", "Wim de Wit"),
    ("beheer@ggz-kompas.demo", "Greet Koster"),
    ("beheer@schuldhulp-stad.demo", "Sem Stad"),
    ("beheer@hetbaken.demo", "Bea Baken"),
)
#: the professionals: key, e-mail, name, organisation, function in the plan, phone
PROFESSIONALS = (
    ("fatima", "fatima@wijkteam-noord.demo", "Fatima El Amrani", "wijkteam", "casusregisseur",
     "020 123 45 67"),
    ("daan", "daan@ggz-kompas.demo", "Daan Visser", "ggz", "behandelaar", "020 234 56 78"),
    ("ilse", "ilse@schuldhulp-stad.demo", "Ilse Smit", "schuldhulp", "schuldhulpverlener",
     "020 345 67 89"),
    ("joris", "joris@hetbaken.demo", "Joris Bakker", "school", "mentor", "020 456 78 90"),
)
#: what each professional's taking part says, and about whom (DESIGN.md §3, §6); Fatima's is
#: the casusregisseur's own: the whole family, `algemeen` (made when she takes the family on)
INVOLVEMENTS = {"daan": (("sandra",), "gezondheid"), "ilse": (("sandra",), "financien"),
                "joris": (("lisa",), "algemeen")}
#: the law each professional's help is paid from (the team, DESIGN.md §2)
TEAM_FUNDING = {"fatima": "wmo", "daan": "zvw", "ilse": "wmo", "joris": "anders"}
#: the family's logins: key, e-mail, name, function
FAMILY_LOGINS = (
    ("sandra", "sandra@demo.samenplan.nl", "Sandra Jansen", "moeder"),
    ("mark", "mark@demo.samenplan.nl", "Mark de Boer", "vader"),
    ("lisa", "lisa@demo.samenplan.nl", "Lisa de Boer", None),
)
RIET = ("riet", "riet@demo.samenplan.nl", "Riet Jansen", "oma")


def seed_demo(session: Session, today: date | None = None, *, closed_family: bool = True) -> bool:
    """Create the demo family, and (`closed_family`) the second one, whose plan was closed six
    weeks ago (samenplan/demo_closed.py); False (and nothing changed) when it is already there.
    The test suite seeds the first family only (its tests speak of that family alone);
    tests/integration/test_closed_demo_family.py seeds both."""
    if session.scalar(select(Family).where(Family.name == DEMO_FAMILY)):
        return False
    now = utcnow()
    if today is not None and today != now.date():
        now = datetime.combine(today, time(12))
    story = _Story(session, today or now.date(), now)
    with quietly(session):
        story.set_up_organisations()
        story.take_on_the_family()
        story.set_up_the_team()
        story.tell_the_story()
        story.agree_the_plan()
        story.evaluate()  # the two earlier evaluations, and the next one planned at the last
        story.score_self_reliance()  # at the start, and at the last evaluation
        story.tick_done_actions()
        story.escalate_an_overdue_action()
        if closed_family:
            from samenplan.demo_closed import seed_closed_family

            seed_closed_family(_Story, session, story.today, now, story)
    return True


@dataclass
class _Story:
    session: Session
    today: date
    now: datetime
    password_hash: str = ""
    users: dict[str, User] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    persons: dict[str, int] = field(default_factory=dict)
    participants: dict[str, int] = field(default_factory=dict)
    goals: dict[int, int] = field(default_factory=dict)  # number in DESIGN.md §6: id
    family_id: int = 0

    def __post_init__(self) -> None:
        self.password_hash = hash_password(DEMO_PASSWORD)
        self.start = self.today - timedelta(days=70)  # the family is taken on
        self.end = self.today + timedelta(days=110)  # the goals' end date
        self.evaluations = (self.today - timedelta(days=56), self.today - timedelta(days=14))

    # --- moments and doors ---------------------------------------------------------------
    @staticmethod
    def at(day: date, hour: int) -> datetime:
        return datetime.combine(day, time(hour))

    def as_(self, who: str, at: datetime) -> Access:
        """`who`'s access to the family at moment `at`: one request of theirs."""
        access = access_for(self.session, self.users[who], self.family_id)
        assert access is not None, f"{who} takes no part in the demo plan"
        access.now = at
        return access

    def goal(self, number: int) -> Goal:
        return self.session.get(Goal, self.goals[number])

    # --- the organisations, by the administrator and the beheerders ------------------------
    def set_up_organisations(self) -> None:
        """Two weeks before the family is taken on: the organisations, their beheerders, and
        the professionals each beheerder adds (Fatima may take on families)."""
        moment = self.at(self.start - timedelta(days=14), 9)
        admin = self._administrator(moment)
        for (key, name, kind, domain), (email, beheerder_name) in zip(ORGANISATIONS, DEMO_BEHEERDERS):
            organisation = self.session.scalar(select(Organisation).where(Organisation.name == name))
            if organisation is None:
                organisation = orgs.add_organisation(
                    self.session, admin, orgs.OrganisationInput(name=name, kind=kind, domains=domain),
                    moment)
            self.organisations[key] = organisation
            self.users[f"beheer_{key}"] = self._member(
                organisation, email, beheerder_name, moment,
                lambda email=email, name=beheerder_name, organisation=organisation: orgs.name_beheerder(
                    self.session, admin, organisation, email, name, moment))
        for key, email, name, where, _function, _phone in PROFESSIONALS:
            organisation, beheerder = self.organisations[where], self.users[f"beheer_{where}"]
            self.users[key] = self._member(
                organisation, email, name, moment + timedelta(hours=1),
                lambda email=email, name=name, organisation=organisation, beheerder=beheerder, key=key:
                orgs.invite_professional(self.session, beheerder, organisation, email, name,
                                         may_start=key == "fatima", now=moment + timedelta(hours=1)))

    def _administrator(self, moment: datetime) -> User:
        try:  # one more administrator: an installation may have its own already
            made = create_admin(self.session, DEMO_ADMIN, DEMO_ADMIN_NAME, another=True, now=moment)
        except AdminRefused:  # the demo's administrator is there, with a password
            return self.session.scalar(select(User).where(User.email == DEMO_ADMIN))
        if made.link is not None:
            self._demo_login(made.user, made.link.rsplit("/", 1)[-1], moment, second_factor=True)
        return made.user

    def _member(self, organisation: Organisation, email: str, name: str, moment: datetime,
                add) -> User:
        """A beheerder or professional of `organisation`, added by `add` (a service call)
        unless they work there already."""
        user = self.session.scalar(select(User).where(User.email == email))
        if user is not None and orgs.is_member(self.session, user, organisation.id):
            return user
        invited = add()
        if invited.token is not None:
            self._demo_login(invited.user, invited.token, moment, second_factor=True)
        return invited.user

    def _demo_login(self, user: User, token: str, moment: datetime, *, second_factor: bool) -> None:
        """The welcome link is opened (used up, as `auth.welcome` does), and the account gets
        the demo's password and, for whoever must log in in two steps, its TOTP secret.
        Written directly: `set_password` refuses a published password, and enrolling makes a
        secret of its own (DESIGN.md §6 names both; demo only)."""
        claimed = accounts.use_token(self.session, token, "welcome", moment)
        assert claimed is not None, "the demo could not open its own welcome link"
        user.password_hash = self.password_hash
        if second_factor:
            user.totp_secret = DEMO_TOTP_SECRET
        self.session.commit()

    # --- taking the family on (week 0) -----------------------------------------------------
    def take_on_the_family(self) -> None:
        day0 = self.start
        moment = self.at(day0, 9)
        # Fatima takes the family on with Sandra at the kitchen table, and adds the others
        access = intake.start_family(self.session, self.users["fatima"], intake.FamilyInput(
            name=DEMO_FAMILY, organisation_id=self.organisations["wijkteam"].id,
            first_person=intake.PersonInput("Sandra", "Jansen", date(1991, 3, 12), household="nieuw"),
        ), moment)
        self.family_id = access.family_id
        self.participants["fatima"] = access.participant.id
        self.persons["sandra"] = access.persons[0].id
        mark = intake.add_person(self.as_("fatima", moment), intake.PersonInput(
            "Mark", "de Boer", date(1988, 7, 2), household="nieuw"))  # lives elsewhere
        self.persons["mark"] = mark.id
        holders = [self.persons["sandra"], mark.id]
        household = str(self.session.get(Person, self.persons["sandra"]).household)
        for key, first, born in (("lisa", "Lisa", date(2011, 5, 20)), ("noah", "Noah", date(2018, 9, 1))):
            person = intake.add_person(self.as_("fatima", moment), intake.PersonInput(
                first, "de Boer", born, household=household, holder_ids=holders))
            self.persons[key] = person.id

        # consent at the table for the wijkteam: Sandra and Lisa are there; Mark is not yet
        wijkteam = f"org:{self.organisations['wijkteam'].id}"
        self.consent("sandra", wijkteam, ALL_CATEGORIES, ["sandra"], moment)
        lisa_to_wijkteam = self.consent("lisa", wijkteam, ALL_CATEGORIES, ["lisa", "sandra"], moment)
        noah_to_wijkteam = self.consent("noah", wijkteam, ALL_CATEGORIES, ["sandra"], moment)

        # Fatima invites the family; Sandra and Lisa join that evening, Mark two days later
        for key, email, name, function in FAMILY_LOGINS:
            self.invite_and_join(
                "fatima", key, invitations.InvitationInput(
                    email=email, name=name, role="family", person_id=self.persons[key],
                    function=function or ""),
                moment, self.at(day0 + timedelta(days=2 if key == "mark" else 0), 19))

        # two days on, Fatima meets Mark: his own consent, and his yes to his children's
        moment = self.at(day0 + timedelta(days=2), 10)
        self.consent("mark", wijkteam, ALL_CATEGORIES, ["mark"], moment)
        for consent_id in (lisa_to_wijkteam, noah_to_wijkteam):
            self.approve(consent_id, ["mark"], moment)

        # three days on: Sandra invites oma Riet; Fatima invites the other professionals
        moment = self.at(day0 + timedelta(days=3), 10)
        # first she draws her network with Fatima (004 §6.2.2), then invites Riet from the map
        riet_entry = self.draw_the_network(moment)
        key, email, name, function = RIET
        self.invite_and_join("sandra", key, invitations.InvitationInput(
            email=email, name=name, role="network", function=function,
            network_member_id=riet_entry), moment, moment + timedelta(hours=8))
        for key, email, name, where, function, _phone in PROFESSIONALS[1:]:
            subjects, category = INVOLVEMENTS[key]
            self.invite_and_join("fatima", key, invitations.InvitationInput(
                email=email, name=name, role="professional",
                organisation_id=self.organisations[where].id, function=function,
                involvement_subject_ids=[self.persons[s] for s in subjects],
                involvement_category=category), moment, moment + timedelta(hours=4))
        # the team's phone numbers: no service sets them yet (written directly)
        for key, *_rest, phone in PROFESSIONALS:
            self.session.get(Participant, self.participants[key]).phone = phone
        self.session.commit()

    def set_up_the_team(self) -> None:
        """Fatima fills in the team (each line: role, phone, funding, from when) and the
        contact card: the wijkteam's desk for when she is away, and her buddy."""
        from samenplan.team import services as team

        moment = self.at(self.start + timedelta(days=3), 16)
        for key, _email, _name, _where, function, phone in PROFESSIONALS:
            access = self.as_("fatima", moment)
            participant = team.team_member(access, self.participants[key])
            joined = self.start if key == "fatima" else self.start + timedelta(days=3)
            involvement = participant.involvement
            team.save_line(access, participant, team.LineInput(
                function=function, phone=phone, funding=TEAM_FUNDING[key], start_date=joined,
                end_date=None, version=involvement.version if involvement is not None else 0))
        team.set_contact(self.as_("fatima", moment), team.ContactInput(
            emergency_name="Wijkteam Noord", emergency_phone="020 123 45 00",
            buddy_participant_id=None, buddy_name="Karin Mulder (Sociaal Wijkteam Noord)",
            buddy_phone="020 123 45 68", version=0))
    def draw_the_network(self, moment: datetime) -> int:
        """Sandra puts oma Riet and the neighbour on the map, Mark his sister; Riet's entry's
        id (she is invited from it, and her entry is linked to her when she joins)."""
        sandra, mark, lisa, noah = (self.persons[k] for k in ("sandra", "mark", "lisa", "noah"))
        riet = network.create_member(self.as_("sandra", moment), network.MemberInput(
            name="Riet Jansen", relation="oma", subject_ids=[sandra, lisa, noah],
            category="algemeen", effect="helpt", gives_now=["praktisch", "emotioneel"],
            could_give=["financieel"], note="Haalt Noah op woensdag van school."))
        network.create_member(self.as_("sandra", moment), network.MemberInput(
            name="Ans Mulder", relation="buurvrouw van hiernaast", subject_ids=[sandra, noah],
            category="algemeen", effect="helpt", gives_now=["praktisch"], could_give=[],
            note="Past soms een uurtje op Noah."))
        network.create_member(self.as_("mark", moment), network.MemberInput(
            name="Karin de Boer", relation="tante (zus van Mark)", subject_ids=[lisa, noah],
            category="algemeen", effect="neutraal", gives_now=[], could_give=["praktisch"],
            note="Wil in de vakanties wel eens oppassen."))
        return riet.id

    def tell_the_story(self) -> None:
        """The tijdlijn, in the intake's first week: each part told by who knows it."""
        moment = self.at(self.start + timedelta(days=5), 11)
        sandra, lisa, noah = (self.persons[k] for k in ("sandra", "lisa", "noah"))
        timeline.create_event(self.as_("daan", moment), timeline.EventInput(
            kind="eerdere_hulp", title="Gesprekken bij de GGZ", subject_ids=[sandra],
            category="gezondheid", start_date=date(2019, 3, 1), end_date=date(2020, 6, 30),
            helper="GGZ Oost", worked="Een vaste behandelaar die ze vertrouwde.",
            not_worked="Vijf maanden wachten voor het begon."))
        timeline.create_event(self.as_("ilse", moment), timeline.EventInput(
            kind="eerdere_hulp", title="Schuldhulp van de gemeente", subject_ids=[sandra],
            category="financien", start_date=date(2021, 1, 15), end_date=date(2021, 11, 30),
            helper="Gemeente Voorbeeldstad", worked="Een overzicht van alle schulden.",
            not_worked="Het stopte toen de consulent wegging."))
        timeline.create_event(self.as_("sandra", moment), timeline.EventInput(
            kind="gebeurtenis", title="Noah is geboren", subject_ids=[noah],
            category="algemeen", start_date=date(2018, 9, 1)))
        timeline.create_event(self.as_("sandra", moment), timeline.EventInput(
            kind="gebeurtenis", title="Lisa gaat naar een andere school", subject_ids=[lisa],
            category="algemeen", start_date=date(2024, 1, 8)))

    def consent(self, subject: str, grantee: str, categories: list[str], consenters: list[str],
                moment: datetime, purpose: str = "Samenwerken aan het gezinsplan",
                record_id: int | None = None) -> int:
        """Consent given at the table, recorded by the casusregisseur (DESIGN.md §3)."""
        consent = privacy.grant(self.as_("fatima", moment), privacy.GrantInput(
            subject_id=self.persons[subject], grantee=grantee, categories=categories,
            purpose=purpose, end_at=None, how="tafel",
            consenter_ids=[self.persons[c] for c in consenters], record_id=record_id,
        ))
        return consent.id

    def approve(self, consent_id: int, consenters: list[str], moment: datetime) -> None:
        """A missing yes, given at the table later and recorded by the casusregisseur."""
        consent = self.session.get(Consent, consent_id)
        privacy.approve(self.as_("fatima", moment), consent,
                        [self.persons[c] for c in consenters], consent.version)

    def invite_and_join(self, inviter: str, key: str, data: invitations.InvitationInput,
                        invited_at: datetime, joined_at: datetime) -> None:
        invitation, _token = invitations.invite(self.as_(inviter, invited_at), data)
        user = self.session.scalar(select(User).where(User.email == invitation.email))
        if user is None:
            # the family's and network's own accounts: `create_account` would refuse the demo's
            # published password (written directly, as `_demo_login` explains)
            user = User(email=invitation.email, name=invitation.name,
                        password_hash=self.password_hash, created_at=joined_at)
            self.session.add(user)
            self.session.flush()
        act_as(self.session, user.id)  # their own request: the revisions it makes are theirs
        participant = invitations.accept(self.session, self.session.get(Invitation, invitation.id),
                                         user, joined_at)
        self.users[key], self.participants[key] = user, participant.id

    # --- the plan, agreed a week after the intake ------------------------------------------
    def agree_the_plan(self) -> None:
        day = self.start + timedelta(days=7)
        moment = self.at(day, 10)
        sandra, lisa, noah = (self.persons[k] for k in ("sandra", "lisa", "noah"))
        # consent for the other organisations and for oma Riet, all at the table
        orgs_ = {key: f"org:{o.id}" for key, o in self.organisations.items()}
        riet = f"participant:{self.participants['riet']}"
        self.consent("sandra", orgs_["ggz"], ["algemeen", "gezondheid"], ["sandra"], moment,
                     "Behandeling en samenwerken")
        self.consent("sandra", orgs_["schuldhulp"], ["financien"], ["sandra"], moment, "Schuldhulp")
        self.consent("lisa", orgs_["school"], ["algemeen"], ["lisa", "sandra", "mark"], moment,
                     "Schoolgang van Lisa")
        self.consent("sandra", riet, ["algemeen"], ["sandra"], moment, "Oma helpt mee")
        self.consent("lisa", riet, ["algemeen"], ["lisa", "sandra", "mark"], moment, "Oma helpt mee")
        self.consent("noah", riet, ["algemeen"], ["sandra", "mark"], moment, "Oma helpt mee")

        # the plan's sections
        both = [sandra, lisa, noah]
        self._write_section("sandra", moment, section="perspectief",
                            body="Over een jaar is het rustig in huis. Lisa gaat graag naar school, "
                                 "Noah slaapt goed, en ik heb weer overzicht over mijn geld.",
                            category="algemeen", subjects=both)
        self._write_section("sandra", moment, section="wat_gaat_goed",
                            body="Oma Riet helpt veel. Lisa kan goed tekenen.",
                            category="algemeen", subjects=both)
        # the rest of the joint analysis: the worries, what the family does themselves, the help
        # that is needed (one still to be found)
        self._write_section("sandra", moment, section="zorgen",
                            body="'s Avonds is er vaak ruzie, als iedereen moe is.",
                            category="algemeen", subjects=both)
        self._write_section("sandra", moment, section="zorgen",
                            body="Ik maak me zorgen over de brieven van de deurwaarder.",
                            category="financien", subjects=[sandra])
        self._write_section("sandra", moment, section="wat_we_zelf_doen",
                            body="Riet brengt Noah op woensdag naar zwemles. Lisa en ik koken "
                                 "samen op zondag.", category="algemeen", subjects=both)
        self._write_section("fatima", moment, section="hulp_nodig",
                            body="Iemand die Sandra helpt met de post en de rekeningen.",
                            category="financien", subjects=[sandra])
        self._write_section("fatima", moment, section="hulp_nodig",
                            body="Een maatje voor Lisa, voor na school.", still_to_find=True,
                            category="algemeen", subjects=[lisa])
        address = self._write_section("sandra", moment, section="gegevens", title="Adres van Sandra",
                                      body="Merelstraat 7, 9999 ZZ Voorbeeldstad",
                                      category="verblijfplaats", subjects=[sandra])
        # the plan for when things go less well: what Sandra notices first and does about it
        # are about her health (Fatima and Daan read them); whom to call is for the family
        self._write_section("sandra", moment, section="terugvalpreventie", relapse_line="vroeg_signaal",
                            body="Sandra slaapt slecht en blijft in bed.", category="gezondheid",
                            subjects=[sandra])
        self._write_section("sandra", moment, section="terugvalpreventie", relapse_line="wat_we_doen",
                            body="Sandra belt oma Riet en gaat naar de huisarts.",
                            category="gezondheid", subjects=[sandra])
        self._write_section("fatima", moment, section="terugvalpreventie", relapse_line="wie_we_bellen",
                            body="Oma Riet, de moeder van Sandra", phone="06 12345678",
                            category="algemeen", subjects=both)
        self._write_section("fatima", moment, section="terugvalpreventie", relapse_line="wie_we_bellen",
                            body="Fatima, de vaste hulpverlener", phone="020 123 4567",
                            category="algemeen", subjects=both)
        self.write_safety_plan(moment)
        # Sandra hides her address from Mark
        privacy.add_shield(self.as_("sandra", moment), sandra, self.participants["mark"], address,
                           None, "Mark mag niet weten waar ik woon.")

        # the goals: 1-4 written with Fatima at the table, 5 by Lisa herself
        for number, (title, subjects, category, domain, owner, _actions) in GOALS.items():
            author = "lisa" if number == 5 else "fatima"
            goal = goals.create_goal(self.as_(author, moment), goals.GoalInput(
                title=title, description="", subject_ids=[self.persons[s] for s in subjects],
                category=category, life_domain=domain, status="actief",
                owner_participant_id=self.participants[owner], start_date=self.start,
                end_date=self.end,
            ))
            self.goals[number] = goal.id
        for number, (_title, _subjects, _category, _domain, _owner, actions) in GOALS.items():
            author = "lisa" if number == 5 else "fatima"
            indicator, weight, baseline, ladder, _scores, start = LADDERS[number]
            goal = self.goal(number)
            goals.save_ladder(self.as_("fatima", moment), goal,
                              dict(zip((2, 1, 0, -1, -2), ladder)), baseline, weight, indicator,
                              goal.version, start=start)
            for what, who, due_in in actions:
                goals.add_action(self.as_(author, moment), self.goal(number), what,
                                 self.participants[who], self.today + timedelta(days=due_in))
            for name in AGREED[number]:
                goal = self.goal(number)
                goals.set_agreement(self.as_(name, moment), goal, True, "", goal.version)
        # Ilse and Sandra break the debts down: a first tussendoel, Ilse its trekker, in six weeks
        access = self.as_("ilse", moment)
        child = goals.add_sub_goal(access, self.goal(3), "Alle brieven over geld liggen in één map")
        goals.update_goal(self.as_("ilse", moment), child, goals.GoalInput(
            title=child.title, description="", subject_ids=[sandra], category="financien",
            life_domain=child.life_domain, status=child.status,
            owner_participant_id=self.participants["ilse"], start_date=child.start_date,
            end_date=self.start + timedelta(days=42), version=child.version,
        ))

    def write_safety_plan(self, moment: datetime) -> None:
        """The veiligheidsplan, made at the table through its own service: who Noah can call
        (oma Riet; she and Lisa are named in it, so they see it: a record grant from Sandra and
        Mark, given at the table), who steps in when Sandra is ill (tante Kim, who takes no part
        in samenplan), and that Fatima and Sandra explained it to Lisa."""
        noah = self.persons["noah"]
        safety.save_plan(self.as_("fatima", moment), safety.PlanInput(
            applies_from=moment.date(), applies_to=moment.date() + timedelta(days=182),
            review_on=self.today + timedelta(days=10)))
        safety.create_item(self.as_("fatima", moment), safety.ItemInput(
            item_kind="veilige_persoon", title="Noah belt oma Riet",
            body="Noah kan altijd oma Riet bellen.", subject_ids=[noah],
            named_participant_ids=[self.participants["riet"], self.participants["lisa"]],
            consenter_ids=[self.persons["sandra"], self.persons["mark"]]))
        safety.create_item(self.as_("sandra", moment), safety.ItemInput(
            item_kind="invaller", title="Tante Kim springt in", body="Als mama ziek is, komt tante Kim.",
            subject_ids=[noah], named_others="tante Kim"))
        safety.add_explanation(self.as_("fatima", moment + timedelta(hours=2)), safety.ExplanationInput(
            child_id=self.persons["lisa"], explained_on=moment.date(), explained_by="Fatima en mama",
            note="Lisa weet dat ze oma Riet altijd kan bellen."))

    def _write_section(self, author: str, moment: datetime, *, section: str, subjects: list[int],
                       body: str, category: str, title: str = "", relapse_line: str = "",
                       phone: str = "", still_to_find: bool = False) -> int:
        """An entry in a plan section, written by `author` through the plan's own service."""
        entry = plan_sections.create_section(
            self.as_(author, moment), SectionKind(section),
            plan_sections.SectionInput(title=title, body=body, subject_ids=subjects,
                                       category=category, relapse_line=relapse_line, phone=phone,
                                       still_to_find=still_to_find),
        )
        return entry.id

    # --- two earlier evaluations -----------------------------------------------------------
    def plan_evaluations(self) -> None:
        """The next evaluation, in two weeks at 10:00 at Sandra's home (DESIGN §6), planned by
        Fatima at the end of the last one (the two before it are held: `evaluate`)."""
        from samenplan.evaluations import holding

        last = self._evaluations[-1]
        holding.plan_next(self.as_("fatima", self.at(self.evaluations[-1], 11)), last,
                          self.today + timedelta(days=14), time(10), "Bij Sandra thuis",
                          invitee_ids=self._invitees())

    def _invitees(self, round_: int | None = None) -> list[int]:
        """Who is invited: the family, Riet, Fatima, and Daan (at the second earlier one Joris
        instead: it was about Lisa's school)."""
        return [self.participants[k] for k in ("sandra", "mark", "lisa", "riet", "fatima",
                                               "joris" if round_ == 1 else "daan")]

    def score_self_reliance(self) -> None:
        """Fatima scores Sandra's and Mark's self-sufficiency with them: at the start, and at
        the evaluation two weeks ago (linked to it). Recorded now, as the evaluations are."""
        from samenplan.evaluations.models import Evaluation
        from samenplan.selfreliance import services as selfreliance

        held = self.session.scalar(select(Evaluation.id).where(
            Evaluation.family_id == self.family_id,
            Evaluation.starts_at >= self.at(self.evaluations[-1], 0),
            Evaluation.starts_at < self.at(self.evaluations[-1] + timedelta(days=1), 0)))
        moments = ((self.start + timedelta(days=7), "start", None),
                   (self.evaluations[-1], "evaluatie", held))
        for person, rounds in SELF_RELIANCE.items():
            for (day, moment, evaluation_id), (levels, notes) in zip(moments, rounds):
                selfreliance.record(self.as_("fatima", self.at(self.today, 9)), selfreliance.MetingInput(
                    caregiver_id=self.persons[person], day=day, moment=moment,
                    evaluation_id=evaluation_id, levels={k: str(v) for k, v in levels.items()},
                    notes=notes))

    def evaluate(self) -> None:
        """The two earlier evaluations, held by Fatima at Sandra's home and closed into plan
        versions 1 and 2 (each with its report): planned a week before, who was there, every
        goal's step on its ladder, the scaling answers of every respondent for themself (and
        Noah's, entered by Fatima: he has no login), a decision per goal, at the second one a
        new action, and the safety scale."""
        from samenplan.evaluations import holding
        from samenplan.evaluations import services as evaluations

        self._evaluations = []
        for round_, day in enumerate(self.evaluations):
            evaluation = evaluations.plan(
                self.as_("fatima", self.at(day - timedelta(days=1), 9)),
                evaluations.EvaluationInput(day, time(10), place="Bij Sandra thuis",
                                            invitee_ids=self._invitees(round_)))
            self._evaluations.append(evaluation)
            moment = self.at(day, 10)
            holding.start(self.as_("fatima", moment), evaluation, evaluation.version)
            present = [self.participants[k] for k in ATTENDANCE[round_]]
            holding.set_attendance(self.as_("fatima", moment), evaluation, present,
                                   evaluation.version)
            for number in GOALS:
                holding.score(self.as_("fatima", moment), evaluation, self.goal(number),
                              LADDERS[number][4][round_])
                for name, rounds in ANSWERS[number].items():
                    answers = {
                        question: (score, *(ANSWER_WORDS if question == "voortgang" else ("", "")))
                        for question, score in zip(("voortgang", "motivatie", "vertrouwen"), rounds[round_])
                    }
                    goals.answer_scaling(self.as_(name, moment), self.goal(number), answers, day,
                                         evaluation_id=evaluation.id)
            for number, scores in NOAH_ANSWERS.items():
                holding.answer(self.as_("fatima", moment), evaluation, self.goal(number),
                               f"person:{self.persons['noah']}",
                               {"voortgang": (scores[round_], "", "")})
            for number, (code, note) in DECISIONS[round_].items():
                holding.decide(self.as_("fatima", moment), evaluation, self.goal(number), code,
                               note, None)
            for number, what, who, due_in in NEW_ACTIONS[round_]:
                holding.add_action(self.as_("fatima", moment), evaluation, self.goal(number),
                                   what, self.participants[who], day + timedelta(days=due_in))
            # and how safe it is at home, each for themself; Fatima enters Noah's (no login)
            for name, respondent, scores in SAFETY_ANSWERS:
                safety.answer(self.as_(name, moment), respondent if respondent == safety.SELF
                              else f"person:{self.persons[respondent]}", scores[round_])
            if round_ == len(self.evaluations) - 1:
                self.plan_evaluations()
            holding.close(self.as_("fatima", self.at(day, 11)), evaluation, evaluation.version)
        # what the professionals looked at around the last evaluation (each a page they opened)
        moment = self.at(self.evaluations[-1], 11)
        for viewer, record_ids in (
            ("daan", [self.goals[2]]), ("ilse", [self.goals[3]]),
            ("fatima", [self.goals[2], *self._section_ids("gegevens", "veiligheidsplan")]),
        ):
            access = self.as_(viewer, moment)
            for record_id in record_ids:
                assert access.get(Record, record_id) is not None, f"{viewer} cannot see #{record_id}"
            self.session.commit()  # the end of their request: its view event is appended

    def _section_ids(self, *sections: str) -> list[int]:
        return list(self.session.scalars(
            select(PlanSection.id).where(PlanSection.family_id == self.family_id,
                                         PlanSection.section.in_(sections))
            .order_by(PlanSection.section)))

    # --- today -----------------------------------------------------------------------------
    def tick_done_actions(self) -> None:
        """The actions done by now, ticked off by whoever does them."""
        for number, (*_goal, actions) in GOALS.items():
            for what, who, _due_in in actions:
                if (number, what) not in DONE:
                    continue
                action = self.session.scalar(select(Action).where(
                    Action.goal_id == self.goals[number], Action.what == what))
                goals.set_action_done(self.as_(who, self.now), action, True, action.version)


    def escalate_an_overdue_action(self) -> None:
        """Ilse's action for the debts, due four days ago, was reminded the day after (the
        cron's `send-reminders`) and is still not done: Fatima escalates it to Schuldhulp
        Stad's contact (issue 12 item 7), and the escalation is still open."""
        from samenplan.escalations import services as escalations
        from samenplan.notices.reminders import remind_actions

        what, who, due_in = ESCALATED_ACTION
        goals.add_action(self.as_("fatima", self.at(self.today - timedelta(days=20), 9)),
                         self.goal(3), what, self.participants[who],
                         self.today + timedelta(days=due_in))
        remind_actions(self.session, self.at(self.today + timedelta(days=due_in + 1), 6))
        action = self.session.scalar(select(Action).where(
            Action.goal_id == self.goals[3], Action.what == what))
        escalations.escalate(self.as_("fatima", self.at(self.today - timedelta(days=2), 10)),
                             action, self.users["beheer_schuldhulp"].id, ESCALATION_REASON)


# Goals in DESIGN.md §6's order: title, subjects, category, life domain, trekker, and actions
# (what, assignee, due in days from today).
GOALS = {
    1: ("We hebben elke avond rust in huis", ("sandra", "lisa", "noah"), "algemeen",
        "huiselijke_relaties", "sandra",
        [("Vaste bedtijd voor Noah: half acht", "sandra", 7),
         ("Oma haalt Noah op dinsdag en donderdag van school", "riet", 3),
         ("Gesprek plannen over rustige avonden", "fatima", -5)]),
    2: ("Ik ga elke week naar mijn afspraak bij de GGZ", ("sandra",), "gezondheid",
        "geestelijke_gezondheid", "sandra",
        [("Afspraken in de agenda op mijn telefoon zetten", "sandra", 2),
         ("Elke week een gesprek met Sandra", "daan", 7)]),
    3: ("We hebben overzicht over onze schulden en betalen de huur op tijd", ("sandra",), "financien",
        "financien", "sandra",
        [("Alle schulden op een rij zetten met Sandra", "ilse", 14),
         ("Post elke vrijdag openmaken met Ilse", "sandra", 4)]),
    4: ("Lisa gaat elke schooldag naar school", ("lisa",), "algemeen", "scholing", "lisa",
        [("Elke avond mijn tas inpakken", "lisa", 1),
         ("Elke maandag een kort gesprek met Lisa", "joris", 8),
         ("Lisa om half acht wekken", "sandra", 1)]),
    5: ("Ik praat elke week met de jeugdarts over hoe het met me gaat", ("lisa",), "gezondheid",
        "geestelijke_gezondheid", "lisa",
        [("Een afspraak maken bij de jeugdarts", "lisa", 5)]),
}
#: the action of goal 3 that is escalated, overdue after a reminder: (what, assignee, due in days)
ESCALATED_ACTION = ("Betalingsregeling voor de huurachterstand aanvragen bij Woonstad", "ilse", -4)
ESCALATION_REASON = ("Na de herinnering is de aanvraag voor de betalingsregeling nog niet "
                     "verstuurd, en de verhuurder dreigt met een deurwaarder.")
#: the actions done by now: (goal, what)
DONE = {(1, "Oma haalt Noah op dinsdag en donderdag van school"),
        (2, "Afspraken in de agenda op mijn telefoon zetten"), (4, "Lisa om half acht wekken")}
# Per goal (by number): indicator, weight, the step the start is on, the ladder +2..-2 as the
# guideline has it (−2 worse than at the start, −1 forward but not yet reached or still the
# same — so the start is on −1 —, 0 the goal as written, +1 more, +2 much more), two earlier
# scores, and the start in words.
LADDERS = {
    1: ("Het aantal rustige avonden per week (geen geschreeuw na het eten).", 3, -1,
        ["Elke avond rust in huis, en we doen één avond per week iets leuks samen",
         "Elke avond rust in huis, en Lisa en Noah gaan zonder ruzie naar bed",
         "We hebben elke avond rust in huis",
         "Twee tot zes avonden per week rust in huis",
         "Minder dan twee rustige avonden per week"], (-1, 0),
        "Twee of drie avonden per week is het rustig. De andere avonden is er ruzie of "
        "geschreeuw na het eten."),
    2: ("Hoe vaak Sandra naar haar afspraak bij GGZ Kompas gaat.", 2, -1,
        ["Ik ga elke week, en ik doe de oefeningen thuis",
         "Ik ga elke week, en ik bel zelf als ik een afspraak moet verzetten",
         "Ik ga elke week naar mijn afspraak bij de GGZ",
         "Ik ga één tot drie keer per maand",
         "Ik ga bijna nooit meer"], (-1, 0),
        "Ik ga één of twee keer per maand naar mijn afspraak."),
    3: ("Alle schulden staan op een rij en de huur is op tijd betaald.", 2, -1,
        ["Overzicht, de huur op tijd, de betalingsregeling loopt en er is een buffer",
         "Overzicht, de huur op tijd, en de betalingsregeling loopt",
         "We hebben overzicht over onze schulden en betalen de huur op tijd",
         "Nog geen overzicht over alle schulden, of de huur is soms nog te laat",
         "Er komen schulden bij en de huurachterstand groeit"], (-1, -1),
        "Geen overzicht over de schulden. De huur is vaak te laat."),
    4: ("Het aantal schooldagen per week dat Lisa op school is.", 2, -1,
        ["Lisa gaat elke schooldag op tijd naar school, en ze gaat er graag heen",
         "Lisa gaat elke schooldag op tijd naar school",
         "Lisa gaat elke schooldag naar school",
         "Lisa gaat drie of vier dagen per week naar school",
         "Lisa gaat minder dan drie dagen per week naar school"], (0, 1),
        "Lisa gaat drie of vier dagen per week naar school."),
    5: ("Hoe vaak Lisa met de jeugdarts praat over hoe het met haar gaat.", 1, -1,
        ["Elke week, en ik weet wat ik kan doen als ik me rot voel",
         "Elke week, en het helpt me",
         "Ik praat elke week met de jeugdarts over hoe het met me gaat",
         "Ik praat er soms met iemand over, maar nog niet elke week met de jeugdarts",
         "Ik praat er met niemand over en ik trek me terug"], (-1, 0),
        "Ik praat er met niemand over."),
}
# Scaling answers at the two earlier evaluations: the family (voortgang, motivatie,
# vertrouwen); network and professionals voortgang only (DESIGN §2).
ANSWERS = {
    1: {"sandra": ((4, 8, 5), (6, 8, 6)), "lisa": ((3, 5, 4), (5, 6, 5)),
        "riet": ((5,), (6,)), "fatima": ((3,), (5,))},
    2: {"sandra": ((5, 7, 6), (7, 8, 7)), "daan": ((3,), (4,))},
    3: {"sandra": ((2, 6, 3), (3, 7, 4)), "ilse": ((2,), (4,))},
    4: {"lisa": ((4, 6, 5), (7, 7, 7)), "sandra": ((5, 8, 6), (7, 8, 7)),
        "joris": ((4,), (6,)), "riet": ((6,), (7,))},
    5: {"lisa": ((2, 5, 3), (4, 6, 4)), "fatima": ((2,), (3,))},
}
AGREED = {1: ("sandra", "mark", "lisa", "fatima"), 2: ("sandra", "daan", "fatima"),
          3: ("sandra", "ilse", "fatima"), 4: ("lisa", "sandra", "mark", "joris", "fatima"),
          5: ("lisa", "fatima")}
# The safety scale (0-10) at the two earlier evaluations: who answers, for whom, the scores.
SAFETY_ANSWERS = (("sandra", "zelf", (6, 7)), ("lisa", "zelf", (5, 7)), ("riet", "zelf", (6, 8)),
                  ("fatima", "zelf", (5, 6)), ("fatima", "noah", (7, 8)))
# Who was at each earlier evaluation (Mark at neither: he lives elsewhere; Daan at the first,
# Joris, Lisa's mentor, at the second).
ATTENDANCE = (("sandra", "lisa", "riet", "fatima", "daan"), ("sandra", "lisa", "riet", "fatima", "joris"))
# Noah's own "voortgang" on goal 1 at each earlier evaluation, entered by Fatima (no login).
NOAH_ANSWERS = {1: (5, 7)}
# What each earlier evaluation decided per goal (by number), and why.
DECISIONS = (
    {1: ("doorgaan", "De rustige avonden nemen toe; we houden vast aan het vaste avondritme."),
     2: ("doorgaan", "Sandra gaat vaker naar haar afspraken; ze zet ze nu in haar telefoon."),
     3: ("aanpassen", "Eerst alle brieven van schuldeisers samen openmaken en sorteren."),
     4: ("doorgaan", "Lisa is vaker op school sinds oma haar wekt op maandag."),
     5: ("doorgaan", "Lisa heeft de jeugdarts twee keer gesproken en wil dat blijven doen.")},
    {1: ("doorgaan", "Bijna elke avond rustig; het vaste avondritme werkt voor Noah en Lisa."),
     2: ("doorgaan", "Sandra ging elke week; ze belt zelf als het een keer niet lukt."),
     3: ("doorgaan", "Het overzicht van de schulden is bijna klaar; de huur gaat nu automatisch."),
     4: ("doorgaan", "Lisa ging bijna elke schooldag; de mentor ziet haar vaker lachen."),
     5: ("doorgaan", "De gesprekken met de jeugdarts helpen Lisa; ze gaat elke week.")},
)
# New actions agreed at each earlier evaluation: (goal, what, who, due in days from that day).
NEW_ACTIONS = ((), ((1, "Samen een weekplanner voor de avonden op de koelkast hangen", "sandra", 21),))
WHY_NOT_ZERO = "Er is al iets veranderd: we praten meer met elkaar."
ONE_HIGHER = "Dan lukt het ook in het weekend."
ANSWER_WORDS = (WHY_NOT_ZERO, ONE_HIGHER)  # the follow-ups, answered for voortgang


# Self-sufficiency (ZRM-style, 1-5) of the caregivers, at the start and at the last evaluation:
# (levels, notes) per meting. Sandra: insufficient on 7 domains at the start, 5 now (money
# 2 -> 3, mental health 2 -> 3, network 3 -> 4, ...); Mark: 3 at the start, 1 now (a home of
# his own, where Noah can stay over).
_SANDRA_START = {
    "financien": 2, "werk_opleiding": 2, "tijdsbesteding": 3, "huisvesting": 4,
    "huiselijke_relaties": 2, "geestelijke_gezondheid": 2, "lichamelijke_gezondheid": 4,
    "middelengebruik": 5, "basale_adl": 5, "instrumentele_adl": 4, "sociaal_netwerk": 3,
    "maatschappelijke_participatie": 4, "justitie": 5, "lichamelijke_verzorging": 4,
    "sociaal_emotionele_ondersteuning": 3, "scholing": 4, "opvang": 4,
}
_MARK_START = {
    "financien": 4, "werk_opleiding": 4, "tijdsbesteding": 4, "huisvesting": 2,
    "huiselijke_relaties": 3, "geestelijke_gezondheid": 4, "lichamelijke_gezondheid": 5,
    "middelengebruik": 4, "basale_adl": 5, "instrumentele_adl": 4, "sociaal_netwerk": 4,
    "maatschappelijke_participatie": 4, "justitie": 5, "lichamelijke_verzorging": 4,
    "sociaal_emotionele_ondersteuning": 3, "scholing": 4, "opvang": 4,
}
SELF_RELIANCE = {
    "sandra": (
        (_SANDRA_START, {
            "financien": "Huurachterstand van drie maanden, de post blijft ongeopend liggen",
            "geestelijke_gezondheid": "Somber sinds de scheiding en slaapt maar een paar uur",
            "werk_opleiding": "Wil graag weer aan het werk als doktersassistente",
        }),
        ({**_SANDRA_START, "financien": 3, "geestelijke_gezondheid": 3, "huiselijke_relaties": 3,
          "tijdsbesteding": 4, "sociaal_netwerk": 4}, {
            "financien": "Budgetplan met de schuldhulp loopt, de huur gaat nu op tijd eraf",
            "geestelijke_gezondheid": "Gaat elke week naar haar afspraak en slaapt iets beter",
            "sociaal_netwerk": "Oma Riet komt twee middagen per week helpen met Noah",
        }),
    ),
    "mark": (
        (_MARK_START, {"huisvesting": "Slaapt tijdelijk op de bank bij een vriend in Zuidwijk"}),
        ({**_MARK_START, "huisvesting": 4, "huiselijke_relaties": 4}, {
            "huisvesting": "Heeft nu een eigen huurwoning met een kamer waar Noah kan logeren",
        }),
    ),
}
