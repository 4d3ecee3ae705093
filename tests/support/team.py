"""The team page, the contact card and "akkoord met het plan", as a browser reads them."""
from __future__ import annotations

from sqlalchemy import select

from tests.support.clients import db_session
from tests.support.html import dom


def team_lines(html: str) -> list[str]:
    """The names heading each line of the team page, in page order."""
    return [h.text() for n in dom(html).iter() if "team-line" in n.classes()
            for h in n.find_all("h3")]


def contact_card(html: str) -> str:
    """The text of the contact card ("Wie kun je bellen?"); "" when the page has none."""
    found = [n for n in dom(html).iter() if n.attrs.get("id") == "contactkaart"]
    return found[0].text() if found else ""


def agreement_lines(html: str) -> list[str]:
    """Who said what about the plan as a whole, one text per participant shown."""
    return [li.text() for n in dom(html).iter() if "agreements" in n.classes()
            for li in n.find_all("li")]


def phone_links(html: str) -> list[str]:
    return [a.attrs.get("href", "") for a in dom(html).find_all("a")
            if a.attrs.get("href", "").startswith("tel:")]


def change_goal_title(app, email: str, title: str, new_title: str) -> None:
    """`email` changes the title of the goal called `title`, through the goals service (as the
    goal's edit form would)."""
    from samenplan.auth.models import User
    from samenplan.families.models import Family
    from samenplan.goals import services
    from samenplan.goals.models import Goal
    from samenplan.privacy.access import access_for

    with db_session(app) as session:
        goal = session.scalar(select(Goal).where(Goal.title == title))
        user = session.scalar(select(User).where(User.email == email))
        access = access_for(session, user, goal.family_id)
        goal = access.get(Goal, goal.id)
        services.update_goal(access, goal, services.GoalInput(
            title=new_title, description=goal.description,
            subject_ids=[p.id for p in goal.effective_subjects], category=goal.effective_category,
            life_domain=goal.life_domain, status=goal.status,
            owner_participant_id=goal.owner_participant_id, start_date=goal.start_date,
            end_date=goal.end_date, goal_type=goal.goal_type, indicator=goal.indicator,
            version=goal.version,
        ))
        assert session.scalar(select(Family.id).where(Family.id == goal.family_id))
