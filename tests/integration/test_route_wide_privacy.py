"""Route-wide privacy (issue 3, "Tested by"): as every demo user, every page and htmx fragment
reachable from the home page, and every export, holds no text of a record that the pure
policy (`samenplan.privacy.policy.can_view` over `samenplan.privacy.loader` facts) denies
that user.

The crawler follows `a[href]` and `hx-get` within the app (same origin, not /static, not
logout), and also fetches every GET route of the app that needs nothing but a family id
(so the exports, inzage and inzage.json, are fetched for every user, linked or not).

Participation is personal data too (DESIGN.md §3): in the same pass, no response names a
participant whose participation the pure policy (`policy.can_see_participation`) hides from the
user (their name, e-mail address or phone), nor the organisation of such a participant (unless
a participant the user may see belongs to it too, or a consent the user may see is given to
it), nor the reason of a shield `policy.can_see_shield` hides from the user, nor any trace of
it (its id in an anchor or a URL). Besides the pages reachable by links, each crawl fetches a
few error pages: the 404 of a goal the user may not see (page and fragment), "wie keek?" for a
record the user may not see, an unknown family and an unknown goal, and a GET of the lifting
URL of each shield hidden from the user.

`test_the_crawler_has_teeth` switches the SQL filter and the pure policy off and checks that
the same crawler then reports leaks; `test_the_participation_check_has_teeth` does the same for
participations and shields: a check that cannot fail proves nothing.
"""
from __future__ import annotations

import html
import json
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit, urlunsplit

import markupsafe
import pytest
import sqlalchemy
from sqlalchemy import select
from sqlalchemy.orm import selectin_polymorphic, selectinload

from tests.support.clients import as_user, body_text, csrf_token
from tests.support.people import DAAN, DEMO_USERS, FATIMA, ILSE, JORIS, LISA, MARK, RIET, SANDRA

HOST = "samenplan.test"  # SERVER_NAME of the test app
FREE_TEXT_MIN_LENGTH = 100  # String(n) columns this long, and Text columns, hold free text
MIN_NEEDLE = 8  # shorter texts ("Goed", "Ja") cannot be told apart from the screens' own words
MAX_PAGES = 800  # per user: a crawler that runs away is a bug in itself
# pages of a paged list the crawler follows ("wie keek?" gains pages with every page it views)
LAST_PAGE_CRAWLED = 2


# --- what the pure policy says -------------------------------------------------------------
@dataclass(frozen=True)
class RecordText:
    id: int
    kind: str
    category: str
    texts: tuple[str, ...]
    family_id: int = 0


@dataclass(frozen=True)
class Secret:
    """Something other than a record that the policy hides from the user: a participant (their
    participation), an organisation (that of hidden participants only), or a shield."""

    kind: str  # "participant", "organisation", "shield"
    id: int
    label: str  # for the report: "Daan Visser", "GGZ Kompas", "#3 Sandra → Mark"
    texts: tuple[str, ...]  # looked for in every form `text_forms` gives
    traces: tuple[str, ...] = ()  # looked for as they are (ids in anchors and URLs)
    family_id: int = 0


@dataclass
class Verdict:
    """For one user: the records the pure policy allows and denies (all families), and the
    participants, organisations and shields it hides."""

    email: str
    allowed: list[RecordText] = field(default_factory=list)
    denied: list[RecordText] = field(default_factory=list)
    family_ids: list[int] = field(default_factory=list)
    is_family: bool = False
    hidden: list[Secret] = field(default_factory=list)
    # texts the user may see besides records: names of visible participants and persons,
    # visible shields' reasons, names of organisations they may know of
    visible_texts: list[str] = field(default_factory=list)

    def hidden_of(self, kind: str) -> list[Secret]:
        return [s for s in self.hidden if s.kind == kind]

    def secret_needles(self) -> dict[str, Secret]:
        """Every form in which a hidden participant, organisation or shield could show up.
        A text that is also (part of) something the user may see tells nothing and is left
        out; `test_the_names_to_look_for_are_distinct` keeps that honest on the demo."""
        visible = self.visible_texts + [t for r in self.allowed for t in r.texts]
        found: dict[str, Secret] = {}
        for secret in self.hidden:
            for text in secret.texts:
                if any(text in other for other in visible):
                    continue
                for needle in text_forms(text):
                    found[needle] = secret
            for trace in secret.traces:
                found[trace] = secret
        return found

    def needles(self) -> dict[str, RecordText]:
        """Every form in which a denied record's text could show up in a response.

        A denied text that is also (part of) an allowed record's text, or of a name the user
        may see (a network entry named after a participant), cannot tell us anything, so it
        is left out; `test_the_texts_to_look_for_are_distinct` keeps that from hollowing out
        the check on the demo data.
        """
        allowed_texts = [t for r in self.allowed for t in r.texts] + self.visible_texts
        found: dict[str, RecordText] = {}
        for record in self.denied:
            for text in record.texts:
                if any(text in other for other in allowed_texts):
                    continue
                for needle in text_forms(text):
                    found[needle] = record
        return found


def text_forms(text: str) -> set[str]:
    """The text raw, escaped as Jinja escapes it, escaped without quotes (bleach), and as a
    JSON string body; and each longer line of a multi-line text on its own (rich_text puts
    <br> between lines)."""
    parts = {text} | {line.strip() for line in text.splitlines() if len(line.strip()) >= 12}
    forms: set[str] = set()
    for part in parts:
        forms |= {
            part,
            str(markupsafe.escape(part)),
            html.escape(part, quote=False),
            json.dumps(part, ensure_ascii=False)[1:-1],
        }
    return {f for f in forms if len(f) >= MIN_NEEDLE}


