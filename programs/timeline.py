"""A dose turned into a timeline of timed segments.

Pure functions over plain values: the session runner plays the timeline, the program
page adds it up into a total time. Nothing here touches the database.
"""

from dataclasses import asdict, dataclass

# Seconds to let go between two holds of the same exercise.
RELAX_SECONDS = 5
# Seconds to change from the left side to the right side.
SWITCH_SIDE_SECONDS = 5
# Seconds from the end of one exercise to the start of the next (reading, moving).
CHANGE_OVER_SECONDS = 10
DEFAULT_LEAD_IN_SECONDS = 5


@dataclass(frozen=True)
class Dose:
    """How much of an exercise: a hold, repetitions, sets, rest, one side or both."""

    hold_seconds: int = 0
    reps: int = 1
    sets: int = 1
    rest_seconds: int = 0
    per_side: bool = False
    seconds_per_rep: int = 4

    @property
    def is_hold(self) -> bool:
        return self.hold_seconds > 0


@dataclass(frozen=True)
class Segment:
    """One stretch of time on the runner's clock."""

    kind: str  # lead_in | hold | reps | relax | switch_side | rest
    seconds: int
    side: str = ""  # "", "left" or "right"
    set_number: int = 1
    rep_number: int = 0  # which hold this is; 0 where it does not apply
    reps: int = 0  # for a "reps" segment: how many to do

    def as_dict(self) -> dict:
        return asdict(self)


def build_timeline(dose: Dose, lead_in_seconds: int = DEFAULT_LEAD_IN_SECONDS) -> list[Segment]:
    """The segments of one exercise, in the order the runner plays them.

    A hold dose plays each repetition as a hold with a short relax between them; a
    repetition dose without a hold is one segment sized by the usual tempo. A per-side
    dose repeats the work on the right after a switch; sets are separated by rest.
    """
    segments: list[Segment] = []
    if lead_in_seconds > 0:
        segments.append(Segment("lead_in", lead_in_seconds))
    sides = ["left", "right"] if dose.per_side else [""]
    sets = max(dose.sets, 1)
    reps = max(dose.reps, 1)
    for set_number in range(1, sets + 1):
        for side_index, side in enumerate(sides):
            if side_index > 0:
                segments.append(Segment("switch_side", SWITCH_SIDE_SECONDS, side, set_number))
            if dose.is_hold:
                for rep_number in range(1, reps + 1):
                    if rep_number > 1:
                        segments.append(Segment("relax", RELAX_SECONDS, side, set_number))
                    segments.append(
                        Segment("hold", dose.hold_seconds, side, set_number, rep_number)
                    )
            else:
                segments.append(
                    Segment(
                        "reps",
                        reps * max(dose.seconds_per_rep, 1),
                        side,
                        set_number,
                        reps=reps,
                    )
                )
        if set_number < sets and dose.rest_seconds > 0:
            segments.append(Segment("rest", dose.rest_seconds, "", set_number))
    return segments


def timeline_seconds(segments: list[Segment]) -> int:
    return sum(segment.seconds for segment in segments)


def dose_seconds(dose: Dose, lead_in_seconds: int = DEFAULT_LEAD_IN_SECONDS) -> int:
    """How long a dose takes on the runner, get-ready time included: what the segments of
    build_timeline() add up to, counted without making them (tests hold the two equal)."""
    sides = 2 if dose.per_side else 1
    sets, reps = max(dose.sets, 1), max(dose.reps, 1)
    if dose.is_hold:
        side = reps * dose.hold_seconds + (reps - 1) * RELAX_SECONDS
    else:
        side = reps * max(dose.seconds_per_rep, 1)
    one_set = sides * side + (sides - 1) * SWITCH_SIDE_SECONDS
    rests = (sets - 1) * dose.rest_seconds if dose.rest_seconds > 0 else 0
    return max(lead_in_seconds, 0) + sets * one_set + rests


def segment_count(dose: Dose, lead_in_seconds: int = DEFAULT_LEAD_IN_SECONDS) -> int:
    """How many segments build_timeline() makes of a dose, without making them: a dose far
    past every limit is refused before anything is built of it."""
    sides = 2 if dose.per_side else 1
    sets, reps = max(dose.sets, 1), max(dose.reps, 1)
    one_set = sides * (2 * reps - 1 if dose.is_hold else 1) + (sides - 1)
    rests = sets - 1 if dose.rest_seconds > 0 else 0
    return (1 if lead_in_seconds > 0 else 0) + sets * one_set + rests


def program_seconds(doses: list[Dose], lead_in_seconds: int = DEFAULT_LEAD_IN_SECONDS) -> int:
    """Total time of a program: every step plus a change-over between steps."""
    if not doses:
        return 0
    work = sum(dose_seconds(dose, lead_in_seconds) for dose in doses)
    return work + CHANGE_OVER_SECONDS * (len(doses) - 1)


def hold_reached(hold_seconds: int, planned_seconds: int, seconds_done: int) -> int:
    """How long each hold lasted: the planned hold, scaled by the share of the step done."""
    if hold_seconds <= 0 or planned_seconds <= 0:
        return 0
    share = min(1.0, max(0, seconds_done) / planned_seconds)
    return round(hold_seconds * share)


# Limits no one meets in real use, so that no program can make a runner page too large to
# send: a session of at most this many steps, hours and timed segments.
MAX_STEPS = 40
MAX_SECONDS = 3 * 60 * 60
MAX_SEGMENTS = 2000


def size_problem(doses: list[Dose]) -> str | None:
    """Which limit a program of these doses goes past: "steps", "time", "segments" or None."""
    if len(doses) > MAX_STEPS:
        return "steps"
    if program_seconds(doses) > MAX_SECONDS:
        return "time"
    if sum(segment_count(dose) for dose in doses) > MAX_SEGMENTS:
        return "segments"
    return None
