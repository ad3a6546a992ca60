"""Overview: what svdash measures, and England's councils by comparison group."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from svdash import views
from svdash.charts import PLOTLY_CONFIG, group_map
from svdash.filters import measure_def
from svdash.geo import GROUP_ORDER, REGION_ORDER
from ui import cache, state

d = state.data()
state.banner(d)

st.title("Is the Social Value Act applied in practice?")
st.markdown(
    "The Public Services (Social Value) Act 2012 obliges English public bodies to *consider* economic, social and "
    "environmental wellbeing when they buy services. svdash reads the procurement notices councils publish and "
    "shows, council by council and quarter by quarter, whether social value is actually **applied** (an award "
    "criterion, requirement or weighting), **dismissed** (mentioned only to say it is not relevant) or not mentioned."
)


def headline(values: pd.DataFrame) -> None:
    """The adoption records by comparison group and England's notice counts: the two layers at a glance, each
    with its n and its caveat (the Findings page has the charts and intervals)."""
    adopt = measure_def("adoption_recorded_share")
    cells = {g: views.one_value(values, "adoption_recorded_share", "comparison_group", g) for g in GROUP_ORDER}
    if not any(c.get("denominator") for c in cells.values()):
        return
    st.subheader("What the evidence shows so far")
    st.markdown(f"**{adopt['title']}**, by comparison group:")
    cols = st.columns(len(GROUP_ORDER))
    for col, group in zip(cols, GROUP_ORDER):
        c = cells[group]
        if not c.get("denominator"):
            col.metric(f"{group.capitalize()} councils", "–")
            continue
        col.metric(f"{group.capitalize()} councils", f"{c['value'] * 100:.1f} %")
        col.caption(f"{int(c['numerator'])} of {int(c['denominator'])} councils; 95 % interval "
                    f"{c['ci_low'] * 100:.1f}–{c['ci_high'] * 100:.1f} %")
    applied = views.one_value(values, "sv_applied_share", "england", "England")
    dismissed = views.one_value(values, "sv_dismissed_share", "england", "England")
    st.markdown(f"In the notices, England-wide: of **{int(applied.get('denominator', 0)):,}** procurements with "
                f"visible evaluation criteria, **{int(applied.get('numerator', 0)):,}** apply social value and "
                f"**{int(dismissed.get('numerator', 0)):,}** mention it only to dismiss it.")
    st.caption("An adoption record is evidence found, not a census: a council without one is unknown, not "
               "non-adopting. A notice without social value is *no social value evidence in the published "
               "notice*, not proof that it was not applied; many notices publish no award criteria.")
    st.page_link("app_pages/findings.py", label="The campaign's three questions, with charts and caveats →",
                 icon=":material/search:")


if d.ok:
    headline(d.values)

st.subheader("England's councils by comparison group")
st.caption("Councils are compared with like: **metropolitan** (36 metropolitan districts and 33 London boroughs), "
           "**other urban** and **rural** (ONS Rural–Urban Classification 2021). Lower-tier councils, May 2024 "
           "boundaries.")

lads = cache.lads()
region = st.selectbox("Region", ["All of England", *REGION_ORDER], key="home_region")
shown = lads if region == "All of England" else lads[lads["region_name"].eq(region)]

counts = shown["comparison_group"].value_counts().reindex(GROUP_ORDER, fill_value=0)
cols = st.columns(len(GROUP_ORDER) + 1)
cols[0].metric("Councils shown", f"{len(shown):,}")
for col, group in zip(cols[1:], GROUP_ORDER):
    col.metric(group.capitalize(), f"{counts[group]:,}")

title = f"Comparison groups — {region} ({len(shown)} lower-tier councils)"
fig = group_map(shown, cache.lad_geojson(), title=title)
st.plotly_chart(fig, config=PLOTLY_CONFIG, width="stretch", key="home_map")
st.caption(f"Map: {title}. Colours: blue metropolitan, orange other urban, green rural. "
           "Hover a council for its name, ONS code and type.")

with st.expander("Table of the councils on the map", expanded=False):
    table = shown[["lad_name", "lad_code", "council_type", "region_name", "utla_name", "ruc21_name",
                   "comparison_group"]].rename(columns={
        "lad_name": "Council", "lad_code": "ONS code", "council_type": "Type", "region_name": "Region",
        "utla_name": "Upper tier", "ruc21_name": "Rural–Urban Classification 2021",
        "comparison_group": "Comparison group"})
    st.dataframe(table, hide_index=True, width="stretch")
