"""Starting for real (issue 10): a new installation, from its first administrator to a mother who
changes her consent on her own phone. Every step as a new user does it, at phone width (360 px).

1. The installation holds only the administrator, made by the real command's service
   (`flask admin create`: `samenplan.auth.admins.create_admin`). With no SMTP set up, the
   command prints the one-time link; the administrator opens it, chooses a password and sets up
   two-factor login (the secret as the enrolment page shows it, for "typing it over").
2. The administrator adds an organisation (Sociaal Wijkteam Zuid) and names its functioneel
   beheerder; the organisation is in the list, with its beheerder.
3. The beheerder's welcome mail arrives; she makes her account the same way and adds a
   professional, not (yet) allowed to start families.
4. The professional makes his account. He cannot start a family: no "Een gezin aanmelden" on
   his start page, and /gezin/nieuw is not there for him. The beheerder allows it; on his next
   page load the button is there.
5. He takes on the Bakker family: Eva (the mother), Tim (14) and Mila (6), who live together,
   and Jan de Vries, Mila's father, who lives elsewhere and has authority over Mila. The
   persons list shows Tim (14) and Mila (6) with their authority: Tim Eva, Mila Eva and Jan.
6. He invites Eva (linked to her person) and holds the consent round at the kitchen table
   ("Toestemming bespreken", person by person): Eva says yes for herself (general and health
   information), Tim and Eva for Tim, Eva for Mila. Jan is not at the table and has no login:
   his own step is skipped, Mila's consent waits, and the end of the round and the consent page
   name Jan as missing.
7. Eva opens the invitation mail on her own phone and makes her account. On "Wie mag wat zien"
   she sees that the casusregisseur recorded her consent at the table ("Vastgelegd door …").
   In her own round she unticks one thing, her health information; the rest of her yes stays.
   The professional's next page load shows it withdrawn, and his notifications say he may no
   longer see it.

Each new screen must fit the phone (no sideways scrolling) and have a label for every field.
"""
from __future__ import annotations

import re
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import assert_no_sideways_scroll, shoot, sub_menu
from tests.support.mail import Outbox, link_in

pytestmark = pytest.mark.e2e

WELCOME_LINK = re.compile(r"https?://\S+/welkom/[A-Za-z0-9_\-]+")
INVITATION_LINK = re.compile(r"https?://\S+/uitnodiging/[A-Za-z0-9_\-]+")

ADMIN_NAME, ADMIN_EMAIL = "Henk de Wit", "henk.dewit@gemeente-voorbeeld.nl"
ORGANISATION, DOMAIN = "Sociaal Wijkteam Zuid", "wijkteam-zuid.nl"
BEHEERDER_NAME, BEHEERDER_EMAIL = "Anouk Mulder", f"anouk.mulder@{DOMAIN}"
PRO_NAME, PRO_EMAIL = "Karim Haddou", f"karim.haddou@{DOMAIN}"
EVA_EMAIL = "eva.bakker@example.nl"
FAMILY = "Bakker"

HEALTH = "Gezondheid (ook psychisch)"
AT_TABLE = f"gaf toestemming aan tafel. Vastgelegd door {PRO_NAME} op"
GENERAL = "Algemeen"


def born_years_ago(years: int) -> date:
    """A date of birth that makes someone `years` old today (and for some weeks to come)."""
    today = datetime.now(ZoneInfo("Europe/Amsterdam")).date()
    return date(today.year - years, today.month, 1) - timedelta(days=60)


def fits_the_phone(page: Page) -> None:
    """A new screen: no sideways scrolling at 360 px, and every field has its label (a second
    form on the page whose field has the same id leaves that field without one: a screen
    reader says nothing, and tapping the label fills in the other form)."""
    assert_no_sideways_scroll(page)
    unlabelled = page.evaluate("""() => Array.from(document.querySelectorAll(
            'input:not([type=hidden]):not([type=submit]):not([hidden]), select, textarea'))
        .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                     && !e.getAttribute('aria-labelledby'))
        .map(e => (e.name || e.id) + (e.closest('section[id]') ? ' in #' + e.closest('section[id]').id : ''))""")
    assert not unlabelled, f"{page.url}: fields without a label: {unlabelled}"


