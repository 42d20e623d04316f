"""Goals: setting them, inline validation, progress from sessions, every muscle group."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programs import records
from programs.models import Goal, MuscleGroup, Session, StrengthCheckIn
from programs.services import goals as goal_services
from programs.services import sessions as services
from tests.factories import (
    ExerciseFactory,
    MuscleGroupFactory,
    make_history,
    program_with_steps,
    ready_user,
    started_session,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def goal_user():
    return ready_user(time_zone="Europe/Madrid")


@pytest.fixture
def owner(client, goal_user):
    client.force_login(goal_user)
    return client


@pytest.fixture
def group():
    return MuscleGroupFactory(
        name="Erector spinae", plain_name="Lower back", slug="erector-spinae-test"
    )


def today_for(user) -> date:
    return timezone.now().astimezone(user.zone).date()


def goal_data(group, **changes) -> dict:
    data = {
        "muscle_group": group.pk,
        "expectation": "Carry the shopping without my back aching",
        "due_date": (date.today() + timedelta(days=40)).isoformat(),
        "target_kind": "sessions",
        "target_value": "12",
        "exercise": "",
    }
    return data | changes


def make_goal(user, group, **fields) -> Goal:
    values = {
        "expectation": "Stand tall all day",
        "due_date": today_for(user) + timedelta(days=30),
        "target_kind": "sessions",
        "target_value": 10,
    } | fields
    return goal_services.create_goal(Goal(user=user, muscle_group=group, **values), today_for(user))


def finish(user, program, seconds=None):
    session = started_session(user, program)
    for step in session.steps.all():
        services.complete_step(
            session, step, uuid.uuid4(), step.planned_seconds if seconds is None else seconds, False
        )
    services.finish_session(session, 1)
    return session


class TestSettingAGoal:
    def test_it_sets_a_goal_and_shows_it(self, owner, goal_user, group):
        response = owner.post(reverse("programs:goal-new"), goal_data(group))
        goal = Goal.objects.get(user=goal_user)
        assert response["Location"] == goal.get_absolute_url()
        assert (goal.target_kind, goal.target_value, goal.baseline) == ("sessions", 12, 0)
        page = owner.get(goal.get_absolute_url()).content.decode()
        assert "Carry the shopping without my back aching" in page
        assert "Behind" in page or "On track" in page

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({"due_date": "TODAY"}, "due_date", "Choose a date after today"),
            ({"due_date": "2020-01-01"}, "due_date", "Choose a date after today"),
            ({"due_date": "not a date"}, "due_date", "Enter a real date"),
            ({"due_date": "2099-01-01"}, "due_date", "within the next five years"),
            ({"expectation": "   "}, "expectation", "in your own words"),
            ({"target_value": "0"}, "target_value", "at least 1"),
            ({"target_value": "-4"}, "target_value", "at least 1"),
            ({"target_value": "lots"}, "target_value", "whole number"),
            ({"target_kind": "rating", "target_value": "11"}, "target_value", "10 at most"),
            ({"target_kind": "hold", "target_value": "60"}, "exercise", "Choose the exercise"),
            ({"target_kind": "vibes"}, "target_kind", "not one of the choices"),
            ({"muscle_group": "99999"}, "muscle_group", "not one of the choices"),
        ],
    )
    def test_bad_input_says_what_is_wrong_next_to_the_field(
        self, owner, goal_user, group, changes, field, message
    ):
        if changes.get("due_date") == "TODAY":
            changes["due_date"] = today_for(goal_user).isoformat()
        response = owner.post(reverse("programs:goal-new"), goal_data(group, **changes))
        assert response.status_code == 400
        page = response.content.decode()
        row = page.split(f'id="row-{field}"')[1].split('class="field" id=')[0]
        assert message in row
        assert not Goal.objects.exists()

    def test_the_exercise_must_work_the_group(self, owner, group):
        elsewhere = ExerciseFactory(name="Calf raise", hold_seconds=10)
        response = owner.post(
            reverse("programs:goal-new"),
            goal_data(group, target_kind="hold", target_value="60", exercise=elsewhere.pk),
        )
        assert response.status_code == 400
        assert "Calf raise does not work the lower back" in response.content.decode()

    def test_a_hold_goal_starts_from_the_best_hold_so_far(self, owner, goal_user, group):
        exercise = ExerciseFactory(hold_seconds=30, reps=1, primary_muscles=[group])
        program = program_with_steps()
        step = program.steps.get(order=2)
        step.exercise = exercise
        step.save()
        finish(goal_user, program)
        owner.post(
            reverse("programs:goal-new"),
            goal_data(group, target_kind="hold", target_value="60", exercise=exercise.pk),
        )
        assert Goal.objects.get().baseline == 30

    def test_inline_validation_answers_with_the_one_row(self, owner, group):
        response = owner.post(
            reverse("programs:goal-new"),
            goal_data(group, due_date="2020-01-01") | {"_validate": "due_date"},
            headers={"HX-Request": "true"},
        )
        page = response.content.decode()
        assert page.startswith('<ul class="errorlist"><li>Choose a date after today')
        assert "<html" not in page
        assert not Goal.objects.exists()

    def test_inline_validation_of_a_good_value_shows_no_error(self, owner, group):
        response = owner.post(
            reverse("programs:goal-new"),
            goal_data(group) | {"_validate": "due_date"},
            headers={"HX-Request": "true"},
        )
        assert "errorlist" not in response.content.decode()
        assert not Goal.objects.exists()

    @settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        values=st.fixed_dictionaries(
            {
                "expectation": st.text(max_size=400),
                "due_date": st.one_of(st.dates().map(str), st.text(max_size=20)),
                "target_kind": st.sampled_from(["sessions", "minutes", "hold", "rating", "x", ""]),
                "target_value": st.one_of(st.integers(-(10**12), 10**12).map(str), st.text()),
                "exercise": st.one_of(st.integers(-5, 10**6).map(str), st.just("")),
            }
        )
    )
    def test_any_values_never_give_a_server_error(self, owner, group, values):
        before = Goal.objects.count()
        response = owner.post(reverse("programs:goal-new"), {"muscle_group": group.pk} | values)
        assert response.status_code in {302, 400}
        if response.status_code == 400:
            assert "errorlist" in response.content.decode()
            assert Goal.objects.count() == before

    def test_editing_keeps_it_and_bad_edits_change_nothing(self, owner, goal_user, group):
        goal = make_goal(goal_user, group)
        url = reverse("programs:goal-edit", args=[goal.pk])
        assert owner.post(url, goal_data(group, target_value="20")).status_code == 302
        goal.refresh_from_db()
        assert goal.target_value == 20
        assert owner.post(url, goal_data(group, target_value="-1")).status_code == 400
        goal.refresh_from_db()
        assert goal.target_value == 20


class TestProgress:
    def test_a_finished_session_moves_the_goal_and_can_achieve_it(self, owner, goal_user):
        program = program_with_steps()
        group = program.steps.get(order=2).exercise.primary_muscles.first()
        goal = make_goal(goal_user, group, target_value=2)
        finish(goal_user, program)
        page = owner.get(goal.get_absolute_url()).content.decode()
        assert "1 session" in page
        goal.refresh_from_db()
        assert goal.achieved_on is None
        finish(goal_user, program)
        owner.get(reverse("programs:goals"))
        goal.refresh_from_db()
        assert goal.achieved_on == today_for(goal_user)

    def test_the_summary_says_which_goals_moved(self, owner, goal_user):
        program = program_with_steps()
        group = program.steps.get(order=2).exercise.primary_muscles.first()
        other = MuscleGroupFactory(name="Calves")
        make_goal(goal_user, group, target_kind="minutes", target_value=100)
        make_goal(goal_user, other, expectation="Untouched goal")
        session = finish(goal_user, program, seconds=120)
        page = owner.get(reverse("programs:session-summary", args=[session.pk])).content.decode()
        moved = page.split("Goals this session moved")[1].split("</section>")[0]
        assert "+2 min" in moved
        assert "Untouched goal" not in moved

    def test_an_earlier_summary_does_not_claim_a_goal_set_since(self, owner, goal_user):
        program = program_with_steps()
        group = program.steps.get(order=2).exercise.primary_muscles.first()
        session = finish(goal_user, program, seconds=120)
        Session.objects.filter(pk=session.pk).update(
            local_day=today_for(goal_user) - timedelta(days=3)
        )
        make_goal(goal_user, group, expectation="Set after that session")
        page = owner.get(reverse("programs:session-summary", args=[session.pk])).content.decode()
        assert "Set after that session" not in page
        assert "Goals this session moved" not in page

    def test_minutes_count_time_on_the_group_only(self, goal_user):
        program = program_with_steps()
        group = program.steps.get(order=2).exercise.primary_muscles.first()
        goal = make_goal(goal_user, group, target_kind="minutes", target_value=100)
        finish(goal_user, program, seconds=90)
        view = records.goal_standings(goal_user, [goal], today_for(goal_user))[0]
        assert view.progress.current == pytest.approx(1.5)

    def test_a_rating_goal_follows_check_ins(self, owner, goal_user, group):
        goal = make_goal(goal_user, group, target_kind="rating", target_value=8)
        url = reverse("programs:goal-check-in", args=[goal.pk])
        owner.post(url, {"rating": "5"})
        owner.post(url, {"rating": "8"})
        assert StrengthCheckIn.objects.filter(user=goal_user).count() == 2
        owner.get(goal.get_absolute_url())
        goal.refresh_from_db()
        assert goal.achieved_on == today_for(goal_user)

    @pytest.mark.parametrize("value", ["", "11", "-1", "strong"])
    def test_a_bad_check_in_is_refused(self, owner, goal_user, group, value):
        goal = make_goal(goal_user, group, target_kind="rating", target_value=8)
        response = owner.post(reverse("programs:goal-check-in", args=[goal.pk]), {"rating": value})
        assert response.status_code == 400
        assert "0" in response.content.decode()
        assert not StrengthCheckIn.objects.exists()

    def test_sessions_either_side_of_local_midnight_are_two_days(self, goal_user):
        program = program_with_steps()
        # 23:30 and 00:30 in Madrid (UTC+1 in winter).
        make_history(goal_user, 1, program, last=datetime(2026, 1, 14, 22, 30, tzinfo=UTC))
        make_history(goal_user, 1, program, last=datetime(2026, 1, 14, 23, 30, tzinfo=UTC))
        assert records.session_days(goal_user) == {
            date(2026, 1, 14),
            date(2026, 1, 15),
        }


class TestPages:
    def test_every_group_page_offers_a_goal_where_there_is_none(self, owner, goal_user, group):
        bare = MuscleGroupFactory(name="Hip flexors", slug="hip-flexors-test")
        make_goal(goal_user, group, expectation="Straighter back by spring")
        page = owner.get(reverse("programs:goals-every-group")).content.decode()
        row = page.split(f'id="group-{group.slug}"')[1].split("</tr>")[0]
        assert "Straighter back by spring" in row
        bare_row = page.split(f'id="group-{bare.slug}"')[1].split("</tr>")[0]
        assert "Set a goal for the Hip flexors" in bare_row
        assert f"?group={bare.slug}" in bare_row

    def test_the_inline_form_for_a_group_comes_filled_in(self, owner, group):
        response = owner.get(
            f"{reverse('programs:goal-new')}?group={group.slug}", headers={"HX-Request": "true"}
        )
        page = response.content.decode()
        assert page.lstrip().startswith("<form")
        assert f'<option value="{group.pk}" selected>' in page

    def test_achieve_archive_and_delete(self, owner, goal_user, group):
        goal = make_goal(goal_user, group)
        owner.post(reverse("programs:goal-achieve", args=[goal.pk]))
        goal.refresh_from_db()
        assert goal.achieved_on == today_for(goal_user)
        owner.post(reverse("programs:goal-archive", args=[goal.pk]))
        goal.refresh_from_db()
        assert goal.archived
        assert "Archived goals" in owner.get(reverse("programs:goals")).content.decode()
        owner.post(reverse("programs:goal-delete", args=[goal.pk]))
        assert not Goal.objects.exists()

    @pytest.mark.parametrize(
        ("name", "method"),
        [
            ("programs:goal", "get"),
            ("programs:goal-edit", "get"),
            ("programs:goal-edit", "post"),
            ("programs:goal-achieve", "post"),
            ("programs:goal-archive", "post"),
            ("programs:goal-delete", "get"),
            ("programs:goal-delete", "post"),
            ("programs:goal-check-in", "post"),
        ],
    )
    def test_another_users_goal_is_404_and_unchanged(self, client, goal_user, group, name, method):
        goal = make_goal(goal_user, group)
        client.force_login(ready_user())
        response = getattr(client, method)(reverse(name, args=[goal.pk]), {"rating": "5"})
        assert response.status_code == 404
        goal.refresh_from_db()
        assert (goal.achieved_on, goal.archived) == (None, False)

    @pytest.mark.parametrize(
        "name", ["programs:goals", "programs:goals-every-group", "programs:goal-new"]
    )
    def test_goal_pages_need_a_login(self, client, name):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_the_goal_page_draws_progress_against_the_pace_line(self, owner, goal_user, group):
        goal = make_goal(goal_user, group)
        page = owner.get(goal.get_absolute_url()).content.decode()
        assert '<polyline class="line line-progress"' in page
        assert '<polyline class="line line-pace"' in page
        assert "The same numbers as the chart" in page

    def test_home_shows_goals_due_soon(self, owner, goal_user, group):
        make_goal(
            goal_user,
            group,
            expectation="Due in ten days",
            due_date=today_for(goal_user) + timedelta(days=10),
        )
        make_goal(
            goal_user,
            group,
            expectation="Due next year",
            due_date=today_for(goal_user) + timedelta(days=300),
        )
        page = owner.get(reverse("home")).content.decode()
        soon = page.split("Goals due soon")[1].split("</section>")[0]
        assert "Due in ten days" in soon
        assert "Due next year" not in soon


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["home", "programs:goals", "programs:goal", "programs:history"])
def test_queries_do_not_grow_with_the_history(client, name):
    program = program_with_steps()
    group = program.steps.get(order=2).exercise.primary_muscles.first()
    counts = []
    for size in (10, 1000):
        user = ready_user()
        client.force_login(user)
        goal = make_goal(user, group, target_value=100_000)
        make_goal(user, group, target_kind="minutes", target_value=100_000)
        make_history(user, size, program, per_day=2)
        url = reverse(name, args=[goal.pk]) if name == "programs:goal" else reverse(name)
        counts.append(count_queries(client, url))
    assert counts[0] == counts[1]


def test_all_muscle_groups_are_listed_for_goals(owner):
    MuscleGroupFactory.create_batch(3)
    page = owner.get(reverse("programs:goals-every-group")).content.decode()
    for group in MuscleGroup.objects.all():
        assert f'id="group-{group.slug}"' in page
