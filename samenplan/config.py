"""Settings, read from the environment (12-factor). See the README for the table."""
from __future__ import annotations

import os
from pathlib import Path


class ConfigError(RuntimeError):
    pass


class PublicURLMissing(ConfigError):
    """A link for an e-mail was asked for, but nothing safe says where samenplan lives: no
    PUBLIC_URL, no TRUSTED_HOSTS naming the request's host, no SERVER_NAME."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load_settings(instance_path: str, overrides: dict | None = None) -> dict:
    env = os.environ
    overrides = overrides or {}
    environment = overrides.get("SAMENPLAN_ENV", env.get("SAMENPLAN_ENV", "development"))
    production = environment == "production"
    developing = not production and (
        _bool(env.get("FLASK_DEBUG")) or bool(overrides.get("TESTING")) or bool(overrides.get("DEBUG"))
    )

    secret_key = overrides.get("SECRET_KEY", env.get("SECRET_KEY"))
    if not secret_key:
        if production:
            raise ConfigError("SECRET_KEY must be set when SAMENPLAN_ENV=production")
        secret_key = _development_secret(instance_path)

    public_url = overrides.get("PUBLIC_URL", env.get("PUBLIC_URL", ""))
    if production and not public_url:
        raise ConfigError("PUBLIC_URL must be set when SAMENPLAN_ENV=production (links in e-mail)")
    if public_url and not public_url.startswith(("http://", "https://")):
        raise ConfigError(f"PUBLIC_URL must start with http:// or https://, not {public_url!r}")

    default_db = "sqlite:///" + str(Path(instance_path) / "samenplan.sqlite3")
    settings = {
        "SAMENPLAN_ENV": environment,
        "SECRET_KEY": secret_key,
        "DATABASE_URL": env.get("DATABASE_URL", default_db),
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        # the rate limits' keys in a shared store (Redis): one prefix per installation
        "RATELIMIT_KEY_PREFIX": env.get("RATELIMIT_KEY_PREFIX", "samenplan"),
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # secure unless explicitly off, or while developing / testing over plain http
        "SESSION_COOKIE_SECURE": _bool(env.get("SESSION_COOKIE_SECURE"), default=not developing),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _bool(env.get("SESSION_COOKIE_SECURE"), default=not developing),
        "PERMANENT_SESSION_LIFETIME": int(env.get("SESSION_LIFETIME_SECONDS", str(8 * 3600))),
        "WTF_CSRF_TIME_LIMIT": None,  # tied to the session instead of a clock
        "BABEL_DEFAULT_LOCALE": "nl",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Amsterdam",
        "IDLE_TIMEOUT_PROFESSIONAL": int(env.get("IDLE_TIMEOUT_PROFESSIONAL", "1800")),
        "IDLE_TIMEOUT_FAMILY": int(env.get("IDLE_TIMEOUT_FAMILY", str(12 * 3600))),
        "EMERGENCY_ACCESS_HOURS": int(env.get("EMERGENCY_ACCESS_HOURS", "24")),
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "MAIL_FROM": env.get("MAIL_FROM", "samenplan <no-reply@samenplan.invalid>"),
        "MAIL_OUTBOX": env.get("MAIL_OUTBOX", str(Path(instance_path) / "outbox")),
        "SMTP_HOST": env.get("SMTP_HOST", ""),
        "SMTP_PORT": int(env.get("SMTP_PORT", "587")),
        "SMTP_USERNAME": env.get("SMTP_USERNAME", ""),
        "SMTP_PASSWORD": env.get("SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": _bool(env.get("SMTP_STARTTLS"), default=True),
        "SMTP_CA_FILE": env.get("SMTP_CA_FILE", ""),
        "PUBLIC_URL": public_url,
        # Host headers accepted (comma separated); others get 400. Empty: any (development).
        "TRUSTED_HOSTS": [h.strip() for h in env.get("TRUSTED_HOSTS", "").split(",") if h.strip()] or None,
        # how many proxies in front of the app set X-Forwarded-For/-Proto (0: none)
        "TRUSTED_PROXIES": int(env.get("TRUSTED_PROXIES", "0")),
        # one JSON line per request, without personal data (samenplan/serving.py)
        "REQUEST_LOG": _bool(env.get("REQUEST_LOG"), default=production),
    }
    settings.update(overrides)
    return settings


def _development_secret(instance_path: str) -> str:
    """A random key kept in instance/ so development sessions survive restarts."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = os.urandom(32).hex()
    path.write_text(key)
    path.chmod(0o600)
    return key