def free_text_columns(mapper) -> list[str]:
    """The free-text columns of a record kind (title, description, what, body, note, ...),
    found from the mapping so that every later kind of record is covered too."""
    names = []
    for prop in mapper.column_attrs:
        column = prop.columns[0]
        if not isinstance(column.type, sqlalchemy.String):
            continue
        length = getattr(column.type, "length", None)
        if isinstance(column.type, sqlalchemy.Text) or length is None or length >= FREE_TEXT_MIN_LENGTH:
            names.append(prop.key)
    return names


def record_texts(record) -> tuple[str, ...]:
    """The record's own free text, and that of what hangs on it without being a record itself
    (the rungs of a goal's GAS ladder, the reasons given for (dis)agreeing with a goal, the
    notes per domain of a self-sufficiency meting)."""
    from sqlalchemy import inspect

    values = [getattr(record, name) for name in free_text_columns(inspect(record).mapper)]
    values += [level.description for level in getattr(record, "gas_levels", None) or []]
    values += [agreement.reason for agreement in getattr(record, "agreements", None) or []]
    values += list((getattr(record, "notes", None) or {}).values())  # a meting's notes per domain
    texts = []
    for value in values:
        if isinstance(value, str) and value.strip() and value.strip() not in texts:
            texts.append(value.strip())
    return tuple(texts)


def record_kinds():
    from samenplan.privacy.models import Record

    return [m.class_ for m in Record.__mapper__.self_and_descendants if m.class_ is not Record]


def policy_verdict(app, email: str) -> Verdict:
    """Ask the PURE policy, over loader facts, about every row of `record`."""
    from samenplan import db
    from samenplan.auth.models import User
    from samenplan.db import utcnow
    from samenplan.families.models import Participant
    from samenplan.privacy import loader, policy
    from samenplan.privacy.models import Record

    verdict = Verdict(email)
    with app.app_context():
        session = db.session()
        user = session.scalar(select(User).where(User.email == email))
        assert user is not None, f"no demo user {email}"
        mine = {
            p.family_id: p
            for p in session.scalars(
                select(Participant).where(Participant.user_id == user.id, Participant.active)
            )
        }
        facts = {fid: loader.family_facts(session, fid) for fid in mine}
        now = utcnow()
        verdict.family_ids = sorted(mine)
        verdict.is_family = any(p.role == "family" for p in mine.values())
        hide_participants_and_shields(session, verdict, mine, facts, now)
        records = session.scalars(
            select(Record)
            .options(selectin_polymorphic(Record, record_kinds()))
            .options(selectinload(Record.subjects))
            .order_by(Record.id)
        ).all()
        assert records, "the database holds no records at all"
        for record in records:
            item = RecordText(record.id, record.kind, record.category, record_texts(record),
                              record.family_id)
            participant = mine.get(record.family_id)
            allowed = participant is not None and policy.can_view(
                loader.viewer_facts(participant), loader.record_facts(record),
                facts[record.family_id], now,
            ).allowed
            (verdict.allowed if allowed else verdict.denied).append(item)
    return verdict


def hide_participants_and_shields(session, verdict: Verdict, mine, facts, now) -> None:
    """Ask the PURE policy which participations and shields the user may know of.

    A participant is visible when the user takes part in that family and
    `can_see_participation` allows it; a user is hidden when none of their participations is
    visible. An organisation is hidden when a hidden participant belongs to it, no visible
    participant does, and no consent the user may see (`can_see_consent`) is given to it.
    A shield is hidden unless `can_see_shield` allows it."""
    from samenplan.auth.models import User
    from samenplan.families.models import Participant, Person
    from samenplan.orgs.models import Organisation
    from samenplan.privacy import loader, policy
    from samenplan.privacy.models import Record, Shield

    participants = session.scalars(
        select(Participant)
        .options(selectinload(Participant.user), selectinload(Participant.organisation),
                 selectinload(Participant.involvement).selectinload(Record.subjects))
        .order_by(Participant.id)
    ).all()
    seen_users: set[int] = set()
    seen_orgs: set[int] = set()
    for p in participants:
        viewer = mine.get(p.family_id)
        if viewer is not None and policy.can_see_participation(
            loader.viewer_facts(viewer), loader.participation_facts(p), facts[p.family_id], now
        ).allowed:
            seen_users.add(p.user_id)
            if p.organisation_id is not None:
                seen_orgs.add(p.organisation_id)
    for fid, viewer in mine.items():  # organisations named by a consent the user may see
        for grant in facts[fid].grants:
            if grant.grantee_organisation_id is not None and policy.can_see_consent(
                loader.viewer_facts(viewer), grant, facts[fid], now
            ).allowed:
                seen_orgs.add(grant.grantee_organisation_id)

    hidden_orgs: dict[int, Organisation] = {}
    for p in participants:
        if p.user_id in seen_users:
            continue
        user: User = p.user
        if not any(s.kind == "participant" and s.id == user.id for s in verdict.hidden):
            texts = tuple(t for t in (user.name, user.email, p.phone) if t and t.strip())
            verdict.hidden.append(Secret("participant", user.id, user.name, texts,
                                         family_id=p.family_id))
        if p.organisation is not None and p.organisation_id not in seen_orgs:
            hidden_orgs[p.organisation_id] = p.organisation
    for org in hidden_orgs.values():
        verdict.hidden.append(Secret("organisation", org.id, org.name, (org.name,)))
    for p in participants:
        if p.user_id in seen_users:
            verdict.visible_texts += [t for t in (p.user.name, p.user.email, p.phone) if t]
            if p.organisation is not None:
                verdict.visible_texts.append(p.organisation.name)
    verdict.visible_texts += [o.name for o in session.scalars(
        select(Organisation).where(Organisation.id.in_(seen_orgs)))]
    verdict.visible_texts += [person.name for person in session.scalars(
        select(Person).where(Person.family_id.in_(list(mine))))]

    shields = session.scalars(
        select(Shield).options(selectinload(Shield.subject),
                               selectinload(Shield.participant).selectinload(Participant.user))
        .order_by(Shield.id)
    ).all()
    seen_shields_in: set[int] = set()
    for shield in shields:
        viewer = mine.get(shield.family_id)
        shield_facts = (next(s for s in facts[shield.family_id].shields if s.id == shield.id)
                        if viewer is not None else None)
        if viewer is not None and policy.can_see_shield(
            loader.viewer_facts(viewer), shield_facts, facts[shield.family_id], now
        ).allowed:
            seen_shields_in.add(shield.family_id)
            if shield.reason and shield.reason.strip():
                verdict.visible_texts.append(shield.reason.strip())
            continue
        texts = (shield.reason.strip(),) if shield.reason and shield.reason.strip() else ()
        against = shield.participant.display_name
        traces = (f'id="afscherming-{shield.id}"', f"/afscherming/{shield.id}/",
                  # inzage (page, export) lists shields as "Sandra Jansen: niet voor Mark de Boer"
                  f"{shield.subject.name}: niet voor {against}",
                  json.dumps({"voor": against}, ensure_ascii=False)[1:-1])
        label = f"#{shield.id} ({shield.subject.name}, against {against})"
        verdict.hidden.append(Secret("shield", shield.id, label, texts, traces, shield.family_id))
    for fid in mine:  # no shield of this family is for the user: then no event of one either
        if fid not in seen_shields_in and any(s.family_id == fid for s in shields):
            verdict.hidden.append(Secret(
                "shield", 0, f"the log's shield events in family #{fid}", (),
                SHIELD_EVENT_TRACES, fid))


