"""The reminders page and the one-click unsubscribe: days and times in the person's zone,
clear messages for bad input, a changed link that changes nothing."""

import zoneinfo
from datetime import UTC, date, datetime, time

import pytest
from django.tasks import default_task_backend
from django.urls import reverse

from backcare.log_redaction import redact
from programs.models import ReminderSchedule, SentReminder
from programs.reminder_mail import unsubscribe_token
from programs.services import plans as plan_services
from programs.services import reminders as services
from tests.factories import UserFactory, program_with_steps

pytestmark = pytest.mark.django_db

URL = reverse("programs:reminders")


@pytest.fixture
def planned(user):
    """A person in London whose plan has two sessions a day."""
    user.time_zone = "Europe/London"
    user.save()
    program = program_with_steps(sessions_per_day=2)
    plan_services.follow(user, program, user.today())
    return user


@pytest.fixture
def queue(settings):
    """Tasks are kept, not run, so the test can see what was queued and for when."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    return default_task_backend


def stored(user) -> tuple:
    schedule = ReminderSchedule.objects.filter(user=user).first()
    return None if schedule is None else (schedule.weekdays, schedule.times, schedule.by_email)


def test_the_page_asks_a_time_for_each_of_the_plans_daily_sessions(client, planned):
    client.force_login(planned)
    page = client.get(URL).content.decode()
    assert "Time of session 1" in page
    assert "Time of session 2" in page
    assert "Europe/London" in page


def test_the_profile_and_home_link_to_the_reminders(client, planned):
    client.force_login(planned)
    assert URL in client.get(reverse("profile")).content.decode()
    assert URL in client.get(reverse("home")).content.decode()


def test_saving_stores_the_days_and_times(client, planned, django_capture_on_commit_callbacks):
    client.force_login(planned)
    data = {"weekdays": ["4", "0"], "time_1": "08:30", "time_2": "18:00", "by_email": "on"}
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(URL, data)
    assert response.status_code == 302
    assert stored(planned) == ([0, 4], ["08:30", "18:00"], True)


def test_saving_queues_each_session_at_its_next_local_time(
    client, planned, queue, django_capture_on_commit_callbacks
):
    client.force_login(planned)
    data = {"weekdays": [str(d) for d in range(7)], "time_1": "07:15", "time_2": "19:45"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {**data, "by_email": "on"})
    queued = sorted(queue.results, key=lambda result: result.args[1])
    assert [result.args[1] for result in queued] == [1, 2]
    london = [result.task.run_after.astimezone(planned.zone) for result in queued]
    assert [moment.strftime("%H:%M") for moment in london] == ["07:15", "19:45"]
    assert all(result.task.run_after > datetime.now(UTC) for result in queued)


def test_without_email_reminders_nothing_is_queued(
    client, planned, queue, django_capture_on_commit_callbacks
):
    client.force_login(planned)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"weekdays": ["0"], "time_1": "07:15"})
    assert stored(planned) == ([0], ["07:15"], False)
    assert queue.results == []


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"time_1": "08:00"}, "weekdays", "Choose at least one day."),
        ({"weekdays": ["7"], "time_1": "08:00"}, "weekdays", "Choose days from the list."),
        ({"weekdays": ["1"]}, "time_1", "Enter the time you want to be reminded."),
        ({"weekdays": ["1"], "time_1": "25:00"}, "time_1", "for example 08:30"),
        ({"weekdays": ["1"], "time_1": "eight"}, "time_1", "for example 08:30"),
        (
            {"weekdays": ["1"], "time_1": "18:00", "time_2": "08:00"},
            "time_2",
            "Make this later than the session before it.",
        ),
    ],
)
def test_bad_days_and_times_are_refused_with_a_message_and_change_nothing(
    client, planned, data, field, message
):
    services.save_schedule(planned, [2], [time(9, 0)], by_email=False)
    client.force_login(planned)
    response = client.post(URL, data)
    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert stored(planned) == ([2], ["09:00"], False)


def test_email_reminders_need_an_email_address(client, db):
    person = UserFactory(email="")
    client.force_login(person)
    response = client.post(URL, {"weekdays": ["1"], "time_1": "08:00", "by_email": "on"})
    assert response.status_code == 400
    assert "Add an email address on your profile first." in response.content.decode()
    assert stored(person) is None


def test_removing_stops_every_reminder(client, planned):
    services.save_schedule(planned, [2], [time(9, 0)], by_email=True)
    client.force_login(planned)
    response = client.post(URL, {"remove": "1"})
    assert response.status_code == 302
    assert stored(planned) is None


def test_the_page_needs_a_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def _stop_url(user) -> str:
    return reverse("programs:reminders-stop", kwargs={"token": unsubscribe_token(user)})


def test_the_unsubscribe_link_asks_first_and_changes_nothing_on_get(client, planned):
    services.save_schedule(planned, [2], [time(9, 0)], by_email=True)
    response = client.get(_stop_url(planned))
    assert response.status_code == 200
    assert "Stop reminder emails?" in response.content.decode()
    assert stored(planned) == ([2], ["09:00"], True)


def test_one_post_to_the_unsubscribe_link_stops_reminder_mail_without_a_log_in(client, planned):
    services.save_schedule(planned, [2], [time(9, 0)], by_email=True)
    response = client.post(_stop_url(planned), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "Reminder emails stopped" in response.content.decode()
    assert stored(planned) == ([2], ["09:00"], False)


def test_a_changed_unsubscribe_link_is_a_404_that_changes_nothing(client, planned):
    other = UserFactory()
    services.save_schedule(planned, [2], [time(9, 0)], by_email=True)
    services.save_schedule(other, [3], [time(10, 0)], by_email=True)
    token = unsubscribe_token(planned)
    payload, signature = token.split(":")
    changed = [
        f"{unsubscribe_token(other).split(':')[0]}:{signature}",  # another person, our signature
        f"{payload}:{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}",
        "not-a-token",
    ]
    for bad in changed:
        url = reverse("programs:reminders-stop", kwargs={"token": bad})
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert stored(planned) == ([2], ["09:00"], True)
    assert stored(other) == ([3], ["10:00"], True)


def test_a_link_for_a_deleted_account_is_a_404(client, db):
    person = UserFactory()
    url = _stop_url(person)
    person.delete()
    assert client.post(url).status_code == 404


def test_a_new_time_zone_moves_the_queued_reminders_to_the_same_local_time(
    client, planned, queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.save_schedule(planned, list(range(7)), [time(7, 15)], by_email=True)
    old_version = ReminderSchedule.objects.get(user=planned).version
    queue.clear()
    client.force_login(planned)
    data = {"time_zone": "Asia/Tokyo", "sound_cues": "on", "lead_in_seconds": "5"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("profile"), {**data, "email": planned.email})
    assert response.status_code == 302
    [queued] = queue.results
    tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")
    assert queued.task.run_after.astimezone(tokyo).strftime("%H:%M") == "07:15"
    # The reminder queued for London stands down when its time comes.
    assert queued.args[2] == old_version + 1


def test_the_json_export_holds_the_reminders_and_what_was_sent(client, planned):
    services.save_schedule(planned, [1, 3], [time(7, 0), time(19, 0)], by_email=True)
    SentReminder.objects.create(user=planned, day=date(2026, 11, 24), slot=2, outcome="done")
    client.force_login(planned)
    document = client.get(reverse("exports:json")).json()
    assert document["reminders"] == {"days": [1, 3], "times": ["07:00", "19:00"], "by_email": True}
    assert document["reminders_sent"] == [{"day": "2026-11-24", "session": 2, "outcome": "done"}]


def test_the_unsubscribe_address_is_kept_out_of_the_logs(planned):
    url = _stop_url(planned)
    token = unsubscribe_token(planned)
    assert token not in redact(f'"GET {url} HTTP/1.1" 200')


def test_email_reminders_are_offered_ticked_only_to_a_person_with_an_address(client, db):
    with_address, without = UserFactory(), UserFactory(email="")
    for person, ticked in [(with_address, True), (without, False)]:
        client.force_login(person)
        form = client.get(URL).context["form"]
        assert form["by_email"].initial is ticked


def test_a_backend_that_cannot_run_tasks_later_leaves_the_page_working(
    client, planned, django_capture_on_commit_callbacks
):
    # The test settings' immediate backend runs every task at once, never later.
    client.force_login(planned)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"weekdays": ["0"], "time_1": "07:15", "by_email": "on"})
    assert response.status_code == 302
    assert stored(planned) == ([0], ["07:15"], True)
