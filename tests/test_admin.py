"""Authoring programs in the admin: steps inline, warm-up first and cool-down last."""

import pytest
from django.urls import reverse

from programs.models import Program
from tests.factories import ExerciseFactory

pytestmark = pytest.mark.django_db


def program_form(steps: list[tuple[str, int]]) -> dict[str, str]:
    data = {
        "name": "Morning back care",
        "slug": "morning-back-care",
        "summary": "",
        "description": "",
        "weeks": "4",
        "sessions_per_day": "1",
        "position": "0",
        "owner": "",
        "steps-TOTAL_FORMS": str(len(steps)),
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
    }
    for index, (phase, exercise_id) in enumerate(steps):
        data |= {
            f"steps-{index}-order": str(index + 1),
            f"steps-{index}-phase": phase,
            f"steps-{index}-exercise": str(exercise_id),
        }
    return data


@pytest.fixture
def exercises():
    return [ExerciseFactory(kind=kind) for kind in ["warmup", "strength", "cooldown"]]


def test_admin_saves_a_program_with_its_steps_in_order(admin_client, exercises):
    warmup, main, cooldown = exercises
    response = admin_client.post(
        reverse("admin:programs_program_add"),
        program_form([("warmup", warmup.pk), ("main", main.pk), ("cooldown", cooldown.pk)]),
    )
    assert response.status_code == 302
    program = Program.objects.get(slug="morning-back-care")
    assert [step.exercise for step in program.steps.all()] == exercises


def test_admin_refuses_a_program_that_does_not_start_with_a_warm_up(admin_client, exercises):
    warmup, main, cooldown = exercises
    response = admin_client.post(
        reverse("admin:programs_program_add"),
        program_form([("main", main.pk), ("warmup", warmup.pk), ("cooldown", cooldown.pk)]),
    )
    assert response.status_code == 200
    assert "Start with a warm-up" in response.content.decode()
    assert not Program.objects.filter(slug="morning-back-care").exists()


def test_admin_refuses_a_program_that_does_not_end_with_a_cool_down(admin_client, exercises):
    warmup, main, _ = exercises
    response = admin_client.post(
        reverse("admin:programs_program_add"),
        program_form([("warmup", warmup.pk), ("main", main.pk)]),
    )
    assert "End with a cool-down" in response.content.decode()
    assert not Program.objects.exists()


@pytest.mark.parametrize(
    "name", ["programs_exercise", "programs_musclegroup", "programs_program", "backcare_user"]
)
def test_admin_lists_and_add_forms_open(admin_client, library, name):
    assert admin_client.get(reverse(f"admin:{name}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:{name}_add")).status_code == 200
