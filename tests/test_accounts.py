"""Sign up, log in and out, password change and reset, preferences, account deletion."""

import re
from importlib import import_module

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_sign_up_creates_the_account_and_signs_in(client):
    response = client.post(
        reverse("signup"),
        {
            "username": "maria",
            "email": "maria@example.com",
            "time_zone": "Europe/Madrid",
            "password1": "slow-and-steady-back-42",
            "password2": "slow-and-steady-back-42",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "Welcome to BackCare, maria" in response.content.decode()
    user = User.objects.get(username="maria")
    assert user.time_zone == "Europe/Madrid"
    assert response.context["user"] == user


def test_sign_up_with_mismatched_passwords_says_so_next_to_the_field(client):
    response = client.post(
        reverse("signup"),
        {
            "username": "maria",
            "time_zone": "UTC",
            "password1": "slow-and-steady-back-42",
            "password2": "something-else-entirely",
        },
    )
    assert response.status_code == 400
    assert "match" in response.context["form"].errors["password2"][0]
    assert not User.objects.filter(username="maria").exists()


def test_sign_up_rejects_an_unknown_time_zone(client):
    response = client.post(
        reverse("signup"),
        {
            "username": "maria",
            "time_zone": "Mars/Olympus",
            "password1": "slow-and-steady-back-42",
            "password2": "slow-and-steady-back-42",
        },
    )
    assert response.status_code == 400
    assert "Pick your time zone from the list" in response.content.decode()


def test_log_in_and_log_out(client, user, password):
    response = client.post(
        reverse("login"), {"username": user.username, "password": password}, follow=True
    )
    assert response.context["user"] == user
    response = client.post(reverse("logout"), follow=True)
    assert not response.context["user"].is_authenticated


def test_a_wrong_password_does_not_log_in(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": "nope"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_log_out_needs_a_post(user_client):
    assert user_client.get(reverse("logout")).status_code == 405


def test_password_change(user_client, user, password):
    response = user_client.post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": "a-brand-new-passphrase-7",
            "new_password2": "a-brand-new-passphrase-7",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-brand-new-passphrase-7")


def test_password_reset_sends_a_working_link(client, user):
    client.post(reverse("password_reset"), {"email": user.email})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {"new_password1": "reset-and-ready-2026", "new_password2": "reset-and-ready-2026"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("reset-and-ready-2026")


def test_password_reset_for_an_unknown_address_tells_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_profile_saves_preferences(user_client, user):
    response = user_client.post(
        reverse("profile"),
        {
            "email": "new@example.com",
            "time_zone": "America/New_York",
            "sound_cues": "on",
            "lead_in_seconds": "10",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.time_zone == "America/New_York"
    assert user.sound_cues is True
    assert user.spoken_cues is False
    assert user.lead_in_seconds == 10


@pytest.mark.parametrize(
    ("value", "message"),
    [("31", "at most 30 seconds"), ("-1", "greater than or equal to 0"), ("ten", "whole number")],
)
def test_profile_rejects_a_bad_lead_in_and_keeps_what_was_stored(user_client, user, value, message):
    response = user_client.post(
        reverse("profile"),
        {"time_zone": "Asia/Tokyo", "lead_in_seconds": value},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.lead_in_seconds == 5
    assert user.time_zone == "Europe/London"


def test_account_pages_need_a_login(client):
    for name in ["profile", "delete_account", "password_change"]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_delete_account_needs_the_password(user_client, user):
    response = user_client.post(reverse("delete_account"), {"password": "wrong"})
    assert response.status_code == 400
    assert "That is not your password" in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()


def test_delete_account_removes_the_user_and_their_programs(user_client, user, password):
    ProgramFactory(owner=user)
    other = UserFactory()
    ProgramFactory(owner=other)
    response = user_client.post(reverse("delete_account"), {"password": password}, follow=True)
    assert "has been deleted" in response.content.decode()
    assert not User.objects.filter(pk=user.pk).exists()
    assert not response.context["user"].is_authenticated
    assert User.objects.filter(pk=other.pk).exists()
    assert other.programs.count() == 1


def test_a_username_longer_than_any_account_is_refused_not_a_server_error(client, user):
    response = client.post(reverse("login"), {"username": "0" * 300, "password": "nope"})
    assert response.status_code == 200
    assert "Ensure this value has at most 150 characters" in response.content.decode()


def test_preferences_never_change_the_email(user_client, user):
    before = user.email
    response = user_client.post(
        reverse("profile"),
        {"email": "taken-over@example.com", "time_zone": "UTC", "lead_in_seconds": "5"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == before


class TestEmailChange:
    NEW = "maria.new@example.com"

    def test_it_saves_the_new_address_and_tells_the_old_one(self, user_client, user, password):
        old = user.email
        response = user_client.post(
            reverse("email_change"), {"email": self.NEW, "password": password}, follow=True
        )
        assert "Your email address is saved." in response.content.decode()
        user.refresh_from_db()
        assert user.email == self.NEW
        [notice] = mail.outbox
        assert notice.to == [old]
        assert "email address of your BackCare account" in notice.subject
        assert user.username in notice.body
        assert f"http://testserver{reverse('profile')}" in notice.body
        # The old address is told that it changed, not where to.
        assert self.NEW not in notice.body

    def test_it_needs_the_current_password(self, user_client, user):
        before = user.email
        response = user_client.post(
            reverse("email_change"), {"email": self.NEW, "password": "not-my-password"}
        )
        assert response.status_code == 400
        assert response.context["email_form"].errors["password"] == ["That is not your password."]
        user.refresh_from_db()
        assert user.email == before
        assert mail.outbox == []

    def test_an_address_that_is_not_one_is_refused_next_to_the_field(
        self, user_client, user, password
    ):
        before = user.email
        response = user_client.post(
            reverse("email_change"), {"email": "not an address", "password": password}
        )
        assert response.status_code == 400
        assert "Enter a valid email address." in response.context["email_form"].errors["email"]
        user.refresh_from_db()
        assert user.email == before
        assert mail.outbox == []

    def test_removing_the_address_tells_the_old_one(self, user_client, user, password):
        old = user.email
        response = user_client.post(reverse("email_change"), {"email": "", "password": password})
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.email == ""
        assert [message.to for message in mail.outbox] == [[old]]

    def test_a_first_address_or_the_same_one_again_tells_nobody(self, client, password):
        person = UserFactory(email="")
        client.force_login(person)
        client.post(reverse("email_change"), {"email": self.NEW, "password": password})
        client.post(reverse("email_change"), {"email": self.NEW, "password": password})
        person.refresh_from_db()
        assert person.email == self.NEW
        assert mail.outbox == []

    def test_the_profile_page_shows_the_form_with_the_address(self, user_client, user):
        page = user_client.get(reverse("profile")).content.decode()
        assert f'action="{reverse("email_change")}"' in page
        assert f'value="{user.email}"' in page
        assert 'autocomplete="current-password"' in page


def test_changing_the_password_makes_a_new_calendar_address(user_client, user, password):
    old = user.calendar_token
    response = user_client.post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": "a-brand-new-passphrase-7",
            "new_password2": "a-brand-new-passphrase-7",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.calendar_token != old
    feed = reverse("exports:calendar", kwargs={"token": old})
    assert user_client.get(feed).status_code == 404


def test_a_wrong_old_password_keeps_the_calendar_address(user_client, user):
    old = user.calendar_token
    response = user_client.post(
        reverse("password_change"),
        {
            "old_password": "not-my-password",
            "new_password1": "a-brand-new-passphrase-7",
            "new_password2": "a-brand-new-passphrase-7",
        },
    )
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.calendar_token == old


def test_a_password_reset_makes_a_new_calendar_address(client, user):
    old = user.calendar_token
    client.post(reverse("password_reset"), {"email": user.email})
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(
        form_url,
        {"new_password1": "reset-and-ready-2026", "new_password2": "reset-and-ready-2026"},
    )
    user.refresh_from_db()
    assert user.check_password("reset-and-ready-2026")
    assert user.calendar_token != old


def test_deleting_the_account_removes_every_session_and_log_in_record(user, password):
    """Other devices' sessions, and django-axes' records of log-ins and wrong passwords
    (username, address, browser, times), all name the person."""
    phone, laptop = Client(HTTP_USER_AGENT="Phone"), Client(HTTP_USER_AGENT="Laptop")
    elsewhere = Client(REMOTE_ADDR="192.0.2.9")
    elsewhere.post(reverse("login"), {"username": user.username, "password": "not-my-password"})
    for device in (phone, laptop):
        device.post(reverse("login"), {"username": user.username, "password": password})
    phone_session = phone.session.session_key
    assert AccessLog.objects.filter(username=user.username).count() == 2
    assert AccessAttempt.objects.filter(username=user.username).exists()
    other = UserFactory()
    Client().post(reverse("login"), {"username": other.username, "password": password})

    response = laptop.post(reverse("delete_account"), {"password": password})

    assert response.status_code == 302
    assert not import_module(settings.SESSION_ENGINE).SessionStore().exists(phone_session)
    assert phone.get(reverse("profile")).status_code == 302  # signed out there too
    for model in (AccessLog, AccessAttempt, AccessFailureLog):
        assert not model.objects.filter(username=user.username).exists(), model.__name__
    assert sessions_of(user.pk) == []
    # Nobody else's records go with it.
    assert AccessLog.objects.filter(username=other.username).count() == 1


def sessions_of(user_pk: int) -> list[str]:
    """The keys of every stored session signed in as `user_pk`, whatever the engine."""
    model = import_module(settings.SESSION_ENGINE).SessionStore.get_model_class()
    return [
        session.session_key
        for session in model.objects.all()
        if session.get_decoded().get("_auth_user_id") == str(user_pk)
    ]
