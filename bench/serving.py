"""The plan page under gunicorn, beside a bare Flask + Jinja page of the same size (issue 14
item 6). Prints figures; asserts nothing (DESIGN §5: budgets are measured, never asserted).

For each database (SQLite in a temporary folder; PostgreSQL with --postgresql), a fresh
installation with the demo family and 36 goals more (40 in all) is served by `make serve`'s own
gunicorn settings (production, WEB_CONCURRENCY workers, default 2), and so is bench/bare.py
with a page of as many bytes as Sandra's plan page. Then:

- requests per second of each, CLIENTS keep-alive connections for SECONDS each, without
  compression on either side (the same work on the wire), and the ratio: measured in turns,
  in ROUNDS rounds (the median), as the speed of a shared machine drifts;
- the plan page at one client: p50 and p95;
- the plan page's size: plain, gzip and brotli as served;
- the live plan's poll answered 304 (nothing changed): p50 and p95;
- the SQL statements of one plan page view (bench/pages.py has the full table).

    .venv/bin/python bench/serving.py [--postgresql] [--seconds 10] [--clients 4]
"""
from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ARGON2_TIME_COST", "1")
os.environ.setdefault("ARGON2_MEMORY_KIB", "1024")

import requests  # noqa: E402

from bench.pages import migrate, postgresql_database  # noqa: E402
from tests.support.builders import add_goals, page_statements  # noqa: E402
from tests.support.apps import make_app  # noqa: E402
from tests.support.clients import log_in_directly  # noqa: E402
from tests.support.people import DEMO_PASSWORD, SANDRA  # noqa: E402
from tests.support.servers import csrf, free_port  # noqa: E402

GUNICORN = str(Path(sys.executable).parent / "gunicorn")


def prepare(url: str) -> None:
    migrate(url)
    app = make_app(url)
    with app.app_context():
        from samenplan import db
        from samenplan.demo import seed_demo

        seed_demo(db.session())
    add_goals(app, 36)
    app.extensions["samenplan.engine"].dispose()


def statements_of_plan(url: str) -> int:
    app = make_app(url)
    client = log_in_directly(app.test_client(), SANDRA)
    family_id = demo_family_id(app)
    statements, _html = page_statements(app, client, f"/gezin/{family_id}")
    app.extensions["samenplan.engine"].dispose()
    return len(statements)


def demo_family_id(app) -> int:
    from sqlalchemy import select

    from samenplan import db
    from samenplan.demo import DEMO_FAMILY
    from samenplan.families.models import Family

    with app.app_context():
        return db.session().scalar(select(Family.id).where(Family.name == DEMO_FAMILY))


