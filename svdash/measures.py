"""Measures: the registry (measures.yaml) and the aggregation that precomputes `measure_values`.

Definitions are data (measures.yaml); each names a `compute` function here. The core is pure
DataFrame → DataFrame; `build_aggregates(con)` is the thin DuckDB read/write around it.

Counting: one procurement = one ocid (store table `procurement_facts`). Counts are first summed per
council × quarter, then rolled up (sums are additive) to upper tier, region, council type, comparison
group and England, and to years and all time; medians use weighting histograms, which also add up.
So the cost is one groupby over the facts, whatever their number.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
import yaml

from svdash import adoption, geo, store
from svdash.stats import wilson_interval

MEASURES_FILE = Path(__file__).with_name("measures.yaml")
LEVELS = ["council", "upper_tier", "region", "council_type", "comparison_group", "england"]
PERIOD_TYPES = ["quarter", "year", "all"]
ENGLAND = ("E92000001", "England")
UNITS = {"share", "pct", "quarter", "category"}
HIGHER_IS = {"better", "worse", "neither"}
BASES = {"notices", "records", "combined"}
REQUIRED = ["id", "title", "numerator", "denominator", "unit", "higher_is", "min_n", "basis", "compute",
            "rationale", "caveats", "author", "checker", "next_review", "changelog"]
OPTIONAL = ["categories", "binary_labels"]
CATEGORY_FIELDS = ("id", "label", "colour", "meaning")
# `category`: for a category measure (unit category), a council's or upper tier's category id; "" elsewhere
VALUE_COLUMNS = ["level", "unit_code", "unit_name", "period_type", "period", "measure_id", "numerator",
                 "denominator", "value", "ci_low", "ci_high", "low_n", "n_notices_all", "category"]
SINGLE_LEVELS = ("council", "upper_tier")  # one council per unit: its own record and its own procurements
COUNT_COLUMNS = ["n_all", "n_visible", "n_applied", "n_applied_visible", "n_dismissed_visible",
                 "n_weight_stated", "n_weight_10plus"]


# ----------------------------------------------------------------------------------------------- registry

@dataclass(frozen=True)
class Measure:
    id: str
    title: str
    numerator: str
    denominator: str
    unit: str
    higher_is: str
    min_n: int
    basis: str
    compute: str
    rationale: str
    caveats: list[str]  # expanded caveat texts
    caveat_ids: list[str]
    author: str
    checker: str
    next_review: str
    changelog: list[dict] = field(default_factory=list)
    categories: list[dict] = field(default_factory=list)  # unit category: id, label, colour, meaning
    binary_labels: dict = field(default_factory=dict)     # optional: {with: …, without: …}


@dataclass(frozen=True)
class Registry:
    version: str
    caveats: dict[str, str]
    measures: list[Measure]

    def get(self, measure_id: str) -> Measure:
        for m in self.measures:
            if m.id == measure_id:
                return m
        raise KeyError(measure_id)

    def frame(self) -> pd.DataFrame:
        """One row per measure, caveats joined, for the Method page and exports."""
        rows = [{**{k: getattr(m, k) for k in REQUIRED if k not in ("caveats", "changelog")},
                 "caveats": " ".join(m.caveats),
                 "changelog": "; ".join(f"{c['date']}: {c['change']}" for c in m.changelog)} for m in self.measures]
        return pd.DataFrame(rows)


class RegistryError(ValueError):
    """Every problem found in a measures file, reported at once."""

    def __init__(self, path: Path | str, errors: list[str]):
        self.errors = errors
        super().__init__(f"{path}: {len(errors)} problem(s) in the measures registry:\n  - " + "\n  - ".join(errors))


def load_registry(path: Path | str = MEASURES_FILE) -> Registry:
    """Load and check the registry; collect every error in the file, then fail once (RegistryError)."""
    try:
        doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RegistryError(path, [f"not valid YAML: {exc}"]) from exc
    errors: list[str] = []
    if not isinstance(doc, dict):
        raise RegistryError(path, ["the file must be a mapping with `version`, `caveats` and `measures`"])
    version = str(doc.get("version") or "")
    if not version:
        errors.append("`version` is missing")
    caveats = doc.get("caveats") or {}
    if not isinstance(caveats, dict):
        errors.append("`caveats` must map caveat ids to text")
        caveats = {}
    raw = doc.get("measures")
    if not isinstance(raw, list) or not raw:
        errors.append("`measures` must be a non-empty list")
        raw = []
    measures: list[Measure] = []
    seen: set[str] = set()
    for i, m in enumerate(raw):
        if not isinstance(m, dict):
            errors.append(f"measures[{i}] is not a mapping")
            continue
        where = f"measure {m.get('id') or f'#{i}'}"
        bad = len(errors)
        for key in REQUIRED:
            v = m.get(key)
            if v is None or (isinstance(v, (str, list)) and not v):
                errors.append(f"{where}: `{key}` is missing or empty")
        unknown = sorted(set(m) - set(REQUIRED) - set(OPTIONAL))
        if unknown:
            errors.append(f"{where}: unknown field(s) {', '.join(unknown)}")
        mid = str(m.get("id") or "")
        if mid and not re.fullmatch(r"[a-z][a-z0-9_]*", mid):
            errors.append(f"{where}: id must be snake_case")
        if mid in seen:
            errors.append(f"{where}: duplicate id")
        seen.add(mid)
        if m.get("unit") is not None and m.get("unit") not in UNITS:
            errors.append(f"{where}: unit {m.get('unit')!r} not in {sorted(UNITS)}")
        if m.get("higher_is") is not None and m.get("higher_is") not in HIGHER_IS:
            errors.append(f"{where}: higher_is {m.get('higher_is')!r} not in {sorted(HIGHER_IS)}")
        if m.get("basis") is not None and m.get("basis") not in BASES:
            errors.append(f"{where}: basis {m.get('basis')!r} not in {sorted(BASES)}")
        min_n = m.get("min_n")
        if min_n is not None and (not isinstance(min_n, int) or isinstance(min_n, bool) or min_n < 1):
            errors.append(f"{where}: min_n must be a whole number ≥ 1")
        if m.get("compute") and m.get("compute") not in COMPUTE:
            errors.append(f"{where}: compute {m.get('compute')!r} is not a function in svdash/measures.py "
                          f"(known: {', '.join(sorted(COMPUTE))})")
        cats = m.get("categories") or []
        if m.get("unit") == "category":
            if not isinstance(cats, list) or len(cats) < 2 or any(
                    not isinstance(c, dict) or any(not str(c.get(k) or "").strip() for k in CATEGORY_FIELDS)
                    for c in cats):
                errors.append(f"{where}: unit category needs `categories`: a list of at least two with "
                              + ", ".join(CATEGORY_FIELDS))
                cats = []
            elif len({c["id"] for c in cats}) < len(cats):
                errors.append(f"{where}: category ids must be unique")
        elif cats:
            errors.append(f"{where}: `categories` only go with unit category")
        labels = m.get("binary_labels") or {}
        if labels and (not isinstance(labels, dict) or not {"with", "without"} <= set(labels)
                       or set(labels) - {"with", "without", "with_colour", "without_colour"}):
            errors.append(f"{where}: binary_labels must give `with` (a 1) and `without` (a 0), and may give "
                          "`with_colour` and `without_colour`")
            labels = {}
        cav = m.get("caveats") or []
        if not isinstance(cav, list):
            errors.append(f"{where}: caveats must be a list of caveat ids")
            cav = []
        for c in cav:
            if c not in caveats:
                errors.append(f"{where}: caveat {c!r} is not defined under `caveats`")
        try:
            if m.get("next_review"):
                date.fromisoformat(str(m["next_review"]))
        except ValueError:
            errors.append(f"{where}: next_review {m['next_review']!r} is not YYYY-MM-DD")
        log = m.get("changelog") or []
        if not isinstance(log, list) or any(not isinstance(e, dict) or not e.get("date") or not e.get("change")
                                             for e in log):
            errors.append(f"{where}: changelog entries need `date` and `change`")
            log = []
        for text_field in ("rationale", "title", "numerator", "denominator"):
            if "<" in str(m.get(text_field) or "") and ">" in str(m.get(text_field) or ""):
                errors.append(f"{where}: {text_field} looks like HTML; plain text only")
        if len(errors) == bad:
            measures.append(Measure(
                id=mid, title=str(m["title"]), numerator=str(m["numerator"]), denominator=str(m["denominator"]),
                unit=m["unit"], higher_is=m["higher_is"], min_n=int(m["min_n"]), basis=m["basis"],
                compute=m["compute"], rationale=" ".join(str(m["rationale"]).split()),
                caveats=[" ".join(str(caveats[c]).split()) for c in cav], caveat_ids=list(cav),
                author=str(m["author"]), checker=str(m["checker"]), next_review=str(m["next_review"]),
                changelog=[{"date": str(e["date"]), "change": str(e["change"])} for e in log],
                categories=[{k: str(c[k]) for k in CATEGORY_FIELDS} for c in cats],
                binary_labels={k: str(v) for k, v in labels.items()}))
    if errors:
        raise RegistryError(path, errors)
    return Registry(version, {k: " ".join(str(v).split()) for k, v in caveats.items()}, measures)


# ------------------------------------------------------------------------------------------- pure core

def quarter_label(value: float) -> str:
    """Decimal-year quarter start (2024.5) back to '2024Q3'; '' for NaN."""
    if value is None or pd.isna(value):
        return ""
    y = int(np.floor(value + 1e-9))
    return f"{y}Q{int(round((value - y) * 4)) + 1}"


def _quarter_value(q: pd.Series) -> pd.Series:
    return q.str[:4].astype("float64") + (q.str[5:].astype("float64") - 1) / 4


def prepare_facts(facts: pd.DataFrame, councils: pd.DataFrame) -> pd.DataFrame:
    """Council procurements only, with `quarter` ('' when undated) and boolean flags.

    Needs columns buyer_gss_code, sv_status, criteria_visible, weighting_pct and `quarter` or `date`.
    Procurements of non-council buyers, or with codes outside today's councils, are not counted here.
    """
    f = facts
    keep = f["buyer_gss_code"].isin(set(councils["gss_code"]))
    if "buyer_kind" in f.columns:
        keep &= f["buyer_kind"].eq("council")
    f = f.loc[keep]
    if "quarter" in f.columns:
        quarter = f["quarter"].fillna("").astype(str)
    else:
        d = pd.to_datetime(f["date"], errors="coerce")
        quarter = (d.dt.year.astype("Int64").astype(str) + "Q" + d.dt.quarter.astype("Int64").astype(str))
        quarter = quarter.where(d.notna(), "")
    status = f["sv_status"].astype(str)
    visible = f["criteria_visible"].fillna(False).astype(bool)
    w = pd.to_numeric(f["weighting_pct"], errors="coerce")
    applied = status.eq("applied")
    return pd.DataFrame({
        "gss_code": f["buyer_gss_code"].astype(str).to_numpy(),
        "quarter": quarter.to_numpy(),
        "applied": applied.to_numpy(),
        "visible": visible.to_numpy(),
        "dismissed": status.eq("dismissed").to_numpy(),
        # a weighting only counts where social value is applied (a price weight is not a social value weight)
        "weighting_pct": w.where(applied).to_numpy(dtype="float64"),
    })


def council_quarter_counts(prepared: pd.DataFrame) -> pd.DataFrame:
    """Per gss_code × quarter: the counts every notice measure is built from (one groupby)."""
    p = prepared
    w = p["weighting_pct"]
    cols = pd.DataFrame({
        "gss_code": p["gss_code"], "quarter": p["quarter"],
        "n_all": 1,
        "n_visible": p["visible"].astype("int64"),
        "n_applied": p["applied"].astype("int64"),
        "n_applied_visible": (p["applied"] & p["visible"]).astype("int64"),
        # dismissed counts only when nothing applied it (procurement_facts already resolves this)
        "n_dismissed_visible": (p["dismissed"] & ~p["applied"] & p["visible"]).astype("int64"),
        "n_weight_stated": w.notna().astype("int64"),
        "n_weight_10plus": (w >= 10).astype("int64"),
    })
    return cols.groupby(["gss_code", "quarter"], as_index=False, sort=True)[COUNT_COLUMNS].sum()


def weighting_histogram(prepared: pd.DataFrame) -> pd.DataFrame:
    """Per gss_code × quarter × stated weighting: how many procurements (for medians that roll up)."""
    p = prepared[prepared["weighting_pct"].notna()]
    return p.groupby(["gss_code", "quarter", "weighting_pct"], as_index=False, sort=True).size() \
        .rename(columns={"size": "n"})


def unit_map(councils: pd.DataFrame) -> pd.DataFrame:
    """gss_code → unit code for every level (long form: gss_code, level, unit_code, unit_name)."""
    c = councils
    names = c.set_index("gss_code")["name"]
    frames = [
        pd.DataFrame({"gss_code": c["gss_code"], "level": "council", "unit_code": c["gss_code"], "unit_name": c["name"]}),
        # a district counts toward its county (upper tier); counties, unitaries, metros, London: themselves
        pd.DataFrame({"gss_code": c["gss_code"], "level": "upper_tier", "unit_code": c["utla_code"],
                      "unit_name": c["utla_code"].map(names)}),
        pd.DataFrame({"gss_code": c["gss_code"], "level": "region", "unit_code": c["region_code"],
                      "unit_name": c["region_name"]}),
        pd.DataFrame({"gss_code": c["gss_code"], "level": "council_type", "unit_code": c["council_type"],
                      "unit_name": c["council_type"]}),
        pd.DataFrame({"gss_code": c["gss_code"], "level": "comparison_group", "unit_code": c["comparison_group"],
                      "unit_name": c["comparison_group"]}),
        pd.DataFrame({"gss_code": c["gss_code"], "level": "england", "unit_code": ENGLAND[0], "unit_name": ENGLAND[1]}),
    ]
    out = pd.concat(frames, ignore_index=True)
    out["unit_name"] = out["unit_name"].fillna(out["unit_code"]).astype(str)
    return out


def _periods(quarters: pd.Series) -> dict[str, list[str]]:
    """Every quarter from the first to the last seen (gaps filled, so trends show empty quarters)."""
    q = sorted(x for x in quarters.unique() if x)
    if not q:
        return {"quarter": [], "year": [], "all": ["all"]}
    rng = pd.period_range(pd.Period(q[0], "Q"), pd.Period(q[-1], "Q"), freq="Q")
    ql = [str(p) for p in rng]
    return {"quarter": ql, "year": sorted({x[:4] for x in ql}), "all": ["all"]}


def _with_period(frame: pd.DataFrame, period_type: str) -> pd.DataFrame:
    if period_type == "quarter":
        return frame[frame["quarter"].ne("")].assign(period=lambda f: f["quarter"])
    if period_type == "year":
        return frame[frame["quarter"].ne("")].assign(period=lambda f: f["quarter"].str[:4])
    return frame.assign(period="all")


def rollup(counts: pd.DataFrame, units: pd.DataFrame, periods: dict[str, list[str]]) -> pd.DataFrame:
    """Sum council × quarter counts to every level × period; every unit × period appears (zeros kept)."""
    out = []
    for pt in PERIOD_TYPES:
        j = _with_period(counts, pt)
        j = j[j["period"].isin(periods[pt])]  # a restricted grid (values of some cells): only its periods
        # summed per council and period first: the join to the units (6 a council) then has few rows
        j = j.groupby(["gss_code", "period"], sort=False, as_index=False)[COUNT_COLUMNS].sum()
        j = j.merge(units, on="gss_code", how="inner")
        keys = ["level", "unit_code", "period"]
        g = j.groupby(keys, sort=False, as_index=False)[COUNT_COLUMNS].sum()
        g[keys] = g[keys].astype(str)  # an empty groupby gives float keys
        grid = units[["level", "unit_code", "unit_name"]].drop_duplicates(["level", "unit_code"])
        grid = grid.merge(pd.DataFrame({"period": pd.Series(periods[pt], dtype=str)}), how="cross")
        full = grid.merge(g, on=keys, how="left")
        full[COUNT_COLUMNS] = full[COUNT_COLUMNS].fillna(0).astype("int64")
        out.append(full.assign(period_type=pt))
    return pd.concat(out, ignore_index=True)


def rollup_histogram(hist: pd.DataFrame, units: pd.DataFrame, periods: dict[str, list[str]] | None = None,
                     ) -> pd.DataFrame:
    """Weighting histograms summed to every level × period (only cells that have weights); `periods`: only those."""
    out = []
    for pt in PERIOD_TYPES:
        j = _with_period(hist, pt)
        if periods is not None:
            j = j[j["period"].isin(periods[pt])]
        j = j.groupby(["gss_code", "period", "weighting_pct"], sort=False, as_index=False)["n"].sum()
        j = j.merge(units[["gss_code", "level", "unit_code"]], on="gss_code", how="inner")
        g = j.groupby(["level", "unit_code", "period", "weighting_pct"], as_index=False, sort=False)["n"].sum()
        out.append(g.assign(period_type=pt))
    return pd.concat(out, ignore_index=True)


def histogram_median(hist: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Median of the expanded values per group, from (keys…, weighting_pct, n) without expanding."""
    h = hist.sort_values([*keys, "weighting_pct"], kind="stable")
    cum = h.groupby(keys, sort=False)["n"].cumsum()
    total = h.groupby(keys, sort=False)["n"].transform("sum")
    lo_pos, hi_pos = (total + 1) // 2, total // 2 + 1  # the two middle positions (equal when odd)
    lo = h[cum >= lo_pos].groupby(keys, sort=False)["weighting_pct"].first()
    hi = h[cum >= hi_pos].groupby(keys, sort=False)["weighting_pct"].first()
    n = h.groupby(keys, sort=False)["n"].sum()
    return pd.DataFrame({"median": (lo + hi) / 2, "n": n}).reset_index()


