"""evaluate: label files with buyer-only rows (blank sv_status, as in the Find a Tender labels)."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from svdash.evaluate import evaluate, format_report, load_labels

LABELS = """ocid,release_id,buyer_name,buyer_kind,buyer_gss_code,sv_status,weighting_pct
ocds-constructed-1,r1,Wigan Council,council,E08000010,applied,15
ocds-constructed-2,r2,Some NHS Trust,other,,,
ocds-constructed-3,r3,Leeds City Council,council,E08000035,,
ocds-constructed-4,r4,York Council,council,E06000014,none,
"""


def _predicted(status: list[str], codes: list[str]) -> pd.DataFrame:
    return pd.DataFrame({
        "ocid": [f"ocds-constructed-{i}" for i in range(1, 5)], "release_id": ["r1", "r2", "r3", "r4"],
        "title": "", "description": "", "sv_status": status, "weighting_pct": [15.0, math.nan, math.nan, math.nan],
        "themes": "", "evidence": "", "buyer_gss_code": codes, "buyer_kind": ["council", "other", "council", "council"],
        "match_method": "name"})


def test_blank_status_rows_count_for_buyers_only(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text(LABELS)
    labels = load_labels(path)
    # the buyer-only rows' predicted status ("applied") must not enter the status figures
    rep = evaluate(_predicted(["applied", "applied", "applied", "none"], ["E08000010", "", "E08000035", "E06000014"]),
                   labels)
    assert rep["rows"] == 2 and rep["buyer_rows"] == 4
    assert rep["macro_f1"] == 1.0 and rep["weighting"]["exact"] == 1
    assert rep["buyer"]["coded_rows"] == 3 and rep["buyer"]["code_correct"] == 3
    assert rep["buyer"]["other_rows"] == 1 and rep["buyer"]["false_council"] == 0
    assert "+ 2 buyer-only rows" in format_report(rep)


def test_a_wrong_code_on_a_buyer_only_row_is_still_counted(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text(LABELS)
    rep = evaluate(_predicted(["applied", "none", "none", "none"], ["E08000010", "E09000001", "E08000099", "E06000014"]),
                   load_labels(path))
    assert rep["buyer"]["code_correct"] == 2 and rep["buyer"]["false_council"] == 1


def test_an_unknown_status_is_refused_with_the_row(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text(LABELS.replace("applied,15", "maybe,15"))
    with pytest.raises(ValueError, match="row 2: sv_status 'maybe'"):
        load_labels(path)
