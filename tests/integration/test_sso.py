"""Organisation single sign-on against a REAL OpenID Connect provider.

The provider is the npm package `oidc-provider` (tests/oidc_provider/provider.js), run with
the machine's Node.js on a free loopback port. Its login is non-interactive: it logs in the
account named by the authorization request's `login_hint` and grants consent. The browser is
played by a `requests.Session` (at the provider) and the Flask test client (at samenplan).

To let the provider log in *another* account than the one typed into samenplan (an e-mail
outside the domains, someone of another organisation), the test rewrites `login_hint` in the
authorization URL before following it: what a user would do by typing other credentials at
their provider.

The expired ID token comes from a second provider started with ID_TOKEN_TTL=-300: it issues
ID tokens that expired five minutes before they were issued (signed with its real key, so only
the `exp` check can refuse them).

Without node/npm the tests are skipped with the reason; with CI=true they fail instead.
"""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit, urlunsplit

import pytest
import requests
from sqlalchemy import select, update

from tests.conftest import IN_CI
from tests.support.clients import csrf_token, page
from tests.support.people import DAAN, FATIMA

ROOT = Path(__file__).resolve().parents[2]
PROVIDER_DIR = ROOT / "tests" / "oidc_provider"
SAMENPLAN = "http://samenplan.test"
REDIRECT_URI = f"{SAMENPLAN}/login/organisatie/terug"
CLIENT_ID = "samenplan-test"
CLIENT_SECRET = "een-geheim-voor-de-test-0123456789"
WIJKTEAM = "Sociaal Wijkteam Noord"
GGZ = "GGZ Kompas"
REFUSED = "Inloggen via je organisatie is niet gelukt."
ACCOUNTS = [
    {"sub": "fatima", "email": FATIMA, "email_verified": True, "name": "Fatima El Amrani"},
    {"sub": "fatima-caps", "email": "Fatima@Wijkteam-Noord.DEMO", "email_verified": True},
    {"sub": "fatima-elders", "email": "fatima@elders.example", "email_verified": True},
    {"sub": "fatima-unverified", "email": FATIMA, "email_verified": False},
    {"sub": "nieuw", "email": "nieuw@wijkteam-noord.demo", "email_verified": True},
    {"sub": "daan", "email": DAAN, "email_verified": True, "name": "Daan Visser"},
]


# --- the provider ----------------------------------------------------------------------------------
def _unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"the OpenID Connect provider is mandatory in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def node():
    """The node binary, with tests/oidc_provider's packages installed (`npm ci` once)."""
    node_bin, npm_bin = shutil.which("node"), shutil.which("npm")
    if not node_bin or not npm_bin:
        _unavailable("node and npm are needed for the OpenID Connect provider (tests/oidc_provider)")
    lock_path = Path(tempfile.gettempdir()) / "samenplan-oidc-provider-npm-ci.lock"
    with open(lock_path, "w") as lock:  # one `npm ci` at a time (pytest-xdist workers)
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (PROVIDER_DIR / "node_modules" / "oidc-provider" / "package.json").is_file():
            result = subprocess.run(
                [npm_bin, "ci", "--no-audit", "--no-fund"], cwd=PROVIDER_DIR,
                capture_output=True, text=True, timeout=900,
            )
            if result.returncode != 0:
                _unavailable(f"`npm ci` in tests/oidc_provider failed: {result.stderr[-2000:]}")
    return node_bin


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Provider:
    issuer: str
    process: subprocess.Popen
    log: Path
    accounts: list = field(default_factory=list)

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@contextmanager
def running_provider(node_bin: str, tmp_dir: Path, **extra_env):
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    env = {
        **os.environ, "PORT": str(port), "ISSUER": issuer, "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET, "REDIRECT_URI": REDIRECT_URI, "ACCOUNTS": json.dumps(ACCOUNTS),
        "NODE_ENV": "test", **extra_env,
    }
    log = tmp_dir / f"provider-{port}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([node_bin, "provider.js"], cwd=PROVIDER_DIR, env=env,
                                   stdout=out, stderr=subprocess.STDOUT)
    provider = Provider(issuer, process, log, ACCOUNTS)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"provider.js exited with {process.returncode}:\n{provider.output()}")
            try:
                answer = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2)
                if answer.status_code == 200 and answer.json().get("issuer") == issuer:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"provider.js did not answer within 60 s:\n{provider.output()}")
            time.sleep(0.2)
        yield provider
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def provider(node, tmp_path_factory):
    with running_provider(node, tmp_path_factory.mktemp("oidc")) as started:
        yield started


