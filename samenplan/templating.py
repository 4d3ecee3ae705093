"""The templates' translations: looked up once per language, not once per text.

A template's fixed texts (`_("Acties")`, `_("klaar op %(date)s", date=…)`) are the same for
every reader of a language, so a template is compiled once per language with them translated
in (`TranslatedTemplates`): a text without values becomes part of the template's own HTML, one
with values is only formatted when the page is made. Texts that are not fixed (`_(goal.status
.label)`) are translated when the page is made, by `gettext` below. A plan page has a thousand
fixed texts (issue 14). The output is the same text either way: translated, Markup where the
template escapes (HTML, not the e-mails' plain text), formatted with its values escaped, and
"%%" is "%", as in Jinja's own i18n.
"""
from __future__ import annotations

import weakref
from contextvars import ContextVar

from flask import Flask, g
from flask.templating import Environment
from jinja2 import pass_eval_context
from jinja2.ext import Extension
from jinja2.lexer import Token
from markupsafe import Markup

# the translations of the language a template is being compiled for (None: translate later)
_compiling_for: ContextVar = ContextVar("samenplan_compiling_for", default=None)


def init_app(app: Flask) -> None:
    """Before anything makes the app's Jinja environment."""
    app.jinja_environment = TranslatedTemplates
    # every template once per language (two), with room to spare: a template thrown out of
    # the cache is compiled again on its next use
    app.jinja_options = {**app.jinja_options, "cache_size": 1000,
                         "extensions": [*app.jinja_options.get("extensions", ()), FixedTexts]}


def install(app: Flask) -> None:
    """The templates' gettext callables (once the environment is made)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    # Jinja's "newstyle" callables wrap those above twice (`_` calls `gettext`, which calls the
    # lambda, each through the template context); these do the same in one call
    app.jinja_env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext,
                                 pgettext=pgettext, npgettext=npgettext,
                                 _translated=_translated)


def translations():
    """The request's translations, looked up once per locale (Flask-Babel's own walks the app
    context three times a call). Kept with the locale they are for: `force_locale` (an e-mail
    in its reader's language) sets another locale, so gets its own translations."""
    from flask_babel import get_translations

    babel_state = g.get("_flask_babel")  # Flask-Babel's own, where it keeps the locale
    locale = getattr(babel_state, "babel_locale", None)
    if locale is None:  # not chosen yet (or no request): Flask-Babel chooses it
        return get_translations()
    made = getattr(babel_state, "samenplan_translations", None)
    if made is None or made[0] is not locale:
        made = (locale, get_translations())
        babel_state.samenplan_translations = made
    return made[1]


def _done(eval_ctx, text: str, variables: dict):
    if eval_ctx.autoescape:
        text = Markup(text)
    return text % variables if variables or "%" in text else text


@pass_eval_context
def gettext(eval_ctx, string, **variables):
    return _done(eval_ctx, translations().ugettext(string), variables)


@pass_eval_context
def _translated(eval_ctx, text, **variables):
    """A fixed text translated when its template was compiled, formatted now (`FixedTexts`)."""
    return _done(eval_ctx, text, variables)


@pass_eval_context
def ngettext(eval_ctx, singular, plural, num, **variables):
    variables.setdefault("num", num)
    return _done(eval_ctx, translations().ungettext(singular, plural, num), variables)


@pass_eval_context
def pgettext(eval_ctx, context, string, **variables):
    return _done(eval_ctx, translations().upgettext(context, string), variables)


@pass_eval_context
def npgettext(eval_ctx, context, singular, plural, num, **variables):
    variables.setdefault("num", num)
    return _done(eval_ctx, translations().unpgettext(context, singular, plural, num), variables)


class TranslatedTemplates(Environment):
    """Flask's environment, keeping each template once per language it was compiled for."""

    def _load_template(self, name, globals):
        from flask_babel import get_locale

        if self.loader is None:
            raise TypeError("no loader for this environment specified")
        try:
            locale = get_locale()  # None outside an app context: translated when shown
        except RuntimeError:  # outside a request, no language chosen (`force_locale`): as well
            locale = None
        key = (weakref.ref(self.loader), name, str(locale) if locale is not None else None)
        if self.cache is not None:
            template = self.cache.get(key)
            if template is not None and (not self.auto_reload or template.is_up_to_date):
                if globals:
                    template.globals.update(globals)
                return template
        reset = _compiling_for.set(translations() if locale is not None else None)
        try:
            template = self.loader.load(self, name, self.make_globals(globals))
        finally:
            _compiling_for.reset(reset)
        if self.cache is not None:
            self.cache[key] = template
        return template


class FixedTexts(Extension):
    """While a template is compiled for a language: `_("text")` becomes the translated text
    (Markup: translations are not escaped, as `gettext` does) and `_("text %(x)s", x=…)`
    becomes `_translated("translated text %(x)s", x=…)`."""

    def filter_stream(self, stream):
        found = _compiling_for.get()
        if found is None:
            yield from stream
            return
        tokens = list(stream)
        n, end = 0, len(tokens)
        while n < end:
            token = tokens[n]
            if (token.type == "name" and token.value == "_" and n + 2 < end
                    and tokens[n + 1].type == "lparen" and tokens[n + 2].type == "string"
                    and (n == 0 or tokens[n - 1].type != "dot")):
                text = found.ugettext(tokens[n + 2].value)
                after = tokens[n + 3].type if n + 3 < end else None
                line = token.lineno
                if after == "rparen":  # in brackets: `_("x").lower()` stays what it was
                    yield Token(line, "lparen", "(")
                    yield Token(line, "string", text % {} if "%" in text else text)
                    yield Token(line, "pipe", "|")
                    yield Token(line, "name", "safe")
                    yield Token(line, "rparen", ")")
                    n += 4
                    continue
                if after == "comma":
                    yield Token(line, "name", "_translated")
                    yield tokens[n + 1]
                    yield Token(line, "string", text)
                    n += 3
                    continue
            yield token
            n += 1
