"""The BackCare user and their preferences."""

import secrets
import zoneinfo
from datetime import date

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backcare.prepared import Read

AREAS = ("Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian")
AREAS += ("Pacific",)


def time_zone_choices() -> list[tuple[str, str]]:
    """Place names people recognise (Europe/Paris), plus UTC; no legacy aliases."""
    names = [
        name
        for name in zoneinfo.available_timezones()
        if name.split("/")[0] in AREAS and "/" in name
    ]
    return [("UTC", "UTC")] + [(name, name.replace("_", " ")) for name in sorted(names)]


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class UserManager(DjangoUserManager):
    _by_key: dict[type, Read] = {}

    def get(self, *args, **kwargs):
        """By primary key alone, as signing in asks on every request (Django's
        `ModelBackend.get_user`), with SQL built once; any other `get` the ORM's way, and so
        is any `get` through a related manager (`group.user_set`, which filters) or on
        another database."""
        plain = type(self) is UserManager and self._db is None
        if args or kwargs.keys() != {"pk"} or not plain:
            return super().get(*args, **kwargs)
        read = self._by_key.get(self.model) or self._by_key.setdefault(
            self.model, Read(self.model, "pk")
        )
        found = read.one(kwargs["pk"])
        if found is None:
            raise self.model.DoesNotExist(f"No {self.model._meta.object_name} with that key.")
        return found


class User(AbstractUser):
    """A person using BackCare. Preferences live here: one row, no extra query per page."""

    email = models.EmailField(_("email address"), blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    sound_cues = models.BooleanField(
        _("sound cues"), default=True, help_text=_("Short tones before a hold ends and at changes.")
    )
    spoken_cues = models.BooleanField(
        _("spoken cues"), default=False, help_text=_("Read each step out loud.")
    )
    lead_in_seconds = models.PositiveSmallIntegerField(
        _("get-ready time (seconds)"),
        default=5,
        validators=[MaxValueValidator(30)],
        help_text=_("Seconds to get into position before each exercise starts."),
    )

    # Safety: the not-medical-advice notice is acknowledged once; the warning-signs
    # questions are due before the first session and again after pain of 8 or more.
    notice_acknowledged_at = models.DateTimeField(
        _("safety notice acknowledged"), null=True, blank=True
    )
    screening_due = models.BooleanField(_("warning-signs questions due"), default=True)
    # The secret part of the address of the user's calendar feed of goal due dates.
    calendar_token = models.CharField(
        _("calendar address key"), max_length=64, unique=True, default=new_calendar_token
    )

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def renew_calendar_token(self) -> None:
        """A new secret calendar address; the old one stops working at once."""
        self.calendar_token = new_calendar_token()
        self.save(update_fields=["calendar_token"])

    def today(self) -> date:
        """Today where the person lives."""
        return timezone.now().astimezone(self.zone).date()

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")


class LoginSession(AbstractBaseSession):
    """A browser's session, with the person signed in to it (`SESSION_ENGINE` is
    `backcare.sessions`), so that deleting an account deletes the sessions of every device
    it was signed in on."""

    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="login_sessions"
    )

    @classmethod
    def get_session_store_class(cls):
        from backcare.sessions import SessionStore

        return SessionStore