@contextmanager
def gunicorn(app_spec: str, env: dict[str, str], log: Path):
    port = free_port()
    full = {**os.environ, **env, "PORT": str(port), "SAMENPLAN_ENV": "production",
            "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "2")}
    with log.open("w") as output:
        process = subprocess.Popen(
            [GUNICORN, "-c", str(ROOT / "samenplan" / "gunicorn_conf.py"), "--chdir", str(ROOT),
             app_spec], env=full, stdout=output, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    requests.get(base + "/", timeout=5)
                    break
                except requests.RequestException:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit(f"{app_spec} did not start:\n{log.read_text()}")
                    time.sleep(0.2)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=30)


ROUNDS = 5


@contextmanager
def _bare_beside(logs: Path):
    """The bare page's server, started once the plan page's size is known: `bare(size)`
    starts it (the first time) and gives its address."""
    with ExitStack() as stack:
        started: dict[int, str] = {}

        def bare(size: int) -> str:
            if size not in started:
                started[size] = stack.enter_context(gunicorn(
                    "bench.bare:create_app()", {"BARE_SIZE": str(size)}, logs / "bare.log"))
            return started[size]

        yield bare


def log_in(base: str) -> requests.Session:
    browser = requests.Session()
    form = browser.get(f"{base}/login").text
    answer = browser.post(f"{base}/login", data={
        "email": SANDRA, "password": DEMO_PASSWORD, "csrf_token": csrf(form)},
        allow_redirects=False)
    assert answer.status_code == 302, answer.status_code
    return browser


def _hammer(job) -> tuple[int, int]:
    """One client: a keep-alive connection asking `path` until `seconds` have passed."""
    base, path, headers, seconds = job
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    done = errors = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        if response.status == 200:
            done += 1
        else:
            errors += 1
    connection.close()
    return done, errors


def throughput(base: str, path: str, headers: dict, seconds: float, clients: int) -> float:
    _hammer((base, path, headers, min(2.0, seconds)))  # warm up: every worker's first request
    with multiprocessing.Pool(clients) as pool:
        results = pool.map(_hammer, [(base, path, headers, seconds)] * clients)
    done = sum(r[0] for r in results)
    errors = sum(r[1] for r in results)
    if errors:
        print(f"  ! {errors} answers were not 200")
    return done / seconds


def latencies(session: requests.Session, url: str, n: int, headers=None,
              expect: int = 200) -> tuple[float, float]:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        answer = session.get(url, headers=headers or {})
        times.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == expect, (url, answer.status_code)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def cookie_header(session: requests.Session) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


def measure(url: str, seconds: float, clients: int) -> None:
    prepare(url)
    dialect = "postgresql" if url.startswith("postgresql") else "sqlite"
    statements = statements_of_plan(url)
    logs = Path(tempfile.mkdtemp(prefix="samenplan-bench-"))
    env = {"DATABASE_URL": url, "SECRET_KEY": "bench", "PUBLIC_URL": "http://127.0.0.1",
           "SESSION_COOKIE_SECURE": "0", "LOGIN_RATE_LIMIT": "1000 per minute",
           "MAIL_OUTBOX": str(logs / "outbox")}
    with gunicorn("samenplan:create_app()", env, logs / "samenplan.log") as base, \
            _bare_beside(logs) as bare:
        sandra = log_in(base)
        family_id = re.search(r'href="/gezin/(\d+)"', sandra.get(f"{base}/").text).group(1)
        plan_path = f"/gezin/{family_id}"
        plain = sandra.get(base + plan_path, headers={"Accept-Encoding": "identity"})
        size = len(plain.content)
        sizes = {}
        for encoding in ("gzip", "br"):
            answer = sandra.get(base + plan_path, headers={"Accept-Encoding": encoding}, stream=True)
            sizes[encoding] = len(answer.raw.read(decode_content=False))
        headers = {"Cookie": cookie_header(sandra), "Accept-Encoding": "identity"}
        bare_url = bare(size)
        # in turns, ROUNDS times: a machine whose speed drifts from minute to minute (a shared
        # host) slows both alike; the ratio is the median of the rounds'
        rounds = []
        for _ in range(ROUNDS):
            plan = throughput(base, plan_path, headers, seconds / ROUNDS, clients)
            bare_rps = throughput(bare_url, "/", {"Accept-Encoding": "identity"},
                                  seconds / ROUNDS, clients)
            rounds.append((plan, bare_rps))
        plan_rps = statistics.median(p for p, _b in rounds)
        bare_rps = statistics.median(b for _p, b in rounds)
        ratio = statistics.median(p / b for p, b in rounds)
        p50, p95 = latencies(sandra, base + plan_path, 50, {"Accept-Encoding": "br"})
        poll = re.search(r'id="plan-veranderd"[^>]*hx-get="([^"]+)"', plain.text).group(1)
        poll = base + poll.replace("&amp;", "&")
        first = sandra.get(poll, headers={"HX-Request": "true"})
        poll50, poll95 = latencies(sandra, poll, 200, {"HX-Request": "true",
                                                        "If-None-Match": first.headers["ETag"]},
                                   expect=304)

    print(f"\n{dialect}: plan page of 40 goals (Sandra), gunicorn with "
          f"{os.environ.get('WEB_CONCURRENCY', '2')} workers, {clients} clients, {seconds:g} s")
    print(f"  plan page          {plan_rps:8.1f} requests/s")
    print(f"  bare page, {size // 1000} kB  {bare_rps:8.1f} requests/s")
    print(f"  ratio              {100 * ratio:8.1f} %   (median of {ROUNDS} rounds in turns: "
          + ", ".join(f"{100 * p / b:.1f}" for p, b in rounds) + ")")
    print(f"  one client         p50 {p50:.1f} ms, p95 {p95:.1f} ms (brotli)")
    print(f"  size               {size / 1000:.1f} kB plain, {sizes['gzip'] / 1000:.1f} kB gzip, "
          f"{sizes['br'] / 1000:.1f} kB brotli")
    print(f"  poll, unchanged    304 in p50 {poll50:.1f} ms, p95 {poll95:.1f} ms")
    print(f"  SQL statements     {statements} per plan page view")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgresql", action="store_true")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        measure(f"sqlite:///{folder}/bench.sqlite3", args.seconds, args.clients)
    if args.postgresql:
        with postgresql_database("samenplan_bench") as url:
            measure(url, args.seconds, args.clients)


if __name__ == "__main__":
    main()
