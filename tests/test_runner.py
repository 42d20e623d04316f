"""The session runner's views: start, pain checks, completing steps, "It hurts", summary."""

import uuid

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programs.models import PainReport, Program, Session, SessionStep, StepCompletion
from tests.factories import UserFactory, program_with_steps, ready_user, started_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def runner_user():
    return ready_user()


@pytest.fixture
def owner_client(client, runner_user):
    client.force_login(runner_user)
    return client


@pytest.fixture
def program():
    return program_with_steps()


@pytest.fixture
def session(runner_user, program):
    return started_session(runner_user, program)


def complete_url(session, step):
    return reverse("programs:session-complete", args=[session.pk, step.pk])


def post_completion(
    client, session, step, key=None, seconds=None, skipped=False, htmx=True, confirm=True
):
    data = {
        "key": str(key or uuid.uuid4()),
        "seconds_done": str(step.planned_seconds if seconds is None else seconds),
    }
    if skipped:
        data["skipped"] = "on"
        if confirm:  # a warm-up is skipped only with this
            data["confirm_skip"] = "on"
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(complete_url(session, step), data, headers=headers)


class TestStart:
    def test_it_copies_the_programs_steps_with_their_doses(self, owner_client, runner_user):
        program = program_with_steps()
        first = program.steps.first()
        first.hold_seconds = 42
        first.save()
        response = owner_client.post(reverse("programs:session-start"), {"program": program.pk})
        session = Session.objects.get(user=runner_user)
        assert response["Location"] == reverse("programs:session-pain-before", args=[session.pk])
        steps = list(session.steps.all())
        assert [s.exercise_id for s in steps] == [s.exercise_id for s in program.steps.all()]
        assert steps[0].hold_seconds == 42
        assert [s.phase for s in steps] == ["warmup", "main", "main", "cooldown"]

    def test_editing_the_program_later_never_rewrites_the_session(self, session, program):
        step = program.steps.first()
        step.hold_seconds = 999
        step.save()
        assert session.steps.first().hold_seconds != 999

    def test_a_first_session_asks_the_safety_questions_first(self, client, program):
        user = UserFactory()
        client.force_login(user)
        response = client.post(reverse("programs:session-start"), {"program": program.pk})
        assert response["Location"] == f"{reverse('programs:safety')}?program={program.pk}"
        assert not Session.objects.exists()

    def test_a_second_start_offers_to_continue_or_leave(self, owner_client, session, program):
        response = owner_client.post(reverse("programs:session-start"), {"program": program.pk})
        assert response.status_code == 409
        page = response.content.decode()
        assert "You have a session in progress" in page
        assert session.get_absolute_url() in page
        assert Session.objects.count() == 1

    def test_leaving_the_unfinished_one_starts_the_new_one(self, owner_client, session, program):
        response = owner_client.post(
            reverse("programs:session-start"), {"program": program.pk, "replace": "on"}
        )
        assert response.status_code == 302
        session.refresh_from_db()
        assert session.status == Session.Status.ABANDONED
        assert Session.objects.unfinished().count() == 1

    def test_another_users_program_is_404(self, owner_client):
        theirs = program_with_steps(owner=UserFactory())
        response = owner_client.post(reverse("programs:session-start"), {"program": theirs.pk})
        assert response.status_code == 404
        assert not Session.objects.exists()

    @pytest.mark.parametrize("value", ["", "abc", "-3", "0"])
    def test_a_bad_program_value_is_400_with_a_message(self, owner_client, value):
        response = owner_client.post(reverse("programs:session-start"), {"program": value})
        assert response.status_code == 400
        assert "program" in response.content.decode().lower()

    def test_anonymous_visitors_are_sent_to_log_in(self, client, program):
        response = client.post(reverse("programs:session-start"), {"program": program.pk})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