#: how "wie keek?" and the inzage export's log name a shield being set or lifted
SHIELD_EVENT_TRACES = ("verborg iets voor iemand", "liet iets weer zien", '"wat": "shield"', '"wat": "lift"')


# --- the crawler ---------------------------------------------------------------------------
class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, bool]] = []  # (url, as htmx request)
        self.parts_url, self.parts = None, []  # the live plan's refresh of its parts

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append((attrs["href"], False))
        if attrs.get("hx-get"):
            self.links.append((attrs["hx-get"], True))
        self.parts_url = self.parts_url or attrs.get("data-live-parts-url")
        if attrs.get("data-live-part"):
            self.parts.append(attrs["data-live-part"])

    def close(self):
        """The live plan's 'Vernieuwen' asks for changed parts (static/js/live-plan.js): here
        for every part the page shows, as a browser would after everything changed."""
        super().close()
        if self.parts_url and self.parts:
            self.links.append((self.parts_url + "?" + "&".join(
                f"deel={part}" for part in dict.fromkeys(self.parts)), False))


@dataclass
class Fetched:
    url: str
    htmx: bool
    status: int
    mimetype: str
    body: str


@dataclass
class Crawl:
    email: str
    pages: list[Fetched] = field(default_factory=list)

    @property
    def urls(self) -> set[str]:
        return {p.url for p in self.pages}

    def text(self) -> str:
        return "\n".join(p.body for p in self.pages)


def in_app(url: str) -> str | None:
    """The path (and query) of `url` when the crawler should follow it, else None."""
    parts = urlsplit(url)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None  # mailto:, tel:, javascript:
    if parts.netloc and parts.netloc != HOST:
        return None
    path = parts.path or "/"
    if path.startswith("/static") or "logout" in path or "uitloggen" in path:
        return None
    if any(int(n) > LAST_PAGE_CRAWLED for n in parse_qs(parts.query).get("pagina", []) if n.isdigit()):
        return None  # a later page of a list is one more of the same; the log grows as we crawl
    return urlunsplit(("", "", path, parts.query, ""))


