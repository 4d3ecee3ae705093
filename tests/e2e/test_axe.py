"""axe-core on every page a demo login reaches from the home page, on a phone (360x740).

For each of the eight demo logins (DESIGN.md §6): log in, then follow every same-origin link
(GET only) from the home page, breadth first, and run axe-core on each HTML page with the rules
of WCAG 2.0/2.1 A and AA and axe's best practices. The test fails on any violation, naming the
page, the rule and the nodes.

The crawl is bounded: one page per URL shape (ids replaced by a placeholder: the first goal page
is checked, the next ones share its template and add only time), paged lists to page 2, and at most
MAX_PAGES pages per login. Links that leave the app's pages (logout is a POST; downloads, other
languages) are not followed.

axe-core comes from npm (tests/e2e/axe/package.json, pinned; `.ci/run` installs it). The strict
CSP forbids inline script, so axe's source is run with `page.evaluate`, not a script tag.
"""
from __future__ import annotations

import fcntl
import re
import shutil
import subprocess
import tempfile
from collections import deque
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page

from tests.conftest import IN_CI
from tests.support.browser import log_in
from tests.support.people import DEMO_USERS

pytestmark = pytest.mark.e2e

AXE_DIR = Path(__file__).resolve().parent / "axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
MAX_PAGES = 60
PER_SHAPE = 1
# not pages to check: files, the other language, the JSON/CSV exports, live-plan polls
SKIP_PATH = re.compile(r"(\.(pdf|ics|json|csv|zip|svg|png)$)|/static/|/veranderd$|/plan/delen$")
PAGE_PARAMS = ("pagina",)


def _unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"axe-core is mandatory in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's source, installed with `npm ci` in tests/e2e/axe when it is not there yet."""
    if not AXE_JS.is_file():
        npm = shutil.which("npm")
        if not npm:
            _unavailable("npm is needed to install axe-core (tests/e2e/axe)")
        lock_path = Path(tempfile.gettempdir()) / "samenplan-axe-npm-ci.lock"
        with open(lock_path, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not AXE_JS.is_file():
                result = subprocess.run(
                    [npm, "ci", "--no-audit", "--no-fund"], cwd=AXE_DIR,
                    capture_output=True, text=True, timeout=900,
                )
                if result.returncode != 0:
                    _unavailable(f"`npm ci` in tests/e2e/axe failed: {result.stderr[-2000:]}")
    return AXE_JS.read_text(encoding="utf-8")


def shape(url: str) -> str:
    """The URL with its ids replaced and its query reduced to the names of its parameters."""
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/|$)", "/#", parts.path)
    return path + "?" + ",".join(sorted(parse_qs(parts.query)))


def worth_visiting(url: str, origin: str) -> bool:
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != origin or SKIP_PATH.search(parts.path):
        return False
    query = parse_qs(parts.query)
    for name in PAGE_PARAMS:  # paged lists: page 2 is enough
        if any(not v.isdigit() or int(v) > 2 for v in query.get(name, [])):
            return False
    return True


def links_on(page: Page) -> list[str]:
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('a[href]'))
              .filter(a => !a.hasAttribute('download'))
              .map(a => { const u = new URL(a.href, location.href); u.hash = ''; return u.href; })"""
    )


def run_axe(page: Page, source: str) -> list[dict]:
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(source)
    return page.evaluate(
        """(tags) => axe.run(document, {
              runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
           }).then(r => r.violations.map(v => ({
              id: v.id, impact: v.impact, help: v.help,
              nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.failureSummary.replace(/\\s+/g, ' ')
                                      + ' :: ' + n.html.slice(0, 160)),
           })))""",
        RULES,
    )


def crawl(page: Page, origin: str, source: str) -> tuple[dict[str, list[dict]], list[str]]:
    """Every page reached from the home page, with its violations; and the URLs visited."""
    queue, queued = deque([origin + "/"]), {origin + "/"}
    per_shape: dict[str, int] = {}
    found: dict[str, list[dict]] = {}
    visited: list[str] = []
    while queue and len(visited) < MAX_PAGES:
        url = queue.popleft()
        key = shape(url)
        if per_shape.get(key, 0) >= PER_SHAPE:
            continue
        response = page.goto(url)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        per_shape[key] = per_shape.get(key, 0) + 1
        visited.append(url)
        violations = run_axe(page, source)
        if violations:
            found[url] = violations
        for link in links_on(page):
            if link not in queued and worth_visiting(link, origin):
                queued.add(link)
                queue.append(link)
    return found, visited


def report(found: dict[str, list[dict]]) -> str:
    lines = []
    for url, violations in found.items():
        for violation in violations:
            lines.append(f"{url}: {violation['id']} ({violation['impact']}) {violation['help']}")
            lines.extend(f"      {node}" for node in violation["nodes"][:5])
            if len(violation["nodes"]) > 5:
                lines.append(f"      ... and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


@pytest.mark.parametrize("email", DEMO_USERS)
def test_every_page_passes_axe(email, page: Page, live_server, axe_source, browser_problems):
    log_in(page, email, browser_problems)
    found, visited = crawl(page, live_server.url, axe_source)
    assert len(visited) > 5, f"the crawl found almost nothing for {email}: {visited}"
    assert not found, (
        f"axe-core found violations for {email} on {len(found)} of {len(visited)} pages:\n"
        + report(found)
    )
