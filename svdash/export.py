"""Downloads: the table on screen as CSV / XLSX, plus JSON metadata saying what it is and how to cite it.

The dashboard and `python -m svdash export` both call `screen_table` on the same filtered frame, so a
download holds exactly the rows and columns shown. Text cells that a spreadsheet would run as a formula
(starting with = + - @ tab or CR) are neutralised with a leading apostrophe.
"""
from __future__ import annotations

import io
import json
from datetime import datetime, timezone
from typing import Any

import pandas as pd

from svdash.filters import Filters, category_ids, measure_def
from svdash.geo import ATTRIBUTION

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
NOTICES_LICENCE = ("Procurement notices: Contracts Finder and Find a Tender (Cabinet Office), Crown copyright, "
                   "Open Government Licence v3.0.")
ADOPTION_LICENCE = "Adoption records: compiled by svdash from the cited public pages (each row names its source URL)."
CITATION = ("svdash — Social Value Act in practice: evidence from English council procurement notices. "
            "Measures {version}, data built {built}. Downloaded {generated}.")


def unit_label(mdef: dict[str, Any]) -> str:
    return {"share": "%", "pct": "% weighting", "quarter": "year (decimal)", "category": "%"}.get(
        mdef.get("unit", ""), "")


def scale(mdef: dict[str, Any]) -> float:
    """Shares are stored 0–1 and shown as percentages (a category measure's pooled value is a share too)."""
    return 100.0 if mdef.get("unit") in ("share", "category") else 1.0


UNIT_COLUMN = {"lower": "Council", "hex": "Council", "upper": "Council (upper tier)", "region": "Region",
               "group": "Comparison group"}
RECORD_STATUS_LABELS = {"policy_adopted": "Policy adopted", "charter_adopted": "Charter adopted",
                        "strategy_adopted": "Strategy adopted", "developing": "Policy in development",
                        "none_found": "States no policy exists", "": ""}


def screen_table(table: pd.DataFrame, mdef: dict[str, Any], geography: str = "lower",
                 rank_first: bool = False) -> pd.DataFrame:
    """The measure table (svdash.views.measure_table) in the columns and units shown on screen.

    A category measure per council shows the category's label and what it rests on (the adoption record and
    the council's procurements applying social value) instead of a 1-or-0 value; pooled units (regions,
    comparison groups) drop the council attributes; `rank_first` puts the rank columns first (Compare).
    Councils of a category measure are listed strongest evidence first, then by name: the first rows a reader
    sees (and the first lines of a download) are the evidence, not an alphabet of "no evidence found"."""
    k = scale(mdef)
    unit = unit_label(mdef)
    pooled = geography in ("region", "group")
    if mdef.get("unit") == "category" and not pooled and len(table):
        table = evidence_first(table, mdef.get("categories") or [])
    out = pd.DataFrame({UNIT_COLUMN.get(geography, "Council"): table["name"].astype(str),
                        ("Region code" if geography == "region" else "Code" if pooled else "ONS code"):
                            table["gss_code"].astype(str)})
    category = mdef.get("unit") == "category" and not pooled
    attributes = pd.DataFrame(index=table.index)
    if not pooled:
        attributes["Council type"] = table["council_type"].astype(str)
        attributes["Region"] = table["region_name"].astype(str)
        attributes["Comparison group"] = table["comparison_group"].astype(str)
    attributes["Period"] = table["period"].astype(str)
    if not category:  # a category comes right after the name (what a reader looks for first)
        out = pd.concat([out, attributes], axis=1)
    if category:
        labels = {c["id"]: c["label"] for c in mdef.get("categories", [])}
        cats = category_ids(table, mdef.get("categories") or [])
        out["Evidence of adoption"] = cats.map(labels).fillna(cats).astype(str)
        if "record_status" in table.columns:
            out["Adoption record"] = table["record_status"].map(RECORD_STATUS_LABELS).fillna(
                table["record_status"]).astype(str)
            out["Record date"] = table["record_date"].astype(str)
        if "n_applied" in table.columns:
            out["Procurements applying social value"] = table["n_applied"].astype("Int64")
        out = pd.concat([out, attributes], axis=1)
    else:
        value_name = ("Share with evidence of adoption (%)" if mdef.get("unit") == "category" else f"Value ({unit})")
        out[value_name] = (table["value"] * k).round(1)
        out[f"95% interval low ({unit or '%'})"] = (table["ci_low"] * k).round(1)
        out[f"95% interval high ({unit or '%'})"] = (table["ci_high"] * k).round(1)
        out["Numerator"] = table["numerator"].astype("Int64")
        out["Denominator"] = table["denominator"].astype("Int64")
        if mdef.get("basis") == "notices":
            out["All procurements"] = table["n_notices_all"].astype("Int64")
        out["Low n (fewer than min_n)"] = table["low_n"].astype(bool)
        rank_name = "Rank" if pooled else "Rank in comparison group"
        ranked_name = "Ranked (not low n)" if pooled else "Ranked in group (not low n)"
        out[rank_name] = table["rank_in_group"].astype("Int64")
        out[ranked_name] = table["group_size"].astype("Int64")
        if rank_first:
            out = out[[rank_name, ranked_name, *[c for c in out.columns if c not in (rank_name, ranked_name)]]]
    return out.reset_index(drop=True)


