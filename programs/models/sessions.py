"""Guided sessions: a snapshot of a program's steps, what was done, and pain reports."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from programs import session_flow, timeline
from programs.models.library import DoseFields, Exercise, MuscleGroup, Program, ProgramStep
from programs.pace import needs_screening

PAIN_VALIDATORS = [MaxValueValidator(10)]


class SessionQuerySet(models.QuerySet):
    def unfinished(self) -> "SessionQuerySet":
        return self.filter(status=Session.Status.IN_PROGRESS)

    def finished(self) -> "SessionQuerySet":
        return self.exclude(status=Session.Status.IN_PROGRESS)


class Session(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = session_flow.Status.IN_PROGRESS.value, _("In progress")
        COMPLETED = session_flow.Status.COMPLETED.value, _("Completed")
        STOPPED_FOR_PAIN = session_flow.Status.STOPPED_FOR_PAIN.value, _("Stopped for pain")
        ABANDONED = session_flow.Status.ABANDONED.value, _("Abandoned")

    class Pace(models.TextChoices):
        NORMAL = "normal", _("As planned")
        GENTLER = "gentler", _("Gentler")

    class GentlerBecause(models.TextChoices):
        NOT = "", _("Not made gentler")
        WORSE_MORNING = "worse_morning", _("The back felt worse the morning after the last one")
        PAIN_BEFORE = "pain_before", _("The back hurt before it started")
        PAIN_REPORT = "pain_report", _("It hurt during the session")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sessions"
    )
    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    # Kept so history reads right after the program is renamed or deleted.
    program_name = models.CharField(_("program"), max_length=100)
    status = models.CharField(
        _("status"), max_length=16, choices=Status, default=Status.IN_PROGRESS
    )
    pace = models.CharField(_("pace"), max_length=16, choices=Pace, default=Pace.NORMAL)
    gentler_because = models.CharField(
        _("gentler because"), max_length=16, choices=GentlerBecause, blank=True, default=""
    )
    # After pain of 8 or more before: the person chooses how gently to go on (this session
    # made gentler, a gentler program, or rest) before any step.
    choice_due = models.BooleanField(_("gentle choice due"), default=False)
    pain_before = models.PositiveSmallIntegerField(
        _("pain before"), null=True, blank=True, validators=PAIN_VALIDATORS
    )
    pain_after = models.PositiveSmallIntegerField(
        _("pain after"), null=True, blank=True, validators=PAIN_VALIDATORS
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    # The calendar day the session started on where the user was: streaks, calendars and
    # goals count days, and reading it back needs no time-zone arithmetic in SQL.
    local_day = models.DateField(_("day"), db_index=True)
    # When the main work ended (completed, stopped or abandoned); a cool-down may follow.
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            # A user has at most one unfinished session: the database says so, not only
            # the view, so two tabs starting at once cannot both win.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status=session_flow.Status.IN_PROGRESS.value),
                name="one_unfinished_session_per_user",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-started_at"]),
            models.Index(fields=["user", "local_day"]),
        ]

    def __str__(self) -> str:
        return f"{self.program_name} ({self.started_at:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("programs:session", args=[self.pk])

    @property
    def is_unfinished(self) -> bool:
        return self.status == self.Status.IN_PROGRESS

    @property
    def is_gentler(self) -> bool:
        return self.pace == self.Pace.GENTLER

    @property
    def is_stopped(self) -> bool:
        return self.status == self.Status.STOPPED_FOR_PAIN

    @property
    def is_abandoned(self) -> bool:
        return self.status == self.Status.ABANDONED

    def facts(self) -> session_flow.SessionFacts:
        return session_flow.SessionFacts(
            status=self.status,
            pain_before=self.pain_before,
            pain_after=self.pain_after,
            screening_due=self.user.screening_due,
            choice_due=self.choice_due,
        )

    def standing(self, steps: "list[SessionStep] | None" = None) -> session_flow.Standing:
        """Where the session stands; reads its steps in one query unless they are given."""
        if steps is None:
            rows = self.steps.values_list("position", "phase", "completion")
            facts = [
                session_flow.StepFacts(
                    position, phase == ProgramStep.Phase.COOLDOWN, done is not None
                )
                for position, phase, done in rows
            ]
        else:
            facts = [step.facts() for step in steps]
        return session_flow.standing(self.facts(), facts)


class SessionStep(DoseFields):
    """One step of a session: the dose planned when it started, and what became of it."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("position"))
    phase = models.CharField(_("phase"), max_length=16, choices=ProgramStep.Phase)
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    # Set when a gentler pace swapped in the easier variant: what the program had.
    planned_exercise = models.ForeignKey(
        Exercise, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    made_gentler = models.BooleanField(_("made gentler"), default=False)
    # The groups the exercise worked (primary and secondary) when the session ran, so
    # progress and history never change when the library is edited later.
    muscle_groups = models.ManyToManyField(MuscleGroup, related_name="+", blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["session", "position"], name="one_step_per_position")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.exercise}"

    @property
    def planned_seconds(self) -> int:
        """Seconds of work the dose asks for, without the get-ready time."""
        return timeline.dose_seconds(self.dose, lead_in_seconds=0)

    @property
    def completion_or_none(self) -> "StepCompletion | None":
        try:
            return self.completion
        except StepCompletion.DoesNotExist:
            return None

    @property
    def is_cooldown(self) -> bool:
        return self.phase == ProgramStep.Phase.COOLDOWN

    @property
    def is_warmup(self) -> bool:
        return self.phase == ProgramStep.Phase.WARMUP

    @staticmethod
    def main_groups(steps: "list[SessionStep]", most: int = 5) -> list[MuscleGroup]:
        """The groups the done steps worked longest, at most `most` of them: a summary names
        the main ones, not all thirteen a short session touches."""
        seconds: dict[int, int] = {}
        groups: dict[int, MuscleGroup] = {}
        for step in steps:
            for group in step.muscle_groups.all():
                groups[group.pk] = group
                seconds[group.pk] = seconds.get(group.pk, 0) + step.completion.seconds_done
        ranked = sorted(groups.values(), key=lambda g: (-seconds[g.pk], g.position, g.name))
        return ranked[:most]

    def facts(self) -> session_flow.StepFacts:
        return session_flow.StepFacts(
            self.position, self.is_cooldown, self.completion_or_none is not None
        )


