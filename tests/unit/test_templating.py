"""Templates compiled once per language with their fixed texts translated in
(samenplan/templating.py): each reader gets their own language's texts, however the readers of
the two languages follow each other, and a folded text reads exactly as one translated when the
page is made (not escaped, "%%" as "%", values escaped)."""
from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask, has_request_context, render_template, request
from flask_babel import Babel, force_locale
from jinja2 import DictLoader

from samenplan import templating

TRANSLATIONS = Path(__file__).resolve().parents[2] / "samenplan" / "translations"

PAGE = ('<h1>{{ _("Acties") }}</h1><p>{{ _("klaar op %(date)s", date=day) }}</p>'
        '<p title="{{ _("%(n)s niet akkoord", n=count) }}">{{ _(word) }}</p>'
        '{% include "_part.html" %}')
PART = '<span>{{ _("Acties") }}·{{ _("100%%") }}·{{ _("Acties").lower() }}</span>'
MAIL = '{{ _("Acties") }} {{ _("klaar op %(date)s", date=day) }}'


@pytest.fixture
def app():
    if not (TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.mo").exists():
        pytest.fail("the English catalog is not compiled: run `make install`")
    app = Flask(__name__)
    templating.init_app(app)
    app.jinja_loader = DictLoader({"page.html": PAGE, "_part.html": PART, "mail.txt": MAIL})
    Babel(app, locale_selector=lambda: request.args.get("taal", "nl") if has_request_context() else "nl",
          default_translation_directories=str(TRANSLATIONS))
    templating.install(app)

    @app.get("/")
    def page():
        return render_template("page.html", day="<3 mei>", count="<b>2</b>",
                               word=request.args.get("woord", "Acties"))

    return app


def test_each_reader_gets_their_own_language_whoever_came_first(app):
    client = app.test_client()
    dutch, english, dutch_again = (client.get("/", query_string={"taal": lang}).text
                                   for lang in ("nl", "en", "nl"))
    assert dutch == dutch_again
    assert dutch == ('<h1>Acties</h1><p>klaar op &lt;3 mei&gt;</p>'
                     '<p title="&lt;b&gt;2&lt;/b&gt; niet akkoord">Acties</p>'
                     '<span>Acties·100%·acties</span>')
    # the translation's apostrophe is not escaped, its value is
    assert english == ('<h1>Actions</h1><p>done on &lt;3 mei&gt;</p>'
                       '<p title="&lt;b&gt;2&lt;/b&gt; don\'t agree">Actions</p>'
                       '<span>Actions·100%·actions</span>')


def test_a_text_that_is_not_fixed_is_translated_when_the_page_is_made(app):
    client = app.test_client()
    for lang, shown in (("en", "Saved."), ("nl", "Opgeslagen."), ("en", "Saved.")):
        page = client.get("/", query_string={"taal": lang, "woord": "Opgeslagen."}).text
        assert f"agree\">{shown}</p>" in page or f"akkoord\">{shown}</p>" in page


def test_a_plain_text_template_is_not_escaped_and_follows_a_forced_language(app):
    with app.test_request_context("/?taal=nl"):
        assert render_template("mail.txt", day="<3 mei>") == "Acties klaar op <3 mei>"
        with force_locale("en"):
            assert render_template("mail.txt", day="<3 mei>") == "Actions done on <3 mei>"
        assert render_template("mail.txt", day="<3 mei>") == "Acties klaar op <3 mei>"


def test_outside_a_request_with_no_language_chosen_a_template_without_texts_still_renders():
    app = Flask(__name__)
    templating.init_app(app)
    app.jinja_loader = DictLoader({"plain.txt": "{{ n }} keer"})
    Babel(app, locale_selector=lambda: request.args["taal"],  # needs a request, as samenplan's
          default_translation_directories=str(TRANSLATIONS))
    templating.install(app)
    with app.app_context():
        assert render_template("plain.txt", n=3) == "3 keer"
