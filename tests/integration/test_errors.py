"""Error pages: in the reader's language (Dutch first), in the normal layout, and telling nothing
about the inside."""
from __future__ import annotations

import re

import pytest

from tests.support.apps import make_app
from tests.support.clients import csrf_token, log_in_directly, page
from tests.support.people import RIET, SANDRA


def assert_base_layout(html: str):
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert '<html lang="nl"' in html
    assert '<header class="topbar">' in html
    assert re.search(r'href="/static/css/samenplan\.[0-9a-f]{12}\.css"', html)  # versioned
    assert '<main id="inhoud"' in html
    assert "Naar de start" in html


def test_404_is_dutch_and_uses_the_layout(client):
    response = client.get("/bestaat-niet")
    html = page(response)
    assert response.status_code == 404
    assert "<h1>Niet gevonden</h1>" in html
    assert "Deze pagina bestaat niet" in html
    assert "Not Found" not in html
    assert_base_layout(html)


def test_404_for_a_logged_in_user_keeps_the_menu(client, demo):
    log_in_directly(client, SANDRA)
    response = client.get(f"/gezin/{demo.family_id}/doelen/999999/bewerken")
    html = page(response)
    assert response.status_code == 404
    assert "Niet gevonden" in html
    assert "Uitloggen" in html
    assert_base_layout(html)


def test_404_speaks_the_language_the_browser_asks_for(client):
    """Before logging in, the browser's language decides (samenplan/languages.py)."""
    english = client.get("/bestaat-niet", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert english.status_code == 404
    assert "<h1>Not found</h1>" in page(english) and "Niet gevonden" not in page(english)
    dutch = client.get("/bestaat-niet", headers={"Accept-Language": "nl-NL,nl;q=0.9"})
    assert "<h1>Niet gevonden</h1>" in page(dutch)


def test_405_is_dutch(client):
    response = client.get("/logout")
    assert response.status_code == 405
    assert "Dat kan niet" in page(response)
    assert_base_layout(page(response))


def test_403_is_dutch(client, demo):
    log_in_directly(client, RIET)  # network: may not add goals
    response = client.get(f"/gezin/{demo.family_id}/doelen/nieuw")
    assert response.status_code in (403, 404)
    html = page(response)
    assert ("Geen toegang" in html) if response.status_code == 403 else ("Niet gevonden" in html)
    assert_base_layout(html)


@pytest.fixture
def failing_app(database_url):
    app = make_app(database_url, TESTING=False, DEBUG=False, PROPAGATE_EXCEPTIONS=False)

    @app.get("/kapot")
    def broken():
        raise RuntimeError("geheime-interne-fout in /srv/samenplan/secret.py")

    yield app
    app.extensions["samenplan.engine"].dispose()


def test_500_is_dutch_and_reveals_nothing(failing_app):
    response = failing_app.test_client().get("/kapot")
    html = page(response)
    assert response.status_code == 500
    assert "<h1>Er ging iets mis</h1>" in html
    assert "Probeer het later opnieuw" in html
    assert "geheime-interne-fout" not in html
    assert "RuntimeError" not in html and "Traceback" not in html
    assert_base_layout(html)
    assert response.headers.get("Content-Security-Policy")


def test_csrf_failure_page_is_dutch(client, demo):
    log_in_directly(client, SANDRA)
    response = client.post("/logout", data={"csrf_token": "vervalst"})
    html = page(response)
    assert response.status_code == 400
    assert "De pagina was verlopen" in html
    assert "laad de pagina opnieuw" in html
    assert "CSRF token" not in html and "Bad Request" not in html
    assert_base_layout(html)


def test_csrf_failure_on_the_login_form_is_dutch(client):
    response = client.post("/login", data={"email": SANDRA, "password": "x"})
    html = page(response)
    assert response.status_code == 400
    assert "De pagina was verlopen" in html
    assert "CSRF token" not in html and "Bad Request" not in html


def test_csrf_failure_on_an_htmx_request_is_dutch(client, demo):
    log_in_directly(client, SANDRA)
    html = page(client.get(f"/gezin/{demo.family_id}"))
    assert csrf_token(html)
    goal_id = re.search(r'id="doel-(\d+)"', html).group(1)
    response = client.post(
        f"/gezin/{demo.family_id}/doelen/{goal_id}/acties",
        data={"what": "zonder token"}, headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert "De pagina was verlopen" in page(response)
