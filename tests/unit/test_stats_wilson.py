"""Wilson score interval against published values (Newcombe 1998, Stat Med 17:857, Table I, method 3)."""
import numpy as np
import pytest

from svdash.stats import wilson_interval


@pytest.mark.parametrize("k,n,low,high", [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
])
def test_wilson_matches_newcombe_table(k, n, low, high):
    lo, hi = wilson_interval(k, n)
    assert round(float(lo), 4) == low
    assert round(float(hi), 4) == high


def test_wilson_is_vectorised_and_handles_empty_cells():
    lo, hi = wilson_interval(np.array([0, 5, 3]), np.array([0, 5, 6]))
    assert np.isnan(lo[0]) and np.isnan(hi[0])  # no denominator: no interval
    assert hi[1] == 1.0 and lo[1] < 1.0  # all successes: touches 1 exactly, not 0.999…
    assert lo[2] < 0.5 < hi[2] and np.isclose(0.5 - lo[2], hi[2] - 0.5)  # symmetric at p = 0.5
