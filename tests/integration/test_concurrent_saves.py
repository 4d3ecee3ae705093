"""Twenty people save the same goal at once, each from the form they loaded before anyone
saved (issue 9): exactly one save is applied, the other nineteen get the merge screen with
their own text still in the form, nothing is lost without a word. Twenty ticks of one action
at once: each is applied or answered with the action as it is now. Through a real threaded
HTTP server, on SQLite and PostgreSQL."""
from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import func, select

from samenplan.demo import DEMO_FAMILY
from werkzeug.serving import make_server

from samenplan import create_app
from tests.conftest import restore_demo
from tests.support.clients import csrf_token
from tests.support.people import DEMO_PASSWORD, SANDRA

SAVES = 20
GOAL_1 = "We hebben elke avond rust in huis"
BEDTIME = "Vaste bedtijd voor Noah: half acht"


@pytest.fixture
def server(database_url):
    restore_demo(database_url)
    app = create_app({
        "DATABASE_URL": database_url, "SECRET_KEY": "concurrency", "TESTING": True,
        "RATELIMIT_STORAGE_URI": "memory://", "LOGIN_RATE_LIMIT": "10000 per minute",
    })
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(timeout=10)
    app.extensions["samenplan.engine"].dispose()


def logged_in(base: str) -> requests.Session:
    browser = requests.Session()
    html = browser.get(f"{base}/login").text
    response = browser.post(f"{base}/login", data={
        "email": SANDRA, "password": DEMO_PASSWORD, "csrf_token": csrf_token(html),
    }, allow_redirects=False)
    assert response.status_code == 302, response.text[:500]
    return browser


def scalar(app, stmt):
    from samenplan import db

    with app.app_context():
        return db.session().scalar(stmt)


def ids(app):
    from samenplan.families.models import Family
    from samenplan.goals.models import Action, Goal

    return (scalar(app, select(Family.id).where(Family.name == DEMO_FAMILY)), scalar(app, select(Goal.id).where(Goal.title == GOAL_1)),
            scalar(app, select(Action.id).where(Action.what == BEDTIME)))


def form_data(html: str) -> dict:
    """The edit form as the browser would send it, unchanged."""
    data: dict[str, list[str] | str] = {}
    form = re.search(r'<form method="post" action="[^"]*/bewerken".*?</form>', html, re.S).group(0)
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if not name:
            continue
        if 'type="checkbox"' in tag and "checked" not in tag:
            continue
        data.setdefault(name.group(1), []).append(value.group(1) if value else "")
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', body)
        data[name] = [(chosen.group(1) or chosen.group(2)) if chosen else ""]
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        data[name] = [body.strip()]
    return data


def test_twenty_concurrent_saves_of_one_goal_lose_nothing(server):
    from samenplan.goals.models import Goal
    from samenplan.records.models import Revision

    app, base = server
    family, goal, _action = ids(app)
    url = f"{base}/gezin/{family}/doelen/{goal}/bewerken"
    browsers = [logged_in(base) for _ in range(SAVES)]
    forms = [form_data(b.get(url).text) for b in browsers]  # all loaded before any save
    assert all(f.get("version") for f in forms), "the edit form sends no version"
    revisions_before = scalar(app, select(func.count(Revision.id)).where(Revision.record_id == goal))
    start = threading.Barrier(SAVES)

    def save(n: int):
        data = dict(forms[n], title=[f"We hebben rust in huis, versie {n}"])
        start.wait()
        return n, browsers[n].post(url, data=data, allow_redirects=False)

    with ThreadPoolExecutor(max_workers=SAVES) as pool:
        results = list(pool.map(save, range(SAVES)))
    codes = sorted(r.status_code for _n, r in results)
    applied = [n for n, r in results if r.status_code == 302]
    merged = [(n, r) for n, r in results if r.status_code == 409]
    print(f"\n{app.extensions['samenplan.engine'].dialect.name}: {len(applied)} applied, "
          f"{len(merged)} merge screens, codes {codes}")
    assert len(applied) == 1, codes
    assert len(merged) == SAVES - 1, codes
    for n, response in merged:
        assert "Iemand anders heeft dit doel net veranderd" in response.text
        assert f"versie {n}" in response.text, "the merge screen lost what was typed"
        assert "Mijn versie opslaan" in response.text
    title = scalar(app, select(Goal.title).where(Goal.id == goal))
    assert title == f"We hebben rust in huis, versie {applied[0]}"
    after = scalar(app, select(func.count(Revision.id)).where(Revision.record_id == goal))
    assert after == revisions_before + 1

    # saving one's own version knowingly, from the merge screen, goes through
    n, response = merged[0]
    again = browsers[n].post(url, data=form_data(response.text), allow_redirects=False)
    assert again.status_code == 302
    assert scalar(app, select(Goal.title).where(Goal.id == goal)) == f"We hebben rust in huis, versie {n}"


def test_twenty_concurrent_ticks_of_one_action_are_each_applied_or_answered(server):
    from samenplan.goals.models import Action

    app, base = server
    family, _goal, action = ids(app)
    browsers = [logged_in(base) for _ in range(SAVES)]
    pages = [b.get(f"{base}/gezin/{family}").text for b in browsers]
    version = re.search(rf'id="actie-{action}".*?name="version" value="(\d+)"', pages[0], re.S).group(1)
    start = threading.Barrier(SAVES)

    def tick(n: int):
        start.wait()
        return browsers[n].post(
            f"{base}/gezin/{family}/acties/{action}/klaar",
            data={"done": "1", "version": version, "csrf_token": csrf_token(pages[n])},
            headers={"HX-Request": "true"},
        )

    with ThreadPoolExecutor(max_workers=SAVES) as pool:
        results = list(pool.map(tick, range(SAVES)))
    codes = sorted(r.status_code for r in results)
    print(f"\nticks: {codes.count(200)} applied, {codes.count(409)} answered with the state now")
    assert codes.count(200) == 1 and codes.count(409) == SAVES - 1, [
        (r.status_code, r.text[:300]) for r in results if r.status_code not in (200, 409)]
    for response in results:
        if response.status_code == 409:
            assert "Iemand anders heeft dit net op klaar gezet." in response.text
    assert scalar(app, select(Action.done_at).where(Action.id == action)) is not None
