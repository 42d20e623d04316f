"""Short lessons on living with back pain, from `programs/data/lessons.toml`: one a day on
the home page, all of them on their own page. Read once per process; pure otherwise."""

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

LESSONS_FILE = Path(__file__).resolve().parent / "data" / "lessons.toml"


@dataclass(frozen=True)
class Lesson:
    slug: str
    title: str
    summary: str
    body: tuple[str, ...]
    try_this: str = ""


@cache
def lessons(path: Path = LESSONS_FILE) -> tuple[Lesson, ...]:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    return tuple(
        Lesson(
            slug=item["slug"],
            title=item["title"],
            summary=item["summary"],
            body=tuple(item["body"]),
            try_this=item.get("try_this", ""),
        )
        for item in data["lesson"]
    )


def lesson_of_the_day(day: date) -> Lesson:
    """A different lesson each day, the same one all day, going round them in turn."""
    every = lessons()
    return every[day.toordinal() % len(every)]
