"""Aggregation on a small CONSTRUCTED fixture with hand-worked numbers, an oracle check against slow
pandas on a SYNTHETIC frame, and the DuckDB round trip (measure_values in the contract's columns)."""
import duckdb
import numpy as np
import pandas as pd
import pytest

from svdash import adoption, geo, measures
from svdash.stats import wilson_interval

OXFORD, CHERWELL, OXON, BRISTOL = "E07000178", "E07000177", "E10000025", "E06000023"
NaN = float("nan")

# CONSTRUCTED procurement_facts (one row per ocid). Oxford and Cherwell are districts of Oxfordshire
# (county, upper tier); Bristol is a unitary (both tiers). x1 is a non-council buyer and never counts.
FACTS = pd.DataFrame([
    # ocid, quarter, buyer, kind, status, weighting, criteria_visible
    ("o1", "2024Q1", OXFORD, "council", "applied", 10.0, True),
    ("o2", "2024Q1", OXFORD, "council", "none", NaN, True),
    ("o3", "2024Q2", OXFORD, "council", "dismissed", NaN, True),
    ("o4", "2024Q2", OXFORD, "council", "none", NaN, False),
    ("c1", "2024Q2", OXON, "council", "applied", 20.0, True),
    ("c2", "2024Q2", OXON, "council", "applied", NaN, False),
    ("b1", "2023Q4", BRISTOL, "council", "applied", 5.0, True),
    ("b2", "2024Q1", BRISTOL, "council", "none", NaN, True),
    ("x1", "2024Q1", "", "other", "applied", 50.0, True),
], columns=["ocid", "quarter", "buyer_gss_code", "buyer_kind", "sv_status", "weighting_pct", "criteria_visible"])

# CONSTRUCTED records: Oxford adopted; Bristol's selected record is `developing` (not the undated none_found);
# Oxfordshire (the county itself) developing.
RECORDS = adoption.to_schema(pd.DataFrame([
    {"gss_code": OXFORD, "council_name": "Oxford City Council", "status": "policy_adopted", "adopted_date": "2019-03-13", "source_url": "https://a"},
    {"gss_code": BRISTOL, "council_name": "Bristol City Council", "status": "developing", "adopted_date": "2015-10", "source_url": "https://b"},
    {"gss_code": BRISTOL, "council_name": "Bristol City Council", "status": "none_found", "adopted_date": "", "source_url": "https://c"},
    {"gss_code": OXON, "council_name": "Oxfordshire County Council", "status": "developing", "adopted_date": "", "source_url": "https://d"},
]))


@pytest.fixture(scope="module")
def values():
    mv, summary = measures.compute_measure_values(FACTS, RECORDS, geo.load_councils())
    return mv.set_index(["level", "unit_code", "period", "measure_id"]).sort_index(), summary


def get(values, level, unit, period, mid):
    return values[0].loc[(level, unit, period, mid)]


def frac(row):
    return (row["numerator"], row["denominator"])


def test_council_level_by_hand(values):
    # Oxford, all time: 4 procurements, 3 with criteria (o1-o3), 1 applied among them (o1) → 1/3;
    # of all notices 1/4; dismissed o3 → 1/3; weights [10] → median 10, ≥10 %: 1/1;
    # first applied quarter 2024Q1 (= 2024.0) where 1 of its 2 procurements applied.
    assert frac(get(values, "council", OXFORD, "all", "sv_applied_share")) == (1, 3)
    assert frac(get(values, "council", OXFORD, "all", "sv_applied_share_all")) == (1, 4)
    assert frac(get(values, "council", OXFORD, "all", "sv_dismissed_share")) == (1, 3)
    assert get(values, "council", OXFORD, "all", "sv_weighting_median")["value"] == 10
    assert frac(get(values, "council", OXFORD, "all", "sv_weighting_10plus_share")) == (1, 1)
    first = get(values, "council", OXFORD, "all", "sv_first_applied_quarter")
    assert (first["value"], first["numerator"], first["denominator"]) == (2024.0, 1, 2)
    assert measures.quarter_label(first["value"]) == "2024Q1"
    # Oxford 2024Q2: o3 (dismissed, visible), o4 (none, hidden) → applied 0/1, dismissed 1/1
    assert frac(get(values, "council", OXFORD, "2024Q2", "sv_applied_share")) == (0, 1)
    assert frac(get(values, "council", OXFORD, "2024Q2", "sv_dismissed_share")) == (1, 1)
    # Cherwell has no procurements: listed with 0/0, no value, flagged low_n (not hidden)
    row = get(values, "council", CHERWELL, "all", "sv_applied_share")
    assert frac(row) == (0, 0) and np.isnan(row["value"]) and row["low_n"] and row["n_notices_all"] == 0
    # Bristol quarter 2023Q4 (b1 only) → 1/1; Bristol 2023Q4 first applied → 2023.75
    assert frac(get(values, "council", BRISTOL, "2023Q4", "sv_applied_share")) == (1, 1)
    assert get(values, "council", BRISTOL, "all", "sv_first_applied_quarter")["value"] == 2023.75


