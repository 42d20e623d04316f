"""The first step: four answers recommend a program. Pure; the reasons are codes the page
turns into words.

The answers: how long the back has hurt (a recent flare-up, a few weeks, more than three
months), whether pain goes down a leg, whether getting down to the floor and up is easy,
and how many minutes a session can take.
"""

from dataclasses import dataclass

FLARE, WEEKS, MONTHS = "flare", "weeks", "months"
MINUTE_CHOICES = (5, 10, 20, 30)


@dataclass(frozen=True)
class Answers:
    how_long: str  # FLARE, WEEKS or MONTHS
    leg_pain: bool
    floor: bool  # gets down to the floor and up again without trouble
    minutes: int


@dataclass(frozen=True)
class Choice:
    """A program as the recommendation sees it."""

    slug: str
    minutes: float
    needs_floor: bool


@dataclass(frozen=True)
class Recommendation:
    slug: str
    reasons: tuple[str, ...]  # flare, leg, no_floor, lasting, chronic, time, short


# What suits each situation best, in order of preference; the first that fits the person's
# floor and time wins.
GENTLE = ("gentle-start", "seated-tv", "desk-break")
LASTING = ("daily-stretch", "gentle-start", "seated-tv", "desk-break")
NO_FLOOR = ("seated-tv", "desk-break")


def _preferences(answers: Answers) -> tuple[tuple[str, ...], list[str]]:
    if not answers.floor:
        return NO_FLOOR, ["no_floor"]
    if answers.how_long == FLARE:
        return GENTLE, ["flare"]
    if answers.leg_pain:
        return GENTLE, ["leg"]
    return LASTING, ["chronic" if answers.how_long == MONTHS else "lasting"]


def recommend(answers: Answers, choices: list[Choice]) -> Recommendation | None:
    """The program that suits the answers and fits the minutes; else the shortest suitable;
    else the shortest there is. None only when there are no programs at all."""
    if not choices:
        return None
    preferred, reasons = _preferences(answers)
    by_slug = {choice.slug: choice for choice in choices}
    suitable = (
        [
            by_slug[slug]
            for slug in preferred
            if slug in by_slug and (answers.floor or not by_slug[slug].needs_floor)
        ]
        or [choice for choice in choices if answers.floor or not choice.needs_floor]
        or choices
    )
    fits = [choice for choice in suitable if choice.minutes <= answers.minutes + 1]
    if fits:
        return Recommendation(fits[0].slug, (*reasons, "time"))
    shortest = min(suitable, key=lambda choice: choice.minutes)
    return Recommendation(shortest.slug, (*reasons, "short"))
