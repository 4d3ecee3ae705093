"""A new installation (DESIGN.md §5, README "Een nieuwe installatie"): an empty PostgreSQL
database built with `alembic upgrade head`, the app in production mode, and the first
administrator made with `flask admin create` - each a real subprocess, as an operator runs
them. Without mail the one-time link is printed; with SMTP it is mailed (over STARTTLS, on
PUBLIC_URL) and never printed. The demo is refused, the audit chain verifies, and the link
opens the page to choose a password. The throwaway database is dropped afterwards.

PostgreSQL only (production runs on it): skipped without a server, except in CI."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import create_engine, select, text

from tests.conftest import IN_CI, PG_ADMIN_URL, _postgres_available
from tests.integration.test_mail_and_invitations import (  # noqa: F401 - fixtures
    mailbox, only_mail_to, smtp_server, text_part,
)

ROOT = Path(__file__).resolve().parents[2]
PUBLIC_URL = "https://samenplan.voorbeeld.nl"
LINK_RE = re.compile(r"https://samenplan\.voorbeeld\.nl/welkom/[A-Za-z0-9_\-]+")


@pytest.fixture
def empty_postgresql():
    """A database of its own, with nothing in it (not even the schema); dropped afterwards."""
    reason = _postgres_available()
    if reason:
        if IN_CI:
            pytest.fail(f"PostgreSQL is mandatory in CI: {reason}")
        pytest.skip(reason)
    name = f"samenplan_new_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                         {"n": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def production_env(url: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a production server: nothing of the test run's own settings."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SAMENPLAN_", "SMTP_", "FLASK_", "MAIL_")) and k not in (
               "DATABASE_URL", "PUBLIC_URL", "SECRET_KEY", "TRUSTED_HOSTS")}
    env.update(SAMENPLAN_ENV="production", DATABASE_URL=url, SECRET_KEY=uuid.uuid4().hex * 2,
               PUBLIC_URL=PUBLIC_URL, MAIL_OUTBOX=str(tmp_path / "outbox"), **extra)
    return env


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=180)


def flask(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return run(env, "flask", "--app", "samenplan", *args)


def migrate(env: dict[str, str]) -> None:
    done = run(env, "alembic", "-c", str(ROOT / "alembic.ini"), "upgrade", "head")
    assert done.returncode == 0, done.stderr


def stored(url: str):
    """What the database holds after the commands: users, unused links, audit events."""
    from samenplan.auth.models import LoginToken, User
    from samenplan.db import make_engine
    from samenplan.privacy.models import AuditEvent

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            users = conn.execute(select(User.email, User.name, User.is_admin, User.password_hash)
                                 .order_by(User.id)).all()
            links = conn.execute(select(LoginToken.token_hash, LoginToken.purpose, User.email)
                                 .join(User, User.id == LoginToken.user_id)
                                 .where(LoginToken.used_at.is_(None))).all()
            events = conn.execute(select(AuditEvent.action, AuditEvent.family_id)
                                  .order_by(AuditEvent.seq)).all()
            families = conn.execute(text("SELECT count(*) FROM family")).scalar()
    finally:
        engine.dispose()
    return users, links, events, families


def test_postgresql_new_installation_admin_create_prints_the_link_without_mail(empty_postgresql, tmp_path):
    from samenplan.tokens import hash_token

    url = empty_postgresql
    env = production_env(url, tmp_path)
    migrate(env)
    refused = flask(env, "seed-demo")
    assert refused.returncode != 0 and "refuses to run when SAMENPLAN_ENV=production" in refused.stderr

    made = flask(env, "admin", "create", "anna@voorbeeld.nl", "--name", "Anna de Vries")
    assert made.returncode == 0, made.stderr
    assert "Administrator Anna de Vries <anna@voorbeeld.nl> created." in made.stdout
    assert "No mail is configured (SMTP_HOST)" in made.stdout
    links = LINK_RE.findall(made.stdout)
    assert len(links) == 1, made.stdout  # on PUBLIC_URL, once
    assert not (tmp_path / "outbox").exists() or not any((tmp_path / "outbox").iterdir()), \
        "printed for the operator, not written to the outbox"

    users, unused, events, families = stored(url)
    assert users == [("anna@voorbeeld.nl", "Anna de Vries", True, None)], "no password until she chooses one"
    token = urlsplit(links[0]).path.rsplit("/", 1)[-1]
    assert unused == [(hash_token(token), "welcome", "anna@voorbeeld.nl")], "the printed link is the one stored"
    assert events == [("admin_create", None)] and families == 0, "no demo, nothing else"

    verified = flask(env, "audit", "verify")
    assert verified.returncode == 0 and "Audit log intact: 1 events checked." in verified.stdout, verified.stderr
    again = flask(env, "admin", "create", "bert@voorbeeld.nl", "--name", "Bert Bos")
    assert again.returncode != 0 and "there is an administrator already (anna@voorbeeld.nl)" in again.stderr

    # the link opens the page to choose a password (an app on the same database)
    from tests.support.apps import make_app

    app = make_app(url)
    try:
        opened = app.test_client().get(urlsplit(links[0]).path)
        assert opened.status_code == 200 and "wachtwoord" in opened.get_data(as_text=True).lower()
    finally:
        app.extensions["samenplan.engine"].dispose()


def test_postgresql_new_installation_admin_create_mails_the_link(empty_postgresql, tmp_path, smtp_server,
                                                                 mailbox):
    url = empty_postgresql
    env = production_env(url, tmp_path, SMTP_HOST=smtp_server.host, SMTP_PORT=str(smtp_server.port),
                         SMTP_STARTTLS="true", SMTP_CA_FILE=smtp_server.ca_file,
                         MAIL_FROM="samenplan <no-reply@samenplan.voorbeeld.nl>")
    migrate(env)
    made = flask(env, "admin", "create", "anna@voorbeeld.nl", "--name", "Anna de Vries")
    assert made.returncode == 0, made.stderr
    assert "A mail with a link to choose a password went to anna@voorbeeld.nl" in made.stdout
    assert "/welkom/" not in made.stdout + made.stderr, "mailed, never printed"
    received = only_mail_to(mailbox, "anna@voorbeeld.nl")
    body = text_part(received)
    assert received.message["Subject"] == "Welkom bij samenplan"
    assert "Je bent nu beheerder van samenplan." in body
    assert len(LINK_RE.findall(body)) == 1, body
    users, unused, _events, _families = stored(url)
    assert [(u.email, u.is_admin) for u in users] == [("anna@voorbeeld.nl", True)]
    assert len(unused) == 1


def test_seed_demo_works_where_only_the_public_host_is_trusted(tmp_path):
    """A server that answers only the Host names of TRUSTED_HOSTS and mails links on PUBLIC_URL:
    seeding the demo with those settings in the environment (the administrator's welcome link
    is built outside any request) works, and the link is on PUBLIC_URL."""
    url = f"sqlite:///{tmp_path / 'dev.sqlite3'}"
    env = production_env(url, tmp_path, TRUSTED_HOSTS="samenplan.voorbeeld.nl")
    env["SAMENPLAN_ENV"] = "development"
    migrate(env)
    seeded = flask(env, "seed-demo")
    assert seeded.returncode == 0, seeded.stderr
    assert "Demo family created." in seeded.stdout
