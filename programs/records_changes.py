"""Every change to what a person's history shows moves their records' version on, so the
cached part of their history (programs/page_cache.py `personal`) is made afresh.

Connected in ProgramsConfig.ready(). A recorded step moves it in programs.services.rollups,
in the same statements' transaction that adds the step to the day totals, and so does a
recomputation of those totals. Here: sessions (their pain before and after), flare-ups,
next-morning answers, weekly check-ins, hard activities and their ratings, saved or deleted.
A person deleting their account takes the version with them.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save

from programs.models import (
    ActivityRating,
    FlareUp,
    HardActivity,
    MorningCheck,
    RecordsVersion,
    Session,
    WeeklyCheckIn,
)


def _owner(instance) -> int | None:
    if isinstance(instance, ActivityRating):
        # Read, not followed: in a cascade the activity may already be gone (and its own
        # deletion moves the version).
        activity = HardActivity.objects.filter(pk=instance.activity_id)
        return activity.values_list("user_id", flat=True).first()
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
    for model in (Session, FlareUp, MorningCheck, WeeklyCheckIn, HardActivity, ActivityRating):
        post_save.connect(records_changed, sender=model, dispatch_uid=f"records-{model.__name__}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"records-del-{model.__name__}")
