"""Where a session stands, worked out in one place from plain facts about it.

Every session page and every write asks `standing()`: which stage the session is at (the
warning-signs questions, pain before, the steps, the cool-down offered after a stop, pain
after, the summary), which steps can still be done, and what it will take. Pure: no
database, so each rule is unit-tested with plain values.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Stage(StrEnum):
    SCREENING = "screening"  # the warning-signs questions come before anything else
    PAIN_BEFORE = "pain_before"
    GENTLE_CHOICE = "gentle_choice"  # after very high pain before: how gently to go on
    STEPS = "steps"  # the runner, at the first step not yet recorded
    COOLDOWN_OFFER = "cooldown_offer"  # stopped for pain, with the cool-down still open
    PAIN_AFTER = "pain_after"
    SUMMARY = "summary"


class Page(StrEnum):
    SAFETY = "safety"
    PAIN_BEFORE = "pain_before"
    GENTLE_CHOICE = "gentle_choice"
    RUNNER = "runner"
    STOPPED = "stopped"
    PAIN_AFTER = "pain_after"
    SUMMARY = "summary"


PAGE_OF_STAGE = {
    Stage.SCREENING: Page.SAFETY,
    Stage.PAIN_BEFORE: Page.PAIN_BEFORE,
    Stage.GENTLE_CHOICE: Page.GENTLE_CHOICE,
    Stage.STEPS: Page.RUNNER,
    Stage.COOLDOWN_OFFER: Page.STOPPED,
    Stage.PAIN_AFTER: Page.PAIN_AFTER,
    Stage.SUMMARY: Page.SUMMARY,
}


class Status(StrEnum):
    """The values of `Session.Status`, for a module that does not import models."""

    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    STOPPED_FOR_PAIN = "stopped_pain"
    ABANDONED = "abandoned"


@dataclass(frozen=True)
class SessionFacts:
    status: str
    pain_before: int | None
    pain_after: int | None
    screening_due: bool  # the person must answer the warning-signs questions again
    choice_due: bool = False  # after very high pain before: how gently to go on

    @property
    def is_unfinished(self) -> bool:
        return self.status == Status.IN_PROGRESS

    @property
    def is_stopped(self) -> bool:
        return self.status == Status.STOPPED_FOR_PAIN

    @property
    def has_ended(self) -> bool:
        """Nothing more can be added: pain after is in, or it was completed or left."""
        return self.pain_after is not None or self.status in {
            Status.COMPLETED,
            Status.ABANDONED,
        }

    @property
    def accepts_pain_reports(self) -> bool:
        """In progress, or stopped with its cool-down still open and no pain after yet."""
        return self.pain_after is None and self.status in {
            Status.IN_PROGRESS,
            Status.STOPPED_FOR_PAIN,
        }


@dataclass(frozen=True)
class StepFacts:
    position: int
    is_cooldown: bool
    recorded: bool  # done or skipped


@dataclass(frozen=True)
class Refusal:
    """Why a request cannot be taken now, and the HTTP status to answer with."""

    message: str
    status: int = 409


@dataclass(frozen=True)
class Standing:
    stage: Stage
    open_positions: tuple[int, ...]  # steps that can still be done, in order
    stopped: bool

    @property
    def next_position(self) -> int | None:
        return self.open_positions[0] if self.open_positions else None

    @property
    def page(self) -> Page:
        return PAGE_OF_STAGE[self.stage]

    def allows(self, page: Page) -> bool:
        """Whether `page` may show now: the stage's own page; after a stop, the runner for
        the cool-down on offer or pain after to skip it; the stop advice until pain after."""
        if page == self.page:
            return True
        if page == Page.RUNNER:
            return self.stage == Stage.COOLDOWN_OFFER
        if page == Page.PAIN_AFTER:
            return self.stage == Stage.COOLDOWN_OFFER  # the cool-down may be skipped
        if page == Page.STOPPED:
            return self.stopped and self.stage == Stage.PAIN_AFTER
        return False


def open_positions(session: SessionFacts, steps: list[StepFacts]) -> tuple[int, ...]:
    """Steps that can still be done: every unrecorded one, or only the cool-down once
    stopped for pain; none once the session has ended."""
    if session.has_ended or not (session.is_unfinished or session.is_stopped):
        return ()
    if session.is_unfinished and (session.pain_before is None or session.choice_due):
        return ()
    return tuple(
        step.position
        for step in steps
        if not step.recorded and (step.is_cooldown or not session.is_stopped)
    )


def stage_of(session: SessionFacts, steps: list[StepFacts]) -> Stage:
    if session.screening_due and session.accepts_pain_reports:
        # After pain of 8 or more: the warning-signs questions before anything else.
        return Stage.SCREENING
    if session.status == Status.ABANDONED or session.pain_after is not None:
        return Stage.SUMMARY
    if session.is_unfinished and session.pain_before is None:
        return Stage.PAIN_BEFORE
    if session.is_unfinished and session.choice_due:
        return Stage.GENTLE_CHOICE
    if open_positions(session, steps):
        return Stage.COOLDOWN_OFFER if session.is_stopped else Stage.STEPS
    return Stage.PAIN_AFTER


def standing(session: SessionFacts, steps: list[StepFacts]) -> Standing:
    return Standing(
        stage=stage_of(session, steps),
        open_positions=open_positions(session, steps),
        stopped=session.is_stopped,
    )


def screening_first(session: SessionFacts) -> Refusal | None:
    """The warning-signs questions are due: the person answers them before anything else."""
    if session.screening_due and session.accepts_pain_reports:
        return Refusal(_("Answer the warning-signs questions first."))
    return None


def refusal_to_record(session: SessionFacts, step: StepFacts) -> Refusal | None:
    """Why the session cannot take a record of this step now, or None when it can."""
    if session.pain_before is None and session.is_unfinished:
        return Refusal(_("Say how your back feels before the first step."))
    if session.choice_due and session.is_unfinished:
        return Refusal(_("Choose how gently to go on before the first step."))
    if session.has_ended:
        return Refusal(_("This session has ended; nothing more can be added to it."))
    if session.is_stopped and not step.is_cooldown:
        return Refusal(_("This session was stopped; only its cool-down is left."))
    return None


def refusal_to_report_pain(session: SessionFacts) -> Refusal | None:
    if not session.accepts_pain_reports:
        return Refusal(_("This session has ended; it takes no more reports."))
    return None


def refusal_to_skip(is_warmup: bool, skipped: bool, confirmed: bool) -> Refusal | None:
    """The main work never starts without the warm-up, unless the person says they mean
    to skip it."""
    if skipped and is_warmup and not confirmed:
        return Refusal(
            _(
                "Warming up first protects your back. To skip it anyway, tick "
                "“I know: skip the warm-up”."
            ),
            status=400,
        )
    return None
