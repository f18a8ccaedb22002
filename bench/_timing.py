"""Timing helpers shared by the bench scripts."""
from __future__ import annotations

import time


def best_of(runs: int, fn) -> float:
    """The fastest of `runs` calls of `fn`, in seconds (the least disturbed by the rest of the machine)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)