@pytest.fixture(scope="session")
def expiring_provider(node, tmp_path_factory):
    """A provider whose ID tokens are expired when issued (exp = iat - 300 s)."""
    with running_provider(node, tmp_path_factory.mktemp("oidc-expired"), ID_TOKEN_TTL="-300") as started:
        yield started


@pytest.fixture(scope="session")
def strict_provider(node, tmp_path_factory):
    """A provider that follows OpenID Connect Core 5.4 to the letter (oidc-provider's default):
    in the code flow the e-mail claims are at the userinfo endpoint, not in the ID token."""
    with running_provider(node, tmp_path_factory.mktemp("oidc-strict"), CONFORM_ID_TOKEN_CLAIMS="true") as started:
        yield started


# --- samenplan side ------------------------------------------------------------------------------
def configure_sso(app, organisation: str, issuer: str, domains: str, client_id: str = CLIENT_ID,
                  client_secret: str = CLIENT_SECRET):
    """`flask org sso`, through Flask's test CLI runner, the secret from SSO_CLIENT_SECRET."""
    result = app.test_cli_runner().invoke(
        args=["org", "sso", organisation, "--issuer", issuer, "--client-id", client_id, "--domains", domains],
        env={"SSO_CLIENT_SECRET": client_secret},
    )
    assert result.exit_code == 0, f"{result.output!r} {result.exception!r}"
    return result


@pytest.fixture
def sso_app(app, provider):
    """The demo, with Sociaal Wijkteam Noord logging in through the provider."""
    configure_sso(app, WIJKTEAM, provider.issuer, "wijkteam-noord.demo")
    return app


def logged_in(client) -> bool:
    response = client.get("/")
    if response.status_code == 302:
        assert urlsplit(response.headers["Location"]).path == "/login"
        return False
    assert response.status_code == 200
    return True


def start(client, address: str):
    """POST /login/organisatie like the browser does."""
    token = csrf_token(page(client.get("/login/organisatie")))
    return client.post("/login/organisatie", data={"email": address, "csrf_token": token})


def with_param(url: str, **params) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query.update(params)
    return urlunsplit(parts._replace(query=urlencode(query)))


def through_provider(authorize_url: str, login_hint: str | None = None) -> str:
    """Follow the provider's redirects (login, consent) in a fresh browser until it sends the
    browser back to samenplan; returns that URL (the callback with code and state)."""
    if login_hint is not None:
        authorize_url = with_param(authorize_url, login_hint=login_hint)
    browser = requests.Session()
    url = authorize_url
    for _ in range(12):
        response = browser.get(url, allow_redirects=False, timeout=10)
        assert response.status_code in (302, 303), f"{response.status_code} at {url}: {response.text[:500]}"
        url = urljoin(url, response.headers["Location"])
        if url.startswith(SAMENPLAN + "/"):
            return url
    raise AssertionError("the provider never sent the browser back to samenplan")


def callback_path(url: str) -> str:
    parts = urlsplit(url)
    assert parts.path == "/login/organisatie/terug"
    return f"{parts.path}?{parts.query}"


def sso_login(client, address: str, login_hint: str | None = None, before_return=None):
    """The whole flow; returns samenplan's answer to the callback."""
    started = start(client, address)
    assert started.status_code == 302, page(started)
    back = through_provider(started.headers["Location"], login_hint)
    if before_return is not None:
        back = before_return(back) or back
    return client.get(callback_path(back))


def assert_refused(client, response, caplog=None, reason: str | None = None, status: int = 401,
                   message: str = REFUSED):
    """Refused: the Dutch page with the error, nobody logged in, and (in the log) the reason,
    so a test cannot pass because the login failed for some other cause."""
    html = page(response)
    assert response.status_code == status, html
    assert '<html lang="nl"' in html
    assert message in html
    assert 'role="alert"' in html
    assert not logged_in(client)
    with client.session_transaction() as session:
        assert "_user_id" not in session and "sid" not in session
    if reason is not None:
        logged = [r.getMessage() for r in caplog.records if "SSO" in r.getMessage()]
        assert any(reason in line for line in logged), logged


# --- logging in --------------------------------------------------------------------------------------
def test_org_sso_configures_the_organisation(app, provider):
    result = configure_sso(app, WIJKTEAM, provider.issuer, " Wijkteam-Noord.demo, wijkteam.example ")
    assert f"{WIJKTEAM}: single sign-on through {provider.issuer}" in result.output
    from samenplan import db
    from samenplan.orgs.models import Organisation

    with app.app_context():
        org = db.session().scalar(select(Organisation).where(Organisation.name == WIJKTEAM))
        assert org.sso_enabled
        assert (org.oidc_issuer, org.oidc_client_id, org.oidc_client_secret) == (provider.issuer, CLIENT_ID, CLIENT_SECRET)
        assert org.email_domains == {"wijkteam-noord.demo", "wijkteam.example"}
    missing = app.test_cli_runner().invoke(args=["org", "sso", "Bestaat Niet", "--issuer", provider.issuer,
                                                 "--client-id", "x", "--client-secret", "y", "--domains", "x.example"])
    assert missing.exit_code != 0 and "no organisation called 'Bestaat Niet'" in missing.output


