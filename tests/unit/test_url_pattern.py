"""web.url_pattern: the URLs of many records of one kind from one url_for (the plan page's goal
cards), the same as url_for makes them."""
import pytest
from flask import Flask, url_for

from samenplan.web import url_pattern


@pytest.fixture
def app():
    app = Flask(__name__)
    app.add_url_rule("/gezin/<int:family_id>/doelen/<int:goal_id>/acties", "add", lambda **_: "")
    app.add_url_rule("/gezin/<int:family_id>/plan", "plan", lambda **_: "")
    return app


def test_each_id_gets_the_url_that_url_for_gives(app):
    with app.test_request_context("/"):
        url = url_pattern("add", "goal_id", family_id=12)
        for goal_id in (1, 12, 99, 123456789):
            assert url(goal_id) == url_for("add", family_id=12, goal_id=goal_id)


def test_only_a_number_goes_into_the_url(app):
    with app.test_request_context("/"):
        url = url_pattern("add", "goal_id", family_id=3)
        with pytest.raises(ValueError):
            url("1/../../beheer")


def test_an_id_in_the_query_string_too(app):
    with app.test_request_context("/"):
        url = url_pattern("plan", "goal_id", family_id=3)
        assert url(7) == url_for("plan", family_id=3, goal_id=7) == "/gezin/3/plan?goal_id=7"
