"""The warning-signs questions and the not-medical-advice notice."""

import pytest
from django.urls import reverse

from programs.models import SafetyScreening, Session, StepCompletion
from tests.factories import UserFactory, program_with_steps, ready_user, started_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_user():
    return UserFactory()


@pytest.fixture
def new_client(client, new_user):
    client.force_login(new_user)
    return client


@pytest.fixture
def program():
    return program_with_steps()


def safety_url(**params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{reverse('programs:safety')}?{query}" if query else reverse("programs:safety")


def test_a_new_user_sees_the_notice_and_every_warning_sign(new_client, program):
    page = new_client.get(safety_url(program=program.pk)).content.decode()
    assert 'id="notice-heading">BackCare is not medical advice' in page
    for words in [
        "groin",
        "bladder or bowel",
        "both legs",
        "accident",
        "fever",
        "Weight loss",
        "Cancer",
        "worse at night",
    ]:
        assert words in page


def test_clear_answers_record_the_date_and_start_the_session(new_client, new_user, program):
    response = new_client.post(
        reverse("programs:safety"), {"program": program.pk, "none_apply": "on", "acknowledge": "on"}
    )
    session = Session.objects.get(user=new_user)
    assert response["Location"] == reverse("programs:session-pain-before", args=[session.pk])
    new_user.refresh_from_db()
    assert new_user.notice_acknowledged_at is not None
    assert not new_user.screening_due
    screening = SafetyScreening.objects.get(user=new_user)
    assert screening.warning_signs == []
    assert screening.answered_at is not None


def test_the_notice_is_acknowledged_once(new_client, new_user, program):
    new_client.post(
        reverse("programs:safety"), {"program": program.pk, "none_apply": "on", "acknowledge": "on"}
    )
    new_user.refresh_from_db()
    first = new_user.notice_acknowledged_at
    new_user.screening_due = True
    new_user.save()
    page = new_client.get(safety_url()).content.decode()
    assert 'id="notice-heading"' not in page
    new_client.post(reverse("programs:safety"), {"none_apply": "on"})
    new_user.refresh_from_db()
    assert new_user.notice_acknowledged_at == first


@pytest.mark.parametrize(
    ("sign", "heading"),
    [("bladder_bowel", "Get medical help today"), ("fever", "Please see your doctor")],
)
def test_any_warning_sign_gives_advice_and_starts_nothing(
    new_client, new_user, program, sign, heading
):
    response = new_client.post(
        reverse("programs:safety"),
        {"program": program.pk, "warning_signs": [sign], "acknowledge": "on"},
    )
    assert response.status_code == 200
    assert heading in response.content.decode()
    assert not Session.objects.exists()
    new_user.refresh_from_db()
    assert new_user.screening_due
    assert SafetyScreening.objects.get(user=new_user).warning_signs == [sign]


def test_an_empty_answer_says_what_to_tick(new_client, new_user, program):
    response = new_client.post(reverse("programs:safety"), {"program": program.pk})
    assert response.status_code == 400
    page = response.content.decode()
    assert "None of these apply to me" in page
    assert "Tick the signs you have, or choose “None of these apply to me”." in page
    assert not SafetyScreening.objects.exists()


def test_signs_and_none_together_are_refused(new_client, program):
    response = new_client.post(
        reverse("programs:safety"),
        {"warning_signs": ["fever"], "none_apply": "on", "acknowledge": "on"},
    )
    assert response.status_code == 400
    assert "untick one of them" in response.content.decode()


def test_an_unknown_sign_is_refused(new_client):
    response = new_client.post(
        reverse("programs:safety"), {"warning_signs": ["hiccups"], "acknowledge": "on"}
    )
    assert response.status_code == 400
    assert not SafetyScreening.objects.exists()


def test_pain_of_eight_before_a_session_asks_again_and_a_yes_ends_it(client):
    user = ready_user()
    client.force_login(user)
    session = started_session(user, program_with_steps(), pain_before=None)
    response = client.post(
        reverse("programs:session-pain-before", args=[session.pk]), {"pain": "9"}
    )
    assert response["Location"] == safety_url(session=session.pk)
    response = client.post(
        reverse("programs:safety"), {"session": session.pk, "warning_signs": ["both_legs"]}
    )
    assert "Get medical help today" in response.content.decode()
    session.refresh_from_db()
    # A warning sign ends the session before any step.
    assert session.status == Session.Status.ABANDONED
    assert not StepCompletion.objects.filter(step__session=session, skipped=False).exists()


def test_pain_of_eight_then_clear_answers_lead_to_the_gentle_choices(client):
    user = ready_user()
    client.force_login(user)
    session = started_session(user, program_with_steps(), pain_before=None)
    client.post(reverse("programs:session-pain-before", args=[session.pk]), {"pain": "8"})
    response = client.post(reverse("programs:safety"), {"session": session.pk, "none_apply": "on"})
    assert response["Location"] == reverse("programs:session-choose", args=[session.pk])
    page = client.get(response["Location"]).content.decode()
    assert "made gentler" in page
    assert "Rest today" in page
    # Never a dead end: the gentler session runs.
    response = client.post(response["Location"], {"choice": "gentle"})
    assert response["Location"] == reverse("programs:session-run", args=[session.pk])
    session.refresh_from_db()
    assert session.status == Session.Status.IN_PROGRESS
    assert session.pace == Session.Pace.GENTLER


def test_someone_elses_session_in_the_safety_form_is_404(new_client):
    theirs = started_session(ready_user(), program_with_steps())
    response = new_client.get(safety_url(session=theirs.pk))
    assert response.status_code == 404


@pytest.mark.parametrize("value", ["abc", "99999"])
def test_a_bad_program_in_the_safety_form_is_404(new_client, value):
    assert new_client.get(safety_url(program=value)).status_code == 404