@dataclass
class Context:
    """What the compute functions read: rolled counts, weighting histograms, per-council adoption."""
    rolled: pd.DataFrame          # level, unit_code, unit_name, period_type, period, COUNT_COLUMNS
    hist: pd.DataFrame            # level, unit_code, period_type, period, weighting_pct, n
    council_flags: pd.DataFrame   # gss_code, one, adopted, developing, applied, adopted_and_applied, evidence (0/1)
    units: pd.DataFrame           # gss_code, level, unit_code, unit_name


def _share(frame: pd.DataFrame, num: str, den: str) -> pd.DataFrame:
    k, n = frame[num].to_numpy("float64"), frame[den].to_numpy("float64")
    low, high = wilson_interval(k, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(n > 0, k / n, np.nan)
    return frame.assign(numerator=k, denominator=n, value=value, ci_low=low, ci_high=high)


def share_applied_visible(ctx: Context) -> pd.DataFrame:
    return _share(ctx.rolled, "n_applied_visible", "n_visible")


def share_applied_all(ctx: Context) -> pd.DataFrame:
    return _share(ctx.rolled, "n_applied", "n_all")


def share_dismissed_visible(ctx: Context) -> pd.DataFrame:
    return _share(ctx.rolled, "n_dismissed_visible", "n_visible")


def share_weighting_10plus(ctx: Context) -> pd.DataFrame:
    return _share(ctx.rolled, "n_weight_10plus", "n_weight_stated")


def median_weighting(ctx: Context) -> pd.DataFrame:
    keys = ["level", "unit_code", "period_type", "period"]
    med = histogram_median(ctx.hist, keys) if len(ctx.hist) else pd.DataFrame(columns=[*keys, "median", "n"])
    out = ctx.rolled.merge(med, on=keys, how="left")
    # a median is not a ratio: numerator is left empty, denominator is the n it rests on
    return out.assign(numerator=np.nan, denominator=out["n_weight_stated"].astype("float64"),
                      value=out["median"].astype("float64"), ci_low=np.nan, ci_high=np.nan).drop(columns=["median", "n"])


def first_applied_quarter(ctx: Context) -> pd.DataFrame:
    r = ctx.rolled
    q = r[r["period_type"].eq("quarter") & r["n_applied"].gt(0)].sort_values("period")
    first = q.drop_duplicates(["level", "unit_code"], keep="first").set_index(["level", "unit_code"])
    base = r[r["period_type"].eq("all")].copy()
    idx = pd.MultiIndex.from_frame(base[["level", "unit_code"]])
    fq = first["period"].reindex(idx)
    base["numerator"] = first["n_applied"].reindex(idx).fillna(0).to_numpy("float64")
    base["denominator"] = first["n_all"].reindex(idx).fillna(0).to_numpy("float64")
    base["value"] = _quarter_value(fq.fillna("").replace("", None).astype("string")).to_numpy("float64") \
        if len(base) else np.array([], dtype="float64")
    return base.assign(ci_low=np.nan, ci_high=np.nan)


def _council_flag_share(ctx: Context, num: str, den: str) -> pd.DataFrame:
    """Record-based shares: own record for a council and an upper tier, sums of councils for groups."""
    flags = ctx.council_flags
    u = ctx.units
    base = ctx.rolled[ctx.rolled["period_type"].eq("all")]
    own = u[u["level"].isin(["council", "upper_tier"]) & u["gss_code"].eq(u["unit_code"])]
    groups = u[~u["level"].isin(["council", "upper_tier"])]
    summed = pd.concat([own, groups]).merge(flags[["gss_code", num, den]], on="gss_code", how="left") \
        .fillna({num: 0, den: 0})
    g = summed.groupby(["level", "unit_code"])[[num, den]].sum()
    out = base.join(g, on=["level", "unit_code"])
    out[[num, den]] = out[[num, den]].fillna(0)
    return _share(out, num, den).drop(columns=[num, den])


EVIDENCE_CATEGORIES = ("both", "policy_only", "practice_only", "developing", "unknown")


def evidence_category(adopted: pd.Series, applied: pd.Series, developing: pd.Series) -> pd.Series:
    """The category of each council (ids as in measures.yaml): a policy record and practice → both; a policy
    record → policy_only; practice (even beside a record of a policy in development: practice is the stronger
    evidence) → practice_only; a record of one in development → developing; else unknown."""
    a, p, d = (s.astype(bool).to_numpy() for s in (adopted, applied, developing))
    out = np.select([a & p, a, p, d], ["both", "policy_only", "practice_only", "developing"], "unknown")
    return pd.Series(out, index=adopted.index, dtype=object)


def adoption_evidence(ctx: Context) -> pd.DataFrame:
    """Share of councils with any evidence (category other than unknown); a single council's row also carries
    its category, and no interval (a share of one council is its category, not an estimate)."""
    out = _council_flag_share(ctx, "evidence", "one")
    flags = ctx.council_flags.set_index("gss_code")
    single = out["level"].isin(SINGLE_LEVELS)
    out["category"] = ""
    out.loc[single, "category"] = out.loc[single, "unit_code"].map(flags["category"]).fillna("unknown")
    out.loc[single, ["ci_low", "ci_high"]] = np.nan
    return out


def adoption_recorded(ctx: Context) -> pd.DataFrame:
    return _council_flag_share(ctx, "adopted", "one")


def practice_vs_policy(ctx: Context) -> pd.DataFrame:
    return _council_flag_share(ctx, "adopted_and_applied", "adopted")


COMPUTE: dict[str, Callable[[Context], pd.DataFrame]] = {
    f.__name__: f for f in (share_applied_visible, share_applied_all, share_dismissed_visible, median_weighting,
                            share_weighting_10plus, first_applied_quarter, adoption_recorded, practice_vs_policy,
                            adoption_evidence)
}


def council_flags(summary: pd.DataFrame, counts: pd.DataFrame, councils: pd.DataFrame) -> pd.DataFrame:
    """Per council: one (denominator of all councils), adopted / developing (its selected record's status),
    applied (at least one of its own procurements applies social value: practice in notices), their
    combinations, its evidence category and evidence (category other than unknown), all 0/1."""
    adopted_codes = set(summary.loc[summary["status"].isin(adoption.ADOPTED_STATUSES), "gss_code"])
    developing_codes = set(summary.loc[summary["status"].eq("developing"), "gss_code"])
    applied_codes = set(counts.loc[counts["n_applied"].gt(0), "gss_code"])
    f = pd.DataFrame({"gss_code": councils["gss_code"].to_numpy()})
    f["one"] = 1
    f["adopted"] = f["gss_code"].isin(adopted_codes).astype("int64")
    f["developing"] = f["gss_code"].isin(developing_codes).astype("int64")
    f["applied"] = f["gss_code"].isin(applied_codes).astype("int64")
    f["adopted_and_applied"] = (f["adopted"].astype(bool) & f["applied"].astype(bool)).astype("int64")
    f["category"] = evidence_category(f["adopted"], f["applied"], f["developing"])
    f["evidence"] = f["category"].ne("unknown").astype("int64")
    return f


def fact_counts(facts: pd.DataFrame, councils: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Procurement facts → (council × quarter counts, council × quarter × weighting histogram): everything the
    notice measures read. Both are sums, so the counts of a set of procurements are the counts of its parts
    added up (`add_counts`): an incremental build adds the counts of its new procurements and subtracts those of
    the ones it replaces instead of reading every procurement again."""
    prepared = prepare_facts(facts, councils)
    return normal_counts(council_quarter_counts(prepared)), normal_histogram(weighting_histogram(prepared))


def normal_counts(counts: pd.DataFrame) -> pd.DataFrame:
    """Counts in one canonical form (rows with procurements only, sorted, int64): equal inputs, equal frames."""
    c = counts[["gss_code", "quarter", *COUNT_COLUMNS]]
    c = c[c["n_all"].ne(0)] if len(c) else c
    out = pd.DataFrame({"gss_code": c["gss_code"].astype(str).to_numpy(),
                        "quarter": c["quarter"].fillna("").astype(str).to_numpy()})
    for col in COUNT_COLUMNS:
        out[col] = c[col].to_numpy(dtype="int64")
    return out.sort_values(["gss_code", "quarter"], kind="stable").reset_index(drop=True)


def normal_histogram(hist: pd.DataFrame) -> pd.DataFrame:
    h = hist[["gss_code", "quarter", "weighting_pct", "n"]]
    h = h[h["n"].ne(0)] if len(h) else h
    out = pd.DataFrame({"gss_code": h["gss_code"].astype(str).to_numpy(),
                        "quarter": h["quarter"].fillna("").astype(str).to_numpy(),
                        "weighting_pct": h["weighting_pct"].to_numpy(dtype="float64"),
                        "n": h["n"].to_numpy(dtype="int64")})
    return out.sort_values(["gss_code", "quarter", "weighting_pct"], kind="stable").reset_index(drop=True)


def add_counts(base: tuple[pd.DataFrame, pd.DataFrame], plus: tuple[pd.DataFrame, pd.DataFrame],
               minus: tuple[pd.DataFrame, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """base + plus − minus for (counts, histogram) pairs of `fact_counts` (integer sums: exact)."""
    counts = pd.concat([base[0], plus[0], minus[0].assign(**{c: -minus[0][c] for c in COUNT_COLUMNS})])
    counts = counts.groupby(["gss_code", "quarter"], as_index=False, sort=True)[COUNT_COLUMNS].sum()
    hist = pd.concat([base[1], plus[1], minus[1].assign(n=-minus[1]["n"])])
    hist = hist.groupby(["gss_code", "quarter", "weighting_pct"], as_index=False, sort=True)["n"].sum()
    return normal_counts(counts), normal_histogram(hist)


# store_meta: the fingerprint of the adoption records and councils the live measure_values were computed from
# (`inputs_fingerprint`): while it holds, an incremental build rewrites only the cells whose sums changed
INPUTS_KEY = "build_measure_inputs"
CELL_KEYS = ["level", "unit_code", "period_type", "period"]  # one measure_values cell: a unit in a period


def _changed(old: pd.DataFrame, new: pd.DataFrame, keys: list[str], cols: list[str]) -> pd.DataFrame:
    """The `keys` whose `cols` sums differ between two tables (a key present in one only counts)."""
    both = pd.concat([old[keys + cols], new[keys + cols].assign(**{c: -new[c] for c in cols})])
    diff = both.groupby(keys, as_index=False, sort=False)[cols].sum()
    return diff.loc[diff[cols].ne(0).any(axis=1), keys]


def touched_cells(old: tuple[pd.DataFrame, pd.DataFrame], new: tuple[pd.DataFrame, pd.DataFrame],
                  councils: pd.DataFrame) -> pd.DataFrame:
    """The measure_values cells (CELL_KEYS) whose rows can differ between `values_from_counts` on the (counts,
    histogram) pair `old` and on `new`, with the same adoption records and councils. A cell's row reads only its
    unit's sums in its period, its unit's quarters ('all': first_applied_quarter) and its councils' flags ('all':
    the record measures; a council's `applied` flag reads its own counts). So: every unit of a council whose
    counts or weightings changed in a quarter, in that quarter, its year and 'all'; and every unit in a period
    that entered or left the grid (the quarters from the first to the last seen, `_periods`)."""
    changed = pd.concat([_changed(old[0], new[0], ["gss_code", "quarter"], COUNT_COLUMNS),
                         _changed(old[1], new[1], ["gss_code", "quarter", "weighting_pct"], ["n"])
                         [["gss_code", "quarter"]]]).drop_duplicates()
    units = unit_map(councils)
    parts = []
    if len(changed):
        mine = units.loc[units["gss_code"].isin(set(changed["gss_code"])), ["level", "unit_code"]].drop_duplicates()
        quarters = sorted(set(changed["quarter"]) - {""})
        years = sorted({q[:4] for q in quarters})
        periods = pd.DataFrame([("quarter", q) for q in quarters] + [("year", y) for y in years] + [("all", "all")],
                               columns=["period_type", "period"])
        parts.append(mine.merge(periods, how="cross"))
    before, after = _periods(old[0]["quarter"]), _periods(new[0]["quarter"])
    grid = pd.DataFrame([(pt, p) for pt in PERIOD_TYPES for p in sorted(set(before[pt]) ^ set(after[pt]))],
                        columns=["period_type", "period"])
    if len(grid):
        parts.append(units[["level", "unit_code"]].drop_duplicates().merge(grid, how="cross"))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=str) for c in CELL_KEYS})
    return pd.concat(parts, ignore_index=True).drop_duplicates().astype(str)[CELL_KEYS].reset_index(drop=True)


def _cell_periods(periods: dict[str, list[str]], cells: pd.DataFrame, counts: pd.DataFrame,
                  units: pd.DataFrame) -> dict[str, list[str]]:
    """The grid's periods the rows of `cells` read: their own, and for 'all' (first_applied_quarter) each unit's
    first quarter with an applied procurement — the earliest of its councils' first ones (counts are ≥ 0), so no
    earlier quarter of the unit can have one and the rows of those quarters give the same first quarter."""
    wanted = {pt: set(cells.loc[cells["period_type"].eq(pt), "period"]) for pt in PERIOD_TYPES}
    if "all" in wanted["all"]:
        applied = counts[counts["n_applied"].gt(0) & counts["quarter"].ne("")]
        first = applied.groupby("gss_code")["quarter"].min()
        firsts = units.assign(q=units["gss_code"].map(first)).groupby(["level", "unit_code"])["q"].min()
        wanted["quarter"] |= set(firsts.dropna())
    return {pt: [p for p in periods[pt] if p in wanted[pt]] for pt in PERIOD_TYPES}


def inputs_fingerprint(records: pd.DataFrame, councils: pd.DataFrame) -> str:
    """What measure_values depend on besides the sums: the adoption records and the councils (their units)."""
    digest = hashlib.sha1()
    for frame in (records, councils):
        digest.update(frame.to_csv(index=False).encode("utf-8") + b"\0")
    return digest.hexdigest()


def compute_measure_values(
    facts: pd.DataFrame, records: pd.DataFrame, councils: pd.DataFrame, registry: Registry | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Pure core: (measure_values in the store contract's columns, adoption_summary)."""
    counts, hist = fact_counts(facts, councils)
    return values_from_counts(counts, hist, records, councils, registry)


def values_from_counts(counts: pd.DataFrame, hist: pd.DataFrame, records: pd.DataFrame, councils: pd.DataFrame,
                       registry: Registry | None = None, cells: pd.DataFrame | None = None,
                       summary: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(measure_values, adoption_summary) from `fact_counts`' tables and the adoption records (cheap: the
    counts have one row per council and quarter, whatever the number of procurements). `cells` (CELL_KEYS, as
    `touched_cells` gives): only the measure_values rows of those cells, computed by the same functions on the
    same sums, so they equal those rows of the whole frame. `summary`: `adoption.adoption_summary(records,
    councils)` when the caller has it (the stored one of the same records)."""
    registry = registry or load_registry()
    units = unit_map(councils)
    periods = _periods(counts["quarter"])
    if cells is not None:
        periods = _cell_periods(periods, cells, counts, units)
    rolled = rollup(counts, units, periods)
    hist = rollup_histogram(hist, units, None if cells is None else periods)
    if cells is not None:
        # a cell's row reads its own unit's sums only, so the other units' rows are not computed at all
        wanted = pd.MultiIndex.from_frame(cells[["level", "unit_code"]].drop_duplicates())
        rolled = rolled[pd.MultiIndex.from_frame(rolled[["level", "unit_code"]]).isin(wanted)]
        hist = hist[pd.MultiIndex.from_frame(hist[["level", "unit_code"]]).isin(wanted)]
    if summary is None:
        summary = adoption.adoption_summary(records, councils)
    ctx = Context(rolled, hist, council_flags(summary, counts, councils), units)
    parts = []
    for m in registry.measures:
        out = COMPUTE[m.compute](ctx)
        if m.basis in ("records", "combined") or m.unit == "quarter":
            out = out[out["period_type"].eq("all")]  # defined for all time only (see the rationale)
        out = out.assign(measure_id=m.id, n_notices_all=out["n_all"])
        if "category" not in out.columns:
            out["category"] = ""
        den = out["denominator"].fillna(0)
        if m.basis in ("records", "combined"):
            single = out["level"].isin(SINGLE_LEVELS)
            out["low_n"] = np.where(single, den.eq(0), den.lt(m.min_n))
        else:
            out["low_n"] = den.lt(m.min_n).to_numpy()
        parts.append(out[VALUE_COLUMNS])
    values = pd.concat(parts, ignore_index=True)
    if cells is not None:
        wanted = pd.MultiIndex.from_frame(cells[CELL_KEYS])
        values = values[pd.MultiIndex.from_frame(values[CELL_KEYS]).isin(wanted)].reset_index(drop=True)
    values["low_n"] = values["low_n"].astype(bool)
    values["n_notices_all"] = values["n_notices_all"].astype("int64")
    values["category"] = values["category"].fillna("").astype(str)
    for c in ("numerator", "denominator", "value", "ci_low", "ci_high"):
        values[c] = values[c].astype("float64")
    return values, summary


# ------------------------------------------------------------------------------------------- the store

def read_adoption_records(con) -> pd.DataFrame:
    """The store's adoption records (embedded + imported), or the embedded ones when the table is absent."""
    if not store.table_exists(con, "adoption_records"):
        return adoption.load_embedded()
    frame = con.execute("SELECT * FROM adoption_records").df()
    out = adoption.to_schema(frame)
    if "origin" in frame.columns:
        out["origin"] = frame["origin"].fillna("embedded").astype(str).to_numpy()
    return out


def write_table(con, name: str, frame: pd.DataFrame) -> None:
    """Replace a table with a frame in one transaction (readers see the old or the new table, never half)."""
    live = name.removeprefix("_build_")  # the build's staging copies, swapped in by svdash.pipeline
    if live not in {"adoption_records", "adoption_summary", "measure_values", *COUNT_TABLES}:
        raise ValueError(f"measures.py does not write table {name!r}")
    with store.registered(con, "_svdash_frame", frame), store.transaction(con):
        con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM _svdash_frame')


# fact_counts' two tables, kept so an incremental build updates them instead of reading every procurement
COUNT_TABLES = ("measure_counts", "measure_weights")
FACT_COLUMNS = ["ocid", "date", "quarter", "buyer_gss_code", "buyer_kind", "sv_status", "weighting_pct",
                "criteria_visible"]


# the procurement_facts columns prepare_facts reads (with `quarter`, not `date`)
COUNTED_COLUMNS = ["quarter", "buyer_gss_code", "buyer_kind", "sv_status", "weighting_pct", "criteria_visible"]


def read_council_facts(con, facts_table: str = "procurement_facts", where: str = "",
                       params: list | None = None) -> pd.DataFrame:
    """The columns of `facts_table` that prepare_facts reads, council rows only; `where` (this package's own SQL,
    never user input) narrows them further, e.g. to the procurements an incremental build replaces."""
    if not store.table_exists(con, facts_table):
        return pd.DataFrame({c: pd.Series(dtype="object") for c in FACT_COLUMNS})
    have = {r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [facts_table]).fetchall()}
    missing = [c for c in ("buyer_gss_code", "sv_status", "weighting_pct", "criteria_visible") if c not in have]
    if missing or not have & {"quarter", "date"}:
        raise ValueError(f"{facts_table} lacks column(s) {', '.join(missing) or 'quarter/date'} "
                         "(see docs/ARCHITECTURE.md)")
    # Only what prepare_facts reads, and only council rows (it drops the others): at 5 M notices reading
    # every procurement with its ocid and date into pandas was the build's peak memory (2.5 GB).
    # quarter when the table has it, else derived from date (earliest release date of the ocid).
    wanted = [c for c in FACT_COLUMNS if c in have and c != "ocid" and not (c == "date" and "quarter" in have)]
    cols = ", ".join(f'"{c}"' for c in wanted)
    conditions = (["buyer_kind = 'council'"] if "buyer_kind" in have else []) + ([where] if where else [])
    clause = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    return con.execute(f'SELECT {cols} FROM "{facts_table}"{clause}', params or []).df()


def build_aggregates(con, registry: Registry | None = None, *, facts_table: str = "procurement_facts",
                     staged: bool = False) -> dict[str, int]:
    """Read procurement_facts + adoption_records, write measure_values and adoption_summary.

    When adoption_records is missing it is created from the embedded records. Returns counts.
    `staged=True` (used by svdash.pipeline.build) writes `_build_measure_values` / `_build_adoption_summary`
    instead, from the build's staged facts (`facts_table`), so the pipeline can swap facts and measures in
    together and a crash never leaves new facts beside old measures.
    """
    registry = registry or load_registry()
    facts = read_council_facts(con, facts_table)
    n_procurements = (int(con.execute(f'SELECT count(*) FROM "{facts_table}"').fetchall()[0][0])
                      if store.table_exists(con, facts_table) else 0)
    if not store.table_exists(con, "adoption_records"):
        write_table(con, "adoption_records", adoption.load_embedded().assign(origin="embedded"))
    records = read_adoption_records(con)
    councils = geo.load_councils()
    counts, hist = fact_counts(facts, councils)
    values, summary = values_from_counts(counts, hist, records, councils, registry)
    prefix = "_build_" if staged else ""
    write_table(con, prefix + "measure_values", values)
    write_table(con, prefix + "adoption_summary", summary)
    write_table(con, prefix + COUNT_TABLES[0], counts)
    write_table(con, prefix + COUNT_TABLES[1], hist)
    if not staged and store.table_exists(con, "store_meta"):  # the pipeline records it with what it swaps in
        store.set_meta(con, INPUTS_KEY, inputs_fingerprint(records, councils))
    return {"measure_values": len(values), "adoption_summary": len(summary), "procurements": n_procurements}


# --------------------------------------------------------------------------------- adoption over time

TREND_START = date(2013, 1, 1)  # the Act came into force on 31 January 2013: every trend's x-axis starts here
TREND_LEVELS = {"comparison_group": "comparison_group", "region": "region_name", "council_type": "council_type",
                "england": None}


def adoption_timeline(summary: pd.DataFrame, councils: pd.DataFrame) -> pd.DataFrame:
    """Councils whose selected record says a policy, charter or strategy is adopted (the numerator of
    adoption_recorded_share), with when adoption is first evidenced: gss_code, name, comparison_group,
    region_name, council_type, status, recorded (the earliest dated adoption record's date as written, ""
    when none is dated), precision (day / month / year / undated) and placed (that date's last possible day:
    `adoption.period_end`; NaT when undated — counted and disclosed, never placed on a guessed date)."""
    cols = ["gss_code", "name", "comparison_group", "region_name", "council_type", "status", "recorded",
            "precision", "placed"]
    s = summary.reindex(columns=["gss_code", "status", "first_adopted_date", "first_adopted_on"])
    s = s[s["status"].isin(adoption.ADOPTED_STATUSES)].drop_duplicates("gss_code")
    c = councils[["gss_code", "name", "comparison_group", "region_name", "council_type"]]
    out = c.merge(s, on="gss_code", how="inner")
    recorded = out["first_adopted_date"].astype(object).fillna("").astype(str)
    out["recorded"] = recorded
    out["precision"] = recorded.str.len().map({10: "day", 7: "month", 4: "year"}).fillna("undated")
    out["placed"] = pd.to_datetime(recorded.map(lambda v: adoption.period_end(v)), errors="coerce")
    return out.reindex(columns=cols).sort_values(["placed", "name"], kind="stable", na_position="last") \
        .reset_index(drop=True)


def _trend_units(councils: pd.DataFrame, level: str) -> pd.Series:
    """The unit each council belongs to at a trend level (England: one unit)."""
    col = TREND_LEVELS[level]
    return pd.Series(ENGLAND[1], index=councils.index) if col is None else councils[col].astype(str)


def adoption_steps(timeline: pd.DataFrame, councils: pd.DataFrame, level: str, end: date) -> pd.DataFrame:
    """Cumulative share of councils with a dated adoption record, per unit of `level`, as steps: one row at
    TREND_START, one per date a record is placed on (`step` True, `added` councils), one at `end`. Columns:
    unit, date, added, numerator (councils adopted by that date), denominator (all councils of the unit,
    counties included, as in the headline), value, ci_low, ci_high (Wilson 95 %), step. A record dated
    before TREND_START counts from the start. Undated records are not here (see `undated_counts`)."""
    units = _trend_units(councils, level)
    denominators = units.value_counts()
    dated = timeline[timeline["placed"].notna()]
    unit_of = dict(zip(councils["gss_code"], units))
    start, stop = pd.Timestamp(TREND_START), pd.Timestamp(end)
    rows = []
    for unit in denominators.index:
        mine = dated[dated["gss_code"].map(unit_of).eq(unit)]
        placed = mine["placed"].clip(lower=start)
        placed = placed[placed <= stop]
        per_day = placed.value_counts().sort_index()
        before = int(per_day.get(start, 0))
        rows.append({"unit": unit, "date": start, "added": before, "numerator": before, "step": before > 0})
        total = before
        for day, k in per_day.items():
            if day == start:
                continue
            total += int(k)
            rows.append({"unit": unit, "date": day, "added": int(k), "numerator": total, "step": True})
        if rows[-1]["date"] < stop:
            rows.append({"unit": unit, "date": stop, "added": 0, "numerator": total, "step": False})
    out = pd.DataFrame(rows, columns=["unit", "date", "added", "numerator", "step"])
    out["denominator"] = out["unit"].map(denominators).astype("int64")
    return _with_wilson(out)


def _with_wilson(frame: pd.DataFrame) -> pd.DataFrame:
    low, high = wilson_interval(frame["numerator"].to_numpy("float64"), frame["denominator"].to_numpy("float64"))
    return frame.assign(value=frame["numerator"] / frame["denominator"].where(frame["denominator"] > 0),
                        ci_low=low, ci_high=high)


def adoption_by_year(timeline: pd.DataFrame, councils: pd.DataFrame, level: str, end: date) -> pd.DataFrame:
    """The same cumulative share read at the end of each year from 2013 (the last year: at `end`), for tables
    and downloads: unit, period ('2013'…), as_of, numerator, denominator, value, ci_low, ci_high, added."""
    steps = adoption_steps(timeline, councils, level, end)
    rows = []
    for unit, s in steps.groupby("unit", sort=False):
        for year in range(TREND_START.year, end.year + 1):
            as_of = pd.Timestamp(min(date(year, 12, 31), end))
            upto = s[s["date"] <= as_of]
            k = int(upto["numerator"].iloc[-1]) if len(upto) else 0
            added = int(upto.loc[upto["date"].dt.year.eq(year), "added"].sum())
            rows.append({"unit": unit, "period": str(year), "as_of": as_of.date().isoformat(), "numerator": k,
                         "denominator": int(s["denominator"].iloc[0]), "added": added})
    return _with_wilson(pd.DataFrame(rows, columns=["unit", "period", "as_of", "numerator", "denominator", "added"]))


def undated_counts(timeline: pd.DataFrame, councils: pd.DataFrame, level: str) -> pd.DataFrame:
    """Per unit: councils with an adoption record (selected record adopted), how many of them are dated and
    undated, and the steps a line can show (distinct placed dates): unit, n_adopted, n_dated, n_undated,
    n_steps. Units without a record appear with zeros."""
    units = _trend_units(councils, level)
    unit_of = dict(zip(councils["gss_code"], units))
    t = timeline.assign(unit=timeline["gss_code"].map(unit_of))
    g = t.groupby("unit")
    out = pd.DataFrame({"n_adopted": g.size(), "n_dated": g["placed"].count(),
                        "n_steps": g["placed"].nunique()}).reindex(units.unique()).fillna(0).astype("int64")
    out["n_undated"] = out["n_adopted"] - out["n_dated"]
    return out.rename_axis("unit").reset_index()[["unit", "n_adopted", "n_dated", "n_undated", "n_steps"]]
