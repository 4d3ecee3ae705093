"""English exists (issue 14 item 3): every message samenplan can show has an English
translation in `samenplan/translations/en`, with the same placeholders; no template holds text
outside gettext; no Python module holds a Dutch sentence a user could see that is not marked.

The messages are extracted from the sources as `make messages` does (the same babel.cfg and
keywords), so a new string without a translation fails here, not in front of a user."""
from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from jinja2 import Environment

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "samenplan"
CATALOG = PACKAGE / "translations" / "en" / "LC_MESSAGES" / "messages.po"
KEYWORDS = ["_l", "lazy_gettext", "_mark"]  # besides pybabel's own (_, gettext, ngettext, …)
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|\{\w*\}")


def makefile_keywords() -> list[str]:
    """The extra keywords of `make messages` (so this test and the Makefile cannot drift)."""
    recipe = (ROOT / "Makefile").read_text().split("\nmessages:", 1)[1].split("\n\n", 1)[0]
    return re.findall(r"-k (\w+)", recipe)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict:
    pot = tmp_path_factory.mktemp("messages") / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         *(arg for k in KEYWORDS for arg in ("-k", k)), "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    with pot.open("rb") as f:
        return {m.id: m for m in read_po(f) if m.id}


@pytest.fixture(scope="module")
def english() -> dict:
    with CATALOG.open("rb") as f:
        return {m.id: m for m in read_po(f) if m.id}


def _key(msgid) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


def _strings(message) -> list[str]:
    return [message.string] if isinstance(message.string, str) else list(message.string)


def test_the_makefile_extracts_with_the_same_keywords():
    assert sorted(makefile_keywords()) == sorted(KEYWORDS)


def test_every_message_has_an_english_translation(extracted, english):
    missing = sorted(_key(i) for i in extracted if i not in english)
    untranslated = sorted(_key(i) for i, m in english.items()
                          if i in extracted and (not all(_strings(m)) or m.fuzzy))
    assert not missing, f"{len(missing)} messages are not in the English catalog (make messages): {missing[:20]}"
    assert not untranslated, f"{len(untranslated)} messages have no English yet: {untranslated[:20]}"


def test_translations_keep_the_placeholders(english):
    wrong = []
    for msgid, message in english.items():
        ids = [msgid] if isinstance(msgid, str) else list(msgid)
        wanted = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        for string in _strings(message):
            if string and not set(PLACEHOLDER.findall(string)) <= wanted:
                wrong.append((_key(msgid), string))
            elif string and isinstance(msgid, str) and set(PLACEHOLDER.findall(string)) != wanted:
                wrong.append((msgid, string))
    assert not wrong, wrong[:10]


# --- nothing unmarked in the templates ------------------------------------------------------
ATTRIBUTE = re.compile(r'\b(placeholder|title|aria-label|alt|label)="([^"]*)"')
NOT_WORDS = {"samenplan"}  # the name


def unmarked_template_text(source: str) -> list[str]:
    """Text of a template outside `{{ }}` and `{% %}`: the letters left after taking out the
    tags, comments, entities and the Jinja parts (each Jinja part leaves a break)."""
    parts = []
    for _line, kind, value in Environment(extensions=["jinja2.ext.i18n"]).lex(source):
        parts.append(value if kind == "data" else "\x00")
    whole = "".join(parts)
    whole = re.sub(r"<!--.*?-->", " ", whole, flags=re.S)
    whole = re.sub(r"<(script|style)\b.*?</\1>", " ", whole, flags=re.S)
    found = [m.group(0) for m in ATTRIBUTE.finditer(whole)
             if re.search(r"[^\W\d_]{3,}", m.group(2).replace("\x00", " "))]
    text = re.sub(r"&#?\w+;", " ", re.sub(r"<[^>]*>", " ", whole))
    for chunk in text.split("\x00"):
        words = [w for w in re.findall(r"[^\W\d_]{2,}", chunk) if w not in NOT_WORDS]
        if words:
            found.append(" ".join(words))
    return found


def test_the_template_check_finds_unmarked_text():
    assert unmarked_template_text('<p>Hallo {{ name }}</p>') == ["Hallo"]
    assert unmarked_template_text('<input placeholder="Zoek een doel">') == ['placeholder="Zoek een doel"']
    assert unmarked_template_text('<p class="x {{ c }}">{{ _("Hallo") }}</p><!-- uitleg -->') == []
    assert unmarked_template_text('<a title="{{ _(\'Terug\') }}">{% if a %}samenplan{% endif %}</a>') == []


def test_babel_extracts_the_mail_templates_too():
    config = (ROOT / "babel.cfg").read_text()
    assert "templates/**.html]" in config and "templates/**.txt]" in config


def test_templates_hold_no_text_outside_gettext():
    templates = sorted((PACKAGE / "templates").rglob("*.html")) + sorted(
        (PACKAGE / "templates").rglob("*.txt"))  # the mail too
    assert any(p.suffix == ".txt" for p in templates)
    found = {str(p.relative_to(PACKAGE)): unmarked_template_text(p.read_text()) for p in templates}
    found = {k: v for k, v in found.items() if v}
    assert not found, found


# --- nothing unmarked in the Python modules -------------------------------------------------
DUTCH = re.compile(
    r"\b(je|jij|jouw|jullie|de|het|een|niet|zijn|van|voor|met|wie|wat|geen|kies|vul|mag|kan|"
    r"moet|er|bij|dit|deze|naar|ook|nog|wordt|heeft|hebben|schrijf|zet|uw|alleen|meer)\b",
    re.IGNORECASE)
GETTEXT = {"_", "_l", "_mark", "gettext", "lazy_gettext", "ngettext", "lazy_ngettext", "pgettext"}
#: text that is the family's or the seed's own, not the app's: the demo family's words, and
#: example goals in the words of families (shown as written)
DATA_MODULES = {"demo.py", "demo_closed.py", "domain/examples.py"}


def unmarked_dutch(source: str) -> list[tuple[int, str]]:
    tree = ast.parse(source)
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in GETTEXT:
                skip.update(id(n) for n in ast.walk(node))
            # log lines and exceptions no user sees are in English
            if name in {"debug", "info", "warning", "error", "exception", "critical"}:
                skip.update(id(n) for n in ast.walk(node))
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            skip.add(id(node.value))  # docstrings
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
                and re.search(r"[a-z]{2,} [a-z]{2,}", node.value) and DUTCH.search(node.value)
                and not re.search(r"\b(SELECT|INSERT|UPDATE|JOIN)\b|https?://", node.value)):
            found.append((node.lineno, node.value))
    return found


def test_the_python_check_finds_unmarked_dutch():
    assert unmarked_dutch('raise Invalid("Kies een datum.")') == [(1, "Kies een datum.")]
    assert unmarked_dutch('raise Invalid(_("Kies een datum."))') == []
    assert unmarked_dutch('log.warning("mail not sent for %s", x)\nx = "the ID token is wrong"') == []


def test_python_modules_hold_no_unmarked_dutch_sentence():
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = str(path.relative_to(PACKAGE))
        if name in DATA_MODULES or name.startswith("translations/"):
            continue
        if hits := unmarked_dutch(path.read_text()):
            found[name] = hits
    assert not found, "\n".join(f"{k}:{n}: {v!r}" for k, hits in found.items() for n, v in hits)