def test_upper_tier_counts_districts_toward_their_county(values):
    # Oxfordshire upper tier = county (c1, c2) + Oxford (o1-o4) + Cherwell (none): 6 procurements,
    # visible o1 o2 o3 c1 = 4, applied among them o1 c1 = 2 → 2/4; all notices: o1 c1 c2 = 3/6;
    # weights [10, 20] → median 15; both ≥ 10 → 2/2. The council row for the county counts only c1, c2.
    assert frac(get(values, "upper_tier", OXON, "all", "sv_applied_share")) == (2, 4)
    assert frac(get(values, "upper_tier", OXON, "all", "sv_applied_share_all")) == (3, 6)
    assert get(values, "upper_tier", OXON, "all", "sv_weighting_median")["value"] == 15
    assert frac(get(values, "upper_tier", OXON, "all", "sv_weighting_10plus_share")) == (2, 2)
    assert frac(get(values, "council", OXON, "all", "sv_applied_share_all")) == (2, 2)
    # a unitary is its own upper tier: Bristol b1 applied, b2 none, both visible → 1/2
    assert frac(get(values, "upper_tier", BRISTOL, "all", "sv_applied_share")) == (1, 2)
    # 2024 (year): Oxfordshire tier has o1..o4, c1, c2 (all 2024) → same 2/4
    assert frac(get(values, "upper_tier", OXON, "2024", "sv_applied_share")) == (2, 4)


def test_groups_and_england_by_hand(values):
    # England, all time: 8 council procurements (x1 is not a council), visible 6 (o1 o2 o3 c1 b1 b2),
    # applied among them 3 (o1 c1 b1) → 3/6 = 0.5; all notices 4/8; dismissed 1/6;
    # weights [5, 10, 20] → median 10; ≥10 %: 2/3; first applied 2023Q4 (b1: 1 of 1).
    row = get(values, "england", "E92000001", "all", "sv_applied_share")
    lo, hi = wilson_interval(3, 6)
    assert frac(row) == (3, 6) and row["value"] == 0.5 and np.isclose(row["ci_low"], lo) and np.isclose(row["ci_high"], hi)
    assert row["low_n"] and row["n_notices_all"] == 8  # 6 < min_n 10: flagged, still shown
    assert frac(get(values, "england", "E92000001", "all", "sv_applied_share_all")) == (4, 8)
    assert frac(get(values, "england", "E92000001", "all", "sv_dismissed_share")) == (1, 6)
    assert get(values, "england", "E92000001", "all", "sv_weighting_median")["value"] == 10
    assert frac(get(values, "england", "E92000001", "all", "sv_weighting_10plus_share")) == (2, 3)
    assert get(values, "england", "E92000001", "all", "sv_first_applied_quarter")["value"] == 2023.75
    # 2024Q1 England: o1 o2 b2 visible, o1 applied → 1/3
    assert frac(get(values, "england", "E92000001", "2024Q1", "sv_applied_share")) == (1, 3)
    # South East (Oxford + Oxfordshire) = 2/4; South West (Bristol) = 1/2
    assert frac(get(values, "region", "E12000008", "all", "sv_applied_share")) == (2, 4)
    assert frac(get(values, "region", "E12000009", "all", "sv_applied_share")) == (1, 2)
    # council types: the district (Oxford) 1/3, the county 1/1 (c1), the unitary 1/2
    assert frac(get(values, "council_type", "non-metropolitan district", "all", "sv_applied_share")) == (1, 3)
    assert frac(get(values, "council_type", "county", "all", "sv_applied_share")) == (1, 1)
    # comparison groups: Oxford and Bristol are "other urban" (3 + 2 visible... o1 o2 o3 b1 b2 = 5, applied 2);
    # Oxfordshire county is "rural" (c1 visible, applied)
    assert frac(get(values, "comparison_group", "other urban", "all", "sv_applied_share")) == (2, 5)
    assert frac(get(values, "comparison_group", "rural", "all", "sv_applied_share")) == (1, 1)


