"""Read the precomputed store tables and shape them for the dashboard and export (pure pandas after the read).

The dashboard only filters precomputed aggregates (`measure_values`), so no SQL is written here: tables are
read through DuckDB's relational API, read-only (filters are expression objects with constant values, never
SQL text), and everything else is DataFrame → DataFrame. The per-notice tables (notice_facts,
procurement_facts: a million rows at full scale) are not read at start; `store_summary` counts them once and
a council's notices or the status counts are read on demand.
"""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from svdash import adoption, geo
from svdash.filters import (LEVEL_FOR_GEOGRAPHY, Filters, category_ids, measure_def, measure_registry,
                            select_councils)

STORE_TABLES = ("build_info", "measure_values", "notice_facts", "procurement_facts", "adoption_records",
                "adoption_summary", "unmatched_buyers")
FACT_TABLES = ("notice_facts", "procurement_facts")
SYNTHETIC_OCID_PREFIX = "ocds-synthetic-"
NOTICE_COLUMNS = ["date", "title", "sv_status", "weighting_pct", "themes", "evidence", "criteria_visible",
                  "notice_url", "ocid", "release_key", "buyer_name", "buyer_gss_code", "release_id"]
# Find a Tender: ocid prefix and notice id (every embedded Find a Tender notice URL is this + the release id)
FTS_OCID_PREFIX = "ocds-h6vhtk-"
FTS_NOTICE_URL = "https://www.find-tender.service.gov.uk/Notice/{}"
_FTS_NOTICE_ID = re.compile(r"^\d{6}-\d{4}$")
STATUS_LABELS = {
    "applied": "Social value applied",
    "dismissed": "Social value dismissed",
    "none": "No social value evidence in the published notice",
}
EMPTY_MEASURE_VALUES = pd.DataFrame({c: pd.Series(dtype=t) for c, t in {
    "level": "object", "unit_code": "object", "unit_name": "object", "period_type": "object", "period": "object",
    "measure_id": "object", "numerator": "float64", "denominator": "float64", "value": "float64",
    "ci_low": "float64", "ci_high": "float64", "low_n": "bool", "n_notices_all": "float64",
    "category": "object"}.items()})
# Fewer councils than this with a solid value (n ≥ min_n; for a category measure: any evidence) is "too little
# council-level data": the page says so and offers the pooled view by region or comparison group.
MIN_UNITS_WITH_DATA = 5


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<:$])")


def md_escape(text: object) -> str:
    """Notice text made inert for st.markdown: every markdown/HTML special character backslash-escaped,
    so a notice can never inject a link, image, heading or markup. Newlines become spaces."""
    s = "" if text is None or (isinstance(text, float) and np.isnan(text)) else str(text)
    s = s.replace("&", "&amp;").replace("\r", " ").replace("\n", " ")
    return _MD_SPECIAL.sub(r"\\\1", s)


class StoreReadError(RuntimeError):
    """The store file cannot be opened or lacks the tables the dashboard needs."""


def open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection, or StoreReadError (no file; locked by a writer; not a store)."""
    if not path.is_file():
        raise StoreReadError(f"{path}: no store file")
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise StoreReadError(f"{path}: cannot open ({exc.__class__.__name__}: {str(exc).splitlines()[0]})") from exc


def _frame(rel: duckdb.DuckDBPyRelation) -> pd.DataFrame:
    """A relation as a DataFrame via Arrow: the same frame as `.df()` (compared table by table on the embedded
    and a 1 M-notice store) in a fifth of the time, since pandas' string columns are Arrow-backed and need no
    copy through Python objects (measure_values at 1 M notices: ≈180 → ≈35 ms, off the first page view)."""
    return rel.to_arrow_table().to_pandas(date_as_object=False)


def _col(name: str) -> duckdb.Expression:
    return duckdb.ColumnExpression(name)


def _const(value: object) -> duckdb.Expression:
    return duckdb.ConstantExpression(value)


def _summary(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row of counts over the per-notice tables (read in DuckDB; the tables themselves stay there)."""
    out = {"n_notices": 0, "n_council_notices": 0, "n_procurements": 0, "n_synthetic": 0, "latest_date": ""}
    try:
        nf = con.table("notice_facts")
        council = duckdb.CaseExpression(_col("buyer_kind") == _const("council"), _const(1)).otherwise(_const(0))
        synthetic = duckdb.CaseExpression(
            duckdb.FunctionExpression("starts_with", _col("ocid"), _const(SYNTHETIC_OCID_PREFIX)),
            _const(1)).otherwise(_const(0))
        row = nf.aggregate([duckdb.FunctionExpression("count_star").alias("n"),
                            duckdb.FunctionExpression("sum", council).alias("c"),
                            duckdb.FunctionExpression("sum", synthetic).alias("s"),
                            duckdb.FunctionExpression("max", _col("date")).alias("d")]).fetchall()[0]
        out.update(n_notices=int(row[0]), n_council_notices=int(row[1] or 0), n_synthetic=int(row[2] or 0),
                   latest_date="" if row[3] is None else str(row[3])[:10])
    except duckdb.CatalogException:
        pass
    try:
        out["n_procurements"] = int(con.table("procurement_facts").aggregate(
            [duckdb.FunctionExpression("count_star")]).fetchall()[0][0])
    except duckdb.CatalogException:
        pass
    return pd.DataFrame([out])