def test_org_sso_runs_under_the_test_cli_runner(app, provider):
    """Without an app context pushed by the caller: the `org` group must be an AppGroup."""
    runner = app.test_cli_runner()
    result = runner.invoke(args=["org", "sso", WIJKTEAM, "--issuer", provider.issuer, "--client-id", CLIENT_ID,
                                 "--client-secret", CLIENT_SECRET, "--domains", "wijkteam-noord.demo"])
    assert result.exit_code == 0, f"{result.output!r} {result.exception!r}"


def test_a_professional_logs_in_through_her_organisation_without_totp(sso_app, provider, demo):
    client = sso_app.test_client()
    started = start(client, FATIMA)
    assert started.status_code == 302
    authorize = urlsplit(started.headers["Location"])
    assert f"{authorize.scheme}://{authorize.netloc}" == provider.issuer
    params = {k: v[0] for k, v in parse_qs(authorize.query).items()}
    assert params["response_type"] == "code"
    assert params["client_id"] == CLIENT_ID
    assert params["redirect_uri"] == REDIRECT_URI
    assert set(params["scope"].split()) >= {"openid", "email"}
    assert params["code_challenge_method"] == "S256" and len(params["code_challenge"]) == 43
    assert len(params["state"]) >= 20 and len(params["nonce"]) >= 20
    assert params["login_hint"] == FATIMA
    assert not logged_in(client)

    back = through_provider(started.headers["Location"])
    query = parse_qs(urlsplit(back).query)
    assert query["state"] == [params["state"]] and query["code"]
    done = client.get(callback_path(back))
    assert done.status_code == 302
    assert urlsplit(done.headers["Location"]).path == "/"  # not /login/tweestaps
    assert logged_in(client)
    assert client.get(f"/gezin/{demo.family_id}").status_code == 200
    assert "Fatima El Amrani" in page(client.get("/account"))

    # the session is a professional's one: 30 minutes idle
    from samenplan import db
    from samenplan.auth.models import User, UserSession

    with sso_app.app_context():
        idle = db.session().scalar(select(UserSession.idle_seconds).join(User, User.id == UserSession.user_id)
                                   .where(User.email == FATIMA, UserSession.ended_at.is_(None)))
    assert idle == sso_app.config["IDLE_TIMEOUT_PROFESSIONAL"]


def test_the_provider_e_mail_is_matched_case_insensitively(sso_app):
    client = sso_app.test_client()
    done = sso_login(client, FATIMA, login_hint="fatima-caps")
    assert done.status_code == 302 and logged_in(client)


def test_a_callback_cannot_be_replayed(sso_app, caplog):
    client = sso_app.test_client()
    started = start(client, FATIMA)
    back = callback_path(through_provider(started.headers["Location"]))
    assert client.get(back).status_code == 302
    # someone who got hold of the callback URL (history, logs, Referer): a fresh browser ...
    thief = sso_app.test_client()
    assert_refused(thief, thief.get(back), caplog, "no login in progress")
    # ... or the same browser, once more, with a new flow started meanwhile
    html = page(client.get("/account"))
    client.post("/logout", data={"csrf_token": csrf_token(html)})
    start(client, FATIMA)
    assert_refused(client, client.get(back), caplog, "state does not match")


def test_no_sso_for_an_organisation_without_it(sso_app):
    client = sso_app.test_client()
    response = start(client, "sandra@demo.samenplan.nl")
    assert response.status_code == 422
    assert "Je organisatie logt niet via samenplan in. Log in met je wachtwoord." in page(response)
    assert not logged_in(client)


def test_a_password_login_of_the_same_professional_still_needs_totp(sso_app):
    client = sso_app.test_client()
    token = csrf_token(page(client.get("/login")))
    response = client.post("/login", data={"email": FATIMA, "password": "samen-demo-2026", "csrf_token": token})
    assert urlsplit(response.headers["Location"]).path == "/login/tweestaps"
    assert not logged_in(client)


