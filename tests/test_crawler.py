"""Every address in the project, visited as an anonymous visitor, the owner and a stranger.

`ADDRESSES` says, for each URL pattern, who may see it and how to fill it from objects that
exist. A pattern missing from it fails `test_every_url_pattern_is_in_the_table`, so a new
page is never left out of these checks.
"""

import datetime
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from backcare.models import LoginSession
from programs.models import (
    Exercise,
    Goal,
    HardActivity,
    Program,
    ReportLink,
    Session,
    SuggestedChange,
    Suggestion,
)
from programs.reminder_mail import unsubscribe_token
from programs.services import goals as goal_services
from programs.services import outcomes as outcome_services
from programs.services import plans as plan_services
from programs.services import programs as program_services
from programs.services import reminders as reminder_services
from programs.services import sessions as services
from tests.factories import make_history, program_with_steps, ready_user, started_session

pytestmark = pytest.mark.django_db

# Who may see an address.
ANYONE = "anyone"  # public pages, and the account pages a visitor needs
SIGNED_IN = "signed in"  # the signed-in user's own pages; no object of anyone's in the address
OWNED = "owned"  # names one of the owner's objects by id: everyone else gets a 404
SECRET = "secret"  # the calendar feed: its secret token is the key, no sign-in
# The one-click unsubscribe of the reminder mail: its signed token is the key to one thing,
# stopping that person's reminder mail, so whoever holds it (a mail program) may post.
KEY_TO_ONE_ACTION = "key to one action"

SKIPPED_ROUTES = ("admin/", "static/", "media/")


@dataclass(frozen=True)
class Pattern:
    name: str  # the namespaced URL name, or the route when the pattern has no name
    route: str
    converters: dict[str, str] = field(hash=False)  # kwarg -> converter class name


