"""Map: any measure by lower tier, upper tier or hex; period, region, council type and group filters."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from svdash import export, views
from svdash.charts import PLOTLY_CONFIG, hex_map, measure_map
from svdash.filters import measure_def
from ui import cache, page, widgets

d, flt = page.start("Map: social value council by council")
if not d.ok:
    st.stop()


@st.fragment
def map_view(d, flt) -> None:
    """Filters, map, summary and table: a filter change or a click on the map reruns only this part (the
    sidebar, banners and title do not depend on the filters), so less is recomputed and re-sent."""
    flt = widgets.filter_panel(flt, d.values, "map")

    mdef = measure_def(flt.measure)
    unit = mdef.get("unit", "share")
    units_label = export.unit_label(mdef)
    units = cache.map_units(flt.geography)
    table = views.measure_table(flt, d.values, units)
    has_value = table["value"].notna()
    solid = has_value & ~table["low_n"]

    # The map is sent before the summary above it (filled in below, same place on the page): the browser
    # loads plotly.js only when the first chart arrives, so the earlier it comes the sooner the map is drawn.
    summary = st.container()
    title = f"{mdef['title']} — {flt.describe()} ({units_label})"
    alt = (f"Map of {len(table)} councils ({widgets.GEOGRAPHY_LABELS[flt.geography].lower()}) coloured by "
           f"{mdef['title'].lower()} on a viridis scale; {int((~solid).sum())} councils with too few procurements "
           f"or no data are grey.")
    if flt.geography == "hex":
        fig = hex_map(table, cache.hex_geojson(), unit=unit, title=title, colour_title=units_label)
    else:
        gj = cache.utla_geojson() if flt.geography == "upper" else cache.lad_geojson()
        fig = measure_map(table, gj, unit=unit, title=title, colour_title=units_label)
    event = st.plotly_chart(fig, config=PLOTLY_CONFIG, width="stretch", key="map_chart", on_select="rerun",
                            selection_mode="points", alt=alt)
    page.chart_caption(alt + " Hover a council for its value, n and 95 % interval; click it to pick it below.")

    with summary:
        cols = st.columns(4)
        cols[0].metric("Councils shown", f"{len(table):,}")
        cols[1].metric(f"With a value (n ≥ {mdef.get('min_n', '?')})", f"{int(solid.sum()):,}")
        median = table.loc[solid, "value"].median() * export.scale(mdef)
        cols[2].metric(f"Median of those ({units_label})", "–" if pd.isna(median) else f"{median:.1f}")
        cols[3].metric("Grey: low n or no data", f"{int((~solid).sum()):,}")

        denominator_total = table["denominator"].fillna(0).sum()
        if mdef.get("basis") == "notices" and int(solid.sum()) == 0:
            st.info(f"**Every council is grey.** Across these councils the denominator "
                    f"({mdef.get('denominator', 'not named')}) counts only {int(denominator_total):,} — no council "
                    f"reaches n ≥ {mdef.get('min_n')}. "
                    "Grey here means *no social value evidence in the published notice* — not *social value "
                    "not applied*: the English Contracts Finder notices in this "
                    "data publish short descriptions without award criteria. The richest real layer is the adoption "
                    "records: choose the measure *Councils with a record of an adopted social value policy*.")
        if mdef.get("basis") == "records" and flt.period_type != "all":
            st.info("This measure comes from adoption records and is computed for all years together only; "
                    "choose Period → All years together.")

    # A click on the map selects a council; its profile is one link away.
    clicked = ""
    try:
        for pt in (event.selection.points if event else []):
            clicked = pt.get("location") or (pt.get("customdata") or [None, ""])[1] or ""
    except AttributeError:
        clicked = ""
    names = dict(zip(table["gss_code"], table["name"]))
    options = [""] + sorted(names, key=names.get)
    current = clicked if clicked in names else (flt.council if flt.council in names else "")
    pick = st.selectbox("Council profile", options, index=options.index(current), key=f"map_council_{current}",
                        format_func=lambda c: f"{names[c]} ({c})" if c else "Choose a council (or click the map)…")
    if pick:
        st.page_link(page.COUNCIL_PAGE, label=f"Open the profile of {names[pick]} →",
                     icon=":material/account_balance:", query_params={**flt.to_params(), "council": pick})

    screen = export.screen_table(table, mdef)
    widgets.table_twin(screen, title, "map_table")
    with st.expander("About this measure"):
        st.markdown(f"**Numerator:** {mdef.get('numerator')}  \n**Denominator:** {mdef.get('denominator')}  \n"
                    f"**Low n:** fewer than {mdef.get('min_n')} in the denominator (grey on the map, listed in "
                    "the table).")
        for c in mdef.get("caveat_texts", []):
            st.markdown(f"- {c}")


map_view(d, flt)
