"""Production serving (issue 14 item 4): responses are compressed (brotli, else gzip), static
files have versioned names that are cached for a year (and only those), `/healthz` answers the
load balancer, request logs say nothing about who asked what, and `make serve` runs gunicorn
whose processes share their sessions and login limits through the database and Redis."""
from __future__ import annotations

import gzip
import json
import logging
import re
import uuid
from contextlib import contextmanager

import brotli
import pytest
import requests

from samenplan import create_app
from tests.conftest import restore_demo
from tests.support.clients import as_user, csrf_token, page
from tests.support.live import open_plan, poll
from tests.support.people import DEMO_PASSWORD, SANDRA
from tests.support.servers import csrf, free_port, recipe, running

STATIC_RE = re.compile(r'(?:href|src)="(/static/[^"]+)"')
YEAR = "public, max-age=31536000, immutable"


def static_urls(html: str) -> list[str]:
    return STATIC_RE.findall(html)


def test_pages_are_sent_compressed_with_brotli_or_gzip(app, demo):
    sandra = as_user(app, SANDRA)
    plain = page(sandra.get(f"/gezin/{demo.family_id}", headers={"Accept-Encoding": "identity"}))
    assert "Content-Encoding" not in sandra.get(f"/gezin/{demo.family_id}",
                                               headers={"Accept-Encoding": "identity"}).headers

    br = sandra.get(f"/gezin/{demo.family_id}", headers={"Accept-Encoding": "gzip, br"})
    assert br.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in br.headers["Vary"] and "HX-Request" in br.headers["Vary"]
    text = brotli.decompress(br.data).decode()
    assert "We hebben elke avond rust in huis" in text
    assert len(br.data) < len(plain.encode()) / 4

    gz = sandra.get(f"/gezin/{demo.family_id}", headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip"
    assert "We hebben elke avond rust in huis" in gzip.decompress(gz.data).decode()
    # personal data stays out of every shared cache, compressed or not
    assert gz.headers["Cache-Control"] == "no-store"


def test_static_files_have_versioned_names_cached_for_a_year(app):
    client = app.test_client()
    urls = static_urls(page(client.get("/login")))
    assert {u.rsplit("/", 1)[-1].split(".")[0] for u in urls} >= {"samenplan", "favicon", "htmx-2"}
    for url in urls:
        assert re.search(r"\.[0-9a-f]{12}\.(css|js|svg)$", url), url
        answer = client.get(url, headers={"Accept-Encoding": "br"})
        assert answer.status_code == 200, url
        assert answer.headers["Cache-Control"] == YEAR, url
        answer.close()

    css = next(u for u in urls if u.endswith(".css"))
    plain_name = re.sub(r"\.[0-9a-f]{12}\.css$", ".css", css)
    kept_open = client.get(plain_name)  # a page opened before a release asks the old way
    assert kept_open.status_code == 200 and kept_open.headers["Cache-Control"] == "no-cache"
    kept_open.close()
    # another file's hash, an unknown hash, a way out of the folder: nothing
    for wrong in (re.sub(r"\.[0-9a-f]{12}\.", ".000000000000.", css), "/static/../config.py",
                  "/static/css/nothing.0123456789ab.css", "/static/%2e%2e/__init__.py"):
        assert client.get(wrong).status_code == 404, wrong


def test_a_changed_static_file_gets_a_new_name(app, tmp_path):
    versions = app.extensions["samenplan.static_versions"]
    before = versions.versioned("css/samenplan.css")
    own = type(versions)(str(tmp_path))
    (tmp_path / "site.css").write_text("body { color: black }")
    first = own.versioned("site.css")
    (tmp_path / "site.css").write_text("body { color: #111 }")
    assert own.versioned("site.css") != first
    assert own.resolve(first) is None  # the old name is not served with new content
    assert own.resolve(own.versioned("site.css")) == ("site.css", True)
    assert versions.versioned("css/samenplan.css") == before


def test_the_live_plans_poll_still_answers_304_when_compressed(app, demo):
    """Compression appends the encoding to an ETag (`"…:br"`); the poll takes it off again,
    so an open plan still gets its empty 304 while nothing changed."""
    sandra = as_user(app, SANDRA)
    url = open_plan(sandra, demo.family_id)
    first = sandra.get(url, headers={"HX-Request": "true", "Accept-Encoding": "br"})
    assert first.status_code == 200
    etag = first.headers["ETag"]
    for encoded in (etag, etag[:-1] + ':br"', etag[:-1] + ':gzip"', "W/" + etag):
        again = poll(sandra, url, encoded, htmx=True)
        assert again.status_code == 304, encoded
        assert again.data == b""


def test_healthz_answers_the_load_balancer(app, database_url):
    client = app.test_client()
    answer = client.get("/healthz")
    assert answer.status_code == 200 and answer.json == {"status": "ok"}
    assert "Set-Cookie" not in answer.headers  # no session for a health check

    broken = create_app({"DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:9/nowhere",
                         "TESTING": False, "SECRET_KEY": "health"})
    down = broken.test_client().get("/healthz")
    assert down.status_code == 503 and down.json == {"status": "database unavailable"}


def test_request_logs_name_the_route_not_the_family_or_the_person(database_url, demo, caplog):
    logged = create_app({"DATABASE_URL": database_url, "TESTING": True, "SECRET_KEY": "logs",
                         "SERVER_NAME": "samenplan.test", "REQUEST_LOG": True,
                         "RATELIMIT_STORAGE_URI": "memory://"})
    sandra = as_user(logged, SANDRA)
    request_log = logging.getLogger("samenplan.request")  # its own handler: it does not propagate
    request_log.addHandler(caplog.handler)
    try:
        sandra.get(f"/gezin/{demo.family_id}?zoek=Merelstraat")
        sandra.get("/healthz")
    finally:
        request_log.removeHandler(caplog.handler)
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "samenplan.request"]
    plan = [line for line in lines if line["endpoint"] == "plans.plan"]
    assert plan and plan[-1]["route"] == "/gezin/<int:family_id>" and plan[-1]["status"] == 200
    assert all(line["endpoint"] != "serving.healthz" and line["route"] != "/healthz" for line in lines)
    everything = "\n".join(r.getMessage() for r in caplog.records if r.name == "samenplan.request")
    for secret in (str(demo.family_id) + "?", "Merelstraat", SANDRA, "Sandra", "127.0.0.1"):
        assert secret not in everything
    logged.extensions["samenplan.engine"].dispose()


