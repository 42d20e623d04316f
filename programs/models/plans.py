"""Making a program one's own: progression suggestions, flare-ups, and the plan."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programs.models.library import Exercise, Program
from programs.models.sessions import Session


class SuggestionQuerySet(models.QuerySet):
    def pending(self) -> "SuggestionQuerySet":
        return self.filter(status=Suggestion.Status.PENDING)

    def with_related(self) -> "SuggestionQuerySet":
        changes = SuggestedChange.objects.select_related("exercise", "variant")
        return self.prefetch_related(models.Prefetch("changes", queryset=changes))


class Suggestion(models.Model):
    """One change to a program, suggested from how its sessions went: a step up or down,
    with the list of exercises it changes."""

    class Direction(models.TextChoices):
        UP = "up", _("Step up")
        DOWN = "down", _("Step down")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for you")
        ACCEPTED = "accepted", _("Accepted")
        DISMISSED = "dismissed", _("Dismissed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suggestions"
    )
    program = models.ForeignKey(
        Program, null=True, on_delete=models.SET_NULL, related_name="suggestions"
    )
    session = models.ForeignKey(
        Session, null=True, on_delete=models.SET_NULL, related_name="suggestions"
    )
    direction = models.CharField(_("direction"), max_length=8, choices=Direction)
    reason = models.CharField(_("why"), max_length=200)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.PENDING)
    created_at = models.DateTimeField(_("suggested"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # The user's own program the accepted change went into.
    applied_to = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "program"],
                condition=Q(status="pending"),
                name="one_pending_suggestion_per_program",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()}: {self.program}"


class SuggestedChange(models.Model):
    """One exercise of a suggestion: its hold, repetitions or sets, or a variant."""

    class Change(models.TextChoices):
        HOLD = "hold", _("Hold")
        REPS = "reps", _("Repetitions")
        SETS = "sets", _("Sets")
        VARIANT = "variant", _("Variant")

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="changes")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    change = models.CharField(_("change"), max_length=8, choices=Change)
    from_value = models.PositiveIntegerField(_("from"), default=0)
    to_value = models.PositiveIntegerField(_("to"), default=0)
    variant = models.ForeignKey(
        Exercise, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.exercise}: {self.get_change_display()}"


class FlareUpQuerySet(models.QuerySet):
    def recent(self, today: date) -> "FlareUpQuerySet":
        """Flare-ups recent enough that rest or gentle exercise is still the advice."""
        return self.filter(started_on__gte=today - timedelta(days=FlareUp.ADVICE_DAYS))


class FlareUp(models.Model):
    """A flare-up of back pain: rest a day or two, then gentle exercise."""

    # Rest this many days, then gentle exercise is offered until ADVICE_DAYS have passed.
    REST_DAYS = 2
    ADVICE_DAYS = 9

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flare_ups"
    )
    started_on = models.DateField(_("started on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = FlareUpQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.started_on}"

    def is_resting(self, today: date) -> bool:
        """Still in the day or two of rest that comes before gentle exercise."""
        return (today - self.started_on).days < self.REST_DAYS


class Plan(models.Model):
    """The program a user follows: how many sessions a day, for how many weeks."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plans"
    )
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="plans")
    starts_on = models.DateField(_("starts on"))
    weeks = models.PositiveSmallIntegerField(_("weeks"))
    sessions_per_day = models.PositiveSmallIntegerField(_("sessions per day"))
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(active=True), name="one_active_plan_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.program} from {self.starts_on}"

    @property
    def days(self) -> int:
        return self.weeks * 7

    def day_number(self, today: date) -> int:
        """Which day of the plan today is, the first day being 1."""
        return (today - self.starts_on).days + 1

    def is_finished(self, today: date) -> bool:
        return self.day_number(today) > self.days


class FirstAnswers(models.Model):
    """The four questions after sign-up, and the program they recommended."""

    class HowLong(models.TextChoices):
        FLARE = "flare", _("A recent flare-up (days)")
        WEEKS = "weeks", _("A few weeks")
        MONTHS = "months", _("More than three months")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="first_answers"
    )
    how_long = models.CharField(_("how long it has hurt"), max_length=8, choices=HowLong)
    leg_pain = models.BooleanField(_("pain goes down a leg"))
    floor = models.BooleanField(_("gets down to the floor and up again"))
    minutes = models.PositiveSmallIntegerField(_("minutes a session can take"))
    program = models.ForeignKey(Program, null=True, on_delete=models.SET_NULL, related_name="+")
    reasons = models.JSONField(_("why"), default=list)
    answered_at = models.DateTimeField(_("answered"), auto_now_add=True)

    class Meta:
        ordering = ["-answered_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user}: {self.program}"
