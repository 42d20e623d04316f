"""The pain rule and the gentler pace: pure functions over plain values.

The article's rule: "If there is any pain, stop or take it more slowly." BackCare reads a
0-10 pain report this way: 0-3 carry on, 4-5 take it more slowly, 6 or more stop.
"""

import math
from dataclasses import replace
from enum import StrEnum

from programs.timeline import Dose

# A gentler step keeps this share of the hold and of the repetitions.
GENTLER_SHARE = 2 / 3
MIN_GENTLER_HOLD_SECONDS = 5
# The pain bands, named once: up to CARRY_ON_UP_TO carry on, up to SLOWER_UP_TO take it
# more slowly, above that stop. At SCREENING_PAIN or more the warning-signs questions are
# asked again before anything else.
CARRY_ON_UP_TO = 3
SLOWER_UP_TO = 5
SCREENING_PAIN = 8


class PainOutcome(StrEnum):
    CARRY_ON = "carry_on"
    SLOWER = "slower"
    STOP = "stop"


def pain_outcome(level: int, wants_to_stop: bool = False) -> PainOutcome:
    """What happens after a pain report. The user may always choose to stop."""
    if not 0 <= level <= 10:
        raise ValueError(f"Pain is reported from 0 to 10, not {level}.")
    if wants_to_stop or level > SLOWER_UP_TO:
        return PainOutcome.STOP
    if level > CARRY_ON_UP_TO:
        return PainOutcome.SLOWER
    return PainOutcome.CARRY_ON


def needs_screening(level: int) -> bool:
    return level >= SCREENING_PAIN


def gentler_dose(dose: Dose) -> Dose:
    """Shorter holds, fewer repetitions, one set fewer; never less than one of anything."""
    hold = dose.hold_seconds
    if hold > MIN_GENTLER_HOLD_SECONDS:
        hold = max(MIN_GENTLER_HOLD_SECONDS, round(hold * GENTLER_SHARE))
    reps = max(1, math.floor(dose.reps * GENTLER_SHARE)) if dose.reps > 1 else 1
    sets = max(1, dose.sets - 1)
    rest = dose.rest_seconds if sets > 1 else 0
    return replace(dose, hold_seconds=hold, reps=reps, sets=sets, rest_seconds=rest)


def cap_dose(dose: Dose, cap: Dose) -> Dose:
    """`dose`, but never more of anything than `cap` (an easier variant stays easier)."""
    return replace(
        dose,
        hold_seconds=min(dose.hold_seconds, cap.hold_seconds)
        if dose.hold_seconds and cap.hold_seconds
        else dose.hold_seconds,
        reps=min(dose.reps, cap.reps),
        sets=min(dose.sets, cap.sets),
        rest_seconds=min(dose.rest_seconds, cap.rest_seconds),
    )