class TestPainBefore:
    @pytest.fixture
    def fresh(self, runner_user, program):
        return started_session(runner_user, program, pain_before=None)

    def url(self, session):
        return reverse("programs:session-pain-before", args=[session.pk])

    def test_it_is_asked_before_the_first_step(self, owner_client, fresh):
        response = owner_client.get(fresh.get_absolute_url())
        assert response["Location"] == self.url(fresh)
        assert (
            "How much does your back hurt right now?"
            in owner_client.get(self.url(fresh)).content.decode()
        )

    def test_it_records_the_pain_and_opens_the_runner(self, owner_client, fresh):
        response = owner_client.post(self.url(fresh), {"pain": "3"})
        fresh.refresh_from_db()
        assert fresh.pain_before == 3
        assert fresh.pace == Session.Pace.NORMAL
        assert response["Location"] == reverse("programs:session-run", args=[fresh.pk])

    @pytest.mark.parametrize("value", ["", "11", "-1", "three", "3.5"])
    def test_bad_values_say_so_and_store_nothing(self, owner_client, fresh, value):
        response = owner_client.post(self.url(fresh), {"pain": value})
        assert response.status_code == 400
        assert "from 0 (no pain) to 10" in response.content.decode()
        fresh.refresh_from_db()
        assert fresh.pain_before is None

    def test_pain_of_five_makes_the_session_gentler(self, owner_client, fresh):
        owner_client.post(self.url(fresh), {"pain": "5"})
        fresh.refresh_from_db()
        assert fresh.pace == Session.Pace.GENTLER
        assert all(step.made_gentler for step in fresh.steps.all())

    def test_pain_of_eight_asks_the_warning_signs_again(self, owner_client, fresh, runner_user):
        response = owner_client.post(self.url(fresh), {"pain": "8"})
        assert response["Location"] == f"{reverse('programs:safety')}?session={fresh.pk}"
        runner_user.refresh_from_db()
        assert runner_user.screening_due


