from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Exercise library and programs")

    def ready(self) -> None:
        from programs import (
            library_changes,
            receivers,  # noqa: F401  (reminders follow a change of time zone)
            records_changes,
        )
        from programs.services import rollups

        library_changes.connect()
        records_changes.connect()
        rollups.connect()
