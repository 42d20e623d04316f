"""The session engine (`SESSION_ENGINE`): Django's database sessions, stored in
`LoginSession` with the id of the person signed in, so all of a person's sessions can be
found and are deleted with their account."""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone

from backcare.prepared import Read


class SessionStore(DatabaseSessionStore):
    # Read on every request that carries a session cookie.
    _unexpired = None

    @classmethod
    def get_model_class(cls):
        from backcare.models import LoginSession

        return LoginSession

    def _get_session_from_db(self):
        """The stored session unless it has expired, as Django's engine finds it, with its
        SQL built once; an unknown or expired key is forgotten."""
        if SessionStore._unexpired is None:
            SessionStore._unexpired = Read(self.model, "session_key", "expire_date__gt")
        found = SessionStore._unexpired.one(self.session_key, timezone.now())
        if found is None:
            self._session_key = None
        return found

    def create_model_instance(self, data: dict):
        session = super().create_model_instance(data)
        user_id = str(data.get(SESSION_KEY, ""))
        session.user_id = int(user_id) if user_id.isdigit() else None
        return session
