"""Findings: the campaign's questions answered live from the data — each answer first, as a sentence with its
figure, n and interval, then the charts and what the notices add, with the caveats."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from svdash import views
from svdash.charts import PLOTLY_CONFIG, category_bars, compare_bars, status_bars
from svdash.filters import measure_def
from svdash.geo import GROUP_ORDER, REGION_ORDER
from svdash.stats import wilson_interval
from ui import page, widgets

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
WHAT = ("have evidence of adoption (a cited policy record — adopted or in development — or a notice applying "
        "social value)"
        if HEADLINE == "adoption_evidence" else "have a cited record of an adopted social value policy")


def label(unit: str) -> str:
    """First letter up, the rest as written: 'metropolitan' → 'Metropolitan', 'Yorkshire and The Humber' kept."""
    return unit[:1].upper() + unit[1:]


def cells(level: str, keys: list[str], measure: str) -> pd.DataFrame:
    rows = []
    for key in keys:
        c = views.one_value(values, measure, level, key)
        rows.append({"unit": key, "value": c.get("value", float("nan")), "ci_low": c.get("ci_low", float("nan")),
                     "ci_high": c.get("ci_high", float("nan")), "numerator": c.get("numerator", 0),
                     "denominator": c.get("denominator", 0), "n_notices_all": c.get("n_notices_all", 0)})
    out = pd.DataFrame(rows)
    for col in ("numerator", "denominator", "n_notices_all"):
        out[col] = pd.to_numeric(out[col], errors="coerce").fillna(0).astype(int)
    return out


def figure(row: pd.Series | dict) -> str:
    """'40.6 % (28 of 69; 95 % interval 29.8–52.4 %)'."""
    return (f"{row['value'] * 100:.1f} % ({int(row['numerator']):,} of {int(row['denominator']):,}; 95 % interval "
            f"{row['ci_low'] * 100:.1f}–{row['ci_high'] * 100:.1f} %)")


def sentence(row: pd.Series, what: str) -> str:
    if row["denominator"] == 0:
        return f"**{label(row['unit'])}**: cannot be measured — 0 {what}."
    return f"**{label(row['unit'])}**: {figure(row)}."


def overlap(a: pd.Series | dict, b: pd.Series | dict) -> bool:
    return not (a["ci_low"] > b["ci_high"] or b["ci_low"] > a["ci_high"])


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
                    + "  \n".join(sentence(r, mdef["denominator"]) for _, r in tab.iterrows()))
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
    metro, rural = by.loc["metropolitan"], by.loc["rural"]
    verdict = ("the intervals overlap, so the data cannot tell them apart" if overlap(metro, rural) else
               "the intervals do not overlap" if metro["value"] != rural["value"] else "the shares are equal")
    more = "more often" if metro["value"] > rural["value"] else "less often" if metro["value"] < rural["value"] else "as often"
    st.markdown(f"**On the evidence of adoption, metropolitan councils show it {more} than rural ones: "
                f"{figure(metro)} of metropolitan councils {WHAT}, against {figure(rural)} of rural councils; "
                f"{verdict}.** Other urban councils: {figure(by.loc['other urban'])}.")
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
    east = rby.loc["East of England"]
    ranked = regions[regions["denominator"].gt(0)].sort_values("value", ascending=False).reset_index(drop=True)
    rank = int(ranked.index[ranked["unit"].eq("East of England")][0]) + 1
    versus = ("its interval overlaps England's, so it cannot be told apart from the national figure"
              if overlap(east, eng) else
              "its interval lies " + ("below" if east["value"] < eng["value"] else "above") + " England's")
    st.markdown(f"**The East of England ranks {rank} of {len(ranked)} regions: {figure(east)} of its councils "
                f"{WHAT}, against {figure(eng)} for England; {versus}.** Highest: {ranked['unit'].iloc[0]} "
                f"({ranked['value'].iloc[0] * 100:.1f} %); lowest: {ranked['unit'].iloc[-1]} "
                f"({ranked['value'].iloc[-1] * 100:.1f} %).")
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
sby = counts.set_index("sv_status")
dismissed, applied = int(sby.loc["dismissed", "n"]), int(sby.loc["applied", "n"])
mention = dismissed + applied
if total == 0:
    st.markdown("No council procurements are in the data.")
else:
    lo, hi = (float(x[0]) * 100 for x in wilson_interval([dismissed], [total]))
    visible = int(counts["n_criteria_visible"].sum())
    share_mention = (f"{dismissed / mention * 100:.1f} % of the {mention:,} that mention it" if mention else
                     "none of them mention social value at all")
    st.markdown(f"**Of {total:,} council procurements, {dismissed:,} mention social value only to dismiss it: "
                f"{dismissed / total * 100:.1f} % (95 % interval {lo:.1f}–{hi:.1f} %; {share_mention}).** "
                f"{applied:,} of the {total:,} council procurements apply it; {int(sby.loc['none', 'n']):,} show *no "
                f"social value evidence in the published notice*. Only {visible:,} council procurements publish "
                f"award criteria (procurements with visible evaluation criteria); of those, "
                f"{int(sby.loc['applied', 'n_criteria_visible']):,} of {visible:,} apply social value — the share "
                "the Overview and the notice measures report, over a smaller denominator.")
    title = "Council procurements by social value status, all years (count)"
    alt = ("Stacked bars: council procurements applied, dismissed and with no evidence, split by whether award "
           "criteria are published.")
    st.plotly_chart(status_bars(counts, title=title), config=PLOTLY_CONFIG, width="stretch", key="f3", alt=alt)
    page.chart_caption(alt)
    widgets.table_twin(counts, title, "f3")
st.caption("A procurement is one OCDS ocid (tender, update and award count once, with the strongest evidence of "
           "its notices). The English Contracts Finder notices carry short descriptions only, so most show no "
           "evidence either way; Find a Tender notices from 24 February 2025 publish structured award criteria.")
