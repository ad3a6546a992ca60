"""The one filter model: what the user is looking at, as a dataclass that round-trips through plain URL params.

Every page, chart, table and download takes a `Filters`, so a shared URL reproduces the view and the CSV
holds exactly the rows on screen. Params are checked against allow-lists (never eval'd or unpickled): an
unknown value falls back to the default and is reported, so a hand-edited or stale URL never crashes a page.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import pandas as pd
import yaml

from svdash.geo import COUNCIL_TYPES, GROUP_ORDER, REGION_ORDER

MEASURES_YAML = Path(__file__).with_name("measures.yaml")
FIRST_YEAR = 2013  # the Act came into force on 31 January 2013
LAST_YEAR = 2030
DEFAULT_MEASURE = "adoption_evidence"  # the headline (first in measures.yaml); pages fall back when a store lacks it
# Units: lower tier (LAD), upper tier (UTLA), hex layout of LADs, and the pooled views: regions and comparison
# groups (one value per region or group, drawn on the lower-tier map), for measures too thin per council.
GEOGRAPHIES = ("lower", "upper", "hex", "region", "group")
POOLED = ("region", "group")
PERIOD_TYPES = ("all", "year", "quarter")
# The measure_values level each geography reads (a hex is a lower-tier council).
LEVEL_FOR_GEOGRAPHY = {"lower": "council", "upper": "upper_tier", "hex": "council", "region": "region",
                       "group": "comparison_group"}
_QUARTER_RE = re.compile(r"^(\d{4})Q([1-4])$")
_YEAR_RE = re.compile(r"^(\d{4})$")
_GSS_RE = re.compile(r"^E(06|07|08|09|10)\d{6}$")


@lru_cache(maxsize=4)
def _registry(path: Path) -> tuple[dict[str, Any], ...]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    caveats = doc.get("caveats", {})
    out = []
    for m in doc.get("measures", []):
        m = dict(m)
        m["caveat_texts"] = [caveats.get(c, c) for c in m.get("caveats", [])]
        m["registry_version"] = doc.get("version", "")
        out.append(m)
    return tuple(out)


def measure_registry(path: Path = MEASURES_YAML) -> list[dict[str, Any]]:
    """The measures as defined in measures.yaml (read-only data; caveat ids expanded to their text)."""
    return [dict(m) for m in _registry(path)]


def measure_ids(path: Path = MEASURES_YAML) -> list[str]:
    return [m["id"] for m in _registry(path)]


def measure_def(measure_id: str, path: Path = MEASURES_YAML) -> dict[str, Any]:
    for m in _registry(path):
        if m["id"] == measure_id:
            return dict(m)
    raise KeyError(measure_id)


def category_ids(table: pd.DataFrame, categories: list[dict[str, Any]]) -> pd.Series:
    """A category measure's `category` column with a blank read as the registry's last category (no evidence
    found): every count, colour and order of categories treats a council without a value the same way."""
    return table["category"].replace("", categories[-1]["id"] if categories else "")


def valid_period(period_type: str, period: str) -> bool:
    if period_type == "all":
        return period == "all"
    m = (_YEAR_RE if period_type == "year" else _QUARTER_RE).match(period or "")
    return bool(m) and FIRST_YEAR <= int(m.group(1)) <= LAST_YEAR


@dataclass(frozen=True)
class Filters:
    """What is on screen. Empty strings mean "all" for region, council type and group."""

    measure: str = DEFAULT_MEASURE
    geography: str = "lower"
    period_type: str = "all"
    period: str = "all"
    region: str = ""
    council_type: str = ""
    group: str = ""
    council: str = ""  # a selected council's gss_code (profile page), "" when none

    @property
    def level(self) -> str:
        return LEVEL_FOR_GEOGRAPHY[self.geography]

    @property
    def pooled(self) -> bool:
        """Regions or comparison groups: one pooled value per unit instead of one per council."""
        return self.geography in POOLED

    def describe(self) -> str:
        """Plain words for titles: 'all periods, East of England, rural councils' (only the filters that apply:
        a pooled view by region ignores the group and type filters, and the other way round)."""
        period = "all periods since 2013" if self.period_type == "all" else self.period
        if self.geography == "region":
            return f"{period}, {self.region or 'England'}, by region (pooled)"
        if self.geography == "group":
            return f"{period}, England, by comparison group (pooled)" + (f": {self.group}" if self.group else "")
        where = self.region or "England"
        bits = [period, where]
        if self.council_type:
            bits.append(f"{self.council_type}s")
        if self.group:
            bits.append(f"{self.group} councils")
        return ", ".join(bits)

    def to_params(self) -> dict[str, str]:
        """Only the non-default fields, as plain strings (short, stable URLs)."""
        default = Filters()
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) != getattr(default, f.name)}

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def from_params(params: Mapping[str, Any], allowed_measures: list[str] | None = None) -> tuple[Filters, list[str]]:
    """Filters from URL params; (filters, rejected) where rejected names each param that was not allowed.

    Unknown keys are ignored (other widgets may own them); known keys with junk values fall back to the default.
    """
    allowed_measures = allowed_measures if allowed_measures is not None else measure_ids()
    allow = {
        "measure": set(allowed_measures), "geography": set(GEOGRAPHIES), "period_type": set(PERIOD_TYPES),
        "region": {"", *REGION_ORDER}, "council_type": {"", *COUNCIL_TYPES}, "group": {"", *GROUP_ORDER},
    }
    values: dict[str, str] = {}
    rejected: list[str] = []
    for f in fields(Filters):
        if f.name not in params:
            continue
        raw = params[f.name]
        if isinstance(raw, (list, tuple)):  # st.query_params can hold repeated keys
            raw = raw[-1] if raw else ""
        value = str(raw)[:64]
        if f.name in allow:
            ok = value in allow[f.name]
        elif f.name == "council":
            ok = value == "" or bool(_GSS_RE.match(value))
        else:  # period: checked with period_type below
            ok = True
        if ok:
            values[f.name] = value
        else:
            rejected.append(f.name)
    flt = Filters(**values)
    if "period" not in values:
        # a period type without a period: pick the type's natural default rather than a mismatch
        flt = replace(flt, period="all" if flt.period_type == "all" else "")
    if not valid_period(flt.period_type, flt.period):
        if "period" in values or flt.period:
            rejected.append("period")
        flt = replace(flt, period_type="all", period="all")
    return flt, rejected


def apply(flt: Filters, values: pd.DataFrame, councils: pd.DataFrame, *, level: str | None = None,
          period: bool = True) -> pd.DataFrame:
    """measure_values rows for the filter's measure, level and period, limited to the geography filters.

    `councils` is svdash.geo.load_councils() (or the upper-tier table renamed to gss_code): it supplies
    region, council type and group, so a council without values is still known. Returns the value rows
    joined to council attributes, in name order.
    """
    level = level or flt.level
    rows = values[values["measure_id"].eq(flt.measure) & values["level"].eq(level)]
    if period:
        rows = rows[rows["period_type"].eq(flt.period_type) & rows["period"].eq(flt.period)]
    keep = select_councils(flt, councils)
    cols = ["gss_code", "name", "council_type", "region_name", "comparison_group"]
    out = rows.merge(keep[cols], left_on="unit_code", right_on="gss_code", how="inner")
    return out.sort_values(["name", "period"], kind="stable").reset_index(drop=True)


def select_councils(flt: Filters, councils: pd.DataFrame) -> pd.DataFrame:
    """Councils (or pooled units) that pass the region / council type / comparison group filters. A pooled
    view keeps the one filter that names its units (a region, a group); the others cannot split a pooled
    value and are ignored (pages say so)."""
    mask = pd.Series(True, index=councils.index)
    if flt.geography == "region":
        return councils[councils["region_name"].eq(flt.region)] if flt.region else councils
    if flt.geography == "group":
        return councils[councils["comparison_group"].eq(flt.group)] if flt.group else councils
    if flt.region:
        mask &= councils["region_name"].eq(flt.region)
    if flt.council_type:
        mask &= councils["council_type"].eq(flt.council_type)
    if flt.group:
        mask &= councils["comparison_group"].eq(flt.group)
    return councils[mask]
