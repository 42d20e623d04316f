"""Library and program pages from the cache: the same for everyone, never one person's."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.models import Exercise, MuscleGroup, Program
from tests.factories import ExerciseFactory, program_with_steps

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/1"  # database 1 is this project's; tests flush only it

SHARED_PAGES = [
    reverse("programs:library"),
    reverse("programs:library") + "?kind=stretch",
    reverse("programs:programs"),
    reverse("programs:program", args=["desk-break"]),
]


@pytest.mark.parametrize("url", SHARED_PAGES)
def test_a_persons_own_programs_and_exercises_never_reach_anyone_else(
    library, client, user, stranger, url
):
    program_with_steps(owner=user, name="Alice private plan")
    ExerciseFactory(owner=user, name="Alice private stretch", kind=Exercise.Kind.STRETCH)
    client.force_login(user)
    client.get(url)  # the owner's visit fills the cache
    client.force_login(stranger)
    strangers_page = client.get(url).content.decode()
    client.logout()
    anonymous_page = client.get(url).content.decode()
    for page in (strangers_page, anonymous_page):
        assert "Alice private" not in page
    client.force_login(user)
    owners_page = client.get(reverse("programs:programs")).content.decode()
    assert "Alice private plan" in owners_page


def test_each_person_gets_their_own_start_form_after_a_cached_visit(library, client, user):
    url = reverse("programs:program", args=["desk-break"])
    assert "Start this program" not in client.get(url).content.decode()  # anonymous, cached
    client.force_login(user)
    page = client.get(url).content.decode()
    assert "Start this program" in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert "Log in to start this program" not in page


def test_an_edited_exercise_shows_at_once(library, client):
    url = reverse("programs:library")
    exercise = Exercise.objects.library().get(slug="seated-gluteus-squeeze")
    assert exercise.name in client.get(url).content.decode()
    exercise.name = "Buttock squeeze on a chair"
    exercise.save()
    assert "Buttock squeeze on a chair" in client.get(url).content.decode()
    unused = ExerciseFactory(name="A stretch nobody uses")
    assert unused.name in client.get(url).content.decode()
    unused.delete()
    assert unused.name not in client.get(url).content.decode()


def test_an_edited_program_or_muscle_group_shows_at_once(library, client):
    program = Program.objects.curated().get(slug="desk-break")
    program_url = reverse("programs:program", args=["desk-break"])
    assert "Desk break" in client.get(reverse("programs:programs")).content.decode()
    client.get(program_url)
    program.name = "Office pause"
    program.save()
    assert "Office pause" in client.get(reverse("programs:programs")).content.decode()
    assert "Office pause" in client.get(program_url).content.decode()
    group = MuscleGroup.objects.get(slug="erector-spinae")
    group.name = "Long back muscles"
    group.save()
    assert "Long back muscles" in client.get(program_url).content.decode()


def test_loading_the_library_again_shows_its_changes(library, client):
    url = reverse("programs:library")
    client.get(url)
    Exercise.objects.filter(slug="seated-gluteus-squeeze").update(name="Changed by hand")
    call_command("load_library", verbosity=0)
    page = client.get(url).content.decode()
    assert "Changed by hand" not in page
    assert Exercise.objects.get(slug="seated-gluteus-squeeze").name in page


def test_a_repeat_visit_reads_no_exercise(library, client):
    url = reverse("programs:library") + "?kind=stretch"
    first = client.get(url)
    with CaptureQueriesContext(connection) as again:
        second = client.get(url)
    assert second.content.count(b'class="exercise-card"') == first.content.count(
        b'class="exercise-card"'
    )
    assert not [q for q in again.captured_queries if "programs_exercise" in q["sql"]]


def test_bad_filters_are_a_400_every_time(library, client):
    url = reverse("programs:library") + "?kind=nonsense"
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 400
        assert "no such kind" in response.content.decode()


def test_pages_still_answer_when_the_cache_is_unreachable(library, client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/1",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1},
        }
    }
    for url in SHARED_PAGES:
        response = client.get(url)
        assert response.status_code == 200
        assert b"exercise" in response.content


@pytest.fixture
def redis_cache(settings):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "backcare-test",
        }
    }
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def test_the_redis_cache_serves_shared_pages_and_nobodys_own(
    library, redis_cache, client, user, stranger
):
    import redis

    program_with_steps(owner=user, name="Alice private plan")
    client.force_login(user)
    for url in SHARED_PAGES:
        assert client.get(url).status_code == 200
    stored = redis.Redis.from_url(REDIS_URL).keys("backcare-test:*page:*")
    personal = [key for key in stored if b":person:" in key]
    assert len(stored) - len(personal) == len(SHARED_PAGES)
    assert len(personal) == 1  # the owner's own programs, under a key of theirs alone
    client.force_login(stranger)
    for url in SHARED_PAGES:
        page = client.get(url)
        assert page.status_code == 200
        assert b"Alice private" not in page.content


class TestOwnProgramsOnTheProgramList:
    """A person's own programs come from the cache for them alone, and each change to them
    shows on the next visit."""

    @pytest.fixture
    def owner(self, client, user):
        client.force_login(user)
        return client

    @staticmethod
    def own_part(client) -> str:
        page = client.get(reverse("programs:programs")).content.decode()
        return page.split('id="own-heading"')[1].split("Curated programs")[0]

    def test_a_copy_a_new_step_and_a_removed_one_show_at_once(self, library, owner, user):
        assert "Make a program your own" in self.own_part(owner)
        owner.post(reverse("programs:program-copy", args=["desk-break"]))
        copy = Program.objects.get(owner=user)
        steps = copy.steps.count()
        assert f"{steps} exercises" in self.own_part(owner)
        extra = ExerciseFactory(kind=Exercise.Kind.STRETCH)
        owner.post(reverse("programs:step-add", args=[copy.pk]), {"exercise": extra.pk})
        assert f"{steps + 1} exercises" in self.own_part(owner)
        step = copy.steps.get(exercise=extra)
        owner.post(reverse("programs:step-remove", args=[copy.pk, step.pk]))
        assert f"{steps} exercises" in self.own_part(owner)

    def test_a_new_dose_a_new_name_and_a_deletion_show_at_once(self, owner, user):
        mine = program_with_steps(owner=user, name="Morning routine")
        before = self.own_part(owner)
        assert "Morning routine" in before
        step = mine.steps.order_by("order")[1]
        owner.post(
            reverse("programs:step-update", args=[mine.pk, step.pk]),
            {f"s{step.pk}-phase": "main", f"s{step.pk}-hold_seconds": "600"},
        )
        assert self.own_part(owner) != before  # a longer total time
        mine.name = "Evening routine"
        mine.save()
        assert "Evening routine" in self.own_part(owner)
        owner.post(reverse("programs:program-delete", args=[mine.pk]))
        assert "Evening routine" not in self.own_part(owner)

    def test_an_own_exercise_made_longer_shows_in_the_total(self, owner, user):
        exercise = ExerciseFactory(owner=user, kind=Exercise.Kind.STRETCH, hold_seconds=10)
        mine = program_with_steps(owner=user, name="With my stretch")
        step = mine.steps.order_by("order")[1]
        step.exercise = exercise
        step.save()
        before = self.own_part(owner)
        exercise.hold_seconds = 600
        exercise.save()
        assert self.own_part(owner) != before

    def test_another_persons_programs_never_show(self, client, user, stranger):
        program_with_steps(owner=user, name="Alice private plan")
        client.force_login(user)
        assert "Alice private plan" in self.own_part(client)
        client.force_login(stranger)
        assert "Alice private plan" not in self.own_part(client)
        assert "Make a program your own" in self.own_part(client)