def read_store(db_path: str | Path, facts: bool = True) -> dict[str, pd.DataFrame]:
    """Every dashboard table present in the store, as DataFrames (missing tables are simply absent), plus
    `store_summary` (counts of the per-notice tables). `facts=False` leaves notice_facts and procurement_facts
    in the store (the dashboard: read on demand with `read_council_notices` / `read_status_counts`)."""
    path = Path(db_path)
    con = open_read_only(path)
    out: dict[str, pd.DataFrame] = {}
    try:
        for name in STORE_TABLES:
            if not facts and name in FACT_TABLES:
                continue
            try:
                out[name] = _frame(con.table(name))
            except duckdb.CatalogException:
                continue
        out["store_summary"] = _summary(con)
    finally:
        con.close()
    if "measure_values" not in out:
        raise StoreReadError(f"{path}: no measure_values table (run `python -m svdash build`)")
    return out


def read_council_notices(db_path: str | Path, gss_code: str) -> pd.DataFrame:
    """notice_facts rows of one council (the filter runs in DuckDB with the code as a constant)."""
    con = open_read_only(Path(db_path))
    try:
        rel = con.table("notice_facts")
        have = set(rel.columns)
        rows = rel.filter(_col("buyer_gss_code") == _const(str(gss_code)))
        return _frame(rows.project(*[_col(c) for c in NOTICE_COLUMNS if c in have]))
    except duckdb.CatalogException:
        return pd.DataFrame(columns=NOTICE_COLUMNS)
    finally:
        con.close()


def read_status_counts(db_path: str | Path, kind: str = "council") -> pd.DataFrame:
    """`status_counts` over the store's procurement_facts, reading only the three columns it needs."""
    con = open_read_only(Path(db_path))
    try:
        rel = con.table("procurement_facts")
        facts = _frame(rel.filter(_col("buyer_kind") == _const(kind)).project(
            _col("sv_status"), _col("criteria_visible"), _col("buyer_kind")))
    except duckdb.CatalogException:
        facts = None
    finally:
        con.close()
    return status_counts(facts, kind)


def build_facts(build_info: pd.DataFrame | None) -> dict[str, object]:
    """build_info as one dict (it has one row; later rows win)."""
    if build_info is None or build_info.empty:
        return {}
    return {k: v for k, v in build_info.iloc[-1].to_dict().items()}


def is_synthetic(tables: dict[str, pd.DataFrame]) -> bool:
    """True when the store was generated by `svdash synth` (build_info.synthetic, or synthetic sources)."""
    info = build_facts(tables.get("build_info"))
    flag = info.get("synthetic")
    if flag is not None and not (isinstance(flag, float) and np.isnan(flag)):
        if str(flag).strip().lower() in ("true", "1", "yes"):
            return True
    for key in ("source", "data_source", "note"):
        if "synthetic" in str(info.get(key, "")).lower():
            return True
    summary = tables.get("store_summary")
    if summary is not None and len(summary) and int(summary["n_synthetic"].iloc[0]) > 0:
        return True
    facts = tables.get("notice_facts")
    if facts is not None and len(facts):
        # svdash synth writes ocids "ocds-synthetic-…"; one is enough to label the whole view
        for col in ("ocid", "source"):
            if col in facts.columns and facts[col].astype(str).str.lower().str.contains("synthetic").any():
                return True
    return False


