"""Overview: what svdash measures, the headline (evidence of adoption by comparison group, with n and interval)
and England's councils on one map, by evidence of adoption or by comparison group."""
from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from svdash import export, figures, views
from svdash.charts import PLOTLY_CONFIG, group_map
from svdash.filters import Filters, measure_def
from svdash.geo import GROUP_ORDER, REGION_ORDER
from ui import cache, maps, page, state, widgets

d = state.data()
state.banner(d)

st.title("Is the Social Value Act applied in practice?")
st.markdown(
    "The Public Services (Social Value) Act 2012 obliges English public bodies to *consider* economic, social and "
    "environmental wellbeing when they buy services. svdash reads the procurement notices councils publish and "
    "the councils' own published policies, and shows, council by council, what evidence there is that social "
    "value has been taken up: a **policy record** (an adopted policy, charter or strategy, cited) and "
    "**practice in notices** (a procurement whose notice applies social value as an award criterion, "
    "requirement or weighting)."
)
HEADLINE = "adoption_evidence"


def pct(c: dict) -> str:
    return f"{c['value'] * 100:.1f} %"


def n_text(c: dict) -> str:
    return (f"{int(c['numerator'])} of {int(c['denominator'])} councils; 95 % interval "
            f"{c['ci_low'] * 100:.1f}–{c['ci_high'] * 100:.1f} %")


def headline_measure(summary: pd.DataFrame) -> str | None:
    """The headline when this store has it, else the adoption records' share (an older store), else None."""
    for mid in (HEADLINE, "adoption_recorded_share"):
        if views.units_with_data(summary, mid, "comparison_group") > 0:
            return mid
    return None


def headline(values: pd.DataFrame, measure: str, counts: dict) -> None:
    """The headline by comparison group and England, each with its n and interval, and England's notice counts
    (the Findings page has the charts); the population (317 councils) is said next to the numbers."""
    mdef = measure_def(measure)
    eng = views.one_value(values, measure, "england", "England")
    cells = {g: views.one_value(values, measure, "comparison_group", g) for g in GROUP_ORDER}
    st.subheader("What the evidence shows so far")
    k = counts.get("counts")
    if eng.get("denominator"):
        what = ("have evidence of adoption — a cited policy record or a notice applying social value"
                if measure == HEADLINE else "have a cited record of an adopted policy, charter or strategy")
        if k and measure == HEADLINE:  # said next to the number: a policy in development counts as evidence
            what += (f" (including {k['councils_developing'].n:,} whose only evidence is a policy in development; "
                     f"without them {k['councils_adopted_or_practice'].n:,})")
        st.markdown(f"**{int(eng['numerator'])} of {int(eng['denominator'])} English councils ({pct(eng)}; 95 % "
                    f"interval {eng['ci_low'] * 100:.1f}–{eng['ci_high'] * 100:.1f} %) {what}.** "
                    "By comparison group:")
    cols = st.columns(len(GROUP_ORDER))
    for col, group in zip(cols, GROUP_ORDER):
        c = cells[group]
        if not c.get("denominator"):
            col.metric(f"{group.capitalize()} councils", "–")
            continue
        col.metric(f"{group.capitalize()} councils", pct(c), help=mdef["title"])
        col.caption(n_text(c))
    if k:
        st.markdown("In the notices, England-wide, each figure with its own denominator: "
                    + figures.notice_figures(k) + f". {k['procurements_dismissed_visible'].text()} mention social "
                    "value only to dismiss it.")
    st.caption("Shares count all 317 English councils — 296 lower-tier councils (districts, unitaries, "
               "metropolitan districts, London boroughs) and 21 county councils. A procurement is one OCDS ocid "
               "(a tender and its award count once); a notice is one published release. A council without evidence is "
               "unknown, not non-adopting: records are evidence found, not a census, and most notices publish no "
               "award criteria.")
    st.page_link("app_pages/findings.py", label="The campaign's three questions, answered with charts and caveats →",
                 icon=":material/search:")


summary = d.data_summary() if d.ok else None
measure = headline_measure(summary) if summary is not None else None
if measure:
    headline(d.values, measure, d.counts())