# --- refusals ------------------------------------------------------------------------------------------
def _attempt(app, address: str = FATIMA, login_hint: str | None = None, before_return=None):
    """Start and, if samenplan lets it, run the whole flow. Returns (client, final response)."""
    client = app.test_client()
    started = start(client, address)
    if started.status_code != 302:
        return client, started
    back = through_provider(started.headers["Location"], login_hint)
    if before_return is not None:
        back = before_return(client, back) or back
    return client, client.get(callback_path(back))


@pytest.mark.parametrize("variant", ["trailing slash", "trailing path", "other host name"])
def test_a_wrong_issuer_is_refused(app, provider, variant, caplog):
    """The configured issuer must be exactly the provider's: `http://127.0.0.1:PORT/` or
    `http://localhost:PORT` (the same server, answering its discovery document) are not it."""
    wrong = {
        "trailing slash": provider.issuer + "/",
        "trailing path": provider.issuer + "/tenant",
        "other host name": provider.issuer.replace("127.0.0.1", "localhost"),
    }[variant]
    configure_sso(app, WIJKTEAM, wrong, "wijkteam-noord.demo")
    client, response = _attempt(app)
    if response.status_code == 422:  # refused before leaving samenplan
        assert "De inlogdienst van je organisatie antwoordt nu niet." in page(response)
        assert not logged_in(client)
        logged = " ".join(r.getMessage() for r in caplog.records)
        assert ("provider says issuer" in logged) or ("404" in logged), logged
    else:
        assert_refused(client, response, caplog, "issuer")


def test_an_issuer_changed_during_the_login_is_refused(app, provider, expiring_provider, caplog):
    """The flow started at one provider; the organisation now points at another (with the
    same client id and secret). The code from the first is worth nothing at the second."""
    configure_sso(app, WIJKTEAM, provider.issuer, "wijkteam-noord.demo")

    def switch(client, back):
        configure_sso(app, WIJKTEAM, expiring_provider.issuer, "wijkteam-noord.demo")

    client, response = _attempt(app, before_return=switch)
    assert_refused(client, response, caplog, "token endpoint answered 400")


def test_a_bad_nonce_is_refused(sso_app, caplog):
    def tamper_nonce(client, back):
        with client.session_transaction() as session:
            flow = dict(session["sso_flow"])
            flow["nonce"] = flow["nonce"][:-4] + "abcd"
            session["sso_flow"] = flow

    client, response = _attempt(sso_app, before_return=tamper_nonce)
    assert_refused(client, response, caplog, "Invalid claim: 'nonce'")


@pytest.mark.parametrize("how", ["changed", "missing", "from another flow"])
def test_a_state_mismatch_is_refused(sso_app, how, caplog):
    other_state = None
    if how == "from another flow":
        other = sso_app.test_client()
        other_state = parse_qs(urlsplit(start(other, FATIMA).headers["Location"]).query)["state"][0]

    def tamper_state(client, back):
        parts = urlsplit(back)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if how == "changed":
            query["state"] = query["state"][:-1] + ("A" if query["state"][-1] != "A" else "B")
        elif how == "missing":
            del query["state"]
        else:
            query["state"] = other_state
        return urlunsplit(parts._replace(query=urlencode(query)))

    client, response = _attempt(sso_app, before_return=tamper_state)
    assert_refused(client, response, caplog, "state does not match")


def test_a_callback_without_a_started_login_is_refused(sso_app, caplog):
    client = sso_app.test_client()
    assert_refused(client, client.get("/login/organisatie/terug?code=abc&state=def"), caplog, "no login in progress")


def test_a_wrong_pkce_verifier_is_refused(sso_app, caplog):
    """The provider checks PKCE: with another code_verifier the code is not exchanged."""
    def tamper_verifier(client, back):
        with client.session_transaction() as session:
            flow = dict(session["sso_flow"])
            flow["code_verifier"] = flow["code_verifier"][::-1]
            session["sso_flow"] = flow

    client, response = _attempt(sso_app, before_return=tamper_verifier)
    assert_refused(client, response, caplog, "token endpoint answered 400")


def test_an_expired_id_token_is_refused(app, expiring_provider, caplog):
    configure_sso(app, WIJKTEAM, expiring_provider.issuer, "wijkteam-noord.demo")
    client, response = _attempt(app)
    assert_refused(client, response, caplog, "ExpiredTokenError")


def test_an_e_mail_outside_the_organisations_domains_is_refused(sso_app, caplog):
    client, response = _attempt(sso_app, login_hint="fatima-elders")  # fatima@elders.example
    assert_refused(client, response, caplog, "fatima@elders.example is outside the organisation's domains")


def test_an_unverified_e_mail_is_refused(sso_app, caplog):
    client, response = _attempt(sso_app, login_hint="fatima-unverified")  # email_verified: false
    assert_refused(client, response, caplog, "no verified e-mail address")