# --- what every new account that must log in in two steps goes through --------------------------------------

def new_page(new_phone_context) -> Page:
    return new_phone_context().new_page()


def enter_code(page: Page, secret: str, browser_problems) -> None:
    """The code the authenticator app shows now; when the step just turned, the next one."""
    from samenplan.auth.twofactor import code_at

    step = int(time.time() // 30)
    for candidate in (step, step + 1):
        page.get_by_label("Code").fill(code_at(secret, candidate))
        with page.expect_navigation():  # the answer to this code, not the page it was typed on
            page.get_by_role("button", name="Aanzetten").click()
        if page.get_by_role("heading", level=1, name="Je herstelcodes").count():
            return
        expect(page.get_by_role("alert")).to_contain_text("Deze code klopt niet.")
        browser_problems.allow(r"status of 422")  # the refused code answered 422, on purpose
    pytest.fail("the enrolment page refused two codes in a row")


def make_account(page: Page, link: str, name: str, email: str, password: str, browser_problems,
                 artifacts=None, shot: str | None = None) -> None:
    """The welcome link from the mail: choose a password, set up two-factor login, keep the
    recovery codes; then the start page, logged in."""
    page.goto(link)
    expect(page.get_by_role("heading", level=1, name="Welkom bij samenplan")).to_be_visible()
    expect(page.get_by_text(f"Hallo {name}. Kies eerst een wachtwoord voor {email}.")).to_be_visible()
    fits_the_phone(page)
    page.get_by_label("Nieuw wachtwoord").fill(password)
    page.get_by_label("Nog een keer hetzelfde wachtwoord").fill(password)
    page.get_by_role("button", name="Wachtwoord opslaan").click()

    # two-factor login is not optional for them
    expect(page.get_by_role("heading", level=1, name="Inloggen in twee stappen instellen")).to_be_visible()
    expect(page.get_by_text("Voor hulpverleners is dit verplicht")).to_be_visible()
    expect(page.locator(".qr svg")).to_be_visible()
    fits_the_phone(page)
    if shot:
        shoot(page, artifacts, shot, full_page=True)
    secret = page.locator("code.secret").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret), secret
    enter_code(page, secret, browser_problems)
    expect(page.locator("ul.codes li code").first).to_be_visible()
    fits_the_phone(page)
    page.get_by_role("link", name="Ik heb ze bewaard, verder").click()
    expect(page.get_by_role("heading", level=1, name="Mijn plannen")).to_be_visible()
    expect(page.get_by_role("link", name=name)).to_be_visible()  # logged in, their name on top
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()


def flash(page: Page):
    return page.locator("p.flash[role=status]")


def consent_cards(page: Page, person: str, state: str):
    """The cards on "Wie mag wat zien" of consents from `person` to the organisation, in one
    state (actief, wacht, ingetrokken, ...)."""
    return page.locator(f"li.card.consent.state-{state}", has=page.get_by_role(
        "heading", name=f"{person} → {ORGANISATION}", exact=True))


# --- the steps of the story ----------------------------------------------------------------------

def empty_installation_with_only_the_administrator(live_server) -> str:
    """What `flask admin create` does on a new installation; returns the one-time link it prints."""
    from sqlalchemy import func, select

    from samenplan import db
    from samenplan.auth.admins import create_admin
    from samenplan.auth.models import User
    from samenplan.families.models import Family
    from samenplan.orgs.models import Organisation
    from tests.conftest import reset_database

    reset_database(live_server.database_url)
    with live_server.app.app_context():
        session = db.session()
        made = create_admin(session, ADMIN_EMAIL, ADMIN_NAME)
        assert made.summary == f"Administrator {ADMIN_NAME} <{ADMIN_EMAIL}> created."
        assert made.link and WELCOME_LINK.fullmatch(made.link), made.link
        assert made.link.startswith(live_server.url)
        # nothing else: no demo, no organisation, no family, one account
        assert session.scalar(select(func.count()).select_from(User)) == 1
        assert session.scalar(select(func.count()).select_from(Organisation)) == 0
        assert session.scalar(select(func.count()).select_from(Family)) == 0
        return made.link


