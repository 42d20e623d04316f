"""Models of the programs app, one module per sub-domain."""

from programs.models.goals import Goal, StrengthCheckIn
from programs.models.library import Exercise, MuscleGroup, Program, ProgramStep
from programs.models.plans import FlareUp, Plan, Suggestion
from programs.models.sessions import (
    PainReport,
    SafetyScreening,
    Session,
    SessionStep,
    StepCompletion,
)

__all__ = [
    "Exercise",
    "FlareUp",
    "Goal",
    "MuscleGroup",
    "PainReport",
    "Plan",
    "Program",
    "ProgramStep",
    "SafetyScreening",
    "Session",
    "SessionStep",
    "StepCompletion",
    "StrengthCheckIn",
    "Suggestion",
]
