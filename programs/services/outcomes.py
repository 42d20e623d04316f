"""How the person is doing between sessions: the next-morning check, the weekly check-in
and the activities their back makes hard."""

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Subquery

from backcare.models import User
from backcare.prepared import Rows
from programs.models import (
    ActivityRating,
    Goal,
    HardActivity,
    MorningCheck,
    Session,
    WeeklyCheckIn,
)
from programs.services import goals, suggestions

# The morning check asks about the last session for this many days after it.
MORNING_CHECK_DAYS = 3


def _sessions_done(user: User | int):
    """The person's finished sessions in which at least one step was done, latest first."""
    return (
        Session.objects.filter(user=user)
        .finished()
        .filter(steps__completion__skipped=False)
        .order_by("-started_at", "-pk")
    )


def last_session_done(user: User) -> Session | None:
    """The person's latest finished session in which at least one step was done."""
    return _sessions_done(user).first()


def morning_check_due(user: User, today: date) -> Session | None:
    """The session to ask about: the latest one, on an earlier day not long ago, not yet
    answered (or skipped)."""
    last = last_session_done(user)
    if last is None or not today - timedelta(days=MORNING_CHECK_DAYS) <= last.local_day < today:
        return None
    if MorningCheck.objects.filter(session=last).exists():
        return None
    return last


def record_morning_check(
    user: User, session: Session, answer: str, stiffer: bool | None, today: date
) -> MorningCheck:
    """Store the answer once (a second submit keeps the first) and let it feed the next
    suggestion: a worse morning steps the program down."""
    try:
        with transaction.atomic():
            check = MorningCheck.objects.create(
                user=user, session=session, answer=answer, stiffer=stiffer, day=today
            )
    except IntegrityError:
        return MorningCheck.objects.get(session=session)
    if check.is_worse and session.program_id is not None:
        suggestions.suggest_after(session)
    return check


def _last_answer(user_id: int):
    last = _sessions_done(user_id).values("pk")[:1]
    return MorningCheck.objects.filter(session=Subquery(last)).values_list("answer")


# Every start asks it: one query, compiled once.
LAST_ANSWER = Rows(_last_answer, "user_id")


def next_session_gentler(user: User) -> bool:
    """The morning after the last session was worse: the next one starts gentler."""
    found = LAST_ANSWER.first(user_id=user.pk)
    return found is not None and found[0] == MorningCheck.Answer.WORSE


class TooManyActivities(Exception):
    """Three activities at a time at most, so each one counts."""


def add_activity(user: User, name: str) -> HardActivity:
    with transaction.atomic():
        current = HardActivity.objects.current().filter(user=user).select_for_update()
        if current.count() >= HardActivity.MOST:
            raise TooManyActivities
        return HardActivity.objects.create(user=user, name=name)


def record_weekly(
    user: User, answers: dict[str, int], ratings: dict[HardActivity, int], today: date
) -> WeeklyCheckIn:
    """This week's check-in (a second one the same week replaces the first) and the rating
    of each hard activity; an activity goal it meets is met today."""
    week = today - timedelta(days=today.weekday())
    with transaction.atomic():
        check_in, _created = WeeklyCheckIn.objects.update_or_create(
            user=user, week=week, defaults=answers
        )
        for activity, rating in ratings.items():
            ActivityRating.objects.update_or_create(
                activity=activity, check_in=check_in, defaults={"rating": rating}
            )
        rated = Goal.objects.open().filter(user=user, activity__in=list(ratings))
        goals.mark_met_goals(user, today, goals=list(rated.with_related()))
    return check_in


def check_in_due(user: User, today: date) -> bool:
    week = today - timedelta(days=today.weekday())
    return not WeeklyCheckIn.objects.filter(user=user, week=week).exists()