def url_patterns(patterns=None, prefix: str = "", namespace: tuple = (), kwargs=None):
    """Every URL pattern of the project, includes followed, admin and static left out."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    kwargs = kwargs or {}
    found = []
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(SKIPPED_ROUTES):
            continue
        converters = {**kwargs, **_converters(entry.pattern)}
        if isinstance(entry, URLResolver):
            inner = (*namespace, entry.namespace) if entry.namespace else namespace
            found += url_patterns(entry.url_patterns, route, inner, converters)
        else:
            name = ":".join([*namespace, entry.name]) if entry.name else route
            found.append(Pattern(name, route, converters))
    return found


def _converters(pattern) -> dict[str, str]:
    if hasattr(pattern, "converters"):  # RoutePattern: <int:pk>
        return {name: type(conv).__name__ for name, conv in pattern.converters.items()}
    return dict.fromkeys(pattern.regex.groupindex, "regex")  # RegexPattern


@dataclass
class World:
    """One owner with something of every kind, a stranger, and a curated program."""

    owner: object
    stranger: object
    program: Program
    own_program: Program
    sessions: list[Session]
    goals: list[Goal]
    suggestion: Suggestion
    activity: HardActivity
    report_token: str
    own_exercise: Exercise
    # Strings that name the owner or are the owner's own words: nobody else may see them.
    secrets: list[str]


OWNER_NAME = "wendy-owner-7431"
EXPECTATION = "Carry my grandson up the hill by the lake 7431"
HOLD_EXPECTATION = "Hold the bridge through a whole advert break 7431"
OWN_PROGRAM = "Kitchen table routine of wendy 7431"
FLARE_NOTE = "Lifted the heavy garden pots 7431"
ACTIVITY = "Tie the laces of my walking boots 7431"
OWN_EXERCISE = "Hip hinge my physio showed me 7431"


def build_world() -> World:
    today = timezone.localdate()
    owner = ready_user(username=OWNER_NAME, email="wendy.owner.7431@example.org")
    stranger = ready_user()
    program = program_with_steps()
    own_program = program_with_steps(owner=owner, name=OWN_PROGRAM)

    sessions = list(make_history(owner, 2, program, last=timezone.now() - timedelta(days=2)))
    # Finished through the services, so it has completions, a summary and suggestions.
    finished = started_session(owner, own_program)
    for step in finished.steps.all():
        services.complete_step(
            finished, step, key=uuid.uuid4(), seconds_done=step.planned_seconds, skipped=False
        )
    services.finish_session(finished, 1)
    stopped = started_session(owner, program)
    services.report_pain(stopped, stopped.steps.get(position=2), 6, True, key=uuid.uuid4())
    abandoned = started_session(owner, program)
    services.abandon_session(abandoned)
    running = started_session(owner, program)
    sessions += [finished, stopped, abandoned, running]

    step = own_program.steps.select_related("exercise").get(order=2)
    group = step.exercise.primary_muscles.get()
    goals = [
        goal_services.create_goal(
            Goal(
                user=owner,
                muscle_group=group,
                expectation=EXPECTATION,
                due_date=today + timedelta(days=60),
                target_kind=Goal.Target.SESSIONS,
                target_value=20,
            ),
            today,
        ),
        goal_services.create_goal(
            Goal(
                user=owner,
                muscle_group=group,
                expectation=HOLD_EXPECTATION,
                due_date=today + timedelta(days=30),
                target_kind=Goal.Target.LONGEST_HOLD,
                target_value=60,
                exercise=step.exercise,
            ),
            today,
        ),
        goal_services.create_goal(
            Goal(
                user=owner,
                muscle_group=group,
                expectation="Feel strong again 7431",
                due_date=today + timedelta(days=90),
                target_kind=Goal.Target.RATING,
                target_value=8,
                archived=True,
            ),
            today,
        ),
    ]
    goal_services.check_in(owner, group, 5, today)
    suggestion = Suggestion.objects.filter(user=owner, status="pending").first()
    if suggestion is None:
        suggestion = Suggestion.objects.create(
            user=owner,
            program=own_program,
            direction=Suggestion.Direction.UP,
            reason="Done in full three times.",
        )
        SuggestedChange.objects.create(
            suggestion=suggestion,
            exercise=step.exercise,
            change=SuggestedChange.Change.HOLD,
            from_value=20,
            to_value=25,
        )
    plan_services.record_flare_up(owner, today - timedelta(days=1), FLARE_NOTE)
    plan_services.follow(owner, own_program, today)
    reminder_services.save_schedule(owner, [0, 2, 4], [datetime.time(8, 30)], by_email=True)
    activity = outcome_services.add_activity(owner, ACTIVITY)
    outcome_services.record_weekly(
        owner, {"pain": 4, "enjoyment": 5, "activity": 3}, {activity: 6}, today
    )
    _link, report_token = ReportLink.make(owner, 7)
    own_exercise = program_services.save_own_exercise(
        owner,
        Exercise(name=OWN_EXERCISE, kind="strength", position="standing", instructions="Hinge."),
        {"primary_muscles": [step.exercise.primary_muscles.first()], "secondary_muscles": []},
    )
    return World(
        owner=owner,
        stranger=stranger,
        program=program,
        own_program=own_program,
        sessions=sessions,
        goals=goals,
        suggestion=suggestion,
        activity=activity,
        report_token=report_token,
        own_exercise=own_exercise,
        secrets=[
            OWNER_NAME,
            owner.email,
            EXPECTATION,
            HOLD_EXPECTATION,
            "Feel strong again 7431",
            OWN_PROGRAM,
            FLARE_NOTE,
            ACTIVITY,
            OWN_EXERCISE,
            owner.calendar_token,
        ],
    )


def _nothing(world: World) -> list[dict]:
    return [{}]


def _sessions(world: World) -> list[dict]:
    return [{"pk": session.pk} for session in world.sessions]


def _session_steps(world: World) -> list[dict]:
    return [
        {"pk": session.pk, "step_pk": step.pk}
        for session in world.sessions
        for step in session.steps.all()
    ]


def _goals(world: World) -> list[dict]:
    return [{"pk": goal.pk} for goal in world.goals]


def _own_program(world: World) -> list[dict]:
    return [{"pk": world.own_program.pk}]


def _own_program_steps(world: World) -> list[dict]:
    return [{"pk": world.own_program.pk, "step_pk": s.pk} for s in world.own_program.steps.all()]


def _exercises(world: World) -> list[dict]:
    return [{"slug": step.exercise.slug} for step in world.program.steps.all()[:2]]


def _muscle_groups(world: World) -> list[dict]:
    return [{"slug": world.own_program.steps.first().exercise.primary_muscles.get().slug}]


def _curated_program(world: World) -> list[dict]:
    return [{"slug": world.program.slug}]


def _password_reset(world: World) -> list[dict]:
    uid = urlsafe_base64_encode(force_bytes(world.owner.pk))
    return [
        {"uidb64": uid, "token": default_token_generator.make_token(world.owner)},
        {"uidb64": uid, "token": "set-password"},
    ]


def _calendar(world: World) -> list[dict]:
    return [{"token": world.owner.calendar_token}]


def _report_link(world: World) -> list[dict]:
    return [{"token": world.report_token}]


def _report_links(world: World) -> list[dict]:
    return [{"pk": link.pk} for link in world.owner.report_links.all()]


def _reminders_stop(world: World) -> list[dict]:
    return [{"token": unsubscribe_token(world.owner)}]


def _activities(world: World) -> list[dict]:
    return [{"pk": world.activity.pk}]


# For each URL pattern: who may see it, and the keyword arguments that fill it.
ADDRESSES: dict[str, tuple[str, Callable[[World], list[dict]]]] = {
    "home": (ANYONE, _nothing),
    "healthz": (ANYONE, _nothing),
    "manifest": (ANYONE, _nothing),
    "service-worker": (ANYONE, _nothing),
    "offline": (ANYONE, _nothing),
    "signup": (ANYONE, _nothing),
    "login": (ANYONE, _nothing),
    "logout": (ANYONE, _nothing),
    "password_change": (SIGNED_IN, _nothing),
    "password_change_done": (SIGNED_IN, _nothing),
    "password_reset": (ANYONE, _nothing),
    "password_reset_done": (ANYONE, _nothing),
    "password_reset_confirm": (ANYONE, _password_reset),
    "password_reset_complete": (ANYONE, _nothing),
    "profile": (SIGNED_IN, _nothing),
    "email_change": (SIGNED_IN, _nothing),
    "delete_account": (SIGNED_IN, _nothing),
    "programs:first-step": (SIGNED_IN, _nothing),
    "programs:lessons": (ANYONE, _nothing),
    "programs:library": (ANYONE, _nothing),
    "programs:figure-sheet": (ANYONE, _nothing),
    "programs:exercise": (ANYONE, _exercises),
    "programs:muscle-groups": (ANYONE, _nothing),
    "programs:muscle-group": (ANYONE, _muscle_groups),
    "programs:programs": (ANYONE, _nothing),
    "programs:program": (ANYONE, _curated_program),
    "programs:program-copy": (SIGNED_IN, _curated_program),
    "programs:program-new": (SIGNED_IN, _nothing),
    "programs:own-exercise-new": (SIGNED_IN, _nothing),
    "programs:own-exercise": (OWNED, lambda world: [{"pk": world.own_exercise.pk}]),
    "programs:own-exercise-edit": (OWNED, lambda world: [{"pk": world.own_exercise.pk}]),
    "programs:builder": (OWNED, _own_program),
    "programs:builder-search": (OWNED, _own_program),
    "programs:step-add": (OWNED, _own_program),
    "programs:step-update": (OWNED, _own_program_steps),
    "programs:step-move": (OWNED, _own_program_steps),
    "programs:step-remove": (OWNED, _own_program_steps),
    "programs:program-delete": (OWNED, _own_program),
    "programs:suggestion-decide": (OWNED, lambda world: [{"pk": world.suggestion.pk}]),
    "programs:flare-up-form": (SIGNED_IN, _nothing),
    "programs:flare-up": (SIGNED_IN, _nothing),
    "programs:plan-follow": (SIGNED_IN, _nothing),
    "programs:plan-stop": (SIGNED_IN, _nothing),
    "programs:safety": (SIGNED_IN, _nothing),
    "programs:reminders": (SIGNED_IN, _nothing),
    "programs:reminders-stop": (KEY_TO_ONE_ACTION, _reminders_stop),
    "programs:session-start": (SIGNED_IN, _nothing),
    "programs:session": (OWNED, _sessions),
    "programs:session-pain-before": (OWNED, _sessions),
    "programs:session-run": (OWNED, _sessions),
    "programs:session-complete": (OWNED, _session_steps),
    "programs:session-hurts": (OWNED, _sessions),
    "programs:session-figures": (OWNED, _sessions),
    "programs:session-stopped": (OWNED, _sessions),
    "programs:session-pain-after": (OWNED, _sessions),
    "programs:session-summary": (OWNED, _sessions),
    "programs:session-abandon": (OWNED, _sessions),
    "programs:session-choose": (OWNED, _sessions),
    "programs:morning-check": (SIGNED_IN, _nothing),
    "programs:outcomes": (SIGNED_IN, _nothing),
    "programs:activity-add": (SIGNED_IN, _nothing),
    "programs:activity-archive": (OWNED, _activities),
    "programs:report-links": (SIGNED_IN, _nothing),
    "programs:report-link-revoke": (OWNED, _report_links),
    "programs:shared-report": (SECRET, _report_link),
    "programs:goals": (SIGNED_IN, _nothing),
    "programs:goals-every-group": (SIGNED_IN, _nothing),
    "programs:goal-new": (SIGNED_IN, _nothing),
    "programs:goal": (OWNED, _goals),
    "programs:goal-edit": (OWNED, _goals),
    "programs:goal-achieve": (OWNED, _goals),
    "programs:goal-archive": (OWNED, _goals),
    "programs:goal-delete": (OWNED, _goals),
    "programs:goal-check-in": (OWNED, _goals),
    "programs:history": (SIGNED_IN, _nothing),
    "programs:report": (SIGNED_IN, _nothing),
    "exports:json": (SIGNED_IN, _nothing),
    "exports:csv": (SIGNED_IN, _nothing),
    "exports:outcomes-csv": (SIGNED_IN, _nothing),
    "exports:calendar-renew": (SIGNED_IN, _nothing),
    "exports:calendar": (SECRET, _calendar),
}


# Real bugs the crawler finds are listed here, each with a strict xfail test, until fixed.
KNOWN_BUGS: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Address:
    name: str
    url: str
    access: str


def addresses(world: World) -> list[Address]:
    """A real URL for every pattern, filled from the world's objects."""
    found = []
    for pattern in url_patterns():
        access, fill = ADDRESSES[pattern.name]
        for kwargs in fill(world):
            found.append(Address(pattern.name, reverse(pattern.name, kwargs=kwargs), access))
    return found