def test_record_based_measures_by_hand(values):
    mv, summary = values
    # adopted: only Oxford's selected record → England 1 of all 317 councils
    row = get(values, "england", "E92000001", "all", "adoption_recorded_share")
    assert frac(row) == (1, 317)
    assert frac(get(values, "council", OXFORD, "all", "adoption_recorded_share")) == (1, 1)
    assert frac(get(values, "council", BRISTOL, "all", "adoption_recorded_share")) == (0, 1)
    # an upper tier uses the upper-tier council's own record (the county: developing), not its districts'
    assert frac(get(values, "upper_tier", OXON, "all", "adoption_recorded_share")) == (0, 1)
    # practice vs policy: Oxford adopted and applied (o1) → 1/1; England 1/1; Bristol not adopted → 0/0
    assert frac(get(values, "england", "E92000001", "all", "practice_vs_policy")) == (1, 1)
    pvp = get(values, "council", BRISTOL, "all", "practice_vs_policy")
    assert frac(pvp) == (0, 0) and pvp["low_n"]
    assert not get(values, "council", OXFORD, "all", "practice_vs_policy")["low_n"]
    # record measures exist for `all` only
    assert set(mv.loc[mv.index.get_level_values("measure_id") == "adoption_recorded_share"].index.get_level_values("period")) == {"all"}
    assert dict(zip(summary["gss_code"], summary["status"])) == {OXFORD: "policy_adopted", BRISTOL: "developing", OXON: "developing"}


def test_every_unit_and_period_is_listed(values):
    mv = values[0].reset_index()
    q = mv[(mv["measure_id"] == "sv_applied_share") & (mv["period_type"] == "quarter")]
    assert sorted(q["period"].unique()) == ["2023Q4", "2024Q1", "2024Q2"]
    assert q[q["level"] == "council"]["unit_code"].nunique() == 317
    assert q[q["level"] == "upper_tier"]["unit_code"].nunique() == 153
    assert set(mv["level"]) == set(measures.LEVELS)


def test_oracle_against_slow_pandas():
    """SYNTHETIC facts (seeded random, not real data): shares and medians recomputed row by row."""
    rng = np.random.default_rng(7)
    councils = geo.load_councils()
    n = 3000
    status = rng.choice(["applied", "dismissed", "none"], n, p=[0.2, 0.1, 0.7])
    facts = pd.DataFrame({
        "ocid": [f"synthetic-{i}" for i in range(n)],
        "date": pd.Timestamp("2021-01-01") + pd.to_timedelta(rng.integers(0, 1400, n), unit="D"),
        "buyer_gss_code": rng.choice(councils["gss_code"].to_numpy()[:60], n),
        "buyer_kind": "council", "sv_status": status,
        "weighting_pct": np.where(rng.random(n) < 0.5, rng.choice([5.0, 10.0, 12.5, 20.0], n), np.nan),
        "criteria_visible": rng.random(n) < 0.4,
    })
    mv, _ = measures.compute_measure_values(facts, RECORDS, councils)
    mv = mv.set_index(["level", "unit_code", "period", "measure_id"])
    info = councils.set_index("gss_code")
    shares, medians = {}, {}
    for r in facts.itertuples():
        region = info.at[r.buyer_gss_code, "region_code"]
        utla = info.at[r.buyer_gss_code, "utla_code"]
        key = (region, str(r.date.year))
        k, d = shares.get(key, (0, 0))
        if r.criteria_visible:
            shares[key] = (k + (r.sv_status == "applied"), d + 1)
        if r.sv_status == "applied" and not np.isnan(r.weighting_pct):
            medians.setdefault(utla, []).append(r.weighting_pct)
    for (region, year), (k, d) in shares.items():
        row = mv.loc[("region", region, year, "sv_applied_share")]
        assert (row["numerator"], row["denominator"]) == (k, d)
    for utla, ws in medians.items():
        assert mv.loc[("upper_tier", utla, "all", "sv_weighting_median"), "value"] == pd.Series(ws).median()


def test_build_aggregates_writes_the_contract_tables():
    con = duckdb.connect()
    con.register("f", FACTS)
    con.execute("CREATE TABLE procurement_facts AS SELECT * FROM f")
    con.unregister("f")
    counts = measures.build_aggregates(con)
    mv = con.execute("SELECT * FROM measure_values").df()
    assert list(mv.columns) == measures.VALUE_COLUMNS
    assert counts["procurements"] == 9
    # the store read (council rows, the columns prepare_facts needs) gives what the pure core gives on all facts
    want, _ = measures.compute_measure_values(FACTS, measures.read_adoption_records(con), geo.load_councils())
    keys = ["level", "unit_code", "period_type", "period", "measure_id"]
    pd.testing.assert_frame_equal(mv.sort_values(keys).reset_index(drop=True),
                                  want.sort_values(keys).reset_index(drop=True), check_dtype=False)
    row = mv[(mv.level == "england") & (mv.period == "all") & (mv.measure_id == "sv_applied_share")].iloc[0]
    assert (row["numerator"], row["denominator"]) == (3, 6)
    # no adoption_records table yet → created from the embedded, cited records
    n_rec = con.execute("SELECT count(*) FROM adoption_records").fetchall()[0][0]
    assert n_rec == len(adoption.load_embedded())
    summary = con.execute("SELECT * FROM adoption_summary").df()
    assert {"gss_code", "status", "adopted_date", "weighting_pct", "uses_toms", "source_url", "n_records"} <= set(summary.columns)
