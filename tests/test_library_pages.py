"""Library, exercise, muscle group and program pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programs.models import Exercise, MuscleGroup, Program
from tests.factories import ExerciseFactory, MuscleGroupFactory, UserFactory, program_with_steps

pytestmark = pytest.mark.django_db

PAGES = [
    ("home", []),
    ("programs:library", []),
    ("programs:exercise", ["seated-gluteus-squeeze"]),
    ("programs:muscle-groups", []),
    ("programs:muscle-group", ["erector-spinae"]),
    ("programs:programs", []),
    ("programs:program", ["gentle-start"]),
]


@pytest.fixture(params=["anonymous", "signed in"])
def any_client(request, client):
    if request.param == "signed in":
        client.force_login(UserFactory())
    return client


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_every_page_answers_for_anyone(library, any_client, name, args):
    response = any_client.get(reverse(name, args=args))
    assert response.status_code == 200
    assert b'href="#main"' in response.content  # skip link
    assert b'<main id="main"' in response.content


def test_the_exercise_page_shows_instructions_cautions_dose_and_muscles(library, client):
    response = client.get(reverse("programs:exercise", args=["seated-gluteus-squeeze"]))
    page = response.content.decode()
    assert "Seated gluteus squeeze" in page
    assert "Hold 5 min" in page
    assert "Gluteus maximus" in page
    assert "Seated, TV-friendly" in page
    exercise = Exercise.objects.get(slug="seated-gluteus-squeeze")
    for line in exercise.instruction_list + exercise.caution_list:
        assert line.replace("'", "&#x27;").replace('"', "&quot;") in page


def test_the_exercise_page_links_its_variants(library, client):
    exercise = Exercise.objects.exclude(harder_variant=None).select_related("harder_variant")[0]
    page = client.get(exercise.get_absolute_url()).content.decode()
    assert exercise.harder_variant.get_absolute_url() in page


def test_an_unknown_exercise_is_404(db, client):
    assert client.get(reverse("programs:exercise", args=["no-such-thing"])).status_code == 404


def test_the_program_page_lists_steps_in_order_with_the_total_time(library, client):
    program = Program.objects.curated().with_steps().get(slug="desk-break")
    page = client.get(program.get_absolute_url()).content.decode()
    positions = [
        page.index(f'href="{step.exercise.get_absolute_url()}"') for step in program.steps.all()
    ]
    assert positions == sorted(positions)
    minutes = round(program.total_seconds() / 60)
    assert f"about {minutes} min" in page


def test_another_users_program_is_not_shown(db, client):
    program_with_steps(owner=UserFactory(), slug="mine")
    client.force_login(UserFactory())
    assert client.get(reverse("programs:program", args=["mine"])).status_code == 404
    assert b"mine" not in client.get(reverse("programs:programs")).content


def test_the_muscle_group_page_lists_exercises_that_work_it(library, client):
    page = client.get(reverse("programs:muscle-group", args=["gluteus-maximus"])).content.decode()
    assert "Seated gluteus squeeze" in page
    assert "Seated routine" in page or "seated-tv" in page


class TestLibraryFilters:
    def get(self, client, **params):
        return client.get(reverse("programs:library"), params)

    def names(self, response) -> set[str]:
        return {exercise.name for exercise in response.context["exercises"]}

    def test_no_filter_lists_every_exercise(self, library, client):
        assert len(self.names(self.get(client))) == Exercise.objects.count()

    def test_it_filters_by_muscle_group_primary_or_secondary(self, library, client):
        group = MuscleGroup.objects.get(slug="hamstrings")
        expected = set(
            Exercise.objects.filter(primary_muscles=group).values_list("name", flat=True)
        ) | set(Exercise.objects.filter(secondary_muscles=group).values_list("name", flat=True))
        assert self.names(self.get(client, muscle="hamstrings")) == expected

    def test_it_combines_kind_position_and_tv(self, library, client):
        response = self.get(client, kind="stretch", position="seated", tv="on")
        expected = set(
            Exercise.objects.filter(
                kind="stretch", position="seated", tv_friendly=True
            ).values_list("name", flat=True)
        )
        assert expected
        assert self.names(response) == expected
        assert "Seated gluteus squeeze" in expected

    def test_it_searches_names_and_instructions(self, library, client):
        assert "Glute bridge" in self.names(self.get(client, q="bridge"))
        assert "Seated gluteus squeeze" in self.names(self.get(client, q="watch TV"))

    def test_a_combination_that_matches_nothing_says_so(self, library, client):
        response = self.get(client, kind="cooldown", position="lying-front", q="zzz")
        assert response.status_code == 200
        assert self.names(response) == set()
        assert "No exercise matches all of these filters" in response.content.decode()

    def test_an_unknown_muscle_group_gets_a_message_next_to_the_field(self, library, client):
        response = self.get(client, muscle="elbow-wings")
        assert response.status_code == 400
        page = response.content.decode()
        assert "There is no such muscle group" in page
        assert 'id="id_muscle-error"' in page

    def test_an_htmx_request_gets_only_the_results(self, library, client):
        response = client.get(
            reverse("programs:library"), {"kind": "strength"}, headers={"HX-Request": "true"}
        )
        page = response.content.decode()
        assert page.lstrip().startswith('<section id="results"')
        assert "<html" not in page
        # The screen-reader status outside the results is updated out of band.
        assert (
            '<p id="library-status" class="visually-hidden" role="status" hx-swap-oob="true">'
            in page
        )
        assert "HX-Request" in response["Vary"]

    def test_a_history_restore_gets_the_whole_page(self, library, client):
        response = client.get(
            reverse("programs:library"),
            {"kind": "strength"},
            headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
        )
        assert "<html" in response.content.decode()

    def test_the_form_keeps_the_chosen_filters(self, library, client):
        page = self.get(client, kind="mobility", q="cat").content.decode()
        assert '<option value="mobility" selected>' in page
        assert 'value="cat"' in page

    @settings(
        max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(
        params=st.dictionaries(
            st.sampled_from(["q", "muscle", "kind", "position", "tv"]),
            st.text(max_size=120),
        )
    )
    def test_any_filter_values_never_give_a_server_error(self, library, client, params):
        response = self.get(client, **params)
        assert response.status_code in {200, 400}


def _count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _grow_library(size: int) -> None:
    groups = [MuscleGroupFactory() for _ in range(3)]
    for index in range(size):
        ExerciseFactory(primary_muscles=[groups[index % 3]], secondary_muscles=[groups[0]])
    for _ in range(size // 10):
        program_with_steps()


@pytest.mark.parametrize(
    "url",
    [
        "/library/",
        "/library/?kind=stretch",
        "/muscles/",
        "/muscles/group-query-test/",
        "/programs/",
        "/",
    ],
)
def test_queries_do_not_grow_with_the_library(client, url):
    MuscleGroupFactory(slug="group-query-test")
    _grow_library(30)
    small = _count_queries(client, url)
    _grow_library(270)
    assert _count_queries(client, url) == small


def test_program_page_queries_do_not_grow_with_its_steps(client):
    short = program_with_steps(slug="short")
    long = program_with_steps(slug="long")
    for _ in range(30):
        from tests.factories import ProgramStepFactory

        ProgramStepFactory(program=long, order=2, phase="main")
    assert _count_queries(client, short.get_absolute_url()) == _count_queries(
        client, long.get_absolute_url()
    )
