"""Taking a user's data out: the JSON document, the CSV of session steps, the goals calendar.

Pure builders over rows the views have already fetched (with their related rows
prefetched), so each export costs a fixed number of queries however long the history.
"""

import datetime
import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from backcare.models import User
from programs.models import (
    Goal,
    HardActivity,
    MorningCheck,
    Plan,
    Program,
    ReminderSchedule,
    SafetyScreening,
    SentReminder,
    Session,
    SessionStep,
    StrengthCheckIn,
    WeeklyCheckIn,
)

FORMAT_VERSION = 1
CALENDAR_PRODUCT_ID = "-//BackCare//Goal due dates and sessions//EN"
ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# Spreadsheets run a cell that starts with one of these as a formula; program names are
# the user's own words, so a name like "=HYPERLINK(...)" must stay text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class UserData:
    """Everything a user has, as fetched for the JSON export."""

    user: User
    programs: Iterable[Program]
    sessions: Iterable[Session]
    goals: Iterable[Goal]
    check_ins: Iterable[StrengthCheckIn]
    screenings: Iterable[SafetyScreening]
    weekly_check_ins: Iterable[WeeklyCheckIn] = ()
    activities: Iterable[HardActivity] = ()
    morning_checks: Iterable[MorningCheck] = ()
    reminders: ReminderSchedule | None = None
    sent_reminders: Iterable[SentReminder] = ()


def _moment(value: datetime.datetime | None, zone: zoneinfo.ZoneInfo) -> str | None:
    """ISO 8601 with the offset of the user's own time zone."""
    return None if value is None else value.astimezone(zone).isoformat()


