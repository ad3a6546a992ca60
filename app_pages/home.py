"""Overview: what svdash measures, and England's councils by comparison group."""
from __future__ import annotations

import streamlit as st

from svdash.charts import PLOTLY_CONFIG, group_map
from svdash.geo import GROUP_ORDER, REGION_ORDER
from ui import cache, state

state.banner(state.data())

st.title("Is the Social Value Act applied in practice?")
st.markdown(
    "The Public Services (Social Value) Act 2012 obliges English public bodies to *consider* economic, social and "
    "environmental wellbeing when they buy services. svdash reads the procurement notices councils publish and "
    "shows, council by council and quarter by quarter, whether social value is actually **applied** (an award "
    "criterion, requirement or weighting), **dismissed** (mentioned only to say it is not relevant) or not mentioned."
)

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
