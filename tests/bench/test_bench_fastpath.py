"""The vectorised classifier equals the per-row baseline on a 10 k SYNTHETIC sample, row for row."""
from __future__ import annotations

import pandas as pd
import pytest

from svdash import synth
from svdash.classify import classify, classify_baseline
from svdash.sources.files import read_notices

pytestmark = pytest.mark.bench


@pytest.fixture(scope="module")
def synthetic_10k(tmp_path_factory) -> pd.DataFrame:
    path = tmp_path_factory.mktemp("synth") / "synthetic_10k.jsonl"
    synth.write_jsonl(10_000, path, seed=11)
    return read_notices([path])


def test_fast_path_equals_baseline_row_for_row(synthetic_10k):
    frame = synthetic_10k
    assert len(frame) == 10_000
    fast, base = classify(frame), classify_baseline(frame)
    # The sample must exercise every outcome, or equality proves little.
    assert set(base["sv_status"]) == {"applied", "dismissed", "none"}
    assert base["weighting_pct"].notna().sum() > 100 and (base["themes"] != "").any()
    pd.testing.assert_frame_equal(fast, base, check_dtype=False)
