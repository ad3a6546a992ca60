"""Findings: the seed's questions answered live from the data, each with its numbers and caveats."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from svdash import views
from svdash.charts import PLOTLY_CONFIG, compare_bars, status_bars
from svdash.filters import measure_def
from svdash.geo import GROUP_ORDER, REGION_ORDER
from ui import page, widgets

d, flt = page.start("Findings", "Three questions the campaign asked, answered from the data as it stands. "
                    "Numbers update when the data is rebuilt; every answer carries its denominator and caveats.")
if not d.ok:
    st.stop()
values = d.values


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


def sentence(row: pd.Series, what: str) -> str:
    if row["denominator"] == 0:
        return f"**{row['unit'].capitalize()}**: cannot be measured — 0 {what}."
    return (f"**{row['unit'].capitalize()}**: {row['value'] * 100:.1f} % ({row['numerator']:,} of "
            f"{row['denominator']:,}; 95 % interval {row['ci_low'] * 100:.1f}–{row['ci_high'] * 100:.1f} %).")


def answer(level: str, keys: list[str], measures: list[str], key: str, highlight: str | None = None) -> None:
    for mid in measures:
        mdef = measure_def(mid)
        tab = cells(level, keys, mid)
        st.markdown(f"*{mdef['title']}* — denominator: {mdef['denominator']}.")
        st.markdown("  \n".join(sentence(r, mdef["denominator"]) for _, r in tab.iterrows()))
        if tab["denominator"].sum() == 0:
            st.info("No procurement in the data has this denominator, so the question cannot be answered from "
                    "this measure. This is *no social value evidence in the published notices*, not evidence "
                    "that social value is not applied.")
            continue
        title = f"{mdef['title']}, all years since 2013 (%)"
        alt = f"Bar chart of {mdef['title'].lower()} for {', '.join(keys)}, with 95 % Wilson error bars."
        st.plotly_chart(compare_bars(tab, label_col="unit", unit="share", title=title, x_title="%",
                                     highlight=highlight), config=PLOTLY_CONFIG, width="stretch",
                        key=f"{key}_{mid}", alt=alt)
        page.chart_caption(alt)
        widgets.table_twin(tab, title, f"{key}_{mid}")


st.header("1. Do metropolitan councils apply social value more than rural ones?")
answer("comparison_group", GROUP_ORDER, ["sv_applied_share", "sv_applied_share_all", "adoption_recorded_share"],
       "f1")
st.caption("Caveats: notices are evidence of practice in that procurement, not policy; adoption records are "
           "evidence found, not a census (a council without a record is unknown). Overlapping intervals mean "
           "the data cannot tell the groups apart.")

st.header("2. Where does the East of England stand against the other regions?")
answer("region", REGION_ORDER, ["sv_applied_share", "adoption_recorded_share"], "f2", highlight="East of England")
st.caption("The East of England bar is orange. Regions differ in how many councils they have and in how many "
           "notices publish criteria; compare intervals, not just bar lengths.")

st.header("3. How many notices mention social value only to dismiss it?")
counts = d.status_counts()
total = int(counts["n"].sum())
by = counts.set_index("sv_status")
dismissed, applied = int(by.loc["dismissed", "n"]), int(by.loc["applied", "n"])
mention = dismissed + applied
if total == 0:
    st.markdown("No council procurements are in the data.")
else:
    share_mention = f"{dismissed / mention * 100:.1f} % of the {mention:,} that mention it" if mention else \
        "none of them mention social value at all"
    st.markdown(f"Of **{total:,}** council procurements, **{dismissed:,}** mention social value only to dismiss it "
                f"({share_mention}); **{applied:,}** apply it; **{int(by.loc['none', 'n']):,}** show *no social "
                "value evidence in the published notice*. Only "
                f"{int(counts['n_criteria_visible'].sum()):,} publish any award criteria.")
    title = "Council procurements by social value status, all years (count)"
    alt = "Stacked bars: council procurements applied, dismissed and with no evidence, split by whether award criteria are published."
    st.plotly_chart(status_bars(counts, title=title), config=PLOTLY_CONFIG, width="stretch", key="f3", alt=alt)
    page.chart_caption(alt)
    widgets.table_twin(counts, title, "f3")
st.caption("A procurement is one OCDS ocid (tender and award count once). The English Contracts Finder notices "
           "carry short descriptions only, so most show no evidence either way.")
