"""What sessions recorded, read back for goals, history and reports.

Each function is one query whose size depends on days and muscle groups, not on how many
sessions or steps there are (minutes and sessions come from the day-by-day totals kept by
programs/services/rollups.py); the calculations on the results are pure functions
in goal_progress.py and history.py.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Avg, Count, F, Max, Min, Q, Subquery, Sum

from backcare.models import User
from programs import goal_progress, history
from programs.models import (
    ActivityRating,
    DayGroupTotal,
    DayTotal,
    Goal,
    MorningCheck,
    Session,
    SessionStep,
    StepCompletion,
    StrengthCheckIn,
    WeeklyCheckIn,
)


@dataclass(frozen=True)
class GroupDay:
    day: date
    group_id: int
    sessions: int
    seconds: int


def group_days(
    user: User, since: date | None = None, group_ids: set[int] | None = None
) -> list[GroupDay]:
    """Per local day and muscle group: sessions that worked it, and seconds of work on it."""
    rows = DayGroupTotal.objects.filter(user=user)
    if since is not None:
        rows = rows.filter(day__gte=since)
    if group_ids is not None:
        rows = rows.filter(muscle_group_id__in=group_ids)
    fields = ("day", "muscle_group_id", "sessions", "seconds")
    return [GroupDay(*row) for row in rows.values_list(*fields)]


def group_week_seconds(user: User, week_starts: list[date]) -> dict[int, list[int]]:
    """Per muscle group worked in these weeks (each given by its first day, in order):
    seconds of work on it in each week, summed by the database in one row per group."""
    ends = [*week_starts[1:], week_starts[-1] + timedelta(weeks=1)]
    sums = {
        f"week_{n}": Sum("seconds", filter=Q(day__gte=start, day__lt=end), default=0)
        for n, (start, end) in enumerate(zip(week_starts, ends, strict=True))
    }
    rows = DayGroupTotal.objects.filter(user=user, day__gte=week_starts[0], day__lt=ends[-1])
    rows = rows.values("muscle_group_id").annotate(**sums)
    return {row["muscle_group_id"]: [row[name] for name in sums] for row in rows}


def hold_days(user: User, exercise_ids: set[int]) -> dict[int, list]:
    """Per exercise: (local day, longest hold that day)."""
    rows = (
        StepCompletion.objects.filter(
            step__session__user=user,
            step__exercise_id__in=exercise_ids,
            skipped=False,
            hold_seconds_done__gt=0,
        )
        .annotate(day=F("step__session__local_day"))
        .values("day", "step__exercise_id")
        .annotate(hold=Max("hold_seconds_done"))
    )
    holds: dict[int, list] = {}
    for row in rows:
        holds.setdefault(row["step__exercise_id"], []).append((row["day"], float(row["hold"])))
    return holds


def rating_days(user: User, zone: ZoneInfo, group_ids: set[int]) -> dict[int, list]:
    """Per muscle group: (local day, rating) for every check-in, oldest first."""
    ratings: dict[int, list] = {}
    for check_in in StrengthCheckIn.objects.filter(user=user, muscle_group_id__in=group_ids):
        day = history.local_day(check_in.recorded_at, zone)
        ratings.setdefault(check_in.muscle_group_id, []).append((day, float(check_in.rating)))
    return ratings


def activity_days(user: User, zone: ZoneInfo, activity_ids: set[int]) -> dict[int, list]:
    """Per hard activity: (local day, rating) for every rating of it, oldest first."""
    ratings: dict[int, list] = {}
    rows = ActivityRating.objects.filter(activity__user=user, activity_id__in=activity_ids)
    for rating in rows:
        day = history.local_day(rating.recorded_at, zone)
        ratings.setdefault(rating.activity_id, []).append((day, float(rating.rating)))
    return ratings


def goal_events(
    goal: Goal,
    days: list[GroupDay],
    holds: dict[int, list],
    ratings: dict[int, list],
    activities: dict[int, list] | None = None,
) -> list[tuple[date, float]]:
    """What counts toward one goal, as (day, amount) pairs."""
    if goal.target_kind == goal_progress.SESSIONS:
        return [(d.day, float(d.sessions)) for d in days if d.group_id == goal.muscle_group_id]
    if goal.target_kind == goal_progress.MINUTES:
        return [(d.day, d.seconds / 60) for d in days if d.group_id == goal.muscle_group_id]
    if goal.target_kind == goal_progress.LONGEST_HOLD:
        return holds.get(goal.exercise_id, [])
    if goal.target_kind == goal_progress.ACTIVITY:
        return (activities or {}).get(goal.activity_id, [])
    return ratings.get(goal.muscle_group_id, [])


@dataclass(frozen=True)
class GoalStanding:
    """A goal with where it stands today (and its measure day by day, when asked for)."""

    goal: Goal
    progress: goal_progress.Progress
    series: list[tuple[date, float]]
    start: date  # the local day the goal was set


@dataclass(frozen=True)
class GoalEvents:
    """What counts toward a set of goals, fetched in four queries."""

    days: list[GroupDay]
    holds: dict[int, list]
    ratings: dict[int, list]
    activities: dict[int, list]
    totals: dict[int, float | None]  # sessions or minutes so far, when the days are not needed

    def of(self, goal: Goal) -> list[tuple[date, float]]:
        return goal_events(goal, self.days, self.holds, self.ratings, self.activities)


def cumulative_totals(user: User, goals: list[Goal], today: date) -> dict[int, float | None]:
    """Per goal: sessions or minutes from the day it was set to today (None when nothing
    counted yet), in one query: each a range of the day totals' index."""
    sums = {}
    for goal in goals:
        days = DayGroupTotal.objects.filter(
            user=user,
            muscle_group_id=goal.muscle_group_id,
            day__gte=history.local_day(goal.created_at, user.zone),
            day__lte=today,
        )
        field = "sessions" if goal.target_kind == goal_progress.SESSIONS else "seconds"
        total = days.values("user").annotate(total=Sum(field)).values("total")
        sums[f"goal_{goal.pk}"] = Subquery(total)
    if not sums:
        return {}
    row = User.objects.filter(pk=user.pk).values(**sums).get()
    totals = {goal.pk: row[f"goal_{goal.pk}"] for goal in goals}
    minutes = {g.pk for g in goals if g.target_kind == goal_progress.MINUTES}
    return {pk: value / 60 if pk in minutes and value else value for pk, value in totals.items()}


