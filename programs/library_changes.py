"""Every change to the shared library moves its version on, so cached pages of it expire.

Connected in ProgramsConfig.ready(): admin saves and deletes, the loader, anything that
saves a muscle group, a library exercise, a curated program or one of its steps. People's own
exercises and programs are never in a shared page, so changing them moves nothing.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from programs.models import Exercise, LibraryVersion, MuscleGroup, Program, ProgramStep


def is_shared(instance) -> bool:
    if isinstance(instance, MuscleGroup):
        return True
    if isinstance(instance, ProgramStep):
        return instance.program.owner_id is None
    return instance.owner_id is None


def library_changed(sender, instance, **kwargs) -> None:
    if kwargs.get("raw") or not is_shared(instance):
        return
    # In the same transaction as the change: whoever reads the new version also reads the
    # change, so nothing old is ever cached under the new version.
    LibraryVersion.bump()


def connect() -> None:
    for model in (MuscleGroup, Exercise, Program, ProgramStep):
        post_save.connect(library_changed, sender=model, dispatch_uid=f"library-{model.__name__}")
        post_delete.connect(
            library_changed, sender=model, dispatch_uid=f"library-del-{model.__name__}"
        )
    for field in ("primary_muscles", "secondary_muscles"):
        m2m_changed.connect(
            library_changed,
            sender=getattr(Exercise, field).through,
            dispatch_uid=f"library-{field}",
        )
