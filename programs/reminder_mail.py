"""The reminder mail: its one-click unsubscribe token and the message itself.

The unsubscribe address carries a token signed with the site's secret key and naming one
person, so it works without logging in (RFC 8058: mail programs post to it themselves) and
cannot be changed into another person's: a changed token fails its signature.
"""

from datetime import date

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from backcare.models import User
from programs.models import Program

UNSUBSCRIBE_SALT = "backcare.reminders.unsubscribe"


def unsubscribe_token(user: User) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object({"person": user.pk})


def person_of(token: str) -> int | None:
    """The id of the person a token was made for, or None for a token that is not ours."""
    try:
        value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    person = value.get("person") if isinstance(value, dict) else None
    return person if isinstance(person, int) else None


def site_address(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def reminder_message(user: User, program: Program, slot: int, day: date) -> EmailMessage:
    """Today's session, a link straight to it, and how to stop these mails in one click."""
    unsubscribe = site_address(
        reverse("programs:reminders-stop", kwargs={"token": unsubscribe_token(user)})
    )
    context = {
        "user": user,
        "program": program,
        "slot": slot,
        "day": day,
        "today_url": site_address(reverse("home") + "#today-heading"),
        "unsubscribe_url": unsubscribe,
        "reminders_url": site_address(reverse("programs:reminders")),
    }
    subject = render_to_string("programs/reminder_subject.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=render_to_string("programs/reminder_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
