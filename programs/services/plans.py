"""Writes of the plan a person follows and of the flare-ups they record."""

from datetime import date

from django.db import transaction

from backcare.models import User
from programs import recommend
from programs.models import FirstAnswers, FlareUp, Plan, Program


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


def start_with(user: User, answers: recommend.Answers, today: date) -> FirstAnswers | None:
    """The four first answers: the program they recommend becomes the plan. None when the
    library has no programs yet."""
    programs = list(Program.objects.curated().with_steps())
    choices = [recommend.Choice(p.slug, p.total_seconds() / 60, p.needs_floor()) for p in programs]
    chosen = recommend.recommend(answers, choices)
    if chosen is None:
        return None
    program = next(p for p in programs if p.slug == chosen.slug)
    with transaction.atomic():
        follow(user, program, today)
        return FirstAnswers.objects.create(
            user=user,
            how_long=answers.how_long,
            leg_pain=answers.leg_pain,
            floor=answers.floor,
            minutes=answers.minutes,
            program=program,
            reasons=list(chosen.reasons),
        )