class StepCompletion(models.Model):
    """That a step was done (or skipped), recorded once and only once.

    The one-to-one link is the unique constraint that makes a double click, a retry or a
    second tab harmless; `key` lets a retry of the same request get the same answer.
    """

    step = models.OneToOneField(SessionStep, on_delete=models.CASCADE, related_name="completion")
    key = models.UUIDField(_("idempotency key"), unique=True, default=uuid.uuid4)
    seconds_done = models.PositiveIntegerField(_("seconds done"), default=0)
    # For a hold: how long each hold lasted, as the share of the step that was done.
    hold_seconds_done = models.PositiveIntegerField(_("hold reached (seconds)"), default=0)
    skipped = models.BooleanField(_("skipped"), default=False)
    # Skipped because the session stopped for pain before it was reached, not by choice.
    not_reached = models.BooleanField(_("not reached"), default=False)
    completed_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("step completion")

    def __str__(self) -> str:
        return f"{self.step}: {'skipped' if self.skipped else f'{self.seconds_done} s'}"


class PainReport(models.Model):
    """A pain report during a session ("It hurts"), kept on the step it happened in."""

    class Outcome(models.TextChoices):
        CARRY_ON = "carry_on", _("Carried on")
        SLOWER = "slower", _("Took it more slowly")
        STOP = "stop", _("Stopped")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="pain_reports")
    step = models.ForeignKey(
        SessionStep, null=True, blank=True, on_delete=models.CASCADE, related_name="pain_reports"
    )
    level = models.PositiveSmallIntegerField(_("pain"), validators=PAIN_VALIDATORS)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome)
    # What the pain rule recommended; the person may have chosen otherwise.
    recommended = models.CharField(
        _("recommended"), max_length=16, choices=Outcome, blank=True, default=""
    )
    # The same report sent twice (a double click, a retry) is recorded once.
    key = models.UUIDField(_("idempotency key"), unique=True, default=uuid.uuid4)
    reported_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["reported_at", "pk"]

    def __str__(self) -> str:
        return f"{self.level}/10: {self.get_outcome_display()}"

    @property
    def asks_screening(self) -> bool:
        """So high that the warning-signs questions come again before the next session."""
        return needs_screening(self.level)


class SafetyScreening(models.Model):
    """The warning-signs questions, answered before a first session or after high pain."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety_screenings"
    )
    answered_at = models.DateTimeField(_("answered"), auto_now_add=True)
    warning_signs = models.JSONField(_("warning signs reported"), default=list, blank=True)
    # Things to check with a clinician first; they do not stop a session.
    check_first = models.JSONField(_("to check with a clinician"), default=list, blank=True)

    class Meta:
        ordering = ["-answered_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.answered_at:%Y-%m-%d}: {len(self.warning_signs)} warning signs"
