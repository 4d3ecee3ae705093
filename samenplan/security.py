"""Response headers and the one place user text becomes rich HTML."""
from __future__ import annotations

from functools import lru_cache

import bleach
from flask import Flask
from markupsafe import Markup

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
])

ALLOWED_TAGS = ["p", "br", "strong", "em", "ul", "ol", "li", "a"]
ALLOWED_ATTRIBUTES = {"a": ["href", "title"]}
ALLOWED_PROTOCOLS = ["https", "mailto", "tel"]


def rich_text(value: str | None) -> Markup:
    """User text that may carry a little markup (paragraphs, lists, links): cleaned by bleach.
    Plain newlines become line breaks."""
    if not value:
        return Markup("")
    return Markup(_cleaned(value))  # noqa: S704 - bleach-cleaned


@lru_cache(maxsize=1024)
def _cleaned(value: str) -> str:
    """`value` cleaned, linkified and with its line breaks: the same text always gives the
    same HTML, so a text shown on every page view is cleaned once (bleach parses the whole
    text as an HTML document: a milliseconds' job, issue 14). Keyed by the text itself: only
    who hands in a text gets its cleaned form back."""
    cleaned = bleach.clean(
        value, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, protocols=ALLOWED_PROTOCOLS,
        strip=True,
    )
    cleaned = bleach.linkify(cleaned, callbacks=[_safe_link], parse_email=False)
    return cleaned.replace("\n", "<br>\n")


def _safe_link(attrs, new=False):
    attrs[(None, "rel")] = "noopener noreferrer nofollow"
    return attrs


def init_app(app: Flask) -> None:
    app.jinja_env.filters["rich_text"] = rich_text

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if response.mimetype == "text/html":
            # personal data: never in a shared cache, never in the back-forward cache
            response.headers.setdefault("Cache-Control", "no-store")
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        response.headers["Vary"] = ", ".join(
            filter(None, [response.headers.get("Vary"), "HX-Request"])
        )
        return response
