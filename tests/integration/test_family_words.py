"""Words a family does not use (issue 14 item 4; DESIGN.md §7): as each family and network demo
login (Sandra, Mark, Lisa, Riet), every page reachable from the home page by links within the
app (GET only; one page per URL shape, ids replaced) says none of the professionals' words in
its visible text: no SMART or MAGIE letters, no GAS, no T-score, no weight ("Gewicht"), no ZRM
domain names (families see plain names: "Geld", "Huishouden en post"), no "grant #n", no JSON,
no UTC, no "casusregisseur" (to a family: "je vaste hulpverlener"), and no *u*/*uw*: family
screens say *je*.

`test_the_check_has_teeth` shows the same check finds such words where a page has them."""
from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit, urlunsplit

import pytest

from samenplan.domain.selfreliance import FAMILY_DOMAIN_NAMES
from tests.support.clients import as_user
from tests.support.people import LISA, MARK, RIET, SANDRA

HOST = "samenplan.test"  # SERVER_NAME of the test app
MAX_PAGES = 120  # per login: a crawl that runs away is a bug in itself
PER_SHAPE = 1
# not pages: files, exports, the other language, live-plan polls, logging out
SKIP_PATH = re.compile(r"(\.(pdf|ics|json|csv|zip|svg|png)$)|^/static/|/veranderd$|uitloggen|logout|/taal")
FAMILY_LOGINS = [SANDRA, MARK, LISA, RIET]

# ZRM names that are not also a family's plain name (or an everyday word: "Veiligheid", "Opvang")
ZRM_NAMES = sorted(
    domain.label for domain, plain in FAMILY_DOMAIN_NAMES.items()
    if domain.label != plain and domain.label not in ("Scholing", "Opvang", "Justitie")
)
FORBIDDEN: list[tuple[str, re.Pattern]] = [
    ("SMART", re.compile(r"\bSMART\b")),
    ("MAGIE", re.compile(r"\bMAGIE\b")),
    ("GAS", re.compile(r"\bGAS\b")),
    ("T-score", re.compile(r"T-score", re.I)),
    ("weight", re.compile(r"\b(gewicht|weging|weight)\b", re.I)),
    ("grant #", re.compile(r"\bgrant\s*#", re.I)),
    ("JSON", re.compile(r"\bJSON\b", re.I)),
    ("UTC", re.compile(r"\bUTC\b")),
    ("ADL", re.compile(r"\bADL\b")),
    # the family's word is "je vaste hulpverlener" (DESIGN §7)
    ("casusregisseur", re.compile(r"casusregisseur", re.I)),
    ("u/uw", re.compile(r"(?<![\w-])(u|uw|U|Uw|UW)(?![\w-])")),
] + [(f"ZRM: {name}", re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])")) for name in ZRM_NAMES]


class VisibleText(HTMLParser):
    """The text a reader sees: no tags, no script or style, no hidden inputs; with the page's
    links (a[href], hx-get) to follow."""

    SKIP = {"script", "style", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.SKIP:
            self._skipping += 1
        if tag == "a" and attrs.get("href") and "download" not in attrs:
            self.links.append(attrs["href"])
        if attrs.get("hx-get"):
            self.links.append(attrs["hx-get"])
        # what a reader sees of a button or a filled-in field
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(" " + attrs["value"] + " ")
        if attrs.get("placeholder"):
            self.parts.append(" " + attrs["placeholder"] + " ")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1
        self.parts.append(" ")

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", "".join(self.parts)).strip()


def shape(url: str) -> str:
    parts = urlsplit(url)
    return re.sub(r"/\d+(?=/|$)", "/#", parts.path) + "?" + ",".join(sorted(parse_qs(parts.query)))


def in_app(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None  # mailto:, tel:
    if parts.netloc and parts.netloc != HOST:
        return None
    path = parts.path or "/"
    if SKIP_PATH.search(path):
        return None
    if any(not n.isdigit() or int(n) > 2 for n in parse_qs(parts.query).get("pagina", [])):
        return None
    return urlunsplit(("", "", path, parts.query, ""))


@dataclass
class Finding:
    url: str
    word: str
    context: str

    def __str__(self):
        return f"{self.url}: {self.word!r} in …{self.context}…"


def findings_in(url: str, text: str) -> list[Finding]:
    found = []
    for word, pattern in FORBIDDEN:
        for match in pattern.finditer(text):
            start, end = max(0, match.start() - 50), match.end() + 50
            found.append(Finding(url, word, text[start:end]))
    return found


def crawl(app, email: str) -> dict[str, str]:
    """The visible text of every page reached from the home page (one per URL shape)."""
    client = as_user(app, email)
    queue, queued = deque(["/"]), {"/"}
    per_shape: dict[str, int] = {}
    texts: dict[str, str] = {}
    while queue and len(texts) < MAX_PAGES:
        url = queue.popleft()
        if per_shape.get(shape(url), 0) >= PER_SHAPE:
            continue
        response = client.get(url)
        assert response.status_code < 500, f"{email}: GET {url} -> {response.status_code}"
        if response.status_code in (301, 302, 303, 307, 308):
            target = in_app(urljoin(f"http://{HOST}{url}", response.headers["Location"]))
            if target and target not in queued:
                queued.add(target)
                queue.append(target)
            continue
        if response.mimetype != "text/html":
            continue
        per_shape[shape(url)] = per_shape.get(shape(url), 0) + 1
        parser = VisibleText()
        parser.feed(response.get_data(as_text=True))
        parser.close()
        texts[url] = parser.text
        for link in parser.links:
            target = in_app(urljoin(f"http://{HOST}{url}", link))
            if target is not None and target not in queued:
                queued.add(target)
                queue.append(target)
    return texts


@pytest.fixture
def crawl_app(app):
    app.config["LOGIN_RATE_LIMIT"] = "10000 per minute"
    return app


@pytest.mark.parametrize("email", FAMILY_LOGINS)
def test_family_and_network_screens_use_the_family_s_words(crawl_app, demo, email):
    texts = crawl(crawl_app, email)
    # the crawl reaches the screens a family uses (else it proves nothing)
    reached = {shape(url) for url in texts}
    for path in ("/gezin/#?", "/gezin/#/doelen/#?", "/gezin/#/veiligheidsplan?",
                 "/gezin/#/toestemming?", "/gezin/#/tijdlijn?"):
        assert path in reached, f"{email}: the crawl did not reach {path}: {sorted(reached)}"
    found = list({(shape(f.url), f.word): f for url, text in texts.items()
                  for f in reversed(findings_in(url, text))}.values())  # each word once per page
    assert not found, f"{email} reads professionals' words:\n  " + "\n  ".join(map(str, found))


def test_the_check_has_teeth():
    page = ("<html><head><script>var GAS = 1;</script></head><body><p>Je doel</p>"
            "<p>Gewicht: 2 · T-score 55 · grant #3 · Basale ADL · 12:00 UTC · Wilt u uw plan zien?"
            "</p><p>Download JSON</p></body></html>")
    parser = VisibleText()
    parser.feed(page)
    words = {f.word for f in findings_in("/x", parser.text)}
    assert {"weight", "T-score", "grant #", "ZRM: Basale ADL", "ADL", "UTC", "u/uw", "JSON"} <= words
    assert "GAS" not in words  # a script is not read
    parser = VisibleText()
    parser.feed("<p>Je kunt je vaste hulpverlener bellen, nu of straks. Een U-bocht.</p>")
    assert findings_in("/y", parser.text) == []
