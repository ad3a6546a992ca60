"""Targets on the labelled dev sets (../shared/data) and the CLI over every staged notice file."""
from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from svdash.classify import classify, classify_baseline
from svdash.evaluate import evaluate, load_labels
from svdash.pipeline import notice_facts
from svdash.sources.files import read_notices


def _report(notice_paths, labels_path):
    frame = read_notices(notice_paths)
    facts = notice_facts(frame)
    facts["description"] = frame["description"].to_numpy()
    return evaluate(facts, load_labels(labels_path))


@pytest.mark.shared
@pytest.mark.parametrize("labels,pattern", [("notices/labels_dev.csv", "notices/**/*.json"),
                                            ("passages/labels_dev.csv", "passages/*.json")])
def test_dev_set_meets_the_targets(shared_data, labels, pattern):
    rep = _report(sorted(shared_data.glob(pattern)), shared_data / labels)
    assert rep["rows"] == len(load_labels(shared_data / labels)) and not rep["unmatched_labels"]
    assert rep["macro_f1"] >= 0.95, rep["misses"]
    if rep["per_class"]["dismissed"]["support"]:
        assert rep["per_class"]["dismissed"]["recall"] >= 0.9, rep["misses"]
    w = rep["weighting"]
    assert w["stated"] == 0 or w["exact_rate"] >= 0.95, rep["weight_misses"]
    assert w["invented"] == 0, rep["weight_misses"]
    assert rep["buyer"]["code_accuracy"] >= 0.97, rep["buyer_misses"]
    assert rep["buyer"]["false_council"] == 0, rep["buyer_misses"]


@pytest.mark.shared
def test_fast_path_equals_baseline_on_every_real_notice(shared_data):
    frame = read_notices(sorted(shared_data.glob("notices/**/*.json")) + [shared_data / "passages/passages_dev.json"])
    pd.testing.assert_frame_equal(classify(frame), classify_baseline(frame))


@pytest.mark.shared
def test_classify_cli_on_every_staged_notice_file(shared_data, tmp_path):
    files = sorted(shared_data.glob("notices/**/*.json")) + [shared_data / "notices/notices.csv",
                                                             shared_data / "passages/passages_dev.json"]
    for k, f in enumerate(files):
        out = tmp_path / f"r{k}.csv"
        res = subprocess.run([sys.executable, "-m", "svdash", "classify", "--in", str(f), "--out", str(out)],
                             capture_output=True, text=True)
        assert res.returncode == 0, (f, res.stderr)
        df = pd.read_csv(out, dtype=str, keep_default_na=False)
        assert len(df) > 0 and set(df["sv_status"]) <= {"applied", "dismissed", "none"}
        assert set(df["buyer_kind"]) <= {"council", "other"}
