"""Buyer resolution against the hand labels in ../shared/data (LABELS.md: buyer_kind, buyer_gss_code).

Figures as `svdash evaluate` defines them: code accuracy over labelled council releases that carry a code,
and non-councils (buyer_kind other) given a council code; disputed labels (svdash.evaluate.LABEL_DISPUTES)
are left out of both.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from svdash.buyers import resolve_buyers
from svdash.evaluate import _disputed
from svdash.sources.files import read_notices
from svdash.sources.ocds import flatten_release, notices_frame

FTS_DIR = "notices/find_a_tender_2026-08"


def _fts_frame(folder: Path) -> pd.DataFrame:
    # Python's json reads FTS's bare 1e9999 ("no limit") as inf, so every release of every page is read here
    # whatever the state of the file reader; only the buyer fields matter to this test.
    rows = []
    for page in sorted(folder.glob("*/page-*.json")):
        rows += [flatten_release(r, "find_a_tender") for r in json.loads(page.read_text("utf-8"))["releases"]]
    return notices_frame(rows)


def buyer_figures(frame: pd.DataFrame, labels: pd.DataFrame) -> dict:
    resolved = pd.concat([frame[["ocid", "release_id", "buyer_name"]].astype(str), resolve_buyers(frame)], axis=1)
    m = labels.merge(resolved, on=["ocid", "release_id"], how="left", suffixes=("_label", ""), indicator=True)
    missing = int((m["_merge"] != "both").sum())
    m = m[m["_merge"] == "both"]
    m = m[[not _disputed(r, "buyer_kind") for _, r in m.iterrows()]]
    coded = m[(m["buyer_kind_label"] == "council") & (m["buyer_gss_code_label"] != "")]
    others = m[m["buyer_kind_label"] == "other"]
    wrong = coded[coded["buyer_gss_code"] != coded["buyer_gss_code_label"]]
    false_council = others[others["buyer_gss_code"] != ""]
    show = ["buyer_name", "buyer_gss_code_label", "buyer_gss_code", "match_method"]
    return {"missing": missing, "coded": len(coded), "correct": len(coded) - len(wrong), "others": len(others),
            "false_council": len(false_council), "wrong": wrong[show].to_dict("records"),
            "false": false_council[show].to_dict("records")}


def _labels(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.mark.shared
def test_fts_dev_labels_meet_the_buyer_targets(shared_data):
    labels = _labels(shared_data / FTS_DIR / "labels_dev.csv")
    fig = buyer_figures(_fts_frame(shared_data / FTS_DIR), labels.drop(columns=["buyer_name"]))
    assert fig["missing"] == 0 and fig["coded"] > 0 and fig["others"] > 0
    assert fig["correct"] / fig["coded"] >= 0.98, fig["wrong"]
    assert fig["false_council"] == 0, fig["false"]


@pytest.mark.shared
@pytest.mark.parametrize("labels,pattern", [("notices/labels_dev.csv", "notices/*/*.json"),
                                            ("passages/labels_dev.csv", "passages/*.json")])
def test_older_dev_labels_do_not_regress(shared_data, labels, pattern):
    # Before the Find a Tender rules: every labelled council code right, no non-council given a code.
    paths = [p for p in sorted(shared_data.glob(pattern)) if FTS_DIR not in p.as_posix()]
    fig = buyer_figures(read_notices(paths), _labels(shared_data / labels))
    assert fig["missing"] == 0 and fig["coded"] > 0
    assert fig["correct"] == fig["coded"], fig["wrong"]
    assert fig["false_council"] == 0, fig["false"]
