"""Filter widgets shared by the pages: each returns a new Filters, seeded from the current one (the URL)."""
from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from svdash import views
from svdash.filters import GEOGRAPHIES, Filters, measure_registry
from svdash.geo import COUNCIL_TYPES, GROUP_ORDER, REGION_ORDER
from ui import url_state

ALL = "All"
GEOGRAPHY_LABELS = {"lower": "Lower tier (districts, unitaries, boroughs)", "upper": "Upper tier (counties, unitaries)",
                    "hex": "Hex map (equal-size lower tier)"}
PERIOD_TYPE_LABELS = {"all": "All years together", "year": "Year", "quarter": "Quarter"}


def _pick(label: str, options: list[str], current: str, key: str, fmt=None, container=st) -> str:
    index = options.index(current) if current in options else 0
    return container.selectbox(label, options, index=index, key=key, format_func=fmt or str)


def measure_picker(flt: Filters, key: str, container=st, basis: str | None = None) -> Filters:
    regs = [m for m in measure_registry() if basis is None or m.get("basis") == basis]
    titles = {m["id"]: m["title"] for m in regs}
    ids = list(titles)
    m = _pick("Measure", ids, flt.measure, key, fmt=lambda i: titles.get(i, i), container=container)
    return replace(flt, measure=m)


def geography_filters(flt: Filters, key: str, container=st, council_type: bool = True) -> Filters:
    cols = container.columns(3 if council_type else 2)
    region = _pick("Region", [ALL, *REGION_ORDER], flt.region or ALL, f"{key}_region", container=cols[0])
    group = _pick("Comparison group", [ALL, *GROUP_ORDER], flt.group or ALL, f"{key}_group",
                  fmt=lambda g: g.capitalize(), container=cols[1])
    ctype = flt.council_type
    if council_type:
        ctype = _pick("Council type", [ALL, *COUNCIL_TYPES], flt.council_type or ALL, f"{key}_type",
                      fmt=lambda g: g.capitalize(), container=cols[2])
    return replace(flt, region="" if region == ALL else region, group="" if group == ALL else group,
                   council_type="" if ctype == ALL else ctype)


def period_filters(flt: Filters, values: pd.DataFrame, key: str, container=st) -> Filters:
    """Period type (all / year / quarter) and a slider over the periods present since 2013."""
    cols = container.columns([1, 3])
    ptype = _pick("Period", ["all", "year", "quarter"], flt.period_type, f"{key}_ptype",
                  fmt=PERIOD_TYPE_LABELS.get, container=cols[0])
    if ptype == "all":
        cols[1].caption("Showing every procurement since 2013 together. Choose Year or Quarter to step through time.")
        return replace(flt, period_type="all", period="all")
    options = [p for p in views.periods(values, ptype) if p[:4] >= "2013"]
    if not options:
        cols[1].info(f"No {ptype}ly values in this store.")
        return replace(flt, period_type="all", period="all")
    current = flt.period if flt.period in options else options[-1]
    if len(options) == 1:
        cols[1].caption(f"Only one {ptype} has values: {options[0]}.")
        return replace(flt, period_type=ptype, period=options[0])
    period = cols[1].select_slider(f"{PERIOD_TYPE_LABELS[ptype]} (from 2013)", options=options, value=current,
                                   key=f"{key}_period_{ptype}")
    return replace(flt, period_type=ptype, period=period)


def geography_picker(flt: Filters, key: str, container=st) -> Filters:
    g = _pick("Map units", list(GEOGRAPHIES), flt.geography, key, fmt=GEOGRAPHY_LABELS.get, container=container)
    return replace(flt, geography=g)


def table_twin(frame: pd.DataFrame, label: str, key: str, expanded: bool = False) -> None:
    """The data behind a chart, in an expander, with its own CSV download."""
    from svdash.export import to_csv_bytes

    with st.expander(f"Table: {label}", expanded=expanded):
        st.dataframe(frame, hide_index=True, width="stretch")
        st.download_button("Download this table (CSV)", to_csv_bytes(frame), file_name=f"{key}.csv",
                           mime="text/csv", key=f"dl_{key}")


def filter_panel(flt: Filters, values: pd.DataFrame, key: str) -> Filters:
    """The full filter panel shared by Map, Compare and Data: measure, map units, period, geography.

    Writes the result back to the URL so the view can be shared. `key` prefixes every widget key.
    """
    top = st.columns([3, 2])
    flt = measure_picker(flt, f"{key}_measure", container=top[0])
    flt = geography_picker(flt, f"{key}_geography", container=top[1])
    flt = period_filters(flt, values, key)
    flt = geography_filters(flt, key)
    url_state.write(flt)
    return flt
