"""The account page: changing a password asks for the current one, keeps this device logged
in, logs out the others, and makes links still waiting in a mailbox useless."""
from samenplan.db import utcnow
from tests.support.clients import csrf_token, login
from tests.support.people import SANDRA

NEW = "wij eten elke avond om zes uur"


def _change(client, current: str, new: str = NEW):
    html = client.get("/account").get_data(as_text=True)
    return client.post("/account/wachtwoord", data={
        "csrf_token": csrf_token(html), "current_password": current,
        "password": new, "password_again": new,
    }, follow_redirects=True)


def test_a_wrong_current_password_changes_nothing(app, client):
    login(client, SANDRA)
    page = _change(client, "niet-mijn-wachtwoord").get_data(as_text=True)
    assert "Je huidige wachtwoord klopt niet." in page
    assert login(app.test_client(), SANDRA).status_code == 302  # the old one still works
    assert login(app.test_client(), SANDRA, NEW).status_code == 401


def test_changing_the_password_logs_out_other_devices_and_kills_mailed_links(app, client):
    from samenplan import db
    from samenplan.auth import services

    login(client, SANDRA)
    other = app.test_client()
    login(other, SANDRA)
    with app.app_context():
        _user, token = services.issue_token(db.session(), SANDRA, "login", utcnow())

    page = _change(client, "samen-demo-2026").get_data(as_text=True)
    assert "Je nieuwe wachtwoord is opgeslagen" in page
    assert client.get("/account").status_code == 200  # this device stays in
    assert other.get("/account").status_code == 302  # the other one is out
    assert client.get(f"/login/link/{token}").status_code == 410
    assert login(app.test_client(), SANDRA, NEW).status_code == 302
    assert login(app.test_client(), SANDRA).status_code == 401