def map_units(geography: str) -> pd.DataFrame:
    """The units of a geography: gss_code, name, council_type, region_name, comparison_group. For the pooled
    geographies the units are the nine regions (gss_code = region code) or the three comparison groups
    (gss_code = the group, as in measure_values), with the attributes that do not apply left blank."""
    cols = ["gss_code", "name", "council_type", "region_name", "comparison_group"]
    if geography == "region":
        lads = geo.load_lads()
        regions = lads[["region_code", "region_name"]].drop_duplicates("region_code")
        regions = regions.set_index("region_name").reindex(geo.REGION_ORDER).reset_index()
        return pd.DataFrame({"gss_code": regions["region_code"], "name": regions["region_name"], "council_type": "",
                             "region_name": regions["region_name"], "comparison_group": ""})[cols]
    if geography == "group":
        return pd.DataFrame({"gss_code": list(geo.GROUP_ORDER), "name": [g.capitalize() for g in geo.GROUP_ORDER],
                             "council_type": "", "region_name": "", "comparison_group": list(geo.GROUP_ORDER)})[cols]
    if geography == "upper":
        u = geo.load_utlas()
        return pd.DataFrame({"gss_code": u["utla_code"], "name": u["utla_name"], "council_type": u["utla_type"],
                             "region_name": u["region_name"], "comparison_group": u["comparison_group"]})[cols]
    c = geo.load_councils()
    return c[c["tier"].isin(["lower", "both"])][cols].reset_index(drop=True)


def table_units(geography: str) -> pd.DataFrame:
    """The units of a table or download (Data page, `svdash export`): for councils (lower tier, hex) every council
    the headline counts — the lower tier and the county councils (317 in England) — with a `tier` column
    (lower / both / upper); otherwise `map_units`. The maps keep `map_units`: a county is an outline there."""
    if geography not in ("lower", "hex"):
        return map_units(geography)
    c = geo.load_councils()
    return c[["gss_code", "name", "council_type", "region_name", "comparison_group", "tier"]].reset_index(drop=True)


def all_councils() -> pd.DataFrame:
    """Every council a notice can belong to (LADs and counties), for profiles and notice tables."""
    return geo.load_councils()


def view_values(values: pd.DataFrame, measure: str, level: str, period_type: str, period: str) -> pd.DataFrame:
    """The rows a measure view reads: the measure at `level` (and, for a council view, at council level too,
    where county councils' own rows are) for one period, plus each council's count of procurements applying
    social value (sv_applied_share_all, council, all periods; `evidence_details` reads it). A few hundred rows
    of a table that has hundreds of thousands at a million notices, so everything after it is cheap."""
    levels = {level, "council"} if level in ("council", "upper_tier") else {level}
    keep = (values["measure_id"].eq(measure) & values["level"].isin(levels)
            & values["period_type"].eq(period_type) & values["period"].astype(str).eq(period))
    keep |= (values["measure_id"].eq("sv_applied_share_all") & values["level"].eq("council")
             & values["period_type"].eq("all"))
    return values[keep].reset_index(drop=True)


def measure_periods(values: pd.DataFrame) -> pd.DataFrame:
    """The distinct (measure_id, period_type, period) of measure_values: which periods each measure has."""
    return values[["measure_id", "period_type", "period"]].astype(str).drop_duplicates().reset_index(drop=True)


def periods(values: pd.DataFrame, period_type: str) -> list[str]:
    """The periods of a type present in measure_values, oldest first."""
    if period_type == "all":
        return ["all"]
    p = values.loc[values["period_type"].eq(period_type), "period"].dropna().astype(str).unique().tolist()
    return sorted(p)


