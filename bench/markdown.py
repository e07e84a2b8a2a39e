"""Worst render time of each hostile Markdown payload (tests/test_markdown.py's PAYLOADS).

    .venv/bin/python bench/markdown.py [ROUNDS]

Each payload is rendered ROUNDS times (20 by default) by agendas.markdown.render_markdown,
which is what every write runs once per Markdown field, and checked ROUNDS times by
validate_markdown, which the admin's form runs before it. Prints a Markdown table of the
worst and median wall times and the worst CPU time, in milliseconds, for
docs/performance.md.
"""

import contextlib
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.core.exceptions import ValidationError  # noqa: E402

from agendas.markdown import render_markdown, validate_markdown  # noqa: E402
from tests.test_markdown import PAYLOADS  # noqa: E402


def timings(function, text, rounds):
    """Worst wall time, median wall time and worst CPU time, in ms. On a busy host the CPU
    time is the steadier measure of the work itself."""
    wall, cpu = [], []
    for _ in range(rounds):
        started, started_cpu = time.perf_counter(), time.thread_time()
        with contextlib.suppress(ValidationError):
            function(text)
        cpu.append((time.thread_time() - started_cpu) * 1e3)
        wall.append((time.perf_counter() - started) * 1e3)
    return max(wall), statistics.median(wall), max(cpu)


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    print("| payload | characters | render: worst / median wall, worst CPU | validate: worst CPU |")
    print("|---|---:|---:|---:|")
    worst_wall = worst_cpu = 0.0
    for payload in PAYLOADS:
        render_markdown(payload.text)  # warm up
        wall, median, cpu = timings(render_markdown, payload.text, rounds)
        *_, validate_cpu = timings(validate_markdown, payload.text, rounds)
        worst_wall, worst_cpu = max(worst_wall, wall), max(worst_cpu, cpu)
        print(
            f"| {payload.name} | {len(payload.text):,} | {wall:.1f} / {median:.1f}, {cpu:.1f} "
            f"| {validate_cpu:.1f} |"
        )
    print(f"\nWorst render: {worst_wall:.1f} ms wall, {worst_cpu:.1f} ms CPU ({rounds} rounds)")


if __name__ == "__main__":
    main()
