"""Small statistics helpers used by the measures (no SciPy needed)."""
from __future__ import annotations

import numpy as np
import numpy.typing as npt

Z95 = 1.959963984540054  # two-sided 95 % normal quantile


def wilson_interval(
    successes: npt.ArrayLike, n: npt.ArrayLike, z: float = Z95
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval (no continuity correction) for k successes out of n, vectorised.

    Wilson rather than the normal approximation because most council × quarter cells are small
    and many shares sit at 0 or 1, where the plain interval collapses to zero width.
    Returns (low, high) as float arrays; NaN where n is 0 or missing.
    """
    k = np.asarray(successes, dtype="float64")
    m = np.asarray(n, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / m
        z2 = z * z
        denom = 1.0 + z2 / m
        centre = (p + z2 / (2.0 * m)) / denom
        half = (z / denom) * np.sqrt(p * (1.0 - p) / m + z2 / (4.0 * m * m))
        low = np.clip(centre - half, 0.0, 1.0)
        high = np.clip(centre + half, 0.0, 1.0)
    # exact ends: floating point leaves 1e-18 where the interval touches 0 or 1
    low = np.where(k == 0, 0.0, low)
    high = np.where(k == m, 1.0, high)
    bad = ~(m > 0) | np.isnan(k)
    low = np.where(bad, np.nan, low)
    high = np.where(bad, np.nan, high)
    return low, high