def test_starting_for_real(live_server, new_phone_context, browser_problems, artifacts):
    link = empty_installation_with_only_the_administrator(live_server)
    outbox = Outbox(live_server.app)
    try:
        run_the_story(live_server, new_phone_context, browser_problems, artifacts, outbox, link)
    finally:
        outbox.clean()


def run_the_story(live_server, new_phone_context, browser_problems, artifacts, outbox, admin_link):
    # --- 1. the administrator ----------------------------------------------------------------
    admin = new_page(new_phone_context)
    make_account(admin, admin_link, ADMIN_NAME, ADMIN_EMAIL, "de eerste beheerder van de stad",
                 browser_problems, artifacts, "real-01-admin-enrol.png")
    expect(admin.get_by_text("Je doet nog niet mee aan een plan")).to_have_count(0)
    admin.get_by_role("link", name="Beheer van samenplan: organisaties").click()
    expect(admin.get_by_role("heading", level=1, name="Beheer van samenplan")).to_be_visible()
    expect(admin.get_by_text("Nog geen organisaties.")).to_be_visible()
    fits_the_phone(admin)

    # --- 2. an organisation, and its functioneel beheerder -----------------------------------
    new = admin.locator("section#nieuw")
    new.get_by_label("Naam van de organisatie").fill(ORGANISATION)
    new.get_by_label("Wat voor organisatie is het?").select_option(label="Wijkteam")
    new.get_by_label("E-maildomeinen").fill(DOMAIN)
    shoot(admin, artifacts, "real-02-admin-add-organisation.png", full_page=True)
    new.get_by_role("button", name="Organisatie toevoegen").click()
    expect(flash(admin)).to_have_text(f"{ORGANISATION} is toegevoegd. Wijs nu een functioneel beheerder aan.")
    expect(admin.get_by_role("heading", level=1, name=ORGANISATION)).to_be_visible()
    expect(admin.locator("section#beheerders")).to_contain_text("Nog niemand.")
    fits_the_phone(admin)

    name_one = admin.locator("section#beheerder")
    name_one.get_by_label("Naam", exact=True).fill(BEHEERDER_NAME)
    name_one.get_by_label("E-mailadres").fill(BEHEERDER_EMAIL)
    name_one.get_by_role("button", name="Aanwijzen en e-mail sturen").click()
    expect(flash(admin)).to_have_text(f"{BEHEERDER_NAME} krijgt een e-mail op {BEHEERDER_EMAIL}.")
    expect(admin.locator("section#beheerders")).to_contain_text(f"{BEHEERDER_NAME} · {BEHEERDER_EMAIL}")

    admin.get_by_role("link", name="Terug naar alle organisaties").click()
    listed = admin.locator("li.card", has=admin.get_by_role("link", name=ORGANISATION, exact=True))
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("Wijkteam")
    expect(listed).to_contain_text(DOMAIN)
    expect(listed).to_contain_text(f"Functioneel beheerder: {BEHEERDER_NAME}")
    fits_the_phone(admin)
    shoot(admin, artifacts, "real-03-admin-organisations.png", full_page=True)

    # --- 3. the beheerder's mail arrives; she adds a professional ------------------------------
    mail = outbox.newest_to(BEHEERDER_EMAIL)
    assert mail["Subject"] == "Welkom bij samenplan"
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert f"Hallo {BEHEERDER_NAME}," in body
    assert f"{ADMIN_NAME} heeft je functioneel beheerder van {ORGANISATION} gemaakt" in body
    beheerder = new_page(new_phone_context)
    make_account(beheerder, link_in(mail, WELCOME_LINK), BEHEERDER_NAME, BEHEERDER_EMAIL,
                 "ik zet de collega's er zelf in", browser_problems)
    beheerder.get_by_role("link", name=f"Hulpverleners van {ORGANISATION}").click()
    expect(beheerder.get_by_role("heading", level=1, name=f"Hulpverleners van {ORGANISATION}")).to_be_visible()
    fits_the_phone(beheerder)

    add = beheerder.locator("section#nieuw")
    add.get_by_label("Naam", exact=True).fill(PRO_NAME)
    add.get_by_label("E-mailadres").fill(PRO_EMAIL)
    may_start = add.get_by_label("Mag gezinnen starten (casusregisseur worden van een nieuw gezin)")
    expect(may_start).not_to_be_checked()  # left as it is: he may not start families yet
    shoot(beheerder, artifacts, "real-04-beheerder-adds-professional.png", full_page=True)
    add.get_by_role("button", name="Toevoegen en e-mail sturen").click()
    expect(flash(beheerder)).to_have_text(f"{PRO_NAME} krijgt een e-mail op {PRO_EMAIL}.")
    member = beheerder.locator("li.card", has=beheerder.get_by_role("link", name=PRO_NAME, exact=True))
    expect(member).to_contain_text("Heeft nog geen wachtwoord gekozen")
    expect(member).not_to_contain_text("Mag gezinnen starten")
    fits_the_phone(beheerder)

    # --- 4. the professional: no family to start until the beheerder allows it ----------------
    mail = outbox.newest_to(PRO_EMAIL)
    assert mail["Subject"] == "Welkom bij samenplan"
    pro = new_page(new_phone_context)
    make_account(pro, link_in(mail, WELCOME_LINK), PRO_NAME, PRO_EMAIL,
                 "gezinnen helpen met een plan", browser_problems)
    expect(pro.get_by_role("link", name="Een gezin aanmelden")).to_have_count(0)
    expect(pro.get_by_text("Je doet nog niet mee aan een plan.")).to_be_visible()
    fits_the_phone(pro)
    shoot(pro, artifacts, "real-05-professional-may-not-start.png", full_page=True)
    browser_problems.allow(r"(?i)status of 404 \(not found\) \(http://127\.0\.0\.1:\d+/gezin/nieuw\)")
    response = pro.goto("/gezin/nieuw")
    assert response is not None and response.status == 404
    expect(pro.get_by_role("heading", name="Gezin aanmelden")).to_have_count(0)
    expect(pro.get_by_label("Naam van het gezin")).to_have_count(0)

    beheerder.reload()
    member = beheerder.locator("li.card", has=beheerder.get_by_role("link", name=PRO_NAME, exact=True))
    expect(member).not_to_contain_text("Heeft nog geen wachtwoord gekozen")
    member.get_by_role("link", name=PRO_NAME, exact=True).click()
    expect(beheerder.get_by_role("heading", level=1, name=PRO_NAME)).to_be_visible()
    allowed = beheerder.get_by_role("group", name="Mag gezinnen starten?")
    expect(allowed.get_by_label("Nee")).to_be_checked()
    allowed.get_by_label("Ja, mag een nieuw gezin starten").check()
    beheerder.locator("section#starten").get_by_role("button", name="Opslaan").click()
    expect(flash(beheerder)).to_have_text(f"{PRO_NAME} mag nu gezinnen starten.")
    fits_the_phone(beheerder)
    shoot(beheerder, artifacts, "real-06-beheerder-allows-starting.png", full_page=True)

    pro.goto("/")
    start = pro.get_by_role("link", name="Een gezin aanmelden")
    expect(start).to_be_visible()

    # --- 5. the Bakker family ------------------------------------------------------------------
    start.click()
    expect(pro.get_by_role("heading", level=1, name="Een gezin aanmelden")).to_be_visible()
    expect(pro.get_by_text(f"Je meldt het gezin aan voor {ORGANISATION}.")).to_be_visible()
    fits_the_phone(pro)
    pro.get_by_label("Naam van het gezin").fill(FAMILY)
    pro.get_by_label("Voornaam").fill("Eva")
    pro.get_by_label("Achternaam").fill("Bakker")
    pro.get_by_label("Geboortedatum").fill("1988-05-17")
    shoot(pro, artifacts, "real-07-start-family.png", full_page=True)
    pro.get_by_role("button", name="Gezin aanmelden").click()
    expect(flash(pro)).to_have_text(
        f"Het gezin {FAMILY} is aangemeld. Jij bent de casusregisseur. Zet nu de andere gezinsleden erbij.")
    expect(pro.get_by_role("heading", level=1, name="Gezinsleden")).to_be_visible()
    fits_the_phone(pro)

    add_person(pro, "Tim", "Bakker", born_years_ago(14), lives="Samen met Eva", holders=["Eva Bakker"])
    add_person(pro, "Jan", "de Vries", date(1985, 10, 2), lives="In een eigen huis", holders=[])
    add_person(pro, "Mila", "de Vries", born_years_ago(6), lives="Samen met Eva, Tim",
               holders=["Eva Bakker", "Jan de Vries"])

    def person(name: str):
        return pro.locator("li.card", has=pro.get_by_role("heading", name=name, exact=True))

    home = pro.locator("section", has=pro.get_by_role("heading", level=2, name="Huis 1"))
    elsewhere = pro.locator("section", has=pro.get_by_role("heading", level=2, name="Huis 2"))
    expect(home.locator("li.card h3")).to_have_text(["Eva Bakker", "Tim Bakker", "Mila de Vries"])
    expect(elsewhere.locator("li.card h3")).to_have_text(["Jan de Vries"])
    expect(person("Tim Bakker")).to_contain_text("14 jaar")
    expect(person("Tim Bakker").get_by_text(re.compile(r"^Gezag:"))).to_have_text("Gezag: Eva")
    expect(person("Mila de Vries")).to_contain_text("6 jaar")
    expect(person("Mila de Vries").get_by_text(re.compile(r"^Gezag:"))).to_have_text("Gezag: Eva, Jan")
    expect(person("Mila de Vries")).to_contain_text("Jonger dan 12: krijgt geen eigen account.")
    expect(person("Eva Bakker").get_by_text(re.compile(r"^Gezag:"))).to_have_count(0)
    expect(person("Jan de Vries")).to_contain_text("Heeft nog geen account.")
    fits_the_phone(pro)
    shoot(pro, artifacts, "real-08-persons.png", full_page=True)

    # --- 6a. he invites Eva, linked to her person -----------------------------------------------
    # its name says whom ("Uitnodigen: Eva Bakker"; Chromium puts a space before the hidden part)
    person("Eva Bakker").get_by_role("link", name=re.compile(r"^Uitnodigen\s?: Eva Bakker$")).click()
    expect(pro.get_by_role("heading", level=1, name="Iemand uitnodigen")).to_be_visible()
    form = pro.locator("section", has=pro.get_by_role("heading", name="Nieuwe uitnodiging"))
    expect(form.get_by_label("Naam", exact=True)).to_have_value("Eva Bakker")
    expect(form.get_by_label("Doet mee als")).to_have_value("family")
    expect(form.get_by_label("Welk gezinslid is het? (alleen bij gezin)").locator("option:checked")) \
        .to_have_text("Eva Bakker")
    form.get_by_label("E-mailadres").fill(EVA_EMAIL)
    form.get_by_label("Rol of functie (mag leeg)").fill("moeder")
    fits_the_phone(pro)
    form.get_by_role("button", name="Uitnodiging versturen").click()
    expect(flash(pro)).to_have_text(f"De uitnodiging is verstuurd naar {EVA_EMAIL}.")
    expect(pro.locator("li.card", has_text=EVA_EMAIL)).to_contain_text("Nog niet geaccepteerd.")

    # --- 6b. the consent round at the kitchen table ----------------------------------------------
    sub_menu(pro, "Gezinsleden")
    expect(person("Eva Bakker")).to_contain_text("Is uitgenodigd.")
    pro.get_by_role("link", name="Toestemming bespreken").click()
    expect(pro.get_by_role("heading", level=1, name="Toestemming bespreken")).to_be_visible()
    # everyone in turn: the adults as they were taken on, then the children, oldest first
    expect(pro.locator("main ol.cards li h3")).to_have_text(["Eva", "Jan", "Tim", "Mila"])
    expect(pro.locator("main ol.cards li").first).to_contain_text("Nog niets afgesproken.")
    fits_the_phone(pro)
    shoot(pro, artifacts, "real-09-round-start.png", full_page=True)
    pro.get_by_role("link", name="Begin bij Eva").click()

    round_step(pro, artifacts, "Eva", agree=r"Voor Eva \(\d+\) moet Eva het goed vinden\.",
               at_table=["Eva"], say_yes=["Eva"], kinds=[GENERAL, HEALTH], shot="real-10-round-eva.png")
    expect(flash(pro)).to_have_text("Opgeslagen voor Eva.")
    # Jan is not at the table: skipped
    expect(pro.get_by_role("heading", level=1, name="Wie mag wat zien over Jan?")).to_be_visible()
    pro.get_by_role("link", name="Sla Jan over").click()
    round_step(pro, artifacts, "Tim", agree=r"Voor Tim \(14\) moeten Tim en Eva het goed vinden\.",
               at_table=["Tim", "Eva"], say_yes=["Tim", "Eva"], kinds=[GENERAL])
    expect(flash(pro)).to_have_text("Opgeslagen voor Tim.")
    round_step(pro, artifacts, "Mila", agree=r"Voor Mila \(6\) moeten Eva en Jan het goed vinden\.",
               at_table=["Eva", "Jan"], say_yes=["Eva"], kinds=[GENERAL], last=True,
               shot="real-11-round-mila.png")
    expect(flash(pro)).to_have_text(
        "Opgeslagen voor Mila. Nog nodig: Jan. Wie een account heeft, krijgt een vraag in samenplan.")

    # the end of the round: Mila's consent waits for Jan, who has no login
    expect(pro.get_by_role("heading", level=1, name="Wat is er nog nodig?")).to_be_visible()
    waiting = pro.locator("li.card", has=pro.get_by_role("heading", name="Over Mila"))
    expect(waiting).to_have_count(1)
    expect(waiting).to_contain_text(f"{ORGANISATION}: {GENERAL}")
    expect(waiting).to_contain_text("Nog nodig: Jan.")
    expect(waiting).to_contain_text("Jan heeft nog geen account in samenplan. Vraag het aan tafel, of nodig Jan uit.")
    expect(waiting.get_by_role("button", name=re.compile("^Vraag het"))).to_have_count(0)  # reaches nobody
    expect(pro.locator("li.card", has=pro.get_by_role("heading", name=re.compile(r"^Over (Eva|Tim)")))).to_have_count(0)
    expect(pro.get_by_role("link", name="Over Jan is nog niets afgesproken.")).to_be_visible()
    fits_the_phone(pro)
    shoot(pro, artifacts, "real-12-round-end.png", full_page=True)

    # the consent page says the same, consent by consent
    pro.get_by_role("link", name="Alle toestemmingen").click()
    expect(pro.get_by_role("heading", level=1, name="Wie mag wat zien")).to_be_visible()
    consent_url = pro.url.split("#")[0]
    eva_card = consent_cards(pro, "Eva", "actief")
    tim_card = consent_cards(pro, "Tim", "actief")
    mila_card = consent_cards(pro, "Mila", "wacht")
    for card in (eva_card, tim_card, mila_card):
        expect(card).to_have_count(1)
    expect(pro.locator("li.card.consent")).to_have_count(3)
    expect(eva_card.locator(".chip")).to_have_text([GENERAL, HEALTH])
    expect(eva_card).to_contain_text("Geldt nu.")
    expect(eva_card).to_contain_text(f"Eva {AT_TABLE}")
    expect(tim_card).to_contain_text("Geldt nu.")
    expect(tim_card).to_contain_text(f"Tim {AT_TABLE}")
    expect(tim_card).to_contain_text(f"Eva {AT_TABLE}")
    expect(mila_card).to_contain_text(f"Eva {AT_TABLE}")
    expect(mila_card).to_contain_text("Geldt nog niet.")
    expect(mila_card).to_contain_text("Toestemming ontbreekt van: Jan.")
    overview = pro.locator("section#overzicht")
    expect(overview.get_by_role("row", name=re.compile(r"^Mila"))).to_contain_text("(wacht)")
    expect(overview.get_by_role("row", name=re.compile(r"^Tim"))).not_to_contain_text("(wacht)")
    fits_the_phone(pro)
    shoot(pro, artifacts, "real-13-consent-page.png", full_page=True)

    # --- 7. Eva on her own phone ------------------------------------------------------------------
    mail = outbox.newest_to(EVA_EMAIL)
    assert mail["Subject"] == f"Uitnodiging voor het plan van {FAMILY}"
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert "Hallo Eva Bakker," in body and "Je doet mee als: Gezin." in body
    eva = new_page(new_phone_context)
    eva.goto(link_in(mail, INVITATION_LINK))
    card = eva.locator("main section.card")
    expect(card.get_by_role("heading", level=1, name="Uitnodiging")).to_be_visible()
    expect(card).to_contain_text(f"{PRO_NAME} nodigt Eva Bakker uit voor het plan van {FAMILY}.")
    expect(card).to_contain_text("Je doet mee als: Gezin.")
    expect(eva.get_by_text(f"Je e-mailadres: {EVA_EMAIL}")).to_be_visible()
    fits_the_phone(eva)
    shoot(eva, artifacts, "real-14-eva-invitation.png", full_page=True)
    password = "wij eten samen aan de keukentafel"
    eva.get_by_label("Kies een wachtwoord").fill(password)
    eva.get_by_label("Nog een keer hetzelfde wachtwoord").fill(password)
    eva.get_by_role("button", name="Account maken en meedoen").click()
    expect(eva.get_by_role("heading", level=1, name=f"Plan van {FAMILY}")).to_be_visible()
    expect(eva.get_by_role("link", name="Eva Bakker")).to_be_visible()
    fits_the_phone(eva)

    # she had no account when it was written down: she is told now that she joins
    told = eva.locator("section", has=eva.get_by_role("heading", name="Meldingen"))
    expect(told).to_contain_text(f"{PRO_NAME} heeft vastgelegd dat je toestemming gaf.")

    # she sees what her vaste hulpverlener wrote down at the table, in her name
    sub_menu(eva, "Wie mag wat zien")
    expect(eva.get_by_role("heading", level=1, name="Wie mag wat zien")).to_be_visible()
    mine = consent_cards(eva, "Eva", "actief")
    expect(mine).to_have_count(1)
    expect(mine.locator(".chip")).to_have_text([GENERAL, HEALTH])
    expect(mine).to_contain_text(f"Eva {AT_TABLE}")
    expect(consent_cards(eva, "Tim", "actief")).to_contain_text(f"Eva {AT_TABLE}")
    expect(consent_cards(eva, "Mila", "wacht")).to_contain_text("Toestemming ontbreekt van: Jan.")
    fits_the_phone(eva)
    shoot(eva, artifacts, "real-15-eva-sees-recorded-consent.png", full_page=True)

    # and changes one thing: her health information is not for the wijkteam after all
    eva.get_by_role("link", name="Toestemming bespreken, persoon voor persoon").click()
    expect(eva.get_by_role("heading", level=1, name="Toestemming bespreken")).to_be_visible()
    fits_the_phone(eva)
    eva.get_by_role("link", name="Begin bij Eva").click()
    expect(eva.get_by_role("heading", level=1, name="Wie mag wat zien over Eva?")).to_be_visible()
    expect(eva.get_by_role("group", name="Wie zegt aan tafel ja?")).to_have_count(0)  # hers to say
    row = eva.get_by_role("group", name=ORGANISATION)
    expect(row.get_by_label(GENERAL, exact=True)).to_be_checked()
    expect(row.get_by_label(HEALTH, exact=True)).to_be_checked()
    row.get_by_label(HEALTH, exact=True).uncheck()
    fits_the_phone(eva)
    shoot(eva, artifacts, "real-16-eva-unticks-health.png", full_page=True)
    eva.get_by_role("button", name="Opslaan en verder").click()
    expect(flash(eva)).to_have_text("Opgeslagen voor Eva. Wat je uitvinkte, is ingetrokken.")
    expect(eva.get_by_role("heading", level=1, name="Wie mag wat zien over Tim?")).to_be_visible()

    sub_menu(eva, "Wie mag wat zien")
    mine = consent_cards(eva, "Eva", "actief")
    expect(mine.locator(".chip")).to_have_text([GENERAL])
    expect(mine).to_contain_text(f"Eva {AT_TABLE}")  # the yes she gave at the table, for less
    expect(consent_cards(eva, "Eva", "ingetrokken")).to_contain_text("Ingetrokken op")
    fits_the_phone(eva)

    # --- the professional's next page load reflects it -------------------------------------------
    pro.goto(consent_url)
    eva_card = consent_cards(pro, "Eva", "actief")
    expect(eva_card).to_have_count(1)
    expect(eva_card.locator(".chip")).to_have_text([GENERAL])
    expect(consent_cards(pro, "Eva", "ingetrokken")).to_contain_text("Ingetrokken op")
    eva_row = pro.locator("section#overzicht").get_by_role("row", name=re.compile(r"^Eva"))
    expect(eva_row).to_contain_text(GENERAL)
    expect(eva_row).not_to_contain_text(HEALTH)
    fits_the_phone(pro)

    pro.goto("/meldingen")
    expect(pro.get_by_role("heading", level=1, name="Meldingen")).to_be_visible()
    notices = pro.locator("ul.notices li.card")
    expect(notices.filter(has_text="Eva Bakker doet nu mee aan het plan.")).to_have_count(1)
    lost = notices.filter(has_text="Je mag niet meer alles zien in dit plan")
    expect(lost).to_have_count(1)
    expect(lost).to_contain_text("van Eva")
    fits_the_phone(pro)
    shoot(pro, artifacts, "real-17-professional-notices.png", full_page=True)


