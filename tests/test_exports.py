"""Taking data out (JSON, CSV, the goals calendar) and account deletion removing all of it."""

import csv
import datetime
import io
import json
import uuid

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from programs.models import (
    Goal,
    PainReport,
    Program,
    ProgramStep,
    SafetyScreening,
    Session,
    SessionStep,
    StepCompletion,
    StrengthCheckIn,
)
from programs.services import sessions as services
from tests.factories import (
    ExerciseFactory,
    MuscleGroupFactory,
    ProgramFactory,
    ProgramStepFactory,
    UserFactory,
    program_with_steps,
    started_session,
)

pytestmark = pytest.mark.django_db
User = get_user_model()
TODAY = datetime.date(2026, 3, 1)


def give_history(user, program, sessions: int, group=None) -> None:
    """`sessions` finished sessions, each with a done step, a skipped one and a pain report,
    and as many goals, check-ins and screenings."""
    group = group or MuscleGroupFactory()
    for n in range(sessions):
        session = started_session(user, program)
        first, second, *_ = session.steps.all()
        services.complete_step(session, first, uuid.uuid4(), seconds_done=30, skipped=False)
        services.complete_step(session, second, uuid.uuid4(), seconds_done=0, skipped=True)
        services.report_pain(session, second, level=2, wants_to_stop=False)
        services.finish_session(session, pain_after=1)
        Goal.objects.create(
            user=user,
            muscle_group=group,
            expectation=f"Goal number {n}",
            due_date=TODAY + datetime.timedelta(days=n),
            target_kind="sessions",
            target_value=10,
        )
        StrengthCheckIn.objects.create(user=user, muscle_group=group, rating=n % 11)
        SafetyScreening.objects.create(user=user, warning_signs=[])


def download(client, name: str, **kwargs):
    response = client.get(reverse(name, **kwargs))
    assert response.status_code == 200
    return response


