"""`build`: notices in the store → buyers resolved → classified → fact tables (+ measures when available).

Tables written (docs/ARCHITECTURE.md): notice_facts (one row per release), procurement_facts (one row per
ocid), unmatched_buyers, build_info; then `svdash.measures.build_aggregates(con)` when it exists.
Every table is replaced as a whole inside one transaction, so building twice gives the same tables.
"""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from svdash import store
from svdash.buyers import resolve_buyers
from svdash.classify import classify, load_rules
from svdash.paths import NOTICES_DIR

FACT_COLUMNS = ["release_key", "ocid", "release_id", "date", "quarter", "year", "buyer_name", "buyer_gss_code",
                "buyer_kind", "buyer_name_canonical", "match_method", "match_confidence", "sv_status",
                "weighting_pct", "themes", "evidence", "criteria_visible", "title", "notice_url", "source",
                "rules_version"]


def notice_facts(notices: pd.DataFrame) -> pd.DataFrame:
    """The notice frame → notice_facts rows (pure; used by build and by the stateless classify command)."""
    buyers = resolve_buyers(notices)
    classes = classify(notices)
    facts = pd.concat([notices, buyers, classes], axis=1)
    date = facts["date"]
    if not pd.api.types.is_datetime64_any_dtype(date):  # a flat CSV: ISO strings with mixed offsets
        date = pd.to_datetime(date.replace("", None), errors="coerce", utc=True, format="mixed").dt.tz_localize(None)
    facts["date"] = date
    facts["year"] = date.dt.year.astype("Int64")
    facts["quarter"] = (date.dt.year.astype("Int64").astype("string") + "Q"
                        + date.dt.quarter.astype("Int64").astype("string")).fillna("")
    for col in FACT_COLUMNS:
        if col not in facts.columns:
            facts[col] = ""
    return facts[FACT_COLUMNS].reset_index(drop=True)


_RANK = {"applied": 2, "dismissed": 1, "none": 0}


def procurement_facts(facts: pd.DataFrame) -> pd.DataFrame:
    """One row per ocid: applied if any release applied, else dismissed if any dismissed, else none; largest
    stated weighting; earliest date; criteria visible if any; buyer of the latest release."""
    if facts.empty:
        return facts.drop(columns=["release_key", "release_id"]).assign(n_releases=pd.Series(dtype="int64"))
    f = facts.assign(_rank=facts["sv_status"].map(_RANK).fillna(0))
    order = f.sort_values(["ocid", "date", "release_key"], na_position="first", kind="stable")
    latest = order.groupby("ocid", sort=True).tail(1).set_index("ocid")
    best = f.sort_values(["ocid", "_rank", "date", "release_key"], ascending=[True, False, True, True],
                         na_position="last", kind="stable").groupby("ocid").head(1).set_index("ocid")
    g = f.groupby("ocid", sort=True)
    out = pd.DataFrame(index=latest.index)
    out["date"] = g["date"].min()
    out["quarter"] = (out["date"].dt.year.astype("Int64").astype("string") + "Q"
                      + out["date"].dt.quarter.astype("Int64").astype("string")).fillna("")
    out["year"] = out["date"].dt.year.astype("Int64")
    for col in ["buyer_name", "buyer_gss_code", "buyer_kind", "buyer_name_canonical", "match_method",
                "match_confidence", "title", "notice_url", "source"]:
        out[col] = latest[col]
    out["sv_status"] = best["sv_status"]
    out["evidence"] = best["evidence"]
    out["themes"] = best["themes"]
    out["weighting_pct"] = g["weighting_pct"].max()
    out["criteria_visible"] = g["criteria_visible"].any()
    out["rules_version"] = latest["rules_version"]
    out["n_releases"] = g.size()
    return out.reset_index()


def unmatched_buyers(facts: pd.DataFrame) -> pd.DataFrame:
    u = facts[facts["match_method"] == "unmatched"]
    out = u.groupby("buyer_name").size().rename("n_releases").reset_index()
    return out.sort_values(["n_releases", "buyer_name"], ascending=[False, True]).reset_index(drop=True)


def _replace(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
    # Table names are constants from this module, never user input; data goes in through a registered frame.
    con.register("_frame", frame)
    try:
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM _frame")
    finally:
        con.unregister("_frame")


def build(con: duckdb.DuckDBPyConnection) -> dict:
    """Resolve, classify and write the fact tables; then the measures when svdash.measures provides them."""
    notices = store.load_notices(con)
    facts = notice_facts(notices)
    procs = procurement_facts(facts)
    unmatched = unmatched_buyers(facts)
    try:
        from svdash import measures
    except ImportError:  # the measures step is delivered separately; the facts stand on their own
        measures = None
    measures_version = ""
    if measures is not None and hasattr(measures, "load_registry"):
        try:
            measures_version = measures.load_registry().version
        except Exception:  # noqa: BLE001 - a broken registry is reported by build_aggregates below
            measures_version = ""
    latest = facts["date"].max()
    info = pd.DataFrame([{
        "built_at": pd.Timestamp.now(tz="UTC").tz_localize(None).floor("s"),
        "rules_version": load_rules().version, "measures_version": measures_version,
        "n_releases": len(facts), "n_procurements": len(procs),
        "n_council_releases": int((facts["buyer_kind"] == "council").sum()),
        "n_unmatched_buyers": len(unmatched),
        "n_applied": int((facts["sv_status"] == "applied").sum()),
        "n_dismissed": int((facts["sv_status"] == "dismissed").sum()),
        "latest_date": "" if pd.isna(latest) else latest.strftime("%Y-%m-%d"),
        "synthetic": bool(notices["source"].astype(str).str.contains("synthetic", case=False).any())
        if len(notices) else False,
    }])
    con.execute("BEGIN TRANSACTION")
    try:
        _replace(con, "notice_facts", facts)
        _replace(con, "procurement_facts", procs)
        _replace(con, "unmatched_buyers", unmatched)
        _replace(con, "build_info", info)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    counts = {"notice_facts": len(facts), "procurement_facts": len(procs), "unmatched_buyers": len(unmatched)}
    if measures is not None and hasattr(measures, "build_aggregates"):
        counts.update(measures.build_aggregates(con))
    return counts


def snapshot_files(notices_dir: Path = NOTICES_DIR) -> list[Path]:
    return sorted(p for p in Path(notices_dir).rglob("*.json") if p.is_file())


def ensure_store(db_path: str | Path, notices_dir: Path = NOTICES_DIR) -> bool:
    """Create the store from the embedded snapshot and build it when the file is missing. True if created."""
    path = Path(db_path)
    if path.exists():
        return False
    from svdash.sources.files import import_file

    tmp = path.with_name(path.name + ".building")
    if tmp.exists():
        tmp.unlink()
    con = store.open_store(tmp)
    try:
        for f in snapshot_files(notices_dir):
            import_file(con, f)
        build(con)
    finally:
        con.close()
    tmp.replace(path)  # atomic: a half-built store never sits at the real path
    return True


def build_summary(counts: dict) -> str:
    return json.dumps({k: (int(v) if isinstance(v, (int, np.integer)) else v) for k, v in counts.items()})
