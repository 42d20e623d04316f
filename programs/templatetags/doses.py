"""Template filters that say a dose and a duration in words."""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from programs.timeline import Dose, dose_seconds

register = template.Library()


@register.filter
def duration(seconds: int | None) -> str:
    """45 → "45 s", 150 → "2 min 30 s", 598 → "10 min", 3900 → "1 h 5 min"."""
    if seconds is None:
        return ""
    seconds = int(seconds)
    if seconds >= 300:
        # Past five minutes nobody needs the seconds: round to the nearest minute.
        seconds = round(seconds / 60) * 60
    if seconds < 60:
        return _("%(s)d s") % {"s": seconds}
    minutes, rest = divmod(seconds, 60)
    if minutes < 60:
        if rest:
            return _("%(m)d min %(s)d s") % {"m": minutes, "s": rest}
        return _("%(m)d min") % {"m": minutes}
    hours, minutes = divmod(minutes, 60)
    return _("%(h)d h %(m)d min") % {"h": hours, "m": minutes}


@register.filter
def dose(value: Dose) -> str:
    """A dose in words: "Hold 30 s, 3 times, each side", "10 repetitions, 2 sets, rest 30 s"."""
    parts: list[str] = []
    if value.hold_seconds:
        parts.append(_("hold %(time)s") % {"time": duration(value.hold_seconds)})
        if value.reps > 1:
            parts.append(ngettext("%(n)d time", "%(n)d times", value.reps) % {"n": value.reps})
    else:
        parts.append(
            ngettext("%(n)d repetition", "%(n)d repetitions", value.reps) % {"n": value.reps}
        )
    if value.sets > 1:
        parts.append(ngettext("%(n)d set", "%(n)d sets", value.sets) % {"n": value.sets})
        if value.rest_seconds:
            parts.append(_("rest %(time)s between sets") % {"time": duration(value.rest_seconds)})
    if value.per_side:
        parts.append(_("each side"))
    text = ", ".join(parts)
    return text[:1].upper() + text[1:]


@register.filter
def dose_time(value: Dose) -> int:
    """Seconds a dose takes on the runner, get-ready time included."""
    return dose_seconds(value)


@register.filter
def clock(seconds: int | None) -> str:
    """A countdown as the runner shows it, never wrapping: 45 → "45", 125 → "2:05"."""
    seconds = int(seconds or 0)
    if seconds < 60:
        return str(seconds)
    minutes, rest = divmod(seconds, 60)
    return f"{minutes}:{rest:02d}"


# A timed movement said with its own verb, by a word in the exercise's slug.
MOVING_VERBS = (
    ("walk", gettext_lazy("Walk %(time)s")),
    ("march", gettext_lazy("March %(time)s")),
    ("breathing", gettext_lazy("Breathe %(time)s")),
)
KEEP_MOVING = gettext_lazy("Keep moving for %(time)s")


def _moving_words(exercise, dose: Dose):
    """The words of a timed movement (a walk, marching, breathing, any warm-up done for a
    time in one go), or None for anything held still or counted."""
    if not dose.hold_seconds or dose.reps != 1:
        return None
    for word, words in MOVING_VERBS:
        if word in exercise.slug:
            return words
    return KEEP_MOVING if exercise.kind == "warmup" else None


def is_moving(exercise, dose: Dose) -> bool:
    return _moving_words(exercise, dose) is not None


@register.filter
def dose_words(step) -> str:
    """A step's dose as the player says it, in words that fit the exercise: "Walk 3 min",
    "Hold 30 s", "Hold 20 s, 3 times each side", "10 times, 2 sets"."""
    exercise, value = step.exercise, step.dose
    time = duration(value.hold_seconds)
    moving = _moving_words(exercise, value)
    if moving is not None:
        text = str(moving) % {"time": time}
    elif value.hold_seconds:
        text = _("Hold %(time)s") % {"time": time}
        if value.reps > 1:
            text += ", " + ngettext("%(n)d time", "%(n)d times", value.reps) % {"n": value.reps}
    else:
        text = ngettext("%(n)d time", "%(n)d times", value.reps) % {"n": value.reps}
    if value.per_side:
        text += " " + _("each side")
    if value.sets > 1:
        text += ", " + ngettext("%(n)d set", "%(n)d sets", value.sets) % {"n": value.sets}
    return text
