"""The timeline of a dose and the times added up from it: pure functions, no database."""

from hypothesis import given
from hypothesis import strategies as st

from programs.timeline import (
    CHANGE_OVER_SECONDS,
    RELAX_SECONDS,
    SWITCH_SIDE_SECONDS,
    Dose,
    build_timeline,
    dose_seconds,
    program_seconds,
    segment_count,
    size_problem,
    timeline_seconds,
)


def kinds(segments):
    return [segment.kind for segment in segments]


def test_a_single_hold_is_get_ready_then_hold():
    segments = build_timeline(Dose(hold_seconds=300), lead_in_seconds=5)
    assert kinds(segments) == ["lead_in", "hold"]
    assert [s.seconds for s in segments] == [5, 300]


def test_no_lead_in_when_the_user_wants_none():
    assert kinds(build_timeline(Dose(hold_seconds=30), lead_in_seconds=0)) == ["hold"]


def test_repetitions_without_a_hold_are_one_segment_at_the_usual_tempo():
    segments = build_timeline(Dose(reps=10, seconds_per_rep=3), lead_in_seconds=0)
    assert kinds(segments) == ["reps"]
    assert segments[0].seconds == 30
    assert segments[0].reps == 10


def test_repeated_holds_relax_between_them():
    segments = build_timeline(Dose(hold_seconds=10, reps=3), lead_in_seconds=0)
    assert kinds(segments) == ["hold", "relax", "hold", "relax", "hold"]
    assert [s.rep_number for s in segments if s.kind == "hold"] == [1, 2, 3]
    assert segments[1].seconds == RELAX_SECONDS


def test_sets_rest_between_them_but_not_after_the_last():
    segments = build_timeline(Dose(reps=8, sets=3, rest_seconds=45), lead_in_seconds=0)
    assert kinds(segments) == ["reps", "rest", "reps", "rest", "reps"]
    assert [s.set_number for s in segments if s.kind == "reps"] == [1, 2, 3]
    assert all(s.seconds == 45 for s in segments if s.kind == "rest")


def test_per_side_does_the_left_then_switches_to_the_right():
    segments = build_timeline(Dose(hold_seconds=20, reps=2, per_side=True), lead_in_seconds=3)
    assert kinds(segments) == [
        "lead_in",
        "hold",
        "relax",
        "hold",
        "switch_side",
        "hold",
        "relax",
        "hold",
    ]
    assert [s.side for s in segments if s.kind == "hold"] == ["left", "left", "right", "right"]
    assert segments[4].seconds == SWITCH_SIDE_SECONDS


def test_per_side_sets_with_rest_and_holds_together():
    dose = Dose(hold_seconds=5, reps=2, sets=2, rest_seconds=30, per_side=True)
    segments = build_timeline(dose, lead_in_seconds=0)
    holds = [s for s in segments if s.kind == "hold"]
    assert len(holds) == 2 * 2 * 2
    assert kinds(segments).count("rest") == 1
    assert kinds(segments).count("switch_side") == 2


def test_dose_seconds_adds_up_every_segment():
    dose = Dose(hold_seconds=10, reps=3, sets=2, rest_seconds=60)
    expected = 5 + 2 * (3 * 10 + 2 * RELAX_SECONDS) + 60
    assert dose_seconds(dose, lead_in_seconds=5) == expected


def test_program_seconds_adds_a_change_over_between_steps():
    doses = [Dose(hold_seconds=60), Dose(reps=10, seconds_per_rep=4)]
    assert program_seconds(doses, lead_in_seconds=5) == (5 + 60) + (5 + 40) + CHANGE_OVER_SECONDS


def test_an_empty_program_takes_no_time():
    assert program_seconds([]) == 0


doses = st.builds(
    Dose,
    hold_seconds=st.integers(0, 120),
    reps=st.integers(0, 30),
    sets=st.integers(0, 6),
    rest_seconds=st.integers(0, 90),
    per_side=st.booleans(),
    seconds_per_rep=st.integers(0, 8),
)


@given(dose=doses, lead_in=st.integers(0, 10))
def test_counted_time_and_segments_match_the_timeline_itself(dose, lead_in):
    segments = build_timeline(dose, lead_in)
    assert dose_seconds(dose, lead_in) == timeline_seconds(segments)
    assert segment_count(dose, lead_in) == len(segments)


def test_a_program_far_past_every_limit_is_refused_without_being_built():
    # Billions of segments: counted, never made.
    huge = Dose(hold_seconds=10**9, reps=33_317_001, sets=312_192_771)
    assert size_problem([huge]) == "time"
    assert size_problem([Dose(reps=10**6, sets=10**6, hold_seconds=0)]) == "time"
    many = Dose(hold_seconds=1, reps=2000, sets=1)  # 3,999 one-second holds and relaxes
    assert size_problem([many]) in {"time", "segments"}
