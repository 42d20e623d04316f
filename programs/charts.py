"""Geometry of small line charts, ready for an SVG template."""

import math
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Chart:
    """Geometry of a small line chart, ready for an SVG template."""

    width: int
    height: int
    lines: dict[str, str]  # name -> "x,y x,y ..." for <polyline points>
    dots: dict[str, list[tuple[float, float]]]  # name -> each point, so one point still shows
    y_ticks: list[tuple[float, float]]  # (y position, value)
    x_ticks: list[tuple[float, date]]  # (x position, day)
    pad: int


def line_chart(
    series: dict[str, list[tuple[date, float]]],
    start: date,
    end: date,
    y_max: float,
    width: int = 640,
    height: int = 240,
    pad: int = 40,
) -> Chart:
    span_days = max(1, (end - start).days)
    top = max(y_max, 1.0)

    def x(day: date) -> float:
        return round(pad + (width - 2 * pad) * (day - start).days / span_days, 1)

    def y(value: float) -> float:
        return round(height - pad - (height - 2 * pad) * min(value, top) / top, 1)

    dots = {
        name: [(x(day), y(value)) for day, value in points]
        for name, points in series.items()
        if points
    }
    lines = {name: " ".join(f"{px},{py}" for px, py in points) for name, points in dots.items()}
    step = nice_step(top)
    y_ticks = [(y(v * step), v * step) for v in range(int(top // step) + 1)]
    x_ticks = [(x(day), day) for day in (start, start + (end - start) / 2, end)]
    return Chart(width, height, lines, dots, y_ticks, x_ticks, pad)


def nice_step(top: float) -> float:
    """A round tick spacing that gives four to ten ticks."""
    raw = top / 5
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for multiple in (1, 2, 5, 10):
        if raw <= multiple * magnitude:
            return multiple * magnitude
    return 10 * magnitude