def round_step(pro: Page, artifacts, name: str, *, agree: str, at_table: list[str], say_yes: list[str],
               kinds: list[str], last: bool = False, shot: str | None = None) -> None:
    """One person's screen of the consent round, as the casusregisseur fills it in at the table:
    who says yes now, and what the organisation may see."""
    expect(pro.get_by_role("heading", level=1, name=f"Wie mag wat zien over {name}?")).to_be_visible()
    expect(pro.locator("p.round-agree").first).to_have_text(re.compile(f"^{agree}$"))
    table = pro.get_by_role("group", name="Wie zegt aan tafel ja?")
    expect(table.locator("label")).to_have_text(at_table)
    for who in say_yes:
        table.get_by_label(who, exact=True).check()
    row = pro.get_by_role("group", name=ORGANISATION)
    for kind in kinds:
        row.get_by_label(kind, exact=True).check()
    fits_the_phone(pro)
    if shot:
        shoot(pro, artifacts, shot, full_page=True)
    pro.get_by_role("button", name="Opslaan en afronden" if last else "Opslaan en verder").click()


def add_person(pro: Page, first: str, last: str, born: date, *, lives: str, holders: list[str]) -> None:
    """"Gezinslid toevoegen" on the persons page, as the casusregisseur fills it in."""
    pro.get_by_role("link", name="Gezinslid toevoegen").click()
    expect(pro.get_by_role("heading", level=1, name="Gezinslid toevoegen")).to_be_visible()
    pro.get_by_label("Voornaam").fill(first)
    pro.get_by_label("Achternaam").fill(last)
    pro.get_by_label("Geboortedatum").fill(born.isoformat())
    pro.get_by_label("Woont bij").select_option(label=lives)
    authority = pro.get_by_role("group", name="Wie heeft gezag over dit kind?")
    for name in holders:
        authority.get_by_label(name, exact=True).check()
    fits_the_phone(pro)
    pro.get_by_role("button", name="Gezinslid toevoegen").click()
    expect(flash(pro)).to_have_text(f"{first} {last} staat erbij.")
    expect(pro.get_by_role("heading", level=1, name="Gezinsleden")).to_be_visible()