def measure_table(flt: Filters, values: pd.DataFrame, units: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per unit passing the filters, with the measure's value for the period (NaN when none).

    Units without a value are kept (listed, not dropped). Adds `rank_in_group`: rank within the unit's
    comparison group among the shown units with a value that is not low n (1 = highest), so councils meet
    like-for-like peers; `group_size` is how many were ranked. Equal to `restrict(measure_table(flt without
    its region / type / group filters), flt)`, which is how the dashboard reuses one cached table per view.
    """
    units = map_units(flt.geography) if units is None else units
    shown = select_councils(flt, units)
    rows = values[values["measure_id"].eq(flt.measure) & values["level"].eq(flt.level)
                  & values["period_type"].eq(flt.period_type) & values["period"].astype(str).eq(flt.period)]
    rows = rows.drop_duplicates("unit_code", keep="last")
    keep = ["unit_code", "numerator", "denominator", "value", "ci_low", "ci_high", "low_n", "n_notices_all",
            "category"]
    rows = rows.reindex(columns=keep)
    out = shown.merge(rows, left_on="gss_code", right_on="unit_code", how="left").drop(columns="unit_code")
    out["low_n"] = out["low_n"].astype("boolean").fillna(True).astype(bool)  # no value: nothing to rely on
    for c in ("numerator", "denominator", "value", "ci_low", "ci_high", "n_notices_all"):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype("float64")
    out["category"] = out["category"].astype(object).where(out["category"].notna(), "").astype(str)
    out["measure_id"] = flt.measure
    out["period"] = flt.period
    return _ranked(out.sort_values("name", kind="stable").reset_index(drop=True), flt.pooled)


def _ranked(out: pd.DataFrame, pooled: bool) -> pd.DataFrame:
    # rank only values resting on enough procurements: a 1-of-1 share must not top a league table; pooled
    # units (regions, groups) are ranked against each other
    ranked = out["value"].where(~out["low_n"])
    within = pd.Series("all", index=out.index) if pooled else out["comparison_group"]
    out["rank_in_group"] = ranked.groupby(within).rank(ascending=False, method="min").astype("Int64")
    out["group_size"] = ranked.groupby(within).transform("count").astype("Int64")
    return out


def unfiltered(flt: Filters) -> Filters:
    """The same view without its region, council type and group filters (what `restrict` narrows down)."""
    return replace(flt, region="", council_type="", group="")


def restrict(table: pd.DataFrame, flt: Filters) -> pd.DataFrame:
    """A table of the unfiltered view (`shown_table(unfiltered(flt), …)`) narrowed to the filters, ranks
    recomputed among the units shown: the same frame as `shown_table(flt, …)`, from a few hundred rows."""
    out = select_councils(flt, table).reset_index(drop=True).copy()
    return _ranked(out, flt.pooled)


def shown_table(flt: Filters, values: pd.DataFrame, summary: pd.DataFrame | None = None,
                units: pd.DataFrame | None = None) -> pd.DataFrame:
    """`measure_table`, plus for a category measure per council what each category rests on
    (`evidence_details`). The Map, Compare, Data pages and `svdash export` all show this table."""
    table = measure_table(flt, values, units)
    try:
        category = measure_def(flt.measure).get("unit") == "category"
    except KeyError:
        category = False
    if category and not flt.pooled:
        table = evidence_details(table, values, summary)
    return table


def unit_matches(values: pd.DataFrame, level: str, key: str) -> pd.Series:
    """Rows of a level whose unit_code or unit_name is `key` (regions and groups may be keyed either way)."""
    lv = values["level"].eq(level)
    k = key.lower()
    return lv & (values["unit_code"].astype(str).str.lower().eq(k) | values["unit_name"].astype(str).str.lower().eq(k))


def series(values: pd.DataFrame, measure: str, level: str, keys: list[str], period_type: str) -> pd.DataFrame:
    """Time series of a measure for named units of one level: unit (the key as given), period, value, CI, n."""
    base = values[values["measure_id"].eq(measure) & values["period_type"].eq(period_type)]
    parts = []
    for key in keys:
        part = base[unit_matches(base, level, key)].assign(unit=key)
        parts.append(part)
    cols = ["unit", "period", "numerator", "denominator", "value", "ci_low", "ci_high", "low_n", "n_notices_all"]
    if not parts:
        return pd.DataFrame(columns=cols)
    out = pd.concat(parts, ignore_index=True).reindex(columns=cols)
    out["period"] = out["period"].astype(str)
    out = out[out["period"].ne("all")]
    return out.sort_values(["unit", "period"], kind="stable").reset_index(drop=True)


def one_value(values: pd.DataFrame, measure: str, level: str, key: str, period: str = "all") -> dict[str, float]:
    """A single cell (e.g. England, all periods) as a dict; empty when absent."""
    rows = values[values["measure_id"].eq(measure) & values["period"].astype(str).eq(period)
                  & unit_matches(values, level, key)]
    if rows.empty:
        return {}
    return rows.iloc[-1].to_dict()


def peers(council: pd.Series, councils: pd.DataFrame, n_neighbours: int = 5) -> dict[str, list[str]]:
    """Like-for-like peer sets for a council: same type, same region, same comparison group, and nearest
    neighbours (same comparison group and type, nearest by RUC class then by name as a stable tie-break).

    Population is not embedded, so "size" is approximated by council type; said on the profile page.
    """
    others = councils[councils["gss_code"].ne(council["gss_code"])]
    same_type = others[others["council_type"].eq(council["council_type"])]
    out = {
        "same council type": same_type["gss_code"].tolist(),
        "same region": others[others["region_name"].eq(council["region_name"])]["gss_code"].tolist(),
        "same comparison group": others[others["comparison_group"].eq(council["comparison_group"])]["gss_code"].tolist(),
    }
    near = same_type[same_type["comparison_group"].eq(council["comparison_group"])]
    near = near.assign(_same_region=near["region_name"].ne(council["region_name"]).astype(int))
    out["nearest neighbours"] = near.sort_values(["_same_region", "name"])["gss_code"].head(n_neighbours).tolist()
    return out


def council_categories(values: pd.DataFrame, measure: str, codes: list[str]) -> pd.Series:
    """Each council's own category of a category measure (council level, all periods), indexed by code in the
    order given; "unknown" where it has none."""
    rows = values[values["measure_id"].eq(measure) & values["period"].astype(str).eq("all")
                  & values["level"].eq("council")].drop_duplicates("unit_code").set_index("unit_code")
    if "category" not in rows.columns:
        return pd.Series("unknown", index=codes, dtype=object)
    return rows["category"].reindex(codes).fillna("unknown").replace("", "unknown")


# the evidence categories in short (the cards and the peers table)
CATEGORY_SHORT_LABELS = {"both": "Policy + practice", "policy_only": "Policy record only",
                         "practice_only": "Practice only", "developing": "In development",
                         "unknown": "No evidence found"}


def peer_evidence(values: pd.DataFrame, council: pd.Series, councils: pd.DataFrame, measure: str
                  ) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """A category measure against the council's peer sets (`peers`): per set how many peers, how many with
    any evidence and in each category (their own categories: council level, all periods; the category
    columns add up to the peers); and the sets themselves. The profile page and the council card show this table."""
    sets = peers(council, councils)
    rows = []
    for label, codes in sets.items():
        cats = council_categories(values, measure, codes)
        found = cats.ne("unknown")
        rows.append({"Peer set": label, "Peers": len(codes),
                     "Peers with evidence": f"{int(found.sum())} ({found.mean() * 100:.0f} %)" if len(codes) else "–",
                     # one column per category: they add up to the peers (no council counted twice)
                     **{name: int(cats.eq(c).sum()) for c, name in CATEGORY_SHORT_LABELS.items()}})
    return pd.DataFrame(rows, columns=["Peer set", "Peers", "Peers with evidence",
                                       *CATEGORY_SHORT_LABELS.values()]), sets


def council_notices(facts: pd.DataFrame | None, gss_code: str) -> pd.DataFrame:
    """A council's notices (notice_facts rows), newest first, with a plain status label."""
    cols = ["date", "title", "sv_status", "status_label", "weighting_pct", "themes", "evidence",
            "criteria_visible", "notice_url", "ocid", "release_key", "buyer_name", "release_id"]
    if facts is None or facts.empty:
        return pd.DataFrame(columns=cols)
    rows = facts[facts["buyer_gss_code"].astype(str).eq(gss_code)].copy()
    rows["status_label"] = rows["sv_status"].map(STATUS_LABELS).fillna(rows["sv_status"])
    return rows.sort_values("date", ascending=False, kind="stable").reindex(columns=cols).reset_index(drop=True)


def status_counts(facts: pd.DataFrame | None, kind: str = "council") -> pd.DataFrame:
    """Procurements (or notices) by sv_status for council buyers, with the criteria-visible split."""
    cols = ["sv_status", "n", "n_criteria_visible"]
    if facts is None or facts.empty:
        return pd.DataFrame({"sv_status": list(STATUS_LABELS), "n": 0, "n_criteria_visible": 0})[cols]
    f = facts[facts["buyer_kind"].eq(kind)] if "buyer_kind" in facts.columns else facts
    g = f.groupby("sv_status").agg(n=("sv_status", "size"),
                                   n_criteria_visible=("criteria_visible", lambda s: int(s.astype(bool).sum())))
    return g.reindex(list(STATUS_LABELS), fill_value=0).rename_axis("sv_status").reset_index()[cols]


def notice_link(url: object, ocid: object, release_id: object) -> str:
    """The notice's published URL; where the release has none, the Find a Tender notice page built from its
    notice id (a Find a Tender ocid and a release id of the form 075918-2026: every Find a Tender URL published
    in the embedded days is exactly that); else "" (no link published)."""
    if safe_url(url):
        return safe_url(url)
    rid = "" if release_id is None or (isinstance(release_id, float) and np.isnan(release_id)) else str(release_id)
    if str(ocid or "").startswith(FTS_OCID_PREFIX) and _FTS_NOTICE_ID.match(rid):
        return FTS_NOTICE_URL.format(rid)
    return ""


def safe_url(url: object) -> str:
    """The URL when it is plain http(s), else "" (a notice must never smuggle a javascript: link)."""
    s = "" if url is None or (isinstance(url, float) and np.isnan(url)) else str(url).strip()
    return s if re.match(r"^https?://[^\s<>\"']+$", s, flags=re.IGNORECASE) else ""


# ------------------------------------------------------------------------------- what a store has data for

def measure_kind(mdef: dict, level: str) -> str:
    """How a measure reads at a level, for legends and summary cards: `category` (each council one category),
    `binary` (a record-based share of one council: 1 or 0), `median` (a median weighting), `quarter` (a first
    quarter) or `share` (a share of procurements or councils with its n and interval)."""
    unit = mdef.get("unit", "share")
    if unit == "category":
        return "category" if level in ("council", "upper_tier") else "share"
    if unit == "pct":
        return "median"
    if unit == "quarter":
        return "quarter"
    if mdef.get("basis") in ("records", "combined") and level in ("council", "upper_tier"):
        return "binary"
    return "share"


def data_summary(values: pd.DataFrame) -> pd.DataFrame:
    """Per measure × level (all periods together): units with a value, units with a solid value (not low n)
    and, for category measures, units in a category other than the last ("nothing found"). One groupby over
    the all-period rows; the pages use it to open on a measure and level that have data."""
    v = values[values["period_type"].eq("all")]
    cat = v["category"] if "category" in v.columns else pd.Series("", index=v.index)
    cat = cat.fillna("").astype(str)
    frame = pd.DataFrame({"measure_id": v["measure_id"].to_numpy(), "level": v["level"].to_numpy(),
                          "has_value": v["value"].notna().to_numpy(),
                          "solid": (v["value"].notna() & ~v["low_n"].astype(bool)).to_numpy(),
                          "found": (cat.ne("") & cat.ne("unknown")).to_numpy()})
    g = frame.groupby(["measure_id", "level"], sort=False)[["has_value", "solid", "found"]].sum()
    return g.rename(columns={"has_value": "n_value", "solid": "n_solid", "found": "n_found"}).reset_index()


def units_with_data(summary: pd.DataFrame, measure: str, level: str) -> int:
    """Units of a level where the measure can be read: for a category measure at council level the councils
    with any evidence (a map of only "nothing found" shows nothing), else the units with a solid value."""
    row = summary[summary["measure_id"].eq(measure) & summary["level"].eq(level)]
    if row.empty:
        return 0
    try:
        kind = measure_kind(measure_def(measure), level)
    except KeyError:
        return 0
    return int(row["n_found"].iloc[0] if kind == "category" else row["n_solid"].iloc[0])


def has_enough(summary: pd.DataFrame, measure: str, geography: str) -> bool:
    """Enough data to show the measure by these units: per council at least MIN_UNITS_WITH_DATA councils
    (category: with evidence), pooled at least one region or group with a solid value."""
    level = LEVEL_FOR_GEOGRAPHY[geography]
    need = 1 if level in ("region", "comparison_group", "england") else MIN_UNITS_WITH_DATA
    if measure_kind(measure_def(measure), level) == "category":
        need = 1
    return units_with_data(summary, measure, level) >= need


def choose_default(summary: pd.DataFrame, geography: str = "lower", basis: tuple[str, ...] | None = None,
                   pooled_to: str = "region") -> tuple[str, str]:
    """(measure, geography) a page opens on when the link names no measure: the first measure in registry order
    (the headline first) with enough data by `geography`; else the first with data pooled by `pooled_to`;
    else the headline as asked (the page then says there is no data). `basis` limits the measures."""
    ids = [m["id"] for m in measure_registry() if basis is None or m.get("basis") in basis]
    for mid in ids:
        if has_enough(summary, mid, geography):
            return mid, geography
    for mid in ids:
        if has_enough(summary, mid, pooled_to):
            return mid, pooled_to
    return (ids[0] if ids else "adoption_evidence"), geography


def category_counts(table: pd.DataFrame, categories: list[dict]) -> pd.DataFrame:
    """Councils per category of a category measure (table from measure_table), in the registry's order, with
    the share of the councils shown: category, label, colour, n, share."""
    n = category_ids(table, categories).value_counts()
    total = max(len(table), 1)
    return pd.DataFrame([{"category": c["id"], "label": c["label"], "colour": c["colour"],
                          "n": int(n.get(c["id"], 0)), "share": int(n.get(c["id"], 0)) / total}
                         for c in categories])


def pooled_on_councils(table: pd.DataFrame, geography: str, councils: pd.DataFrame) -> pd.DataFrame:
    """A pooled table (one row per region or comparison group) spread onto the councils of a map: each council
    carries its region's or group's value, n and interval; `name` says which pooled unit it shows."""
    key = "region_name" if geography == "region" else "comparison_group"
    cols = ["numerator", "denominator", "value", "ci_low", "ci_high", "low_n", "n_notices_all", "category"]
    pooled = table.assign(_key=table[key])[["_key", "name", *[c for c in cols if c in table.columns]]]
    out = councils.merge(pooled.rename(columns={"name": "pooled_name"}), left_on=key, right_on="_key", how="inner")
    label = "region" if geography == "region" else "comparison group"
    out["name"] = out["name"] + " · " + out["pooled_name"] + f" ({label}, pooled)"
    return out.drop(columns=["_key", "pooled_name"]).reset_index(drop=True)


def evidence_details(table: pd.DataFrame, values: pd.DataFrame, summary: pd.DataFrame | None) -> pd.DataFrame:
    """Adds what a council's evidence category rests on: its selected adoption record (record_status,
    record_policy, record_date: the earliest dated adoption, else the record's own date; record_weighting_pct and
    record_weighting_basis: the policy's own weighting and its kind, `svdash.policy_weighting`) and its own
    procurements applying social value (n_applied, all periods; from measure sv_applied_share_all) out of its
    procurements (n_procurements, that measure's denominator)."""
    out = table.copy()
    cols = ["gss_code", "status", "policy_name", "adopted_date", "first_adopted_date", "weighting_pct",
            "weighting_basis"]
    s = (summary if summary is not None else pd.DataFrame()).reindex(columns=cols).drop_duplicates("gss_code")
    # plain dicts: a summary has a few hundred rows at most, and this runs on every filter change
    rec = {col: dict(zip(s["gss_code"], s[col].astype(object).where(s[col].notna(), "").astype(str)))
           for col in cols[1:]}
    codes = out["gss_code"].astype(str)
    out["record_status"] = codes.map(lambda c: rec["status"].get(c, ""))
    out["record_policy"] = codes.map(lambda c: rec["policy_name"].get(c, ""))
    # the earliest dated adoption, else the record's own date (an older store's summary has no first date)
    out["record_date"] = codes.map(lambda c: rec["first_adopted_date"].get(c) or rec["adopted_date"].get(c, ""))
    # the record's policy weighting (what the council's policy sets, not a procurement's) and its kind
    out["record_weighting_pct"] = pd.to_numeric(codes.map(lambda c: rec["weighting_pct"].get(c, "")),
                                                errors="coerce").astype("float64")
    out["record_weighting_basis"] = codes.map(lambda c: rec["weighting_basis"].get(c, ""))
    applied = values[values["measure_id"].eq("sv_applied_share_all") & values["level"].eq("council")
                     & values["period_type"].eq("all")]
    n_applied = dict(zip(applied["unit_code"], applied["numerator"].fillna(0)))
    n_all = dict(zip(applied["unit_code"], applied["denominator"].fillna(0)))
    out["n_applied"] = codes.map(lambda c: int(n_applied.get(c, 0))).astype("int64")
    out["n_procurements"] = codes.map(lambda c: int(n_all.get(c, 0))).astype("int64")
    return out


PROCUREMENT_COLUMNS = ["date", "last_date", "title", "sv_status", "status_label", "weighting_pct", "themes",
                       "evidence", "criteria_visible", "notice_url", "ocid", "n_notices", "notices_label"]
_STATUS_RANK = {"applied": 2, "dismissed": 1, "none": 0}


def council_procurements(notices: pd.DataFrame) -> pd.DataFrame:
    """A council's notices (from `council_notices`) as procurements, one row per ocid, newest first, as the
    measures count them: status the strongest of its notices (applied over dismissed over none) with that
    notice's evidence and themes, the largest stated weighting, criteria visible if any notice shows them,
    first and last notice dates, the latest notice's title and link, and how many notices (`notices_label`:
    "1 notice", "3 notices")."""
    if notices is None or notices.empty:
        return pd.DataFrame(columns=PROCUREMENT_COLUMNS)
    n = notices.copy()
    n["ocid"] = n["ocid"].astype(str).where(n["ocid"].astype(str).ne(""), n["release_key"].astype(str))
    n["_rank"] = n["sv_status"].map(_STATUS_RANK).fillna(0)
    n["_date"] = pd.to_datetime(n["date"], errors="coerce")
    by_date = n.sort_values(["ocid", "_date"], kind="stable", na_position="first")
    latest = by_date.drop_duplicates("ocid", keep="last").set_index("ocid")
    decider = n.sort_values(["ocid", "_rank", "_date"], ascending=[True, False, False], kind="stable") \
        .drop_duplicates("ocid").set_index("ocid")
    g = n.groupby("ocid", sort=False)
    titles = by_date[by_date["title"].astype(str).str.strip().ne("")].drop_duplicates("ocid", keep="last") \
        .set_index("ocid")["title"]
    if "release_id" not in by_date.columns:
        by_date = by_date.assign(release_id="")
    by_date = by_date.assign(notice_url=[notice_link(u, o, r) for u, o, r in
                                         zip(by_date["notice_url"], by_date["ocid"], by_date["release_id"])])
    urls = by_date[by_date["notice_url"].astype(str).str.strip().ne("")].drop_duplicates("ocid", keep="last") \
        .set_index("ocid")["notice_url"]
    out = pd.DataFrame({"date": g["_date"].min(), "last_date": g["_date"].max(),
                        "n_notices": g.size().astype("int64"),
                        "weighting_pct": pd.to_numeric(g["weighting_pct"].max(), errors="coerce"),
                        "criteria_visible": g["criteria_visible"].apply(lambda x: bool(x.fillna(False).astype(bool).any()))})
    out["title"] = titles.reindex(out.index).fillna(latest["title"].reindex(out.index)).fillna("")
    out["notice_url"] = urls.reindex(out.index).fillna("")
    for c in ("sv_status", "evidence", "themes"):
        out[c] = decider[c].reindex(out.index).fillna("")
    out["status_label"] = out["sv_status"].map(STATUS_LABELS).fillna(out["sv_status"])
    out["notices_label"] = out["n_notices"].map(lambda k: f"{k} notice" if k == 1 else f"{k} notices")
    out = out.reset_index().sort_values(["last_date", "ocid"], ascending=[False, True], kind="stable",
                                        na_position="last")
    return out.reindex(columns=PROCUREMENT_COLUMNS).reset_index(drop=True)


def adoption_summary_of(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """A store's adoption_summary; recomputed from its adoption_records (or the embedded ones) when the store
    was built before the summary had first-adoption dates, so trends work on an older store too."""
    summary = tables.get("adoption_summary")
    if summary is not None and "first_adopted_on" in summary.columns:
        return summary
    records = tables.get("adoption_records")
    records = records if records is not None and len(records) else adoption.load_embedded()
    return adoption.adoption_summary(records)


def county_table(measure: str, values: pd.DataFrame, summary: pd.DataFrame | None,
                 councils: pd.DataFrame | None = None) -> pd.DataFrame:
    """The 21 county councils (upper tier of two-tier areas) with their own value of `measure` at council
    level, all periods, and what a category rests on (`evidence_details`): the lower-tier map draws them as
    outlines, the briefing pack lists them."""
    councils = geo.load_councils() if councils is None else councils
    counties = councils[councils["tier"].eq("upper")]
    table = measure_table(Filters(measure=measure), values, counties[
        ["gss_code", "name", "council_type", "region_name", "comparison_group"]])
    return evidence_details(table, values, summary)
