"""Throttling wrong passwords, on top of django-axes.

django-axes records every wrong password in the database (so every app server sees the same
counts) and locks out a username from one address after `AXES_FAILURE_LIMIT` failures. This
module adds what it does not do by itself:

- who is asking: the client's own address, also behind a load balancer;
- a second, wider limit per address across usernames (`LOGIN_FAILURES_PER_ADDRESS`), against
  trying one password on many accounts;
- the same throttle for every form that asks a signed-in person for their password;
- forgetting a person's records when their account is deleted.
"""

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import authenticate
from django.db.models import Sum
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The address of the person making the request (`AXES_CLIENT_IP_CALLABLE`).

    Without a proxy in front, the address the connection came from. Behind proxies
    (`DJANGO_BEHIND_TLS_PROXY=1`) every request comes from the nearest proxy, and each proxy
    appends the address it was reached from to `X-Forwarded-For`. With `TRUSTED_PROXY_COUNT`
    proxies the client is the entry that many places from the right, the one our outermost
    proxy wrote. Entries further left were sent by the client and can be anything.
    """
    direct = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies:
        return direct
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if len(hops) < proxies:
        # Not through all of our proxies (a request straight to the app server).
        return direct
    return plain_address(hops[-proxies]) or direct


def plain_address(text: str) -> str | None:
    """`text` as a bare IP address, without a port or brackets; None if it is not one."""
    candidates = [text]
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        candidates.append(text[1 : text.index("]")])
    elif text.count(":") == 1:  # 203.0.113.7:443
        candidates.append(text.split(":")[0])
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


class LogInThrottle(AxesDatabaseHandler):
    """django-axes' database handler (`AXES_HANDLER`), with the limit per address added.

    Once an address has had `LOGIN_FAILURES_PER_ADDRESS` wrong passwords within the cool-off
    time, whatever the usernames, it counts as locked out for every username.
    """

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        if failures_from_address(request) >= settings.LOGIN_FAILURES_PER_ADDRESS:
            return max(failures, get_failure_limit(request, credentials))
        return failures


def failures_from_address(request: HttpRequest) -> int:
    recent = AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
    )
    return recent.aggregate(total=Sum("failures_since_start"))["total"] or 0


def password_is_right(request: HttpRequest, user, password: str) -> bool:
    """Whether `password` is the signed-in `user`'s, checked as a log-in would be.

    A wrong one counts toward the same lockout as a wrong log-in; while locked out even the
    right one is refused, and django-axes' middleware answers with the lockout page (429).
    """
    found = authenticate(request, username=user.get_username(), password=password)
    return found is not None and found.pk == user.pk


@receiver(post_delete, sender=settings.AUTH_USER_MODEL)
def forget_log_in_records(sender, instance, **kwargs) -> None:
    """django-axes keeps log-ins and wrong passwords by username (from which address, with
    which browser, when), not by a key to the account: they go when the account goes."""
    username = instance.get_username()
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username=username).delete()
