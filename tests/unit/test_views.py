"""Dashboard frames: measure table, escaping of notice text, synthetic detection, peers (constructed data)."""
from __future__ import annotations

import pandas as pd
import pytest

from svdash import views
from svdash.filters import Filters
from svdash.geo import load_councils
from tests.app.constructed_store import HOSTILE_EVIDENCE, build_constructed_store


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    return views.read_store(build_constructed_store(tmp_path_factory.mktemp("v") / "c.duckdb"))


def test_measure_table_keeps_councils_without_values_and_ranks_within_group(tables):
    t = views.measure_table(Filters(region="London"), tables["measure_values"])
    assert len(t) == 33
    solid = t[~t["low_n"]]
    for _, g in solid.groupby("comparison_group"):
        best = g.sort_values("value", ascending=False).iloc[0]
        assert best["rank_in_group"] == 1
    assert t.loc[t["low_n"], "rank_in_group"].isna().all()


def test_missing_value_reads_as_low_n():
    values = views.EMPTY_MEASURE_VALUES
    t = views.measure_table(Filters(region="North East"), values)
    assert len(t) == 12 and t["low_n"].all() and t["value"].isna().all()


def test_md_escape_makes_notice_text_inert():
    out = views.md_escape(HOSTILE_EVIDENCE)
    assert "<script>" not in out and "\\<script\\>" in out
    assert "](" not in out and "**" not in out


@pytest.mark.parametrize("url,ok", [("https://www.find-tender.service.gov.uk/Notice/1", True),
                                    ("javascript:alert(1)", False), ("http://x/\"onmouseover", False), ("ftp://x", False)])
def test_safe_url(url, ok):
    assert (views.safe_url(url) == url) is ok


def test_synthetic_detection(tables, tmp_path):
    assert views.is_synthetic(tables) is False
    assert views.is_synthetic(views.read_store(build_constructed_store(tmp_path / "s.duckdb", synthetic=True)))
    facts = pd.DataFrame({"ocid": ["ocds-synthetic-000001"], "source": ["x.jsonl"]})
    assert views.is_synthetic({"notice_facts": facts, "build_info": pd.DataFrame()})


def test_read_store_reports_missing_and_corrupt_files(tmp_path):
    with pytest.raises(views.StoreReadError, match="no store file"):
        views.read_store(tmp_path / "absent.duckdb")
    bad = tmp_path / "bad.duckdb"
    bad.write_bytes(b"not a database" * 100)
    with pytest.raises(views.StoreReadError, match="cannot open"):
        views.read_store(bad)


def test_peers_are_like_for_like():
    councils = load_councils()
    row = councils[councils["gss_code"].eq("E07000008")].iloc[0]
    sets = views.peers(row, councils)
    assert "E07000008" not in sets["same council type"]
    near = councils.set_index("gss_code").loc[sets["nearest neighbours"]]
    assert set(near["council_type"]) == {row["council_type"]}
    assert set(near["comparison_group"]) == {row["comparison_group"]}


def test_status_counts_only_council_buyers(tables):
    c = views.status_counts(tables["procurement_facts"]).set_index("sv_status")
    assert c.loc["applied", "n"] == 1 and c.loc["dismissed", "n"] == 1 and c.loc["none", "n"] == 1


def test_store_tables_read_via_arrow_equal_duckdbs_own_frames(tmp_path):
    """read_store goes through Arrow (faster at 1 M notices); every table must come out as `.df()` gives it:
    same values, same dtypes (strings, floats with NaN, booleans, timestamps)."""
    import duckdb

    db = build_constructed_store(tmp_path / "c.duckdb")
    got = views.read_store(db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        for name in views.STORE_TABLES:
            if name not in got:
                continue
            expected = con.table(name).df()
            pd.testing.assert_frame_equal(got[name], expected, check_exact=True)
            assert len(expected), f"{name}: the constructed store should fill every table it has"
    finally:
        con.close()


def test_empty_council_reads_typed_string_columns(tmp_path):
    db = build_constructed_store(tmp_path / "c.duckdb")
    rows = views.read_council_notices(db, "E99999999")  # no such council
    assert rows.empty and pd.api.types.is_string_dtype(rows["ocid"])
