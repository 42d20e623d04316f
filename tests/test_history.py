"""History and the clinician's report: what the pages show matches what was recorded."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_history, program_with_steps, ready_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return ready_user(time_zone="America/New_York")


@pytest.fixture
def owner(client, person):
    client.force_login(person)
    return client


def local_noon(person, days_ago: int) -> datetime:
    today = timezone.now().astimezone(person.zone).date()
    return datetime.combine(today - timedelta(days=days_ago), time(12), tzinfo=person.zone)


def test_streaks_and_the_calendar_follow_the_sessions(owner, person):
    program = program_with_steps()
    # Today and the two days before, twice a day; then a gap; then five days in a row.
    make_history(person, 6, program, last=local_noon(person, 0), per_day=2, minutes=15)
    make_history(person, 5, program, last=local_noon(person, 10), minutes=5)
    response = owner.get(reverse("programs:history"))
    page = response.content.decode()
    assert "Current streak</dt><dd>3 days" in page
    assert "Longest streak</dt><dd>5 days" in page
    today = local_noon(person, 0).date()
    cells = {cell.day: cell for row in response.context["calendar_rows"] for cell, *_ in row}
    assert cells[today].minutes == pytest.approx(30)
    assert cells[today].level == 3
    assert cells[today - timedelta(days=10)].level == 1
    assert cells[today - timedelta(days=4)].level == 0
    assert "Minutes per muscle group, week by week" in page


def test_pain_before_and_after_is_shown_week_by_week(owner, person):
    make_history(person, 3, program_with_steps(), last=local_noon(person, 0))
    page = owner.get(reverse("programs:history")).content.decode()
    assert '<polyline class="line line-before"' in page
    assert "Average pain (0 to 10) per week" in page


def test_sessions_are_paged_and_more_arrive_in_place(owner, person):
    make_history(person, 25, program_with_steps(), last=local_noon(person, 0))
    page = owner.get(reverse("programs:history")).content.decode()
    rows = page.split('class="session-list"')[1].split("</table>")[0]
    assert rows.count("<tr><td><a href=") == 20
    assert "Show older sessions" in rows
    more = owner.get(f"{reverse('programs:history')}?page=2", headers={"HX-Request": "true"})
    fragment = more.content.decode()
    assert "<html" not in fragment
    assert fragment.count("<tr><td><a href=") == 5
    assert "Show older sessions" not in fragment


def test_a_session_detail_is_its_summary(owner, person):
    session = make_history(person, 1, program_with_steps(), last=local_noon(person, 1))[0]
    response = owner.get(session.get_absolute_url(), follow=True)
    assert response.redirect_chain[-1][0] == reverse("programs:session-summary", args=[session.pk])
    assert "Session summary" in response.content.decode()


def test_another_users_history_never_shows(client, person):
    make_history(person, 3, program_with_steps(), last=local_noon(person, 0))
    client.force_login(ready_user())
    page = client.get(reverse("programs:history")).content.decode()
    assert "No sessions yet" in page


def test_the_report_shows_programs_adherence_pain_and_goals(owner, person):
    program = program_with_steps(name="Morning care")
    make_history(person, 14, program, last=local_noon(person, 0))
    page = owner.get(reverse("programs:report")).content.decode()
    assert "Morning care" in page
    assert "14 of 28 days (50%)" in page
    assert "Pain trend" in page
    assert "No goals set." in page


@pytest.mark.parametrize("name", ["programs:history", "programs:report"])
def test_history_pages_need_a_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
