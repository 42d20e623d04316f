"""What drawing the figures costs the server: every exercise's figure in every mode, first
drawn cold (as a new worker process would, before `figures.warm()` has run), then asked for
again (as every later page does). Prints milliseconds per figure and the ratio of a cached
call to a cold one, measured in the same run.

    .venv/bin/python tests/bench/bench_figures.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def measure() -> dict[str, dict[str, float]]:
    from programs import figures

    figures.figures()  # reading the poses file is the loader's cost, not the drawing's
    results = {}
    for mode in figures.MODES:
        cold, cached = [], []
        for key, figure in figures.figures().items():
            for side in ("left", "right") if figure.per_side else ("left",):

                def draw(key=key, side=side, mode=mode):
                    return figures.figure_svg(key, mode, label=f"{key} {side}", side=side)

                cold.append(timed(draw))
                cached.append(timed(draw))
        results[mode] = {
            "figures": len(cold),
            "cold_p50": statistics.median(cold),
            "cold_max": max(cold),
            "cached_p50": statistics.median(cached),
            "cached_max": max(cached),
        }
    return results


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backcare.settings")
    import django

    django.setup()
    results = measure()
    heading = ("mode", "figures", "cold p50", "cold max", "cached p50", "x cold")
    print("{:8}{:>8}{:>10}{:>10}{:>12}{:>8}".format(*heading))
    for mode, row in results.items():
        ratio = row["cached_p50"] / row["cold_p50"]
        print(
            f"{mode:8}{row['figures']:8d}{row['cold_p50']:8.2f}ms{row['cold_max']:8.2f}ms"
            f"{row['cached_p50'] * 1000:9.1f}µs{ratio:8.3f}"
        )
    print("Budget: at most 1 ms of server time a figure, or cached (gunicorn draws them all")
    print("once per worker at start, in post_worker_init).")


if __name__ == "__main__":
    main()
