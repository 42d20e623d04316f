"""The session engine (`SESSION_ENGINE`): Django's database sessions, stored in
`LoginSession` with the id of the person signed in, so all of a person's sessions can be
found and are deleted with their account."""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls):
        from backcare.models import LoginSession

        return LoginSession

    def create_model_instance(self, data: dict):
        session = super().create_model_instance(data)
        user_id = str(data.get(SESSION_KEY, ""))
        session.user_id = int(user_id) if user_id.isdigit() else None
        return session
