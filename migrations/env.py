"""Alembic environment: the database is whatever DATABASE_URL says (default: the
SQLite file in instance/, as the app uses). A caller may pass a connection in
config.attributes["connection"] (the tests do)."""
from __future__ import annotations

import os
from pathlib import Path

from alembic import context

from samenplan.db import make_engine
from samenplan.models import Base

config = context.config
target_metadata = Base.metadata


def database_url() -> str:
    url = config.get_main_option("sqlalchemy.url") or os.environ.get("DATABASE_URL")
    if url:
        return url
    instance = Path(__file__).resolve().parent.parent / "instance"
    instance.mkdir(exist_ok=True)
    return "sqlite:///" + str(instance / "samenplan.sqlite3")


def run_migrations_offline() -> None:
    context.configure(
        url=database_url(), target_metadata=target_metadata, literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_with(connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # batch migrations copy and drop tables; SQLite would refuse (or cascade) while other
        # tables point at them. The pragma only works outside a transaction.
        connection.commit() if connection.in_transaction() else None
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    if sqlite:
        connection.commit() if connection.in_transaction() else None
        broken = connection.connection.driver_connection.execute("PRAGMA foreign_key_check").fetchall()
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")
        if broken:
            raise RuntimeError(f"foreign keys broken by the migration: {broken[:5]}")


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_with(connection)
        return
    engine = make_engine(database_url())
    with engine.connect() as conn:
        run_with(conn)
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