def test_an_address_in_the_domain_without_an_account_is_refused(sso_app, caplog):
    client, response = _attempt(sso_app, login_hint="nieuw")
    assert_refused(client, response, caplog, "no active account for nieuw@wijkteam-noord.demo")


def test_an_error_from_the_provider_is_refused(sso_app, caplog):
    client, response = _attempt(sso_app, login_hint="bestaat-niet")  # the provider says access_denied
    assert_refused(client, response, caplog, "provider error access_denied")


def test_someone_of_another_organisation_cannot_log_in_through_this_one(app, provider, demo, caplog):
    """GGZ Kompas uses the same provider. Daan (GGZ Kompas) logs in there fine; but a flow
    started for Sociaal Wijkteam Noord that comes back with Daan's identity is refused: by
    the domain, and even when Wijkteam's configuration (wrongly) lists GGZ Kompas's domain,
    because Daan does not work for Wijkteam in any plan."""
    configure_sso(app, WIJKTEAM, provider.issuer, "wijkteam-noord.demo")
    configure_sso(app, GGZ, provider.issuer, "ggz-kompas.demo")

    # Daan through his own organisation: fine
    daan = app.test_client()
    assert sso_login(daan, DAAN).status_code == 302
    assert logged_in(daan)

    # Daan's identity in a flow of Sociaal Wijkteam Noord: refused
    client, response = _attempt(app, FATIMA, login_hint="daan")
    assert_refused(client, response, caplog, "daan@ggz-kompas.demo is outside the organisation's domains")

    # and still refused when Wijkteam's configuration claims GGZ Kompas's domain too
    configure_sso(app, WIJKTEAM, provider.issuer, "wijkteam-noord.demo,ggz-kompas.demo")
    client, response = _attempt(app, FATIMA, login_hint="daan")
    assert_refused(client, response, caplog, "daan@ggz-kompas.demo does not work for Sociaal Wijkteam Noord")


def test_a_deactivated_account_cannot_log_in_through_sso(sso_app, caplog):
    from samenplan import db
    from samenplan.auth.models import User

    with sso_app.app_context():
        db.session().execute(update(User).where(User.email == FATIMA).values(active=False))
        db.session().commit()
    client, response = _attempt(sso_app)
    assert_refused(client, response, caplog, "no active account for fatima@wijkteam-noord.demo")


def test_sso_login_is_rate_limited(app, provider, database_url):
    """The start of an SSO login counts against LOGIN_RATE_LIMIT like the password login."""
    from tests.support.apps import make_app

    limited = make_app(database_url, LOGIN_RATE_LIMIT="3 per minute")
    try:
        configure_sso(limited, WIJKTEAM, provider.issuer, "wijkteam-noord.demo")
        client = limited.test_client()
        statuses = [start(client, FATIMA).status_code for _ in range(4)]
        assert statuses == [302, 302, 302, 429]
    finally:
        limited.extensions["samenplan.engine"].dispose()


def test_a_provider_that_gives_the_e_mail_at_userinfo_only_works(app, strict_provider):
    """BUG (interoperability): OpenID Connect Core 5.4 says the claims of the `email` scope
    come from the userinfo endpoint when an access token is issued (the code flow); a provider
    that follows it (oidc-provider by default, and others configured so) puts no e-mail in the
    ID token, and samenplan then refuses every login ("no verified e-mail address in the ID
    token"). Fix in samenplan/orgs/sso.py `finish`: when the ID token has no `email`, fetch
    `userinfo_endpoint` with the access token (Bearer), require its `sub` to equal the ID
    token's `sub`, and take `email`/`email_verified` from there."""
    configure_sso(app, WIJKTEAM, strict_provider.issuer, "wijkteam-noord.demo")
    client, response = _attempt(app)
    assert response.status_code == 302, page(response)
    assert logged_in(client)


def test_legit_login_after_refusals_still_works(sso_app):
    for hint in ("fatima-elders", "fatima-unverified"):
        _attempt(sso_app, login_hint=hint)
    client = sso_app.test_client()
    assert sso_login(client, FATIMA).status_code == 302
    assert logged_in(client)


def test_authorization_requests_use_fresh_state_nonce_and_verifier(sso_app):
    seen = set()
    for _ in range(3):
        client = sso_app.test_client()
        start(client, FATIMA)
        with client.session_transaction() as session:
            flow = session["sso_flow"]
            seen.add((flow["state"], flow["nonce"], flow["code_verifier"]))
    assert len(seen) == 3
    assert len({s for s, _, _ in seen}) == 3
    assert len({n for _, n, _ in seen}) == 3
