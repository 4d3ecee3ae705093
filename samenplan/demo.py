"""The Jansen / de Boer demo family of DESIGN.md §6. Invented; any likeness is chance."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from samenplan.auth.models import User
from samenplan.auth.passwords import hash_password
from samenplan.db import utcnow
from samenplan.families.models import Family, Participant, Person
from samenplan.goals.models import (
    Action, GasLevel, GasScore, Goal, GoalAgreement, GoalStatusChange, ScalingAnswer,
)
from samenplan.orgs.models import Organisation, OrganisationMember
from samenplan.plans.models import Plan, PlanSection
from samenplan.privacy import audit
from samenplan.privacy.facts import Category
from samenplan.privacy.models import Consent, ConsentApproval, ConsentCategory, Involvement, Shield

DEMO_FAMILY = "Jansen / de Boer"
DEMO_PASSWORD = "samen-demo-2026"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"
ALL_CATEGORIES = [c.value for c in Category]
DEMO_ADMIN = "beheer@samenplan.demo"
#: the functioneel beheerders of the four demo organisations (in DESIGN.md §6's order)
DEMO_BEHEERDERS = (
    ("beheer@wijkteam-noord.demo", "Wim de Wit"),
    ("beheer@ggz-kompas.demo", "Greet Koster"),
    ("beheer@schuldhulp-stad.demo", "Sem Stad"),
    ("beheer@hetbaken.demo", "Bea Baken"),
)


def seed_demo(session: Session, today: date | None = None) -> bool:
    """Create the demo family; False (and nothing changed) when it is already there."""
    if session.scalar(select(Family).where(Family.name == DEMO_FAMILY)):
        return False
    today = today or utcnow().date()
    now = utcnow()
    password = hash_password(DEMO_PASSWORD)

    def user(email: str, name: str) -> User:
        existing = session.scalar(select(User).where(User.email == email))
        if existing:
            return existing
        u = User(email=email, name=name, password_hash=password)
        session.add(u)
        return u

    def org(name: str, kind: str, domain: str) -> Organisation:
        existing = session.scalar(select(Organisation).where(Organisation.name == name))
        if existing:
            return existing
        o = Organisation(name=name, kind=kind, domains=domain)
        session.add(o)
        return o

    wijkteam = org("Sociaal Wijkteam Noord", "wijkteam", "wijkteam-noord.demo")
    ggz = org("GGZ Kompas", "ggz", "ggz-kompas.demo")
    schuldhulp = org("Schuldhulp Stad", "schuldhulp", "schuldhulp-stad.demo")
    school = org("Het Baken College", "onderwijs", "hetbaken.demo")

    family = Family(name=DEMO_FAMILY)
    sandra = Person(family=family, first_name="Sandra", last_name="Jansen", date_of_birth=date(1991, 3, 12))
    mark = Person(family=family, first_name="Mark", last_name="de Boer", date_of_birth=date(1988, 7, 2))
    lisa = Person(family=family, first_name="Lisa", last_name="de Boer", date_of_birth=date(2011, 5, 20))
    noah = Person(family=family, first_name="Noah", last_name="de Boer", date_of_birth=date(2018, 9, 1))
    lisa.authority_holders = [sandra, mark]
    noah.authority_holders = [sandra, mark]
    session.add(family)

    def participant(u, role, **kw) -> Participant:
        p = Participant(family=family, user=u, role=role, **kw)
        session.add(p)
        return p

    def member(u: User, organisation: Organisation, *, beheerder: bool = False,
               may_start: bool = False) -> OrganisationMember:
        m = OrganisationMember(user=u, organisation=organisation, is_beheerder=beheerder,
                               may_start_families=may_start, joined_at=now)
        session.add(m)
        return m

    p_sandra = participant(user("sandra@demo.samenplan.nl", "Sandra Jansen"), "family", person=sandra, function="moeder")
    p_mark = participant(user("mark@demo.samenplan.nl", "Mark de Boer"), "family", person=mark, function="vader")
    p_lisa = participant(user("lisa@demo.samenplan.nl", "Lisa de Boer"), "family", person=lisa)
    p_riet = participant(user("riet@demo.samenplan.nl", "Riet Jansen"), "network", function="oma")
    def professional(email: str, name: str) -> User:
        u = user(email, name)
        u.totp_secret = DEMO_TOTP_SECRET  # demo only: the secret of DESIGN.md §6
        return u

    p_fatima = participant(professional("fatima@wijkteam-noord.demo", "Fatima El Amrani"), "casusregisseur",
                           organisation=wijkteam, function="casusregisseur", phone="020 123 45 67")
    p_daan = participant(professional("daan@ggz-kompas.demo", "Daan Visser"), "professional",
                         organisation=ggz, function="behandelaar", phone="020 234 56 78")
    p_ilse = participant(professional("ilse@schuldhulp-stad.demo", "Ilse Smit"), "professional",
                         organisation=schuldhulp, function="schuldhulpverlener", phone="020 345 67 89")
    p_joris = participant(professional("joris@hetbaken.demo", "Joris Bakker"), "professional",
                          organisation=school, function="mentor", phone="020 456 78 90")
    # who works where (OrganisationMember, the one truth of it); Fatima may start families
    for who, where in ((p_fatima, wijkteam), (p_daan, ggz), (p_ilse, schuldhulp), (p_joris, school)):
        member(who.user, where, may_start=who is p_fatima)
    # the administrator, and a functioneel beheerder for each organisation: no part in any plan
    admin = professional(DEMO_ADMIN, "Bram Beheer")
    admin.is_admin = True
    for where, (email, name) in zip((wijkteam, ggz, schuldhulp, school), DEMO_BEHEERDERS):
        member(professional(email, name), where, beheerder=True)
    plan = Plan(family=family)
    session.add(plan)
    session.flush()

    def record_meta(author: Participant) -> dict:
        return dict(family_id=family.id, author_participant_id=author.id,
                    created_by_id=author.user_id, updated_by_id=author.user_id)

    session.add(PlanSection(
        plan_id=plan.id, section="perspectief", title="Onze wens voor later",
        body="Over een jaar is het rustig in huis. Lisa gaat graag naar school, Noah slaapt goed, "
             "en ik heb weer overzicht over mijn geld.",
        category="algemeen", subjects=[sandra, lisa, noah], **record_meta(p_sandra),
    ))
    session.add(PlanSection(
        plan_id=plan.id, section="wat_gaat_goed", body="Oma Riet helpt veel. Lisa kan goed tekenen.",
        category="algemeen", subjects=[sandra, lisa, noah], **record_meta(p_sandra),
    ))
    safety = PlanSection(
        plan_id=plan.id, section="veiligheidsplan", title="Veilige persoon",
        body="Noah kan altijd oma Riet bellen.", category="veiligheid", subjects=[noah],
        **record_meta(p_fatima),
    )
    address = PlanSection(
        plan_id=plan.id, section="gegevens", title="Adres van Sandra",
        body="Merelstraat 7, 9999 ZZ Voorbeeldstad", category="verblijfplaats",
        subjects=[sandra], **record_meta(p_sandra),
    )
    session.add_all([safety, address])

    start, end = today - timedelta(days=70), today + timedelta(days=110)
    goals_spec = [
        ("We hebben elke avond rust in huis", [sandra, lisa, noah], "algemeen",
         "huiselijke_relaties", p_sandra,
         [("Vaste bedtijd voor Noah: half acht", p_sandra, 7, False),
          ("Oma haalt Noah op dinsdag en donderdag van school", p_riet, 3, True),
          ("Gesprek plannen over rustige avonden", p_fatima, -5, False)]),
        ("Ik ga elke week naar mijn afspraak bij de GGZ", [sandra], "gezondheid",
         "geestelijke_gezondheid", p_sandra,
         [("Afspraken in de agenda op mijn telefoon zetten", p_sandra, 2, True),
          ("Elke week een gesprek met Sandra", p_daan, 7, False)]),
        ("We hebben overzicht over onze schulden en betalen de huur op tijd", [sandra], "financien",
         "financien", p_sandra,
         [("Alle schulden op een rij zetten met Sandra", p_ilse, 14, False),
          ("Post elke vrijdag openmaken met Ilse", p_sandra, 4, False)]),
        ("Lisa gaat elke schooldag naar school", [lisa], "algemeen", "scholing", p_lisa,
         [("Elke avond mijn tas inpakken", p_lisa, 1, False),
          ("Elke maandag een kort gesprek met Lisa", p_joris, 8, False),
          ("Lisa om half acht wekken", p_sandra, 1, True)]),
        ("Ik praat elke week met de jeugdarts over hoe het met me gaat", [lisa], "gezondheid",
         "geestelijke_gezondheid", p_lisa,
         [("Een afspraak maken bij de jeugdarts", p_lisa, 5, False)]),
    ]
    for priority, (title, subjects, category, domain, owner, actions) in enumerate(goals_spec, 1):
        author = p_lisa if priority == 5 else p_fatima  # goal 5 is Lisa's own
        goal = Goal(
            plan_id=plan.id, title=title, subjects=subjects, category=category, life_domain=domain,
            priority=priority, status="actief", start_date=start, end_date=end,
            owner_participant_id=owner.id, **record_meta(author),
        )
        session.add(goal)
        for what, who, due_in, done in actions:
            session.add(Action(
                goal=goal, what=what, assignee_participant_id=who.id,
                due_date=today + timedelta(days=due_in), done_at=now if done else None,
                done_by_id=who.user_id if done else None, privacy_source=goal,
                **record_meta(author),
            ))
    for who, subjects, category in (
        (p_fatima, [sandra, mark, lisa, noah], "algemeen"), (p_daan, [sandra], "gezondheid"),
        (p_ilse, [sandra], "financien"), (p_joris, [lisa], "algemeen"),
    ):  # what each professional's participation says, and about whom (DESIGN.md §3)
        session.add(Involvement(participant=who, subjects=subjects, category=category,
                                **record_meta(p_fatima)))
    session.flush()
    _seed_measurements(session, plan, today, {
        "sandra": p_sandra, "mark": p_mark, "lisa": p_lisa, "riet": p_riet, "fatima": p_fatima,
        "daan": p_daan, "ilse": p_ilse, "joris": p_joris,
    })

    consents = []

    def consent(subject, categories, approvers, *, org_to=None, participant_to=None,
                purpose="Samenwerken aan het gezinsplan"):
        c = Consent(
            family_id=family.id, subject=subject, grantee_organisation=org_to,
            grantee_participant=participant_to, purpose=purpose, how="tafel",
            start_at=datetime.combine(start, datetime.min.time()), recorded_by_id=p_fatima.user_id,
            categories=[ConsentCategory(category=c) for c in categories],
            approvals=[ConsentApproval(person=a, how="tafel", recorded_by_id=p_fatima.user_id)
                       for a in approvers],
        )
        session.add(c)
        consents.append(c)
        return c

    consent(sandra, ALL_CATEGORIES, [sandra], org_to=wijkteam)
    consent(mark, ALL_CATEGORIES, [mark], org_to=wijkteam)
    consent(lisa, ALL_CATEGORIES, [lisa, sandra, mark], org_to=wijkteam)
    consent(noah, ALL_CATEGORIES, [sandra, mark], org_to=wijkteam)
    consent(sandra, ["algemeen", "gezondheid"], [sandra], org_to=ggz, purpose="Behandeling en samenwerken")
    consent(sandra, ["financien"], [sandra], org_to=schuldhulp, purpose="Schuldhulp")
    consent(lisa, ["algemeen"], [lisa, sandra, mark], org_to=school, purpose="Schoolgang van Lisa")
    consent(sandra, ["algemeen"], [sandra], participant_to=p_riet, purpose="Oma helpt mee")
    consent(lisa, ["algemeen"], [lisa, sandra, mark], participant_to=p_riet, purpose="Oma helpt mee")
    consent(noah, ["algemeen"], [sandra, mark], participant_to=p_riet, purpose="Oma helpt mee")
    for named in (p_riet, p_lisa):  # the people named in the safety line see that line
        c = consent(noah, ["veiligheid"], [sandra, mark], participant_to=named,
                    purpose="Staat in het veiligheidsplan")
        c.record = safety
    session.add(Shield(
        family_id=family.id, subject=sandra, participant=p_mark, record=address,
        reason="Mark mag niet weten waar ik woon.", created_by_id=p_sandra.user_id,
    ))
    session.flush()

    shield = session.scalar(select(Shield).where(Shield.family_id == family.id))
    events = [
        audit.Event("grant", family_id=family.id, actor_user_id=p_fatima.user_id,
                    actor_participant_id=p_fatima.id, subject_ids=(c.subject_id,),
                    params=(("how", "tafel"),) + ((("record", c.record_id),) if c.record_id else ()),
                    target_kind="consent", target_id=c.id)
        for c in consents
    ]
    events.append(audit.Event("shield", family_id=family.id, actor_user_id=p_sandra.user_id,
                              actor_participant_id=p_sandra.id, subject_ids=(sandra.id,),
                              params=(("participant", p_mark.id), ("record", address.id)),
                              target_kind="shield", target_id=shield.id))
    goals = {g.priority: g for g in session.scalars(select(Goal).where(Goal.plan_id == plan.id))}
    grant_of = {(c.subject_id, c.grantee_organisation_id): c.id for c in consents}
    earlier_views = [
        (p_daan, goals[2], grant_of[(sandra.id, ggz.id)]),
        (p_ilse, goals[3], grant_of[(sandra.id, schuldhulp.id)]),
        (p_fatima, goals[2], grant_of[(sandra.id, wijkteam.id)]),
        (p_fatima, address, grant_of[(sandra.id, wijkteam.id)]),
        (p_fatima, safety, None),
    ]
    for viewer, record, grant_id in earlier_views:  # the trail of the two earlier evaluations
        events.append(audit.Event(
            "view", family_id=family.id, actor_user_id=viewer.user_id,
            actor_participant_id=viewer.id, entries=(audit.Entry(
                record_id=record.id, category=record.category,
                subject_ids=tuple(sorted(p.id for p in record.subjects)),
                ground="grant" if grant_id else "author",
                basis=(("grants", (grant_id,)),) if grant_id else (),
            ),),
        ))
    audit.append(session, events)
    session.commit()
    return True


# Per goal (by priority): indicator, weight, baseline, ladder +2..-2, two earlier scores.
LADDERS = {
    1: ("Het aantal rustige avonden per week (geen geschreeuw na het eten).", 3, -1,
        ["Elke avond rustig", "Zes avonden per week rustig", "Vijf avonden per week rustig",
         "Twee of drie avonden per week rustig", "Bijna elke avond ruzie of geschreeuw"], (-1, 0)),
    2: ("Hoe vaak Sandra naar haar afspraak bij GGZ Kompas gaat.", 2, -1,
        ["Elke week, en ik doe de oefeningen thuis", "Ik ga elke week", "Ik ga drie keer per maand",
         "Ik ga één of twee keer per maand", "Ik ga bijna nooit"], (-1, 0)),
    3: ("Alle schulden staan op een rij en de huur is op tijd betaald.", 2, -1,
        ["Betalingsregeling loopt en er is een buffer", "De betalingsregeling loopt",
         "Alle schulden op een rij, huur op tijd", "Schulden deels op papier, huur soms te laat",
         "Geen overzicht, de huurachterstand groeit"], (-1, -1)),
    4: ("Het aantal schooldagen per week dat Lisa op school is.", 2, -1,
        ["Elke schooldag op tijd, en ze gaat graag", "Elke schooldag op tijd",
         "Elke schooldag, soms te laat", "Drie of vier dagen per week",
         "Minder dan drie dagen per week"], (0, 1)),
    5: ("Hoe vaak Lisa met de jeugdarts praat over hoe het met haar gaat.", 1, -1,
        ["Elke week, en ik weet wat ik kan doen als ik me rot voel", "Elke week, en het helpt",
         "Ik praat elke week met de jeugdarts", "Eén of twee keer per maand", "Ik praat er met niemand over"],
        (-1, 0)),
}
# Scaling answers (voortgang, motivatie, vertrouwen) at the two earlier evaluations.
ANSWERS = {
    1: {"sandra": ((4, 8, 5), (6, 8, 6)), "lisa": ((3, 5, 4), (5, 6, 5)),
        "riet": ((5, 9, 6), (6, 9, 7)), "fatima": ((3, 7, 4), (5, 7, 6))},
    2: {"sandra": ((5, 7, 6), (7, 8, 7)), "daan": ((3, 6, 4), (4, 6, 5))},
    3: {"sandra": ((2, 6, 3), (3, 7, 4)), "ilse": ((2, 6, 3), (4, 7, 5))},
    4: {"lisa": ((4, 6, 5), (7, 7, 7)), "sandra": ((5, 8, 6), (7, 8, 7)),
        "joris": ((4, 6, 5), (6, 6, 6)), "riet": ((6, 8, 7), (7, 8, 8))},
    5: {"lisa": ((2, 5, 3), (4, 6, 4)), "fatima": ((2, 5, 3), (3, 5, 4))},
}
AGREED = {1: ("sandra", "mark", "lisa", "fatima"), 2: ("sandra", "daan", "fatima"),
          3: ("sandra", "ilse", "fatima"), 4: ("lisa", "sandra", "mark", "joris", "fatima"),
          5: ("lisa", "fatima")}
WHY_NOT_ZERO = "Er is al iets veranderd: we praten meer met elkaar."
ONE_HIGHER = "Dan lukt het ook in het weekend."


def _seed_measurements(session: Session, plan: Plan, today: date, who: dict) -> None:
    """GAS ladders, two earlier evaluations' scores and answers, agreements, a sub-goal."""
    evaluations = (today - timedelta(days=56), today - timedelta(days=14))
    goals = {g.priority: g for g in session.scalars(
        select(Goal).where(Goal.plan_id == plan.id, Goal.parent_id.is_(None)))}
    fatima = who["fatima"]
    for priority, goal in goals.items():
        indicator, weight, baseline, ladder, scores = LADDERS[priority]
        goal.indicator, goal.gas_weight, goal.gas_baseline = indicator, weight, baseline
        goal.realistic_confirmed = True
        goal.gas_levels = [GasLevel(level=level, description=text)
                           for level, text in zip((2, 1, 0, -1, -2), ladder)]
        goal.status_changes = [GoalStatusChange(
            old_status=None, new_status="actief", changed_by_id=fatima.user_id,
            changed_at=datetime.combine(goal.start_date, datetime.min.time()))]
        goal.agreements = [GoalAgreement(participant_id=who[name].id, agrees=True,
                                          at=datetime.combine(goal.start_date, datetime.min.time()))
                           for name in AGREED[priority]]
        shared = dict(family_id=goal.family_id, privacy_source=goal)
        for day, level in zip(evaluations, scores):
            session.add(GasScore(goal_id=goal.id, level=level, scored_on=day,
                                 author_participant_id=fatima.id, created_by_id=fatima.user_id,
                                 updated_by_id=fatima.user_id, **shared))
        for name, rounds in ANSWERS[priority].items():
            respondent = who[name]
            for day, values in zip(evaluations, rounds):
                for question, score in zip(("voortgang", "motivatie", "vertrouwen"), values):
                    session.add(ScalingAnswer(
                        goal_id=goal.id, question=question, score=score, answered_on=day,
                        why_not_zero=WHY_NOT_ZERO if question == "voortgang" else "",
                        one_higher=ONE_HIGHER if question == "voortgang" else "",
                        author_participant_id=respondent.id, created_by_id=respondent.user_id,
                        updated_by_id=respondent.user_id, **shared))
    debts = goals[3]
    session.add(Goal(
        family_id=debts.family_id, plan_id=plan.id, parent_id=debts.id, level="tussendoel",
        title="Alle brieven over geld liggen in één map", life_domain=debts.life_domain,
        status="actief", priority=1, start_date=debts.start_date,
        end_date=debts.start_date + timedelta(days=42), privacy_source=debts,
        owner_participant_id=who["ilse"].id,
        author_participant_id=who["ilse"].id, created_by_id=who["ilse"].user_id,
        updated_by_id=who["ilse"].user_id,
    ))
    session.flush()
