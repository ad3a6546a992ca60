"""A CONSTRUCTED DuckDB store in the shape of docs/ARCHITECTURE.md, for dashboard tests.

Every number here is made up by a seeded generator (not real notices, not a real council's record); it only
gives the pages something of the right shape with known values. Real councils' codes and names are used so
the maps and profiles join to the embedded reference layer. The headline measure (evidence of adoption) is
computed by the real code (svdash.measures) from the embedded adoption records plus CONSTRUCTED practice: one
made-up applied procurement for each council in PRACTICE_COUNCILS, so every category is exercised.

`thin=True` builds the other case: a store whose notice measures have no council-level data anywhere (regions
and groups do) and no record-based measures, as an older or notice-only store would be.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from svdash import adoption, geo, measures
from svdash.filters import measure_registry
from svdash.stats import wilson_interval

YEARS = range(2019, 2026)
NOTICE_COUNCIL = "E07000008"  # Cambridge: has constructed notices (one applied, one dismissed, one none)
HOSTILE_EVIDENCE = "<script>alert('x')</script> Social value is **not** [relevant](javascript:alert(1)) here."
# CONSTRUCTED practice (one made-up applied procurement each): Cambridge and Sheffield have no adoption record
# (practice only), Birmingham and Knowsley have one (both); the rest are a seeded draw.
PRACTICE_COUNCILS = ("E07000008", "E08000019", "E08000025", "E08000011")


def _cells(rng, level: str, code: str, name: str, scale: int) -> list[dict]:
    rows = []
    periods = [("all", "all")] + [("year", str(y)) for y in YEARS] + \
        [("quarter", f"{y}Q{q}") for y in YEARS for q in (1, 2, 3, 4)]
    for m in measure_registry():
        if m["unit"] == "category":  # computed by the real code (constructed_evidence)
            continue
        for ptype, period in periods:
            if m["basis"] == "records" and ptype != "all":
                continue
            n_all = int(rng.integers(0, 4 * scale + 1)) * (20 if ptype == "all" else 1)
            den = int(rng.integers(0, n_all + 1)) if n_all else 0
            num = int(rng.integers(0, den + 1)) if den else 0
            if m["unit"] == "pct":
                value = float(rng.uniform(5, 20)) if den else np.nan
                lo, hi = np.nan, np.nan
            elif m["unit"] == "quarter":
                value = 2019.0 + float(rng.integers(0, 24)) / 4 if den else np.nan
                lo, hi = np.nan, np.nan
            else:
                value = num / den if den else np.nan
                lo, hi = (float(x[0]) for x in wilson_interval([num], [den]))
            rows.append({"level": level, "unit_code": code, "unit_name": name, "period_type": ptype,
                         "period": period, "measure_id": m["id"], "numerator": num, "denominator": den,
                         "value": value, "ci_low": lo, "ci_high": hi, "low_n": den < m["min_n"],
                         "n_notices_all": n_all})
    return rows


def constructed_measure_values(seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows: list[dict] = []
    for c in geo.load_councils().itertuples():
        rows += _cells(rng, "council", c.gss_code, c.name, 3)
    for u in geo.load_utlas().itertuples():
        rows += _cells(rng, "upper_tier", u.utla_code, u.utla_name, 5)
    lads = geo.load_lads()
    for code, name in lads[["region_code", "region_name"]].drop_duplicates().itertuples(index=False):
        rows += _cells(rng, "region", code, name, 30)
    for g in geo.GROUP_ORDER:
        rows += _cells(rng, "comparison_group", g, g, 60)
    for t in geo.COUNCIL_TYPES:
        rows += _cells(rng, "council_type", t, t, 40)
    rows += _cells(rng, "england", "E92000001", "England", 150)
    return pd.DataFrame(rows)


def constructed_evidence(seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the headline measure's measure_values rows, adoption_summary), computed by svdash.measures from the
    embedded adoption records and CONSTRUCTED practice: one applied procurement for each PRACTICE_COUNCILS
    council and for a seeded draw of 25 others."""
    councils = geo.load_councils()
    rng = np.random.default_rng(seed)
    drawn = rng.choice(councils["gss_code"].to_numpy(), size=25, replace=False).tolist()
    codes = list(dict.fromkeys([*PRACTICE_COUNCILS, *drawn]))
    facts = pd.DataFrame({"ocid": [f"ocds-constructed-practice-{i}" for i in range(len(codes))],
                          "quarter": "2025Q2", "buyer_gss_code": codes, "buyer_kind": "council",
                          "sv_status": "applied", "weighting_pct": 10.0, "criteria_visible": True})
    registry = measures.load_registry()
    headline = measures.Registry(registry.version, registry.caveats,
                                 [m for m in registry.measures if m.unit == "category"])
    values, summary = measures.compute_measure_values(facts, adoption.load_embedded(), councils, headline)
    return values, summary


