"""The player's dose words fit the exercise, and its countdown never wraps."""

from types import SimpleNamespace

import pytest

from programs.templatetags.doses import clock, dose_words
from programs.timeline import Dose


def step(slug: str, kind: str, hold: int, reps: int, sets: int = 1, per_side: bool = False):
    exercise = SimpleNamespace(slug=slug, kind=kind)
    dose = Dose(
        hold_seconds=hold,
        reps=reps,
        sets=sets,
        rest_seconds=30 if sets > 1 else 0,
        per_side=per_side,
    )
    return SimpleNamespace(exercise=exercise, dose=dose)


@pytest.mark.parametrize(
    ("given", "words"),
    [
        (step("gentle-walk", "warmup", 120, 1), "Walk 2 min"),
        (step("marching-in-place", "warmup", 60, 1), "March 1 min"),
        (step("deep-breathing-lying", "cooldown", 120, 1), "Breathe 2 min"),
        (step("arm-circles", "warmup", 45, 1), "Keep moving for 45 s"),
        (step("seated-gluteus-squeeze", "stretch", 300, 1), "Hold 5 min"),
        (step("lying-butterfly", "cooldown", 60, 1), "Hold 1 min"),
        (
            step("piriformis-stretch", "stretch", 30, 2, per_side=True),
            "Hold 30 s, 2 times each side",
        ),
        (step("heel-slides", "strength", 0, 10, per_side=True), "10 times each side"),
        (step("glute-bridge", "strength", 5, 10, sets=2), "Hold 5 s, 10 times, 2 sets"),
        (step("sit-to-stand", "strength", 0, 8, sets=2), "8 times, 2 sets"),
    ],
)
def test_the_dose_is_said_as_the_exercise_is_done(given, words):
    assert dose_words(given) == words


@pytest.mark.parametrize(
    ("seconds", "shown"), [(0, "0"), (45, "45"), (60, "1:00"), (125, "2:05"), (600, "10:00")]
)
def test_the_countdown_is_minutes_and_seconds_on_one_line(seconds, shown):
    assert clock(seconds) == shown
