"""A professional whose part in a plan ended is told so in words ("Je doet niet meer mee aan
dit plan"), still with a 404 and nothing of the plan; someone who never took part gets the plain
"niet (meer) te zien" page, and so does anyone for a record they may not see."""
from __future__ import annotations

from sqlalchemy import select

from tests.support.clients import as_user, page
from tests.support.people import DAAN, JORIS

LOST = "Je doet niet meer mee aan dit plan"
GENERIC = "Deze pagina bestaat niet (meer), of je mag hem niet (meer) zien."


def test_an_ended_participation_is_told_in_words(app):
    from samenplan import db
    from samenplan.auth.models import User
    from samenplan.families.models import Family, Participant

    with app.app_context():
        session = db.session()
        family_id = session.scalar(select(Family.id))
        daan = session.scalar(select(User.id).where(User.email == DAAN))
        participant = session.scalar(select(Participant).where(Participant.user_id == daan))
        participant.active = False
        session.commit()
    response = as_user(app, DAAN).get(f"/gezin/{family_id}")
    assert response.status_code == 404
    html = page(response)
    assert LOST in html
    assert "Jansen" not in html.split("</header>")[-1], "the closed plan shows its family's name"
    # someone who never took part in plan 999 learns nothing new
    other = as_user(app, JORIS).get(f"/gezin/{family_id + 999}")
    assert other.status_code == 404
    assert LOST not in page(other) and GENERIC in page(other)
