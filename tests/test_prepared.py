"""Queries with their SQL built once (backcare/prepared.py) give what the ORM gives."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from backcare.models import LoginSession, User
from backcare.prepared import Insert, Read, Rows
from programs.curated import curated_programs, startable_program
from programs.models import (
    MorningCheck,
    Program,
    ProgramStep,
    Session,
    SessionStep,
    StepCompletion,
)
from programs.services import outcomes
from programs.services import sessions as services
from tests.factories import program_with_steps, ready_user, started_session

pytestmark = pytest.mark.django_db

STEP_OF_PERSON = Read(SessionStep, "pk", "session_id", "session__user_id", joined="session")


def fields_of(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.fields}


def test_a_read_gives_the_same_instance_as_the_orm_with_its_joined_row():
    user = ready_user()
    session = started_session(user, program_with_steps())
    step = session.steps.order_by("position").first()
    with CaptureQueriesContext(connection) as queries:
        found = STEP_OF_PERSON.one(step.pk, session.pk, user.pk)
        joined = found.session  # read with the step: no further query
    assert len(queries) == 1
    expected = SessionStep.objects.select_related("session").get(pk=step.pk)
    assert fields_of(found) == fields_of(expected)
    assert fields_of(joined) == fields_of(expected.session)
    assert isinstance(joined.started_at, type(expected.session.started_at))
    assert joined.started_at.tzinfo is not None
    assert not found._state.adding
    assert found._state.db == "default"


def test_a_read_finds_nothing_for_another_person():
    owner, stranger = ready_user(), ready_user()
    session = started_session(owner, program_with_steps())
    step = session.steps.first()
    assert STEP_OF_PERSON.one(step.pk, session.pk, stranger.pk) is None
    assert STEP_OF_PERSON.one(step.pk, session.pk + 1, owner.pk) is None


def test_a_read_by_either_condition_gives_every_row_that_matches_one():
    session = started_session(ready_user(), program_with_steps())
    first, second = session.steps.order_by("position")[:2]
    key = uuid.uuid4()
    services.complete_step(session, first, key, first.planned_seconds, False)
    either = Read(StepCompletion, "key", "step_id", either=True)
    assert [c.step_id for c in either.all(key, first.pk)] == [first.pk]
    assert [c.key for c in either.all(key, second.pk)] == [key]
    found = either.one(uuid.uuid4(), first.pk)
    assert found.key == key
    assert found.skipped is False
    assert found.seconds_done > 0
    assert either.all(uuid.uuid4(), second.pk) == []


def test_a_comparison_reads_only_the_rows_it_allows():
    user = ready_user()
    session = started_session(user, program_with_steps())
    later = Read(Session, "pk", "started_at__gt")
    assert later.one(session.pk, session.started_at - timedelta(seconds=1)).pk == session.pk
    assert later.one(session.pk, session.started_at) is None


def test_a_read_refuses_the_wrong_number_of_values_and_unknown_conditions():
    with pytest.raises(TypeError):
        STEP_OF_PERSON.one(1, 2)
    with pytest.raises(ValueError, match="Cannot read by"):
        Read(SessionStep, "session__user__username").one("someone")


def test_rows_run_the_querysets_sql_with_the_real_numbers():
    user, other = ready_user(), ready_user()
    program = program_with_steps()
    mine = started_session(user, program)
    started_session(other, program)
    rows = Rows(
        lambda user_id: Session.objects.filter(user_id=user_id).values_list("pk"), "user_id"
    )
    assert rows.all(user_id=user.pk) == [(mine.pk,)]
    assert rows.first(user_id=ready_user().pk) is None
    unused = Rows(lambda user_id: Session.objects.values_list("pk"), "user_id")
    with pytest.raises(ValueError, match="user_id"):
        unused.all(user_id=user.pk)


def test_a_worse_morning_makes_the_next_start_gentler_and_only_that_persons():
    user, other = ready_user(), ready_user()
    program = program_with_steps()
    for person in (user, other):
        session = started_session(person, program)
        for step in session.steps.all():
            services.complete_step(session, step, uuid.uuid4(), step.planned_seconds, False)
        services.finish_session(session, 2)
        answer = MorningCheck.Answer.WORSE if person == user else MorningCheck.Answer.SAME
        outcomes.record_morning_check(person, session, answer, None, person.today())
    assert outcomes.next_session_gentler(user) is True
    assert outcomes.next_session_gentler(other) is False
    assert outcomes.next_session_gentler(ready_user()) is False
    assert services.start_session(user, program).pace == Session.Pace.GENTLER


def test_an_insert_stores_what_save_would():
    session = started_session(ready_user(), program_with_steps())
    step = session.steps.first()
    key = uuid.uuid4()
    before = timezone.now()
    made = Insert(StepCompletion).save(StepCompletion(step=step, key=key, seconds_done=30))
    stored = StepCompletion.objects.get(key=key)
    assert made.pk == stored.pk
    assert not made._state.adding
    assert (stored.step_id, stored.seconds_done, stored.skipped) == (step.pk, 30, False)
    assert stored.completed_at >= before - timedelta(seconds=1)  # auto_now_add, as save() sets


def test_an_insert_of_a_model_whose_saves_are_listened_to_saves_it_the_orms_way():
    heard = []

    def listener(sender, instance, created, **kwargs):
        heard.append((instance.pk, created))

    post_save.connect(listener, sender=StepCompletion, dispatch_uid="test-listener")
    try:
        session = started_session(ready_user(), program_with_steps())
        made = Insert(StepCompletion).save(StepCompletion(step=session.steps.first()))
    finally:
        post_save.disconnect(sender=StepCompletion, dispatch_uid="test-listener")
    assert heard == [(made.pk, True)]


def test_a_person_is_read_by_key_as_the_orm_reads_them():
    user = ready_user(time_zone="Europe/Paris")
    assert fields_of(User.objects.get(pk=user.pk)) == fields_of(User.objects.filter(pk=user.pk)[0])
    assert User.objects.get(pk=str(user.pk)).pk == user.pk  # as the session keeps it
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=user.pk + 1000)
    assert User.objects.get(username=user.username).pk == user.pk  # the ORM's way


def test_a_related_managers_get_by_key_still_filters():
    from django.contrib.auth.models import Group

    member, outsider = ready_user(), ready_user()
    group = Group.objects.create(name="Physios")
    group.user_set.add(member)
    assert group.user_set.get(pk=member.pk) == member
    with pytest.raises(User.DoesNotExist):
        group.user_set.get(pk=outsider.pk)


def test_an_expired_session_signs_nobody_in(client):
    user = ready_user()
    client.force_login(user)
    assert client.get(reverse("programs:history")).status_code == 200
    LoginSession.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("programs:history"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_start_copies_a_curated_program_as_it_is_now(library, client):
    user = ready_user()
    client.force_login(user)
    program = Program.objects.curated().get(slug="desk-break")
    assert curated_programs()[program.pk].name == program.name
    first = program.steps.order_by("order").first()
    first.reps, first.sets = 7, 2  # an admin's edit moves the library's version on
    first.save()
    client.post(reverse("programs:session-start"), {"program": program.pk})
    session = Session.objects.get(user=user)
    copied = session.steps.get(position=1)
    assert (copied.reps, copied.sets) == (7, 2)
    assert copied.muscle_groups.count() == len(first.exercise.muscle_groups())


def test_only_curated_and_own_programs_can_be_started(library):
    owner, stranger = ready_user(), ready_user()
    own = program_with_steps(owner=owner)
    curated = Program.objects.curated().first()
    assert startable_program(owner, own.pk).pk == own.pk
    assert startable_program(owner, own.pk).steps.all()[0].exercise.name  # read with it
    assert startable_program(stranger, own.pk) is None
    assert startable_program(stranger, curated.pk).pk == curated.pk


def test_starting_someone_elses_program_is_not_found(library, client):
    owner, stranger = ready_user(), ready_user()
    own = program_with_steps(owner=owner)
    client.force_login(stranger)
    response = client.post(reverse("programs:session-start"), {"program": own.pk})
    assert response.status_code == 404
    assert not Session.objects.filter(user=stranger).exists()
    assert ProgramStep.objects.filter(program=own).count() == 4


def test_a_number_too_large_for_the_database_finds_nothing_as_the_orm_finds_nothing():
    user = ready_user()
    session = started_session(user, program_with_steps())
    huge = 2**63
    assert Session.objects.filter(pk=huge).first() is None
    assert Read(Session, "pk", "user_id").one(huge, user.pk) is None
    step = session.steps.first()
    either = Read(StepCompletion, "step_id", "key", either=True)
    key = uuid.uuid4()
    services.complete_step(session, step, key, step.planned_seconds, False)
    assert [c.key for c in either.all(huge, key)] == [key]  # the other condition still holds
    with pytest.raises(ValueError, match="Compare numbers"):
        Read(Session, "pk__gt").one(1)


@pytest.mark.parametrize(
    "address",
    [
        "/sessions/9223372036854775808/run/",
        "/sessions/9223372036854775808/steps/1/complete/",
        "/sessions/1/steps/9223372036854775808/complete/",
    ],
)
def test_an_address_with_a_number_too_large_is_not_found(client, address):
    client.force_login(ready_user())
    response = client.post(address) if "complete" in address else client.get(address)
    assert response.status_code == 404
