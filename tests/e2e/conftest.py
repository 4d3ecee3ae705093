"""Browser tests: a real server on a real socket, driven by Debian's Chromium at phone size.

One server (and one SQLite file, migrated by Alembic) serves the whole session; before every test
the database is put back in the state seed-demo leaves it in (the demo family only), and the rate
limits are cleared, so tests may change data freely and do not depend on each other.

Every test fails when the browser reported a problem while it ran: a console error, a CSP
violation ("Refused to ..."), an uncaught page error, a 5xx response, or an exception in the
server. A test that provokes an error on purpose says so with ``browser_problems.allow(regex)``.

Without /usr/bin/chromium the browser tests are skipped with the reason printed; with CI=true
they fail instead.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import got_request_exception
from werkzeug.serving import make_server

from samenplan import create_app
from tests.conftest import IN_CI, ROOT, alembic_upgrade, restore_demo

E2E_DIR = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "nl-NL",
}
PHONE_WIDTH = PHONE["viewport"]["width"]


def pytest_collection_modifyitems(config, items):
    """Everything under tests/e2e is a browser test (`-m "not e2e"` leaves them out)."""
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


# --- what went wrong in the browser or the server during one test ---------------------------

@dataclass
class BrowserProblems:
    messages: list[str] = field(default_factory=list)
    allowed: list[re.Pattern] = field(default_factory=list)
    pages: list = field(default_factory=list)

    def allow(self, pattern: str) -> None:
        """Do not count problems matching this regular expression (for provoked errors)."""
        self.allowed.append(re.compile(pattern))

    def add(self, message: str) -> None:
        self.messages.append(message)

    def watch(self, context) -> None:
        context.on("console", self._on_console)
        context.on("weberror", lambda error: self.add(f"uncaught page error: {error.error}"))
        context.on("response", self._on_response)
        context.on("page", lambda page: self.pages.append(page))

    def _on_console(self, message) -> None:
        text = message.text
        if message.type == "error" or "Refused to" in text or "Content Security Policy" in text:
            where = message.location.get("url", "") if message.location else ""
            self.add(f"console {message.type}: {text} ({where})")

    def _on_response(self, response) -> None:
        if response.status >= 500:
            self.add(f"HTTP {response.status} from {response.request.method} {response.url}")

    def flush(self) -> None:
        """Let Playwright deliver events that are still on their way."""
        for page in self.pages:
            if not page.is_closed():
                try:
                    page.wait_for_timeout(100)
                except Exception:  # noqa: BLE001 - a closing page has nothing left to say
                    pass
                return

    def unexpected(self) -> list[str]:
        return [m for m in self.messages if not any(p.search(m) for p in self.allowed)]


PROBLEMS = pytest.StashKey[BrowserProblems]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail the test itself (not its teardown) when the browser or server reported problems."""
    problems = item.stash.get(PROBLEMS, None)
    try:
        result = yield
    except BaseException:
        if problems is not None:  # the test failed anyway: show what the browser said too
            problems.flush()
            if problems.messages:
                item.add_report_section("call", "browser problems", "\n".join(problems.messages))
        raise
    if problems is not None:
        problems.flush()
        found = problems.unexpected()
        if found:
            pytest.fail(
                "the browser or server reported problems:\n  " + "\n  ".join(found),
                pytrace=False,
            )
    return result


# --- the server ------------------------------------------------------------------------------

class LiveServer:
    def __init__(self, app, url: str, database_url: str):
        self.app = app
        self.url = url
        self.database_url = database_url
        self.problems: BrowserProblems | None = None  # of the test that runs now

    def reseed(self) -> None:
        """A database with only the demo family, as seed-demo leaves it (tests/conftest.py's
        `restore_demo`: seeded once, then written back from memory); no rate limits counted yet."""
        from samenplan.extensions import limiter

        restore_demo(self.database_url)
        with self.app.app_context():
            limiter.reset()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    database_url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'e2e.sqlite3'}"
    alembic_upgrade(database_url)
    app = create_app({
        "DATABASE_URL": database_url,
        "SECRET_KEY": "e2e-secret",
        "RATELIMIT_STORAGE_URI": "memory://",
    })
    server = make_server("127.0.0.1", 0, app, threaded=True)
    # links in mail point at this server, as `make run` points them at its own address
    app.config["PUBLIC_URL"] = f"http://127.0.0.1:{server.server_port}"
    live = LiveServer(app, f"http://127.0.0.1:{server.server_port}", database_url)

    def _server_error(sender, exception, **extra):
        if live.problems is not None:
            live.problems.add(f"server exception: {exception!r}")

    got_request_exception.connect(_server_error, app, weak=False)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    yield live
    server.shutdown()
    thread.join(timeout=10)
    got_request_exception.disconnect(_server_error, app)
    app.extensions["samenplan.engine"].dispose()


# --- the browser -----------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: install Debian's chromium to run the browser tests"
        if IN_CI:
            pytest.fail(f"browser tests are mandatory in CI: {reason}", pytrace=False)
        print(f"\nskipping browser tests: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_problems(request, live_server):
    problems = BrowserProblems()
    request.node.stash[PROBLEMS] = problems
    live_server.problems = problems
    live_server.reseed()
    yield problems
    live_server.problems = None


@pytest.fixture
def new_phone_context(browser, live_server, browser_problems):
    """Make a phone-sized browser context on the live server: new_phone_context(**overrides)."""
    contexts = []

    def make(**overrides):
        options = {**PHONE, "base_url": live_server.url, **overrides}
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        browser_problems.watch(context)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_phone_context):
    """A page in a 360x740 phone context (touch, 2x pixels, nl-NL), JavaScript on."""
    return new_phone_context().new_page()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
