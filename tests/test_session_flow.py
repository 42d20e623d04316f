"""Where a session stands, from plain facts: pure, no database."""

import pytest

from programs.session_flow import (
    Page,
    SessionFacts,
    Stage,
    Status,
    StepFacts,
    refusal_to_record,
    refusal_to_report_pain,
    screening_first,
    standing,
)


def facts(status=Status.IN_PROGRESS, before=2, after=None, screening=False) -> SessionFacts:
    return SessionFacts(status, before, after, screening)


def steps(*recorded: bool, cooldown_from: int | None = None) -> list[StepFacts]:
    """Steps numbered from 1; the ones from `cooldown_from` on are the cool-down."""
    return [
        StepFacts(n, cooldown_from is not None and n >= cooldown_from, done)
        for n, done in enumerate(recorded, start=1)
    ]


def test_a_new_session_asks_pain_before_first():
    where = standing(facts(before=None), steps(False, False))
    assert where.stage == Stage.PAIN_BEFORE
    assert where.open_positions == ()
    assert where.allows(Page.PAIN_BEFORE)
    assert not where.allows(Page.RUNNER)


def test_then_the_runner_plays_the_first_step_not_yet_recorded():
    where = standing(facts(), steps(True, False, False))
    assert where.stage == Stage.STEPS
    assert where.next_position == 2
    assert where.open_positions == (2, 3)
    assert where.allows(Page.RUNNER)
    assert not where.allows(Page.PAIN_AFTER)


def test_when_every_step_is_recorded_pain_after_comes():
    where = standing(facts(), steps(True, True))
    assert where.stage == Stage.PAIN_AFTER
    assert where.allows(Page.PAIN_AFTER)
    assert not where.allows(Page.SUMMARY)


def test_after_pain_after_the_summary():
    where = standing(facts(Status.COMPLETED, after=1), steps(True, True))
    assert where.stage == Stage.SUMMARY
    assert where.open_positions == ()


def test_a_stop_for_pain_offers_only_the_cool_down():
    where = standing(facts(Status.STOPPED_FOR_PAIN), steps(True, True, False, cooldown_from=3))
    assert where.stage == Stage.COOLDOWN_OFFER
    assert where.open_positions == (3,)
    assert where.allows(Page.STOPPED)
    assert where.allows(Page.RUNNER)
    assert where.allows(Page.PAIN_AFTER)  # the cool-down may be skipped


def test_after_the_cool_down_a_stopped_session_asks_pain_after_and_keeps_its_advice():
    where = standing(facts(Status.STOPPED_FOR_PAIN), steps(True, True, cooldown_from=2))
    assert where.stage == Stage.PAIN_AFTER
    assert where.allows(Page.STOPPED)
    assert not where.allows(Page.RUNNER)


def test_a_left_session_goes_to_its_summary_whatever_is_open():
    where = standing(facts(Status.ABANDONED, before=None), steps(False, False))
    assert where.stage == Stage.SUMMARY
    assert where.open_positions == ()


@pytest.mark.parametrize(
    ("status", "after", "stage"),
    [
        (Status.IN_PROGRESS, None, Stage.SCREENING),
        (Status.STOPPED_FOR_PAIN, None, Stage.SCREENING),
        (Status.COMPLETED, 8, Stage.SUMMARY),
    ],
)
def test_the_warning_signs_come_first_while_the_session_takes_reports(status, after, stage):
    where = standing(facts(status, after=after, screening=True), steps(True, False))
    assert where.stage == stage
    assert where.allows(Page.SAFETY) == (stage == Stage.SCREENING)


def test_a_step_cannot_be_recorded_before_pain_before():
    refusal = refusal_to_record(facts(before=None), StepFacts(1, False, False))
    assert refusal is not None
    assert refusal.status == 409
    assert "before the first step" in str(refusal.message)


@pytest.mark.parametrize("status", [Status.COMPLETED, Status.ABANDONED])
def test_an_ended_session_takes_no_step(status):
    assert refusal_to_record(facts(status), StepFacts(1, True, False)) is not None


def test_after_a_stop_only_the_cool_down_can_be_recorded():
    stopped = facts(Status.STOPPED_FOR_PAIN)
    assert refusal_to_record(stopped, StepFacts(2, False, False)) is not None
    assert refusal_to_record(stopped, StepFacts(3, True, False)) is None


def test_pain_reports_end_with_pain_after():
    assert refusal_to_report_pain(facts()) is None
    assert refusal_to_report_pain(facts(Status.STOPPED_FOR_PAIN)) is None
    assert refusal_to_report_pain(facts(Status.STOPPED_FOR_PAIN, after=3)) is not None
    assert refusal_to_report_pain(facts(Status.ABANDONED)) is not None


def test_the_warning_signs_hold_back_every_step_while_due():
    assert screening_first(facts(screening=True)) is not None
    assert screening_first(facts()) is None
    assert screening_first(facts(Status.COMPLETED, after=2, screening=True)) is None
