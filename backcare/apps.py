from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackcareConfig(AppConfig):
    name = "backcare"
    verbose_name = _("BackCare site")

    def ready(self) -> None:
        # Connects the receiver that deletes finished account-mail rows from the queue.
        from backcare import tasks  # noqa: F401
