"""Secret addresses kept out of the logs.

Some addresses carry a secret that is itself the key: the calendar feed
(`/calendar/<token>.ics`), a password-reset link (`/accounts/password/reset/<uidb64>/<token>/`)
and a clinician's report link (anything under `/r/`). Whoever reads a log line holding one
could use it. `redact` replaces those parts with `[redacted]`; every line of Django's log
(`LOGGING`) and of gunicorn's access and error logs (`gunicorn.conf.py`) passes through it.
"""

import logging
import re

REDACTED = "[redacted]"

# One path segment, as far as a log line shows it: up to a slash (plain or %2F), a query,
# a quote or a space.
_SLASH = r"(?:/|%2[Ff])"
_SEGMENT = r"(?:(?!%2[Ff])[^/?#\s\"'])+"

SECRET_PATHS = [
    # /calendar/<token>.ics (but not /calendar/renew/)
    (re.compile(rf"({_SLASH}calendar{_SLASH}){_SEGMENT}?(\.ics)"), rf"\1{REDACTED}\2"),
    # /accounts/password/reset/<uidb64>/<token>/ (but not .../reset/sent/)
    (
        re.compile(rf"({_SLASH}reset{_SLASH}){_SEGMENT}{_SLASH}{_SEGMENT}"),
        rf"\1{REDACTED}/{REDACTED}",
    ),
    # /r/<token>/ and anything else under /r/
    (re.compile(rf"({_SLASH}r{_SLASH})[^?#\s\"']*"), rf"\1{REDACTED}"),
]


def redact(text: str) -> str:
    """`text` with the secret part of every secret address replaced by `[redacted]`."""
    for pattern, replacement in SECRET_PATHS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecretPaths(logging.Filter):
    """A logging filter that redacts each record's message (`LOGGING`, gunicorn's logs)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
