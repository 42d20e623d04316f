from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackcareConfig(AppConfig):
    name = "backcare"
    verbose_name = _("BackCare site")

    def ready(self) -> None:
        # Connect the receivers: finished account mail leaves the task queue, and a deleted
        # account's log-in records go with it.
        from backcare import tasks, throttling  # noqa: F401
