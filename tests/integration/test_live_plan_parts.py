"""Issue 11 item 9: the live plan refreshes only the part that changed.

The plan page marks each of its parts (a goal with all under it, a section, the next
evaluation) with a state sealed for the reader; when something they may see changed, the
poll's notice names the state of each part they see now, and 'Vernieuwen' fetches only the
parts whose state moved (`/gezin/<id>/plan/delen?deel=…`, the same partials as the page).
A part names nothing the reader may not see: Daan never learns of goal 3, Mark not of goal 2."""
from __future__ import annotations

import pytest

from tests.support.builders import add_other_family
from tests.support.clients import as_user, log_in_directly, page
from tests.support.html import dom
from tests.support.live import (
    NOTICE, changed_parts, notice_states, part_states, poll, poll_url, retitle_goal,
)
from tests.support.people import DAAN, FATIMA, ILSE, MARK, SANDRA


def goal(demo, n: int) -> str:
    return f"doel-{demo.goals[n]}"


def open_page(client, family_id: int) -> tuple[str, str]:
    html = page(client.get(f"/gezin/{family_id}"))
    return html, poll_url(html)


def parts_url(family_id: int, *keys: str) -> str:
    return f"/gezin/{family_id}/plan/delen?" + "&".join(f"deel={k}" for k in keys)


def test_the_page_marks_each_part_it_shows_and_only_those(app, client, demo):
    log_in_directly(client, MARK)
    html, _url = open_page(client, demo.family_id)
    states = part_states(html)
    # Mark sees goals 1 and 4 (DESIGN.md §6), not 2, 3 or 5
    assert goal(demo, 1) in states and goal(demo, 4) in states
    for hidden in (2, 3, 5):
        assert goal(demo, hidden) not in states
    assert states[goal(demo, 1)] and states["sectie-veiligheidsplan"]
    # each reader's states are sealed for them: the same part reads differently for Sandra
    sandra_states = part_states(page(as_user(app, SANDRA).get(f"/gezin/{demo.family_id}")))
    assert sandra_states[goal(demo, 1)] != states[goal(demo, 1)]
    assert goal(demo, 2) in sandra_states and goal(demo, 5) not in sandra_states


def test_a_change_names_the_changed_part_and_only_parts_the_reader_sees(app, client, demo):
    log_in_directly(client, MARK)
    html, url = open_page(client, demo.family_id)
    retitle_goal(as_user(app, FATIMA), demo.family_id, demo.goals[1], "Elke avond rust, samen")
    notice = page(poll(client, url))
    assert NOTICE in notice
    assert changed_parts(html, notice) == {goal(demo, 1)}
    assert set(notice_states(notice)) <= set(part_states(html)), "nothing Mark may not see"
    for hidden in (2, 3, 5):
        assert goal(demo, hidden) not in notice

    # 'Vernieuwen' fetches that part: as the plan page shows it now, in its place
    fresh = page(client.get(parts_url(demo.family_id, goal(demo, 1))))
    answer = dom(fresh)
    goals = answer.find(**{"data-live-order": "doelen"})
    assert goals.attrs["data-live-keys"].split() == [goal(demo, 1), goal(demo, 4)]
    assert "Elke avond rust, samen" in goals.text()
    assert part_states(fresh)[goal(demo, 1)] == notice_states(notice)[goal(demo, 1)]
    # parts not asked for are not sent again; the poll starts again from the change
    assert list(part_states(fresh)) == [goal(demo, 1)]
    assert NOTICE not in page(poll(client, poll_url(fresh)))


def test_a_change_daan_may_not_see_changes_no_part_of_his(app, client, demo):
    log_in_directly(client, DAAN)
    html, url = open_page(client, demo.family_id)
    assert goal(demo, 3) not in part_states(html)
    retitle_goal(as_user(app, ILSE), demo.family_id, demo.goals[3], "Overzicht, samen met Ilse")
    quiet = poll(client, url)
    assert quiet.status_code == 200 and NOTICE not in page(quiet)
    retitle_goal(as_user(app, FATIMA), demo.family_id, demo.goals[2], "Elke week naar Daan")
    notice = page(poll(client, url))
    assert changed_parts(html, notice) == {goal(demo, 2)}
    assert goal(demo, 3) not in notice_states(notice)


def test_asking_for_a_part_the_reader_may_not_see_shows_nothing_of_it(app, client, demo):
    log_in_directly(client, MARK)
    fresh = page(client.get(parts_url(demo.family_id, goal(demo, 2), goal(demo, 3))))
    assert part_states(fresh) == {}
    keys = " ".join(n.attrs.get("data-live-keys", "") for n in dom(fresh).iter())
    assert goal(demo, 2) not in keys and goal(demo, 3) not in keys
    assert "GGZ" not in fresh and "schulden" not in fresh


def test_a_goal_now_hidden_goes_from_the_page(app, client, demo):
    """Sandra revokes GGZ Kompas: goal 2 leaves Daan's page, named as gone (not in the
    notice's states, nor in the order of the goals)."""
    log_in_directly(client, DAAN)
    html, url = open_page(client, demo.family_id)
    sandra = as_user(app, SANDRA)
    from tests.support.clients import confirm_revoke, post_form
    from tests.support.html import card

    consent_page = page(sandra.get(f"/gezin/{demo.family_id}/toestemming"))
    ggz = card(consent_page, "Sandra → GGZ Kompas")
    assert post_form(sandra, *confirm_revoke(sandra, ggz)).status_code == 302
    notice = page(poll(client, url))
    assert goal(demo, 2) in changed_parts(html, notice)
    assert goal(demo, 2) not in notice_states(notice)
    fresh = dom(page(client.get(parts_url(demo.family_id, goal(demo, 2)))))
    assert goal(demo, 2) not in fresh.find(**{"data-live-order": "doelen"}).attrs["data-live-keys"]


@pytest.mark.parametrize("who", [None, "other"])
def test_the_parts_of_a_plan_are_for_its_readers_only(app, client, demo, who):
    url = parts_url(demo.family_id, goal(demo, 1))
    if who is None:
        response = client.get(url)
        assert response.status_code == 302
    else:
        _family, piet = add_other_family(app)
        response = as_user(app, piet).get(url)
        assert response.status_code == 404
        assert "rust in huis" not in response.get_data(as_text=True)


def test_a_new_goal_is_a_new_part_in_its_place_for_who_may_see_it(app, client, demo):
    """Fatima adds a goal about Sandra (algemeen): it is a new part for Mark's open page, in the
    goals' order; one about Sandra's health is no news for Mark at all."""
    from tests.support.goals import create_goal

    log_in_directly(client, MARK)
    html, url = open_page(client, demo.family_id)
    fatima = as_user(app, FATIMA)
    hidden = create_goal(fatima, demo, "Sandra slaapt weer goed door", category="gezondheid")
    assert NOTICE not in page(poll(client, url))
    new = create_goal(fatima, demo, "Sandra wandelt elke dag een half uur")
    notice = page(poll(client, url))
    assert changed_parts(html, notice) == {f"doel-{new}"}
    assert f"doel-{hidden}" not in notice
    fresh = page(client.get(parts_url(demo.family_id, f"doel-{new}")))
    order = dom(fresh).find(**{"data-live-order": "doelen"}).attrs["data-live-keys"].split()
    assert f"doel-{new}" in order and f"doel-{hidden}" not in order
    assert order.index(goal(demo, 1)) < order.index(f"doel-{new}")
    assert "Sandra wandelt elke dag een half uur" in fresh
    assert "slaapt weer goed" not in fresh
