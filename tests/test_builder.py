"""The program builder, progression suggestions, flare-ups and the plan."""

import uuid

import pytest
from django.urls import reverse

from programs.models import FlareUp, Plan, Program, ProgramStep, Session, Suggestion
from programs.services import programs as program_services
from programs.services import sessions as services
from tests.factories import (
    ExerciseFactory,
    ProgramFactory,
    ProgramStepFactory,
    program_with_steps,
    ready_user,
    started_session,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def me():
    return ready_user()


@pytest.fixture
def owner(client, me):
    client.force_login(me)
    return client


@pytest.fixture
def mine(me):
    program = program_with_steps(owner=me, name="Mine", slug="mine")
    return program


def phases(program) -> list[str]:
    return list(program.steps.order_by("order").values_list("phase", flat=True))


class TestBuilding:
    def test_build_a_program_from_nothing(self, owner, me):
        response = owner.post(
            reverse("programs:program-new"),
            {"name": "Evening", "summary": "", "weeks": "4", "sessions_per_day": "1"},
        )
        program = Program.objects.get(owner=me)
        assert response["Location"] == reverse("programs:builder", args=[program.pk])
        warm, main, cool = (ExerciseFactory(kind=k) for k in ["warmup", "strength", "cooldown"])
        add = reverse("programs:step-add", args=[program.pk])
        owner.post(add, {"exercise": cool.pk, "phase": "cooldown"})
        owner.post(add, {"exercise": main.pk, "phase": "main"})
        owner.post(add, {"exercise": warm.pk, "phase": "warmup"})
        assert phases(program) == ["warmup", "main", "cooldown"]
        page = owner.get(program.get_absolute_url()).content.decode()
        assert "Total time: about" in page
        assert 'role="alert"' not in page.split('id="steps"')[1].split("</section>")[0]

    def test_the_phase_rule_says_how_to_fix_it(self, owner, mine):
        first = mine.steps.order_by("order").first()
        response = owner.post(
            reverse("programs:step-move", args=[mine.pk, first.pk]),
            {"direction": "down"},
            headers={"HX-Request": "true"},
        )
        strength = mine.steps.order_by("order").first().exercise
        assert (
            f"Start with a warm-up: {strength.name} is a strength exercise. Move a warm-up "
            "exercise to the top, or add one."
        ) in response.content.decode()
        start = owner.post(reverse("programs:session-start"), {"program": mine.pk})
        assert start.status_code == 400
        page = start.content.decode()
        assert "Start with a warm-up" in page
        # The refused start shows the program again, where it can be fixed.
        assert reverse("programs:step-move", args=[mine.pk, first.pk]) in page
        assert not Session.objects.exists()

    def test_a_strength_exercise_added_to_a_program_goes_after_the_warm_up(self, owner, mine):
        plank = ExerciseFactory(kind="strength", name="Full side plank")
        owner.post(reverse("programs:step-add", args=[mine.pk]), {"exercise": plank.pk})
        steps = list(mine.steps.order_by("order").select_related("exercise"))
        assert steps[0].exercise.kind == "warmup"
        assert steps[-1].exercise.kind == "cooldown"
        assert steps[3].exercise == plank
        assert phases(mine) == ["warmup", "main", "main", "main", "cooldown"]

    def test_a_phase_sent_with_a_step_is_ignored_the_exercise_decides(self, owner, mine):
        plank = ExerciseFactory(kind="strength", name="Wall sit")
        add = reverse("programs:step-add", args=[mine.pk])
        owner.post(add, {"exercise": plank.pk, "phase": "cooldown"})
        step = mine.steps.get(exercise=plank)
        assert step.phase == "main"
        assert mine.steps.order_by("order").last().exercise.kind == "cooldown"

    def test_reorder_with_the_move_buttons(self, owner, mine):
        steps = list(mine.steps.order_by("order"))
        url = reverse("programs:step-move", args=[mine.pk, steps[2].pk])
        response = owner.post(url, {"direction": "up"}, headers={"HX-Request": "true"})
        assert response.content.decode().lstrip().startswith('<section id="steps"')
        assert list(mine.steps.order_by("order")) == [steps[0], steps[2], steps[1], steps[3]]
        owner.post(url, {"direction": "down"})
        assert list(mine.steps.order_by("order")) == steps

    def test_the_first_step_cannot_move_further_up(self, owner, mine):
        steps = list(mine.steps.order_by("order"))
        owner.post(reverse("programs:step-move", args=[mine.pk, steps[0].pk]), {"direction": "up"})
        assert list(mine.steps.order_by("order")) == steps

    def test_a_bad_direction_is_refused(self, owner, mine):
        step = mine.steps.first()
        url = reverse("programs:step-move", args=[mine.pk, step.pk])
        assert owner.post(url, {"direction": "sideways"}).status_code == 400

    def test_set_a_dose_and_see_the_total(self, owner, mine):
        step = mine.steps.order_by("order")[1]
        before = Program.objects.with_steps().get(pk=mine.pk).total_seconds()
        owner.post(
            reverse("programs:step-update", args=[mine.pk, step.pk]),
            {
                f"s{step.pk}-phase": "main",
                f"s{step.pk}-hold_seconds": "60",
                f"s{step.pk}-reps": "3",
            },
        )
        step.refresh_from_db()
        assert (step.hold_seconds, step.reps) == (60, 3)
        assert Program.objects.with_steps().get(pk=mine.pk).total_seconds() > before

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("hold_seconds", "-5", "cannot be less than 0"),
            ("reps", "0", "cannot be less than 1"),
            ("sets", "99", "cannot be more than 10"),
            ("rest_seconds", "soon", "whole number"),
        ],
    )
    def test_a_bad_dose_is_refused_next_to_the_field(self, owner, mine, field, value, message):
        step = mine.steps.order_by("order")[1]
        response = owner.post(
            reverse("programs:step-update", args=[mine.pk, step.pk]),
            {f"s{step.pk}-phase": "main", f"s{step.pk}-{field}": value},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert message in page.split(f'id="step-{step.pk}"')[1]
        step.refresh_from_db()
        assert getattr(step, field) is None

    def test_search_adds_exercises_in_place(self, owner, mine):
        ExerciseFactory(name="Bridge with a pause")
        response = owner.get(
            reverse("programs:builder-search", args=[mine.pk]),
            {"q": "bridge"},
            headers={"HX-Request": "true"},
        )
        page = response.content.decode()
        assert page.lstrip().startswith('<div id="search-results"')
        assert "Bridge with a pause" in page

    def test_remove_a_step(self, owner, mine):
        step = mine.steps.order_by("order")[1]
        owner.post(reverse("programs:step-remove", args=[mine.pk, step.pk]))
        assert not ProgramStep.objects.filter(pk=step.pk).exists()
        assert list(mine.steps.values_list("order", flat=True)) == [1, 2, 3]

    def test_copy_a_curated_program(self, owner, me):
        curated = program_with_steps(slug="curated-one")
        response = owner.post(reverse("programs:program-copy", args=["curated-one"]))
        copy = Program.objects.get(owner=me)
        assert response["Location"] == copy.get_absolute_url()
        assert copy.copied_from == curated
        assert [s.exercise_id for s in copy.steps.all()] == [
            s.exercise_id for s in curated.steps.all()
        ]

    def test_delete_keeps_past_sessions(self, owner, me, mine):
        session = started_session(me, mine)
        owner.post(reverse("programs:program-delete", args=[mine.pk]))
        assert not Program.objects.filter(pk=mine.pk).exists()
        session.refresh_from_db()
        assert session.program is None
        assert session.program_name == "Mine"
        assert session.steps.count() == 4

    @pytest.mark.parametrize(
        ("name", "method", "extra"),
        [
            ("programs:builder", "get", []),
            ("programs:builder", "post", []),
            ("programs:builder-search", "get", []),
            ("programs:step-add", "post", []),
            ("programs:program-delete", "get", []),
            ("programs:program-delete", "post", []),
            ("programs:step-update", "post", ["step"]),
            ("programs:step-move", "post", ["step"]),
            ("programs:step-remove", "post", ["step"]),
        ],
    )
    def test_another_users_program_is_404_and_unchanged(self, client, mine, name, method, extra):
        client.force_login(ready_user())
        step = mine.steps.first()
        args = [mine.pk] + ([step.pk] if extra else [])
        response = getattr(client, method)(
            reverse(name, args=args), {"direction": "up", "name": "Hacked", "weeks": "1"}
        )
        assert response.status_code == 404
        mine.refresh_from_db()
        assert mine.name == "Mine"
        assert mine.steps.count() == 4

    def test_another_users_program_cannot_be_started(self, client, mine):
        client.force_login(ready_user())
        response = client.post(reverse("programs:session-start"), {"program": mine.pk})
        assert response.status_code == 404


def run_session(user, program, pain_after=2, hurts=None):
    session = started_session(user, program, pain_before=1)
    if hurts is not None:
        services.report_pain(session, session.steps.get(position=2), hurts, wants_to_stop=False)
        session.refresh_from_db()
    for step in session.steps.filter(completion__isnull=True):
        if session.status == Session.Status.STOPPED_FOR_PAIN and not step.is_cooldown:
            continue
        services.complete_step(session, step, uuid.uuid4(), step.planned_seconds, False)
    services.finish_session(session, pain_after)
    return session


def the_suggestion(**filters) -> Suggestion:
    return Suggestion.objects.get(**filters)


class TestProgression:
    def test_three_comfortable_sessions_suggest_one_step_up_for_the_program(self, me):
        curated = program_with_steps(slug="curated-p")
        run_session(me, curated)
        run_session(me, curated)
        assert not Suggestion.objects.exists()
        session = run_session(me, curated)
        suggestion = the_suggestion(session=session, direction="up")
        changes = list(suggestion.changes.all())
        # Only the main work: the warm-up and cool-down stay as they are.
        assert [change.exercise for change in changes] == [
            curated.steps.get(order=2).exercise,
            curated.steps.get(order=3).exercise,
        ]
        assert (changes[0].change, changes[0].from_value, changes[0].to_value) == ("hold", 20, 24)

    def test_a_stop_gives_one_suggestion_that_eases_only_the_exercise_that_hurt(self, me):
        curated = program_with_steps(slug="curated-d")
        session = run_session(me, curated, hurts=7)
        assert Session.objects.get(pk=session.pk).status == Session.Status.STOPPED_FOR_PAIN
        down = the_suggestion(session=session)
        assert down.direction == "down"
        assert [change.exercise for change in down.changes.all()] == [
            curated.steps.get(order=2).exercise
        ]
        assert Suggestion.objects.count() == 1

    def test_pain_after_two_above_before_suggests_easing_the_main_work(self, me):
        curated = program_with_steps(slug="curated-r")
        session = run_session(me, curated, pain_after=3)  # pain before was 1
        down = the_suggestion(session=session)
        assert down.direction == "down"
        assert down.changes.count() == 2

    def test_accepting_changes_the_users_own_copy_and_the_next_session(self, owner, me):
        curated = program_with_steps(slug="curated-a")
        for _ in range(3):
            session = run_session(me, curated)
        suggestion = the_suggestion(session=session)
        response = owner.post(
            reverse("programs:suggestion-decide", args=[suggestion.pk]), {"decision": "accept"}
        )
        copy = Program.objects.get(owner=me, copied_from=curated)
        assert response["Location"] == copy.get_absolute_url()
        suggestion.refresh_from_db()
        assert (suggestion.status, suggestion.applied_to) == ("accepted", copy)
        assert suggestion.decided_at is not None
        assert copy.steps.get(order=2).hold_seconds == 24
        assert curated.steps.get(order=2).hold_seconds is None  # the curated one is untouched
        nxt = started_session(me, copy)
        assert nxt.steps.get(position=2).hold_seconds == 24

    def test_dismissing_is_recorded_and_changes_nothing(self, owner, me):
        curated = program_with_steps(slug="curated-x")
        for _ in range(3):
            run_session(me, curated)
        suggestion = Suggestion.objects.first()
        owner.post(
            reverse("programs:suggestion-decide", args=[suggestion.pk]), {"decision": "dismiss"}
        )
        suggestion.refresh_from_db()
        assert suggestion.status == "dismissed"
        assert not Program.objects.filter(owner=me).exists()

    def test_a_decision_counts_once(self, owner, me):
        curated = program_with_steps(slug="curated-o")
        for _ in range(3):
            run_session(me, curated)
        suggestion = Suggestion.objects.get()
        url = reverse("programs:suggestion-decide", args=[suggestion.pk])
        owner.post(url, {"decision": "accept"})
        owner.post(url, {"decision": "accept"})
        copy = Program.objects.get(owner=me)
        assert copy.steps.get(order=2).hold_seconds == 24

    def test_suggestions_show_on_the_summary_and_the_program(self, owner, me):
        curated = program_with_steps(slug="curated-s")
        for _ in range(3):
            session = run_session(me, curated)
        summary = owner.get(reverse("programs:session-summary", args=[session.pk]))
        assert "Suggested changes" in summary.content.decode()
        program_page = owner.get(curated.get_absolute_url()).content.decode()
        assert "Suggested changes" in program_page
        assert "hold 24 s instead of 20 s" in program_page

    def test_another_users_suggestion_is_404(self, client, me):
        curated = program_with_steps(slug="curated-z")
        for _ in range(3):
            run_session(me, curated)
        suggestion = Suggestion.objects.first()
        client.force_login(ready_user())
        url = reverse("programs:suggestion-decide", args=[suggestion.pk])
        assert client.post(url, {"decision": "accept"}).status_code == 404
        suggestion.refresh_from_db()
        assert suggestion.status == "pending"

    def test_a_bad_decision_is_refused_on_the_page_it_came_from(self, owner, me):
        curated = program_with_steps(slug="curated-b")
        for _ in range(3):
            run_session(me, curated)
        suggestion = Suggestion.objects.first()
        url = reverse("programs:suggestion-decide", args=[suggestion.pk])
        response = owner.post(url, {"decision": "maybe"})
        assert response.status_code == 400
        assert "Choose to accept or dismiss the suggestion." in response.content.decode()
        assert curated.name in response.content.decode()
        suggestion.refresh_from_db()
        assert suggestion.status == "pending"


class TestFlareUpsAndPlans:
    def test_a_flare_up_advises_rest_then_offers_the_gentle_program(self, owner, me, library):
        from datetime import timedelta

        from django.utils import timezone

        today = timezone.localdate()
        owner.post(
            reverse("programs:flare-up"), {"started_on": today.isoformat(), "note": "Lifting"}
        )
        page = owner.get(reverse("home")).content.decode()
        assert "Rest today and tomorrow" in page
        FlareUp.objects.update(started_on=today - timedelta(days=3))
        page = owner.get(reverse("home")).content.decode()
        assert "time for gentle exercise" in page
        assert "Start Gentle start" in page
        history = owner.get(reverse("programs:history")).content.decode()
        assert "Lifting" in history
        assert " flare" in history

    @pytest.mark.parametrize("value", ["2099-01-01", "yesterday", ""])
    def test_a_bad_flare_up_date_is_refused(self, owner, value):
        response = owner.post(reverse("programs:flare-up"), {"started_on": value})
        assert response.status_code == 400
        assert not FlareUp.objects.exists()

    def test_following_a_program_puts_today_on_home(self, owner, me):
        program = program_with_steps(slug="planned", sessions_per_day=2, weeks=3)
        owner.post(reverse("programs:plan-follow"), {"program": program.pk})
        plan = Plan.objects.get(user=me, active=True)
        assert (plan.weeks, plan.sessions_per_day) == (3, 2)
        page = owner.get(reverse("home")).content.decode()
        assert "Day 1 of 21; 0 of 2 done today." in page
        run_session(me, program)
        page = owner.get(reverse("home")).content.decode()
        assert "1 of 2 done today." in page

    def test_following_another_users_program_is_404(self, owner):
        theirs = ProgramFactory(owner=ready_user())
        assert (
            owner.post(reverse("programs:plan-follow"), {"program": theirs.pk}).status_code == 404
        )
        assert not Plan.objects.exists()

    def test_own_copy_is_reused(self, me):
        curated = program_with_steps(slug="reuse")
        first = program_services.own_copy(me, curated)
        assert program_services.own_copy(me, curated) == first


def test_a_nul_character_in_a_search_is_harmless(owner, mine):
    response = owner.get(reverse("programs:builder-search", args=[mine.pk]), {"q": "bri\x00dge"})
    assert response.status_code == 200
    response = owner.get(reverse("programs:goal-new"), {"group": "core\x00"})
    assert response.status_code == 200


class TestLimits:
    """Limits no one meets in real use, that keep a runner page small enough to send."""

    def test_a_program_takes_at_most_forty_steps(self, owner, mine):
        from programs.timeline import MAX_STEPS

        extra = ExerciseFactory(kind="stretch", hold_seconds=5, reps=1)
        for order in range(mine.steps.count(), MAX_STEPS):
            ProgramStepFactory(program=mine, exercise=extra, order=order + 10)
        response = owner.post(
            reverse("programs:step-add", args=[mine.pk]),
            {"exercise": extra.pk},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 400
        assert "A program has at most 40 steps" in response.content.decode()
        assert mine.steps.count() == MAX_STEPS

    def test_a_dose_that_makes_the_session_longer_than_three_hours_is_refused(self, owner, mine):
        step = mine.steps.order_by("order")[1]
        response = owner.post(
            reverse("programs:step-update", args=[mine.pk, step.pk]),
            {f"s{step.pk}-hold_seconds": "1800", f"s{step.pk}-reps": "10", f"s{step.pk}-sets": "1"},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 400
        assert "at most 3 hours" in response.content.decode()
        step.refresh_from_db()
        assert step.hold_seconds is None

    def test_too_many_holds_for_one_session_are_refused(self, owner, mine):
        step = mine.steps.order_by("order")[1]
        response = owner.post(
            reverse("programs:step-update", args=[mine.pk, step.pk]),
            {f"s{step.pk}-hold_seconds": "1", f"s{step.pk}-reps": "100", f"s{step.pk}-sets": "10"},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 400
        assert "too many holds and repetitions" in response.content.decode()

    def test_a_program_made_too_big_elsewhere_cannot_start(self, owner, mine):
        ProgramStep.objects.filter(program=mine).update(hold_seconds=1800, reps=10)
        response = owner.post(reverse("programs:session-start"), {"program": mine.pk})
        assert response.status_code == 400
        assert "at most 3 hours" in response.content.decode()
        assert not Session.objects.exists()


class TestOwnExercises:
    def make(self, client, **extra):
        from programs.models import MuscleGroup

        group = MuscleGroup.objects.first() or ExerciseFactory().primary_muscles.first()
        data = {
            "name": "Wall lean my physio showed me",
            "kind": "stretch",
            "position": "standing",
            "instructions": "Stand facing a wall.\nLean in slowly.",
            "hold_seconds": "20",
            "reps": "3",
            "sets": "1",
            "rest_seconds": "0",
            "seconds_per_rep": "4",
            "primary_muscles": [group.pk],
            "figure": "",
        }
        return client.post(reverse("programs:own-exercise-new"), data | extra)

    def test_it_is_found_in_the_owners_builder_and_nowhere_else(self, owner, mine, client):
        from programs.models import Exercise

        response = self.make(owner)
        exercise = Exercise.objects.get(name="Wall lean my physio showed me")
        assert response["Location"] == exercise.get_absolute_url()
        search = reverse("programs:builder-search", args=[mine.pk])
        assert "Wall lean" in owner.get(search, {"q": "wall lean"}).content.decode()
        owner.post(reverse("programs:step-add", args=[mine.pk]), {"exercise": exercise.pk})
        assert mine.steps.filter(exercise=exercise).exists()
        assert "Wall lean" not in client.get(reverse("programs:library")).content.decode()
        stranger = ready_user()
        client.force_login(stranger)
        theirs = program_with_steps(owner=stranger)
        search = reverse("programs:builder-search", args=[theirs.pk])
        assert "Wall lean" not in client.get(search, {"q": "wall"}).content.decode()
        assert client.get(exercise.get_absolute_url()).status_code == 404
        added = client.post(
            reverse("programs:step-add", args=[theirs.pk]), {"exercise": exercise.pk}
        )
        assert added.status_code == 400
        assert not theirs.steps.filter(exercise=exercise).exists()

    def test_it_can_borrow_a_library_figure(self, owner, library):
        from programs.models import Exercise

        self.make(owner, figure="bird-dog")
        exercise = Exercise.objects.get(name="Wall lean my physio showed me")
        page = owner.get(exercise.get_absolute_url()).content.decode()
        assert "<svg" in page
        assert "Wall lean my physio showed me: Stand facing a wall." in page

    def test_a_bad_form_says_what_to_fix_and_stores_nothing(self, owner):
        from programs.models import Exercise

        response = self.make(owner, name=" ", primary_muscles=[], figure="no-such-thing")
        assert response.status_code == 400
        page = response.content.decode()
        assert "Give the exercise a name." in page
        assert "Choose at least one muscle group it works." in page
        assert "Choose a picture from the list." in page
        assert not Exercise.objects.filter(owner__isnull=False).exists()


def test_a_dose_far_past_the_limits_is_refused_at_its_fields(client):
    me = ready_user()
    mine = program_with_steps(owner=me, name="Mine", slug="mine")
    client.force_login(me)
    step = mine.steps.order_by("order")[1]
    response = client.post(
        reverse("programs:step-update", args=[mine.pk, step.pk]),
        {
            f"s{step.pk}-phase": "main",
            f"s{step.pk}-hold_seconds": "2000000000",
            f"s{step.pk}-reps": "33317001",
            f"s{step.pk}-sets": "312192771",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "This cannot be more than 100." in page  # repetitions
    assert "This cannot be more than 10." in page  # sets
    step.refresh_from_db()
    assert (step.reps, step.sets) == (None, None)
