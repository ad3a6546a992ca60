"""Filter widgets shared by the pages: each returns a new Filters, seeded from the current one (the URL)."""
from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from svdash import views
from svdash.filters import GEOGRAPHIES, Filters, measure_def, measure_registry
from svdash.geo import COUNCIL_TYPES, GROUP_ORDER, REGION_ORDER
from ui import url_state

ALL = "All"
GEOGRAPHY_LABELS = {"lower": "Lower tier (districts, unitaries, boroughs)", "upper": "Upper tier (counties, unitaries)",
                    "hex": "Hex map (equal-size lower tier)", "region": "Regions (pooled)",
                    "group": "Comparison groups (pooled)"}
TABLE_GEOGRAPHIES = ("lower", "upper", "region", "group")  # tables have no hex layout
UNIT_LABELS = {**GEOGRAPHY_LABELS, "lower": "Councils (lower tier: districts, unitaries, boroughs)",
               "upper": "Councils (upper tier: counties, unitaries)"}
PERIOD_TYPE_LABELS = {"all": "All years together", "year": "Year", "quarter": "Quarter"}


def _pick(label: str, options: list[str], current: str, key: str, fmt=None, container=st) -> str:
    index = options.index(current) if current in options else 0
    return container.selectbox(label, options, index=index, key=key, format_func=fmt or str)


def measure_picker(flt: Filters, key: str, container=st, basis: str | tuple[str, ...] | None = None) -> Filters:
    bases = (basis,) if isinstance(basis, str) else basis
    regs = [m for m in measure_registry() if bases is None or m.get("basis") in bases]
    titles = {m["id"]: m["title"] for m in regs}
    ids = list(titles)
    m = _pick("Measure", ids, flt.measure, key, fmt=lambda i: titles.get(i, i), container=container)
    return replace(flt, measure=m)


def geography_filters(flt: Filters, key: str, container=st, council_type: bool = True) -> Filters:
    if flt.pooled:
        # one value per region or group (all its councils added together): only the filter naming those units
        # can apply, so it is the only one shown
        cols = container.columns(2)
        if flt.geography == "region":
            region = _pick("Region", [ALL, *REGION_ORDER], flt.region or ALL, f"{key}_region", container=cols[0])
            cols[1].caption("Pooled by region: each region is all its councils added together.")
            return replace(flt, region="" if region == ALL else region, group="", council_type="")
        group = _pick("Comparison group", [ALL, *GROUP_ORDER], flt.group or ALL, f"{key}_group",
                      fmt=lambda g: g.capitalize(), container=cols[0])
        cols[1].caption("Pooled by comparison group: each group is all its councils added together.")
        return replace(flt, group="" if group == ALL else group, region="", council_type="")
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


def period_filters(flt: Filters, periods: pd.DataFrame, key: str, container=st) -> Filters:
    """Period type (all / year / quarter) and a slider over the periods the measure has since 2013 (`periods`:
    measure_id, period_type, period, as from views.measure_periods)."""
    cols = container.columns([1, 3])
    ptype = _pick("Period", ["all", "year", "quarter"], flt.period_type, f"{key}_ptype",
                  fmt=PERIOD_TYPE_LABELS.get, container=cols[0])
    if ptype == "all":
        cols[1].caption("Showing all years since 2013 together. Choose Year or Quarter to step through time.")
        return replace(flt, period_type="all", period="all")
    mine = periods[periods["measure_id"].eq(flt.measure) & periods["period_type"].eq(ptype)]["period"]
    options = sorted(p for p in mine.unique() if p[:4] >= "2013")
    if not options:
        cols[1].info(f"This measure has no {ptype}ly values (it is computed for all years together); "
                     "showing all years.")
        return replace(flt, period_type="all", period="all")
    current = flt.period if flt.period in options else options[-1]
    if len(options) == 1:
        cols[1].caption(f"Only one {ptype} has values: {options[0]}.")
        return replace(flt, period_type=ptype, period=options[0])
    period = cols[1].select_slider(f"{PERIOD_TYPE_LABELS[ptype]} (from 2013)", options=options, value=current,
                                   key=f"{key}_period_{ptype}")
    return replace(flt, period_type=ptype, period=period)


def geography_picker(flt: Filters, key: str, container=st, choices: tuple[str, ...] = GEOGRAPHIES,
                     label: str = "Map units") -> Filters:
    labels = GEOGRAPHY_LABELS if label == "Map units" else UNIT_LABELS
    g = _pick(label, list(choices), flt.geography, key, fmt=labels.get, container=container)
    return replace(flt, geography=g)


def _set_state(values: dict[str, str]) -> None:
    for k, v in values.items():
        st.session_state[k] = v


