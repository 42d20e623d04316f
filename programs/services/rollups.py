"""Keep the day-by-day totals (programs/models/rollups.py) equal to the steps they sum.

A recorded step adds to them in its own transaction; deleting sessions, steps or records
recomputes the days they touched; `rebuild` recomputes everything from the steps.
"""

from collections.abc import Iterable
from datetime import date

from django.db import connection, transaction
from django.db.models import Count, F, QuerySet, Sum
from django.db.models.signals import post_delete

from programs.models import (
    DayGroupTotal,
    DayTotal,
    RecordsVersion,
    Session,
    SessionStep,
    StepCompletion,
)


def add_completion(session: Session, step: SessionStep, completion: StepCompletion) -> None:
    """Add one newly recorded step to its day's totals (call inside its transaction), and
    move the person's records' version on, as their history shows the totals.

    Three statements, as this runs with every step: each group the step works gets its
    seconds, and one more session unless an earlier step of this session already worked it."""
    if completion.skipped:
        return
    quote = connection.ops.quote_name
    through = quote(SessionStep.muscle_groups.through._meta.db_table)
    steps, done = quote(SessionStep._meta.db_table), quote(StepCompletion._meta.db_table)
    day = connection.ops.adapt_datefield_value(session.local_day)
    earlier = (
        f"SELECT 1 FROM {through} t2 JOIN {steps} s2 ON s2.id = t2.sessionstep_id "
        f"JOIN {done} c2 ON c2.step_id = s2.id WHERE s2.session_id = %s AND s2.id <> %s "
        "AND c2.skipped = %s AND t2.musclegroup_id = t.musclegroup_id"
    )
    rows = (
        f"SELECT %s, t.musclegroup_id, %s, CASE WHEN EXISTS ({earlier}) THEN 0 ELSE 1 END, %s "
        f"FROM {through} t WHERE t.sessionstep_id = %s"
    )
    params = [session.user_id, day, session.pk, step.pk, False, completion.seconds_done, step.pk]
    _add(DayGroupTotal, ["user_id", "muscle_group_id", "day"], rows, params)
    seconds = completion.seconds_done
    _add(DayTotal, ["user_id", "day"], "SELECT %s, %s, 1, %s", [session.user_id, day, seconds])
    RecordsVersion.bump(session.user_id)


def _add(model, keys: list[str], rows: str, params: list) -> None:
    """Insert the rows the SELECT gives, or add their counts to the rows already there."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    counts = ["sessions", "seconds"] if model is DayGroupTotal else ["steps", "seconds"]
    columns = ", ".join(quote(name) for name in keys + counts)
    updates = ", ".join(f"{quote(c)} = {table}.{quote(c)} + excluded.{quote(c)}" for c in counts)
    # "WHERE true": without a WHERE, SQLite would read ON CONFLICT as a join's ON.
    where = "" if " WHERE " in rows else " WHERE true"
    sql = (
        f"INSERT INTO {table} ({columns}) {rows}{where} "
        f"ON CONFLICT ({', '.join(quote(name) for name in keys)}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def group_totals_from_steps(user_ids: Iterable[int] | None = None, days=None) -> list[tuple]:
    """(user, day, group, sessions, seconds), summed from the recorded steps themselves."""
    rows = SessionStep.muscle_groups.through.objects.filter(
        sessionstep__completion__isnull=False, sessionstep__completion__skipped=False
    )
    if user_ids is not None:
        rows = rows.filter(sessionstep__session__user_id__in=user_ids)
    if days is not None:
        rows = rows.filter(sessionstep__session__local_day__in=days)
    rows = rows.annotate(
        user_id=F("sessionstep__session__user_id"), day=F("sessionstep__session__local_day")
    ).values_list("user_id", "day", "musclegroup_id")
    return list(
        rows.annotate(
            sessions=Count("sessionstep__session", distinct=True),
            seconds=Sum("sessionstep__completion__seconds_done"),
        )
    )


def day_totals_from_steps(user_ids: Iterable[int] | None = None, days=None) -> list[tuple]:
    """(user, day, steps, seconds), summed from the recorded steps themselves."""
    rows = StepCompletion.objects.filter(skipped=False)
    if user_ids is not None:
        rows = rows.filter(step__session__user_id__in=user_ids)
    if days is not None:
        rows = rows.filter(step__session__local_day__in=days)
    rows = rows.annotate(user_id=F("step__session__user_id"), day=F("step__session__local_day"))
    rows = rows.values_list("user_id", "day")
    return list(rows.annotate(steps=Count("pk"), seconds=Sum("seconds_done")))


@transaction.atomic
def recompute(user_ids: Iterable[int] | None = None, days: Iterable[date] | None = None) -> int:
    """Replace the totals of these people (everyone when None) on these days (all when None)
    with sums of their steps, and move their records' versions on. Returns how many day
    totals there are now."""
    user_ids = None if user_ids is None else list(user_ids)
    if user_ids is None:
        RecordsVersion.bump_everyone()
    for user_id in user_ids or ():
        RecordsVersion.bump(user_id)
    days = None if days is None else list(days)
    for model in (DayGroupTotal, DayTotal):
        old = model.objects.all()
        if user_ids is not None:
            old = old.filter(user_id__in=user_ids)
        if days is not None:
            old = old.filter(day__in=days)
        old.delete()
    DayGroupTotal.objects.bulk_create(
        DayGroupTotal(user_id=u, day=d, muscle_group_id=g, sessions=n, seconds=s or 0)
        for u, d, g, n, s in group_totals_from_steps(user_ids, days)
    )
    totals = DayTotal.objects.bulk_create(
        DayTotal(user_id=u, day=d, steps=n, seconds=s or 0)
        for u, d, n, s in day_totals_from_steps(user_ids, days)
    )
    return len(totals)


def _deleted(sender, instance, origin=None, **kwargs) -> None:
    """A session, step or record deleted on its own: recompute the day it belonged to.

    Deleted along with something else (a person deleting their account) it is left alone:
    the totals go with the person, or the deleted session recomputes its day once."""
    deleted_alone = origin is instance or (
        isinstance(origin, QuerySet) and origin.model is type(instance)
    )
    if not deleted_alone:
        return
    if isinstance(instance, Session):
        found = (instance.user_id, instance.local_day)
    else:
        session_id = (
            instance.session_id
            if isinstance(instance, SessionStep)
            else SessionStep.objects.filter(pk=instance.step_id).values("session_id")[:1]
        )
        found = Session.objects.filter(pk=session_id).values_list("user_id", "local_day").first()
    if found is not None:
        recompute([found[0]], [found[1]])


def connect() -> None:
    for model in (Session, SessionStep, StepCompletion):
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"rollups-{model.__name__}")
