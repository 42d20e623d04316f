from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackcareConfig(AppConfig):
    name = "backcare"
    verbose_name = _("BackCare site")
