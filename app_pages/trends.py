"""Trends since 2013: adoption of social value policies (cumulative, dated records) by comparison group and by
region, then practice in the notices by year or quarter where notices exist; Wilson bands and milestones."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import streamlit as st

from svdash import export, measures, views
from svdash.charts import (MILESTONES, PLOTLY_CONFIG, adoption_step_chart, adoption_step_multiples,
                           practice_point_panels, practice_points)
from svdash.filters import measure_def
from svdash.geo import GROUP_ORDER, REGION_ORDER
from ui import cache, page, url_state, widgets

d, flt = page.start("Trends since the Act came into force",
                    "Two layers over time, from 31 January 2013 when the Act came into force: **policies** "
                    "(when councils' cited adoption records say a social value policy, charter or strategy was "
                    "adopted) and **practice** (what the published notices show, by year or quarter).")
if not d.ok:
    st.stop()

# ------------------------------------------------------------------------------------ adoption over time
st.header("Adoption of social value policies since 2013")
councils = cache.councils()
timeline = d.adoption_timeline()
today = date.today()
end = max([today, *[t.date() for t in timeline["placed"].dropna()]]) if len(timeline) else today
group_steps = pd.concat([measures.adoption_steps(timeline, councils, "comparison_group", end),
                         measures.adoption_steps(timeline, councils, "england", end)], ignore_index=True)
groups_n = measures.undated_counts(timeline, councils, "comparison_group").set_index("unit")
eng_n = measures.undated_counts(timeline, councils, "england").set_index("unit").loc["England"]

if int(eng_n["n_adopted"]) == 0:
    st.info("No council in this store has a record of an adopted social value policy, so there is no adoption "
            "trend to draw. Add records on the Upload page or with `python -m svdash adoption import FILE`.")
else:
    last = group_steps[group_steps["unit"].eq("England")].iloc[-1]
    st.markdown(
        f"**By {end:%d %B %Y}, {int(last['numerator'])} of {int(last['denominator'])} English councils "
        f"({last['value'] * 100:.1f} %; 95 % interval {last['ci_low'] * 100:.1f}–{last['ci_high'] * 100:.1f} %) "
        f"have a dated record of an adopted social value policy, charter or strategy**; "
        f"{int(eng_n['n_undated'])} more have an undated record — counted in the all-time share "
        f"({int(eng_n['n_adopted'])} councils), not placed on a guessed date.  \n"
        + " · ".join(f"{g.capitalize()}: {int(groups_n.loc[g, 'n_dated'])} dated, "
                     f"{int(groups_n.loc[g, 'n_undated'])} undated of {int((councils['comparison_group'] == g).sum())}"
                     for g in GROUP_ORDER))
    order = [*GROUP_ORDER, "England"]
    title = "Councils with a dated record of an adopted social value policy, cumulative (% of all councils)"
    alt = ("Step lines from 2013 of the share of metropolitan, other urban and rural councils and of England with a "
           "dated adoption record, with shaded 95 % Wilson intervals, a marker on each date a record adds a council, "
           "and dotted lines at the Act (2013-01-31), PPN 06/20 (2021-01-01) and the Procurement Act (2025-02-24).")
    st.plotly_chart(adoption_step_chart(group_steps, order=order, title=title), config=PLOTLY_CONFIG,
                    width="stretch", key="trend_adoption_groups", alt=alt)
    page.chart_caption(alt)
    thin = [g for g in GROUP_ORDER if int(groups_n.loc[g, "n_steps"]) < 5]
    if thin:
        st.caption("Few dated records: " + "; ".join(
            f"{g} councils have {int(groups_n.loc[g, 'n_dated'])} dated records, so their line has only "
            f"{int(groups_n.loc[g, 'n_steps'])} steps" for g in thin) + ". Read it with its wide interval.")
    yearly = pd.concat([measures.adoption_by_year(timeline, councils, "comparison_group", end),
                        measures.adoption_by_year(timeline, councils, "england", end)], ignore_index=True)
    widgets.table_twin(yearly, "Cumulative adoption at the end of each year, by comparison group and England",
                       "trend_adoption_groups")

    regions = measures.adoption_steps(timeline, councils, "region", end)
    regions_n = measures.undated_counts(timeline, councils, "region").set_index("unit")
    rtitle = "The nine regions: councils with a dated adoption record, cumulative (%)"
    ralt = ("Nine small step charts, one per English region, of the cumulative share of councils with a dated "
            "adoption record since 2013, with 95 % bands and the milestones.")
    st.plotly_chart(adoption_step_multiples(regions, list(REGION_ORDER), title=rtitle), config=PLOTLY_CONFIG,
                    width="stretch", key="trend_adoption_regions", alt=ralt)
    page.chart_caption(ralt + " Undated records per region: " + ", ".join(
        f"{r} {int(regions_n.loc[r, 'n_undated'])}" for r in REGION_ORDER) + ".")
    widgets.table_twin(measures.adoption_by_year(timeline, councils, "region", end),
                       "Cumulative adoption at the end of each year, by region", "trend_adoption_regions")
    with st.expander(f"The dated records behind the lines ({int(eng_n['n_dated'])}), and the undated ones "
                     f"({int(eng_n['n_undated'])})"):
        shown = timeline.assign(placed=timeline["placed"].dt.strftime("%Y-%m-%d").fillna("not placed (undated)"))
        st.dataframe(shown.rename(columns={
            "name": "Council", "gss_code": "ONS code", "comparison_group": "Comparison group",
            "region_name": "Region", "council_type": "Council type", "status": "Record", "recorded": "Date as recorded",
            "precision": "Date precision", "placed": "Placed on"}), hide_index=True, width="stretch")
        st.caption("Each council counts once, from its earliest dated record of an adopted policy, charter or "
                   "strategy (among councils whose selected record says adopted, as in the headline share).")
    st.caption("**How dates are placed.** A record dated only by year counts from 31 December of that year, one "
               "dated by month from the month's last day: a council is never shown as adopted before its record "
               "says. Undated records are counted and listed, not placed. Some dates are of a revision rather than "
               "the first adoption, so the lines are a lower bound and may start late. The denominator is every "
               "council in the group (counties included), as in the headline.")

# ------------------------------------------------------------------------------------ practice in the notices
st.header("Practice in the notices")
if "measure" not in url_state.explicit() or measure_def(flt.measure).get("basis") != "notices":
    # the lines are pooled (groups, regions), so the default is the first notice measure with a regional value
    flt = replace(flt, measure=views.choose_default(d.data_summary(), "region", ("notices",))[0])
cols = st.columns([3, 1])
flt = widgets.measure_picker(flt, "trend_measure", container=cols[0], basis="notices")
# by quarter unless the link asks for years: Find a Tender's criteria start in 2025Q1, a year hides that
ptype = cols[1].selectbox("Step", ["year", "quarter"], index=0 if flt.period_type == "year" else 1,
                          key="trend_step", format_func=str.capitalize)
periods = d.measure_periods()
available = sorted(periods.loc[periods["measure_id"].eq(flt.measure) & periods["period_type"].eq(ptype),
                               "period"].unique())
flt = replace(flt, period_type=ptype if available else "all", period=available[-1] if available else "all",
              geography="lower")
url_state.write(flt)

mdef = measure_def(flt.measure)
unit = mdef.get("unit", "share")
ulabel = export.unit_label(mdef)
if unit == "quarter":
    st.info("This measure is a single first quarter per council; it has no time series. Pick another measure.")
    st.stop()

groups = views.series(d.values, flt.measure, "comparison_group", GROUP_ORDER, ptype)
england = views.series(d.values, flt.measure, "england", ["England"], ptype)
# periods where notices exist: a line only where something was published (no empty stretches drawn as zeros)
with_notices = set(england.loc[pd.to_numeric(england["n_notices_all"], errors="coerce").fillna(0) > 0, "period"])
lines = pd.concat([groups, england], ignore_index=True)
lines = lines[lines["period"].isin(with_notices)]
den_total = int(pd.to_numeric(england["denominator"], errors="coerce").fillna(0).sum())
title = f"{mdef['title']}: by comparison group and England, {ptype}ly ({ulabel})"
alt = (f"Points of {mdef['title'].lower()} for metropolitan, other urban and rural councils and England, one per "
       f"{ptype} with a value, each with its 95 % Wilson interval as an error bar; the time axis runs from the first "
       f"{ptype} with notices, with a dotted line at any milestone inside it. No line joins {ptype}s: the data is "
       "too sparse to draw a trend.")
if not with_notices:
    st.info("No council notices in this store have a date, so there is no practice trend to draw.")
else:
    st.markdown(f"Notices exist in **{len(with_notices)} {ptype}s** ({min(with_notices)} to {max(with_notices)}); "
                f"across them the denominator ({mdef.get('denominator')}) counts **{den_total:,}** in England. "
                f"{ptype.capitalize()}s without notices are left out, not drawn as zero; a {ptype} with notices but "
                "none in the denominator has no point.")
    if den_total < int(mdef.get("min_n", 1)):
        st.info(f"**Almost no evidence over time for this measure:** England's denominator counts only {den_total:,}. "
                "That is *no social value evidence in the published notices*, not *not applied*: most notices "
                "publish no award criteria. Find a Tender notices from 2025Q1 carry structured criteria.")
    st.plotly_chart(practice_points(lines, unit=unit, title=title, y_title=ulabel, order=[*GROUP_ORDER, "England"]),
                    config=PLOTLY_CONFIG, width="stretch", key="trend_groups", alt=alt)
    page.chart_caption(alt)
    widgets.table_twin(lines, title, "trend_groups")

    regions = views.series(d.values, flt.measure, "region", REGION_ORDER, ptype)
    regions = regions[regions["period"].isin(with_notices)]
    rtitle = f"{mdef['title']}: the nine regions, {ptype}ly ({ulabel})"
    ralt = (f"Nine small panels, one per English region, of {mdef['title'].lower()} as points by {ptype} with 95 % "
            "interval error bars, on the same time axis.")
    if not regions.empty:
        st.plotly_chart(practice_point_panels(regions, list(REGION_ORDER), unit=unit, title=rtitle, y_title=ulabel),
                        config=PLOTLY_CONFIG, width="stretch", key="trend_regions", alt=ralt)
        page.chart_caption(ralt)
        widgets.table_twin(regions, rtitle, "trend_regions")

st.subheader("Milestones and coverage")
st.markdown("\n".join(f"- **{day}** — {label}" for day, label in MILESTONES))
caveats = {c: t for c, t in zip(mdef.get("caveats", []), mdef.get("caveat_texts", []))}
for cid in ("cf_coverage", "fts_from_2021", "pa23_from_2025", "no_evidence", "small_n"):
    if cid in caveats:
        st.caption(caveats[cid])