def _goal_events(user: User, goals: list[Goal], today: date, series: bool) -> GoalEvents:
    counted = [g for g in goals if g.target_kind in goal_progress.CUMULATIVE]
    days, totals = [], {}
    if counted and series:
        since = min(history.local_day(g.created_at, user.zone) for g in counted)
        days = group_days(user, since=since, group_ids={g.muscle_group_id for g in counted})
    elif counted:
        totals = cumulative_totals(user, counted, today)
    kinds = {kind: {g for g in goals if g.target_kind == kind} for kind in goal_progress.KINDS}
    holds = hold_days(user, {g.exercise_id for g in kinds[goal_progress.LONGEST_HOLD]})
    ratings = rating_days(user, user.zone, {g.muscle_group_id for g in kinds[goal_progress.RATING]})
    rated = {g.activity_id for g in kinds[goal_progress.ACTIVITY]}
    activities = activity_days(user, user.zone, rated) if rated else {}
    return GoalEvents(days, holds, ratings, activities, totals)


def goal_standings(
    user: User, goals: list[Goal], today: date, series: bool = False
) -> list[GoalStanding]:
    """Each goal with where it stands today, however long the history: four queries.

    With `series`, sessions and minutes goals also get their measure day by day (for a
    chart); without, only their totals are read."""
    events = _goal_events(user, goals, today, series)
    standings = []
    for goal in goals:
        start = history.local_day(goal.created_at, user.zone)
        if goal.pk in events.totals:
            points, current = [], events.totals[goal.pk]
            current = goal.baseline if current is None else current
        else:
            points = goal_progress.goal_series(goal.target_kind, events.of(goal), start)
            current = goal_progress.value_on(points, today, default=goal.baseline)
        state = goal_progress.goal_progress(
            current=current,
            target=goal.target_value,
            baseline=goal.baseline,
            start=start,
            due=goal.due_date,
            today=today,
            achieved_on=goal.achieved_on,
        )
        standings.append(GoalStanding(goal, state, points, start))
    return standings


