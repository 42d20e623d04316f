"""Every change to what a person recorded or made moves their records' version on, so the
parts of their pages cached under it (programs/page_cache.py `personal`: their history, their
goals, their own programs on the program list) are made afresh.

Connected in ProgramsConfig.ready(). A recorded step moves it in programs.services.rollups,
in the transaction that adds the step to the day totals, and so does a recomputation of
those totals. Here: sessions (their pain before and after), flare-ups, next-morning answers,
weekly check-ins, hard activities and their ratings, goals and strength check-ins, and the
person's own programs, their steps and own exercises, saved or deleted. A person deleting
their account takes the version with them.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save

from programs.models import (
    ActivityRating,
    Exercise,
    FlareUp,
    Goal,
    HardActivity,
    MorningCheck,
    Program,
    ProgramStep,
    RecordsVersion,
    Session,
    StrengthCheckIn,
    WeeklyCheckIn,
)


def _owner(instance) -> int | None:
    """Whose records these are; None for the shared library's programs and exercises."""
    # Parents are read, not followed: in a cascade they may already be gone (and their own
    # deletion moves the version).
    if isinstance(instance, ActivityRating):
        activity = HardActivity.objects.filter(pk=instance.activity_id)
        return activity.values_list("user_id", flat=True).first()
    if isinstance(instance, ProgramStep):
        if ProgramStep.program.is_cached(instance):
            return instance.program.owner_id
        program = Program.objects.filter(pk=instance.program_id)
        return program.values_list("owner_id", flat=True).first()
    if isinstance(instance, Program | Exercise):
        return instance.owner_id
    return instance.user_id


def records_changed(sender, instance, created=False, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    if created and isinstance(instance, Session) and instance.pain_before is None:
        # A session just started shows nowhere in the cached part until it has a pain
        # score or a step done, each of which moves the version: starting stays light.
        return
    owner = _owner(instance)
    if owner is not None:
        RecordsVersion.bump(owner)


def _deleted(sender, instance, origin=None, **kwargs) -> None:
    # Deleted with the person (their account): their version goes with them.
    if not isinstance(origin, get_user_model()):
        records_changed(sender, instance, **kwargs)


def connect() -> None:
    models = (Session, FlareUp, MorningCheck, WeeklyCheckIn, HardActivity, ActivityRating)
    models += (Goal, StrengthCheckIn)
    for model in (*models, Program, ProgramStep, Exercise):
        post_save.connect(records_changed, sender=model, dispatch_uid=f"records-{model.__name__}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"records-del-{model.__name__}")
