"""The pure rules of the relapse plan (domain/plan.py) and the steps of the joint analysis
(domain/analysis.py)."""
from __future__ import annotations

from flask import Flask

from samenplan.domain import analysis
from samenplan.domain.plan import missing_relapse_lines, relapse_plan_complete
from samenplan.domain.vocabulary import RelapseLine, SectionKind


def test_a_relapse_plan_is_complete_with_each_kind_of_line_at_least_once():
    assert relapse_plan_complete(["vroeg_signaal", "wat_we_doen", "wie_we_bellen"])
    assert relapse_plan_complete([RelapseLine.WHOM_WE_CALL, "vroeg_signaal", "wie_we_bellen",
                                  RelapseLine.WHAT_WE_DO])


def test_a_relapse_plan_lacking_a_kind_is_not_complete_and_says_which():
    assert not relapse_plan_complete([])
    assert missing_relapse_lines([]) == list(RelapseLine)
    assert missing_relapse_lines(["vroeg_signaal", "wat_we_doen", "wat_we_doen"]) == [RelapseLine.WHOM_WE_CALL]
    assert not relapse_plan_complete(["vroeg_signaal", "wat_we_doen"])
    # an entry without a kind, or with a code that is none, counts for nothing
    assert missing_relapse_lines([None, "bellen", "wie_we_bellen"]) == [
        RelapseLine.EARLY_SIGN, RelapseLine.WHAT_WE_DO]


def test_only_whom_we_call_has_a_phone():
    assert [line for line in RelapseLine if line.may_have_phone] == [RelapseLine.WHOM_WE_CALL]
    assert [kind for kind in SectionKind if kind.is_relapse_plan] == [SectionKind.RELAPSE_PLAN]


def test_the_analysis_asks_in_the_order_of_the_guideline():
    assert [s.code for s in analysis.STEPS] == [
        "wat_gaat_goed", "zorgen", "wat_we_zelf_doen", "hulp_nodig", "eerdere_hulp"]
    assert [s.section for s in analysis.STEPS] == [
        SectionKind.STRENGTHS, SectionKind.WORRIES, SectionKind.OWN_STEPS, SectionKind.HELP_NEEDED, None]
    assert all(s.question and len(s.examples) >= 2 for s in analysis.STEPS)
    first, last = analysis.STEPS[0], analysis.STEPS[-1]
    assert analysis.before(first) is None and analysis.after(last) is None
    assert analysis.after(first) is analysis.step("zorgen") and analysis.number(last) == 5
    assert analysis.step("geheimen") is None and analysis.step_of(SectionKind.SAFETY_PLAN) is None


def test_the_timeline_is_linked_only_where_the_app_has_it():
    from samenplan.plans.analysis_views import timeline_url

    bare = Flask("bare")
    with bare.test_request_context():
        assert timeline_url(7) is None
    with_timeline = Flask("with_timeline")
    with_timeline.add_url_rule("/gezin/<int:family_id>/tijdlijn", "tijdlijn", lambda family_id: "")
    with with_timeline.test_request_context():
        assert timeline_url(7) == "/gezin/7/tijdlijn"
