import re

from tests.conftest import login


def goal_titles(html: str) -> list[str]:
    return re.findall(r'<h3 id="doel-\d+-titel">(.*?)</h3>', html)


def test_demo_visibility_matches_design(client, demo):
    login(client, "daan@ggz-kompas.demo")
    html = client.get(f"/gezin/{demo.family_id}").get_data(as_text=True)
    assert goal_titles(html) == [demo.goal_titles[2]]
