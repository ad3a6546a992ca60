"""The embedded Find a Tender days (data/notices/find_a_tender_2026-08): every release stored, and the English
councils' social value criteria reach the facts the dashboard reads, checked against the committed dev labels
(data/notices/find_a_tender_2026-08/labels_dev.csv, copied from ../shared with the notices)."""
from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from svdash import pipeline
from svdash.evaluate import evaluate, load_labels
from svdash.paths import NOTICES_DIR

FTS = NOTICES_DIR / "find_a_tender_2026-08"


@pytest.fixture(scope="module")
def snapshot_store(tmp_path_factory):
    db = tmp_path_factory.mktemp("snap") / "svdash.duckdb"
    pipeline.ensure_store(db)
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


def test_every_fts_release_is_stored(snapshot_store):
    n = snapshot_store.execute("SELECT count(*) FROM releases WHERE ocid LIKE 'ocds-h6vhtk-%'").fetchone()[0]
    assert n == len(load_labels(FTS / "labels_dev.csv")) == 955


def test_council_procurements_applying_social_value_match_the_labels(snapshot_store):
    labels = load_labels(FTS / "labels_dev.csv")
    applied = labels[(labels["buyer_kind"] == "council") & (labels["sv_status"] == "applied")]
    facts = snapshot_store.execute(
        "SELECT ocid, buyer_gss_code, weighting_pct FROM procurement_facts "
        "WHERE buyer_kind = 'council' AND sv_status = 'applied' AND ocid LIKE 'ocds-h6vhtk-%'").df()
    want = applied.groupby("ocid").agg(code=("buyer_gss_code", "first"), weight=("weighting_pct", "max"))
    got = facts.set_index("ocid")
    # every labelled council procurement with a stated weighting shows with that weighting and council code
    for ocid, row in want[want["weight"] != ""].iterrows():
        assert ocid in got.index, ocid
        assert got.at[ocid, "buyer_gss_code"] == row["code"]
        assert got.at[ocid, "weighting_pct"] == float(row["weight"])
    # nothing applied that the labels call none
    none = set(labels.loc[(labels["buyer_kind"] == "council") & (labels["sv_status"] == "none"), "ocid"])
    assert not (set(got.index) & (none - set(applied["ocid"])))
    assert len(want[want["weight"] != ""]) >= 9


def test_the_notice_measure_has_english_councils(snapshot_store):
    n = snapshot_store.execute(
        "SELECT count(DISTINCT unit_code) FROM measure_values WHERE level = 'council' AND period_type = 'all' "
        "AND measure_id = 'sv_weighting_median' AND value IS NOT NULL").fetchone()[0]
    assert n >= 9


def test_evaluate_on_the_committed_labels_meets_the_targets():
    from svdash.sources.files import read_notices

    frame = read_notices(sorted(FTS.rglob("*.json")))
    facts = pipeline.notice_facts(frame)
    facts["description"] = frame["description"].to_numpy()
    rep = evaluate(facts, load_labels(FTS / "labels_dev.csv"))
    assert not rep["unmatched_labels"]
    assert rep["macro_f1"] >= 0.95
    assert rep["weighting"]["exact_rate"] >= 0.95 and rep["weighting"]["invented"] == 0
    assert rep["buyer"]["code_accuracy"] >= 0.98 and rep["buyer"]["false_council"] == 0
