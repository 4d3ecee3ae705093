"""The plan page of issue 14: its first screen (who to call, then every goal in one line), its
cards' "add an action" forms as plain HTML that post what the form object did, a save's
confirmation on the card that was saved, and who may see it once per card, folded."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests.support.builders import add_other_family
from tests.support.clients import as_user, db_session, page
from tests.support.html import dom, form_values
from tests.support.people import DAAN, SANDRA


@pytest.fixture
def sandra(app):
    return as_user(app, SANDRA)


def plan_html(client, demo) -> str:
    response = client.get(f"/gezin/{demo.family_id}")
    assert response.status_code == 200
    return page(response)


def open_actions_of(app, goal_id: int, participant_id: int) -> int:
    from samenplan.goals.models import Action

    with db_session(app) as session:
        return session.scalar(select(func.count(Action.id)).where(
            Action.goal_id == goal_id, Action.assignee_participant_id == participant_id,
            Action.done_at.is_(None)))


def test_the_first_screen_has_who_to_call_then_every_goal_in_one_line(sandra, demo, app):
    html = plan_html(sandra, demo)
    lines = dom(html).find("nav", class_="card goal-lines")
    items = lines.find_all("li")
    assert [li.find("span", class_="goal-line-title").text() for li in items] == [
        demo.goal_titles[n] for n in sorted(demo.goal_titles)
        if f'id="doel-{demo.goals[n]}"' in html]
    # in the page's order: the contact card, the lines, then the cards with all under them
    assert html.index('id="contactkaart"') < html.index('id="doelen-kort-kop"') < html.index(
        'class="card goal"')
    me = demo.participants[SANDRA]
    for li in items:
        link = li.find("a")
        goal_id = int(re.search(r"/doelen/(\d+)$", link.attrs["href"]).group(1))
        assert f"jouw acties: {open_actions_of(app, goal_id, me)}" in li.text()
        # a family member reads the ladder's step in words, never a number (DESIGN §7)
        assert not re.search(r"[+-]\d|ladder", li.find("span", class_="goal-line-meta").text())
        assert sandra.get(link.attrs["href"]).status_code == 200


def test_a_professional_sees_the_ladder_level_on_the_goal_line(app, demo):
    from tests.support.people import FATIMA

    html = plan_html(as_user(app, FATIMA), demo)
    metas = [m.text() for m in dom(html).find_all("span", class_="goal-line-meta")]
    assert metas and all("jouw acties:" in m for m in metas)


def test_the_card_s_plain_add_action_form_posts_what_the_form_object_did(sandra, demo, app):
    from samenplan.goals.models import Action

    html = plan_html(sandra, demo)
    goal_id = demo.goals[1]
    action = f"/gezin/{demo.family_id}/doelen/{goal_id}/acties"
    values = form_values(html, action)
    assert set(values) == {"csrf_token", "what", "due_date"}  # and "Wie doet het?", unchosen
    card = re.search(rf'<article class="card goal" id="doel-{goal_id}".*?</article>', html, re.S)
    assert f'<select id="doel-{goal_id}-assignee" name="assignee">' in card.group(0)
    for name in ("what", "assignee", "due_date"):  # labelled, with ids of the card's own
        assert f'<label for="doel-{goal_id}-{name}">' in card.group(0)
        assert f'id="doel-{goal_id}-{name}"' in card.group(0)
    # who could not see the action says so, as on the form object (privacy/unseen.py)
    assert "kan deze actie nu niet zien" in card.group(0)
    values["what"] = ["Samen de tafel dekken"]
    values["assignee"] = [str(demo.participants[SANDRA])]
    response = sandra.post(action, data=values)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#doel-{goal_id}")
    with db_session(app) as session:
        assert session.scalar(select(Action.goal_id).where(Action.what == "Samen de tafel dekken")) == goal_id
    # the confirmation stands on the card that was saved, not at the top of the page
    after = page(sandra.get(response.headers["Location"]))
    saved_card = re.search(rf'<article class="card goal" id="doel-{goal_id}".*?</article>', after, re.S).group(0)
    assert 'role="status">Opgeslagen.</p>' in saved_card
    assert after.count('role="status">Opgeslagen.</p>') == 1


def test_a_posted_form_without_the_page_s_csrf_token_is_refused(sandra, demo, app):
    html = plan_html(sandra, demo)
    values = form_values(html, f"/gezin/{demo.family_id}/doelen/{demo.goals[1]}/acties")
    values["csrf_token"] = ["nep"]
    values["what"] = ["Zonder token"]
    response = sandra.post(f"/gezin/{demo.family_id}/doelen/{demo.goals[1]}/acties", data=values)
    assert response.status_code in (400, 422)


def test_a_saved_goal_id_of_another_family_shows_nothing(sandra, demo, app):
    other_family_id, _piet = add_other_family(app)
    from samenplan.plans.models import PlanSection

    with db_session(app) as session:
        other_id = session.scalar(select(PlanSection.id).where(PlanSection.family_id == other_family_id))
    html = page(sandra.get(f"/gezin/{demo.family_id}?opgeslagen_doel={other_id}"))
    assert "Opgeslagen." not in html
    assert "Piet" not in html


def test_who_may_see_a_goal_is_said_once_per_card_folded(sandra, demo):
    html = plan_html(sandra, demo)
    for article in re.findall(r'<article class="card goal".*?</article>', html, re.S):
        assert article.count('<div class="audience"') == 1
        assert article.count('<details class="audience-fold"') == 1
        # a reader one may not expect is never folded away: the warning stands outside the fold
        if "Let op:" in article:
            fold = article[article.index('<details class="audience-fold"'):]
            assert "Let op:" not in fold[:fold.index("</details>")]


def test_a_reader_who_may_not_see_a_goal_gets_no_line_of_it(app, demo):
    html = plan_html(as_user(app, DAAN), demo)
    titles = [s.text() for s in dom(html).find_all("span", class_="goal-line-title")]
    assert demo.goal_titles[1] not in titles  # goal 1 is not for the GGZ (DESIGN §6)
    assert demo.goal_titles[1] not in html
