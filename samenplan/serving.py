"""Serving in production: compressed responses, static files under versioned names, a health
check for the load balancer, and request logs that hold no personal data.

- **Compression** (Flask-Compress): brotli, else gzip, for HTML, CSS, JS, SVG and JSON of 500
  bytes or more. A strong ETag gets the encoding appended (`"abc:br"`); `etag_of` gives back the
  validator the view itself made, so a view that compares `If-None-Match` (the live plan's poll)
  still answers 304.
- **Versioned static files**: `url_for('static', filename='css/samenplan.css')` gives
  `/static/css/samenplan.<hash>.css`, the hash being the first 12 hex digits of the file's SHA-256.
  That name is served with `Cache-Control: public, max-age=31536000, immutable`: a changed file
  has a new name, so a browser never asks again. The plain name still works (for a page someone
  kept open across a release) but is `no-cache`; a versioned name with another file's hash is 404,
  so an old name never serves new content under an immutable header.
- **`/healthz`**: 200 when the database answers `SELECT 1`, else 503; no login, no session, no
  rate limit, not logged.
- **Request logs**: one JSON line per request on the `samenplan.request` logger, with the route's
  pattern (`/gezin/<int:family_id>`, never the ids, the query string or the path itself), the
  method, the status, the size and the time taken. No user, no address, no header: nothing that
  says who asked about which family.
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from pathlib import Path

from flask import Flask, Response, abort, current_app, g, request, send_from_directory
from flask_compress import Compress
from sqlalchemy import text

from samenplan import db

YEAR = 365 * 24 * 3600
_HASH_LENGTH = 12
_VERSIONED = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{%d})(?P<suffix>\.[A-Za-z0-9]+)$" % _HASH_LENGTH)
_ENCODINGS = (":br", ":gzip", ":zstd", ":deflate")

compress = Compress()
request_log = logging.getLogger("samenplan.request")


def etag_of(header_value: str) -> str:
    """The ETag a view made, from an `If-None-Match` value as the browser sends it back (the
    quotes and the encoding that compression appended taken off)."""
    value = header_value.strip()
    if value.startswith("W/"):
        value = value[2:]
    value = value.strip('"')
    for suffix in _ENCODINGS:
        if value.endswith(suffix):
            return value[: -len(suffix)]
    return value


class StaticVersions:
    """The content hash of each static file, read once per file and again when it changes on
    disk (during development), so a release never needs a build step to rename files."""

    def __init__(self, folder: str):
        self.folder = Path(folder)
        self._known: dict[str, tuple[float, int, str]] = {}

    def digest(self, filename: str) -> str | None:
        path = self.folder / filename
        try:
            path.resolve().relative_to(self.folder.resolve())
            stat = path.stat()
        except (OSError, ValueError):
            return None
        if not path.is_file():
            return None
        known = self._known.get(filename)
        if known and known[:2] == (stat.st_mtime, stat.st_size):
            return known[2]
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:_HASH_LENGTH]
        self._known[filename] = (stat.st_mtime, stat.st_size, digest)
        return digest

    def versioned(self, filename: str) -> str:
        """`css/samenplan.css` → `css/samenplan.<hash>.css` (unchanged when there is no such
        file, or it has no suffix)."""
        digest = self.digest(filename)
        stem, dot, suffix = filename.rpartition(".")
        if digest is None or not dot or "/" in suffix:
            return filename
        return f"{stem}.{digest}.{suffix}"

    def resolve(self, requested: str) -> tuple[str, bool] | None:
        """The file a requested name stands for, and whether it was asked for by its versioned
        name; None for a versioned name whose hash is not the file's."""
        if self.digest(requested) is not None:
            return requested, False
        match = _VERSIONED.match(requested)
        if not match:
            return None
        plain = match["stem"] + match["suffix"]
        if self.digest(plain) != match["digest"]:
            return None
        return plain, True


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_MIMETYPES", [
        "text/html", "text/css", "text/plain", "text/javascript", "application/javascript",
        "application/json", "image/svg+xml",
    ])
    app.config.setdefault("COMPRESS_MIN_SIZE", 500)
    _request_logs(app)  # after-request hooks run last-registered first: it sees the sent size
    compress.init_app(app)
    _versioned_static(app)
    _health_check(app)


def _versioned_static(app: Flask) -> None:
    versions = StaticVersions(app.static_folder)
    app.extensions["samenplan.static_versions"] = versions

    @app.url_defaults
    def _version_static_names(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values:
            values["filename"] = versions.versioned(values["filename"])

    def static(filename: str) -> Response:
        found = versions.resolve(filename)
        if found is None:
            abort(404)
        plain, versioned = found
        response = send_from_directory(app.static_folder, plain, max_age=YEAR if versioned else None)
        if versioned:
            response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
        else:
            response.headers["Cache-Control"] = "no-cache"
        return response

    app.view_functions["static"] = static


def _health_check(app: Flask) -> None:
    @app.get("/healthz")
    def healthz():
        try:
            db.session().execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - any failure of the database is "not healthy"
            current_app.logger.exception("health check: the database does not answer")
            return _plain({"status": "database unavailable"}, 503)
        return _plain({"status": "ok"}, 200)

    healthz.not_activity = True  # an idle session does not count it as activity
    healthz.no_request_log = True
    from samenplan.extensions import limiter

    limiter.exempt(healthz)


def _plain(body: dict, status: int) -> Response:
    response = Response(json.dumps(body), status=status, mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response


def _request_logs(app: Flask) -> None:
    if not app.config.get("REQUEST_LOG"):
        return
    request_log.setLevel(logging.INFO)
    if not request_log.handlers:  # gunicorn's error log (stderr), whatever the root logger says
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        request_log.addHandler(handler)
        request_log.propagate = False

    @app.before_request
    def _start_clock() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def _log_request(response: Response) -> Response:
        view = app.view_functions.get(request.endpoint) if request.endpoint else None
        if getattr(view, "no_request_log", False):
            return response
        started = g.get("request_started")
        request_log.info(json.dumps({
            "method": request.method,
            "route": request.url_rule.rule if request.url_rule else None,
            "endpoint": request.endpoint,
            "status": response.status_code,
            "bytes": response.content_length,
            "ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
            "htmx": request.headers.get("HX-Request") == "true",
        }, separators=(",", ":")))
        return response