def client_for(user=None, **options) -> Client:
    client = Client(**options)
    if user is not None:
        client.force_login(user)
    return client


def fetch(client: Client, method: str, url: str, problems: list[str], **extra):
    """The response, or None with the traceback in `problems` when the view raised."""
    try:
        return getattr(client, method)(url, **extra)
    except Exception:
        problems.append(f"{method.upper()} {url} raised:\n{traceback.format_exc(limit=-4)}")
        return None


def _path_to_user(model, depth: int = 0) -> str | None:
    """The lookup from `model` to the user whose row it is, if it belongs to one."""
    user_model = get_user_model()
    if model is user_model:
        return "pk"
    links = [f for f in model._meta.concrete_fields if f.many_to_one or f.one_to_one]
    for link in links:
        if link.related_model is user_model:
            return link.name
    if depth < 3:
        for link in links:
            if link.related_model is not model and (
                inner := _path_to_user(link.related_model, depth + 1)
            ):
                return f"{link.name}__{inner}"
    return None


def _models():
    """Every model that holds what people stored. The browser sessions are left out: they
    hold a browser's working state (such as the day the morning question was last asked),
    which any visit may update."""
    for label in ("backcare", "programs"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model is not LoginSession:
                yield model


def snapshot(owner=None) -> dict[str, list[dict]]:
    """Every row of BackCare's models; with `owner`, only their rows and the shared ones."""
    rows = {}
    for model in _models():
        queryset = model._default_manager.all()
        if owner is not None and (path := _path_to_user(model)):
            queryset = model._default_manager.filter(**{path: owner.pk})
        rows[model._meta.label] = list(queryset.order_by("pk").values())
    return rows


def leaks(response, world: World) -> list[str]:
    body = response.content.decode(errors="replace")
    return [secret for secret in world.secrets if secret in body]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Users are made and log in often here; the real hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world() -> World:
    return build_world()


def test_every_url_pattern_is_in_the_table():
    names = {pattern.name for pattern in url_patterns()}
    assert sorted(names - ADDRESSES.keys()) == [], (
        "These URL patterns have no entry in ADDRESSES: say who may see them and how to fill "
        "their arguments, so the crawler visits them."
    )
    assert sorted(ADDRESSES.keys() - names) == [], "ADDRESSES names patterns that are gone"


def test_every_url_pattern_is_filled_with_an_object_that_exists(world):
    by_name: dict[str, list[Address]] = {}
    for address in addresses(world):
        by_name.setdefault(address.name, []).append(address)
    assert sorted(p.name for p in url_patterns() if not by_name.get(p.name)) == []


def test_an_anonymous_visitor_never_meets_an_error_or_anyones_data(world):
    client = client_for()
    login = reverse("login")
    problems: list[str] = []
    for address in addresses(world):
        response = fetch(client, "get", address.url, problems)
        if response is None:
            continue
        if response.status_code >= 500:
            problems.append(f"GET {address.url}: {response.status_code}")
        if address.access in {SIGNED_IN, OWNED} and not (
            response.status_code == 302 and response.url.startswith(f"{login}?next=")
        ):
            problems.append(f"GET {address.url}: {response.status_code}, not sent to log in")
        if address.access != SECRET and (found := leaks(response, world)):
            problems.append(f"GET {address.url} shows the owner's {found}")
    assert problems == [], "\n".join(problems)


def test_the_owner_reaches_every_address_without_an_error(world):
    client = client_for(world.owner)
    problems: list[str] = []
    shown = set()
    for address in addresses(world):
        if ("GET", address.name) in KNOWN_BUGS:
            continue
        response = fetch(client, "get", address.url, problems)
        if response is None:
            continue
        if response.status_code >= 500:
            problems.append(f"GET {address.url}: {response.status_code}")
        # The owner is never told their own things are missing: the addresses are real.
        if address.access == OWNED and response.status_code == 404:
            problems.append(f"GET {address.url}: 404 for the owner")
        shown.update(leaks(response, world))
    assert problems == [], "\n".join(problems)
    # Each identifying string is on some page of the owner's, exactly as written, so the
    # checks that nobody else sees them are checking something.
    assert sorted(set(world.secrets) - shown) == []


def test_a_stranger_gets_404_for_the_owners_things_and_never_sees_them(world):
    client = client_for(world.stranger)
    problems: list[str] = []
    for address in addresses(world):
        response = fetch(client, "get", address.url, problems)
        if response is None:
            continue
        if response.status_code >= 500:
            problems.append(f"GET {address.url}: {response.status_code}")
        # 405 only where the address takes no GET at all; the POST test requires its 404.
        if address.access == OWNED and response.status_code not in {404, 405}:
            problems.append(f"GET {address.url}: {response.status_code} for a stranger")
        if address.access != SECRET and (found := leaks(response, world)):
            problems.append(f"GET {address.url} shows the owner's {found} to a stranger")
    assert problems == [], "\n".join(problems)


def test_a_strangers_post_to_any_address_changes_nothing_of_the_owners(world):
    problems: list[str] = []
    for address in addresses(world):
        # A new client each time: some addresses (log out) end the stranger's session.
        client = client_for(world.stranger)
        everything = snapshot()
        owners = snapshot(world.owner)
        response = fetch(client, "post", address.url, problems)
        if response is None:
            continue
        if response.status_code >= 500:
            problems.append(f"POST {address.url}: {response.status_code}")
        if address.access == OWNED:
            if response.status_code not in {404, 405}:
                problems.append(f"POST {address.url}: {response.status_code} for a stranger")
            # Whichever method the address takes reaches the owner check and says 404.
            statuses = {response.status_code, client.get(address.url).status_code}
            if 404 not in statuses:
                problems.append(f"{address.url}: {statuses} for a stranger, never 404")
            if snapshot() != everything:
                problems.append(f"POST {address.url} by a stranger changed the database")
        elif address.access != KEY_TO_ONE_ACTION and snapshot(world.owner) != owners:
            problems.append(f"POST {address.url} by a stranger changed the owner's data")
        if address.access != SECRET and (found := leaks(response, world)):
            problems.append(f"POST {address.url} shows the owner's {found} to a stranger")
    assert problems == [], "\n".join(problems)


def test_the_owner_can_search_exercises_in_the_builder_without_htmx(world):
    url = reverse("programs:builder-search", kwargs={"pk": world.own_program.pk})
    response = client_for(world.owner).get(url, {"q": "exercise"})
    assert response.status_code == 200


def test_the_calendar_feed_needs_the_right_token(world, client):
    good = reverse("exports:calendar", kwargs={"token": world.owner.calendar_token})
    assert client.get(good).status_code == 200
    wrong = reverse("exports:calendar", kwargs={"token": "not-the-token"})
    response = client.get(wrong)
    assert response.status_code == 404
    assert leaks(response, world) == []
