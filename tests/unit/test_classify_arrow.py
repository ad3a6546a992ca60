"""`classify_arrow` (Arrow in, Arrow out; identical texts judged once) equals `classify` and the per-row
baseline, also where rows share a text but not their structured criteria or their title/description split.
Texts are CONSTRUCTED for the test (real phrasings of LABELS.md cases, not real notices)."""
from __future__ import annotations

import pandas as pd
import pyarrow as pa

from svdash.classify import OUTPUT_COLUMNS, classify, classify_arrow, classify_baseline

APPLIED = "Social value will be evaluated and carries 10% of the total score. Accordingly local jobs are sought."
DISMISSED = "Social value is not applicable to this procurement."
CRIT = '[{"lot": "1", "type": "quality", "name": "Social value", "description": "", "weight_pct": 15.0}]'


def _frame() -> pd.DataFrame:
    rows = [("Works", APPLIED, "[]"), ("Works", APPLIED, "[]"), ("Works", APPLIED, CRIT),   # same text, other criteria
            ("Works\n" + APPLIED[:20], APPLIED[21:], "[]"),                                # other split, same joined text
            ("Cleaning", DISMISSED, "[]"), ("Cleaning", DISMISSED, CRIT), ("Social value", "", CRIT),
            (None, None, None), ("", "", "[]"), ("Grounds", "No mention here.", "[]")]
    return pd.DataFrame(rows, columns=["title", "description", "award_criteria_json"], index=range(10, 20))


def test_arrow_entry_equals_classify_and_baseline():
    frame = _frame()
    table = classify_arrow(*(pa.array([None if pd.isna(v) else v for v in frame[c]], pa.string()) for c in frame.columns))
    assert table.column_names == OUTPUT_COLUMNS and table.num_rows == len(frame)
    fast = table.to_pandas().set_index(frame.index)
    base = classify_baseline(frame)
    pd.testing.assert_frame_equal(fast, base, check_dtype=False)
    pd.testing.assert_frame_equal(classify(frame), base, check_dtype=False)
    assert list(base["sv_status"][:3]) == ["applied"] * 3 and base["weighting_pct"].iloc[2] == 15.0
    assert base["sv_status"].iloc[4] == "dismissed" and base["sv_status"].iloc[5] == "applied"


def test_arrow_entry_takes_chunked_and_empty_columns():
    empty = pa.array([], pa.string())
    assert classify_arrow(empty, empty, empty).num_rows == 0
    chunked = pa.chunked_array([pa.array(["Works"]), pa.array(["Cleaning"])])
    desc = pa.chunked_array([pa.array([APPLIED]), pa.array([DISMISSED])])
    out = classify_arrow(chunked, desc, pa.array(["[]", "[]"]))
    assert out.column("sv_status").to_pylist() == ["applied", "dismissed"]


SV10 = "Social value will be evaluated and carries 10% of the total score."
LINKED_CASES = [
    ("Works", f"{SV10} Accordingly, bidders must set out environmental benefits."),          # next piece linked
    ("Works", f"Bidders must set out economic benefits. Accordingly, s{SV10[1:]}"),          # SV piece linked
    ("Works", f"Bidders must set out economic benefits. {SV10} We expect environmental benefits."),  # no link
    ("Works", f"{SV10}\n&nbsp;<b>Accordingly</b>, social outcomes are sought."),              # markup before it
    ("Works", f"{SV10} Accord<i>ingly</i> social outcomes are sought."),                      # not the word
    (SV10, "Accordingly, economic benefits are sought."),                                    # across title/description
    ("Accordingly, economic benefits.", SV10),                                                # linked, but before
]


def test_neighbour_themes_only_through_linked_sentences():
    """Only the neighbours of a linked ("Accordingly …") sentence are normalised; the themes still equal
    the baseline's, and the cases do take themes from a neighbour (or not) as the rule says."""
    frame = pd.DataFrame(LINKED_CASES, columns=["title", "description"])
    table = classify_arrow(pa.array(frame["title"].tolist()), pa.array(frame["description"].tolist()),
                           pa.array(["[]"] * len(frame)))
    base = classify_baseline(frame)
    pd.testing.assert_frame_equal(table.to_pandas(), base, check_dtype=False)
    assert base["themes"].tolist() == ["environmental", "economic", "", "social", "", "economic", ""]
