"""The progression rules: pure functions over session records and the program's steps."""

import pytest

from programs.progression import (
    SessionRecord,
    StepNow,
    direction,
    step_down,
    step_up,
    suggest,
    why,
)

GOOD = SessionRecord(done_in_full=True, stopped=False, pain_before=3, pain_after=3)
STOPPED = SessionRecord(done_in_full=False, stopped=True, pain_before=3, pain_after=6)
PARTIAL = SessionRecord(done_in_full=False, stopped=False, pain_before=2, pain_after=2)
HOLD = StepNow(
    1, True, hold_seconds=30, reps=3, sets=1, max_hold_seconds=60, max_reps=3, max_sets=1
)
REPS = StepNow(
    2, True, hold_seconds=0, reps=10, sets=1, max_hold_seconds=0, max_reps=15, max_sets=3
)
SQUEEZE = StepNow(3, True, 300, 1, 1, max_hold_seconds=300, max_reps=1, max_sets=1)
WARM_UP = StepNow(4, False, 0, 10, 1, 0, 20, 1)


def record(**changes) -> SessionRecord:
    values = {"done_in_full": True, "stopped": False, "pain_before": 3, "pain_after": 3}
    return SessionRecord(**(values | changes))


def test_three_good_sessions_in_a_row_step_up():
    assert direction([GOOD, GOOD, GOOD]) == "up"


def test_two_good_sessions_are_not_enough():
    assert direction([GOOD, GOOD]) is None


def test_a_session_not_done_in_full_breaks_the_run():
    assert direction([GOOD, PARTIAL, GOOD, GOOD]) is None
    assert direction([PARTIAL, GOOD, GOOD, GOOD]) == "up"


def test_a_good_session_is_judged_against_the_persons_own_level():
    # Someone who lives at 6 out of 10 and stays there is doing well.
    steady = record(pain_before=6, pain_after=6)
    assert direction([steady] * 3) is None  # above 5 after: not yet within the safe band
    at_five = record(pain_before=5, pain_after=5)
    assert direction([at_five] * 3) == "up"


def test_a_report_that_called_for_easing_off_breaks_the_run():
    assert direction([GOOD, GOOD, record(eased=True)]) is None


def test_a_worse_morning_steps_down_and_says_why():
    records = [GOOD, GOOD, record(morning="worse")]
    assert direction(records) == "down"
    assert why(records) == "worse_morning"


def test_a_worse_morning_breaks_a_run_of_good_sessions():
    assert direction([GOOD, record(morning="worse"), GOOD, GOOD]) is None


def test_pain_after_two_above_before_steps_down():
    records = [GOOD, record(pain_before=2, pain_after=4)]
    assert direction(records) == "down"
    assert why(records) == "rose"


def test_pain_after_one_above_before_changes_nothing():
    assert direction([GOOD, record(pain_before=2, pain_after=3)]) is None


def test_a_stop_steps_down():
    assert direction([GOOD, GOOD, STOPPED]) == "down"
    assert why([STOPPED]) == "stopped"


def test_no_record_no_suggestion():
    assert direction([]) is None


def test_a_step_up_is_about_a_fifth_more_hold():
    change = step_up(HOLD)
    assert (change.change, change.from_value, change.to_value) == ("hold", 30, 36)


def test_a_step_up_in_reps_is_about_a_fifth_more():
    change = step_up(REPS)
    assert (change.change, change.to_value) == ("reps", 12)


def test_a_step_up_never_passes_the_ceiling():
    near = StepNow(1, True, 55, 1, 1, max_hold_seconds=60, max_reps=1, max_sets=1)
    assert step_up(near).to_value == 60


def test_at_the_ceiling_a_set_then_the_harder_variant_then_nothing():
    at_reps = StepNow(2, True, 0, 15, 1, 0, max_reps=15, max_sets=2, harder_id=9)
    assert (step_up(at_reps).change, step_up(at_reps).to_value) == ("sets", 2)
    at_all = StepNow(2, True, 0, 15, 2, 0, max_reps=15, max_sets=2, harder_id=9)
    assert (step_up(at_all).change, step_up(at_all).variant_id) == ("variant", 9)
    nothing = StepNow(2, True, 0, 15, 2, 0, max_reps=15, max_sets=2)
    assert step_up(nothing) is None


def test_the_five_minute_squeeze_never_grows():
    assert step_up(SQUEEZE) is None
    assert suggest([GOOD] * 3, [SQUEEZE]) is None


def test_twenty_good_sessions_never_push_a_hold_past_its_ceiling():
    step = HOLD
    for _ in range(20):
        plan = suggest([GOOD] * 3, [step])
        if plan is None:
            break
        change = plan.changes[0]
        assert change.change == "hold"
        step = StepNow(1, True, change.to_value, 3, 1, 60, 3, 1)
    assert step.hold_seconds == 60
    assert suggest([GOOD] * 3, [step]) is None


def test_a_step_down_is_the_easier_variant_when_there_is_one():
    change = step_down(StepNow(1, True, 30, 3, 1, 60, 3, 1, easier_id=5))
    assert (change.change, change.variant_id) == ("variant", 5)


def test_a_step_down_is_a_fifth_less_or_at_least_one():
    assert step_down(HOLD).to_value == 24
    assert step_down(REPS).to_value == 8
    assert step_down(StepNow(2, True, 0, 3, 1, 0, 3, 1)).to_value == 2
    assert step_down(StepNow(2, True, 0, 1, 2, 0, 1, 2)).change == "sets"
    assert step_down(StepNow(2, True, 0, 1, 1, 0, 1, 1)) is None


def test_one_suggestion_for_the_program_with_only_the_main_work_in_it():
    plan = suggest([GOOD] * 3, [WARM_UP, HOLD, REPS])
    assert plan.direction == "up"
    assert [change.exercise_id for change in plan.changes] == [1, 2]


@pytest.mark.parametrize("hurt", [frozenset({2}), frozenset()])
def test_after_a_stop_only_the_exercise_that_hurt_is_eased(hurt):
    stopped = SessionRecord(False, True, 3, 7, eased=True, hurt_exercise_ids=hurt)
    plan = suggest([GOOD, stopped], [WARM_UP, HOLD, REPS])
    assert plan.direction == "down"
    eased = [change.exercise_id for change in plan.changes]
    assert eased == ([2] if hurt else [1, 2])
