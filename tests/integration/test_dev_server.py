"""`make run` as a developer starts it: the command comes from the Makefile itself (`make -n
run`), and runs for real on a free port against the test database. The reloader is on, but
the interactive Werkzeug debugger (which runs any Python for whoever sees an error page) is
not; a forged Host header gets 400; mailed links point at the server's own address."""
from __future__ import annotations

import email
import email.policy
import re
import time

import pytest
import requests

from tests.support.people import DEMO_PASSWORD, SANDRA
from tests.support.servers import csrf, free_port, recipe, running


def run_recipe(port: int) -> str:
    """The `run` target's own command (the test database is migrated and seeded already)."""
    command = recipe("run", "seed-demo", PORT=str(port))
    assert "flask run" in command, command
    return command


@pytest.fixture
def dev_server(app, database_url, tmp_path):
    """The `make run` command on a free port; yields its base URL, its outbox and its log."""
    port = free_port()
    outbox = tmp_path / "outbox"
    log = tmp_path / "server.log"
    env = {
        "FLASK_APP": "samenplan",  # the Makefile exports it
        "DATABASE_URL": database_url, "MAIL_OUTBOX": str(outbox), "SECRET_KEY": "dev-server-test",
    }
    base = f"http://127.0.0.1:{port}"
    with running(run_recipe(port), env, base, log):
        yield base, outbox, log


def test_make_run_has_the_reloader_but_not_the_debugger(dev_server):
    base, _outbox, log = dev_server
    started = log.read_text()
    assert "Restarting with" in started, started  # the reloader
    assert "Debugger is active" not in started, started
    # the debugger answers these itself, before the app, when it is on
    resource = requests.get(base + "/", params={"__debugger__": "yes", "cmd": "resource", "f": "debugger.js"},
                            allow_redirects=False, timeout=10)
    assert "javascript" not in resource.headers.get("Content-Type", "")
    assert resource.status_code == 302 and "/login" in resource.headers["Location"]

    # what crashed before (an id too big for the database) is a Dutch 404, not a debugger page
    browser = requests.Session()
    page = browser.get(base + "/login", timeout=10).text
    logged_in = browser.post(base + "/login", data={
        "email": SANDRA, "password": DEMO_PASSWORD, "csrf_token": csrf(page),
    }, allow_redirects=False, timeout=10)
    assert logged_in.status_code == 302, logged_in.text
    huge = browser.get(base + "/gezin/1/doelen/99999999999999999999", timeout=10)
    assert huge.status_code == 404
    assert "Niet gevonden" in huge.text
    for sign in ("Traceback", "__debugger__", "Werkzeug", "OverflowError"):
        assert sign not in huge.text


def test_make_run_refuses_a_forged_host_and_mails_links_on_its_own_address(dev_server):
    base, outbox, _log = dev_server
    forged = requests.get(base + "/login/link", headers={"Host": "evil.example:5311"}, timeout=10)
    assert forged.status_code == 400
    assert "evil.example" not in forged.text

    browser = requests.Session()
    page = browser.get(base + "/login/link", timeout=10).text
    asked = browser.post(base + "/login/link", data={"email": SANDRA, "csrf_token": csrf(page)}, timeout=10)
    assert asked.status_code == 200
    deadline = time.monotonic() + 10
    while not list(outbox.glob("*.eml")) and time.monotonic() < deadline:
        time.sleep(0.05)
    [path] = outbox.glob("*.eml")
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    links = re.findall(r"https?://\S+", message.get_body(preferencelist=("plain",)).get_content())
    assert links and all(link.startswith(base + "/login/link/") for link in links), links
