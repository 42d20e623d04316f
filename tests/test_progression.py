"""The progression rules: pure functions over session records."""

import pytest

from programs.progression import Current, ExerciseRecord, direction, step_down, step_up, suggest

GOOD = ExerciseRecord(done_in_full=True, pain=2, stopped=False)
SORE = ExerciseRecord(done_in_full=True, pain=4, stopped=False)
STOPPED = ExerciseRecord(done_in_full=False, pain=7, stopped=True)
PARTIAL = ExerciseRecord(done_in_full=False, pain=1, stopped=False)
HOLD = Current(hold_seconds=30, reps=3, easier_id=None, harder_id=None)
REPS = Current(hold_seconds=0, reps=10, easier_id=None, harder_id=None)


def test_three_good_sessions_in_a_row_step_up():
    assert direction([GOOD, GOOD, GOOD]) == "up"


def test_two_good_sessions_are_not_enough():
    assert direction([GOOD, GOOD]) is None


def test_a_session_not_done_in_full_breaks_the_run():
    assert direction([GOOD, PARTIAL, GOOD, GOOD]) is None
    assert direction([PARTIAL, GOOD, GOOD, GOOD]) == "up"


@pytest.mark.parametrize("pain", [3, 0])
def test_pain_of_three_or_less_counts_as_comfortable(pain):
    record = ExerciseRecord(done_in_full=True, pain=pain, stopped=False)
    assert direction([record] * 3) == "up"


@pytest.mark.parametrize("pain", [4, 5])
def test_pain_of_four_or_five_steps_down(pain):
    assert direction([GOOD, GOOD, ExerciseRecord(True, pain, False)]) == "down"


def test_a_stop_steps_down():
    assert direction([GOOD, GOOD, STOPPED]) == "down"


def test_pain_of_six_without_a_stop_on_it_changes_nothing():
    assert direction([GOOD, GOOD, ExerciseRecord(True, 6, False)]) is None


def test_no_record_no_suggestion():
    assert direction([]) is None


def test_a_step_up_is_the_harder_variant_when_there_is_one():
    change = step_up(Current(30, 3, easier_id=None, harder_id=9))
    assert (change.change, change.variant_id) == ("variant", 9)


def test_a_step_up_is_at_most_a_fifth_more_hold():
    change = step_up(HOLD)
    assert (change.change, change.from_value, change.to_value) == ("hold", 30, 36)
    assert change.to_value <= HOLD.hold_seconds * 1.2


def test_a_step_up_in_reps_is_at_most_a_fifth_more():
    change = step_up(REPS)
    assert (change.change, change.to_value) == ("reps", 12)


def test_no_step_up_when_one_more_would_be_more_than_a_fifth():
    assert step_up(Current(hold_seconds=0, reps=4, easier_id=None, harder_id=None)) is None
    assert step_up(Current(hold_seconds=4, reps=1, easier_id=None, harder_id=None)) is None


def test_a_step_down_is_the_easier_variant_when_there_is_one():
    change = step_down(Current(30, 3, easier_id=5, harder_id=None))
    assert (change.direction, change.change, change.variant_id) == ("down", "variant", 5)


def test_a_step_down_is_a_fifth_less_or_at_least_one():
    assert step_down(HOLD).to_value == 24
    assert step_down(REPS).to_value == 8
    assert step_down(Current(0, 3, None, None)).to_value == 2
    assert step_down(Current(0, 1, None, None)) is None


def test_suggest_puts_it_together():
    assert suggest([GOOD] * 3, HOLD).to_value == 36
    assert suggest([SORE], HOLD).to_value == 24
    assert suggest([GOOD], HOLD) is None
