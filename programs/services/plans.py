"""Writes of the plan a person follows and of the flare-ups they record."""

from datetime import date

from django.db import transaction

from backcare.models import User
from programs.models import FlareUp, Plan, Program


def record_flare_up(user: User, day: date, note: str) -> FlareUp:
    return FlareUp.objects.create(user=user, started_on=day, note=note)


@transaction.atomic
def follow(user: User, program: Program, today: date) -> Plan:
    """Follow `program` from today; a plan followed before stops."""
    stop_following(user)
    return Plan.objects.create(
        user=user,
        program=program,
        starts_on=today,
        weeks=program.weeks,
        sessions_per_day=program.sessions_per_day,
    )


def stop_following(user: User) -> None:
    Plan.objects.filter(user=user, active=True).update(active=False)
