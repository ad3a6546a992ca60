"""Filter widgets shared by the pages: each returns a new Filters, seeded from the current one (the URL)."""
from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from svdash import views
from svdash.export import RECORD_DATE
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
# The key columns of a council row (name 200 + these) add up to under 870 px, so on a 1366 × 900 screen they are
# in view beside Compare's selection boxes; each is wide enough for its longest value (measured in the browser).
COMPACT_COLUMNS = {"ONS code": ("ONS code", 90), "Evidence of adoption": ("Evidence of adoption", 240),
                   "Adoption record": ("Adoption record", 150), RECORD_DATE: ("Record date", 95),
                   "Record date precision": ("Precision", 75),
                   "Procurements applying social value": ("Applying SV", 85),
                   "Council procurements (all)": ("Procurements", 90), "Tier": ("Tier", 100)}


# The profile's procurement table: name → (pixels, header tooltip). The widths add up to less than the main
# column at 1366 × 900 (≈ 900 px), so nothing is off-screen and the longest status is shown in full (the browser
# test measures it).
PROCUREMENT_COLUMNS = {
    "Latest notice": (95, "Date of the procurement's latest notice (newest first)"),
    "Status": (150, "Applied / Dismissed / No evidence in notice: no social value evidence in the published "
                    "notice, which is not the same as not applied"),
    "Title": (445, None),
    "Weighting": (80, "Largest social value weighting stated in the procurement's notices"),
    "Notices": (75, "Notices of this procurement (tender, update, award) counted as one row"),
    "Notice": (55, "The published notice; blank: no link published"),
}


def column_config(frame: pd.DataFrame, name_col: str = "Council") -> dict:
    """st.dataframe column settings: the unit's name medium-wide and pinned (it stays in view when the table
    scrolls sideways), the COMPACT_COLUMNS narrow but wide enough for their longest value (pixels; the full
    header is the column's tooltip)."""
    config: dict = {name_col: st.column_config.TextColumn(name_col, width="medium", pinned=True)}
    for col, (label, width) in COMPACT_COLUMNS.items():
        if col in frame.columns:
            config[col] = st.column_config.Column(label, width=width, help=col)
    return config


# Column names of the stored tables in words (a chart's table must not show internal names such as low_n)
PLAIN_COLUMNS = {"unit": "Unit", "period": "Period", "numerator": "Numerator", "denominator": "Denominator",
                 "value": "Value (0–1)", "ci_low": "95 % interval low (0–1)", "ci_high": "95 % interval high (0–1)",
                 "low_n": "Fewer than the minimum n", "n_notices_all": "All procurements",
                 "sv_status": "Status", "n": "Procurements", "n_criteria_visible": "With visible evaluation criteria"}


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
    """The data behind a chart, in an expander, with its own CSV download (columns named in words)."""
    from svdash.export import to_csv_bytes

    frame = frame.rename(columns=PLAIN_COLUMNS)
    with st.expander(f"Table: {label}", expanded=expanded):
        st.dataframe(lean_table(frame), hide_index=True, width="stretch", column_config=column_config(frame),
                     placeholder="–")
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


# Short card labels (the full label and meaning are the tooltip), so six cards fit a 1366 px screen.
CARD_LABELS = views.CATEGORY_SHORT_LABELS


def category_cards(n: dict[str, int], categories: list[dict], total_label: str) -> None:
    """One card per evidence category and the total they add up to (no card counts a council twice), then
    the sum written out and how 'policy in development' enters 'with evidence'."""
    cols = st.columns(len(categories) + 1)
    for col, c in zip(cols, categories):
        col.metric(CARD_LABELS.get(c["id"], c["label"]), f"{n.get(c['id'], 0):,}",
                   help=f"{c['label']}: {c['meaning']}.")
    total = sum(int(n.get(c["id"], 0)) for c in categories)
    cols[-1].metric(total_label, f"{total:,}", help="The categories above add up to this total.")
    found = total - int(n.get("unknown", 0))
    dev = int(n.get("developing", 0))
    st.caption(" + ".join(f"{int(n.get(c['id'], 0)):,}" for c in categories) + f" = {total:,} councils. "
               f"**With evidence of adoption: {found:,}** (the first four), of which {dev:,} with a policy in "
               f"development only — counted as evidence; without them {found - dev:,}. 'No evidence found' means "
               "unknown, not 'not adopted'.")
