"""Pain rules that fit chronic back pain, the next-morning check, outcome measures and the
clinician's link: as a person meets them, through the test client."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.library_loader import load_library
from programs.models import (
    Goal,
    HardActivity,
    MorningCheck,
    MuscleGroup,
    PainReport,
    Program,
    ReportLink,
    SafetyScreening,
    Session,
    WeeklyCheckIn,
)
from programs.services import outcomes as outcome_services
from programs.services import sessions as services
from tests.factories import UserFactory, program_with_steps, ready_user, started_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return ready_user()


@pytest.fixture
def signed_in(client, person):
    client.force_login(person)
    return client


def hurts_url(session) -> str:
    return reverse("programs:session-hurts", args=[session.pk])


def report(client, session, level, choice=None):
    data = {"level": level, "step": session.steps.first().pk, "key": str(uuid.uuid4())}
    if choice is not None:
        data["choice"] = choice
    return client.post(hurts_url(session), data)


class TestItHurts:
    def test_at_two_it_offers_and_applies_taking_it_more_slowly(self, signed_in, person):
        session = started_session(person, program_with_steps(), pain_before=2)
        page = signed_in.get(hurts_url(session)).content.decode()
        assert "Take it more slowly" in page
        assert "Stop the session" in page
        response = report(signed_in, session, 2, "slower")
        assert response.status_code == 302
        session.refresh_from_db()
        assert session.pace == Session.Pace.GENTLER
        stored = PainReport.objects.get()
        assert (stored.outcome, stored.recommended) == ("slower", "carry_on")

    def test_the_level_alone_shows_the_recommendation_and_why(self, signed_in, person):
        session = started_session(person, program_with_steps(), pain_before=2)
        response = report(signed_in, session, 6, "")
        page = response.content.decode()
        assert response.status_code == 200
        assert "We advise you to stop." in page
        assert "3 or more above where it was when you started" in page
        assert not PainReport.objects.exists()

    def test_carrying_on_where_the_rule_says_stop_is_refused_beside_the_choice(
        self, signed_in, person
    ):
        session = started_session(person, program_with_steps(), pain_before=2)
        response = report(signed_in, session, 7, "carry_on")
        assert response.status_code == 400
        assert "Choose to take it more slowly or to stop." in response.content.decode()
        assert not PainReport.objects.exists()
        session.refresh_from_db()
        assert session.status == Session.Status.IN_PROGRESS

    def test_someone_living_at_six_who_stays_at_six_takes_it_more_slowly_not_stop(
        self, signed_in, person
    ):
        session = started_session(person, program_with_steps(), pain_before=6)
        report(signed_in, session, 6, "continue")
        session.refresh_from_db()
        assert session.status == Session.Status.IN_PROGRESS
        assert PainReport.objects.get().outcome == "slower"

    def test_the_runner_offers_a_gentler_program_when_the_back_hurts_before(
        self, signed_in, person
    ):
        load_library()
        daily = Program.objects.get(slug="daily-stretch", owner=None)
        session = started_session(person, daily, pain_before=5)
        page = signed_in.get(reverse("programs:session-run", args=[session.pk])).content
        assert "Switch to Gentle start" in page.decode()
        gentle = Program.objects.get(slug="gentle-start", owner=None)
        response = signed_in.post(
            reverse("programs:session-choose", args=[session.pk]),
            {"choice": f"program-{gentle.pk}"},
        )
        new = Session.objects.get(status=Session.Status.IN_PROGRESS)
        assert new.program == gentle
        assert (new.pain_before, new.pace) == (5, Session.Pace.GENTLER)
        assert response["Location"] == reverse("programs:session-run", args=[new.pk])
        assert Session.objects.get(pk=session.pk).status == Session.Status.ABANDONED

    def test_a_bad_choice_is_refused_and_changes_nothing(self, signed_in, person):
        session = started_session(person, program_with_steps(), pain_before=9)
        response = signed_in.post(
            reverse("programs:session-choose", args=[session.pk]), {"choice": "program-0"}
        )
        assert response.status_code == 400
        assert "Choose one of the ways to go on" in response.content.decode()
        session.refresh_from_db()
        assert (session.status, session.choice_due) == (Session.Status.IN_PROGRESS, True)

    def test_rest_today_ends_the_session_kindly(self, signed_in, person):
        session = started_session(person, program_with_steps(), pain_before=9)
        response = signed_in.post(
            reverse("programs:session-choose", args=[session.pk]), {"choice": "rest"}, follow=True
        )
        assert "Rest today" in response.content.decode()
        assert Session.objects.get(pk=session.pk).status == Session.Status.ABANDONED


def finished_yesterday(person, program=None) -> Session:
    session = started_session(person, program or program_with_steps(), pain_before=2)
    for step in session.steps.all():
        services.complete_step(session, step, uuid.uuid4(), step.planned_seconds, False)
    services.finish_session(session, 2)
    yesterday = person.today() - timedelta(days=1)
    Session.objects.filter(pk=session.pk).update(local_day=yesterday)
    return Session.objects.get(pk=session.pk)


class TestTheNextMorning:
    def test_the_first_visit_the_day_after_asks_first(self, signed_in, person):
        session = finished_yesterday(person)
        response = signed_in.get(reverse("programs:goals"))
        check = reverse("programs:morning-check")
        assert response["Location"].startswith(check)
        page = signed_in.get(response["Location"]).content.decode()
        assert "better, the same or worse" in page
        assert session.program_name in page

    def test_worse_makes_the_next_session_gentler_and_says_so(self, signed_in, person):
        program = program_with_steps()
        finished_yesterday(person, program)
        response = signed_in.post(
            reverse("programs:morning-check"), {"answer": "worse", "stiffer": "on", "next": "/"}
        )
        assert response["Location"] == "/"
        check = MorningCheck.objects.get()
        assert (check.answer, check.stiffer) == ("worse", True)
        new = services.start_session(person, program)
        assert new.pace == Session.Pace.GENTLER
        assert new.gentler_because == Session.GentlerBecause.WORSE_MORNING
        services.record_pain_before(new, 2)
        page = signed_in.get(reverse("programs:session-run", args=[new.pk])).content.decode()
        assert "your back felt worse the morning after the last one" in page

    def test_it_can_be_skipped_and_is_not_asked_again(self, signed_in, person):
        finished_yesterday(person)
        signed_in.post(reverse("programs:morning-check"), {"skip": "1", "next": "/goals/"})
        assert MorningCheck.objects.get().answer == "skipped"
        assert signed_in.get(reverse("programs:goals")).status_code == 200

    def test_a_bad_answer_says_so_and_stores_nothing(self, signed_in, person):
        finished_yesterday(person)
        response = signed_in.post(reverse("programs:morning-check"), {"answer": "fine"})
        assert response.status_code == 400
        assert "Choose better, the same or worse." in response.content.decode()
        assert not MorningCheck.objects.exists()

    def test_nothing_is_asked_on_the_day_of_the_session(self, signed_in, person):
        session = finished_yesterday(person)
        Session.objects.filter(pk=session.pk).update(local_day=person.today())
        assert signed_in.get(reverse("programs:goals")).status_code == 200

    def test_a_worse_morning_suggests_stepping_the_program_down(self, signed_in, person):
        program = program_with_steps()
        session = finished_yesterday(person, program)
        signed_in.post(reverse("programs:morning-check"), {"answer": "worse"})
        suggestion = session.suggestions.get()
        assert suggestion.direction == "down"
        assert "worse the morning after" in suggestion.reason


class TestWarmUpFirst:
    def test_a_strength_exercise_first_in_a_users_program_cannot_start(self, signed_in, person):
        program = program_with_steps(owner=person)
        first = program.steps.get(order=1)
        first.exercise = program.steps.get(order=2).exercise
        first.save()
        response = signed_in.post(reverse("programs:session-start"), {"program": program.pk})
        assert response.status_code == 400
        assert "is a strength exercise" in response.content.decode()
        assert not Session.objects.exists()


class TestSafetySecondPart:
    def test_check_first_items_are_stored_and_advised_but_never_block(self, client):
        person = UserFactory()  # a first session: the notice and the questions are due
        client.force_login(person)
        program = program_with_steps()
        response = client.post(
            reverse("programs:safety"),
            {
                "program": program.pk,
                "none_apply": "on",
                "acknowledge": "on",
                "check_first": ["osteoporosis", "pregnancy"],
            },
            follow=True,
        )
        assert SafetyScreening.objects.get().check_first == ["osteoporosis", "pregnancy"]
        assert "worth a word with your health care provider" in response.content.decode()
        assert Session.objects.filter(user=person).exists()


class TestOutcomes:
    def test_a_weekly_check_in_with_an_activity_shows_in_the_report(self, signed_in, person):
        signed_in.post(reverse("programs:activity-add"), {"name": "Put my socks on"})
        activity = HardActivity.objects.get(user=person)
        response = signed_in.post(
            reverse("programs:outcomes"),
            {"pain": "6", "enjoyment": "5", "activity": "4", f"rate_{activity.pk}": "3"},
        )
        assert response.status_code == 302
        check_in = WeeklyCheckIn.objects.get(user=person)
        assert check_in.score == 5.0
        report_page = signed_in.get(reverse("programs:report")).content.decode()
        assert "Put my socks on" in report_page
        assert "<strong>5.0</strong>" in report_page

    def test_a_second_check_in_the_same_week_replaces_the_first(self, signed_in, person):
        for pain in ["6", "4"]:
            signed_in.post(
                reverse("programs:outcomes"), {"pain": pain, "enjoyment": "5", "activity": "4"}
            )
        assert WeeklyCheckIn.objects.get(user=person).pain == 4

    @pytest.mark.parametrize("pain", ["", "11", "-1", "soon"])
    def test_a_bad_answer_is_refused_beside_it(self, signed_in, person, pain):
        response = signed_in.post(
            reverse("programs:outcomes"), {"pain": pain, "enjoyment": "5", "activity": "4"}
        )
        assert response.status_code == 400
        assert "Choose a number from 0 to 10." in response.content.decode()
        assert not WeeklyCheckIn.objects.exists()

    def test_three_activities_at_most(self, signed_in, person):
        for name in ["Socks", "Shopping", "Gardening", "Dancing"]:
            response = signed_in.post(reverse("programs:activity-add"), {"name": name})
        assert response.status_code == 400
        assert "You follow three activities already" in response.content.decode()
        assert HardActivity.objects.filter(user=person).count() == 3

    def test_another_persons_activity_is_404(self, signed_in):
        theirs = outcome_services.add_activity(ready_user(), "Swim a length")
        url = reverse("programs:activity-archive", args=[theirs.pk])
        assert signed_in.post(url).status_code == 404
        theirs.refresh_from_db()
        assert not theirs.archived

    def test_an_activity_rating_can_be_a_goal(self, signed_in, person, library):
        activity = outcome_services.add_activity(person, "Sit through a film")
        group = MuscleGroup.objects.first()
        response = signed_in.post(
            reverse("programs:goal-new"),
            {
                "muscle_group": group.pk,
                "expectation": "Watch a whole film in comfort",
                "due_date": (timezone.localdate() + timedelta(days=30)).isoformat(),
                "target_kind": "activity",
                "target_value": "8",
                "activity": activity.pk,
            },
        )
        goal = Goal.objects.get(user=person)
        assert response["Location"] == goal.get_absolute_url()
        outcome_services.record_weekly(
            person, {"pain": 3, "enjoyment": 3, "activity": 3}, {activity: 8}, person.today()
        )
        goal.refresh_from_db()
        assert goal.achieved_on == person.today()

    def test_the_exports_carry_the_outcomes(self, signed_in, person):
        activity = outcome_services.add_activity(person, "Carry the shopping")
        outcome_services.record_weekly(
            person, {"pain": 5, "enjoyment": 4, "activity": 6}, {activity: 2}, person.today()
        )
        document = signed_in.get(reverse("exports:json")).json()
        assert document["weekly_check_ins"][0]["score"] == 5.0
        assert document["hard_activities"][0]["ratings"][0]["rating"] == 2
        rows = signed_in.get(reverse("exports:outcomes-csv")).content.decode().splitlines()
        assert rows[1].endswith(",,")
        assert rows[2].endswith("Carry the shopping,2")


class TestTheClinicianLink:
    def make(self, client) -> str:
        client.post(reverse("programs:report-links"), {"days": "7"})
        page = client.get(reverse("programs:report-links")).content.decode()
        start = page.index("/r/")
        return page[start : page.index('"', start)]

    def test_the_link_shows_the_report_without_a_login_and_is_never_cached(
        self, signed_in, person, client
    ):
        path = self.make(signed_in)
        token = path.split("/")[2]
        assert len(token) >= 43  # 32 random bytes: 256 bits
        anonymous = type(client)()
        response = anonymous.get(path)
        assert response.status_code == 200
        assert "Back exercise report" in response.content.decode()
        assert "no-store" in response["Cache-Control"]
        assert response["Referrer-Policy"] == "no-referrer"
        # Only a digest is stored; the page with the list never shows the address again.
        assert not ReportLink.objects.filter(digest=token).exists()
        assert token not in signed_in.get(reverse("programs:report-links")).content.decode()

    def test_a_revoked_or_expired_link_is_404(self, signed_in, person):
        path = self.make(signed_in)
        link = ReportLink.objects.get()
        signed_in.post(reverse("programs:report-link-revoke", args=[link.pk]))
        assert signed_in.get(path).status_code == 404
        path = self.make(signed_in)
        ReportLink.objects.filter(revoked_at__isnull=True).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
        assert signed_in.get(path).status_code == 404

    def test_a_made_up_token_is_404(self, client):
        assert client.get(reverse("programs:shared-report", args=["x" * 43])).status_code == 404

    def test_bad_days_are_refused_and_make_no_link(self, signed_in):
        response = signed_in.post(reverse("programs:report-links"), {"days": "365"})
        assert response.status_code == 400
        assert "Choose 7 or 30 days." in response.content.decode()
        assert not ReportLink.objects.exists()

    def test_another_persons_link_cannot_be_revoked(self, signed_in):
        link, _token = ReportLink.make(ready_user(), 7)
        url = reverse("programs:report-link-revoke", args=[link.pk])
        assert signed_in.post(url).status_code == 404
        link.refresh_from_db()
        assert link.revoked_at is None
