"""Engine, one session per request (or CLI command), and the declarative Base."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Flask, current_app, g
from sqlalchemy import MetaData, String, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapper, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from samenplan.domain.vocabulary import Vocabulary

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Code(TypeDecorator):
    """A column holding one code of a vocabulary (`samenplan.domain.vocabulary`): stored as its
    text, read back as the enum member. Pair it with ``CheckConstraint(Vocab.check(column))``."""

    impl = String
    cache_ok = True

    def __init__(self, vocabulary: type[Vocabulary], length: int = 30):
        super().__init__(length)
        self.vocabulary = vocabulary

    def process_bind_param(self, value, dialect):
        return None if value is None else self.vocabulary(value).value

    def process_result_value(self, value, dialect):
        return None if value is None else self.vocabulary(value)

    @property
    def python_type(self):
        return self.vocabulary


@event.listens_for(Mapper, "mapper_configured")
def _codes_are_members(mapper: Mapper, class_) -> None:
    """A code set on a record becomes its vocabulary's member at once (an unknown code fails
    there and then), so `goal.status.label` holds before the record is ever saved."""
    for prop in mapper.column_attrs:
        column = prop.columns[0]
        if isinstance(getattr(column, "type", None), Code) and column.table is mapper.local_table:
            vocabulary = column.type.vocabulary
            event.listen(getattr(class_, prop.key), "set",
                         lambda _target, value, _old, _initiator, vocabulary=vocabulary:
                         None if value is None else vocabulary(value),
                         retval=True, propagate=True)


def utcnow() -> datetime:
    """Naive UTC: the one clock every record and every privacy decision uses."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # pragma: no cover - trivial
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["samenplan.engine"] = engine
    app.extensions["samenplan.sessionmaker"] = sessionmaker(bind=engine, expire_on_commit=False)

    @app.after_request
    def _commit_queued_audit(response):
        """Reads never commit on their own: the audit events a request queued (the views it
        showed) are appended once, here, in one transaction."""
        from samenplan.privacy.audit import has_queued

        session = g.get("db_session")
        if session is not None and has_queued(session):
            session.commit()
        return response

    @app.teardown_appcontext
    def _close_session(_exc):
        session = g.pop("db_session", None)
        if session is not None:
            session.close()


def session() -> Session:
    """The session of the current request or CLI command."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["samenplan.sessionmaker"]()
    return g.db_session


def engine() -> Engine:
    return current_app.extensions["samenplan.engine"]
