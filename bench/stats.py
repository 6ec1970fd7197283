"""The one percentile and median that every benchmark figure (`make bench` and `make load`) uses."""

from __future__ import annotations

import math
import statistics


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank p-th percentile: the smallest observed value with at least p% of the values
    at or below it (NaN for no values).

    Nearest rank because a latency percentile should be a latency that was measured, and "p95 =
    95 ms" should mean exactly that at least 95% of the requests took 95 ms or less. Interpolating
    (statistics.quantiles) reports a time no request took; rounding the index p/100 × (n - 1), as
    `make load` once did, can land one rank lower and leave more than 5% of requests above its p95.
    With few samples nearest rank is conservative: of the at least 5 requests an endpoint gets, p95
    is the slowest.
    """
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = math.ceil(p / 100 * len(ordered))          # 1-based: at least p% of the values are at or below it
    return ordered[min(len(ordered), max(1, rank)) - 1]


def median(values: list[float]) -> float | None:
    """The median, or None for no values (a figure not measured)."""
    return statistics.median(values) if values else None