def queries_for(client, name: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        download(client, name)
    return len(captured)


def goal(user, **kwargs) -> Goal:
    values = {
        "muscle_group": kwargs.pop("muscle_group", None) or MuscleGroupFactory(name="Lower back"),
        "expectation": "Sit through a whole film",
        "due_date": TODAY,
        "target_kind": "sessions",
        "target_value": 10,
    }
    return Goal.objects.create(user=user, **(values | kwargs))


# JSON


def test_the_json_export_holds_every_session_step_and_goal_of_the_user_and_nothing_else(
    user_client, user, stranger
):
    program = program_with_steps()
    give_history(user, program, sessions=3)
    give_history(stranger, program, sessions=2)
    own = ProgramFactory(owner=user, name="My mornings")
    ProgramStepFactory(program=own, exercise=ExerciseFactory(name="Cat and camel"))

    response = download(user_client, "exports:json")

    assert response["Content-Disposition"] == 'attachment; filename="backcare.json"'
    document = json.loads(response.content)
    assert document["profile"]["username"] == user.username
    assert document["profile"]["time_zone"] == "Europe/London"
    assert {s["id"] for s in document["sessions"]} == set(
        Session.objects.filter(user=user).values_list("pk", flat=True)
    )
    exported_steps = {
        (s["id"], step["position"]) for s in document["sessions"] for step in s["steps"]
    }
    assert exported_steps == set(
        SessionStep.objects.filter(session__user=user).values_list("session_id", "position")
    )
    assert {g["id"] for g in document["goals"]} == set(
        Goal.objects.filter(user=user).values_list("pk", flat=True)
    )
    assert len(document["strength_check_ins"]) == 3
    assert len(document["safety_screenings"]) == 3
    assert [p["name"] for p in document["programs"]] == ["My mornings"]
    assert document["programs"][0]["steps"][0]["exercise"]["name"] == "Cat and camel"
    assert stranger.username not in response.content.decode()


def test_the_json_export_records_what_was_done_in_each_step(user_client, user):
    give_history(user, program_with_steps(), sessions=1)

    session = json.loads(download(user_client, "exports:json").content)["sessions"][0]

    done, skipped, not_done, _ = session["steps"]
    assert done["completion"]["seconds_done"] == 30
    assert done["completion"]["skipped"] is False
    assert datetime.datetime.fromisoformat(done["completion"]["completed_at"]).tzinfo
    assert skipped["completion"]["skipped"] is True
    assert not_done["completion"] is None
    assert done["muscle_groups"] == list(
        SessionStep.objects.get(session_id=session["id"], position=1).muscle_groups.values_list(
            "slug", flat=True
        )
    )
    assert session["status"] == "completed"
    assert session["pain_before"] == 2
    assert session["pain_after"] == 1
    assert session["pain_reports"] == [
        {
            "level": 2,
            "outcome": "carry_on",
            "step_position": 2,
            "reported_at": session["pain_reports"][0]["reported_at"],
        }
    ]


def test_the_json_export_gives_times_with_the_offset_of_the_users_time_zone(client):
    user = UserFactory(time_zone="America/New_York")
    give_history(user, program_with_steps(), sessions=1)
    client.force_login(user)

    document = json.loads(download(client, "exports:json").content)

    started = datetime.datetime.fromisoformat(document["sessions"][0]["started_at"])
    assert started.utcoffset() in {datetime.timedelta(hours=-5), datetime.timedelta(hours=-4)}
    assert started == Session.objects.get(user=user).started_at


def test_the_json_export_never_holds_the_password_or_the_calendar_address(user_client, user):
    content = download(user_client, "exports:json").content.decode()
    assert user.password not in content
    assert user.calendar_token not in content
    assert "password" not in content


def test_the_json_export_describes_goals(user_client, user):
    exercise = ExerciseFactory(slug="gluteus-stretch")
    goal(
        user,
        target_kind="hold",
        target_value=300,
        exercise=exercise,
        baseline=60,
        achieved_on=TODAY,
        archived=True,
    )

    [exported] = json.loads(download(user_client, "exports:json").content)["goals"]

    assert exported["expectation"] == "Sit through a whole film"
    assert exported["due_date"] == "2026-03-01"
    assert exported["target_kind"] == "hold"
    assert exported["target_value"] == 300
    assert exported["exercise"] == "gluteus-stretch"
    assert exported["baseline"] == 60
    assert exported["achieved_on"] == "2026-03-01"
    assert exported["archived"] is True
    assert exported["muscle_group"] == Goal.objects.get().muscle_group.slug


# CSV


def test_the_csv_export_has_a_row_per_session_step(user_client, user, stranger):
    program = program_with_steps(name="Gentle start")
    give_history(user, program, sessions=2)
    give_history(stranger, program, sessions=1)

    response = download(user_client, "exports:csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == SessionStep.objects.filter(session__user=user).count() == 8
    first_session = Session.objects.filter(user=user).earliest("started_at")
    row = rows[0]
    assert row["Session"] == str(first_session.pk)
    assert row["Program"] == "Gentle start"
    assert row["Status"] == "Completed"
    assert row["Pain before"] == "2"
    assert row["Pain after"] == "1"
    assert row["Step"] == "1"
    assert row["Phase"] == "Warm-up"
    assert row["Seconds done"] == "30"
    assert row["Skipped"] == "no"
    assert rows[1]["Skipped"] == "yes"
    assert rows[2]["Completed at"] == ""
    started = datetime.datetime.fromisoformat(row["Session started"])
    assert started == first_session.started_at
    assert (
        started.tzinfo.utcoffset(started)
        == first_session.started_at.astimezone(user.zone).utcoffset()
    )


def test_the_csv_export_keeps_a_program_name_from_running_as_a_spreadsheet_formula(
    user_client, user
):
    program = program_with_steps(owner=user, name="=HYPERLINK(1)")
    give_history(user, program, sessions=1)

    rows = list(csv.DictReader(io.StringIO(download(user_client, "exports:csv").content.decode())))

    assert rows[0]["Program"] == "'=HYPERLINK(1)"


# Query counts


@pytest.mark.parametrize("name", ["exports:json", "exports:csv"])
def test_an_export_takes_as_many_queries_for_a_long_history_as_for_a_short_one(client, name):
    program = program_with_steps()
    short, long = UserFactory(), UserFactory()
    give_history(short, program, sessions=2)
    give_history(long, program, sessions=40)
    client.force_login(short)
    expected = queries_for(client, name)
    client.force_login(long)
    with CaptureQueriesContext(connection) as captured:
        response = download(client, name)
    assert len(captured) == expected
    assert str(Session.objects.filter(user=long).earliest("started_at").pk) in (
        response.content.decode()
    )


def test_the_calendar_takes_as_many_queries_for_many_goals_as_for_a_few(client):
    few, many = UserFactory(), UserFactory()
    for n in range(2):
        goal(few, due_date=TODAY + datetime.timedelta(days=n))
    for n in range(40):
        goal(many, due_date=TODAY + datetime.timedelta(days=n))
    with CaptureQueriesContext(connection) as captured:
        download(client, "exports:calendar", args=[few.calendar_token])
    with CaptureQueriesContext(connection) as many_captured:
        download(client, "exports:calendar", args=[many.calendar_token])
    assert len(many_captured) == len(captured)


# Calendar


def test_the_calendar_has_an_all_day_event_on_the_due_date_of_each_goal_not_archived(
    client, user, stranger
):
    first = goal(user, due_date=datetime.date(2026, 4, 1), expectation="Walk to the shops")
    second = goal(user, due_date=datetime.date(2026, 5, 15), achieved_on=datetime.date(2026, 5, 1))
    goal(user, due_date=datetime.date(2026, 6, 1), archived=True)
    goal(stranger, due_date=datetime.date(2026, 7, 1))

    response = client.get(reverse("exports:calendar", args=[user.calendar_token]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = Calendar.from_ical(response.content).events
    by_uid = {str(event["UID"]): event for event in events}
    assert set(by_uid) == {f"goal-{first.pk}@backcare", f"goal-{second.pk}@backcare"}
    due = by_uid[f"goal-{first.pk}@backcare"]
    assert due.decoded("DTSTART") == datetime.date(2026, 4, 1)
    assert due["DTSTART"].params["VALUE"] == "DATE"
    assert str(due["SUMMARY"]) == "BackCare goal due: Lower back"
    assert "Walk to the shops" in str(due["DESCRIPTION"])
    assert "Sessions that work this group: 10" in str(due["DESCRIPTION"])
    achieved = by_uid[f"goal-{second.pk}@backcare"]
    assert achieved.decoded("DTSTART") == datetime.date(2026, 5, 15)
    assert "achieved" in str(achieved["SUMMARY"])


def test_an_unknown_calendar_address_is_not_found(client, user):
    goal(user)
    assert client.get(reverse("exports:calendar", args=["not-a-real-key"])).status_code == 404


def test_making_a_new_calendar_address_retires_the_old_one(user_client, user):
    old_token = user.calendar_token

    response = user_client.post(reverse("exports:calendar-renew"), follow=True)

    assert response.redirect_chain == [(reverse("profile"), 303)]
    assert "new address" in response.content.decode()
    user.refresh_from_db()
    assert user.calendar_token != old_token
    assert user_client.get(reverse("exports:calendar", args=[old_token])).status_code == 404
    assert user_client.get(reverse("exports:calendar", args=[user.calendar_token])).status_code == (
        200
    )


def test_a_new_calendar_address_needs_a_post(user_client, user):
    old_token = user.calendar_token
    assert user_client.get(reverse("exports:calendar-renew")).status_code == 405
    user.refresh_from_db()
    assert user.calendar_token == old_token


def test_the_profile_shows_the_exports_and_the_calendar_address(user_client, user):
    page = user_client.get(reverse("profile")).content.decode()
    assert reverse("exports:json") in page
    assert reverse("exports:csv") in page
    assert f"http://testserver{reverse('exports:calendar', args=[user.calendar_token])}" in page
    assert reverse("exports:calendar-renew") in page


# Access


@pytest.mark.parametrize("name", ["exports:json", "exports:csv"])
def test_an_anonymous_visitor_is_sent_to_log_in_for_an_export(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_anonymous_visitor_cannot_renew_a_calendar_address(client, user):
    old_token = user.calendar_token
    response = client.post(reverse("exports:calendar-renew"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    user.refresh_from_db()
    assert user.calendar_token == old_token


# Account deletion


def programs_rows() -> dict[str, set]:
    """Primary keys of every row of every model of the programs app, M2M tables included."""
    return {
        model._meta.label: set(model.objects.values_list("pk", flat=True))
        for model in apps.get_app_config("programs").get_models(include_auto_created=True)
    }


def test_deleting_the_account_removes_every_row_of_the_users_data(client, password):
    library_program = program_with_steps()
    spare_exercise = ExerciseFactory()
    group = MuscleGroupFactory()
    other = UserFactory()
    give_history(other, library_program, sessions=2)
    ProgramStepFactory(program=ProgramFactory(owner=other), exercise=spare_exercise)
    before = programs_rows()

    user = UserFactory()
    own = ProgramFactory(owner=user)
    for order, phase in enumerate(["warmup", "main", "cooldown"], start=1):
        ProgramStepFactory(program=own, exercise=spare_exercise, order=order, phase=phase)
    give_history(user, library_program, sessions=2, group=group)
    give_history(user, own, sessions=1, group=group)
    stopped = started_session(user, own)
    services.report_pain(stopped, stopped.steps.first(), level=7, wants_to_stop=True)
    goal(user, muscle_group=group, target_kind="hold", target_value=60, exercise=spare_exercise)
    users_rows = {
        label: rows - before[label]
        for label, rows in programs_rows().items()
        if rows - before[label]
    }
    # Only the user's own rows are new: the library (exercises, muscle groups) came before.
    assert {"programs.Exercise", "programs.MuscleGroup"}.isdisjoint(users_rows)
    made = [Program, ProgramStep, Session, SessionStep, StepCompletion, PainReport, Goal]
    for model in [*made, StrengthCheckIn, SafetyScreening]:
        assert users_rows[model._meta.label], model
    assert users_rows[SessionStep.muscle_groups.through._meta.label]

    client.force_login(user)
    response = client.post(reverse("delete_account"), {"password": password}, follow=True)

    assert "has been deleted" in response.content.decode()
    assert not User.objects.filter(pk=user.pk).exists()
    after = programs_rows()
    for label, rows in users_rows.items():
        assert not rows & after[label], f"{label} rows of the deleted user remain"
    for label, rows in before.items():
        assert rows <= after[label], f"{label} rows of others were removed"
    for model in apps.get_app_config("programs").get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            if field.many_to_one and field.related_model is User:
                assert not model.objects.filter(**{field.name: user.pk}).exists(), model
    assert not User.groups.through.objects.filter(user_id=user.pk).exists()
    assert User.objects.filter(pk=other.pk).exists()
