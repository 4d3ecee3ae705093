"""Shared fixtures. The schema is always built by the Alembic migrations.

Integration tests run on SQLite and on PostgreSQL (`backend` is parametrised). The PostgreSQL
run makes and drops its own database; without a server it is skipped with the reason printed,
except when CI=true: then it fails.
"""
from __future__ import annotations

import copy
import os
import threading
import uuid
from datetime import date
from pathlib import Path

import pytest

# cheap password hashing for the many test logins (set before samenplan is imported)
os.environ.setdefault("ARGON2_TIME_COST", "1")
os.environ.setdefault("ARGON2_MEMORY_KIB", "1024")

from alembic import command  # noqa: E402
from alembic.config import Config
from sqlalchemy import create_engine, text  # noqa: E402

from samenplan import create_app  # noqa: E402
from samenplan.db import Base, make_engine  # noqa: E402
from tests.support.apps import make_app  # noqa: E402
# the login helpers live in tests/support; here too, for the files that import them from here
from tests.support.clients import CSRF_RE, csrf_token, login, pass_second_factor  # noqa: E402, F401
from tests.support.people import DEMO_PASSWORD, DEMO_TOTP_SECRET  # noqa: E402, F401

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
IN_CI = os.environ.get("CI", "").lower() == "true"


def alembic_upgrade(url: str) -> None:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, "head")


def _postgres_available() -> str | None:
    try:
        engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means: no server
        return f"no PostgreSQL at {PG_ADMIN_URL}: {exc.__class__.__name__}"


#: this process's databases, by backend, made the first time a test asks for one and dropped
#: when the session ends. pytest finishes a parametrised session fixture whenever the next test
#: wants the other parameter; the test order of a distributed run (tests/support/ordering.py)
#: mixes both backends, so the fixture hands out the same database again instead of making
#: (and migrating, and seeding) a new one each time.
_DATABASES: dict[str, str] = {}
_NO_POSTGRES: list[str] = []  # the reason, once it is known that there is no server


def _make_database(backend: str, config, tmp_path_factory) -> str:
    if backend == "sqlite":
        path = tmp_path_factory.mktemp("db") / "test.sqlite3"
        url = f"sqlite:///{path}"
        alembic_upgrade(url)
        return url
    name = f"samenplan_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"
            ), {"n": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()

    config.add_cleanup(drop)
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    alembic_upgrade(url)
    return url


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory):
    """A fresh, migrated database per backend for the whole test session (one per xdist
    worker), made on first use and dropped at the end of the session."""
    backend = request.param
    if backend == "postgresql":
        if not _NO_POSTGRES and backend not in _DATABASES:
            reason = _postgres_available()
            if reason:
                _NO_POSTGRES.append(reason)
        if _NO_POSTGRES:
            if IN_CI:
                pytest.fail(f"PostgreSQL is mandatory in CI: {_NO_POSTGRES[0]}")
            pytest.skip(_NO_POSTGRES[0])
    if backend not in _DATABASES:
        _DATABASES[backend] = _make_database(backend, request.config, tmp_path_factory)
    return _DATABASES[backend]


def reset_database(url: str) -> None:
    """Empty every table (keeping the schema): the audit chains start again with each family."""
    engine = make_engine(url)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())
            conn.execute(text("DELETE FROM sqlite_sequence")) if conn.execute(
                text("SELECT name FROM sqlite_master WHERE name='sqlite_sequence'")
            ).first() else None
    engine.dispose()


_DEMO_SNAPSHOTS: dict[tuple[str, date], dict[str, list[dict]]] = {}


def restore_demo(url: str) -> None:
    """Put the database in the state `seed-demo` leaves it in. The first time per database (and
    per day: the demo's dates are counted from today) the real seed runs and every row is kept
    in memory; after that the rows are written back, which is many times faster than seeding
    (the seed has hundreds of joined-table records)."""
    key = (url, date.today())
    snapshot = _DEMO_SNAPSHOTS.get(key)
    if snapshot is None:
        reset_database(url)
        seeding = create_app({"DATABASE_URL": url, "TESTING": True, "SECRET_KEY": "seed"})
        with seeding.app_context():
            from samenplan import db
            from samenplan.demo import seed_demo

            seed_demo(db.session(), closed_family=False)
        seeding.extensions["samenplan.engine"].dispose()
        engine = make_engine(url)
        with engine.connect() as conn:
            _DEMO_SNAPSHOTS[key] = {
                table.name: [dict(row._mapping) for row in conn.execute(table.select())]
                for table in Base.metadata.sorted_tables
            }
        engine.dispose()
        return
    engine = _restore_engine(url)
    with engine.begin() as conn:
        # DELETE, children first, on both databases: on PostgreSQL a TRUNCATE of every table
        # costs about a second (new files for each table), a DELETE of the demo's rows a few ms
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
        for table in Base.metadata.sorted_tables:
            rows = snapshot[table.name]
            if "id" in table.c:  # a record hangs under an older one: parents first
                rows = sorted(rows, key=lambda row: row["id"])
            if rows:
                conn.execute(table.insert(), rows)
        if engine.dialect.name == "postgresql":  # each id sequence on as after the seed
            counters = [
                f"setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM \"{table.name}\"), 0) + 1, false)"
                for table in Base.metadata.sorted_tables if _has_id_sequence(table)
            ]
            if counters:
                conn.execute(text("SELECT " + ", ".join(counters)))


