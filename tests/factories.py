"""factory-boy factories for every model."""

import factory
from django.contrib.auth import get_user_model

from programs.models import Exercise, MuscleGroup, Program, ProgramStep

PASSWORD = "a-long-test-passphrase-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password(PASSWORD)
    time_zone = "Europe/London"


class MuscleGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MuscleGroup
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"group-{n}")
    name = factory.Sequence(lambda n: f"Group {n}")
    region = MuscleGroup.Region.BACK
    summary = "A muscle group made for a test."


class ExerciseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exercise
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"exercise-{n}")
    name = factory.Sequence(lambda n: f"Exercise {n}")
    kind = Exercise.Kind.STRETCH
    position = Exercise.Position.STANDING
    summary = "An exercise made for a test."
    instructions = "Stand tall.\nBreathe out slowly."
    cautions = "Stop if it hurts."
    hold_seconds = 20
    reps = 2
    max_hold_seconds = 60
    max_reps = 3

    @factory.post_generation
    def primary_muscles(self, create: bool, extracted, **kwargs) -> None:
        if create:
            self.primary_muscles.set(extracted if extracted is not None else [MuscleGroupFactory()])

    @factory.post_generation
    def secondary_muscles(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.secondary_muscles.set(extracted)


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    slug = factory.Sequence(lambda n: f"program-{n}")
    name = factory.Sequence(lambda n: f"Program {n}")
    summary = "A program made for a test."
    weeks = 4
    sessions_per_day = 1
    owner = None


class ProgramStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgramStep

    program = factory.SubFactory(ProgramFactory)
    exercise = factory.SubFactory(ExerciseFactory)
    order = factory.Sequence(lambda n: n + 1)
    phase = ProgramStep.Phase.MAIN


def program_with_steps(**kwargs) -> Program:
    """A valid program: a warm-up, two main exercises and a cool-down."""
    program = ProgramFactory(**kwargs)
    phases = ["warmup", "main", "main", "cooldown"]
    kinds = ["warmup", "strength", "stretch", "cooldown"]
    for order, (phase, kind) in enumerate(zip(phases, kinds, strict=True), start=1):
        ProgramStepFactory(
            program=program, order=order, phase=phase, exercise=ExerciseFactory(kind=kind)
        )
    return program


def ready_user(**kwargs):
    """A user who has read the notice and answered the warning-signs questions."""
    from django.utils import timezone

    return UserFactory(notice_acknowledged_at=timezone.now(), screening_due=False, **kwargs)


def started_session(user, program, pain_before: int | None = 2):
    """A session of `program` as the runner has it after the pain check."""
    from programs.services import sessions as services

    session = services.start_session(user, program)
    if pain_before is not None:
        services.record_pain_before(session, pain_before)
        session.refresh_from_db()
    return session


def make_history(user, count: int, program=None, *, last=None, per_day: int = 1, minutes: int = 5):
    """`count` finished sessions, `per_day` a day going back from `last`, written in bulk.

    Each session has every step of `program` done, `minutes` of work in all, pain before
    and after: a long history in a fraction of the time the services would take.
    """
    from datetime import timedelta

    from django.utils import timezone

    from programs.models import Session, SessionStep, StepCompletion
    from programs.services import rollups

    program = program or program_with_steps()
    steps = list(program.steps.select_related("exercise"))
    last = last or timezone.now()
    sessions = Session.objects.bulk_create(
        Session(
            user=user,
            program=program,
            program_name=program.name,
            status=Session.Status.COMPLETED,
            pain_before=4 + index % 3,
            pain_after=2 + index % 3,
            finished_at=last,
            local_day=last.date(),
        )
        for index in range(count)
    )
    # started_at is set on insert; move each session to its own day.
    for index, session in enumerate(sessions):
        session.started_at = last - timedelta(days=index // per_day, minutes=index % per_day)
        session.local_day = session.started_at.astimezone(user.zone).date()
    Session.objects.bulk_update(sessions, ["started_at", "local_day"])
    session_steps = SessionStep.objects.bulk_create(
        SessionStep(
            session=session,
            position=position,
            phase=step.phase,
            exercise=step.exercise,
            hold_seconds=step.dose.hold_seconds,
            reps=step.dose.reps,
            sets=step.dose.sets,
        )
        for session in sessions
        for position, step in enumerate(steps, start=1)
    )
    seconds = minutes * 60 // max(len(steps), 1)
    StepCompletion.objects.bulk_create(
        StepCompletion(step=step, seconds_done=seconds, hold_seconds_done=step.hold_seconds)
        for step in session_steps
    )
    groups = {
        step.exercise_id: {g.pk for g in step.exercise.primary_muscles.all()}
        | {g.pk for g in step.exercise.secondary_muscles.all()}
        for step in steps
    }
    through = SessionStep.muscle_groups.through
    through.objects.bulk_create(
        through(sessionstep_id=step.pk, musclegroup_id=group)
        for step in session_steps
        for group in groups[step.exercise_id]
    )
    # Written around the services, so the day totals are summed here, as rebuild_rollups does.
    rollups.recompute([user.pk])
    return sessions