def family_only_routes(app, family_ids: list[int]) -> list[str]:
    """Every GET route that needs no more than a family id: the pages and every export."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        if not set(rule.arguments) <= {"family_id"}:
            continue
        if "family_id" in rule.arguments:
            for fid in family_ids:
                urls.append(rule.build({"family_id": fid}, append_unknown=False)[1])
        else:
            urls.append(rule.build({}, append_unknown=False)[1])
    return sorted(set(urls))


def user_family_ids(app, email: str) -> list[int]:
    from samenplan import db
    from samenplan.auth.models import User
    from samenplan.families.models import Participant

    with app.app_context():
        return list(db.session().scalars(
            select(Participant.family_id).join(User, User.id == Participant.user_id)
            .where(User.email == email, Participant.active)
        ))


UNKNOWN_ID = 987654  # no row has this id


def error_pages(verdict: Verdict) -> list[tuple[str, bool]]:
    """A few URLs that answer with an error page, typed in rather than linked: they must say
    no more than any other page. (Every denied record by its id: see
    `test_denied_records_cannot_be_fetched_by_their_id`.)"""
    urls: list[tuple[str, bool]] = [(f"/gezin/{UNKNOWN_ID}", False)]
    for f in verdict.family_ids:
        urls += [(f"/gezin/{f}/doelen/{UNKNOWN_ID}", True), (f"/gezin/{f}/doelen/{UNKNOWN_ID}", False)]
        denied = [r for r in verdict.denied if r.family_id == f]
        for record in [r for r in denied if r.kind == "goal"][:3]:
            urls += [(f"/gezin/{f}/doelen/{record.id}", True),
                     (f"/gezin/{f}/doelen/{record.id}", False)]
        if verdict.is_family:  # "wie keek?" about a record they may not see
            picks = [r for r in denied if r.kind in ("involvement", "plan_section")]
            picks += [r for r in denied if r.kind == "goal"][:3]
            urls += [(f"/gezin/{f}/wie-keek?record={r.id}", False) for r in picks]
        for shield in verdict.hidden_of("shield"):
            if shield.family_id == f:
                urls.append((f"/gezin/{f}/afscherming/{shield.id}/opheffen", False))  # 405
    return urls


def crawl(app, email: str, verdict: Verdict | None = None) -> Crawl:
    """Every page and fragment reachable for `email`; with the user's `verdict`, also the
    error pages of `error_pages`."""
    client = as_user(app, email)
    result = Crawl(email)
    queue: deque[tuple[str, bool]] = deque([("/", False)])
    queue.extend((u, False) for u in family_only_routes(app, user_family_ids(app, email)))
    if verdict is not None:
        queue.extend(error_pages(verdict))
    seen: set[tuple[str, bool]] = set()
    while queue:
        url, as_htmx = queue.popleft()
        if (url, as_htmx) in seen:
            continue
        seen.add((url, as_htmx))
        assert len(seen) <= MAX_PAGES, f"crawl for {email} does not end: {sorted(seen)[:20]}"
        headers = {"HX-Request": "true", "HX-Current-URL": f"http://{HOST}/"} if as_htmx else {}
        response = client.get(url, headers=headers)
        body = body_text(response)  # a PDF (the plan's print) by the text on its pages
        assert response.status_code < 500, f"{email}: GET {url} (htmx={as_htmx}) -> {response.status_code}"
        result.pages.append(Fetched(url, as_htmx, response.status_code, response.mimetype, body))
        if response.status_code in (301, 302, 303, 307, 308):
            target = in_app(urljoin(f"http://{HOST}{url}", response.headers["Location"]))
            if target:
                queue.append((target, False))
            continue
        if response.mimetype != "text/html":
            continue
        parser = LinkParser()
        parser.feed(body)
        parser.close()
        for link, link_htmx in parser.links:
            target = in_app(urljoin(f"http://{HOST}{url}", link))
            if target is not None:
                queue.append((target, link_htmx))
                if link_htmx:  # an hx-get link works without JavaScript too
                    queue.append((target, False))
    return result


@dataclass(frozen=True)
class Leak:
    email: str
    url: str
    htmx: bool
    status: int
    kind: str  # a record kind ("goal", ...) or a Secret kind ("participant", ...)
    id: int
    detail: str  # the record's category, or the secret's label
    text: str
    secret: bool = False

    @property
    def record_id(self) -> int | None:
        return None if self.secret else self.id

    def __str__(self):
        what = (f"hidden {self.kind} {self.detail}" if self.secret
                else f"{self.kind} #{self.id} ({self.detail})")
        return (f"{self.email} GET {self.url}{' (htmx)' if self.htmx else ''} "
                f"[{self.status}] shows {what}: {self.text!r}")


def leaks_in(result: Crawl, verdict: Verdict) -> list[Leak]:
    needles = verdict.needles()
    secrets = verdict.secret_needles()
    leaks: set[Leak] = set()
    for page in result.pages:
        haystacks = (page.body, html.unescape(page.body))
        for needle, record in needles.items():
            if any(needle in h for h in haystacks):
                leaks.add(Leak(result.email, page.url, page.htmx, page.status, record.kind,
                               record.id, record.category, needle))
        for needle, secret in secrets.items():
            if any(needle in h for h in haystacks):
                leaks.add(Leak(result.email, page.url, page.htmx, page.status, secret.kind,
                               secret.id, secret.label, needle, secret=True))
    return sorted(leaks, key=lambda k: (k.url, k.secret, k.id, k.text))


def check_everyone(app) -> dict[str, tuple[Crawl, Verdict, list[Leak]]]:
    out = {}
    for email in DEMO_USERS:
        verdict = policy_verdict(app, email)
        result = crawl(app, email, verdict)
        out[email] = (result, verdict, leaks_in(result, verdict))
    return out


def report(results) -> str:
    lines = [str(leak) for _c, _v, leaks in results.values() for leak in leaks]
    return ("records, participants, organisations or shields the policy hides were shown:\n  "
            + "\n  ".join(lines[:60]))


def assert_no_leaks(results) -> None:
    assert not any(leaks for _c, _v, leaks in results.values()), report(results)


def assert_allowed_titles_seen(results, emails=DEMO_USERS) -> None:
    """Positive control: the crawl does reach the pages that show records; every goal the
    policy allows is on one of them (else a crawler that sees nothing would pass)."""
    for email in emails:
        crawled, verdict, _leaks = results[email]
        text = crawled.text()
        for record in verdict.allowed:
            if record.kind == "goal":
                title = record.texts[0]
                assert str(markupsafe.escape(title)) in text, (
                    f"{email} may see goal #{record.id} {title!r}, but no crawled page shows it"
                )


@pytest.fixture
def crawl_app(app):
    # eight logins per run and more in some tests; the rate limit is tested in test_auth.py
    app.config["LOGIN_RATE_LIMIT"] = "10000 per minute"
    return app


# --- the tests -----------------------------------------------------------------------------
def test_the_crawler_reaches_every_screen(crawl_app, demo):
    f = demo.family_id
    sandra = crawl(crawl_app, SANDRA)
    for path in (f"/gezin/{f}", f"/gezin/{f}/toestemming", f"/gezin/{f}/afscherming",
                 f"/gezin/{f}/wie-keek", f"/gezin/{f}/inzage", f"/gezin/{f}/inzage.json",
                 f"/gezin/{f}/gezinsleden", f"/gezin/{f}/zelfredzaamheid"):
        assert path in sandra.urls, f"Sandra's crawl missed {path}"
    assert any(p.htmx and "/doelen/" in p.url for p in sandra.pages), "no htmx fragment fetched"
    assert any(p.url.startswith(f"/gezin/{f}/wie-keek?record=") for p in sandra.pages)
    export = next(p for p in sandra.pages if p.url == f"/gezin/{f}/inzage.json")
    assert export.status == 200 and export.mimetype == "application/json"
    daan = crawl(crawl_app, DAAN)
    assert f"/gezin/{f}/doorbreken" in daan.urls
    assert f"/gezin/{f}/inzage.json" in daan.urls  # fetched even though not linked
    # the live plan's parts, as 'Vernieuwen' fetches them, the contact card's and the
    # answers' history, and an explanation of the safety plan (its correction and history)
    assert any(u.startswith(f"/gezin/{f}/plan/delen?deel=") for u in sandra.urls)
    for path in (f"/gezin/{f}/team/contactkaart/geschiedenis", f"/gezin/{f}/plan-akkoord/geschiedenis"):
        assert path in sandra.urls, f"Sandra's crawl missed {path}"
    assert any("/veiligheidsplan/uitleg/" in u and u.endswith("/geschiedenis") for u in sandra.urls)
    fatima = crawl(crawl_app, FATIMA)
    assert any("/veiligheidsplan/uitleg/" in u and u.endswith("/bewerken") for u in fatima.urls)


def test_every_kind_of_record_has_its_text_checked():
    from sqlalchemy import inspect

    columns = {cls.__name__: set(free_text_columns(inspect(cls))) for cls in record_kinds()}
    assert {"title", "description"} <= columns["Goal"]
    assert {"what"} <= columns["Action"]
    assert {"title", "body"} <= columns["PlanSection"]
    assert not columns["Goal"] & {"kind", "category", "status", "life_domain"}


def test_the_texts_to_look_for_are_distinct(crawl_app):
    """Each denied goal, action and plan section of the demo is looked for: none of its texts
    hides behind an allowed record's text. (The demo's scaling answers share canned texts
    across goals, so a denied answer may read like an allowed one; the answers made in
    `test_records_made_during_the_test_stay_private` have texts of their own.)"""
    for email in DEMO_USERS:
        verdict = policy_verdict(crawl_app, email)
        needles = verdict.needles()
        for record in verdict.denied:
            if record.kind not in ("goal", "action", "plan_section"):
                continue
            for text in record.texts:
                if len(text) >= MIN_NEEDLE:
                    assert text in needles, f"{email}: denied text {text!r} cannot be checked"


#: who takes part hidden from whom in the demo (DESIGN.md §6): Daan (GGZ, Sandra's health)
#: and Ilse (Schuldhulp, Sandra's finances) are hidden from Mark, Riet and Lisa, from each
#: other and from Joris; Joris (Lisa, algemeen) is hidden from Daan and Ilse.
HIDDEN_IN_DEMO = {
    SANDRA: set(), FATIMA: set(),
    MARK: {"Daan Visser", "Ilse Smit", "GGZ Kompas", "Schuldhulp Stad"},
    RIET: {"Daan Visser", "Ilse Smit", "GGZ Kompas", "Schuldhulp Stad"},
    LISA: {"Daan Visser", "Ilse Smit", "GGZ Kompas", "Schuldhulp Stad"},
    JORIS: {"Daan Visser", "Ilse Smit", "GGZ Kompas", "Schuldhulp Stad"},
    DAAN: {"Ilse Smit", "Joris Bakker", "Schuldhulp Stad", "Het Baken College"},
    ILSE: {"Daan Visser", "Joris Bakker", "GGZ Kompas", "Het Baken College"},
}
ADDRESS_SHIELD_REASON = "Mark mag niet weten waar ik woon."


def test_the_names_to_look_for_are_distinct(crawl_app):
    """The pure policy hides the participants and organisations DESIGN.md §6 says, and every
    one of them (and the demo's shield reason, to all but Sandra and Fatima) is looked for."""
    for email in DEMO_USERS:
        verdict = policy_verdict(crawl_app, email)
        labels = {s.label for s in verdict.hidden if s.kind in ("participant", "organisation")}
        assert labels == HIDDEN_IN_DEMO[email], f"{email}: the policy hides {labels}"
        needles = verdict.secret_needles()
        for name in labels:
            assert name in needles, f"{email}: hidden {name!r} cannot be checked"
        shield_reasons = {t for s in verdict.hidden_of("shield") for t in s.texts}
        if email in (SANDRA, FATIMA):  # the subject, and the casusregisseur
            assert ADDRESS_SHIELD_REASON not in shield_reasons
        else:
            assert ADDRESS_SHIELD_REASON in needles, f"{email}: the shield's reason is not looked for"


def test_no_page_shows_a_record_the_policy_denies(crawl_app, demo):
    """Nor a participant, organisation or shield it hides: pages, fragments, exports and the
    error pages of `error_pages`, in one pass per login."""
    results = check_everyone(crawl_app)
    # the demo has something to hide from most users, so the check is not empty
    for email in (MARK, LISA, RIET, DAAN, ILSE, JORIS):
        assert results[email][1].denied, f"the policy denies {email} nothing?"
        assert results[email][1].hidden_of("participant"), f"the policy hides nobody from {email}?"
    assert_allowed_titles_seen(results)
    assert_error_pages_fetched(results)
    assert_visible_participants_seen(results)
    assert_no_leaks(results)


def assert_error_pages_fetched(results) -> None:
    """Positive control: the crawl did fetch error pages, and they are errors."""
    for email, (crawled, verdict, _leaks) in results.items():
        fetched = {(p.url, p.htmx): p for p in crawled.pages}
        for url, as_htmx in error_pages(verdict):
            assert (url, as_htmx) in fetched, f"{email}: error page {url} not fetched"
        assert fetched[(f"/gezin/{UNKNOWN_ID}", False)].status == 404
        for record in verdict.denied:
            for as_htmx in (False, True):
                page = fetched.get((f"/gezin/{record.family_id}/doelen/{record.id}", as_htmx))
                if page is None:
                    continue
                unknown = fetched[(f"/gezin/{record.family_id}/doelen/{UNKNOWN_ID}", as_htmx)]
                assert page.status == 404, f"{email}: {page.url} -> {page.status}"
                # not even a hint that it exists: the same page as for a goal that does not
                assert without_tokens(page.body) == without_tokens(unknown.body), (
                    f"{email}: the 404 of hidden goal #{record.id} differs from that of an "
                    "unknown goal")
    mark = [url for url, _htmx in error_pages(results[MARK][1])]
    assert any("/wie-keek?record=" in url for url in mark), "no 'wie keek?' of a hidden record"
    assert any(url.endswith("/opheffen") for url in mark), "no lifting of the shield against Mark"


def without_tokens(body: str) -> str:
    """A page with its per-request values (CSRF token, CSP nonce: long runs of token
    characters, wherever they stand) blanked out."""
    import re

    return re.sub(r"[A-Za-z0-9+/=._-]{24,}", "…", body)


def assert_visible_participants_seen(results) -> None:
    """Positive control: names the user may see do show (so a crawl that finds no names at all
    would not pass): every user sees the casusregisseur; Mark, Riet and Lisa see Joris."""
    for email, (crawled, _verdict, _leaks) in results.items():
        assert "Fatima El Amrani" in crawled.text(), f"{email} never sees the casusregisseur"
    for email in (MARK, RIET, LISA, SANDRA):
        assert "Joris Bakker" in crawled_text(results, email), f"{email} never sees Joris"
    for email in (SANDRA, FATIMA):
        for name in ("Daan Visser", "Ilse Smit", "GGZ Kompas", "Schuldhulp Stad"):
            assert name in crawled_text(results, email), f"{email} never sees {name}"
    sandra = crawled_text(results, SANDRA)
    assert ADDRESS_SHIELD_REASON in sandra, "Sandra never sees her shield"
    # the shield traces looked for are the app's real wording: Sandra sees them all
    assert "Sandra Jansen: niet voor Mark de Boer" in sandra and '"voor": "Mark de Boer"' in sandra
    assert '"wat": "shield"' in sandra


def test_the_shield_trace_in_the_log_is_the_apps_own_wording(crawl_app, demo):
    """What the crawl looks for in "wie keek?" ("verborg iets voor iemand") is what the log
    really says to who set the shield: asked for her address's own log, with her own doings
    (the crawl itself reads only the first pages of a log that grows as it reads)."""
    sandra = as_user(crawl_app, SANDRA)
    address = _record_id(crawl_app, "Adres van Sandra")
    log = sandra.get(f"/gezin/{demo.family_id}/wie-keek?record={address}&ook_van_mij=1")
    assert log.status_code == 200
    assert "verborg iets voor iemand" in body_text(log)


def crawled_text(results, email: str) -> str:
    return results[email][0].text()


def test_the_crawler_has_teeth(crawl_app, demo, monkeypatch):
    """With the SQL filter and the policy switched off, the same check finds leaks for every
    user the policy denies something: so it would fail if a view forgot the filter."""
    from samenplan.privacy import access, policy, query

    verdicts = {email: policy_verdict(crawl_app, email) for email in DEMO_USERS}  # honest policy

    allow = policy.Decision(True, policy.GRANT, "test: filter switched off")
    monkeypatch.setattr(query, "visible_filter", lambda *a, **k: sqlalchemy.true())
    monkeypatch.setattr(access, "visible_filter", lambda *a, **k: sqlalchemy.true())
    monkeypatch.setattr(policy, "can_view", lambda *a, **k: allow)
    monkeypatch.setattr(access.Access, "decide", lambda self, record: allow)

    for email, verdict in verdicts.items():
        leaks = leaks_in(crawl(crawl_app, email), verdict)
        if verdict.denied:
            assert leaks, f"the crawler found no leak for {email} with the filter switched off"
            leaked = {leak.record_id for leak in leaks}
            # every denied goal is then shown on the plan page
            for record in verdict.denied:
                if record.kind == "goal":
                    assert record.id in leaked, f"{email}: goal #{record.id} not caught"


def test_the_participation_check_has_teeth(crawl_app, demo, monkeypatch):
    """With the participation filter (`Access.sees_participant`) and the shield rule
    (`policy.can_see_shield`) switched off, the same check reports Daan, Ilse, their
    organisations and the reason of the shield against Mark, for Mark."""
    from samenplan.privacy import access, policy

    verdict = policy_verdict(crawl_app, MARK)  # honest policy
    monkeypatch.setattr(access.Access, "sees_participant", lambda self, p: p is not None)
    monkeypatch.setattr(policy, "can_see_shield",
                        lambda *a, **k: policy.Decision(True, policy.CHAIR, "test: switched off"))
    leaks = [leak for leak in leaks_in(crawl(crawl_app, MARK, verdict), verdict) if leak.secret]
    caught = {(leak.kind, leak.detail) for leak in leaks}
    for name in ("Daan Visser", "Ilse Smit"):
        assert ("participant", name) in caught, f"{name} not caught for Mark: {caught}"
    for name in ("GGZ Kompas", "Schuldhulp Stad"):
        assert ("organisation", name) in caught, f"{name} not caught for Mark: {caught}"
    assert any(leak.kind == "shield" and leak.text == ADDRESS_SHIELD_REASON for leak in leaks), \
        f"the reason of the shield against Mark is not caught: {caught}"


def _new_goal(client, family_id: int, **fields):
    page = client.get(f"/gezin/{family_id}/doelen/nieuw")
    assert page.status_code == 200
    data = {"csrf_token": csrf_token(page.get_data(as_text=True)), "owner": "0",
            "status": "actief", "life_domain": "geestelijke_gezondheid", "goal_type": "persoonlijk",
            **fields}
    response = client.post(f"/gezin/{family_id}/doelen/nieuw", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rsplit("#doel-", 1)[1])


def _new_action(client, family_id: int, goal_id: int, what: str):
    page = client.get(f"/gezin/{family_id}")
    response = client.post(f"/gezin/{family_id}/doelen/{goal_id}/acties", data={
        "csrf_token": csrf_token(page.get_data(as_text=True)), "what": what, "assignee": "0",
    })
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


NEW_GOAL = "Ik slaap weer zes uur per nacht zonder piekeren"
NEW_GOAL_TEXT = "Met de huisarts bespreken of slaapmedicatie nodig is & wat \"rust\" voor mij is"
NEW_ACTION = "Slaapdagboek bijhouden tot de volgende afspraak"
NEW_SECTION = "Mark heeft een taakstraf van 40 uur"
NEW_WHY_NOT_ZERO = "Ik ben twee keer zonder wekker wakker geworden"
NEW_ONE_HIGHER = "Als ik de telefoon om tien uur wegleg"
NEW_GAS_NOTE = "Slaapt nu gemiddeld vijf uur, was drie"


def test_records_made_during_the_test_stay_private(crawl_app, demo):
    """New records, made through the screens and straight in the database, are checked too."""
    from samenplan import db
    from samenplan.db import utcnow
    from samenplan.families.models import Person
    from samenplan.goals.models import GasScore, ScalingAnswer
    from samenplan.plans.models import Plan, PlanSection

    f = demo.family_id
    sandra = as_user(crawl_app, SANDRA)
    goal_id = _new_goal(sandra, f, title=NEW_GOAL, description=NEW_GOAL_TEXT,
                        subjects=str(demo.persons["Sandra"]), category="gezondheid")
    _new_action(sandra, f, goal_id, NEW_ACTION)
    with crawl_app.app_context():  # not through the screens: straight in the database
        session = db.session()
        plan = session.scalar(select(Plan).where(Plan.family_id == f))
        sandra_person = session.get(Person, demo.persons["Sandra"])
        about_sandra = dict(family_id=f, category="gezondheid", subjects=[sandra_person],
                            author_participant_id=demo.participants[SANDRA])
        session.add(ScalingAnswer(goal_id=goal_id, question="voortgang", score=6,
                                  answered_on=utcnow().date(), why_not_zero=NEW_WHY_NOT_ZERO,
                                  one_higher=NEW_ONE_HIGHER, **about_sandra))
        session.add(GasScore(goal_id=goal_id, level=0, scored_on=utcnow().date(),
                             note=NEW_GAS_NOTE, **about_sandra))
        session.add(PlanSection(
            family_id=f, plan_id=plan.id, section="gegevens", title="Taakstraf van Mark",
            body=NEW_SECTION, category="justitie",
            subjects=[session.get(Person, demo.persons["Mark"])],
            author_participant_id=demo.participants[FATIMA],
        ))
        session.commit()

    results = check_everyone(crawl_app)
    denied_to = {e for e, (_c, v, _l) in results.items()
                 if any(r.id == goal_id for r in v.denied)}
    assert denied_to == {MARK, LISA, RIET, ILSE, JORIS}
    for email in (SANDRA, FATIMA, DAAN):  # the subject, the wijkteam, GGZ (gezondheid grant)
        assert NEW_GOAL in results[email][0].text(), f"{email} should see the new goal"
    assert NEW_ACTION in results[DAAN][0].text()
    for text in (NEW_WHY_NOT_ZERO, NEW_ONE_HIGHER, NEW_GAS_NOTE):  # on the goal's own page
        assert text in results[SANDRA][0].text() and text in results[DAAN][0].text(), text
    assert NEW_SECTION in results[MARK][0].text() and NEW_SECTION not in results[SANDRA][0].text()
    assert_allowed_titles_seen(results)
    assert_no_leaks(results)


def _shield(client, family_id: int, subject_id: int, target: str, participant_id: int):
    """A shield with a reason of its own, which the crawler then looks for (as it does for
    every shield reason) on the screens of everyone `can_see_shield` hides it from."""
    page = client.get(f"/gezin/{family_id}/afscherming")
    response = client.post(f"/gezin/{family_id}/afscherming", data={
        "csrf_token": csrf_token(page.get_data(as_text=True)), "subject": str(subject_id),
        "target": target, "participant": str(participant_id),
        "reason": f"Reden van afscherming {target} tegen deelnemer {participant_id}",
    })
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]


