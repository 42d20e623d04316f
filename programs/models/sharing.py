"""A read-only link to the clinician report, made and revoked by the person."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def token_digest(token: str) -> str:
    """Only a digest is stored: the address itself is shown once, to the person."""
    return hashlib.sha256(token.encode()).hexdigest()


class ReportLinkQuerySet(models.QuerySet):
    def live(self) -> "ReportLinkQuerySet":
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())

    def for_token(self, token: str) -> "ReportLinkQuerySet":
        return self.live().filter(digest=token_digest(token))


class ReportLink(models.Model):
    DAYS = (7, 30)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_links"
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("made"), auto_now_add=True)
    expires_at = models.DateTimeField(_("works until"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_viewed_at = models.DateTimeField(_("last opened"), null=True, blank=True)

    objects = ReportLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} until {self.expires_at:%Y-%m-%d}"

    @classmethod
    def make(cls, user, days: int) -> tuple["ReportLink", str]:
        """A new link and its secret token (256 bits), which is never stored."""
        token = secrets.token_urlsafe(32)
        link = cls.objects.create(
            user=user,
            digest=token_digest(token),
            expires_at=timezone.now() + timedelta(days=days),
        )
        return link, token

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
