"""Goals per muscle group, with due dates, and the user's own strength check-ins."""

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from programs.models.library import Exercise, MuscleGroup


class GoalQuerySet(models.QuerySet):
    def active(self) -> "GoalQuerySet":
        """Not archived: the goals a person is working toward or has met."""
        return self.filter(archived=False)

    def open(self) -> "GoalQuerySet":
        """Active and not yet achieved."""
        return self.active().filter(achieved_on__isnull=True)

    def due_by(self, day: date) -> "GoalQuerySet":
        return self.filter(due_date__lte=day)

    def with_related(self) -> "GoalQuerySet":
        return self.select_related("muscle_group", "exercise", "activity")


class Goal(models.Model):
    """The article's advice: an expectation with a due date, for a muscle group."""

    class Target(models.TextChoices):
        SESSIONS = "sessions", _("Sessions that work this group")
        MINUTES = "minutes", _("Minutes of work on this group")
        LONGEST_HOLD = "hold", _("Longest hold on one exercise (seconds)")
        RATING = "rating", _("How strong it feels, from 0 to 10")
        ACTIVITY = "activity", _("How well you can do an activity, from 0 to 10")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="goals"
    )
    muscle_group = models.ForeignKey(
        MuscleGroup, on_delete=models.PROTECT, related_name="goals", verbose_name=_("muscle group")
    )
    expectation = models.CharField(
        _("what you expect, in your own words"),
        max_length=300,
        help_text=_("For example: “Sit through a whole film without my lower back aching.”"),
    )
    due_date = models.DateField(_("due date"))
    target_kind = models.CharField(_("measured by"), max_length=16, choices=Target)
    target_value = models.PositiveIntegerField(
        _("target"), validators=[MinValueValidator(1), MaxValueValidator(100_000)]
    )
    exercise = models.ForeignKey(
        Exercise,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="goals",
        verbose_name=_("exercise"),
        help_text=_("For a longest-hold goal: the exercise whose hold you want to lengthen."),
    )
    activity = models.ForeignKey(
        "programs.HardActivity",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="goals",
        verbose_name=_("activity"),
        help_text=_("For an activity goal: the activity your back makes hard."),
    )
    # Where the measure stood when the goal was set: the start of the pace line.
    baseline = models.FloatField(_("starting value"), default=0)
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True)
    # The session whose steps met the target, so its summary can say so.
    achieved_in = models.ForeignKey(
        "programs.Session",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="goals_met",
        verbose_name=_("achieved in session"),
    )
    archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(_("set on"), auto_now_add=True)

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["archived", "due_date", "pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.CheckConstraint(
                condition=~Q(target_kind="hold") | Q(exercise__isnull=False),
                name="hold_goal_names_an_exercise",
            ),
            models.CheckConstraint(
                condition=~Q(target_kind="rating") | Q(target_value__lte=10),
                name="rating_goal_at_most_ten",
            ),
            models.CheckConstraint(
                condition=~Q(target_kind="activity")
                | (Q(activity__isnull=False) & Q(target_value__lte=10)),
                name="activity_goal_names_an_activity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.muscle_group}: {self.expectation}"

    def get_absolute_url(self) -> str:
        return reverse("programs:goal", args=[self.pk])

    @property
    def is_cumulative(self) -> bool:
        """Sessions and minutes add up over time; a hold and a rating are a level."""
        return self.target_kind in {self.Target.SESSIONS, self.Target.MINUTES}

    def mark_achieved(self, day: date, session=None) -> bool:
        """Record that the goal was met on `day`; False when it already was."""
        if self.achieved_on is not None:
            return False
        self.achieved_on = day
        self.achieved_in = session
        self.save(update_fields=["achieved_on", "achieved_in"])
        return True


class StrengthCheckIn(models.Model):
    """How strong a muscle group feels today, 0 to 10, in the user's own judgement."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_ins"
    )
    muscle_group = models.ForeignKey(
        MuscleGroup, on_delete=models.PROTECT, related_name="check_ins"
    )
    rating = models.PositiveSmallIntegerField(
        _("how strong it feels"), validators=[MaxValueValidator(10)]
    )
    recorded_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "pk"]
        indexes = [models.Index(fields=["user", "muscle_group", "recorded_at"])]

    def __str__(self) -> str:
        return f"{self.muscle_group}: {self.rating}/10"