def filtered_table(flt: Filters, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The measure table `svdash export` writes for these filters (before `screen_table`), from the store's
    tables (svdash.views.read_store): the export and the briefing pack read their figures here."""
    from svdash import views

    return views.shown_table(flt, tables["measure_values"], tables.get("adoption_summary"))


def evidence_first(table: pd.DataFrame, categories: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows in the registry's category order (strongest evidence first; blank = the last category), then by name."""
    if not categories:
        return table.sort_values("name", kind="stable")
    order = {c["id"]: i for i, c in enumerate(categories)}
    rank = category_ids(table, categories).map(order).fillna(len(categories))
    return table.assign(_order=rank).sort_values(["_order", "name"], kind="stable").drop(columns="_order")


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Copy with every text cell that starts like a formula prefixed by an apostrophe (CSV/XLSX injection)."""
    out = frame.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_string_dtype(s) or s.dtype == object:
            text = s.map(lambda v: v if not isinstance(v, str) or not v.startswith(FORMULA_PREFIXES) else "'" + v)
            out[col] = text
    out.columns = [("'" + c) if isinstance(c, str) and c.startswith(FORMULA_PREFIXES) else c for c in out.columns]
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    # RFC 4180 line ends: the csv writer then quotes any cell holding a bare CR as well as LF, so a
    # hostile "\r=1" cannot start a new row that a spreadsheet would read as a formula.
    return neutralise(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def to_xlsx_bytes(frame: pd.DataFrame, metadata: dict[str, Any] | None = None) -> bytes:
    """One sheet with the table, one with the metadata as key/value rows."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        data = neutralise(frame)
        for c in data.columns:  # openpyxl cannot write pandas NA
            if str(data[c].dtype) in ("Int64", "boolean"):
                data[c] = data[c].astype(object).where(data[c].notna(), None)
        data.to_excel(xw, sheet_name="data", index=False)
        if metadata is not None:
            rows = [(k, json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v)
                    for k, v in metadata.items()]
            neutralise(pd.DataFrame(rows, columns=["field", "value"])).to_excel(xw, sheet_name="metadata", index=False)
    return buf.getvalue()


def metadata(flt: Filters, n_rows: int, build_info: dict[str, Any] | None = None,
             generated_at: datetime | None = None, synthetic: bool = False) -> dict[str, Any]:
    """What the download is: filters, measure definition, sources, licences, time, citation."""
    generated = (generated_at or datetime.now(timezone.utc)).replace(microsecond=0).isoformat()
    info = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in (build_info or {}).items()}
    info = {k: (None if isinstance(v, float) and v != v else v) for k, v in info.items()}
    try:
        mdef = measure_def(flt.measure)
    except KeyError:
        mdef = {"id": flt.measure}
    definition = {k: mdef.get(k) for k in ("id", "title", "numerator", "denominator", "unit", "higher_is",
                                           "min_n", "rationale", "caveat_texts", "changelog", "registry_version")}
    return {
        "title": f"{mdef.get('title', flt.measure)} — {flt.describe()}",
        "synthetic_data": synthetic,
        "filters": flt.as_dict(),
        "rows": n_rows,
        "measure": definition,
        "build_info": info,
        "sources": [NOTICES_LICENCE, ADOPTION_LICENCE, *ATTRIBUTION],
        "licences": {"notices": "Open Government Licence v3.0", "boundaries and lookups": "Open Government Licence v3.0",
                     "council names": "CC BY 4.0 (mySociety)", "hex layout": "MIT (Open Innovations)"},
        "caveat": "'No social value evidence in the published notice' is not 'not applied': most notices publish "
                  "no award criteria.",
        "generated_at": generated,
        "citation": CITATION.format(version=mdef.get("registry_version", ""), built=info.get("built_at", "unknown"),
                                    generated=generated),
    }


def to_json_bytes(meta: dict[str, Any]) -> bytes:
    return json.dumps(meta, indent=2, ensure_ascii=False, default=str).encode("utf-8")
