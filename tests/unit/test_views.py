"""Dashboard frames: measure table, escaping of notice text, synthetic detection, peers (constructed data)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from svdash import views
from svdash.filters import Filters, measure_def
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


# ------------------------------------------------------------------------- defaults, pooled units, procurements

def test_data_summary_and_default_prefer_the_headline_then_fall_back_to_pooled(tables, tmp_path):
    summary = views.data_summary(tables["measure_values"])
    assert views.choose_default(summary) == ("adoption_evidence", "lower")
    assert views.units_with_data(summary, "adoption_evidence", "council") > 0
    assert views.choose_default(summary, basis=("notices",))[1] in ("lower", "region")
    thin = views.read_store(build_constructed_store(tmp_path / "thin.duckdb", thin=True), facts=False)
    tsum = views.data_summary(thin["measure_values"])
    assert not views.has_enough(tsum, "sv_applied_share", "lower")
    assert views.has_enough(tsum, "sv_applied_share_all", "region")
    measure, geography = views.choose_default(tsum)
    assert geography == "region" and views.has_enough(tsum, measure, "region")


def test_pooled_units_are_regions_and_groups_and_only_their_own_filter_applies(tables):
    values = tables["measure_values"]
    regions = views.measure_table(Filters(measure="sv_applied_share_all", geography="region", group="rural"),
                                  values)
    assert len(regions) == 9 and regions["gss_code"].str.startswith("E12").all()  # the group filter is ignored
    assert regions["rank_in_group"].dropna().max() <= 9  # ranked against each other
    one = views.measure_table(Filters(measure="sv_applied_share_all", geography="region", region="London"), values)
    assert one["name"].tolist() == ["London"]
    groups = views.measure_table(Filters(measure="sv_applied_share_all", geography="group"), values)
    assert sorted(groups["gss_code"]) == ["metropolitan", "other urban", "rural"]
    spread = views.pooled_on_councils(groups, "group", views.map_units("lower"))
    assert len(spread) == 296 and spread["name"].str.contains("comparison group, pooled").all()
    metro = groups.set_index("gss_code").loc["metropolitan", "value"]
    assert spread.loc[spread["comparison_group"].eq("metropolitan"), "value"].eq(metro).all()


def test_measure_kind_fits_legends_and_cards():
    assert views.measure_kind(measure_def("adoption_evidence"), "council") == "category"
    assert views.measure_kind(measure_def("adoption_evidence"), "region") == "share"
    assert views.measure_kind(measure_def("adoption_recorded_share"), "council") == "binary"
    assert views.measure_kind(measure_def("adoption_recorded_share"), "region") == "share"
    assert views.measure_kind(measure_def("sv_weighting_median"), "council") == "median"
    assert views.measure_kind(measure_def("sv_applied_share"), "council") == "share"


def test_category_table_carries_what_each_category_rests_on(tables):
    t = views.shown_table(Filters(), tables["measure_values"], tables.get("adoption_summary"))
    assert {"category", "record_status", "record_date", "n_applied"} <= set(t.columns)
    birmingham = t.set_index("gss_code").loc["E08000025"]
    assert birmingham["category"] == "both" and birmingham["record_status"] and birmingham["n_applied"] >= 0
    counts = views.category_counts(t, measure_def("adoption_evidence")["categories"])
    assert counts["n"].sum() == len(t) == 296


def test_several_notices_of_one_procurement_are_one_row():
    notices = pd.DataFrame({  # CONSTRUCTED: a tender (applied, 15 %), its update and award; one other notice
        "ocid": ["o-1", "o-1", "o-1", "o-2"], "release_key": ["o-1/1", "o-1/2", "o-1/3", "o-2/1"],
        "date": pd.to_datetime(["2025-03-01", "2025-04-01", "2025-06-01", "2025-05-01"]),
        "title": ["Cleaning", "Cleaning (update)", "", "Catering"],
        "sv_status": ["applied", "none", "dismissed", "none"], "weighting_pct": [15.0, np.nan, np.nan, np.nan],
        "themes": ["social", "", "", ""], "evidence": ["Social value 15%", "", "not relevant", ""],
        "criteria_visible": [True, False, True, False],
        "notice_url": ["https://x/1", "", "https://x/3", ""]})
    procs = views.council_procurements(notices)
    assert procs["ocid"].tolist() == ["o-1", "o-2"]  # newest last notice first
    one = procs.iloc[0]
    assert one["notices_label"] == "3 notices" and one["n_notices"] == 3
    assert one["sv_status"] == "applied" and one["evidence"] == "Social value 15%" and one["weighting_pct"] == 15
    assert one["title"] == "Cleaning (update)" and one["notice_url"] == "https://x/3"  # latest non-blank
    assert one["date"] == pd.Timestamp("2025-03-01") and bool(one["criteria_visible"])
    assert procs.iloc[1]["notices_label"] == "1 notice" and pd.isna(procs.iloc[1]["weighting_pct"])
    assert views.council_procurements(notices.iloc[0:0]).empty


@pytest.mark.parametrize("flt", [Filters(region="London"), Filters(group="rural", council_type="unitary authority"),
                                 Filters(measure="sv_applied_share_all", region="North West", group="metropolitan"),
                                 Filters(measure="sv_applied_share_all", geography="region", region="London"),
                                 Filters(measure="sv_dismissed_share", geography="upper", period_type="year",
                                         period="2023", group="rural")])
def test_restricting_the_unfiltered_table_equals_filtering_first(tables, flt):
    # the dashboard caches one table per view and narrows it on each filter change: same rows, same ranks
    values, summary = tables["measure_values"], tables.get("adoption_summary")
    direct = views.shown_table(flt, values, summary)
    narrowed = views.restrict(views.shown_table(views.unfiltered(flt), values, summary), flt)
    pd.testing.assert_frame_equal(narrowed.reset_index(drop=True), direct.reset_index(drop=True))
