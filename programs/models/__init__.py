"""Models of the programs app, one module per sub-domain."""

from programs.models.goals import Goal, StrengthCheckIn
from programs.models.library import (
    Exercise,
    LibraryVersion,
    MuscleGroup,
    Program,
    ProgramStep,
)
from programs.models.outcomes import ActivityRating, HardActivity, MorningCheck, WeeklyCheckIn
from programs.models.plans import FirstAnswers, FlareUp, Plan, SuggestedChange, Suggestion
from programs.models.reminders import ReminderSchedule, SentReminder
from programs.models.rollups import DayGroupTotal, DayTotal, RecordsVersion
from programs.models.sessions import (
    PainReport,
    SafetyScreening,
    Session,
    SessionStep,
    StepCompletion,
)
from programs.models.sharing import ReportLink

__all__ = [
    "ActivityRating",
    "DayGroupTotal",
    "DayTotal",
    "Exercise",
    "FirstAnswers",
    "FlareUp",
    "Goal",
    "HardActivity",
    "LibraryVersion",
    "MorningCheck",
    "MuscleGroup",
    "PainReport",
    "Plan",
    "Program",
    "ProgramStep",
    "RecordsVersion",
    "ReminderSchedule",
    "ReportLink",
    "SafetyScreening",
    "SentReminder",
    "Session",
    "SessionStep",
    "StepCompletion",
    "StrengthCheckIn",
    "SuggestedChange",
    "Suggestion",
    "WeeklyCheckIn",
]
