"""Timing helpers shared by the benchmarks: run a callable a few times unmeasured, then time each run.

    from bench.timing import median_ms, timings_ms

The benches that import this put the repository root on ``sys.path`` first (as they do for ``tests``).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def timings_ms(fn: Callable[[], object], runs: int, warmup: int = 3) -> list[float]:
    """Call ``fn`` ``warmup`` times untimed, then ``runs`` times; the time of each timed call in ms."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def median_ms(fn: Callable[[], object], runs: int, warmup: int = 3) -> float:
    """The median of :func:`timings_ms`: one figure per case."""
    return statistics.median(timings_ms(fn, runs, warmup))
