"""The article's rule for every program: warm up first, cool down after.

A step's phase comes from what its exercise is (its kind): warm-up exercises warm up,
cool-down exercises cool down, and everything else (stretch, strength, mobility) is the
main work. A full side plank is never a warm-up, whatever a step says. Pure functions over
plain values, shared by the admin, the loader, the builder and the runner so the message
is the same wherever the rule is broken.
"""

from dataclasses import dataclass
from itertools import pairwise

WARMUP = "warmup"
MAIN = "main"
COOLDOWN = "cooldown"
PHASE_RANK = {WARMUP: 0, MAIN: 1, COOLDOWN: 2}
# Exercise kinds that are phases of their own; every other kind is main work.
KIND_PHASES = {"warmup": WARMUP, "cooldown": COOLDOWN}


def phase_of_kind(kind: str) -> str:
    return KIND_PHASES.get(kind, MAIN)


@dataclass(frozen=True)
class StepKind:
    """A step as the rule reads it: its exercise's name, kind, and the kind in words."""

    name: str
    kind: str
    kind_label: str

    @property
    def phase(self) -> str:
        return phase_of_kind(self.kind)


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


def program_order_problem(steps: list[StepKind]) -> str | None:
    """The same rule read from the exercises themselves, naming the step to move."""
    from django.utils.translation import gettext as _

    if not steps:
        return phase_order_problem([])
    first, last = steps[0], steps[-1]
    values = {"name": first.name, "kind": first.kind_label.lower()}
    if first.phase != WARMUP:
        return (
            _(
                "Start with a warm-up: %(name)s is a %(kind)s exercise. Move a warm-up exercise "
                "to the top, or add one."
            )
            % values
        )
    if last.phase != COOLDOWN:
        return _(
            "End with a cool-down: %(name)s is a %(kind)s exercise. Move a cool-down exercise "
            "to the bottom, or add one."
        ) % {"name": last.name, "kind": last.kind_label.lower()}
    return _out_of_order(steps)


def _out_of_order(steps: list[StepKind]) -> str | None:
    from django.utils.translation import gettext as _

    for position, (before, after) in enumerate(pairwise(steps), start=2):
        if PHASE_RANK[after.phase] >= PHASE_RANK[before.phase]:
            continue
        values = {"position": position, "name": after.name, "kind": after.kind_label.lower()}
        if after.phase == WARMUP:
            return (
                _(
                    "Step %(position)d, %(name)s, is a %(kind)s exercise: move it up, before the "
                    "main exercises."
                )
                % values
            )
        return (
            _(
                "Step %(position)d, %(name)s, is a %(kind)s exercise: move it up, before the "
                "cool-down steps."
            )
            % values
        )
    return None
