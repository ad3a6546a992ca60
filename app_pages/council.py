"""Council profile: adoption record, measures against like-for-like peers, and the evidence notice by notice."""
from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from svdash import export, views
from svdash.charts import PLOTLY_CONFIG, trend_chart
from svdash.filters import measure_def
from svdash.views import md_escape
from ui import cache, page, state, url_state, widgets

d, flt = page.start("Council profile")
if not d.ok:
    st.stop()

councils = cache.councils()
names = dict(zip(councils["gss_code"], councils["name"]))
options = sorted(names, key=names.get)
current = flt.council if flt.council in names else ""
pick = st.selectbox("Council", ["", *options], index=(options.index(current) + 1) if current else 0,
                    key="profile_council",
                    format_func=lambda c: "Choose a council…" if not c else f"{names[c]} ({c})")
flt = replace(flt, council=pick)
if not pick:
    url_state.write(flt)
    st.info("Choose a council above, or click one on the Map or Compare page.")
    st.stop()

row = councils[councils["gss_code"].eq(pick)].iloc[0]
st.header(f"{row['name']}")
st.caption(f"{row['council_type'].capitalize()} · {row['region_name']} · {row['comparison_group']} · "
           f"ONS code {pick}")

# --- adoption record -------------------------------------------------------------------------------------
st.subheader("Adoption record")
records = state.adoption_records()
recs = records[records["gss_code"].astype(str).eq(pick)] if "gss_code" in records.columns else records.iloc[0:0]
if recs.empty:
    st.markdown("No adoption record found for this council. That means **unknown**, not *no policy*: records "
                "are evidence found on public pages, not a census.")
else:
    status_words = {"policy_adopted": "Social value policy adopted", "charter_adopted": "Charter adopted",
                    "strategy_adopted": "Strategy adopted", "developing": "Policy in development",
                    "none_found": "Stated that no policy exists"}
    for r in recs.to_dict("records"):
        date = r.get("adopted_date") or "date not stated"
        weight = r.get("weighting_pct")
        wtext = f", weighting {weight:g} %" if isinstance(weight, float) and pd.notna(weight) else ""
        st.markdown(f"**{status_words.get(r.get('status'), md_escape(r.get('status')))}** — "
                    f"{md_escape(r.get('policy_name') or 'unnamed')} ({md_escape(date)}{wtext}; "
                    f"confidence {md_escape(r.get('confidence') or 'not stated')})")
        if views.safe_url(r.get("source_url")):
            st.link_button(f"Source: {str(r.get('source_title') or r['source_url'])[:90]}",
                           views.safe_url(r["source_url"]))

# --- measures against peers ------------------------------------------------------------------------------
st.subheader("Measures against like-for-like peers")
flt = widgets.measure_picker(flt, "profile_measure", basis="notices")
url_state.write(flt)
mdef = measure_def(flt.measure)
unit, ulabel, k = mdef.get("unit", "share"), export.unit_label(mdef), export.scale(mdef)
level = "upper_tier" if row["tier"] == "upper" else "council"
sets = views.peers(row, councils)
allp = d.values[d.values["measure_id"].eq(flt.measure) & d.values["period"].astype(str).eq("all")
                & d.values["level"].eq(level)].set_index("unit_code")
own = allp.loc[pick] if pick in allp.index else None
rows = []
has_own = own is not None and pd.notna(own["value"])
own_ok = has_own and not bool(own["low_n"])
# a low-n value is shown, marked, as on the map's hover; "–" when there is none
own_text = (f"{own['value'] * k:.1f}" + ("" if own_ok else " (low n)")) if has_own else "–"
for label, codes in sets.items():
    vals = allp.reindex(codes)
    vals = vals[vals["value"].notna() & ~vals["low_n"].astype("boolean").fillna(True).astype(bool)]
    if not own_ok:
        rank = "– (this council: low n)" if has_own else "– (this council: no value)"
    elif not len(vals):
        rank = "– (no peer has a value)"
    else:
        rank = f"{int((vals['value'] > own['value']).sum()) + 1} of {len(vals) + 1}"
    rows.append({"Peer set": label, "Peers": len(codes), "Peers with a value": len(vals),
                 f"Peer median ({ulabel})": f"{vals['value'].median() * k:.1f}" if len(vals) else "–",
                 f"This council ({ulabel})": own_text,
                 "This council's n": int(own["denominator"]) if own is not None and pd.notna(own["denominator"]) else 0,
                 "This council's rank": rank})
