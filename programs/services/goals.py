"""Writes of goals: setting one with its starting value, check-ins, and marking goals met.

A goal is marked met by the write that met it (the end of a session, a check-in, an
edit), never by a page that shows it.
"""

from datetime import date

from django.db import transaction

from backcare.models import User
from programs import records
from programs.models import Goal, MuscleGroup, Session, StrengthCheckIn


def create_goal(goal: Goal, today: date) -> Goal:
    """Save a new goal with its starting value, so the pace line starts where the user is."""
    goal.baseline = records.starting_value(goal.user, goal, today)
    goal.save()
    return goal


def save_goal(goal: Goal, today: date) -> Goal:
    """Save an edited goal; a target it already meets is met today."""
    with transaction.atomic():
        goal.save()
        mark_met_goals(goal.user, today, goals=[goal])
    return goal


def mark_met_goals(
    user: User, today: date, session: Session | None = None, goals: list[Goal] | None = None
) -> list[Goal]:
    """Goals whose target is now met get their achieved date (and the session that met
    them). Three queries for all the user's open goals, however long the history."""
    if goals is None:
        goals = list(Goal.objects.open().filter(user=user).with_related())
    standings = records.goal_standings(user, goals, today)
    met = [
        standing.goal
        for standing in standings
        if standing.goal.achieved_on is None
        and not standing.goal.archived
        and standing.progress.is_met
    ]
    for goal in met:
        goal.mark_achieved(today, session)
    return met


def check_in(user: User, group: MuscleGroup, rating: int, today: date) -> StrengthCheckIn:
    """A strength rating for a muscle group; a rating goal it meets is met today."""
    with transaction.atomic():
        check_in = StrengthCheckIn.objects.create(user=user, muscle_group=group, rating=rating)
        rating_goals = Goal.objects.open().filter(
            user=user, muscle_group=group, target_kind=Goal.Target.RATING
        )
        mark_met_goals(user, today, goals=list(rating_goals.with_related()))
    return check_in