def _record_id(app, title: str) -> int:
    from samenplan import db
    from samenplan.plans.models import PlanSection

    with app.app_context():
        return db.session().scalar(select(PlanSection.id).where(PlanSection.title == title))


def _goal_id(app, title: str) -> int:
    from samenplan import db
    from samenplan.goals.models import Goal

    with app.app_context():
        return db.session().scalar(select(Goal.id).where(Goal.title == title))


def test_shielded_records_stay_private_on_every_screen(crawl_app, demo):
    """Shields beat grants, also on the screens that list shields: the casusregisseur's and
    that of a parent with authority over the child the shielded record is about."""
    f = demo.family_id
    sandra = as_user(crawl_app, SANDRA)
    address = _record_id(crawl_app, "Adres van Sandra")
    safety = _record_id(crawl_app, "Noah belt oma Riet")
    # Sandra's address from Fatima (she keeps it from Mark already); Noah's safety plan from Mark
    _shield(sandra, f, demo.persons["Sandra"], f"record:{address}", demo.participants[FATIMA])
    _shield(sandra, f, demo.persons["Sandra"], f"record:{address}", demo.participants[RIET])
    _shield(sandra, f, demo.persons["Noah"], f"record:{safety}", demo.participants[MARK])
    # and goal 2 (GGZ) from Fatima and Daan
    ggz_goal = _goal_id(crawl_app, "Ik ga elke week naar mijn afspraak bij de GGZ")
    _shield(sandra, f, demo.persons["Sandra"], f"record:{ggz_goal}", demo.participants[FATIMA])
    _shield(sandra, f, demo.persons["Sandra"], f"record:{ggz_goal}", demo.participants[DAAN])

    results = check_everyone(crawl_app)
    assert any(r.id == address for r in results[FATIMA][1].denied)
    assert any(r.id == safety for r in results[MARK][1].denied)
    assert any(r.id == ggz_goal for r in results[DAAN][1].denied)
    assert_no_leaks(results)


