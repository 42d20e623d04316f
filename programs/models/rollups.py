"""Day-by-day totals of what a person did, kept beside the steps they sum.

programs/services/rollups.py writes them in the transaction that records each step, and
rebuilds them from the steps (`manage.py rebuild_rollups`). Goals and history read these
instead of summing every step of a long history on each visit.
"""

from django.conf import settings
from django.db import models

from programs.models.library import MuscleGroup


class DayGroupTotal(models.Model):
    """Per person, local day and muscle group: sessions that worked it, seconds of work."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    muscle_group = models.ForeignKey(MuscleGroup, on_delete=models.CASCADE, related_name="+")
    sessions = models.PositiveIntegerField(default=0)
    seconds = models.PositiveIntegerField(default=0)

    class Meta:
        # A goal sums one group's days since it was set: a range of this index.
        constraints = [
            models.UniqueConstraint(
                fields=["user", "muscle_group", "day"], name="one_total_per_group_and_day"
            )
        ]
        indexes = [models.Index(fields=["user", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.muscle_group_id}: {self.sessions} sessions, {self.seconds} s"


class DayTotal(models.Model):
    """Per person and local day: steps done (skipped ones not counted) and their seconds."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    steps = models.PositiveIntegerField(default=0)
    seconds = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_total_per_day")]

    def __str__(self) -> str:
        return f"{self.day}: {self.steps} steps, {self.seconds} s"
