"""Trends since 2013: metropolitan vs other urban vs rural, and the nine regions, with Wilson bands."""
from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from svdash import export, views
from svdash.charts import MILESTONES, PLOTLY_CONFIG, small_multiples, trend_chart
from svdash.filters import measure_def
from svdash.geo import GROUP_ORDER, REGION_ORDER
from ui import page, url_state, widgets

d, flt = page.start("Trends since the Act came into force")
if not d.ok:
    st.stop()

cols = st.columns([3, 1])
flt = widgets.measure_picker(flt, "trend_measure", container=cols[0], basis="notices")
ptype = cols[1].selectbox("Step", ["year", "quarter"], index=1 if flt.period_type == "quarter" else 0,
                          key="trend_step", format_func=str.capitalize)
# the x axis is the period, so the URL keeps the step and the latest period (a valid, shareable state)
available = views.periods(d.values, ptype)
flt = replace(flt, period_type=ptype if available else "all", period=available[-1] if available else "all")
url_state.write(flt)

mdef = measure_def(flt.measure)
unit = mdef.get("unit", "share")
ulabel = export.unit_label(mdef)
if unit == "quarter":
    st.info("This measure is a single first quarter per council; it has no time series. Pick another measure.")
    st.stop()

groups = views.series(d.values, flt.measure, "comparison_group", GROUP_ORDER, ptype)
england = views.series(d.values, flt.measure, "england", ["England"], ptype)
lines = pd.concat([groups, england], ignore_index=True)
title = f"By comparison group and England, {ptype}ly since 2013 ({ulabel})"
alt = (f"Line chart of {mdef['title'].lower()} for metropolitan, other urban and rural councils and England, "
       f"by {ptype}, with shaded 95 % Wilson intervals and dotted lines at the Act (2013-01-31), PPN 06/20 "
       "(2021-01-01) and the Procurement Act (2025-02-24).")
den_total = int(pd.to_numeric(england["denominator"], errors="coerce").fillna(0).sum())
if den_total < int(mdef.get("min_n", 1)):
    st.info(f"**Almost no evidence over time for this measure:** across England the denominator "
            f"({mdef.get('denominator')}) counts only {den_total:,}, so the lines below are nearly empty. "
            "That is *no social value "
            "evidence in the published notices*, not *not applied*: most notices publish no award criteria.")
if lines.empty:
    st.info("No values for this measure over time in the data store.")
else:
    st.plotly_chart(trend_chart(lines, unit=unit, title=title, y_title=ulabel,
                                order=[*GROUP_ORDER, "England"]), config=PLOTLY_CONFIG, width="stretch",
                    key="trend_groups", alt=alt)
    page.chart_caption(alt)
    widgets.table_twin(lines, title, "trend_groups")

regions = views.series(d.values, flt.measure, "region", REGION_ORDER, ptype)
rtitle = f"The nine regions, {ptype}ly ({ulabel})"
ralt = f"Nine small line charts, one per English region, of {mdef['title'].lower()} by {ptype} with 95 % bands."
if not regions.empty:
    st.plotly_chart(small_multiples(regions, REGION_ORDER, unit=unit, title=rtitle, y_title=ulabel),
                    config=PLOTLY_CONFIG, width="stretch", key="trend_regions", alt=ralt)
    page.chart_caption(ralt)
    widgets.table_twin(regions, rtitle, "trend_regions")

st.subheader("Milestones and coverage")
st.markdown("\n".join(f"- **{day}** — {label}" for day, label in MILESTONES))
caveats = {c: t for c, t in zip(mdef.get("caveats", []), mdef.get("caveat_texts", []))}
for cid in ("cf_coverage", "fts_from_2021", "pa23_from_2025", "no_evidence", "small_n"):
    if cid in caveats:
        st.caption(caveats[cid])