peer_table = pd.DataFrame(rows)
st.dataframe(peer_table, hide_index=True, width="stretch")
if own is None or pd.isna(own.get("value")) or bool(own.get("low_n")):
    st.caption(f"This council has no reliable value for this measure over all years: its denominator "
               f"({mdef.get('denominator')}) is empty or below {mdef.get('min_n')}. That is no evidence in the published notices, not "
               "evidence that social value is not applied.")
st.caption("Nearest neighbours: same council type and comparison group, same region first (population is not "
           "embedded, so size is approached through council type).")

own_series = views.series(d.values, flt.measure, level, [pick], "year").assign(unit=row["name"])
grp_series = views.series(d.values, flt.measure, "comparison_group", [row["comparison_group"]], "year")
reg_series = views.series(d.values, flt.measure, "region", [row["region_name"]], "year")
lines = pd.concat([own_series, grp_series.assign(unit=f"All {row['comparison_group']} councils"),
                   reg_series.assign(unit=f"All {row['region_name']}")], ignore_index=True)
if unit != "quarter" and not lines.empty:
    title = f"{row['name']} against its peers, yearly ({ulabel})"
    alt = (f"Yearly lines of {mdef['title'].lower()} for {row['name']}, all {row['comparison_group']} councils "
           f"and the {row['region_name']} region, with 95 % bands and milestone markers.")
    st.plotly_chart(trend_chart(lines, unit=unit, title=title, y_title=ulabel,
                                order=[row["name"], f"All {row['comparison_group']} councils",
                                       f"All {row['region_name']}"]),
                    config=PLOTLY_CONFIG, width="stretch", key="profile_trend", alt=alt)
    page.chart_caption(alt)
    widgets.table_twin(lines, title, "profile_trend")

# --- the evidence ----------------------------------------------------------------------------------------
st.subheader("The evidence: this council's notices")
notices = d.council_notices(pick)
if notices.empty:
    st.markdown("No notices from this council are in the data.")
else:
    counts = notices["sv_status"].value_counts()
    st.markdown(f"{len(notices):,} notices: **{counts.get('applied', 0)}** apply social value, "
                f"**{counts.get('dismissed', 0)}** dismiss it, **{counts.get('none', 0)}** show *no social value "
                "evidence in the published notice* (not the same as not applying it).")
    shown = notices.assign(notice_url=notices["notice_url"].map(views.safe_url)).rename(columns={
        "date": "Date", "title": "Title", "status_label": "Status", "weighting_pct": "Weighting (%)",
        "evidence": "Evidence quote", "notice_url": "Notice", "criteria_visible": "Award criteria visible",
        "themes": "Themes"})
    st.dataframe(shown[["Date", "Title", "Status", "Weighting (%)", "Evidence quote", "Award criteria visible",
                        "Themes", "Notice"]], hide_index=True, width="stretch",
                 column_config={"Notice": st.column_config.LinkColumn("Notice", display_text="open notice"),
                                "Date": st.column_config.DateColumn("Date")})
    quoted = notices[notices["evidence"].astype(str).ne("")]
    if len(quoted):
        st.markdown("**Evidence quotes** (verbatim from the notices, shown as plain text):")
        for r in quoted.head(10).to_dict("records"):
            box = st.success if r["sv_status"] == "applied" else st.warning
            box(f"{md_escape(r['status_label'])} — {md_escape(r['title'])}: “{md_escape(r['evidence'])}”")
            if views.safe_url(r.get("notice_url")):
                st.link_button("Open the original notice", views.safe_url(r["notice_url"]))