def thin_measure_values(seed: int = 11) -> pd.DataFrame:
    """Notice measures only, with nothing per council or upper tier (denominator 0, no value), and the
    constructed values per region, group, council type and England: a store where the council map would be
    empty and the pages must open on the pooled view."""
    mv = constructed_measure_values(seed)
    notices = {m["id"] for m in measure_registry() if m["basis"] == "notices"}
    mv = mv[mv["measure_id"].isin(notices)].copy()
    single = mv["level"].isin(["council", "upper_tier"])
    mv.loc[single, ["numerator", "denominator", "value", "ci_low", "ci_high", "n_notices_all"]] = \
        [0, 0, np.nan, np.nan, np.nan, 0]
    mv.loc[single, "low_n"] = True
    return mv.reset_index(drop=True)


def constructed_notice_facts() -> pd.DataFrame:
    base = {"buyer_kind": "council", "buyer_gss_code": NOTICE_COUNCIL, "buyer_name": "Cambridge City Council",
            "buyer_name_canonical": "Cambridge", "match_method": "name", "match_confidence": 1.0,
            "rules_version": "constructed", "source": "constructed-fixture", "release_id": "1"}
    rows = [
        {**base, "ocid": "ocds-constructed-1", "date": "2024-05-01", "sv_status": "applied", "weighting_pct": 10.0,
         "themes": "social", "evidence": "Social value will be 10% of the evaluation.", "criteria_visible": True,
         "title": "Constructed: grounds maintenance", "notice_url": "https://www.contractsfinder.service.gov.uk/Notice/constructed-1"},
        {**base, "ocid": "ocds-constructed-2", "date": "2023-02-01", "sv_status": "dismissed", "weighting_pct": np.nan,
         "themes": "", "evidence": HOSTILE_EVIDENCE, "criteria_visible": True,
         "title": "Constructed: <b>IT support</b>", "notice_url": ""},
        {**base, "ocid": "ocds-constructed-3", "date": "2022-09-01", "sv_status": "none", "weighting_pct": np.nan,
         "themes": "", "evidence": "", "criteria_visible": False, "title": "Constructed: office cleaning",
         "notice_url": ""},
        {**base, "ocid": "ocds-constructed-4", "date": "2025-03-01", "sv_status": "none", "weighting_pct": np.nan,
         "themes": "", "evidence": "", "criteria_visible": False, "title": "Constructed: NHS supplies",
         "notice_url": "", "buyer_kind": "other", "buyer_gss_code": "", "buyer_name": "Constructed NHS Trust"},
    ]
    # the same procurement published three times (tender, update, award): one row, "3 notices", on the profile
    first = rows[0]
    rows += [{**first, "release_id": "2", "date": "2024-06-01", "sv_status": "none", "weighting_pct": np.nan,
              "evidence": "", "themes": "", "title": "Constructed: grounds maintenance (update)"},
             {**first, "release_id": "3", "date": "2024-09-01", "sv_status": "none", "weighting_pct": np.nan,
              "evidence": "", "themes": "", "title": "Constructed: grounds maintenance (award)"}]
    df = pd.DataFrame(rows)
    df["date"] = pd.to_datetime(df["date"])
    df["release_key"] = df["ocid"] + "/" + df["release_id"]
    df["quarter"] = df["date"].dt.year.astype(str) + "Q" + df["date"].dt.quarter.astype(str)
    df["year"] = df["date"].dt.year
    return df


def build_constructed_store(path: Path, synthetic: bool = False, thin: bool = False,
                            measure_values: pd.DataFrame | None = None) -> Path:
    """The store file; `thin` for the notice-only store, `measure_values` to supply the table outright."""
    if measure_values is not None:
        mv, summary = measure_values, None
    elif thin:
        mv, summary = thin_measure_values(), None
    else:
        evidence, summary = constructed_evidence()
        mv = pd.concat([constructed_measure_values().assign(category=""), evidence], ignore_index=True)
    nf = constructed_notice_facts()
    # one row per ocid, the release that decided its status (here each procurement's first release)
    pf = nf.drop_duplicates("ocid").drop(columns=["release_key", "release_id"])
    info = pd.DataFrame([{"built_at": pd.Timestamp("2026-11-27 10:00"), "rules_version": "constructed",
                          "measures_version": "constructed", "n_releases": len(nf), "n_procurements": len(pf),
                          "latest_date": "2025-03-01", "synthetic": synthetic}])
    tables = {"measure_values": mv, "notice_facts": nf, "procurement_facts": pf, "build_info": info}
    if summary is not None:
        tables["adoption_summary"] = summary
    con = duckdb.connect(str(path))
    try:
        for name, frame in tables.items():
            con.register("frame", frame)
            con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM frame")
            con.unregister("frame")
    finally:
        con.close()
    return path