def _day(value: datetime.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _program(program: Program) -> dict[str, Any]:
    return {
        "id": program.pk,
        "slug": program.slug,
        "name": program.name,
        "summary": program.summary,
        "description": program.description,
        "weeks": program.weeks,
        "sessions_per_day": program.sessions_per_day,
        "steps": [
            {
                "order": step.order,
                "phase": step.phase,
                "exercise": {"slug": step.exercise.slug, "name": step.exercise.name},
                "hold_seconds": step.hold_seconds,
                "reps": step.reps,
                "sets": step.sets,
                "rest_seconds": step.rest_seconds,
            }
            for step in program.steps.all()
        ],
    }


def _session_step(step: SessionStep, zone: zoneinfo.ZoneInfo) -> dict[str, Any]:
    completion = step.completion_or_none
    planned = step.planned_exercise
    return {
        "position": step.position,
        "phase": step.phase,
        "exercise": {"slug": step.exercise.slug, "name": step.exercise.name},
        "planned_exercise": None
        if planned is None
        else {"slug": planned.slug, "name": planned.name},
        "hold_seconds": step.hold_seconds,
        "reps": step.reps,
        "sets": step.sets,
        "rest_seconds": step.rest_seconds,
        "per_side": step.per_side,
        "seconds_per_rep": step.seconds_per_rep,
        "made_gentler": step.made_gentler,
        "muscle_groups": [group.slug for group in step.muscle_groups.all()],
        "completion": None
        if completion is None
        else {
            "seconds_done": completion.seconds_done,
            "hold_seconds_done": completion.hold_seconds_done,
            "skipped": completion.skipped,
            "completed_at": _moment(completion.completed_at, zone),
        },
    }


def _session(session: Session, zone: zoneinfo.ZoneInfo) -> dict[str, Any]:
    steps = list(session.steps.all())
    positions = {step.pk: step.position for step in steps}
    return {
        "id": session.pk,
        "program": session.program_name,
        "program_slug": None if session.program is None else session.program.slug,
        "status": session.status,
        "pace": session.pace,
        "pain_before": session.pain_before,
        "pain_after": session.pain_after,
        "started_at": _moment(session.started_at, zone),
        "finished_at": _moment(session.finished_at, zone),
        "steps": [_session_step(step, zone) for step in steps],
        "pain_reports": [
            {
                "level": report.level,
                "outcome": report.outcome,
                "step_position": positions.get(report.step_id),
                "reported_at": _moment(report.reported_at, zone),
            }
            for report in session.pain_reports.all()
        ],
    }


def _goal(goal: Goal, zone: zoneinfo.ZoneInfo) -> dict[str, Any]:
    return {
        "id": goal.pk,
        "muscle_group": goal.muscle_group.slug,
        "expectation": goal.expectation,
        "due_date": _day(goal.due_date),
        "target_kind": goal.target_kind,
        "target_value": goal.target_value,
        "exercise": None if goal.exercise is None else goal.exercise.slug,
        "activity": None if goal.activity is None else goal.activity.name,
        "baseline": goal.baseline,
        "achieved_on": _day(goal.achieved_on),
        "archived": goal.archived,
        "created_at": _moment(goal.created_at, zone),
    }


def export_document(data: UserData, exported_at: datetime.datetime) -> dict[str, Any]:
    """The whole JSON export. Never the password hash or the calendar address key."""
    user = data.user
    zone = user.zone
    return {
        "format": "backcare-export",
        "version": FORMAT_VERSION,
        "exported_at": _moment(exported_at, zone),
        "profile": {
            "username": user.username,
            "email": user.email,
            "time_zone": user.time_zone,
            "sound_cues": user.sound_cues,
            "spoken_cues": user.spoken_cues,
            "lead_in_seconds": user.lead_in_seconds,
            "notice_acknowledged_at": _moment(user.notice_acknowledged_at, zone),
            "date_joined": _moment(user.date_joined, zone),
        },
        "programs": [_program(program) for program in data.programs],
        "sessions": [_session(session, zone) for session in data.sessions],
        "goals": [_goal(goal, zone) for goal in data.goals],
        "strength_check_ins": [
            {
                "muscle_group": check_in.muscle_group.slug,
                "rating": check_in.rating,
                "recorded_at": _moment(check_in.recorded_at, zone),
            }
            for check_in in data.check_ins
        ],
        "safety_screenings": [
            {
                "answered_at": _moment(screening.answered_at, zone),
                "warning_signs": list(screening.warning_signs),
                "check_first": list(screening.check_first),
            }
            for screening in data.screenings
        ],
        **_outcomes(data, zone),
        **_reminders(data),
    }


def _reminders(data: UserData) -> dict[str, Any]:
    schedule = data.reminders
    return {
        "reminders": None
        if schedule is None
        else {"days": schedule.weekdays, "times": schedule.times, "by_email": schedule.by_email},
        "reminders_sent": [
            {"day": _day(sent.day), "session": sent.slot, "outcome": sent.outcome}
            for sent in data.sent_reminders
        ],
    }


def _outcomes(data: UserData, zone: zoneinfo.ZoneInfo) -> dict[str, Any]:
    """The weekly check-ins, the hard activities with their ratings, the next mornings."""
    return {
        "weekly_check_ins": [
            {
                "week": _day(check_in.week),
                "pain": check_in.pain,
                "enjoyment": check_in.enjoyment,
                "activity": check_in.activity,
                "score": check_in.score,
            }
            for check_in in data.weekly_check_ins
        ],
        "hard_activities": [
            {
                "name": activity.name,
                "followed": not activity.archived,
                "ratings": [
                    {"rating": r.rating, "recorded_at": _moment(r.recorded_at, zone)}
                    for r in activity.ratings.all()
                ],
            }
            for activity in data.activities
        ],
        "morning_checks": [
            {
                "session": check.session_id,
                "day": _day(check.day),
                "answer": check.answer,
                "stiffer": check.stiffer,
            }
            for check in data.morning_checks
        ],
    }


def outcomes_csv_header() -> list[str]:
    return [
        _("week of"),
        _("average pain"),
        _("pain in the way of enjoying life"),
        _("pain in the way of general activity"),
        _("score"),
        _("activity"),
        _("activity rating"),
    ]


def outcomes_csv_rows(check_ins: Iterable[WeeklyCheckIn]) -> Iterator[list[object]]:
    """A row per weekly check-in, and one more per activity rated that week."""
    for check_in in check_ins:
        answers = [check_in.pain, check_in.enjoyment, check_in.activity, check_in.score]
        yield [_day(check_in.week), *answers, "", ""]
        for rating in check_in.ratings.all():
            yield [_day(check_in.week), *answers, _cell(rating.activity.name), rating.rating]


def _cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return _("yes") if value else _("no")


def _blank(value: object) -> object:
    return "" if value is None else value


def csv_header() -> list[str]:
    return [
        _("Session"),
        _("Program"),
        _("Session started"),
        _("Status"),
        _("Pain before"),
        _("Pain after"),
        _("Step"),
        _("Phase"),
        _("Exercise"),
        _("Planned hold (seconds)"),
        _("Planned repetitions"),
        _("Planned sets"),
        _("Planned rest between sets (seconds)"),
        _("Each side"),
        _("Seconds done"),
        _("Skipped"),
        _("Completed at"),
    ]


def csv_rows(sessions: Iterable[Session], zone: zoneinfo.ZoneInfo) -> Iterator[list[object]]:
    """One row per session step; a session without steps still gets a row of its own."""
    for session in sessions:
        about_session = [
            session.pk,
            _cell(session.program_name),
            _moment(session.started_at, zone),
            session.get_status_display(),
            _blank(session.pain_before),
            _blank(session.pain_after),
        ]
        steps = list(session.steps.all())
        if not steps:
            yield about_session + [""] * 11
        for step in steps:
            completion = step.completion_or_none
            yield [
                *about_session,
                step.position,
                step.get_phase_display(),
                _cell(step.exercise.name),
                step.hold_seconds,
                step.reps,
                step.sets,
                step.rest_seconds,
                _yes_no(step.per_side),
                "" if completion is None else completion.seconds_done,
                _yes_no(None if completion is None else completion.skipped),
                "" if completion is None else _moment(completion.completed_at, zone),
            ]


def goal_target(goal: Goal) -> str:
    """The measurable target in words, for example "Sessions that work this group: 10"."""
    text = _("%(measure)s: %(value)s") % {
        "measure": goal.get_target_kind_display(),
        "value": goal.target_value,
    }
    if goal.exercise is not None:
        text += f" ({goal.exercise.name})"
    return text


def goals_calendar(
    goals: Iterable[Goal], schedule: ReminderSchedule | None = None, plan: Plan | None = None
) -> bytes:
    """An iCalendar feed with one all-day event on the due date of each goal given and,
    with a reminder schedule and a plan, each daily session as a repeating event."""
    calendar = Calendar()
    calendar.add("prodid", CALENDAR_PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("BackCare"))
    for goal in goals:
        calendar.add_component(_goal_event(goal))
    if schedule is not None and plan is not None and schedule.is_set:
        for slot in range(1, len(schedule.times) + 1):
            calendar.add_component(session_event(schedule, plan, slot))
    # A VTIMEZONE for the person's zone, so calendars place the sessions at local time.
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _goal_event(goal: Goal) -> Event:
    if goal.achieved_on is not None:
        summary = _("BackCare goal due: %(group)s (achieved)")
    else:
        summary = _("BackCare goal due: %(group)s")
    description = "\n".join(
        [goal.expectation, _("Target: %(target)s") % {"target": goal_target(goal)}]
    )
    if goal.achieved_on is not None:
        description += "\n" + _("Achieved on %(date)s.") % {"date": goal.achieved_on.isoformat()}
    event = Event()
    event.add("uid", f"goal-{goal.pk}@backcare")
    event.add("dtstamp", goal.created_at)
    event.add("dtstart", goal.due_date)
    event.add("dtend", goal.due_date + datetime.timedelta(days=1))
    event.add("summary", summary % {"group": goal.muscle_group.label})
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    return event


def session_event(schedule: ReminderSchedule, plan: Plan, slot: int) -> Event:
    """Session `slot` of each chosen day, at its local time in the person's zone, from the
    plan's first day to its last, with an alert when it is due."""
    zone = schedule.user.zone
    at = schedule.slot_times()[slot - 1]
    last_day = plan.starts_on + datetime.timedelta(days=plan.days - 1)
    until = datetime.datetime.combine(last_day, datetime.time(23, 59, 59), tzinfo=zone)
    minutes = max(1, -(-plan.program.total_seconds() // 60))
    summary = _("BackCare session: %(name)s") % {"name": plan.program.name}
    if len(schedule.times) > 1:
        summary = _("BackCare session %(n)s: %(name)s") % {"n": slot, "name": plan.program.name}
    event = Event()
    event.add("uid", f"plan-{plan.pk}-session-{slot}@backcare")
    event.add("dtstamp", schedule.updated_at)
    event.add("dtstart", datetime.datetime.combine(plan.starts_on, at, tzinfo=zone))
    event.add("duration", datetime.timedelta(minutes=minutes))
    event.add(
        "rrule",
        {
            "freq": "weekly",
            "byday": [ICAL_DAYS[day] for day in schedule.weekdays],
            "until": until.astimezone(datetime.UTC),
        },
    )
    event.add("summary", summary)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", datetime.timedelta(0))
    alarm.add("description", _("Time for your BackCare session"))
    event.add_component(alarm)
    return event
