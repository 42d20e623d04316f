"""How the person is doing beyond each session: the next-morning check, the weekly
check-in and the activities their back makes hard."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from programs.models.sessions import Session

SCALE = [MaxValueValidator(10)]


class MorningCheck(models.Model):
    """The morning after a session: is the back better, the same or worse than before it,
    and stiffer or not? Pain after exercise should settle by the next morning."""

    class Answer(models.TextChoices):
        BETTER = "better", _("Better")
        SAME = "same", _("The same")
        WORSE = "worse", _("Worse")
        SKIPPED = "skipped", _("Not answered")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="morning_checks"
    )
    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="morning_check")
    answer = models.CharField(_("answer"), max_length=8, choices=Answer)
    stiffer = models.BooleanField(_("stiffer than before"), null=True, blank=True)
    day = models.DateField(_("day"))  # the local day it was answered
    recorded_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-day", "-pk"]
        indexes = [models.Index(fields=["user", "day"])]

    def __str__(self) -> str:
        return f"{self.day}: {self.get_answer_display()}"

    @property
    def is_worse(self) -> bool:
        return self.answer == self.Answer.WORSE


class WeeklyCheckIn(models.Model):
    """Once a week, three questions from 0 to 10 (the PEG scale, public domain): average
    pain, and how much pain got in the way of enjoying life and of general activity."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="weekly_check_ins"
    )
    week = models.DateField(_("week"))  # the Monday of the person's local week
    pain = models.PositiveSmallIntegerField(_("average pain"), validators=SCALE)
    enjoyment = models.PositiveSmallIntegerField(_("in the way of enjoying life"), validators=SCALE)
    activity = models.PositiveSmallIntegerField(
        _("in the way of general activity"), validators=SCALE
    )
    recorded_at = models.DateTimeField(_("when"), auto_now=True)

    class Meta:
        ordering = ["week"]
        constraints = [
            models.UniqueConstraint(fields=["user", "week"], name="one_check_in_a_week"),
        ]

    def __str__(self) -> str:
        return f"{self.week}: {self.score:.1f}"

    @property
    def score(self) -> float:
        """The three answers' mean, 0 to 10: lower is better."""
        return round((self.pain + self.enjoyment + self.activity) / 3, 1)


class HardActivityQuerySet(models.QuerySet):
    def current(self) -> "HardActivityQuerySet":
        return self.filter(archived=False)


class HardActivity(models.Model):
    """Something the person's back makes hard (the idea of the Patient-Specific Functional
    Scale): rated each week from 0, cannot do it, to 10, as well as before the pain."""

    MOST = 3  # at most three at a time, so each one counts

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hard_activities"
    )
    name = models.CharField(_("activity"), max_length=80)
    archived = models.BooleanField(_("no longer followed"), default=False)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    objects = HardActivityQuerySet.as_manager()

    class Meta:
        ordering = ["archived", "created_at", "pk"]
        verbose_name_plural = _("hard activities")

    def __str__(self) -> str:
        return self.name


class ActivityRating(models.Model):
    activity = models.ForeignKey(HardActivity, on_delete=models.CASCADE, related_name="ratings")
    check_in = models.ForeignKey(
        WeeklyCheckIn, null=True, blank=True, on_delete=models.CASCADE, related_name="ratings"
    )
    rating = models.PositiveSmallIntegerField(_("how well you can do it"), validators=SCALE)
    recorded_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "check_in"], name="one_rating_per_activity_a_week"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity}: {self.rating}/10"