st.subheader("England's councils on the map")
cols = st.columns([2, 3])
region = cols[0].selectbox("Region", ["All of England", *REGION_ORDER], key="home_region")
views_on = ["evidence", "groups"] if measure else ["groups"]
show = cols[1].radio("Colour the councils by", views_on, horizontal=True, key="home_colour",
                     format_func={"evidence": "Evidence of adoption", "groups": "Comparison group"}.get)

lads = cache.lads()
shown = lads if region == "All of England" else lads[lads["region_name"].eq(region)]
where = "England" if region == "All of England" else region

if show == "evidence":
    mdef = measure_def(measure)
    flt = replace(Filters(measure=measure), region="" if region == "All of England" else region)
    table = d.view_table(flt)
    title = f"{mdef['title']} — {where}"
    if mdef.get("unit") == "category":
        fig, counties = maps.category_figure(d, flt, table, mdef, title)
        both = table if counties is None else pd.concat([table, counties], ignore_index=True)
        cats = views.category_counts(both, mdef["categories"])
        n_counties = 0 if counties is None else len(counties)
        widgets.category_cards(dict(zip(cats["category"], cats["n"])), mdef["categories"],
                               f"Councils in {where}" if region != "All of England" else "All councils")
        st.caption(f"The map draws the {len(table)} lower-tier councils of {where} by their own evidence; the "
                   f"{n_counties} county councils (upper tier) are thick outlines in their category's colour, "
                   "because a county council's policy and notices are its own, not its districts'. The cards "
                   f"count both: {len(table) + n_counties} councils"
                   + (", the population of the headline above." if region == "All of England" else "."))
        alt = (f"Map of {len(table)} lower-tier councils of {where} coloured by evidence of adoption "
               "(policy record and practice, policy record only, practice only, in development, no evidence found) "
               "with county councils as coloured outlines.")
    else:  # an older store without the headline: the records' share, 1 or 0 per council
        from svdash.charts import binary_as_category, binary_categories, category_map

        fig = category_map(binary_as_category(table), cache.lad_geojson(cache.detail_for(region)),
                           categories=binary_categories(mdef.get("binary_labels") or {}), title=title)
        mcols = st.columns(2)
        mcols[0].metric("Councils on the map", f"{len(table):,}")
        mcols[1].metric("With a record", f"{int(table['value'].eq(1).sum()):,}")
        alt = f"Map of {len(table)} lower-tier councils of {where} by whether a record of an adopted policy was found."
    st.plotly_chart(fig, config=PLOTLY_CONFIG, width="stretch", key="home_map", alt=alt)
    page.chart_caption(alt + " Hover a council for its record and notices.")
    st.page_link("app_pages/map.py", label="Explore this and every other measure on the Map →",
                 icon=":material/map:", query_params={"region": region} if region != "All of England" else None)
else:
    st.caption("Councils are compared with like: **metropolitan** (36 metropolitan districts and 33 London "
               "boroughs), **other urban** and **rural** (ONS Rural–Urban Classification 2021). Lower-tier councils, "
               "May 2024 boundaries.")
    counts = shown["comparison_group"].value_counts().reindex(GROUP_ORDER, fill_value=0)
    mcols = st.columns(len(GROUP_ORDER) + 1)
    mcols[0].metric("Councils shown", f"{len(shown):,}")
    for col, group in zip(mcols[1:], GROUP_ORDER):
        col.metric(group.capitalize(), f"{counts[group]:,}")
    title = f"Comparison groups — {region} ({len(shown)} lower-tier councils)"
    outline = cache.lad_geojson(cache.detail_for(region))
    st.plotly_chart(group_map(shown, outline, title=title), config=PLOTLY_CONFIG, width="stretch",
                    key="home_map")
    st.caption(f"Map: {title}. Colours: blue metropolitan, orange other urban, green rural. "
               "Hover a council for its name, ONS code and type.")

with st.expander("Table of the councils on the map", expanded=False):
    if show == "evidence":
        st.dataframe(widgets.lean_table(export.screen_table(table, mdef)), hide_index=True, width="stretch")
        st.stop()
    table = shown[["lad_name", "lad_code", "council_type", "region_name", "utla_name", "ruc21_name",
                   "comparison_group"]].rename(columns={
        "lad_name": "Council", "lad_code": "ONS code", "council_type": "Type", "region_name": "Region",
        "utla_name": "Upper tier", "ruc21_name": "Rural–Urban Classification 2021",
        "comparison_group": "Comparison group"})
    st.dataframe(table, hide_index=True, width="stretch")
