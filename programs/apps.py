from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Exercise library and programs")

    def ready(self) -> None:
        # Connect the receivers: reminders follow a change of time zone.
        from programs import receivers  # noqa: F401
