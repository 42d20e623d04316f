"""Day-by-day totals of what a person did, kept beside the steps they sum.

programs/services/rollups.py writes them in the transaction that records each step, and
rebuilds them from the steps (`manage.py rebuild_rollups`). Goals and history read these
instead of summing every step of a long history on each visit.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, models

from backcare.prepared import Rows
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


class RecordsVersion(models.Model):
    """Per person, a number that moves on with every change to what they recorded or made.

    Parts of their pages are cached under it (programs/page_cache.py `personal`: the
    history's records, their goals, their own programs on the program list). It lives in
    the database, as the library's version does: each process of the default local-memory
    cache has its own copy, and a number kept there would not reach the others. A person
    with no row yet is at 0; the number only ever grows, so no old entry is read again."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    number = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.number}"

    @classmethod
    def of(cls, user_id: int) -> int:
        # Compiled once (backcare/prepared.py): read on every page cached under it.
        row = _NUMBER.first(user_id=user_id)
        return row[0] if row else 0

    @classmethod
    def bump(cls, user_id: int) -> None:
        """Move the person's number on, in the caller's transaction: whoever reads the new
        number also reads the change, so nothing old is ever cached under it."""
        table = connection.ops.quote_name(cls._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (user_id, number) VALUES (%s, 1) "
                f"ON CONFLICT (user_id) DO UPDATE SET number = {table}.number + 1",
                [user_id],
            )

    @classmethod
    def bump_everyone(cls) -> None:
        cls.objects.update(number=models.F("number") + 1)
        people = get_user_model().objects.exclude(pk__in=cls.objects.values("user_id"))
        cls.objects.bulk_create(
            (cls(user_id=pk, number=1) for pk in people.values_list("pk", flat=True)),
            ignore_conflicts=True,
        )


_NUMBER = Rows(
    lambda user_id: RecordsVersion.objects.filter(user_id=user_id).values_list("number"),
    "user_id",
)
