"""Models of the programs app, one module per sub-domain."""

from programs.models.library import Exercise, MuscleGroup, Program, ProgramStep

__all__ = ["Exercise", "MuscleGroup", "Program", "ProgramStep"]
