"""Who may change a professional's line in the team (issue 11, item 4): their own line, as a
professional; the casusregisseur every line they may see; nobody else. Pure: facts built by
hand with the builders of `test_policy`."""
from __future__ import annotations

from samenplan.privacy.facts import ParticipationFacts, Role
from samenplan.privacy.policy import can_edit_participation
from tests.unit.test_policy import (
    COLLEAGUE, FATHER_V, G, MOTHER, MOTHER_V, NOW, OMA, OTHER_PRO, PRO, REGISSEUR, allowed,
    denied, facts, grant, record,
)

GGZ = ParticipationFacts(PRO.participant_id, Role.PROFESSIONAL, involvement=record(50, G, {MOTHER}))
CHAIR = ParticipationFacts(REGISSEUR.participant_id, Role.CASUSREGISSEUR)


def test_a_professional_changes_their_own_line_and_no_one_elses() -> None:
    assert can_edit_participation(PRO, GGZ, facts(), NOW) == allowed("own")
    assert can_edit_participation(OTHER_PRO, GGZ, facts(), NOW) == denied("role")
    assert can_edit_participation(PRO, CHAIR, facts(), NOW) == denied("role")
    # even a colleague who may see the line (a grant to their organisation) cannot change it
    seen = facts([grant(1, MOTHER, categories={G}, org=100)])
    assert can_edit_participation(COLLEAGUE, GGZ, seen, NOW) == denied("role")


def test_the_casusregisseur_changes_the_lines_they_may_see() -> None:
    assert can_edit_participation(REGISSEUR, CHAIR, facts(), NOW) == allowed("own")
    assert can_edit_participation(REGISSEUR, GGZ, facts(), NOW) == denied("no_grant")
    seen = facts([grant(1, MOTHER, categories={G}, org=300)])
    assert can_edit_participation(REGISSEUR, GGZ, seen, NOW).allowed


def test_family_and_network_never_change_a_line() -> None:
    for viewer in (MOTHER_V, FATHER_V, OMA):
        assert can_edit_participation(viewer, GGZ, facts(), NOW) == denied("role")
        assert can_edit_participation(viewer, CHAIR, facts(), NOW) == denied("role")
