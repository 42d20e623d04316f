"""The article's rule for every program: warm up first, cool down after.

Pure functions over plain phase names, shared by the admin, the loader and the
program builder so the message is the same wherever the rule is broken.
"""

from itertools import pairwise

WARMUP = "warmup"
MAIN = "main"
COOLDOWN = "cooldown"
PHASE_RANK = {WARMUP: 0, MAIN: 1, COOLDOWN: 2}


def phase_order_problem(phases: list[str]) -> str | None:
    """A message that says what is wrong and how to fix it, or None when the order is right."""
    from django.utils.translation import gettext as _

    if not phases:
        return _("A program needs at least a warm-up step and a cool-down step.")
    if phases[0] != WARMUP:
        return _("Start with a warm-up: move a warm-up step to the top, or add one.")
    if phases[-1] != COOLDOWN:
        return _("End with a cool-down: move a cool-down step to the bottom, or add one.")
    ranks = [PHASE_RANK[phase] for phase in phases]
    for position, (before, after) in enumerate(pairwise(ranks), start=2):
        if after < before:
            return _(
                "Step %(position)d is out of order: keep all warm-up steps first, then the "
                "main exercises, then all cool-down steps."
            ) % {"position": position}
    return None
