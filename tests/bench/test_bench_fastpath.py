"""The vectorised classifier equals the per-row baseline on a 10 k SYNTHETIC sample, row for row."""
from __future__ import annotations

import pandas as pd
import pytest

from svdash import synth
from svdash.classify import classify, classify_arrow, classify_baseline
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


def test_arrow_entry_and_deduplicated_texts_equal_baseline(synthetic_10k):
    """`classify_arrow` (the build's entry) judges each distinct text once; the sample repeats descriptions
    across a procurement's releases, so the copy back to every row is exercised."""
    import pyarrow as pa

    frame = synthetic_10k
    text = frame["title"] + "\n" + frame["description"]
    assert text.duplicated().sum() > 500
    table = classify_arrow(*(pa.array(frame[c].to_numpy(dtype=object), pa.string())
                             for c in ("title", "description", "award_criteria_json")))
    fast = table.to_pandas().set_index(frame.index)
    pd.testing.assert_frame_equal(fast, classify_baseline(frame), check_dtype=False)