def test_denied_records_cannot_be_fetched_by_their_id(crawl_app, demo):
    """Not linked is not enough: the URLs of a denied goal or action, typed in, show nothing."""
    from samenplan import db
    from samenplan.goals.models import Action

    f = demo.family_id
    with crawl_app.app_context():
        actions = {a.id: a.goal_id for a in db.session().scalars(select(Action))}
    leaks = []
    for email in DEMO_USERS:
        verdict = policy_verdict(crawl_app, email)
        client = as_user(crawl_app, email)
        result = Crawl(email)
        for record in verdict.denied:
            urls = [(f"/gezin/{f}/wie-keek?record={record.id}", False)]
            if record.kind == "goal":
                urls += [(f"/gezin/{f}/doelen/{record.id}", True),
                         (f"/gezin/{f}/doelen/{record.id}", False),
                         (f"/gezin/{f}/doelen/{record.id}/bewerken", True),
                         (f"/gezin/{f}/doelen/{record.id}/bewerken", False)]
            if record.kind == "action":
                urls += [(f"/gezin/{f}/doelen/{actions[record.id]}", True)]
            for url, as_htmx in urls:
                response = client.get(url, headers={"HX-Request": "true"} if as_htmx else {})
                if "/doelen/" in url and record.kind == "goal":
                    assert response.status_code == 404, f"{email}: GET {url} -> {response.status_code}"
                result.pages.append(Fetched(url, as_htmx, response.status_code,
                                            response.mimetype, response.get_data(as_text=True)))
        leaks += leaks_in(result, verdict)
    assert not leaks, "\n".join(map(str, leaks))


