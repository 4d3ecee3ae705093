"""samenplan: one family, one plan."""
from __future__ import annotations

import logging
from datetime import date
from functools import lru_cache
from pathlib import Path

from flask import Flask, Response, render_template
from flask.globals import request_ctx
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

from samenplan import db, languages, models, security, serving, templating  # noqa: F401 - models: every mapper known
from samenplan.config import PublicURLMissing, load_settings
from samenplan.extensions import babel, csrf, htmx, limiter, login_manager
from samenplan.ids import IdConverter


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    templating.init_app(app)  # before anything makes the Jinja environment
    # every <int:...> in a route is an id: out of range is 404, never a database error
    app.url_map.converters["int"] = IdConverter
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(load_settings(app.instance_path, overrides))
    app.config["RATELIMIT_STORAGE_URI"] = app.config["RATELIMIT_STORAGE_URI"]
    logging.basicConfig(level=logging.INFO if app.debug else logging.WARNING)

    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    db.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=languages.select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    # "basic": a phone moving from wifi to 4G keeps its login; sessions are server-side anyway
    login_manager.session_protection = "basic"
    security.init_app(app)
    serving.init_app(app)

    from samenplan.auth.views import bp as auth_bp
    from samenplan.families.views import bp as families_bp
    from samenplan.goals.views import bp as goals_bp
    from samenplan.notices.views import bp as notices_bp
    from samenplan.orgs.views import admin_bp, bp as orgs_bp
    from samenplan.plans.analysis_views import bp as analysis_bp
    from samenplan.plans.views import bp as plans_bp
    from samenplan.team.views import bp as team_bp
    from samenplan.privacy.views import bp as privacy_bp
    from samenplan.safety.views import bp as safety_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(languages.bp)
    app.register_blueprint(families_bp)
    app.register_blueprint(plans_bp)
    app.register_blueprint(analysis_bp)
    app.register_blueprint(team_bp)
    app.register_blueprint(goals_bp)
    app.register_blueprint(notices_bp)
    app.register_blueprint(privacy_bp)
    app.register_blueprint(safety_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(orgs_bp)

    from samenplan.network.views import bp as network_bp
    from samenplan.timeline.views import bp as timeline_bp

    app.register_blueprint(network_bp)
    app.register_blueprint(timeline_bp)

    from samenplan.evaluations.views import bp as evaluations_bp

    app.register_blueprint(evaluations_bp)

    from samenplan.escalations.views import bp as escalations_bp

    app.register_blueprint(escalations_bp)

    from samenplan.selfreliance.views import bp as selfreliance_bp
    app.register_blueprint(selfreliance_bp)

    from samenplan.aftercare.views import bp as aftercare_bp
    from samenplan.satisfaction.views import bp as satisfaction_bp
    app.register_blueprint(aftercare_bp)
    app.register_blueprint(satisfaction_bp)
    from samenplan.closure import guard as closure_guard
    from samenplan.closure.views import bp as closure_bp
    app.register_blueprint(closure_bp)
    closure_guard.init_app(app)
    from samenplan.handover.views import bp as handover_bp
    app.register_blueprint(handover_bp)

    from samenplan import cli

    cli.init_app(app)
    _register_template_globals(app)
    _register_error_pages(app)
    return app


def _register_template_globals(app: Flask) -> None:
    """Only what every page may use; each feature's blueprint adds its own."""
    from flask_babel import format_datetime

    from samenplan.confirmations import flashes_at, flashes_on_top
    from samenplan.forms import options

    app.jinja_env.globals.update(format_date=_format_date, format_datetime=format_datetime,
                                 flashes_at=flashes_at, flashes_on_top=flashes_on_top)
    app.jinja_env.filters["options"] = options
    templating.install(app)


NAMED_FORMATS = frozenset({"short", "medium", "long", "full"})


def _format_date(value=None, format=None, rebase=True):
    """The templates' `format_date` (Flask-Babel's): a calendar day in a pattern of its own
    ("d MMMM") is the same text for every reader of a language, so each is made once (a plan
    page shows a hundred due dates, issue 14); a moment is put in the reader's time zone first,
    as Flask-Babel does."""
    import flask_babel

    if type(value) is date and format is not None and format not in NAMED_FORMATS:
        locale = flask_babel.get_locale()
        if locale is not None:
            return _day_in_words(value, format, str(locale))
    return flask_babel.format_date(value, format, rebase)


@lru_cache(maxsize=4096)
def _day_in_words(day: date, pattern: str, locale: str) -> str:
    from babel.dates import format_date

    return format_date(day, pattern, locale=locale)


def _register_error_pages(app: Flask) -> None:
    pages = {
        400: (_l("Dat ging niet goed"), _l("Het verzoek klopt niet. Probeer het opnieuw.")),
        403: (_l("Geen toegang"), _l("Je mag deze pagina niet zien.")),
        404: (_l("Niet gevonden"), _l("Deze pagina bestaat niet (meer), of je mag hem niet (meer) zien.")),
        405: (_l("Dat kan niet"), _l("Deze actie kan hier niet.")),
        429: (_l("Even wachten"), _l("Je probeerde het te vaak. Wacht een paar minuten.")),
        500: (_l("Er ging iets mis"), _l("Er ging bij ons iets mis. Probeer het later opnieuw.")),
    }

    def handler(code):
        def _handle(error):
            if getattr(error, "response", None) is not None:
                return error.response  # a page made for this very case (e.g. a login limit)
            title, text = pages[code]
            if request_ctx.url_adapter is None:  # a Host not in TRUSTED_HOSTS: no links to build
                return Response(f"{title}. {text}\n", code, mimetype="text/plain")
            return render_template("error.html", code=code, title=title, text=text), code

        return _handle

    for code in pages:
        app.register_error_handler(code, handler(code))

    @app.errorhandler(PublicURLMissing)
    def _no_public_url(error):
        # logged where it was refused (samenplan.web.public_base)
        return (
            render_template(
                "error.html", code=500, title=_l("Er ging iets mis"),
                text=_l("samenplan kan nu geen link per e-mail sturen, want het weet zijn eigen "
                        "webadres niet. Vraag de beheerder om PUBLIC_URL in te stellen."),
            ),
            500,
        )

    @app.errorhandler(CSRFError)
    def _csrf_error(error):
        return (
            render_template(
                "error.html", code=400, title=_l("De pagina was verlopen"),
                text=_l("Ga terug, laad de pagina opnieuw en probeer het nog eens."),
            ),
            400,
        )
