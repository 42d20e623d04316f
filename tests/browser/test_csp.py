"""Chromium meets no Content Security Policy violation on any page, anonymous or signed in."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from programs.models import Goal, MuscleGroup, Program
from programs.services import goals as goal_services
from programs.services import programs as program_services
from programs.services import sessions as services
from tests.factories import make_history, ready_user, started_session

pytestmark = pytest.mark.django_db(transaction=True)

# Runs before any script of each page; the browser reports every violation to it.
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__csp.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""

PUBLIC_PAGES = [
    "/",
    "/library/",
    "/library/?kind=stretch&tv=on",
    "/library/seated-gluteus-squeeze/",
    "/muscles/",
    "/muscles/gluteus-maximus/",
    "/programs/",
    "/programs/gentle-start/",
    "/offline/",
]


class PolicyWatch:
    """Visits pages and collects every way the policy could be broken or weakened."""

    def __init__(self, page, site: str) -> None:
        self.page = page
        self.site = site
        self.problems: list[str] = []
        self.console: list[str] = []
        page.on("console", self._console)
        page.add_init_script(LISTEN)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.console.append(message.text)

    def visit(self, path: str) -> None:
        response = self.page.goto(f"{self.site}{path}")
        assert response is not None, path
        assert response.status < 400, f"{path}: {response.status}"
        self.check_header(path, response.headers.get("content-security-policy", ""))
        self.page.wait_for_load_state("networkidle")
        self.check_reports(path)

    def check_header(self, path: str, policy: str) -> None:
        if "default-src 'self'" not in policy:
            self.problems.append(f"{path}: no strict policy header: {policy!r}")
        for weakness in ("'unsafe-inline'", "'unsafe-eval'"):
            if weakness in policy:
                self.problems.append(f"{path}: the policy allows {weakness}")

    def check_reports(self, path: str) -> None:
        violations = self.page.evaluate("window.__csp || []")
        if violations:
            self.problems.append(f"{path}: {violations}")
        if self.console:
            self.problems.append(f"{path}: console: {self.console}")
            self.console = []

    def assert_clean(self) -> None:
        assert self.problems == [], "\n".join(self.problems)


def test_no_violation_on_the_pages_anyone_sees(site, page):
    watch = PolicyWatch(page, site)
    for path in [
        *PUBLIC_PAGES,
        "/accounts/signup/",
        "/accounts/login/",
        "/accounts/password/reset/",
    ]:
        watch.visit(path)
    # A filter swaps the list in place: HTMX's markup must keep to the policy too.
    watch.visit("/library/")
    page.get_by_label("Kind").select_option("stretch")
    expect(page).to_have_url(re.compile(r"kind=stretch"))
    page.wait_for_load_state("networkidle")
    watch.check_reports("/library/ after filtering")
    watch.assert_clean()


def test_no_violation_on_the_lockout_page(site, context):
    # Not the `page` fixture: it counts the 429 itself as a browser error.
    page = context.new_page()
    page.set_default_timeout(10_000)
    user = ready_user()
    watch = PolicyWatch(page, site)
    for _ in range(5):
        watch.visit("/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill("not-my-password")
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            page.get_by_role("button", name="Log in").click()
    response = posted.value
    assert response.status == 429
    expect(page.get_by_role("heading", name="Too many tries")).to_be_visible()
    watch.check_header("lockout page", response.headers.get("content-security-policy", ""))
    watch.check_reports("lockout page")
    watch.assert_clean()


def test_no_violation_on_any_page_of_a_signed_in_user(site, page, sign_in):
    user = sign_in(ready_user())
    today = timezone.localdate()
    program = Program.objects.curated().get(slug="desk-break")
    group = MuscleGroup.objects.get(slug="gluteus-maximus")
    goal = goal_services.create_goal(
        Goal(
            user=user,
            muscle_group=group,
            expectation="Sit through a whole film in comfort",
            due_date=today + timedelta(days=30),
            target_kind=Goal.Target.SESSIONS,
            target_value=10,
        ),
        today,
    )
    finished = make_history(user, 3, program)[0]
    own = program_services.copy_program(user, program)
    watch = PolicyWatch(page, site)
    for path in [
        *PUBLIC_PAGES,
        reverse("profile"),
        reverse("password_change"),
        reverse("delete_account"),
        reverse("programs:goals"),
        reverse("programs:goals-every-group"),
        reverse("programs:goal-new"),
        goal.get_absolute_url(),
        reverse("programs:goal-edit", args=[goal.pk]),
        reverse("programs:goal-delete", args=[goal.pk]),
        reverse("programs:history"),
        reverse("programs:report"),
        reverse("programs:safety"),
        reverse("programs:session-summary", args=[finished.pk]),
        reverse("programs:program-new"),
        reverse("programs:builder", args=[own.pk]),
        reverse("programs:program-delete", args=[own.pk]),
        reverse("programs:flare-up-form"),
    ]:
        watch.visit(path)

    session = started_session(user, program, pain_before=None)
    watch.visit(reverse("programs:session-pain-before", args=[session.pk]))
    services.record_pain_before(session, 2)
    watch.visit(reverse("programs:session-hurts", args=[session.pk]))
    # The runner: its script, its timer running, and the "It hurts" dialog.
    watch.visit(reverse("programs:session-run", args=[session.pk]))
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_timeout(1_500)
    page.get_by_role("link", name="It hurts").click()
    page.keyboard.press("Escape")
    watch.check_reports("the runner, running")
    watch.assert_clean()
