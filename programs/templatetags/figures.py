"""Drawn figures of exercises in templates: `{% figure exercise "still" %}`."""

from django import template
from django.utils.safestring import SafeString

from programs.figures import figure_svg
from programs.figures import pose_names as _pose_names

register = template.Library()

# The drawing's own sizes (drawn once as each app server starts), and a larger strip to print.
SIZES = {"still": None, "moving": None, "strip": None, "player": None, "print": 140}


@register.simple_tag
def figure(exercise, mode: str = "still", side: str = "left") -> SafeString:
    """The exercise's figure (nothing where it has none), named by its first instruction.

    `print` is the strip of key poses at the size a printed page wants.
    """
    if exercise is None:
        return SafeString("")
    kind = "strip" if mode == "print" else mode
    return figure_svg(
        exercise.figure_key, kind, label=exercise.figure_label, side=side, size=SIZES[mode]
    )


@register.simple_tag
def pose_names(exercise) -> tuple[str, ...]:
    """The names of the exercise's key poses, in order."""
    return _pose_names(exercise.figure_key) if exercise is not None else ()
