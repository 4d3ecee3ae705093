"""Records remember (DESIGN.md section 4, issue 9): a save from an older version of a goal gets
the merge screen, never a silent overwrite; every change leaves a revision; "Wat is er
veranderd?" shows a revision only to who may see the goal now and could see it as it was then.

Through the real forms (CSRF token, the hidden version as the page sent it), with and without
htmx, on SQLite and PostgreSQL. Two people on two clients: Sandra (mother) and Fatima
(casusregisseur, who logs in with the demo's TOTP second factor)."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests.support.clients import as_user, csrf_token, db_session
from tests.support.clients import page as text_of
from tests.support.html import form_values
from tests.support.pages import (
    action_version, form_version, history_entries, input_value, merge_table, words,
)
from tests.support.people import DAAN, FATIMA, JORIS, MARK, RIET, SANDRA

HTMX = {"HX-Request": "true"}

GOAL_TITLES = {  # DESIGN.md section 6
    1: "We hebben elke avond rust in huis",
    2: "Ik ga elke week naar mijn afspraak bij de GGZ",
    3: "We hebben overzicht over onze schulden en betalen de huur op tijd",
    4: "Lisa gaat elke schooldag naar school",
}
BEDTIME = "Vaste bedtijd voor Noah: half acht"  # an open action under goal 1, Sandra's

FATIMAS_TITLE = "We hebben elke avond rust in huis, ook in het weekend"
SANDRAS_TITLE = "Om acht uur is het stil in huis en slapen de kinderen"
MERGE_HEADING = "Iemand anders heeft dit doel net veranderd"


# --- helpers ---------------------------------------------------------------------------------

def goal_ids(app) -> dict[int, int]:
    from samenplan.goals.models import Goal

    with db_session(app) as session:
        ids = {n: session.scalar(select(Goal.id).where(Goal.title == title))
               for n, title in GOAL_TITLES.items()}
    assert all(ids.values()), ids
    return ids


def goal_title(app, goal_id: int) -> str:
    from samenplan.goals.models import Goal

    with db_session(app) as session:
        return session.scalar(select(Goal.title).where(Goal.id == goal_id))


def goal_category(app, goal_id: int) -> str:
    from samenplan.goals.models import Goal

    with db_session(app) as session:
        return session.scalar(select(Goal.category).where(Goal.id == goal_id))


def revision_count(app, record_id: int) -> int:
    from samenplan.records.models import Revision

    with db_session(app) as session:
        return session.scalar(select(func.count(Revision.id)).where(Revision.record_id == record_id))


def edit_url(demo, goal_id: int) -> str:
    return f"/gezin/{demo.family_id}/doelen/{goal_id}/bewerken"


def history_url(demo, goal_id: int) -> str:
    return f"/gezin/{demo.family_id}/doelen/{goal_id}/geschiedenis"


def save_goal(client, demo, goal_id: int, headers=None, **changes):
    """Load the edit form, change fields, post it: the response of the post."""
    url = edit_url(demo, goal_id)
    form = form_values(text_of(client.get(url, headers=headers or {})), url)
    form.update({k: v if isinstance(v, list) else [v] for k, v in changes.items()})
    return client.post(url, data=form, headers=headers or {})


@pytest.fixture
def goals(app):
    return goal_ids(app)


@pytest.fixture
def sandra(app):
    return as_user(app, SANDRA)


@pytest.fixture
def fatima(app):
    return as_user(app, FATIMA)


# --- the merge screen, full page -------------------------------------------------------------


def test_a_stale_save_gets_the_merge_screen_and_saving_it_again_is_a_knowing_choice(
    app, demo, goals, sandra, fatima,
):
    goal = goals[1]
    url = edit_url(demo, goal)
    sandras_page = text_of(sandra.get(url))
    fatimas_page = text_of(fatima.get(url))
    loaded_at = form_version(sandras_page)
    assert form_version(fatimas_page) == loaded_at
    assert input_value(sandras_page, "title") == GOAL_TITLES[1]

    # Fatima saves first
    fatimas_form = form_values(fatimas_page, url)
    fatimas_form["title"] = [FATIMAS_TITLE]
    saved = fatima.post(url, data=fatimas_form)
    assert saved.status_code == 302, text_of(saved)[:500]
    assert goal_title(app, goal) == FATIMAS_TITLE
    revisions = revision_count(app, goal)

    # Sandra saves from the version she loaded: the merge screen, nothing overwritten
    sandras_form = form_values(sandras_page, url)
    sandras_form["title"] = [SANDRAS_TITLE]
    stale = sandra.post(url, data=sandras_form)
    page = text_of(stale)
    assert stale.status_code == 409, page[:500]
    assert "<html" in page, "a full-page save gets the whole page back"
    assert MERGE_HEADING in page
    rows = merge_table(page)
    title_row = [row for row in rows.values() if row == (FATIMAS_TITLE, SANDRAS_TITLE)]
    assert title_row, f"the title row does not show theirs next to yours: {rows}"
    assert "Nu opgeslagen" in page
    # her own text is still in the form, which now carries the current version
    assert input_value(page, "title") == SANDRAS_TITLE
    assert int(form_version(page)) > int(loaded_at)
    assert "Mijn versie opslaan" in page and "Hun versie houden" in page
    assert goal_title(app, goal) == FATIMAS_TITLE, "the stale save overwrote Fatima's title"
    assert revision_count(app, goal) == revisions, "a refused save wrote a revision"

    # "Mijn versie opslaan": the form as shown, posted again, saves hers knowingly
    again = sandra.post(url, data=form_values(page, url))
    assert again.status_code == 302, text_of(again)[:500]
    assert again.headers["Location"].endswith(f"#doel-{goal}")
    assert goal_title(app, goal) == SANDRAS_TITLE
    assert revision_count(app, goal) == revisions + 1

    # "Hun versie houden" on another stale form goes back to the plan without saving
    old_form = dict(fatimas_form, title=["Een titel die nooit bewaard wordt"])
    merge = text_of(fatima.post(url, data=old_form))
    keep_theirs = re.search(r'<a class="button" href="([^"]+)"[^>]*>Hun versie houden</a>', merge)
    assert keep_theirs, "no 'Hun versie houden' on the merge screen"
    assert keep_theirs.group(1).endswith(f"/gezin/{demo.family_id}#doel-{goal}")
    assert fatima.get(keep_theirs.group(1)).status_code == 200
    assert goal_title(app, goal) == SANDRAS_TITLE


def test_the_merge_screen_shows_only_what_differs(app, demo, goals, sandra, fatima):
    goal = goals[1]
    url = edit_url(demo, goal)
    sandras_page = text_of(sandra.get(url))
    assert save_goal(fatima, demo, goal, title=FATIMAS_TITLE).status_code == 302

    sandras_form = form_values(sandras_page, url)
    sandras_form["title"] = [SANDRAS_TITLE]
    sandras_form["description"] = ["Sandra schrijft er een uitleg bij."]
    page = text_of(sandra.post(url, data=sandras_form))
    rows = merge_table(page)
    assert sorted(rows.values()) == sorted([
        (FATIMAS_TITLE, SANDRAS_TITLE),
        (rows_theirs_description(rows), "Sandra schrijft er een uitleg bij."),
    ]), rows
    # her description is kept in the form as well
    assert "Sandra schrijft er een uitleg bij." in re.search(
        r'<textarea[^>]*name="description"[^>]*>(.*?)</textarea>', page, re.S).group(1)


def rows_theirs_description(rows: dict[str, tuple[str, str]]) -> str:
    theirs = [t for t, y in rows.values() if y == "Sandra schrijft er een uitleg bij."]
    assert len(theirs) == 1, rows
    return theirs[0]


# --- the merge screen, as an htmx fragment ---------------------------------------------------


def test_a_stale_inline_save_gets_the_merge_screen_as_a_fragment(app, demo, goals, sandra, fatima):
    goal = goals[1]
    url = edit_url(demo, goal)
    sandras_fragment = text_of(sandra.get(url, headers=HTMX))
    assert "<html" not in sandras_fragment
    assert sandras_fragment.lstrip().startswith(f'<article class="card goal-form" id="doel-{goal}">')
    assert f'hx-post="{url}"' in sandras_fragment and f'hx-target="#doel-{goal}"' in sandras_fragment

    fatimas_fragment = text_of(fatima.get(url, headers=HTMX))
    fatimas_form = form_values(fatimas_fragment, url)
    fatimas_form["title"] = [FATIMAS_TITLE]
    saved = fatima.post(url, data=fatimas_form, headers=HTMX)
    assert saved.status_code == 200, text_of(saved)[:500]
    assert f'id="doel-{goal}"' in text_of(saved) and FATIMAS_TITLE in text_of(saved)

    sandras_form = form_values(sandras_fragment, url)
    sandras_form["title"] = [SANDRAS_TITLE]
    stale = sandra.post(url, data=sandras_form, headers=HTMX)
    fragment = text_of(stale)
    assert stale.status_code == 409, fragment[:500]
    assert "<html" not in fragment and "<body" not in fragment, "htmx gets only the fragment"
    assert fragment.lstrip().startswith(f'<article class="card goal-form" id="doel-{goal}">'), \
        fragment[:200]
    assert fragment.rstrip().endswith("</article>")
    assert MERGE_HEADING in fragment
    assert (FATIMAS_TITLE, SANDRAS_TITLE) in merge_table(fragment).values()
    assert input_value(fragment, "title") == SANDRAS_TITLE
    assert goal_title(app, goal) == FATIMAS_TITLE

    # "Mijn versie opslaan" from the fragment: saved, and the goal card comes back
    again = sandra.post(url, data=form_values(fragment, url), headers=HTMX)
    assert again.status_code == 200, text_of(again)[:500]
    card = text_of(again)
    assert "<html" not in card
    assert f'<article class="card goal" id="doel-{goal}"' in card
    assert SANDRAS_TITLE in card
    assert goal_title(app, goal) == SANDRAS_TITLE

    # "Hun versie houden" in the fragment asks htmx for the goal card, in place
    stale_again = text_of(fatima.post(url, data=fatimas_form, headers=HTMX))
    keep = re.search(r'<a class="button"[^>]*hx-get="([^"]+)"[^>]*>Hun versie houden</a>',
                     stale_again, re.S)
    assert keep, "no 'Hun versie houden' for htmx on the merge fragment"
    theirs = sandra.get(keep.group(1), headers=HTMX)
    assert theirs.status_code == 200
    assert "<html" not in text_of(theirs) and SANDRAS_TITLE in text_of(theirs)


# --- a save that names no version, or a forged one -------------------------------------------


@pytest.mark.parametrize("version", [None, "", "abc", "1; DROP TABLE goal", "-1", "1.0",
                                     "99999999999999999999", "0"])
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_a_save_without_a_true_version_gets_the_merge_screen(app, demo, goals, sandra, version, headers):
    goal = goals[1]
    url = edit_url(demo, goal)
    form = form_values(text_of(sandra.get(url)), url)
    form["title"] = [SANDRAS_TITLE]
    if version is None:
        del form["version"]
    else:
        form["version"] = [version]
    revisions = revision_count(app, goal)
    response = sandra.post(url, data=form, headers=headers)
    page = text_of(response)
    assert response.status_code == 409, (version, response.status_code, page[:300])
    assert MERGE_HEADING in page
    assert input_value(page, "title") == SANDRAS_TITLE
    assert goal_title(app, goal) == GOAL_TITLES[1], "a save without a true version overwrote"
    assert revision_count(app, goal) == revisions
    # the merge screen carries the true version now: saving from it is a knowing choice
    again = sandra.post(url, data=form_values(page, url))
    assert again.status_code == 302
    assert goal_title(app, goal) == SANDRAS_TITLE


def test_a_version_from_the_future_gets_the_merge_screen(app, demo, goals, sandra):
    goal = goals[1]
    url = edit_url(demo, goal)
    page = text_of(sandra.get(url))
    form = form_values(page, url)
    form["title"] = [SANDRAS_TITLE]
    form["version"] = [str(int(form_version(page)) + 1)]
    response = sandra.post(url, data=form)
    assert response.status_code == 409
    assert goal_title(app, goal) == GOAL_TITLES[1]


# --- history: "Wat is er veranderd?" ---------------------------------------------------------


def test_history_lists_the_changes_newest_first_in_words(app, demo, goals, sandra, fatima):
    goal = goals[1]
    assert save_goal(fatima, demo, goal, title=FATIMAS_TITLE).status_code == 302
    assert save_goal(sandra, demo, goal, title=SANDRAS_TITLE,
                     description="Na het eten doen we rustige dingen.").status_code == 302

    response = sandra.get(history_url(demo, goal))
    assert response.status_code == 200
    page = text_of(response)
    assert "Wat is er veranderd?" in page
    entries = history_entries(page)
    assert len(entries) >= 3, entries  # the creation and the two changes
    versions = [n for n, _text in entries]
    assert versions == sorted(versions, reverse=True), f"not newest first: {versions}"
    (newest_version, newest), (second_version, second) = entries[0], entries[1]
    assert "Sandra" in newest and "Fatima" not in newest, newest
    assert f"{FATIMAS_TITLE} → {SANDRAS_TITLE}" in newest, newest
    assert "Uitleg : (leeg) → Na het eten doen we rustige dingen." in newest, newest
    assert "Fatima" in second, second
    assert f"{GOAL_TITLES[1]} → {FATIMAS_TITLE}" in second, second
    assert newest_version == second_version + 1
    # the oldest entry is the creation
    assert "Heeft dit doel gemaakt." in entries[-1][1]

    # Fatima reads the same history, and the weight a family member is not shown (DESIGN §7)
    fatimas = words(text_of(fatima.get(history_url(demo, goal))))
    assert fatimas.count("→") == words(page).count("→") + 1
    assert "Gewicht : 1 → 3" in fatimas and "Gewicht" not in words(page)
    assert history_url(demo, goal) in text_of(sandra.get(f"/gezin/{demo.family_id}/doelen/{goal}"))


def test_history_shows_a_category_change_in_words(app, demo, goals, fatima):
    goal = goals[1]
    assert save_goal(fatima, demo, goal, category="gezondheid").status_code == 302
    newest = history_entries(text_of(fatima.get(history_url(demo, goal))))[0][1]
    assert "Soort informatie : Algemeen → Gezondheid (ook psychisch)" in newest, newest
    assert "gezondheid" not in newest, "a code, not words, on the history page"
    assert "algemeen" not in newest, "a code, not words, on the history page"


def test_a_widened_goal_does_not_show_its_past_to_who_may_see_it_only_now(app, demo, goals, sandra):
    """Goal 2 is Sandra's GGZ goal (gezondheid). She retitles it, then widens it to algemeen:
    Mark may see the goal now, but not what was written while it was only for health."""
    goal = goals[2]
    mark = as_user(app, MARK)
    assert mark.get(history_url(demo, goal)).status_code == 404  # not his to see, yet

    secret_title = "Ik ga elke dinsdag naar mijn psycholoog bij GGZ Kompas"
    assert save_goal(sandra, demo, goal, title=secret_title).status_code == 302
    assert save_goal(sandra, demo, goal, category="algemeen").status_code == 302
    assert goal_category(app, goal) == "algemeen"

    # Sandra sees all of it: the creation, the retitling, the widening
    sandras = history_entries(text_of(sandra.get(history_url(demo, goal))))
    assert any(GOAL_TITLES[2] in text for _n, text in sandras)
    assert any(f"{GOAL_TITLES[2]} → {secret_title}" in text for _n, text in sandras)
    assert "Heeft dit doel gemaakt." in sandras[-1][1]
    widened_version = sandras[0][0]

    # Mark sees the goal now ...
    assert mark.get(f"/gezin/{demo.family_id}/doelen/{goal}").status_code == 200
    response = mark.get(history_url(demo, goal))
    assert response.status_code == 200
    page = text_of(response)
    marks = history_entries(page)
    # ... and at most the change that made it his to see
    assert all(n >= widened_version for n, _text in marks), marks
    assert secret_title in words(page) or not marks
    assert GOAL_TITLES[2] not in words(page), "Mark reads the title from when it was gezondheid"
    assert "Heeft dit doel gemaakt." not in page, "Mark sees the creation, made as gezondheid"
    assert not any(n < widened_version for n, _text in marks)


def test_a_revision_names_its_author_only_to_who_may_know_of_them(app, demo, goals, sandra):
    """After the widening, Daan (GGZ Kompas) changes goal 2. Mark may read the change, but may
    not know that a GGZ professional takes part for Sandra (DESIGN.md section 3)."""
    goal = goals[2]
    assert save_goal(sandra, demo, goal, category="algemeen").status_code == 302
    daan = as_user(app, DAAN)
    assert save_goal(daan, demo, goal, title="Ik ga elke week naar mijn afspraak").status_code == 302
    mark = as_user(app, MARK)
    page = text_of(mark.get(history_url(demo, goal)))
    newest = history_entries(page)[0][1]
    assert "→ Ik ga elke week naar mijn afspraak" in newest, newest
    assert "Daan" not in page and "GGZ Kompas" not in page, newest
    # Sandra, who may know, reads his name
    assert "Daan Visser" in history_entries(text_of(sandra.get(history_url(demo, goal))))[0][1]


def test_a_widening_that_also_changes_the_text_does_not_show_the_old_text(app, demo, goals, sandra):
    """One save that widens goal 2 and retitles it: the title as it was (written while only
    health professionals could read it) is not for Mark."""
    goal = goals[2]
    mark = as_user(app, MARK)
    public_title = "Ik zorg goed voor mezelf"
    assert save_goal(sandra, demo, goal, title=public_title, category="algemeen").status_code == 302
    assert goal_category(app, goal) == "algemeen"
    response = mark.get(history_url(demo, goal))
    assert response.status_code == 200
    page = words(text_of(response))
    assert public_title in page
    assert GOAL_TITLES[2] not in page, (
        "Mark reads the goal's title from before it was widened (gezondheid) in its history"
    )


def test_a_narrowed_goal_and_its_history_are_gone_for_who_may_no_longer_see_it(
    app, demo, goals, fatima,
):
    goal = goals[1]
    mark = as_user(app, MARK)
    assert mark.get(history_url(demo, goal)).status_code == 200
    assert save_goal(fatima, demo, goal, category="gezondheid").status_code == 302
    assert goal_category(app, goal) == "gezondheid"
    response = mark.get(history_url(demo, goal))
    assert response.status_code == 404
    assert GOAL_TITLES[1] not in text_of(response)
    assert mark.get(f"/gezin/{demo.family_id}/doelen/{goal}").status_code == 404
    # Fatima, who may see it, still reads the whole history
    page = text_of(fatima.get(history_url(demo, goal)))
    assert len(history_entries(page)) >= 2


@pytest.mark.parametrize("email, number", [
    (RIET, 2), (RIET, 3), (JORIS, 1), (JORIS, 2), (DAAN, 3), (DAAN, 4), (MARK, 2), (MARK, 3),
])
def test_history_of_a_goal_one_may_not_see_is_not_found(app, demo, goals, email, number):
    client = as_user(app, email)
    goal = goals[number]
    response = client.get(history_url(demo, goal))
    assert response.status_code == 404, (email, number, response.status_code)
    page = text_of(response)
    assert GOAL_TITLES[number] not in page
    # the same answer as for a goal that does not exist
    missing = client.get(history_url(demo, 999_999))
    assert missing.status_code == 404
    assert words(page) == words(text_of(missing))


def test_history_of_a_goal_one_may_see(app, demo, goals):
    for email, number in [(RIET, 1), (JORIS, 4), (DAAN, 2), (MARK, 4)]:
        client = as_user(app, email)
        assert client.get(history_url(demo, goals[number])).status_code == 200, (email, number)


# --- a stale tick ----------------------------------------------------------------------------


def test_a_stale_tick_answers_with_the_action_as_it_is_now(app, demo, sandra, fatima):
    from samenplan.goals.models import Action

    with db_session(app) as session:
        action = session.scalar(select(Action).where(Action.what == BEDTIME))
        action_id, done_before = action.id, action.done_at
    assert done_before is None, "the demo's bedtime action is open"
    plan = f"/gezin/{demo.family_id}"
    sandras_plan = text_of(sandra.get(plan))
    fatimas_plan = text_of(fatima.get(plan))
    version = action_version(sandras_plan, action_id)
    assert action_version(fatimas_plan, action_id) == version
    tick_url = f"/gezin/{demo.family_id}/acties/{action_id}/klaar"

    first = fatima.post(tick_url, headers=HTMX, data={
        "done": "1", "version": version, "csrf_token": csrf_token(fatimas_plan)})
    assert first.status_code == 200, text_of(first)[:300]
    with db_session(app) as session:
        done_at = session.scalar(select(Action.done_at).where(Action.id == action_id))
    assert done_at is not None
    revisions = revision_count(app, action_id)

    late = sandra.post(tick_url, headers=HTMX, data={
        "done": "1", "version": version, "csrf_token": csrf_token(sandras_plan)})
    fragment = text_of(late)
    assert late.status_code == 409, fragment[:300]
    assert "<html" not in fragment
    assert "Iemand anders heeft dit net op klaar gezet." in fragment
    assert re.match(rf'\s*<li class="action done[^"]*" id="actie-{action_id}"', fragment), fragment[:200]
    assert 'aria-pressed="true"' in fragment
    # the answer carries the version it shows, so the next click is from the state seen
    assert int(action_version(fragment, action_id)) > int(version)
    with db_session(app) as session:
        assert session.scalar(select(Action.done_at).where(Action.id == action_id)) == done_at, \
            "the late tick was applied again"
    assert revision_count(app, action_id) == revisions, "the late tick wrote a revision"

    # and without htmx: back to the plan, with the notice, nothing changed
    page = sandra.post(tick_url, data={
        "done": "1", "version": version, "csrf_token": csrf_token(sandras_plan)},
        follow_redirects=True)
    assert "Iemand anders heeft dit net op klaar gezet." in text_of(page)
    assert revision_count(app, action_id) == revisions