@dataclass(frozen=True)
class GoalMoved:
    standing: GoalStanding
    amount: float  # how far this session moved it
    achieved_now: bool  # this session met it


def goals_moved(session: Session, done: list[SessionStep], today: date) -> list[GoalMoved]:
    """Which of the person's goals a session moved, by how much, and where they stand. A goal
    set after the session's day counts nothing from it, so the session moved none of it."""
    zone = session.user.zone
    goals = [
        goal
        for goal in Goal.objects.active().filter(user=session.user).with_related()
        if history.local_day(goal.created_at, zone) <= session.local_day
    ]
    if not goals:
        return []
    steps = [
        goal_progress.StepDone(
            frozenset(group.pk for group in step.muscle_groups.all()),
            step.exercise_id,
            step.completion.seconds_done,
            step.completion.hold_seconds_done,
        )
        for step in done
    ]
    moved = []
    for standing in goal_standings(session.user, goals, today):
        goal = standing.goal
        amount = goal_progress.session_contribution(
            goal.target_kind, goal.muscle_group_id, goal.exercise_id, steps
        )
        if amount > 0:
            moved.append(GoalMoved(standing, amount, goal.achieved_in_id == session.pk))
    return moved


def starting_value(user: User, goal: Goal, today: date) -> float:
    """The baseline of a goal being set today: the best hold or latest rating so far."""
    if goal.target_kind in goal_progress.CUMULATIVE:
        return 0.0
    if goal.target_kind == goal_progress.ACTIVITY:
        events = activity_days(user, user.zone, {goal.activity_id}).get(goal.activity_id, [])
        return goal_progress.value_on(
            goal_progress.goal_series(goal.target_kind, events, today), today
        )
    zone = user.zone
    holds = hold_days(user, {goal.exercise_id} if goal.exercise_id else set())
    ratings = rating_days(user, zone, {goal.muscle_group_id})
    events = goal_events(goal, [], holds, ratings)
    return goal_progress.value_on(goal_progress.goal_series(goal.target_kind, events, today), today)


def session_days(user: User) -> set[date]:
    """Local days with at least one session in which something was done."""
    return set(DayTotal.objects.filter(user=user).values_list("day", flat=True))


def minutes_by_day(user: User, since: date) -> dict[date, float]:
    rows = DayTotal.objects.filter(user=user, day__gte=since).values_list("day", "seconds")
    return {day: seconds / 60 for day, seconds in rows}


@dataclass(frozen=True)
class PainWeek:
    week: date
    sessions: int
    before: float | None
    after: float | None


def pain_by_week(user: User, since: date) -> list[PainWeek]:
    """Average pain before and after sessions, week by week (weeks start on Monday)."""
    rows = (
        Session.objects.filter(user=user, local_day__gte=since)
        .exclude(pain_before__isnull=True)
        .annotate(day=F("local_day"))
        .values("day")
        .annotate(
            count=Count("pk"),
            before=Sum("pain_before"),
            after=Sum("pain_after"),
            after_count=Count("pain_after"),
        )
    )
    weeks: dict[date, list[float]] = {}
    for row in rows:
        bucket = weeks.setdefault(history.week_start(row["day"]), [0, 0, 0, 0])
        bucket[0] += row["count"]
        bucket[1] += row["before"] or 0
        bucket[2] += row["after"] or 0
        bucket[3] += row["after_count"]
    return [
        PainWeek(
            week,
            int(count),
            round(before / count, 1) if count else None,
            round(after / after_count, 1) if after_count else None,
        )
        for week, (count, before, after, after_count) in sorted(weeks.items())
    ]


