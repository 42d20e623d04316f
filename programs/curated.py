"""The curated programs with their steps, exercises and muscle groups, read once per
library version in each process: every start of a session copies one of them, and reading
them took four queries and most of a start's time.

What is handed out is shared by every request of the process: read it, never change it.
"""

from programs.models import LibraryVersion, Program

_held: tuple[str, dict[int, Program]] = ("", {})


def curated_programs(version: str | None = None) -> dict[int, Program]:
    """The curated programs by key, as they are at the library's current version."""
    global _held
    version = version or LibraryVersion.current()
    if _held[0] != version:
        # Read after the version: what is held under a version is never older than it.
        programs = Program.objects.curated().with_steps()
        _held = (version, {program.pk: program for program in programs})
    return _held[1]


def startable_program(user, pk: int) -> Program | None:
    """A curated program or the person's own, with its steps; None for anyone else's."""
    if (program := curated_programs().get(pk)) is not None:
        return program
    own = Program.objects.filter(owner=user).with_steps()
    return own.filter(pk=pk).first()
