"""The pain rule and the gentler pace, for every dose shape."""

import pytest

from programs.pace import (
    BeforeSession,
    PainOutcome,
    before_session,
    gentler_dose,
    matching_rule,
    needs_screening,
    pain_outcome,
    recommended,
    rose_too_much_after,
    rule_rows,
)
from programs.timeline import Dose, dose_seconds


@pytest.mark.parametrize(
    ("level", "before", "outcome"),
    [
        (0, None, PainOutcome.CARRY_ON),
        (5, None, PainOutcome.CARRY_ON),  # up to 5 is acceptable during exercise
        (6, None, PainOutcome.SLOWER),  # above 5: ease off
        (7, 6, PainOutcome.SLOWER),
        (8, 8, PainOutcome.STOP),  # 8 or more: stop, whatever the level before
        (10, None, PainOutcome.STOP),
        (6, 3, PainOutcome.STOP),  # above 5 and 3 above before
        (6, 4, PainOutcome.SLOWER),
        (3, 1, PainOutcome.SLOWER),  # a rise of 2 within the acceptable band
        (4, 3, PainOutcome.CARRY_ON),
        (2, 6, PainOutcome.CARRY_ON),  # lower than before
    ],
)
def test_the_pain_rule_reads_pain_against_the_level_before(level, before, outcome):
    assert recommended(level, before) == outcome
    assert pain_outcome(level, before) == outcome


@pytest.mark.parametrize("level", range(11))
def test_the_person_can_always_take_it_more_slowly_or_stop(level):
    assert pain_outcome(level, 2, PainOutcome.SLOWER) == PainOutcome.SLOWER
    assert pain_outcome(level, 2, PainOutcome.STOP) == PainOutcome.STOP


def test_carrying_on_is_offered_only_where_the_rule_allows_it():
    assert pain_outcome(2, 2, PainOutcome.CARRY_ON) == PainOutcome.CARRY_ON
    with pytest.raises(ValueError, match="not offered"):
        pain_outcome(6, 2, PainOutcome.CARRY_ON)


@pytest.mark.parametrize("level", [0, 2, 4, 5])
def test_the_user_can_always_choose_to_stop(level):
    assert pain_outcome(level, choice=PainOutcome.STOP) == PainOutcome.STOP


@pytest.mark.parametrize("level", [-1, 11])
def test_pain_outside_zero_to_ten_is_refused(level):
    with pytest.raises(ValueError, match="0 to 10"):
        pain_outcome(level)


def test_every_row_of_the_table_gives_its_reason():
    rows = rule_rows()
    assert [row["outcome"] for row in rows] == ["stop", "stop", "slower", "slower", "carry_on"]
    assert all(row["why"] for row in rows)
    assert matching_rule(9, 2).why == rows[0]["why"]


@pytest.mark.parametrize(
    ("level", "before"),
    [
        (0, BeforeSession.AS_PLANNED),
        (3, BeforeSession.AS_PLANNED),
        (4, BeforeSession.GENTLER),
        (7, BeforeSession.GENTLER),
        (8, BeforeSession.SCREENING_FIRST),
        (10, BeforeSession.SCREENING_FIRST),
    ],
)
def test_pain_before_never_locks_anyone_out(level, before):
    assert before_session(level) == before


def test_screening_is_due_from_eight():
    assert not needs_screening(7)
    assert needs_screening(8)


def test_pain_after_two_above_before_is_too_much():
    assert rose_too_much_after(3, 5)
    assert not rose_too_much_after(3, 4)
    assert not rose_too_much_after(None, 9)


def test_a_hold_only_dose_gets_a_shorter_hold():
    assert gentler_dose(Dose(hold_seconds=300)) == Dose(hold_seconds=200)


def test_a_short_hold_never_drops_below_five_seconds():
    assert gentler_dose(Dose(hold_seconds=6)).hold_seconds == 5
    assert gentler_dose(Dose(hold_seconds=4)).hold_seconds == 4


def test_a_reps_only_dose_gets_fewer_reps():
    gentler = gentler_dose(Dose(reps=10, seconds_per_rep=3))
    assert gentler.reps == 6
    assert gentler.hold_seconds == 0
    assert gentler.seconds_per_rep == 3


def test_a_single_rep_stays_one():
    assert gentler_dose(Dose(reps=1, hold_seconds=30)).reps == 1


def test_reps_with_a_hold_get_both_shorter_and_fewer():
    gentler = gentler_dose(Dose(hold_seconds=10, reps=8))
    assert (gentler.hold_seconds, gentler.reps) == (7, 5)


def test_sets_with_rest_lose_a_set_and_keep_the_rest_only_if_sets_remain():
    assert gentler_dose(Dose(reps=10, sets=3, rest_seconds=45)).sets == 2
    assert gentler_dose(Dose(reps=10, sets=3, rest_seconds=45)).rest_seconds == 45
    two_sets = gentler_dose(Dose(reps=10, sets=2, rest_seconds=45))
    assert (two_sets.sets, two_sets.rest_seconds) == (1, 0)


def test_per_side_stays_per_side():
    gentler = gentler_dose(Dose(hold_seconds=30, reps=2, per_side=True))
    assert gentler.per_side
    assert gentler.hold_seconds == 20


@pytest.mark.parametrize(
    "dose",
    [
        Dose(hold_seconds=300),
        Dose(reps=10),
        Dose(hold_seconds=10, reps=8),
        Dose(reps=12, sets=3, rest_seconds=60),
        Dose(hold_seconds=30, reps=3, per_side=True),
    ],
)
def test_gentler_is_always_shorter(dose):
    assert dose_seconds(gentler_dose(dose)) < dose_seconds(dose)


def test_an_easier_variant_is_capped_by_the_eased_plan():
    from programs.pace import cap_dose

    easier = Dose(hold_seconds=600, reps=20, sets=3, rest_seconds=60)
    cap = gentler_dose(Dose(hold_seconds=30, reps=3, sets=2, rest_seconds=30))
    capped = cap_dose(easier, cap)
    assert (capped.hold_seconds, capped.reps, capped.sets) == (20, 2, 1)
    assert dose_seconds(capped) <= dose_seconds(cap)


def test_a_reps_only_variant_stays_reps_only_under_a_hold_cap():
    from programs.pace import cap_dose

    capped = cap_dose(Dose(reps=10), Dose(hold_seconds=20, reps=6))
    assert (capped.hold_seconds, capped.reps) == (0, 6)