def pooled_offer(flt: Filters, summary: pd.DataFrame, key: str) -> bool:
    """When the measure has too little council-level data (views.has_enough), say so and offer, in one click, the
    pooled views that do have data (they set the page's units picker, `key`_geography) — or, when even those
    have none, the first measure that has data here (`key`_measure, pooled if need be). True when shown."""
    if flt.pooled or views.has_enough(summary, flt.measure, flt.geography):
        return False
    mdef = measure_def(flt.measure)
    n = views.units_with_data(summary, flt.measure, flt.level)
    pooled = [g for g in ("region", "group") if views.has_enough(summary, flt.measure, g)]
    text = (f"**Too little council-level data for this measure:** {n:,} councils have a value resting on at "
            f"least {mdef.get('min_n')} {mdef.get('denominator')} (n ≥ {mdef.get('min_n')}), so a council map or "
            "league table would be nearly all grey or blank. That is *no evidence in the published notices*, not "
            "*not applied*. ")
    words = {"region": "Show by region (pooled)", "group": "Show by comparison group (pooled)"}
    cols = st.columns(2)
    if pooled:
        st.info(text + "Pooled views add councils together per region or comparison group, each with its n and "
                "95 % interval:")
        for col, g in zip(cols, pooled):
            col.button(words[g], key=f"{key}_pool_{g}", icon=":material/join_inner:", on_click=_set_state,
                       args=({f"{key}_geography": g},))
        return True
    measure, geography = views.choose_default(summary, flt.geography)
    usable = views.has_enough(summary, measure, geography)
    st.info(text + "Even added together per region or comparison group no unit reaches that n, so this measure "
            "cannot be read from this data" + (":" if not usable else "; this one can:"))
    if usable and measure != flt.measure:
        title = measure_def(measure)["title"]
        how = "" if geography == flt.geography else f" {words[geography].split(' ', 1)[1].replace('Show ', '')}"
        cols[0].button(f"Show {title}{how}", key=f"{key}_pool_other", icon=":material/map:", on_click=_set_state,
                       args=({f"{key}_measure": measure, f"{key}_geography": geography},))
    return True


# Narrow columns with short headers on screen (the download keeps the full header), so a council's name, its
# category and how many procurements apply social value fit in the page without scrolling sideways.
COMPACT_COLUMNS = {"ONS code": ("ONS code", 90), "Evidence of adoption": ("Evidence of adoption", 228),
                   "Adoption record": ("Adoption record", 115), "Record date": ("Record date", 95),
                   "Procurements applying social value": ("Applying SV", 90)}


def column_config(frame: pd.DataFrame, name_col: str = "Council") -> dict:
    """st.dataframe column settings: the unit's name medium-wide, the COMPACT_COLUMNS narrow (pixels; the full
    header is the column's tooltip)."""
    config: dict = {name_col: st.column_config.TextColumn(name_col, width="medium")}
    for col, (label, width) in COMPACT_COLUMNS.items():
        if col in frame.columns:
            config[col] = st.column_config.Column(label, width=width, help=col)
    return config


def lean_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The same cells with each text column that repeats its values (categories, regions, types) sent to the
    browser as an Arrow dictionary: the Overview's table of 296 councils is 25 kB instead of 61 kB of its first
    view (issue 22), though collapsed. Downloads keep the plain frame. A column with blank cells stays as it is:
    the grid shows a blank category as "None"."""
    out = frame.copy()
    for col in out.columns:
        s = out[col]
        if (pd.api.types.is_string_dtype(s) or s.dtype == object) and s.nunique(dropna=False) <= len(s) // 4 \
                and not (s.isna() | s.astype(str).eq("")).any():
            out[col] = s.astype("category")
    return out


def table_twin(frame: pd.DataFrame, label: str, key: str, expanded: bool = False) -> None:
    """The data behind a chart, in an expander, with its own CSV download."""
    from svdash.export import to_csv_bytes

    with st.expander(f"Table: {label}", expanded=expanded):
        st.dataframe(lean_table(frame), hide_index=True, width="stretch", column_config=column_config(frame))
        st.download_button("Download this table (CSV)", to_csv_bytes(frame), file_name=f"{key}.csv",
                           mime="text/csv", key=f"dl_{key}")


def filter_panel(flt: Filters, periods: pd.DataFrame, key: str, choices: tuple[str, ...] = GEOGRAPHIES,
                 units_label: str = "Map units") -> Filters:
    """The full filter panel shared by Map, Compare and Data: measure, units, period, geography.

    `choices` are the units the page can show (no hex without a map), `units_label` names the picker ("Map
    units" only where a map is drawn). Writes the result back to the URL so the view can be shared. `key`
    prefixes every widget key.
    """
    top = st.columns([3, 2])
    flt = measure_picker(flt, f"{key}_measure", container=top[0])
    flt = geography_picker(flt, f"{key}_geography", container=top[1], choices=choices, label=units_label)
    flt = period_filters(flt, periods, key)
    flt = geography_filters(flt, key, council_type=not flt.pooled)
    url_state.write(flt)
    return flt
