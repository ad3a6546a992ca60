"""Findings: the campaign's questions answered live from the data — each answer first, as a sentence with its
figure, n and interval, then the charts and what the notices add, with the caveats."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from svdash import brief, findings, views
from svdash.charts import PLOTLY_CONFIG, category_bars, compare_bars, status_bars
from svdash.filters import measure_def
from svdash.geo import GROUP_ORDER, REGION_ORDER
from ui import brief_button, page, widgets

d, flt = page.start("Findings", "The campaign's questions, answered from the data as it stands. Each answer comes "
                    "first, with its figure, how many councils or procurements it rests on (n) and its 95 % "
                    "interval; the charts and caveats follow. Numbers update when the data is rebuilt.")
if not d.ok:
    st.stop()
values = d.values
summary = d.data_summary()
# the headline when this store has it (an older store: the adoption records' share)
HEADLINE = next((m for m in ("adoption_evidence", "adoption_recorded_share")
                 if views.units_with_data(summary, m, "comparison_group")), "adoption_evidence")
hdef = measure_def(HEADLINE)


label, figure = findings.label, findings.figure


def cells(level: str, keys: list[str], measure: str) -> pd.DataFrame:
    return findings.cells(values, level, keys, measure)


def bars(tab: pd.DataFrame, mdef: dict, key: str, highlight: str | None = None) -> None:
    title = f"{mdef['title']}, all years since 2013 (%)"
    tab = tab.assign(unit=tab["unit"].map(label))
    alt = f"Bar chart of {mdef['title'].lower()} for {', '.join(tab['unit'])}, with 95 % Wilson error bars."
    st.plotly_chart(compare_bars(tab, label_col="unit", unit="share", title=title, x_title="%",
                                 highlight=highlight), config=PLOTLY_CONFIG, width="stretch", key=key, alt=alt)
    page.chart_caption(alt)
    widgets.table_twin(tab, title, key)


def composition(level: str, keys: list[str], key: str) -> None:
    """Councils per evidence category in each unit (from the council-level categories)."""
    if hdef.get("unit") != "category":
        return
    councils = views.all_councils()
    cats = values[values["measure_id"].eq(HEADLINE) & values["level"].eq("council")
                  & values["period_type"].eq("all")].drop_duplicates("unit_code").set_index("unit_code")["category"]
    col = "comparison_group" if level == "comparison_group" else "region_name"
    frame = councils.assign(category=councils["gss_code"].map(cats).fillna("unknown").replace("", "unknown"))
    counts = frame.groupby([col, "category"]).size().rename("n").reset_index().rename(columns={col: "unit"})
    title = "What the evidence is: councils by category (% of each unit's councils)"
    alt = ("Stacked bars per " + ("comparison group" if level == "comparison_group" else "region")
           + " of the share of councils in each category: policy record and practice, policy record only, practice "
           "only, in development, no evidence found.")
    st.plotly_chart(category_bars(counts, hdef["categories"], title=title, order=keys), config=PLOTLY_CONFIG,
                    width="stretch", key=f"{key}_cats", alt=alt)
    page.chart_caption(alt)


def notices_add(level: str, keys: list[str], key: str) -> None:
    """What the notices say for the same units, with the size of their evidence gap."""
    for mid in ("sv_applied_share", "sv_applied_share_all"):
        mdef = measure_def(mid)
        tab = cells(level, keys, mid)
        st.markdown(f"*{mdef['title']}* — denominator: {mdef['denominator']}.  \n"
                    + "  \n".join(findings.unit_sentence(r, mdef["denominator"]).markdown()
                                 for _, r in tab.iterrows()))
        if tab["denominator"].sum() < int(mdef.get("min_n", 1)):
            st.caption(f"Too few {mdef['denominator']} to compare ({int(tab['denominator'].sum())} in all): "
                       "*no social value evidence in the published notices*, not *not applied*.")
        else:
            bars(tab, mdef, f"{key}_{mid}")


# ------------------------------------------------------------------------------------------------------ 1
st.header("1. Do metropolitan councils apply social value more than rural ones?")
groups = cells("comparison_group", list(GROUP_ORDER), HEADLINE)
by = groups.set_index("unit")
if by["denominator"].sum() == 0:
    st.info("This store has no adoption evidence by comparison group, so the question cannot be answered here.")
else:
    st.markdown(findings.groups_finding(values, HEADLINE).markdown())  # not None: the groups have data
    bars(groups, hdef, "f1")
    composition("comparison_group", list(GROUP_ORDER), "f1")
    st.markdown("**What the notices add** (practice in a procurement, where the notice publishes criteria):")
    notices_add("comparison_group", list(GROUP_ORDER), "f1n")
st.caption("Caveats: notices are evidence of practice in that procurement, not policy; adoption records are "
           "evidence found, not a census (a council without evidence is unknown). Shares count all councils of a "
           "group, counties included. Overlapping intervals mean the data cannot tell the groups apart.")

# ------------------------------------------------------------------------------------------------------ 2
st.header("2. Where does the East of England stand against the other regions?")
regions = cells("region", list(REGION_ORDER), HEADLINE)
eng = views.one_value(values, HEADLINE, "england", "England")
rby = regions.set_index("unit")
if rby["denominator"].sum() == 0 or not eng:
    st.info("This store has no adoption evidence by region, so the question cannot be answered here.")
else:
    east = findings.region_finding(values, HEADLINE, "East of England")
    st.markdown(east.markdown() if east else "**The East of England has no councils with a value here.**")
    bars(regions, hdef, "f2", highlight="East of England")
    composition("region", list(REGION_ORDER), "f2")
    with st.expander("What the notices add, region by region"):
        notices_add("region", list(REGION_ORDER), "f2n")
st.caption("The East of England bar is orange. Regions differ in how many councils they have and in how many "
           "notices publish criteria; compare intervals, not just bar lengths.")

# ------------------------------------------------------------------------------------------------------ 3
st.header("3. How many notices mention social value only to dismiss it?")
counts = d.status_counts()
total = int(counts["n"].sum())
st.markdown(findings.dismissal_finding(counts).markdown())
if total:
    title = "Council procurements by social value status, all years (count)"
    alt = ("Stacked bars: council procurements applied, dismissed and with no evidence, split by whether award "
           "criteria are published.")
    st.plotly_chart(status_bars(counts, title=title), config=PLOTLY_CONFIG, width="stretch", key="f3", alt=alt)
    page.chart_caption(alt)
    widgets.table_twin(counts, title, "f3")
st.caption("A procurement is one OCDS ocid (tender, update and award count once, with the strongest evidence of "
           "its notices). The English Contracts Finder notices carry short descriptions only, so most show no "
           "evidence either way; Find a Tender notices from 24 February 2025 publish structured award criteria.")

# ------------------------------------------------------------------------------------------------------ pack
# After the answers (they come first): the filter's region or group, else the East of England (question 2).
st.subheader("Take it to the meeting: a briefing pack")
areas = [("region", r) for r in REGION_ORDER] + [("group", g) for g in GROUP_ORDER]
default = ("region", flt.region) if flt.region else ("group", flt.group) if flt.group else ("region", "East of England")
area = st.selectbox("Briefing pack (PDF) for", areas, index=areas.index(default), key="findings_brief_area",
                    format_func=lambda a: a[1] if a[0] == "region" else f"{label(a[1])} councils")
brief_button.offer(d, brief.resolve(*area), "findings_brief")
