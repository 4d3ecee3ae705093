"""The yardstick of bench/serving.py: a bare Flask + Jinja page of the same size as the page
it is compared with (BARE_SIZE bytes of HTML, made by a template loop, nothing else: no
database, no login, no extensions), served by the same gunicorn settings."""
from __future__ import annotations

import os

from flask import Flask, render_template_string

PAGE = """<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1>{% for card in cards %}<article class="card"><h2>{{ card.title }}</h2>
<p>{{ card.body }}</p><ul>{% for line in card.lines %}<li>{{ line }}</li>{% endfor %}</ul></article>
{% endfor %}</main></body></html>"""


def create_app() -> Flask:
    app = Flask(__name__)
    size = int(os.environ.get("BARE_SIZE", "50000"))
    card = {"title": "Een doel in de eigen woorden van het gezin", "body": "x" * 200,
            "lines": ["Een actie met wie, wat en wanneer"] * 5}

    def cards(n: int) -> list[dict]:
        return [dict(card, title=f"{card['title']} {i}") for i in range(n)]

    with app.app_context():
        one, two = (len(render_template_string(PAGE, title="Ons plan", cards=cards(n)))
                    for n in (1, 2))
    shown = cards(max(1, 1 + (size - one) // (two - one)))

    @app.get("/")
    def page():
        return render_template_string(PAGE, title="Ons plan", cards=shown)

    return app
