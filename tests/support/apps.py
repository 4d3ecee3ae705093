"""The settings every test app has, and making one more app with settings of a test's own."""
from __future__ import annotations

TEST_SETTINGS = {
    "TESTING": True,
    "SECRET_KEY": "test-secret",
    "RATELIMIT_STORAGE_URI": "memory://",
    "SERVER_NAME": "samenplan.test",
}


def make_app(database_url: str, **overrides):
    """An app on `database_url`, configured as tests/conftest.py's `app`, with `overrides`.
    Whoever makes it disposes of its engine: app.extensions["samenplan.engine"].dispose()."""
    from samenplan import create_app

    return create_app({**TEST_SETTINGS, "DATABASE_URL": database_url, **overrides})