class TestComplete:
    def test_it_records_a_step(self, owner_client, session):
        step = session.steps.first()
        response = post_completion(owner_client, session, step, seconds=40)
        assert response.status_code == 201
        assert "Saved: 1 of 4 steps." in response.content.decode()
        completion = StepCompletion.objects.get(step=step)
        assert (completion.seconds_done, completion.skipped) == (40, False)

    def test_the_same_key_twice_records_once(self, owner_client, session):
        step = session.steps.first()
        key = uuid.uuid4()
        assert post_completion(owner_client, session, step, key=key).status_code == 201
        again = post_completion(owner_client, session, step, key=key, seconds=5)
        assert again.status_code == 200
        assert StepCompletion.objects.filter(step=step).count() == 1
        assert StepCompletion.objects.get(step=step).seconds_done == step.planned_seconds

    def test_a_second_tab_with_another_key_records_once(self, owner_client, session):
        step = session.steps.first()
        post_completion(owner_client, session, step, seconds=30)
        response = post_completion(owner_client, session, step, seconds=12)
        assert response.status_code == 200
        assert StepCompletion.objects.filter(step=step).count() == 1
        assert StepCompletion.objects.get(step=step).seconds_done == 30

    def test_a_key_used_for_another_step_is_refused(self, owner_client, session):
        first, second = list(session.steps.all())[:2]
        key = uuid.uuid4()
        post_completion(owner_client, session, first, key=key)
        response = post_completion(owner_client, session, second, key=key)
        assert response.status_code == 409
        assert not StepCompletion.objects.filter(step=second).exists()

    def test_skipping_the_warm_up_asks_to_confirm_first(self, owner_client, session):
        warmup = session.steps.get(phase="warmup")
        response = post_completion(
            owner_client, session, warmup, seconds=0, skipped=True, htmx=False, confirm=False
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "Warming up first protects your back" in page
        assert "I know: skip the warm-up" in page
        assert not StepCompletion.objects.filter(step=warmup).exists()
        post_completion(owner_client, session, warmup, seconds=0, skipped=True, htmx=False)
        assert StepCompletion.objects.get(step=warmup).skipped

    def test_other_steps_are_skipped_without_asking(self, owner_client, session):
        main = session.steps.filter(phase="main").first()
        post_completion(owner_client, session, main, seconds=0, skipped=True, confirm=False)
        assert StepCompletion.objects.get(step=main).skipped

    def test_skipping_is_recorded_as_skipped(self, owner_client, session):
        step = session.steps.first()
        post_completion(owner_client, session, step, seconds=0, skipped=True)
        assert StepCompletion.objects.get(step=step).skipped

    @pytest.mark.parametrize(
        ("seconds", "message"),
        [("-5", "cannot be negative"), ("abc", "whole number"), ("", "how many seconds")],
    )
    def test_impossible_seconds_are_refused(self, owner_client, session, seconds, message):
        step = session.steps.first()
        response = owner_client.post(
            complete_url(session, step),
            {"key": str(uuid.uuid4()), "seconds_done": seconds},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 400
        assert message in response.content.decode()
        assert not StepCompletion.objects.exists()

    def test_far_more_than_planned_is_refused(self, owner_client, session):
        step = session.steps.first()
        response = post_completion(owner_client, session, step, seconds=step.planned_seconds * 10)
        assert response.status_code == 400
        assert "must be between 0 and" in response.content.decode()
        assert not StepCompletion.objects.exists()

    def test_a_missing_key_is_refused(self, owner_client, session):
        step = session.steps.first()
        response = owner_client.post(
            complete_url(session, step), {"seconds_done": "10"}, headers={"HX-Request": "true"}
        )
        assert response.status_code == 400
        assert not StepCompletion.objects.exists()

    def test_a_step_of_another_session_is_404(self, owner_client, session, runner_user):
        session.status = Session.Status.COMPLETED
        session.save()
        other = started_session(runner_user, program_with_steps())
        response = post_completion(owner_client, other, session.steps.first())
        assert response.status_code == 404
        assert not StepCompletion.objects.exists()

    def test_another_users_session_is_404(self, client, session):
        client.force_login(ready_user())
        response = post_completion(client, session, session.steps.first())
        assert response.status_code == 404
        assert not StepCompletion.objects.exists()

    def test_anonymous_visitors_are_sent_to_log_in(self, client, session):
        response = post_completion(client, session, session.steps.first())
        assert response.status_code == 302
        assert not StepCompletion.objects.exists()

    def test_an_abandoned_session_takes_nothing_more(self, owner_client, session):
        session.status = Session.Status.ABANDONED
        session.save()
        response = post_completion(owner_client, session, session.steps.first())
        assert response.status_code == 409
        assert not StepCompletion.objects.exists()

    def test_without_javascript_done_goes_to_the_next_step(self, owner_client, session):
        steps = list(session.steps.all())
        response = post_completion(owner_client, session, steps[0], htmx=False)
        assert response.status_code == 303
        assert response["Location"] == reverse("programs:session-run", args=[session.pk])
        page = owner_client.get(response["Location"]).content.decode()
        # The next step is the one on show; the done one is hidden.
        shown = f'id="step-{steps[1].pk}" data-step="{steps[1].pk}" data-phase="{steps[1].phase}">'
        hidden = f'id="step-{steps[0].pk}" data-step="{steps[0].pk}" data-phase="warmup" hidden>'
        assert shown in page
        assert hidden in page

    def test_without_javascript_a_double_submit_records_once(self, owner_client, session):
        step = session.steps.first()
        key = uuid.uuid4()
        post_completion(owner_client, session, step, key=key, htmx=False)
        response = post_completion(owner_client, session, step, key=key, htmx=False)
        assert response.status_code == 303
        assert StepCompletion.objects.count() == 1

    @settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        key=st.one_of(st.uuids().map(str), st.text(max_size=40)),
        seconds=st.one_of(st.integers(-(10**9), 10**9).map(str), st.text(max_size=12)),
        skipped=st.sampled_from(["", "on", "yes", "0", "x" * 50]),
    )
    def test_any_values_never_give_a_server_error(
        self, owner_client, session, key, seconds, skipped
    ):
        step = session.steps.first()
        before = StepCompletion.objects.count()
        response = owner_client.post(
            complete_url(session, step),
            {"key": key, "seconds_done": seconds, "skipped": skipped},
            headers={"HX-Request": "true"},
        )
        assert response.status_code in {200, 201, 400, 409}
        if response.status_code >= 400:
            assert StepCompletion.objects.count() == before


class TestHurts:
    def url(self, session):
        return reverse("programs:session-hurts", args=[session.pk])

    def report(self, client, session, level, choice="continue", step=None, key=None):
        step = step or session.steps.first()
        return client.post(
            self.url(session),
            {"level": level, "step": step.pk, "choice": choice, "key": str(key or uuid.uuid4())},
        )

    def test_low_pain_carries_on_and_is_recorded_on_its_step(self, owner_client, session):
        step = session.steps.all()[1]
        self.report(owner_client, session, 2, step=step)
        report = PainReport.objects.get()
        assert (report.step, report.level, report.outcome) == (step, 2, "carry_on")
        session.refresh_from_db()
        assert session.pace == Session.Pace.NORMAL
        assert session.status == Session.Status.IN_PROGRESS

    def test_four_makes_the_rest_gentler(self, owner_client, session):
        done = session.steps.first()
        post_completion(owner_client, session, done)
        before = {s.pk: s.planned_seconds for s in session.steps.all()}
        self.report(owner_client, session, 4)
        session.refresh_from_db()
        assert session.pace == Session.Pace.GENTLER
        for step in session.steps.all():
            if step.pk == done.pk:
                assert not step.made_gentler
            else:
                assert step.made_gentler
                assert step.planned_seconds < before[step.pk]

    def test_gentler_uses_the_easier_variant_when_there_is_one(self, owner_client, session):
        from tests.factories import ExerciseFactory

        main = session.steps.get(position=2)
        easier = ExerciseFactory(name="Easier thing", hold_seconds=5, reps=1)
        main.exercise.easier_variant = easier
        main.exercise.save()
        self.report(owner_client, session, 5)
        main.refresh_from_db()
        assert main.exercise == easier
        assert main.planned_exercise is not None
        assert main.hold_seconds == 5
        # The easier variant never takes longer than the eased plan would have.
        easier.hold_seconds, easier.reps = 600, 20
        easier.save()
        other = session.steps.get(position=3)
        other.exercise.easier_variant = easier
        other.exercise.save()
        StepCompletion.objects.all().delete()
        Session.objects.filter(pk=session.pk).update(pace="normal")
        SessionStep.objects.filter(pk=other.pk).update(made_gentler=False)
        planned = other.planned_seconds
        self.report(owner_client, session, 4)
        other.refresh_from_db()
        assert other.exercise == easier
        assert other.planned_seconds < planned

    def test_seven_stops_the_session_and_offers_the_cool_down(self, owner_client, session):
        response = self.report(owner_client, session, 7)
        session.refresh_from_db()
        assert session.status == Session.Status.STOPPED_FOR_PAIN
        assert response["Location"] == session.get_absolute_url()
        page = owner_client.get(session.get_absolute_url(), follow=True).content.decode()
        assert "Do the cool-down" in page
        skipped = StepCompletion.objects.filter(step__session=session, skipped=True)
        assert skipped.count() == 3  # everything but the cool-down
        cooldown = session.steps.get(phase="cooldown")
        assert not StepCompletion.objects.filter(step=cooldown).exists()
        assert post_completion(owner_client, session, cooldown).status_code == 201

    def test_a_main_step_cannot_be_recorded_after_a_stop(self, owner_client, session):
        self.report(owner_client, session, 1, choice="stop")
        main = session.steps.get(position=2)
        StepCompletion.objects.filter(step=main).delete()
        assert post_completion(owner_client, session, main).status_code == 409

    def test_the_user_can_stop_at_any_level(self, owner_client, session):
        self.report(owner_client, session, 1, choice="stop")
        session.refresh_from_db()
        assert session.status == Session.Status.STOPPED_FOR_PAIN

    def test_eight_asks_the_warning_signs_before_the_next_session(
        self, owner_client, session, runner_user
    ):
        self.report(owner_client, session, 8)
        runner_user.refresh_from_db()
        assert runner_user.screening_due

    def test_htmx_reports_answer_with_the_outcome(self, owner_client, session):
        response = owner_client.post(
            self.url(session),
            {
                "level": 2,
                "step": session.steps.first().pk,
                "choice": "continue",
                "key": str(uuid.uuid4()),
            },
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 204
        assert response["BackCare-Outcome"] == "carry_on"

    @pytest.mark.parametrize("level", ["", "11", "-2", "bad"])
    def test_a_bad_level_says_so_and_changes_nothing(self, owner_client, session, level):
        response = owner_client.post(
            self.url(session),
            {
                "level": level,
                "step": session.steps.first().pk,
                "choice": "stop",
                "key": str(uuid.uuid4()),
            },
        )
        assert response.status_code == 400
        assert "from 0 (no pain) to 10" in response.content.decode()
        session.refresh_from_db()
        assert session.status == Session.Status.IN_PROGRESS
        assert not PainReport.objects.exists()

    def test_a_step_of_another_session_is_404(self, owner_client, session, runner_user):
        other = program_with_steps()
        foreign = started_session(ready_user(), other).steps.first()
        response = owner_client.post(
            self.url(session),
            {"level": 2, "step": foreign.pk, "choice": "continue", "key": str(uuid.uuid4())},
        )
        assert response.status_code == 404
        assert not PainReport.objects.exists()


class TestFinish:
    def finish_all(self, client, session):
        for step in session.steps.all():
            post_completion(client, session, step)

    def test_pain_after_comes_when_every_step_is_done(self, owner_client, session):
        pain_after = reverse("programs:session-pain-after", args=[session.pk])
        assert owner_client.get(pain_after)["Location"] == reverse(
            "programs:session-run", args=[session.pk]
        )
        self.finish_all(owner_client, session)
        assert owner_client.get(session.get_absolute_url())["Location"] == pain_after
        response = owner_client.post(pain_after, {"pain": "1"})
        session.refresh_from_db()
        assert session.status == Session.Status.COMPLETED
        assert session.pain_after == 1
        assert session.finished_at is not None
        assert response["Location"] == reverse("programs:session-summary", args=[session.pk])

    def test_the_summary_shows_time_steps_groups_and_pain(self, owner_client, session):
        steps = list(session.steps.all())
        post_completion(owner_client, session, steps[0], seconds=30)
        post_completion(owner_client, session, steps[1], seconds=0, skipped=True)
        post_completion(owner_client, session, steps[2], seconds=90)
        post_completion(owner_client, session, steps[3], seconds=60)
        owner_client.post(reverse("programs:session-pain-after", args=[session.pk]), {"pain": "1"})
        page = owner_client.get(
            reverse("programs:session-summary", args=[session.pk])
        ).content.decode()
        assert "3 min" in page  # 30 + 90 + 60 seconds
        assert "Steps done</dt><dd>3" in page
        assert "Steps skipped</dt><dd>1" in page
        assert "Pain before</dt><dd>2 / 10" in page
        assert "Pain after</dt><dd>1 / 10" in page
        worked = steps[0].exercise.primary_muscles.first().name
        skipped = steps[1].exercise.primary_muscles.first().name
        assert worked in page
        assert skipped not in page.split("Muscle groups worked")[1].split("Steps")[0]

    def test_bad_pain_after_is_refused(self, owner_client, session):
        self.finish_all(owner_client, session)
        url = reverse("programs:session-pain-after", args=[session.pk])
        assert owner_client.post(url, {"pain": "12"}).status_code == 400
        session.refresh_from_db()
        assert session.status == Session.Status.IN_PROGRESS


SESSION_PAGES = [
    "programs:session",
    "programs:session-pain-before",
    "programs:session-run",
    "programs:session-hurts",
    "programs:session-stopped",
    "programs:session-pain-after",
    "programs:session-summary",
]


@pytest.mark.parametrize("name", SESSION_PAGES)
def test_another_users_session_pages_are_404(client, session, name):
    client.force_login(ready_user())
    assert client.get(reverse(name, args=[session.pk])).status_code == 404


@pytest.mark.parametrize("name", SESSION_PAGES)
def test_session_pages_need_a_login(client, session, name):
    response = client.get(reverse(name, args=[session.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_another_user_cannot_abandon_my_session(client, session):
    client.force_login(ready_user())
    assert client.post(reverse("programs:session-abandon", args=[session.pk])).status_code == 404
    session.refresh_from_db()
    assert session.is_unfinished


def test_the_runner_page_holds_every_step_and_its_timeline(owner_client, session):
    response = owner_client.get(reverse("programs:session-run", args=[session.pk]))
    data = response.context["data"]
    assert [step["id"] for step in data["steps"]] == list(
        session.steps.values_list("pk", flat=True)
    )
    assert data["steps"][0]["timeline"][0]["kind"] == "lead_in"
    assert data["steps"][0]["timeline"][0]["seconds"] == 5
    page = response.content.decode()
    assert 'id="runner-data"' in page
    assert "It hurts" in page


def test_home_offers_to_continue_an_unfinished_session(owner_client, session):
    page = owner_client.get(reverse("home")).content.decode()
    assert "Your session is waiting" in page
    assert session.get_absolute_url() in page


def test_resuming_on_another_device_lands_on_the_first_open_step(client, session, runner_user):
    steps = list(session.steps.all())
    first_device = client
    first_device.force_login(runner_user)
    post_completion(first_device, session, steps[0])
    post_completion(first_device, session, steps[1])
    from django.test import Client

    second_device = Client()
    second_device.force_login(runner_user)
    response = second_device.get(session.get_absolute_url(), follow=True)
    assert response.context["current"].step == steps[2]
    assert Program.objects.exists()
    assert SessionStep.objects.filter(session=session, completion__isnull=False).count() == 2


class TestTheRulesHold:
    """Behaviour a fresh review asked for: each rule, the way a user could break it."""

    def report(self, client, session, level, choice="continue", key=None):
        return client.post(
            reverse("programs:session-hurts", args=[session.pk]),
            {
                "level": level,
                "step": session.steps.first().pk,
                "choice": choice,
                "key": str(key or uuid.uuid4()),
            },
        )

    def test_a_repeated_report_of_four_does_not_shrink_steps_again(self, owner_client, session):
        self.report(owner_client, session, 4)
        first = {s.pk: s.planned_seconds for s in session.steps.all()}
        self.report(owner_client, session, 4)
        assert {s.pk: s.planned_seconds for s in session.steps.all()} == first
        assert PainReport.objects.count() == 2

    def test_the_same_report_sent_twice_is_recorded_once(self, owner_client, session):
        key = uuid.uuid4()
        self.report(owner_client, session, 5, key=key)
        self.report(owner_client, session, 5, key=key)
        assert PainReport.objects.count() == 1

    def test_an_ended_session_takes_no_more_reports(self, owner_client, session):
        session.status = Session.Status.ABANDONED
        session.save()
        before = {s.pk: s.planned_seconds for s in session.steps.all()}
        response = self.report(owner_client, session, 5)
        assert response.status_code == 409
        assert not PainReport.objects.exists()
        assert {s.pk: s.planned_seconds for s in session.steps.all()} == before

    @pytest.mark.parametrize("pain", ["6", "7"])
    def test_pain_of_six_or_seven_before_leads_to_a_gentler_session_that_runs(
        self, owner_client, runner_user, pain
    ):
        fresh = started_session(runner_user, program_with_steps(), pain_before=None)
        response = owner_client.post(
            reverse("programs:session-pain-before", args=[fresh.pk]), {"pain": pain}
        )
        fresh.refresh_from_db()
        assert fresh.status == Session.Status.IN_PROGRESS
        assert fresh.pace == Session.Pace.GENTLER
        assert response["Location"] == reverse("programs:session-run", args=[fresh.pk])
        page = owner_client.get(response["Location"]).content.decode()
        assert "This session is gentler because your back hurts today" in page

    def test_a_double_submit_of_pain_before_eases_once(self, runner_user, program):
        from programs.services import sessions as services

        fresh = started_session(runner_user, program, pain_before=None)
        services.record_pain_before(fresh, 5)
        once = {s.pk: s.planned_seconds for s in fresh.steps.all()}
        services.record_pain_before(Session.objects.get(pk=fresh.pk), 5)
        assert {s.pk: s.planned_seconds for s in fresh.steps.all()} == once

    def test_skipping_records_no_time(self, owner_client, session):
        step = session.steps.first()
        post_completion(owner_client, session, step, seconds=step.planned_seconds, skipped=True)
        assert StepCompletion.objects.get(step=step).seconds_done == 0

    def test_no_step_before_the_pain_check(self, owner_client, runner_user, program):
        fresh = started_session(runner_user, program, pain_before=None)
        response = post_completion(owner_client, fresh, fresh.steps.first())
        assert response.status_code == 409
        assert not StepCompletion.objects.exists()

    def test_while_the_warning_signs_are_due_the_runner_waits(
        self, owner_client, session, runner_user
    ):
        runner_user.screening_due = True
        runner_user.save()
        safety = f"{reverse('programs:safety')}?session={session.pk}"
        assert owner_client.get(session.get_absolute_url())["Location"] == safety
        assert (
            owner_client.get(reverse("programs:session-run", args=[session.pk]))["Location"]
            == safety
        )
        assert post_completion(owner_client, session, session.steps.first()).status_code == 409
        assert not StepCompletion.objects.exists()

    def test_pain_of_eight_in_the_session_asks_the_warning_signs_straight_away(
        self, owner_client, session
    ):
        response = self.report(owner_client, session, 8)
        assert response["Location"] == f"{reverse('programs:safety')}?session={session.pk}"

    def test_pain_of_eight_after_asks_the_warning_signs_straight_away(self, owner_client, session):
        for step in session.steps.all():
            post_completion(owner_client, session, step)
        response = owner_client.post(
            reverse("programs:session-pain-after", args=[session.pk]), {"pain": "9"}
        )
        assert response["Location"] == f"{reverse('programs:safety')}?session={session.pk}"

    def test_a_cool_down_cannot_be_added_after_the_summary(self, owner_client, session):
        from programs.services import sessions as services

        services.report_pain(session, None, 7, wants_to_stop=False)
        owner_client.post(reverse("programs:session-pain-after", args=[session.pk]), {"pain": "3"})
        cooldown = session.steps.get(phase="cooldown")
        assert post_completion(owner_client, session, cooldown).status_code == 409

    @pytest.mark.parametrize(
        "name",
        ["programs:session-pain-before", "programs:session-hurts", "programs:session-pain-after"],
    )
    def test_an_empty_post_is_a_bad_request(self, owner_client, runner_user, program, name):
        fresh = started_session(runner_user, program, pain_before=None)
        if name != "programs:session-pain-before":
            from programs.services import sessions as services

            services.record_pain_before(fresh, 1)
            for step in fresh.steps.all():
                post_completion(owner_client, fresh, step)
        response = owner_client.post(reverse(name, args=[fresh.pk]), {})
        assert response.status_code == 400


class TestTheRunnersScriptGetsJson:
    """The runner's script asks with `Accept: application/json` and reads plain answers."""

    JSON = {"Accept": "application/json"}

    def test_a_completion_answers_what_is_saved(self, owner_client, session):
        step = session.steps.first()
        data = {"key": str(uuid.uuid4()), "seconds_done": str(step.planned_seconds)}
        url = complete_url(session, step)
        first = owner_client.post(url, data, headers=self.JSON)
        again = owner_client.post(url, data, headers=self.JSON)
        assert first.status_code == 201
        assert first.json() == {"created": True, "done": 1, "total": session.steps.count()}
        assert again.status_code == 200
        assert again.json()["created"] is False
        assert StepCompletion.objects.count() == 1

    def test_a_refused_completion_says_why(self, owner_client, session):
        step = session.steps.first()
        response = owner_client.post(
            complete_url(session, step),
            {"key": str(uuid.uuid4()), "seconds_done": "-5"},
            headers=self.JSON,
        )
        assert response.status_code == 400
        assert "cannot be negative" in response.json()["error"]
        assert not StepCompletion.objects.exists()

    def test_a_report_answers_the_outcome_and_where_to_go(self, owner_client, session):
        response = owner_client.post(
            reverse("programs:session-hurts", args=[session.pk]),
            {
                "level": 7,
                "step": session.steps.first().pk,
                "choice": "stop",
                "key": str(uuid.uuid4()),
            },
            headers=self.JSON,
        )
        assert response.status_code == 200
        assert response.json() == {
            "outcome": "stop",
            "next": reverse("programs:session", args=[session.pk]),
        }

    def test_pain_after_from_the_outbox_is_taken_once(self, owner_client, session):
        for step in session.steps.all():
            post_completion(owner_client, session, step)
        url = reverse("programs:session-pain-after", args=[session.pk])
        first = owner_client.post(url, {"pain": "3", "key": "k1"}, headers=self.JSON)
        again = owner_client.post(url, {"pain": "9", "key": "k1"}, headers=self.JSON)
        summary = reverse("programs:session-summary", args=[session.pk])
        assert first.json() == again.json() == {"next": summary}
        session.refresh_from_db()
        assert session.pain_after == 3

    def test_a_refused_pain_after_says_why(self, owner_client, session):
        for step in session.steps.all():
            post_completion(owner_client, session, step)
        url = reverse("programs:session-pain-after", args=[session.pk])
        response = owner_client.post(url, {"pain": "12"}, headers=self.JSON)
        assert response.status_code == 400
        assert response.json()["error"]
        session.refresh_from_db()
        assert session.pain_after is None

    def test_a_refused_report_carries_the_form_with_its_message(self, owner_client, session):
        response = owner_client.post(
            reverse("programs:session-hurts", args=[session.pk]),
            {"level": "11", "choice": "stop", "key": str(uuid.uuid4())},
            headers=self.JSON,
        )
        assert response.status_code == 400
        answer = response.json()
        assert "from 0 (no pain) to 10" in answer["error"]
        assert 'class="hurts-form"' in answer["form"]
        assert not PainReport.objects.exists()

    def test_a_browser_asking_for_a_page_still_gets_html(self, owner_client, session):
        step = session.steps.first()
        response = owner_client.post(
            complete_url(session, step),
            {"key": str(uuid.uuid4()), "seconds_done": "3"},
            headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
        )
        assert response.status_code == 303


class TestKeysBelongToOneSession:
    """A key is good for one session only: one from another person's session is a 409 that
    says nothing about that session, and changes nothing in either."""

    JSON = {"Accept": "application/json"}

    @pytest.fixture
    def other_session(self, program):
        return started_session(ready_user(username="stranger"), program)

    def test_a_completion_key_from_another_session_is_refused(
        self, owner_client, session, other_session
    ):
        key = uuid.uuid4()
        theirs = other_session.steps.first()
        StepCompletion.objects.create(step=theirs, key=key, seconds_done=33)
        step = session.steps.first()
        data = {"key": str(key), "seconds_done": "10"}
        response = owner_client.post(complete_url(session, step), data, headers=self.JSON)
        assert response.status_code == 409
        assert response.json() == {
            "error": "That key was already used; reload the page to get a new one."
        }
        assert not StepCompletion.objects.filter(step=step).exists()
        assert StepCompletion.objects.get(key=key).seconds_done == 33

    def test_a_report_key_from_another_session_is_refused(
        self, owner_client, session, other_session
    ):
        key = uuid.uuid4()
        PainReport.objects.create(session=other_session, level=9, outcome="stop", key=key)
        response = owner_client.post(
            reverse("programs:session-hurts", args=[session.pk]),
            {"level": 3, "choice": "slower", "key": str(key)},
            headers=self.JSON,
        )
        assert response.status_code == 409
        body = response.content.decode()
        assert "stop" not in response.json()["error"]
        assert "BackCare-Outcome" not in response
        assert str(other_session.pk) not in response.json()["error"]
        assert "9" not in response.json()["error"]
        assert "already used" in body
        assert PainReport.objects.filter(session=session).count() == 0
        session.refresh_from_db()
        assert session.pace == Session.Pace.NORMAL

    def test_the_same_report_key_in_the_same_session_gets_its_first_answer(
        self, owner_client, session
    ):
        key = uuid.uuid4()
        url = reverse("programs:session-hurts", args=[session.pk])
        data = {"level": 4, "choice": "slower", "key": str(key)}
        first = owner_client.post(url, data, headers=self.JSON)
        again = owner_client.post(url, {**data, "choice": "stop"}, headers=self.JSON)
        assert first.json()["outcome"] == again.json()["outcome"] == "slower"
        assert PainReport.objects.filter(session=session).count() == 1


class TestFigures:
    """The runner's page carries two steps' figures; the rest come from here after Start."""

    def url(self, session):
        return reverse("programs:session-figures", args=[session.pk])

    def test_the_owner_gets_every_steps_figure(self, owner_client, session):
        page = owner_client.get(self.url(session)).content.decode()
        for step in session.steps.all():
            assert f'<template data-step="{step.pk}">' in page

    def test_a_stranger_gets_404_and_a_visitor_the_login(self, client, session):
        client.force_login(UserFactory())
        assert client.get(self.url(session)).status_code == 404
        client.logout()
        assert client.get(self.url(session)).status_code == 302
