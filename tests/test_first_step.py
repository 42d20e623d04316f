"""The first step after sign-up: four answers recommend a program and set up the plan."""

import pytest
from django.urls import reverse

from programs import recommend
from programs.models import FirstAnswers, Plan
from programs.recommend import Answers, Choice
from tests.factories import ready_user

CHOICES = [
    Choice("gentle-start", 6, needs_floor=True),
    Choice("daily-stretch", 14, needs_floor=True),
    Choice("seated-tv", 8, needs_floor=False),
    Choice("desk-break", 4, needs_floor=False),
]


@pytest.mark.parametrize(
    ("answers", "slug", "reason"),
    [
        (Answers("flare", leg_pain=False, floor=True, minutes=10), "gentle-start", "flare"),
        (Answers("weeks", leg_pain=True, floor=True, minutes=10), "gentle-start", "leg"),
        (Answers("months", leg_pain=False, floor=True, minutes=20), "daily-stretch", "chronic"),
        (Answers("weeks", leg_pain=False, floor=True, minutes=20), "daily-stretch", "lasting"),
        (Answers("months", leg_pain=False, floor=False, minutes=10), "seated-tv", "no_floor"),
    ],
)
def test_the_answers_choose_a_program_and_say_why(answers, slug, reason):
    chosen = recommend.recommend(answers, CHOICES)
    assert chosen.slug == slug
    assert reason in chosen.reasons


def test_little_time_chooses_the_first_suitable_program_that_fits():
    chosen = recommend.recommend(Answers("months", False, True, minutes=10), CHOICES)
    assert chosen.slug == "gentle-start"  # daily stretch takes 14 minutes
    assert "time" in chosen.reasons


def test_no_program_fits_the_time_gives_the_shortest_suitable():
    chosen = recommend.recommend(Answers("months", False, False, minutes=5), CHOICES[:3])
    assert (chosen.slug, chosen.reasons[-1]) == ("seated-tv", "short")


def test_a_library_without_the_preferred_programs_still_recommends_one():
    chosen = recommend.recommend(
        Answers("flare", False, False, minutes=5), [Choice("wall-work", 7, False)]
    )
    assert chosen.slug == "wall-work"


def test_no_programs_at_all_recommends_nothing():
    assert recommend.recommend(Answers("flare", False, True, minutes=5), []) is None


ANSWERS = {"how_long": "months", "leg_pain": "no", "floor": "yes", "minutes": "20"}


@pytest.fixture
def person(client, db):
    user = ready_user()
    client.force_login(user)
    return user


def test_answering_sets_up_the_plan_and_home_says_why(client, person, library):
    response = client.post(reverse("programs:first-step"), ANSWERS)
    assert response.status_code == 302
    plan = Plan.objects.get(user=person, active=True)
    assert plan.program.slug == "daily-stretch"
    assert FirstAnswers.objects.get(user=person).program == plan.program
    home = client.get(reverse("home")).content.decode()
    assert "Start today&#x27;s session" in home or "Start today's session" in home
    assert "daily stretching, kept up for months, helps most" in home


def test_an_unanswered_question_says_what_to_do_and_sets_nothing(client, person, library):
    response = client.post(reverse("programs:first-step"), {**ANSWERS, "floor": ""})
    assert response.status_code == 400
    assert "Choose yes or no." in response.content.decode()
    assert not Plan.objects.filter(user=person).exists()
    assert not FirstAnswers.objects.filter(user=person).exists()


def test_with_no_programs_loaded_the_person_is_told_and_nothing_breaks(client, person):
    response = client.post(reverse("programs:first-step"), ANSWERS, follow=True)
    assert response.status_code == 200
    assert "There are no programs to choose from yet" in response.content.decode()
    assert not Plan.objects.filter(user=person).exists()