# --- make serve: two gunicorn processes on one database and one Redis ------------------------
@pytest.fixture
def two_servers(database_url, tmp_path):
    restore_demo(database_url)
    env = {
        "DATABASE_URL": database_url, "SECRET_KEY": "two-processes", "WEB_CONCURRENCY": "1",
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
        "RATELIMIT_KEY_PREFIX": f"samenplan-test-{uuid.uuid4().hex}",
        "LOGIN_RATE_LIMIT": "4 per minute", "SESSION_COOKIE_SECURE": "0",
        "MAIL_OUTBOX": str(tmp_path / "outbox"),
    }
    with serving(env, tmp_path / "a.log") as a, serving(env, tmp_path / "b.log") as b:
        yield a, b


@contextmanager
def serving(env: dict, log):
    """`make serve` on a free port, ready when its health check answers; yields its base URL."""
    port = free_port()
    command = recipe("serve", "alembic upgrade head", SERVE_PORT=str(port))
    assert "gunicorn" in command, command
    base = f"http://127.0.0.1:{port}"
    with running(command, {**env, "PUBLIC_URL": base}, base, log, ready="/healthz"):
        yield base


def log_in(browser: requests.Session, base: str, password: str = DEMO_PASSWORD):
    form = browser.get(f"{base}/login", timeout=10).text
    return browser.post(f"{base}/login", data={
        "email": SANDRA, "password": password, "csrf_token": csrf(form),
    }, allow_redirects=False, timeout=10)


def test_make_serve_shares_logins_logouts_and_limits_between_processes(two_servers):
    a, b = two_servers
    served = requests.get(f"{a}/login", headers={"Accept-Encoding": "br"}, timeout=10)
    assert served.headers["Content-Encoding"] == "br"  # production settings: compressed
    assert requests.get(f"{a}/healthz", timeout=10).json() == {"status": "ok"}

    browser = requests.Session()
    assert log_in(browser, a).status_code == 302
    home = browser.get(f"{b}/", allow_redirects=False, timeout=10)  # the other process
    assert home.status_code == 200 and "Sandra" in home.text

    token = csrf_token(home.text)
    kept = browser.cookies.copy()  # as a thief who copied the cookie would keep it
    browser.post(f"{a}/logout", data={"csrf_token": token}, allow_redirects=False, timeout=10)
    for cookies in (browser.cookies, kept):  # the session ended on the server, for both
        after = requests.get(f"{b}/", cookies=cookies, allow_redirects=False, timeout=10)
        assert after.status_code == 302 and "/login" in after.headers["Location"]

    # wrong passwords, alternately on each process: the fifth is refused by the shared limit
    stranger = requests.Session()
    answers = [log_in(stranger, (a, b)[i % 2], "niet-het-wachtwoord").status_code for i in range(5)]
    assert answers[:4] == [401, 401, 401, 401], answers
    assert answers[4] == 429, answers
    # and the right password does not get past it either, on either process
    assert log_in(stranger, a).status_code == 429
