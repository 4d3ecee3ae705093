"""Security headers, no inline script or style, CSRF everywhere, and user text that stays text."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from tests.support.clients import csrf_token, db_session, log_in_directly, page
from tests.support.pages import action_version
from tests.support.people import SANDRA

GOOD_REFERRER_POLICIES = {
    "no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin",
}


def action_id(app, what: str) -> int:
    from samenplan.goals.models import Action

    with db_session(app) as session:
        return session.scalar(select(Action.id).where(Action.what == what))


def action_done(app, ident: int) -> bool:
    from samenplan.goals.models import Action

    with db_session(app) as session:
        return session.get(Action, ident).done_at is not None


def goal_count(app) -> int:
    from samenplan.goals.models import Goal

    with db_session(app) as session:
        return len(session.scalars(select(Goal.id)).all())


class Markup(HTMLParser):
    """Collects what a CSP would block: inline scripts, inline styles, event handlers."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts: list[dict] = []  # {"src": ..., "body": ...}
        self.style_attributes: list[str] = []
        self.style_elements = 0
        self.handlers: list[str] = []
        self.stylesheets: list[str] = []
        self.resources: list[str] = []
        self.meta: dict[str, str] = {}
        self._in_script: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, _value in attrs:
            if name == "style":
                self.style_attributes.append(tag)
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}>")
            if name.startswith("hx-on"):
                self.handlers.append(f"<{tag} {name}>")
        if tag == "script":
            self._in_script = {"src": attributes.get("src"), "body": ""}
            self.scripts.append(self._in_script)
        if tag == "style":
            self.style_elements += 1
        if tag == "link" and "stylesheet" in (attributes.get("rel") or ""):
            self.stylesheets.append(attributes.get("href") or "")
        if tag in ("link", "img", "iframe", "embed", "object", "source"):
            self.resources.append(attributes.get("src") or attributes.get("href") or "")
        if tag == "meta" and attributes.get("name"):
            self.meta[attributes["name"]] = attributes.get("content") or ""

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None

    def handle_data(self, data):
        if self._in_script is not None:
            self._in_script["body"] += data


def parse(html: str) -> Markup:
    parser = Markup()
    parser.feed(html)
    parser.close()
    return parser


