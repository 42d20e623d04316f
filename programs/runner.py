"""What the session runner plays: each step's timeline, and the data its script reads.

Built from a session's steps (already fetched) and the person's preferences; the view
only renders it.
"""

import uuid
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programs.models import Session, SessionStep
from programs.pace import rule_rows
from programs.templatetags.doses import is_moving
from programs.timeline import Segment, build_timeline, timeline_seconds

SEGMENT_LABELS = {
    "lead_in": gettext_lazy("Get ready"),
    "hold": gettext_lazy("Hold"),
    "reps": gettext_lazy("Repetitions"),
    "relax": gettext_lazy("Relax"),
    "switch_side": gettext_lazy("Switch sides"),
    "rest": gettext_lazy("Rest"),
}


@dataclass
class RunnerItem:
    """One step as the runner shows it, with a fresh key for recording it."""

    step: SessionStep
    segments: list[Segment]
    done: bool
    key: uuid.UUID = field(default_factory=uuid.uuid4)

    @property
    def seconds(self) -> int:
        return timeline_seconds(self.segments)


def runner_items(session: Session, steps: list[SessionStep], lead_in: int) -> list[RunnerItem]:
    """Every step that can be played. Done steps stay so "Back" can return to them; once
    stopped for pain, only the cool-down is left to run."""
    if session.is_stopped:
        steps = [step for step in steps if step.is_cooldown]
    return [
        RunnerItem(step, build_timeline(step.dose, lead_in), step.completion_or_none is not None)
        for step in steps
    ]


def cooldown_seconds(steps: list[SessionStep], lead_in: int) -> int:
    return sum(timeline_seconds(build_timeline(step.dose, lead_in)) for step in steps)


def _phrases() -> dict[str, str]:
    return {
        "left": _("left side"),
        "right": _("right side"),
        "stepOf": _("Step %(n)s of %(total)s"),
        "paused": _("Paused"),
        "resume": _("Resume"),
        "pause": _("Pause"),
        "saved": _("Saved"),
        "saving": _("Saving…"),
        "offline": _(
            "You are offline. Keep going: what you do is kept on this device and saved "
            "when the connection is back."
        ),
        "loginAgain": _("Your sign-in has ended. Log in again in another tab to save."),
        "rejected": _("One step could not be saved: %(reason)s"),
        "finishing": _("All steps done. Saving your session…"),
        "doReps": _("Do %(n)s at your own pace"),
        "secondsLeft": _("%(s)s seconds left"),
        "adviseStop": _("We advise you to stop."),
        "adviseSlower": _("We advise you to take it more slowly."),
        "adviseCarryOn": _("You may carry on gently, or ease off."),
        "upNext": _("Up next: %(what)s"),
        "keepGoing": _("Keep going"),
        "painAfterKept": _(
            "Thank you. Your answer is kept on this device and saved, with your steps, when "
            "the connection is back. You can close this page."
        ),
        "slowerOffline": _(
            "Your report is kept on this device. Go on gently, shorter and slower; the rest "
            "of the session is made gentler once the report is saved."
        ),
        "reportKept": _("Your report is kept on this device and saved when you are back online."),
        "stoppedOffline": _(
            "You stopped — that was the right call. Rest now; your report is kept on this "
            "device until the connection is back."
        ),
    }


def _step_data(session: Session, item: RunnerItem) -> dict:
    return {
        "id": item.step.pk,
        "name": item.step.exercise.name,
        "done": item.done,
        "key": str(item.key),
        "completeUrl": reverse("programs:session-complete", args=[session.pk, item.step.pk]),
        "seconds": item.seconds,
        # A timed movement (a walk, marching): its time is kept going, not held still.
        "moving": is_moving(item.step.exercise, item.step.dose),
        "timeline": [segment.as_dict() for segment in item.segments],
    }


def runner_data(session: Session, items: list[RunnerItem]) -> dict:
    """What the runner's script reads from the page (as JSON)."""
    user = session.user
    return {
        "session": session.pk,
        "nextUrl": reverse("programs:session", args=[session.pk]),
        "hurtsUrl": reverse("programs:session-hurts", args=[session.pk]),
        "painAfterUrl": reverse("programs:session-pain-after", args=[session.pk]),
        "figuresUrl": reverse("programs:session-figures", args=[session.pk]),
        "sound": user.sound_cues,
        "speech": user.spoken_cues,
        "labels": {**SEGMENT_LABELS, **_phrases()},
        # The pain rule table, so "It hurts" advises at once, offline too.
        "rules": rule_rows(),
        "painBefore": session.pain_before,
        "steps": [_step_data(session, item) for item in items],
    }