_RESTORE_ENGINES: dict[str, object] = {}


def _restore_engine(url: str):
    """One engine per database for `restore_demo` (a new one each time costs a new connection);
    disposed at the end of the session (`pytest_unconfigure`)."""
    engine = _RESTORE_ENGINES.get(url)
    if engine is None:
        engine = _RESTORE_ENGINES[url] = make_engine(url)
    return engine


def pytest_unconfigure(config):
    for engine in _RESTORE_ENGINES.values():
        engine.dispose()
    _RESTORE_ENGINES.clear()


def _has_id_sequence(table) -> bool:
    column = table.c.get("id")
    return (
        column is not None and column.primary_key and column.autoincrement is not False
        and not column.foreign_keys
    )


_SESSION_APPS: dict[str, object] = {}


@pytest.fixture(scope="session")
def session_app(request, database_url):
    """One app per backend for the whole session (one per test costs its templates compiled
    again and a new connection pool each time). Tests get it through `app`. Kept, like its
    database, when the other backend's tests come in between; disposed at the end."""
    app = _SESSION_APPS.get(database_url)
    if app is None:
        app = _SESSION_APPS[database_url] = make_app(database_url)
        request.config.add_cleanup(app.extensions["samenplan.engine"].dispose)
    return app


@pytest.fixture
def app(session_app, database_url):
    """An app on a database holding only the demo family, as seed-demo leaves it, with no
    rate limits counted yet. What a test changes in its settings is put back after it."""
    from samenplan.extensions import limiter

    restore_demo(database_url)
    settings = copy.deepcopy(dict(session_app.config))
    wsgi_app = session_app.wsgi_app
    limiter.reset()
    yield session_app
    # mail sent after the answer goes out with this test's settings, not the next test's
    for thread in threading.enumerate():
        if thread.name == "samenplan-mail":
            thread.join(timeout=30)
    session_app.config.clear()
    session_app.config.update(settings)
    session_app.wsgi_app = wsgi_app
    limiter.reset()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def no_csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = False
    return app


@pytest.fixture
def demo(app):
    """Ids of the demo family, by name: demo.family_id, demo.goals[n], demo.participants[email]."""
    from sqlalchemy import select

    from samenplan import db
    from samenplan.demo import DEMO_FAMILY
    from samenplan.families.models import Family, Participant, Person
    from samenplan.goals.models import Goal

    class Demo:
        pass

    with app.app_context():
        session = db.session()
        family = session.scalar(select(Family).where(Family.name == DEMO_FAMILY))
        d = Demo()
        d.family_id = family.id
        goals = session.scalars(
            select(Goal).where(Goal.family_id == family.id, Goal.parent_id.is_(None))
            .order_by(Goal.priority)
        ).all()
        d.goals = {g.priority: g.id for g in goals}
        d.goal_titles = {g.priority: g.title for g in goals}
        d.participants = {
            p.user.email: p.id for p in session.scalars(
                select(Participant).where(Participant.family_id == family.id)).all()
        }
        d.persons = {p.first_name: p.id for p in session.scalars(
            select(Person).where(Person.family_id == family.id)).all()}
    return d


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config, items):
    """In a `--dist worksteal` run (make test), deal the tests out so that the workers finish
    together: tests/support/ordering.py. After every other plugin's ordering and deselection."""
    result = yield
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None and workerinput.get("samenplan_dist") == "worksteal":
        from tests.support.ordering import distribute

        items[:] = distribute(items, int(workerinput["workercount"]))
    return result


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """(pytest-xdist, in the controller) Tell each worker how the run is distributed: a worker's
    own `--dist` option always reads "no"."""
    node.workerinput["samenplan_dist"] = node.config.getoption("dist")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """In CI nothing may skip: a skipped PostgreSQL or browser test is a failed run."""
    skipped = terminalreporter.stats.get("skipped", [])
    if IN_CI and skipped:
        terminalreporter.write_line(
            f"CI=true: {len(skipped)} test(s) skipped; nothing may skip in CI.", red=True
        )


def pytest_sessionfinish(session, exitstatus):
    if IN_CI and session.config.pluginmanager.get_plugin("terminalreporter"):
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter.stats.get("skipped") and exitstatus == 0:
            session.exitstatus = 1