def csp_directives(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, "no Content-Security-Policy header"
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def assert_safe_headers(response):
    directives = csp_directives(response)
    for name, values in directives.items():
        assert "'unsafe-inline'" not in values, f"{name} allows 'unsafe-inline'"
        assert "'unsafe-eval'" not in values, f"{name} allows 'unsafe-eval'"
        assert "*" not in values, f"{name} allows any host"
    script_sources = directives.get("script-src") or directives.get("default-src")
    assert script_sources, "CSP does not restrict scripts"
    assert directives.get("frame-ancestors") == ["'none'"]
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("Referrer-Policy") in GOOD_REFERRER_POLICIES


def assert_no_inline_code(html: str):
    markup = parse(html)
    for script in markup.scripts:
        assert not script["body"].strip(), f"inline script: {script['body'][:80]!r}"
        assert script["src"] and script["src"].startswith("/static/"), f"script from {script['src']}"
    assert not markup.style_attributes, f"style= on {markup.style_attributes}"
    assert markup.style_elements == 0, "a <style> element"
    assert not markup.handlers, f"inline event handlers: {markup.handlers}"
    for href in markup.stylesheets:
        assert href.startswith("/static/"), f"stylesheet from {href}"
    for url in markup.resources:
        assert not re.match(r"(https?:)?//", url), f"a resource from another host: {url}"


@pytest.fixture
def sandra(client):
    log_in_directly(client, SANDRA)
    return client


def first_goal_id(app) -> int:
    """Demo goal 1 (found by title: sub-goals share priority numbers with goals)."""
    from samenplan.goals.models import Goal

    with db_session(app) as session:
        return session.scalar(select(Goal.id).where(Goal.title == "We hebben elke avond rust in huis"))


def html_pages(app, demo):
    family, goal = demo.family_id, first_goal_id(app)
    return [
        f"/gezin/{family}",
        "/",
        f"/gezin/{family}/doelen/nieuw",
        f"/gezin/{family}/doelen/{goal}",
        f"/gezin/{family}/doelen/{goal}/bewerken",
        "/bestaat-niet",
    ]


# --- headers and markup --------------------------------------------------------------------------


def test_login_page_headers_and_markup(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert_safe_headers(response)
    assert_no_inline_code(page(response))


def test_pages_before_login_have_safe_headers_and_no_inline_code(client):
    for url, response in crawl(client, ["/login"], limit=10):
        assert response.status_code < 500, f"{url}: {response.status_code}"
        if response.mimetype == "text/html":
            assert_safe_headers(response)
            assert_no_inline_code(page(response))


def test_every_page_has_safe_headers_and_no_inline_code(sandra, demo, app):
    for url in html_pages(app, demo):
        response = sandra.get(url)
        assert response.mimetype == "text/html", url
        assert_safe_headers(response)
        assert_no_inline_code(page(response))


class Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def crawl(client, start: list[str], limit: int):
    """Same-site pages reachable by links from `start`, breadth first, up to `limit`; one
    URL per path (the query string only varies the page)."""
    seen, queue, visited = {u.split("?")[0] for u in start}, list(start), []
    while queue and len(visited) < limit:
        url = queue.pop(0)
        response = client.get(url)
        visited.append((url, response))
        if response.mimetype != "text/html":
            continue
        links = Links()
        links.feed(page(response))
        for href in links.hrefs:
            href = href.split("#", 1)[0]
            if not href.startswith("/") or href.startswith("//") or href.startswith("/static/"):
                continue
            if href.split("?")[0] not in seen:
                seen.add(href.split("?")[0])
                queue.append(href)
    return visited


@pytest.mark.parametrize("email", [SANDRA, "fatima@wijkteam-noord.demo"])
def test_every_linked_page_has_safe_headers_and_no_inline_code(app, demo, email):
    client = app.test_client()
    log_in_directly(client, email)
    visited = crawl(client, ["/", f"/gezin/{demo.family_id}"], limit=40)
    assert len(visited) >= 5
    for url, response in visited:
        assert response.status_code < 500, f"{url}: {response.status_code}"
        if response.mimetype == "text/html":
            assert_safe_headers(response)
            try:
                assert_no_inline_code(page(response))
            except AssertionError as exc:
                raise AssertionError(f"{url}: {exc}") from exc


def test_htmx_fragments_have_safe_headers_and_no_inline_code(sandra, demo, app):
    url = f"/gezin/{demo.family_id}/doelen/{first_goal_id(app)}/bewerken"
    response = sandra.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in page(response)
    assert_safe_headers(response)
    assert_no_inline_code(page(response))


def test_error_page_has_safe_headers(client):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    assert_safe_headers(response)


def test_htmx_is_served_from_static_and_configured_without_inline_styles(sandra, demo):
    html = page(sandra.get(f"/gezin/{demo.family_id}"))
    markup = parse(html)
    sources = [s["src"] for s in markup.scripts]
    htmx_sources = [src for src in sources if "htmx" in src]
    assert htmx_sources, "htmx is not loaded"
    assert all(src.startswith("/static/") for src in htmx_sources)

    script = sandra.get(htmx_sources[0])
    assert script.status_code == 200
    assert "javascript" in script.mimetype
    assert b"htmx" in script.data[:2000]

    # without this htmx adds a <style> element of its own, which the CSP blocks
    config = json.loads(markup.meta.get("htmx-config", "{}"))
    assert config.get("includeIndicatorStyles") is False


# --- CSRF ---------------------------------------------------------------------------------------


def test_goal_creation_without_csrf_token_is_refused(sandra, demo, app):
    before = goal_count(app)
    response = sandra.post(f"/gezin/{demo.family_id}/doelen/nieuw", data={
        "title": "Zonder token", "subjects": str(demo.persons["Sandra"]),
        "category": "algemeen", "life_domain": "financien", "owner": "0",
    })
    assert response.status_code == 400
    assert goal_count(app) == before


def test_action_tick_without_csrf_token_is_refused(sandra, demo, app):
    ident = action_id(app, "Vaste bedtijd voor Noah: half acht")
    assert not action_done(app, ident)
    response = sandra.post(f"/gezin/{demo.family_id}/acties/{ident}/klaar", data={"done": "1"})
    assert response.status_code == 400
    assert not action_done(app, ident)

    response = sandra.post(
        f"/gezin/{demo.family_id}/acties/{ident}/klaar", data={"done": "1"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert not action_done(app, ident)


def test_csrf_token_of_another_session_is_refused(app, demo):
    """A token an attacker got from their own session does not work in the victim's."""
    attacker = app.test_client()
    token = csrf_token(page(attacker.get("/login")))
    victim = app.test_client()
    log_in_directly(victim, SANDRA)
    ident = action_id(app, "Vaste bedtijd voor Noah: half acht")
    response = victim.post(
        f"/gezin/{demo.family_id}/acties/{ident}/klaar", data={"done": "1", "csrf_token": token}
    )
    assert response.status_code == 400
    assert not action_done(app, ident)


def test_logout_without_csrf_token_is_refused(sandra, demo):
    assert sandra.post("/logout").status_code == 400
    assert sandra.get(f"/gezin/{demo.family_id}").status_code == 200


def _header_token(html: str) -> str:
    """The token htmx sends: from hx-headers on <body>."""
    match = re.search(r"hx-headers='(\{[^']*\})'", html)
    assert match, "no hx-headers with the CSRF token on the page"
    headers = json.loads(match.group(1))
    assert headers.get("X-CSRFToken")
    return headers["X-CSRFToken"]


def test_csrf_token_in_the_htmx_header_is_accepted(sandra, demo, app):
    html = page(sandra.get(f"/gezin/{demo.family_id}"))
    token = _header_token(html)
    ident = action_id(app, "Vaste bedtijd voor Noah: half acht")
    response = sandra.post(
        f"/gezin/{demo.family_id}/acties/{ident}/klaar",
        data={"done": "1", "version": action_version(html, ident)},
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    assert response.status_code == 200
    assert action_done(app, ident)


def test_csrf_token_in_the_header_is_accepted_for_goal_creation(sandra, demo, app):
    token = _header_token(page(sandra.get(f"/gezin/{demo.family_id}")))
    before = goal_count(app)
    response = sandra.post(
        f"/gezin/{demo.family_id}/doelen/nieuw",
        data={"title": "Met token in de kop", "subjects": str(demo.persons["Sandra"]),
              "category": "algemeen", "life_domain": "financien", "owner": "0"},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 302
    assert goal_count(app) == before + 1


# --- user text ----------------------------------------------------------------------------------


EVIL_TITLE = '<script>alert("titel")</script>Rust <b>in</b> huis'
EVIL_DESCRIPTION = (
    '<script>alert("uitleg")</script>'
    '<a href="javascript:alert(1)">klik hier</a> '
    '<a href="https://example.org/info">info</a> '
    "<strong>echt belangrijk</strong> "
    '<img src="x" onerror="alert(2)">'
    '<p style="color:red" onclick="alert(3)">alinea</p>'
)


def _new_goal_with_evil_text(client, demo) -> None:
    url = f"/gezin/{demo.family_id}/doelen/nieuw"
    token = csrf_token(page(client.get(url)))
    response = client.post(url, data={
        "csrf_token": token, "title": EVIL_TITLE, "description": EVIL_DESCRIPTION,
        "subjects": str(demo.persons["Sandra"]), "category": "algemeen",
        "life_domain": "huiselijke_relaties", "owner": "0",
    })
    assert response.status_code == 302, page(response)


def test_script_in_goal_title_and_description_is_harmless(sandra, demo):
    _new_goal_with_evil_text(sandra, demo)
    response = sandra.get(f"/gezin/{demo.family_id}")
    html = page(response)

    # the title is shown as text, escaped
    assert "&lt;script&gt;alert(" in html
    assert "&lt;b&gt;in&lt;/b&gt;" in html
    # nothing of it became markup
    assert "<script>alert" not in html
    assert "javascript:" not in html.lower()
    assert "onerror" not in html and "onclick" not in html
    assert '<img src="x"' not in html
    assert 'style="' not in html
    # the little markup that is allowed survives
    assert "<strong>echt belangrijk</strong>" in html
    assert re.search(r'<a [^>]*href="https://example.org/info"', html)
    assert "klik hier" in html and "alinea" in html
    assert_no_inline_code(html)


def test_script_in_goal_title_is_escaped_in_the_htmx_fragment(sandra, demo, app):
    from samenplan.goals.models import Goal

    _new_goal_with_evil_text(sandra, demo)
    with db_session(app) as session:
        goal_id = session.scalar(select(Goal.id).where(Goal.title.like("%alert(%")))
    for headers in ({"HX-Request": "true"}, {}):  # the card alone, and the goal page
        response = sandra.get(f"/gezin/{demo.family_id}/doelen/{goal_id}", headers=headers)
        html = page(response)
        assert response.status_code == 200
        assert "<script>alert" not in html
        assert "javascript:" not in html.lower()
        assert "&lt;script&gt;" in html
        assert_no_inline_code(html)


def test_script_in_an_action_is_shown_as_text(sandra, demo, app):
    goal_id = first_goal_id(app)
    html = page(sandra.get(f"/gezin/{demo.family_id}"))
    response = sandra.post(
        f"/gezin/{demo.family_id}/doelen/{goal_id}/acties",
        data={"csrf_token": csrf_token(html), "what": '<img src=x onerror="alert(5)">Boodschappen',
              "assignee": "0"},
    )
    assert response.status_code == 302
    html = page(sandra.get(f"/gezin/{demo.family_id}"))
    assert "&lt;img src=x onerror=" in html
    assert '<img src=x onerror="alert(5)">' not in html
    assert_no_inline_code(html)
