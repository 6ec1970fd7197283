"""The benchmark's one percentile (bench/stats.py) is the nearest rank, for `make bench` and `make load` alike."""

from __future__ import annotations

import math

from bench.stats import median, percentile


def test_nearest_rank_is_a_measured_value_with_at_least_p_percent_at_or_below():
    values = [float(v) for v in range(1, 1371)]          # 1,370 samples, as a steady-state make load run
    for p in (50, 95, 99):
        x = percentile(values, p)
        assert x in values
        assert sum(v <= x for v in values) >= p / 100 * len(values)
        assert sum(v <= x - 1 for v in values) < p / 100 * len(values)   # and it is the smallest such value
    assert percentile(values, 99) == 1357.0   # a rounded index p/100 × (n - 1) would give 1356: 14 above, > 1%


def test_small_and_unsorted_samples():
    assert percentile([5.0, 1.0, 3.0, 2.0, 4.0], 95) == 5.0    # 5 requests: p95 is the slowest
    assert percentile([5.0, 1.0, 3.0, 2.0, 4.0], 50) == 3.0
    assert percentile([7.0], 0) == 7.0
    assert math.isnan(percentile([], 95))
    assert median([]) is None and median([1.0, 3.0]) == 2.0
