"""build over a store made from a small real excerpt (tests/fixtures/real_releases_excerpt.json: unmodified
releases from Public Contracts Scotland, Sell2Wales and Contracts Finder, copied from ../shared/data/notices)."""
from __future__ import annotations

import subprocess
import sys

import pandas as pd

from svdash import pipeline, store
from svdash.sources.files import import_file


def _store(tmp_path, fixtures_dir):
    con = store.open_store(tmp_path / "t.duckdb")
    import_file(con, fixtures_dir / "real_releases_excerpt.json")
    return con


def test_build_writes_facts_and_is_idempotent(tmp_path, fixtures_dir):
    con = _store(tmp_path, fixtures_dir)
    pipeline.build(con)
    first = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").df()
             for t in ("notice_facts", "procurement_facts", "unmatched_buyers")}
    pipeline.build(con)
    for t, df in first.items():
        pd.testing.assert_frame_equal(df, con.execute(f"SELECT * FROM {t} ORDER BY ALL").df())
    nf = first["notice_facts"].set_index("ocid")
    assert list(first["notice_facts"].columns) == pipeline.FACT_COLUMNS
    assert nf.loc["ocds-r6ebe6-0000579444", "sv_status"] == "applied"       # Argyll and Bute, 5% community benefits
    assert nf.loc["ocds-r6ebe6-0000579444", "weighting_pct"] == 5.0
    assert nf.loc["ocds-kuma6s-145558", "sv_status"] == "dismissed"          # Natural Resources Wales
    assert nf.loc["ocds-r6ebe6-0000579444", "buyer_kind"] == "other"         # Scottish council: not English
    pf = first["procurement_facts"].set_index("ocid")
    brum = "ocds-b5fd17-66babd80-87f5-4102-9dc3-ed1841a8c373"                # two releases, one procurement
    assert pf.loc[brum, "n_releases"] == 2 and pf.loc[brum, "buyer_gss_code"] == "E08000025"
    assert len(pf) == 4
    info = con.execute("SELECT rules_version, n_releases FROM build_info").fetchone()
    assert info[1] == 5
    con.close()


def test_procurement_status_applied_beats_dismissed_beats_none():
    facts = pd.DataFrame({
        "release_key": ["a/1", "a/2", "b/1", "b/2"], "ocid": ["a", "a", "b", "b"], "release_id": ["1", "2", "1", "2"],
        "date": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-01-01", "2024-03-01"]),
        "sv_status": ["dismissed", "applied", "none", "dismissed"], "weighting_pct": [float("nan"), 10.0, 5.0, 20.0],
        "criteria_visible": [False, True, False, False], "buyer_name": ["x", "y", "x", "z"],
        "buyer_gss_code": ["", "E1", "", "E2"], "buyer_kind": ["other", "council", "other", "council"],
        "buyer_name_canonical": "", "match_method": "name", "match_confidence": 1.0, "title": "", "notice_url": "",
        "source": "constructed", "rules_version": "t", "evidence": ["d", "a", "", "d2"], "themes": ""})
    pf = pipeline.procurement_facts(facts).set_index("ocid")
    assert pf.loc["a", "sv_status"] == "applied" and pf.loc["a", "evidence"] == "a"
    assert pf.loc["b", "sv_status"] == "dismissed" and pf.loc["b", "weighting_pct"] == 20.0
    assert pf.loc["a", "date"] == pd.Timestamp("2024-01-01") and pf.loc["b", "buyer_name"] == "z"
    assert bool(pf.loc["a", "criteria_visible"]) and not bool(pf.loc["b", "criteria_visible"])


def test_ensure_store_creates_once(tmp_path, fixtures_dir):
    snap = tmp_path / "snap"
    snap.mkdir()
    (snap / "x.json").write_bytes((fixtures_dir / "real_releases_excerpt.json").read_bytes())
    db = tmp_path / "s.duckdb"
    assert pipeline.ensure_store(db, snap) is True
    assert pipeline.ensure_store(db, snap) is False
    con = store.open_store(db)
    assert con.execute("SELECT count(*) FROM notice_facts").fetchone()[0] == 5
    con.close()


def test_classify_cli_writes_the_contract_columns(tmp_path, fixtures_dir):
    out = tmp_path / "r.csv"
    res = subprocess.run([sys.executable, "-m", "svdash", "classify", "--in", str(fixtures_dir / "real_releases_excerpt.json"),
                          "--out", str(out)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    df = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(df.columns) == ["ocid", "release_id", "buyer_name", "buyer_gss_code", "buyer_kind", "sv_status",
                                "weighting_pct", "themes", "evidence"]
    assert "5" in set(df["weighting_pct"]) and "5.0" not in set(df["weighting_pct"])
    bad = subprocess.run([sys.executable, "-m", "svdash", "classify", "--in", str(tmp_path / "missing.json"),
                          "--out", str(out)], capture_output=True, text=True)
    assert bad.returncode == 2 and "no such file" in bad.stderr


def test_a_failed_swap_leaves_facts_and_measures_from_the_same_build(tmp_path, fixtures_dir, monkeypatch):
    # Facts and measures are swapped in together: a build that dies at the swap leaves the previous build's
    # facts AND measures (never new facts beside old measures), and no half-written live table.
    con = _store(tmp_path, fixtures_dir)
    pipeline.build(con)
    before = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").df()
              for t in ("notice_facts", "measure_values", "adoption_summary")}
    import_file(con, fixtures_dir / "real_releases_excerpt.json")  # unchanged data: same facts expected anyway
    con.execute("DELETE FROM releases WHERE ocid = 'ocds-r6ebe6-0000579444'")  # a build now would differ

    def crash(con, tables, meta=None):
        assert {"notice_facts", "measure_values", "adoption_summary"} <= set(tables)
        raise RuntimeError("killed at the swap")

    monkeypatch.setattr(pipeline, "_swap_in", crash)
    try:
        pipeline.build(con)
    except RuntimeError:
        pass
    for t, df in before.items():
        pd.testing.assert_frame_equal(df, con.execute(f"SELECT * FROM {t} ORDER BY ALL").df())
    monkeypatch.undo()
    pipeline.build(con)  # the next build completes and replaces both
    assert "ocds-r6ebe6-0000579444" not in set(con.execute("SELECT ocid FROM notice_facts").df()["ocid"])
    con.close()