def test_after_closure_no_one_sees_satisfaction_answers_or_denied_check_ins(crawl_app, demo):
    """Issue 13 items 3 and 7, on a closed demo plan (tests/support/closure.py). Sandra gives
    her satisfaction answers (one family: fewer than 5) and a nazorg answer only for those who
    may see her health information. Crawling as everyone else: the satisfaction totals page is
    reached by links for every professional and says "Nog te weinig gezinnen"; no page shows a
    grade average, nor anyone's own satisfaction answers; and no page shows the nazorg answer
    to someone the pure policy denies it (Mark, Lisa, Riet, Ilse, Joris)."""
    from samenplan import db
    from samenplan.aftercare.models import AftercareMoment
    from samenplan.domain.ages import local_day
    from samenplan.db import utcnow
    from tests.support.closure import close_plan

    f = demo.family_id
    close_plan(crawl_app, f)
    with crawl_app.app_context():
        session = db.session()
        moment = AftercareMoment(family_id=f, day=local_day(utcnow()))
        session.add(moment)
        session.commit()
        moment_id = moment.id
    sandra = as_user(crawl_app, SANDRA)
    form_url = f"/gezin/{f}/tevredenheid"
    page_html = body_text(sandra.get(form_url))
    assert sandra.post(form_url, data={"csrf_token": csrf_token(page_html), "grade": "3",
                                       "nuttig": "nee", "geluisterd": "nee",
                                       "samen": "een_beetje"}).status_code == 302
    answer_url = f"/gezin/{f}/nazorg/{moment_id}/antwoord"
    page_html = body_text(sandra.get(answer_url))
    worry = "Ik slaap weer slecht sinds de afronding van het plan"
    assert sandra.post(answer_url, data={"csrf_token": csrf_token(page_html), "score": "3",
                                         "worries": worry, "category": "gezondheid"}
                       ).status_code == 302
    assert "Wat je hebt ingevuld" in body_text(sandra.get(form_url))
    for email in (FATIMA, DAAN, ILSE, JORIS, MARK, LISA, RIET):
        verdict = policy_verdict(crawl_app, email)
        result = crawl(crawl_app, email)
        text = result.text()
        assert "Gemiddeld cijfer" not in text, email
        assert "Wat je hebt ingevuld" not in text, email
        if email in (FATIMA, DAAN, ILSE, JORIS):
            assert "/tevredenheid" in result.urls, f"{email} cannot reach the totals by links"
            assert "Nog te weinig gezinnen" in text, email
        if email in (FATIMA, DAAN):  # they may see Sandra's health information
            assert worry in text, email
        else:
            assert worry not in text, email
        assert leaks_in(result, verdict) == [], email