def program_counts(user: User, since: date | None = None) -> list[dict]:
    """Sessions per program name, most followed first."""
    sessions = Session.objects.filter(user=user)
    if since is not None:
        sessions = sessions.filter(local_day__gte=since)
    return list(
        sessions.values("program_name")
        .annotate(
            sessions=Count("pk"),
            completed=Count("pk", filter=Q(status=Session.Status.COMPLETED)),
            stopped=Count("pk", filter=Q(status=Session.Status.STOPPED_FOR_PAIN)),
            last=Max("started_at"),
            pain_before=Avg("pain_before"),
            pain_after=Avg("pain_after"),
        )
        .order_by("-sessions", "program_name")
    )


def sessions_done_on(user: User, program, day: date) -> int:
    """Sessions of a program on a local day in which at least one step was done."""
    return (
        Session.objects.filter(user=user, program=program, local_day=day)
        .filter(steps__completion__skipped=False)
        .distinct()
        .count()
    )


OUTCOME_WEEKS = 12


@dataclass(frozen=True)
class OutcomeWeek:
    signals: history.WeekSignals
    pain_rose: bool
    stiffness_rose: bool
    check_in: "WeeklyCheckIn | None"
    ratings: dict[int, int]  # hard activity -> rating that week

    @property
    def week(self) -> date:
        return self.signals.week


def _morning_counts(user: User, since: date) -> dict[date, list[int]]:
    counts: dict[date, list[int]] = {}
    for check in (
        MorningCheck.objects.filter(user=user, session__local_day__gte=since)
        .exclude(answer=MorningCheck.Answer.SKIPPED)
        .select_related("session")
    ):
        bucket = counts.setdefault(history.week_start(check.session.local_day), [0, 0, 0])
        bucket[0] += 1
        bucket[1] += check.is_worse
        bucket[2] += bool(check.stiffer)
    return counts


def outcome_weeks(
    user: User, today: date, pain_weeks: list[PainWeek] | None = None, weeks: int = OUTCOME_WEEKS
) -> list[OutcomeWeek]:
    """The last weeks, oldest first: the weekly check-in, each hard activity's rating, pain
    before sessions and the next mornings. Four queries, however long the history; three
    when `pain_weeks` were read already (`pain_by_week` since these weeks' first day or
    earlier)."""
    first = history.week_start(today) - timedelta(weeks=weeks - 1)
    if pain_weeks is None:
        pain_weeks = pain_by_week(user, first)
    pain = {row.week: row.before for row in pain_weeks}
    mornings = _morning_counts(user, first)
    check_ins = {c.week: c for c in WeeklyCheckIn.objects.filter(user=user, week__gte=first)}
    ratings: dict[date, dict[int, int]] = {}
    for rating in ActivityRating.objects.filter(check_in__in=check_ins.values()).select_related(
        "check_in"
    ):
        ratings.setdefault(rating.check_in.week, {})[rating.activity_id] = rating.rating
    signals = [
        history.WeekSignals(week, pain.get(week), *mornings.get(week, [0, 0, 0]))
        for week in (first + timedelta(weeks=n) for n in range(weeks))
    ]
    return [
        OutcomeWeek(
            signal, pain_rose, stiff_rose, check_ins.get(signal.week), ratings.get(signal.week, {})
        )
        for signal, pain_rose, stiff_rose in history.rose_week_on_week(signals)
    ]


def pain_then_and_now(user: User, days: int = 7) -> tuple[float | None, float | None]:
    """Average pain before sessions in the first `days` days with sessions, and the last.
    Two queries whatever the history, so the home page costs the same for everyone."""
    sessions = Session.objects.filter(user=user, pain_before__isnull=False)
    bounds = sessions.aggregate(first=Min("local_day"), last=Max("local_day"))
    first, last = bounds["first"], bounds["last"]
    if first is None:
        return None, None
    averages = sessions.aggregate(
        then=Avg("pain_before", filter=Q(local_day__lt=first + timedelta(days=days))),
        now=Avg("pain_before", filter=Q(local_day__gt=last - timedelta(days=days))),
    )
    if (last - first).days < 2 * days:
        return None, None  # too soon to compare a start with now
    return averages["then"], averages["now"]


def sessions_since(user: User, day: date) -> int:
    return Session.objects.filter(user=user, local_day__gte=day).finished().count()
