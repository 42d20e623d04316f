"""Junk sent to every form and POST endpoint: never a server error, and a rejected request
changes nothing already stored.

Each example runs in a savepoint that is rolled back, so every one starts from the same
stored state. `test_every_post_endpoint_is_fuzzed` finds the addresses that take a POST by
asking each URL pattern, so a new endpoint without an entry in `FORMS` fails the suite.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import transaction
from django.forms import BaseForm
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programs.models import Exercise, Session
from programs.safety import WARNING_SIGNS
from programs.services import sessions as services
from tests.factories import PASSWORD, program_with_steps, ready_user
from tests.test_crawler import (
    ADDRESSES,
    World,
    addresses,
    build_world,
    client_for,
    snapshot,
    url_patterns,
)

pytestmark = pytest.mark.django_db

EXAMPLES = 30

# Text of every kind, numbers far out of range, empty and very long values.
JUNK = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.floats().map(str),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "11",
            "2147483648",
            "9223372036854775808",
            "1e400",
            "NaN",
            "٣",
            "\uff11\uff10",  # fullwidth digits
            "null",
            "[]",
            "{}",
            "on",
            "../../etc/passwd",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "\u202eevil",
            "2026-02-30",
            "0001-01-01",
            "9999-12-31",
        ]
    ),
    st.builds(
        lambda text, times: text * times, st.text(min_size=1, max_size=3), st.integers(300, 4000)
    ),
)


ABSENT = object()


def field_values(plausible: list[str]):
    """Half the time a value that would be accepted, else junk, a list of junk, or nothing.

    Mostly good forms with one or two bad fields reach further into each view than pure junk.
    """
    bad = st.one_of(JUNK, st.lists(JUNK, min_size=1, max_size=3), st.just(ABSENT))
    return st.one_of(st.sampled_from(plausible), bad) if plausible else bad


def form_data(plausible: dict[str, list[str]]):
    fields = {name: field_values(values) for name, values in plausible.items()}
    return st.fixed_dictionaries(fields).map(
        lambda data: {name: value for name, value in data.items() if value is not ABSENT}
    )


@dataclass(frozen=True)
class Form:
    """An endpoint to fuzz: its URL name, the fields it reads, how to reach it."""

    name: str
    # Field name -> values that would be accepted, given the world and the URL's kwargs.
    fields: Callable[[World, dict], dict[str, list[str]]] = lambda world, kwargs: {}
    # Prepares what the endpoint needs and returns the URL's kwargs.
    kwargs: Callable[[World], dict] = lambda world: {}
    method: str = "post"
    anonymous: bool = False
    # Goal forms' inline validation only answers; it never stores anything.
    validate_only: bool = False
    label: str = ""

    @property
    def id(self) -> str:
        return self.label or self.name


def _today(days: int = 0) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def _running(world: World) -> dict:
    return {"pk": world.sessions[-1].pk}


def _running_step(world: World) -> dict:
    session = world.sessions[-1]
    return {"pk": session.pk, "step_pk": session.steps.first().pk}


def _fresh_session(world: World) -> dict:
    """An unfinished session waiting for its pain-before answer."""
    session = services.start_session(world.owner, world.program, replace_unfinished=True)
    return {"pk": session.pk}


def _all_steps_done(world: World) -> dict:
    """An unfinished session with every step done, waiting for its pain-after answer."""
    session = services.start_session(world.owner, world.program, replace_unfinished=True)
    services.record_pain_before(session, 2)
    session.refresh_from_db()
    for step in session.steps.all():
        services.complete_step(session, step, uuid.uuid4(), step.planned_seconds, False)
    return {"pk": session.pk}


def _goal(world: World) -> dict:
    return {"pk": world.goals[0].pk}


def _own_program(world: World) -> dict:
    return {"pk": world.own_program.pk}


def _own_step(world: World) -> dict:
    return {"pk": world.own_program.pk, "step_pk": world.own_program.steps.first().pk}


def _uid_and_token(world: World) -> dict:
    return ADDRESSES["password_reset_confirm"][1](world)[0]


def _group_slug(world: World) -> str:
    return world.goals[0].muscle_group.slug


def _goal_fields(world: World, kwargs: dict) -> dict[str, list[str]]:
    goal = world.goals[1]
    return {
        "muscle_group": [str(goal.muscle_group_id)],
        "expectation": ["Walk to the shops without stopping"],
        "due_date": [_today(30), _today(0), _today(-1), _today(365 * 6)],
        "target_kind": ["sessions", "minutes", "hold", "rating"],
        "target_value": ["1", "10", "11", "1800", "1801", "100000", "100001"],
        "exercise": [str(goal.exercise_id)],
    }


def _program_fields(world: World, kwargs: dict) -> dict[str, list[str]]:
    return {
        "name": ["My evening stretches"],
        "summary": ["Gentle, before bed."],
        "weeks": ["1", "4", "52", "53"],
        "sessions_per_day": ["1", "4", "5"],
    }


def _step_fields(world: World, kwargs: dict) -> dict[str, list[str]]:
    prefix = f"s{kwargs['step_pk']}-"
    return {
        f"{prefix}phase": ["warmup", "main", "cooldown"],
        f"{prefix}hold_seconds": ["", "0", "30"],
        f"{prefix}reps": ["", "1", "10"],
        f"{prefix}sets": ["", "1", "3"],
        f"{prefix}rest_seconds": ["", "0", "30"],
    }


def _pain(world: World, kwargs: dict) -> dict[str, list[str]]:
    return {"pain": ["0", "3", "5", "8", "10"]}


FORMS = [
    Form(
        "signup",
        lambda w, k: {
            "username": ["new-person"],
            "email": ["new@example.com"],
            "time_zone": ["UTC", "Europe/London"],
            "password1": ["slow-and-steady-back-42"],
            "password2": ["slow-and-steady-back-42"],
        },
        anonymous=True,
    ),
    # Wrong passwords only: each example must be a failed log-in.
    Form(
        "login",
        lambda w, k: {"username": [w.owner.username], "password": ["not-the-password"]},
        anonymous=True,
    ),
    Form("password_reset", lambda w, k: {"email": [w.owner.email]}, anonymous=True),
    Form(
        "password_reset_confirm",
        lambda w, k: {"new_password1": ["reset-and-ready-2026"], "new_password2": ["x"]},
        kwargs=_uid_and_token,
        anonymous=True,
    ),
    Form("logout"),
    Form(
        "profile",
        lambda w, k: {
            "email": ["me@example.com"],
            "time_zone": ["UTC", "Asia/Tokyo"],
            "sound_cues": ["on"],
            "spoken_cues": ["on"],
            "lead_in_seconds": ["0", "5", "30", "31"],
        },
    ),
    Form(
        "email_change",
        lambda w, k: {
            "email": ["me@example.com", "", w.owner.email],
            "password": [PASSWORD, "not-my-password"],
        },
    ),
    Form(
        "password_change",
        lambda w, k: {
            "old_password": [PASSWORD],
            "new_password1": ["a-brand-new-passphrase-7"],
            "new_password2": ["a-brand-new-passphrase-7"],
        },
    ),
    # Never the right password: the account must survive every example.
    Form("delete_account", lambda w, k: {"password": ["not-my-password", PASSWORD + " "]}),
    Form(
        "programs:library",
        lambda w, k: {
            "q": ["bridge"],
            "muscle": [_group_slug(w)],
            "kind": ["stretch", "warmup"],
            "position": ["standing", "seated"],
            "tv": ["on"],
        },
        method="get",
    ),
    Form(
        "programs:session-start",
        lambda w, k: {"program": [str(w.program.pk), str(w.own_program.pk)], "replace": ["on"]},
    ),
    Form("programs:session-pain-before", _pain, kwargs=_fresh_session),
    Form("programs:session-pain-after", _pain, kwargs=_all_steps_done),
    Form(
        "programs:session-complete",
        lambda w, k: {
            "key": [str(uuid.uuid4())],
            "seconds_done": ["0", "30", "86400", "86401"],
            "skipped": ["on"],
        },
        kwargs=_running_step,
    ),
    Form(
        "programs:session-hurts",
        lambda w, k: {
            "level": ["0", "4", "6", "8", "10"],
            "key": [str(uuid.uuid4())],
            "step": [str(s.pk) for s in Session.objects.get(pk=k["pk"]).steps.all()[:2]],
            "choice": ["continue", "stop", "slower", "carry_on", ""],
        },
        kwargs=_running,
    ),
    Form("programs:session-abandon", kwargs=_running),
    Form(
        "programs:safety",
        lambda w, k: {
            "warning_signs": [sign.code for sign in WARNING_SIGNS[:2]],
            "none_apply": ["on"],
            "acknowledge": ["on"],
            "program": [str(w.program.pk)],
            "session": [str(w.sessions[-1].pk)],
        },
    ),
    Form("programs:goal-new", _goal_fields),
    Form("programs:goal-new", _goal_fields, validate_only=True, label="goal-new _validate"),
    Form("programs:goal-edit", _goal_fields, kwargs=_goal),
    Form(
        "programs:goal-edit",
        _goal_fields,
        kwargs=_goal,
        validate_only=True,
        label="goal-edit _validate",
    ),
    Form("programs:goal-check-in", lambda w, k: {"rating": ["0", "5", "10"]}, kwargs=_goal),
    Form("programs:goal-achieve", kwargs=_goal),
    Form("programs:goal-archive", kwargs=_goal),
    Form("programs:goal-delete", kwargs=_goal),
    Form("exports:calendar-renew"),
    Form("programs:program-new", _program_fields),
    Form("programs:builder", _program_fields, kwargs=_own_program),
    Form(
        "programs:builder-search",
        lambda w, k: {"q": ["bridge"]},
        kwargs=_own_program,
        method="get",
    ),
    Form(
        "programs:step-add",
        lambda w, k: {
            "exercise": [str(Exercise.objects.first().pk)],
            "phase": ["warmup", "main", "cooldown"],
        },
        kwargs=_own_program,
    ),
    Form("programs:step-update", _step_fields, kwargs=_own_step),
    Form("programs:step-move", lambda w, k: {"direction": ["up", "down"]}, kwargs=_own_step),
    Form("programs:step-remove", kwargs=_own_step),
    Form("programs:program-delete", kwargs=_own_program),
    Form("programs:program-copy", kwargs=lambda w: {"slug": w.program.slug}),
    Form(
        "programs:suggestion-decide",
        lambda w, k: {"decision": ["accept", "dismiss"], "next": ["/", "/goals/"]},
        kwargs=lambda w: {"pk": w.suggestion.pk},
    ),
    Form(
        "programs:flare-up",
        lambda w, k: {
            "started_on": [_today(0), _today(-1), _today(1), _today(-61)],
            "note": ["Bent down to the dishwasher"],
        },
    ),
    Form("programs:plan-follow", lambda w, k: {"program": [str(w.program.pk)]}),
    Form(
        "programs:reminders",
        lambda w, k: {
            "weekdays": ["0", "3", "6", "7"],
            "time_1": ["08:30", "00:00", "23:59", "24:00", "8.30"],
            "by_email": ["on"],
        },
    ),
    # The unsubscribe takes any body: the signed token in the address is all it reads.
    Form(
        "programs:reminders-stop",
        lambda w, k: {"List-Unsubscribe": ["One-Click"]},
        kwargs=lambda w: ADDRESSES["programs:reminders-stop"][1](w)[0],
        anonymous=True,
    ),
    Form("programs:plan-stop"),
    Form(
        "programs:session-choose",
        lambda w, k: {"choice": ["gentle", "rest", "program-1", "program-999"]},
        kwargs=_running,
    ),
    Form(
        "programs:morning-check",
        lambda w, k: {"answer": ["better", "same", "worse"], "stiffer": ["on"], "next": ["/"]},
    ),
    Form(
        "programs:outcomes",
        lambda w, k: {
            "pain": ["0", "5", "10"],
            "enjoyment": ["3"],
            "activity": ["7"],
            f"rate_{w.activity.pk}": ["4"],
        },
    ),
    Form("programs:activity-add", lambda w, k: {"name": ["Put my socks on"]}),
    Form(
        "programs:first-step",
        lambda w, k: {
            "how_long": ["flare", "weeks", "months"],
            "leg_pain": ["yes", "no"],
            "floor": ["yes", "no"],
            "minutes": ["5", "10", "20", "30"],
        },
    ),
    Form(
        "programs:own-exercise-new",
        lambda w, k: {
            "name": ["Wall lean"],
            "kind": ["stretch", "strength"],
            "position": ["standing"],
            "instructions": ["Lean on the wall."],
            "hold_seconds": ["20"],
            "reps": ["3"],
            "sets": ["1"],
            "rest_seconds": ["0"],
            "primary_muscles": [str(w.own_exercise.primary_muscles.first().pk)],
            "figure": ["", "bird-dog"],
        },
    ),
    Form(
        "programs:own-exercise-edit",
        lambda w, k: {"name": ["Wall lean"], "kind": ["stretch"], "position": ["standing"]},
        kwargs=lambda w: {"pk": w.own_exercise.pk},
    ),
    Form("programs:activity-archive", kwargs=lambda w: {"pk": w.activity.pk}),
    Form("programs:report-links", lambda w, k: {"days": ["7", "30"]}),
    Form(
        "programs:report-link-revoke",
        kwargs=lambda w: {"pk": w.owner.report_links.first().pk},
    ),
]

# Real bugs this file finds are listed here, each marking its case a strict xfail, until fixed.
KNOWN_BUGS: dict[str, str] = {}


def _params():
    for form in FORMS:
        marks = []
        if form.id in KNOWN_BUGS:
            marks = [pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[form.id])]
        yield pytest.param(form, id=form.id, marks=marks)


def _forms_with_errors(response) -> list[BaseForm]:
    contexts = response.context
    if contexts is None:
        return []
    if not isinstance(contexts, list):
        contexts = [contexts]
    return [
        value
        for context in contexts
        for value in context.flatten().values()
        if isinstance(value, BaseForm) and value.is_bound and value.errors
    ]


def rejected(response) -> bool:
    """The request was turned down: an error status, or the form shown again with errors."""
    return response.status_code >= 400 or bool(_forms_with_errors(response))


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Several forms check a password on every example; the real hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.parametrize("form", list(_params()))
def test_junk_never_breaks_an_endpoint_nor_changes_what_is_stored(form: Form):
    world = build_world()
    kwargs = form.kwargs(world)
    url = reverse(form.name, kwargs=kwargs)
    plausible = form.fields(world, kwargs)
    data = form_data(plausible)
    if form.validate_only:
        triggers = [f"row-{name}" for name in plausible]
        headers = st.fixed_dictionaries(
            {
                "HX-Request": st.just("true"),
                "HX-Trigger": st.one_of(
                    st.sampled_from(triggers),
                    st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=30),
                ),
            }
        )
        data = data.map(lambda fields: {**fields, "_validate": "due_date"})
    else:
        headers = st.one_of(st.just({}), st.just({"HX-Request": "true"}))

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=data, headers=headers)
    def send(data: dict, headers: dict) -> None:
        with transaction.atomic():
            client = client_for(None if form.anonymous else world.owner)
            before = snapshot()
            response = getattr(client, form.method)(url, data, headers=headers)
            assert response.status_code < 500
            if form.validate_only or rejected(response):
                assert snapshot() == before, f"a rejected {form.method.upper()} changed data"
            transaction.set_rollback(True)

    send()


def test_every_post_endpoint_is_fuzzed():
    """Any URL that takes a POST (anything but 405) must have an entry in FORMS."""
    world = build_world()
    fuzzed = {form.name for form in FORMS}
    takes_post = set()
    for address in addresses(world):
        with transaction.atomic():
            response = client_for(world.owner).post(address.url)
            transaction.set_rollback(True)
        if response.status_code != 405:
            takes_post.add(address.name)
    assert sorted(takes_post - fuzzed) == []
    assert {p.name for p in url_patterns()} >= fuzzed


def test_the_harness_sees_a_rejected_form_and_an_unchanged_snapshot():
    user = ready_user()
    program_with_steps(owner=user)
    client = client_for(user)
    before = snapshot()
    response = client.post(reverse("programs:goal-new"), {"target_value": "-1"})
    assert rejected(response)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("url", "field", "words"),
    [
        ("programs:own-exercise-new", "primary_muscles", "Choose the muscle groups from the list."),
        (
            "programs:own-exercise-new",
            "secondary_muscles",
            "Choose the muscle groups from the list.",
        ),
        ("programs:goal-new", "muscle_group", "pick one from the list."),
    ],
)
def test_a_number_too_large_for_the_database_is_refused_as_an_unknown_choice(
    client, url, field, words
):
    client.force_login(ready_user())
    response = client.post(reverse(url), {field: "9223372036854775808", "name": "Wall lean"})
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not Exercise.objects.filter(name="Wall lean").exists()


def test_a_step_added_with_a_number_too_large_for_the_database_is_refused(client):
    user = ready_user()
    program = program_with_steps(owner=user)
    client.force_login(user)
    url = reverse("programs:step-add", args=[program.pk])
    response = client.post(url, {"exercise": "9223372036854775808"})
    assert response.status_code == 400
    assert "That exercise is not in the library." in response.content.decode()
    assert program.steps.count() == 4
