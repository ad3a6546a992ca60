"""The streamed build (record batches → classify in threads → staging tables → SQL roll-ups) against the
pandas oracles in svdash.pipeline, on constructed facts (made up for the test, not real notices) and on the
small real excerpt in tests/fixtures."""
from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from svdash import pipeline, store
from svdash.sources.files import import_file


def _constructed_facts(n_ocids: int = 60, seed: int = 3) -> pd.DataFrame:
    """Constructed notice_facts rows with the awkward cases: missing dates, equal dates, missing weights,
    every status mix within an ocid."""
    rng = np.random.default_rng(seed)
    rows = []
    for o in range(n_ocids):
        for r in range(int(rng.integers(1, 5))):
            day = rng.choice([None, "2024-01-01", "2024-01-01", "2024-03-05", "2025-07-09"])
            rows.append({
                "release_key": f"oc-{o}/{r}", "ocid": f"oc-{o}", "release_id": str(r),
                "date": pd.NaT if day is None else pd.Timestamp(day),
                "buyer_name": f"buyer {rng.integers(0, 4)}", "buyer_gss_code": rng.choice(["", "E06000001"]),
                "buyer_kind": rng.choice(["council", "other"]), "buyer_name_canonical": "c",
                "match_method": rng.choice(["name", "unmatched"]), "match_confidence": float(rng.random()),
                "sv_status": rng.choice(["applied", "dismissed", "none"]),
                "weighting_pct": rng.choice([np.nan, 5.0, 10.0, 20.0]), "themes": rng.choice(["", "social"]),
                "evidence": f"evidence {o}-{r}", "criteria_visible": bool(rng.random() < 0.3),
                "title": f"title {o}-{r}", "notice_url": "", "source": "constructed", "rules_version": "t",
                "combined_weighting_pct": rng.choice([np.nan, 55.0, 70.0]),
                "notice_type": rng.choice(["", "UK4", "UK4", "UK6", "UK7"]),
                "legal_basis": rng.choice(["", "UKPGA:2023/54", "CELEX:32014L0024"])})
    facts = pd.DataFrame(rows)
    facts["year"] = facts["date"].dt.year.astype("Int64")
    facts["quarter"] = (facts["date"].dt.year.astype("Int64").astype("string") + "Q"
                        + facts["date"].dt.quarter.astype("Int64").astype("string")).fillna("")
    return facts[pipeline.FACT_COLUMNS]


def test_sql_rollup_equals_pandas_procurement_facts():
    facts = _constructed_facts()
    con = duckdb.connect()
    con.execute(f"CREATE TABLE {pipeline.STAGE['notice_facts']} {pipeline._NOTICE_FACTS_DDL}")
    con.register("facts_frame", facts)
    con.execute(f"INSERT INTO {pipeline.STAGE['notice_facts']} SELECT * FROM facts_frame")
    pipeline._rollups(con)
    got = con.execute(f"SELECT * FROM {pipeline.STAGE['procurement_facts']} ORDER BY ocid").df()
    want = pipeline.procurement_facts(facts).sort_values("ocid").reset_index(drop=True)
    assert list(got.columns) == list(want.columns)
    for col in want.columns:
        a, b = got[col], want[col]
        if col in ("weighting_pct", "match_confidence", "combined_weighting_pct"):
            np.testing.assert_allclose(a.astype(float), b.astype(float), equal_nan=True, err_msg=col)
        elif col == "date":
            assert (a.isna() == b.isna()).all() and (a.dropna() == b.dropna()).all(), col
        else:
            assert a.astype(str).tolist() == b.astype(str).tolist(), col
    unmatched = con.execute(f"SELECT * FROM {pipeline.STAGE['unmatched_buyers']}").df()
    assert unmatched.to_dict("list") == pipeline.unmatched_buyers(facts).to_dict("list")


def test_small_batches_give_the_same_tables(tmp_path, fixtures_dir):
    """Many one- or two-row batches through the thread pool give the same tables as one batch."""
    tables = {}
    for batch_rows in (2, 100_000):
        con = store.open_store(tmp_path / f"b{batch_rows}.duckdb")
        import_file(con, fixtures_dir / "real_releases_excerpt.json")
        pipeline.build(con, batch_rows=batch_rows)
        tables[batch_rows] = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").df()
                              for t in ("notice_facts", "procurement_facts", "unmatched_buyers")}
        assert not con.execute("SELECT synthetic FROM build_info").fetchone()[0]  # real ocids
        assert not con.execute("SELECT count(*) FROM information_schema.tables "
                               "WHERE table_name LIKE '\\_build\\_%' ESCAPE '\\'").fetchone()[0]
        con.close()
    for t in tables[2]:
        pd.testing.assert_frame_equal(tables[2][t], tables[100_000][t])


def test_synthetic_flag_comes_from_the_ocid_prefix(tmp_path, fixtures_dir):
    import json

    releases = json.loads((fixtures_dir / "real_releases_excerpt.json").read_text(encoding="utf-8"))
    items = releases["releases"] if isinstance(releases, dict) else releases
    rel = dict(items[0], ocid="ocds-synthetic-000001")  # constructed: a real release relabelled synthetic
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"releases": [rel]}), encoding="utf-8")
    con = store.open_store(tmp_path / "s.duckdb")
    import_file(con, path)
    pipeline.build(con)
    assert con.execute("SELECT synthetic FROM build_info").fetchone()[0] is True
    con.close()
