"""The pain rules and the gentler pace: pure functions over plain values.

The article's rule: "If there is any pain, stop or take it more slowly." BackCare reads a
0-10 report with the pain-monitoring model used in physiotherapy (Thomeé R. A
comprehensive treatment approach for patellofemoral pain syndrome in young women. Phys
Ther. 1997;77(12):1690-1703): pain during exercise up to 5 of 10 is acceptable and 0-2 is
safe; pain after should settle by the next morning; pain and stiffness should not rise week
on week. Many people with long-lasting back pain live at 5-7 every day, so the rules read
a report against the person's own level before the session (the rise), not against zero
alone, and pain before a session never locks anyone out.

The rule table below is written once; the runner's script receives the same rows as data
(`rule_rows()`), and the README shows them.
"""

import math
from dataclasses import asdict, dataclass, replace
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from programs.timeline import Dose

SAFE_UP_TO = 2  # pain of 0-2 during exercise: safe
ACCEPTABLE_UP_TO = 5  # up to 5: acceptable
# Pain before a session from this level makes it gentler (4-7); from SCREENING_PAIN the
# warning-signs questions come first, then the person chooses how gently to go on.
GENTLER_BEFORE_FROM = 4
SCREENING_PAIN = 8
# A gentler step keeps this share of the hold and of the repetitions.
GENTLER_SHARE = 2 / 3
MIN_GENTLER_HOLD_SECONDS = 5


class PainOutcome(StrEnum):
    CARRY_ON = "carry_on"
    SLOWER = "slower"
    STOP = "stop"


@dataclass(frozen=True)
class PainRule:
    """One row of the table: it applies when the pain is at least `level_from` and has
    risen by at least `rise_from` since before the session."""

    outcome: PainOutcome
    level_from: int
    rise_from: int | None  # None: whatever the rise
    why: str  # the sentence the person reads beside the recommended choice


RULES = (
    PainRule(
        PainOutcome.STOP,
        SCREENING_PAIN,
        None,
        _("Pain of 8 or more is a signal to stop for today."),
    ),
    PainRule(
        PainOutcome.STOP,
        ACCEPTABLE_UP_TO + 1,
        3,
        _("Your pain is above 5 and 3 or more above where it was when you started."),
    ),
    PainRule(
        PainOutcome.SLOWER,
        ACCEPTABLE_UP_TO + 1,
        None,
        _("Pain above 5 is more than exercise should bring."),
    ),
    PainRule(
        PainOutcome.SLOWER,
        0,
        2,
        _("Your pain has risen by 2 or more since you started."),
    ),
    PainRule(
        PainOutcome.CARRY_ON,
        0,
        None,
        _("Pain up to 5, and near your usual level, is acceptable while you exercise."),
    ),
)


def _checked(level: int) -> int:
    if not 0 <= level <= 10:
        raise ValueError(f"Pain is reported from 0 to 10, not {level}.")
    return level


def rise(level: int, before: int | None) -> int:
    """How far pain has risen since before the session; 0 when that is not known."""
    return 0 if before is None else level - before


def matching_rule(level: int, before: int | None = None) -> PainRule:
    """The first row of the table that applies to pain `level` with `before` as the start."""
    _checked(level)
    up = rise(level, before)
    return next(
        rule
        for rule in RULES
        if level >= rule.level_from and (rule.rise_from is None or up >= rule.rise_from)
    )


def recommended(level: int, before: int | None = None) -> PainOutcome:
    """What the rule recommends after "It hurts"."""
    return matching_rule(level, before).outcome


def pain_outcome(
    level: int, before: int | None = None, choice: PainOutcome | None = None
) -> PainOutcome:
    """What happens after a report: the person's own choice between taking it more slowly
    and stopping always stands; carrying on only where the rule allows it."""
    advice = recommended(level, before)
    if choice in {PainOutcome.SLOWER, PainOutcome.STOP}:
        return choice
    if choice == PainOutcome.CARRY_ON and advice != PainOutcome.CARRY_ON:
        raise ValueError("Carrying on is not offered at this level of pain.")
    return advice


def rule_rows() -> list[dict]:
    """The table as plain data, for the runner's script and the README."""
    return [{**asdict(rule), "why": str(rule.why)} for rule in RULES]


class BeforeSession(StrEnum):
    AS_PLANNED = "as_planned"
    GENTLER = "gentler"
    SCREENING_FIRST = "screening_first"  # then the person chooses how gently to go on


def before_session(level: int) -> BeforeSession:
    """Pain before a session never locks anyone out: 4-7 make it gentler; 8 or more ask
    the warning-signs questions first, then offer the gentle choices."""
    _checked(level)
    if level >= SCREENING_PAIN:
        return BeforeSession.SCREENING_FIRST
    if level >= GENTLER_BEFORE_FROM:
        return BeforeSession.GENTLER
    return BeforeSession.AS_PLANNED


def needs_screening(level: int) -> bool:
    return level >= SCREENING_PAIN


def rose_too_much_after(before: int | None, after: int | None) -> bool:
    """Pain after two or more above pain before: the next session should be gentler."""
    return before is not None and after is not None and after - before >= 2


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
