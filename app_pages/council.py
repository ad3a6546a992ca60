"""Council profile: evidence of adoption (records and practice), measures against like-for-like peers, and the
evidence procurement by procurement."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import streamlit as st

from svdash import brief, export, measures, policy_weighting, views
from svdash.charts import PLOTLY_CONFIG, adoption_step_chart, trend_chart
from svdash.filters import Filters, measure_def
from svdash.views import md_escape
from ui import brief_button, cache, page, state, url_state, widgets

d, flt = page.start("Council profile")
if not d.ok:
    st.stop()

councils = cache.councils()
names = dict(zip(councils["gss_code"], councils["name"]))


def open_council(code: str) -> None:
    """Start link: pick the council (the picker reads its state; the URL follows from the pick)."""
    st.session_state["profile_council"] = code


options = sorted(names, key=names.get)
current = flt.council if flt.council in names else ""
pick = st.selectbox("Council", ["", *options], index=(options.index(current) + 1) if current else 0,
                    key="profile_council",
                    format_func=lambda c: "Choose a council…" if not c else f"{names[c]} ({c})")
flt = replace(flt, council=pick)
HEADLINE = "adoption_evidence"
TITLE_FITS = 60  # characters the Title column shows at 1366 px


def plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


hdef = measure_def(HEADLINE)
CAT_LABELS = {c["id"]: c["label"] for c in hdef["categories"]}
CAT_MEANING = {c["id"]: c["meaning"] for c in hdef["categories"]}

if not pick:
    url_state.write(flt)
    st.info("Choose a council above, or click one on the Map or Compare page.")
    table = views.measure_table(Filters(measure=HEADLINE, geography="upper"), d.values, councils)
    table = table[table["category"].isin(["both", "practice_only", "policy_only"])]
    if len(table):
        order = {"both": 0, "practice_only": 1, "policy_only": 2}
        start = table.assign(_o=table["category"].map(order)).sort_values(["_o", "name"]).head(8)
        kinds = ", ".join(dict.fromkeys(CAT_LABELS[c].lower() for c in start["category"]))
        st.markdown(f"**Or start with a council that has evidence of adoption** ({kinds}):")
        cols = st.columns(4)
        for i, r in enumerate(start.itertuples()):
            # a button that sets the picker: a page_link to this same page left the URL at /council and the
            # picker empty (issue 22)
            cols[i % 4].button(r.name, key=f"start_{r.gss_code}", type="tertiary", icon=":material/account_balance:",
                               on_click=open_council, args=(r.gss_code,))
    st.stop()

row = councils[councils["gss_code"].eq(pick)].iloc[0]
st.header(f"{row['name']}")
st.caption(f"{row['council_type'].capitalize()} · {row['region_name']} · {row['comparison_group']} · "
           f"ONS code {pick}" + (" · a county council: the upper tier of a two-tier area; its record and notices "
                                 "are its own, not its districts'" if row["tier"] == "upper" else ""))
brief_button.offer(d, brief.resolve("council", pick, councils), "council_card")

# --- evidence of adoption ----------------------------------------------------------------------------------
st.subheader("Evidence of adoption")
own = views.one_value(d.values, HEADLINE, "council", pick)
category = str(own.get("category") or "") if own else ""
records = state.adoption_records()
recs = records[records["gss_code"].astype(str).eq(pick)] if "gss_code" in records.columns else records.iloc[0:0]
notices = d.council_notices(pick)
procs = views.council_procurements(notices)  # the practice is counted from the same rows listed below
n_applied = int(procs["sv_status"].eq("applied").sum())
if category:
    box = st.success if category in ("both", "policy_only", "practice_only") else st.info
    box(f"**{CAT_LABELS.get(category, category)}** — {CAT_MEANING.get(category, '')}.")
practice = (f"**Practice in notices:** {plural(n_applied, 'procurement')} whose published notice applies social "
            "value (listed below)." if n_applied else
            "**Practice in notices:** no procurement of this council in the data has a notice applying social value "
            "— *no evidence in the published notices*, not *not applied*.")
st.markdown(practice)
st.markdown("**Adoption records:**" if len(recs) else
            "**Adoption records:** none found for this council. That means **unknown**, not *no policy*: records "
            "are evidence found on public pages, not a census.")
status_words = {"policy_adopted": "Social value policy adopted", "charter_adopted": "Charter adopted",
                "strategy_adopted": "Strategy adopted", "developing": "Policy in development",
                "none_found": "Stated that no policy exists"}
for r in policy_weighting.with_policy_weighting(recs).to_dict("records"):
    when = r.get("adopted_date") or "date not stated"
    weight = r.get("weighting_pct")  # the policy's own weighting, named for what it is (not a procurement's)
    wtext = f", {r['weighting_basis']} weighting {weight:g} %" if isinstance(weight, float) and pd.notna(weight) else ""
    st.markdown(f"- **{status_words.get(r.get('status'), md_escape(r.get('status')))}** — "
                f"{md_escape(r.get('policy_name') or 'unnamed')} ({md_escape(when)}{wtext}; "
                f"confidence {md_escape(r.get('confidence') or 'not stated')})")
    if views.safe_url(r.get("source_url")):
        st.link_button(f"Source: {str(r.get('source_title') or r['source_url'])[:90]}",
                       views.safe_url(r["source_url"]))

# --- measures against peers --------------------------------------------------------------------------------
st.subheader("Against like-for-like peers")
if "measure" not in url_state.explicit():
    flt = replace(flt, measure=HEADLINE if category else views.choose_default(d.data_summary(), "lower")[0])
flt = widgets.measure_picker(flt, "profile_measure")
url_state.write(flt)
mdef = measure_def(flt.measure)
unit, ulabel, k = mdef.get("unit", "share"), export.unit_label(mdef), export.scale(mdef)
level = "upper_tier" if row["tier"] == "upper" else "council"
sets = views.peers(row, councils)
allp = d.values[d.values["measure_id"].eq(flt.measure) & d.values["period"].astype(str).eq("all")
                & d.values["level"].eq(level)].set_index("unit_code")
if unit == "category":
    # peers' categories are at council level (a county's own evidence), like this council's
    table, _ = views.peer_evidence(d.values, row, councils, flt.measure)
    # every column in view at 1366 px: the counts narrow, the full category name as the header's tooltip
    narrow = {c: st.column_config.NumberColumn(c, width=104, help=c) for c in views.CATEGORY_SHORT_LABELS.values()}
    st.dataframe(table, hide_index=True, width="stretch", column_config={
        "Peer set": st.column_config.TextColumn("Peer set", width=160, pinned=True),
        "Peers": st.column_config.NumberColumn("Peers", width=50),
        "Peers with evidence": st.column_config.TextColumn("With evidence", width=95, help="Peers with evidence"),
        **narrow})
    st.caption(f"{row['name']} itself: {CAT_LABELS.get(category or 'unknown', '–')}. Peers with evidence: a record "
               "of an adopted or developing policy, or a notice applying social value (the first four category "
               "columns; they and 'No evidence found' add up to the peers). Nearest neighbours: same council type "
               "and comparison group, same region first.")
else:
    own_v = allp.loc[pick] if pick in allp.index else None
    rows = []
    has_own = own_v is not None and pd.notna(own_v["value"])
    own_ok = has_own and not bool(own_v["low_n"])
    kind = views.measure_kind(mdef, level)
    # a low-n value is shown, marked, as on the map's hover; "–" when there is none
    own_text = (f"{own_v['value'] * k:.1f}" + ("" if own_ok or kind == "binary" else " (low n)")) if has_own else "–"
    for label, codes in sets.items():
        vals = allp.reindex(codes)
        vals = vals[vals["value"].notna() & ~vals["low_n"].astype("boolean").fillna(True).astype(bool)]
        if not own_ok:
            rank = "– (this council: low n)" if has_own else "– (this council: no value)"
        elif not len(vals):
            rank = "– (no peer has a value)"
        else:
            rank = f"{int((vals['value'] > own_v['value']).sum()) + 1} of {len(vals) + 1}"
        rows.append({"Peer set": label, "Peers": len(codes), "Peers with a value": len(vals),
                     f"Peer median ({ulabel})": f"{vals['value'].median() * k:.1f}" if len(vals) else "–",
                     f"This council ({ulabel})": own_text,
                     "This council's n": int(own_v["denominator"]) if own_v is not None and pd.notna(own_v["denominator"]) else 0,
                     "This council's rank": rank})
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    if own_v is None or pd.isna(own_v.get("value")) or bool(own_v.get("low_n")):
        st.caption(f"This council has no reliable value for this measure over all years: its denominator "
                   f"({mdef.get('denominator')}) is empty or below {mdef.get('min_n')}. That is no evidence in the "
                   "published notices, not evidence that social value is not applied.")
    if not views.has_enough(d.data_summary(), flt.measure, "lower"):
        st.page_link("app_pages/map.py", label="Too little council-level data for this measure: see it pooled by "
                     "region →", icon=":material/join_inner:",
                     query_params={"measure": flt.measure, "geography": "region"})
    st.caption("Nearest neighbours: same council type and comparison group, same region first (population is not "
               "embedded, so size is approached through council type).")

group_label, region_label = f"All {row['comparison_group']} councils", f"All {row['region_name']}"
if unit == "category":
    timeline = d.adoption_timeline()
    mine = timeline[timeline["gss_code"].eq(pick)]
    end = max([date.today(), *[t.date() for t in timeline["placed"].dropna()]]) if len(timeline) else date.today()
    g_steps = measures.adoption_steps(timeline, councils, "comparison_group", end)
    r_steps = measures.adoption_steps(timeline, councils, "region", end)
    steps = pd.concat([g_steps[g_steps["unit"].eq(row["comparison_group"])].assign(unit=group_label),
                       r_steps[r_steps["unit"].eq(row["region_name"])].assign(unit=region_label)],
                      ignore_index=True)
    title = f"Adoption among {row['name']}'s peers since 2013: councils with a dated policy record (%)"
    fig = adoption_step_chart(steps, order=[group_label, region_label], title=title,
                              labels={group_label: group_label, region_label: region_label})
    when = mine["placed"].dropna()
    if len(when):
        fig.add_vline(x=when.iloc[0].timestamp() * 1000, line_color="#D55E00", line_width=2,
                      annotation_text=f"{row['name']}: {mine['recorded'].iloc[0]}", annotation_position="bottom right",
                      annotation_font_color="#D55E00")
    alt = (f"Step lines since 2013 of the share of all {row['comparison_group']} councils and of all councils in "
           f"{row['region_name']} with a dated adoption record" + (
               f"; an orange line marks {row['name']}'s own record ({mine['recorded'].iloc[0]})." if len(when) else
               f"; {row['name']} has no dated adoption record."))
    st.plotly_chart(fig, config=PLOTLY_CONFIG, width="stretch", key="profile_trend", alt=alt)
    page.chart_caption(alt)
else:
    own_series = views.series(d.values, flt.measure, level, [pick], "year").assign(unit=row["name"])
    grp_series = views.series(d.values, flt.measure, "comparison_group", [row["comparison_group"]], "year")
    reg_series = views.series(d.values, flt.measure, "region", [row["region_name"]], "year")
    lines = pd.concat([own_series, grp_series.assign(unit=group_label), reg_series.assign(unit=region_label)],
                      ignore_index=True)
    lines = lines[lines["value"].notna()]
    if unit != "quarter" and not lines.empty:
        title = f"{row['name']} against its peers, yearly ({ulabel})"
        alt = (f"Yearly lines of {mdef['title'].lower()} for {row['name']}, all {row['comparison_group']} councils "
               f"and the {row['region_name']} region, with 95 % bands and milestone markers.")
        st.plotly_chart(trend_chart(lines, unit=unit, title=title, y_title=ulabel,
                                    order=[row["name"], group_label, region_label]),
                        config=PLOTLY_CONFIG, width="stretch", key="profile_trend", alt=alt)
        page.chart_caption(alt)
        widgets.table_twin(lines, title, "profile_trend")

# --- the evidence ----------------------------------------------------------------------------------------
st.subheader("The evidence: this council's procurements")
if procs.empty:
    st.markdown("No notices from this council are in the data.")
else:
    counts = procs["sv_status"].value_counts()
    st.markdown(f"{plural(len(procs), 'procurement')} ({plural(len(notices), 'notice')}; the notices of one "
                f"procurement — tender, update, award — are one row): **{counts.get('applied', 0)}** apply social value, "
                f"**{counts.get('dismissed', 0)}** dismiss it, **{counts.get('none', 0)}** show *no social value "
                "evidence in the published notice* (not the same as not applying it).")
    short = {"applied": "Applied", "dismissed": "Dismissed", "none": "No evidence in notice"}
    procs = procs.sort_values(["last_date", "ocid"], ascending=[False, True], kind="stable", na_position="last")
    links = procs["notice_url"].map(views.safe_url)
    shown = pd.DataFrame({
        "Latest notice": procs["last_date"].dt.date,
        "Status": procs["sv_status"].map(short).fillna(procs["status_label"]),
        "Title": procs["title"].astype(str),
        "Weighting": procs["weighting_pct"].map(lambda w: "" if pd.isna(w) else f"{w:g} %"),
        "Notices": procs["notices_label"],
        # a blank cell where the release publishes no link and none can be built from its notice id
        "Notice": links.where(links.ne(""), None),
    }).reset_index(drop=True)
    # pixel widths that add up to the main column at 1366 × 900 (≈ 900 px): the status in full and the title as
    # wide as the rest allows; the evidence quotes are listed in full below the table
    st.dataframe(shown, hide_index=True, width="stretch", column_config={
        name: (st.column_config.LinkColumn(name, display_text="open", width=width, help=help_text)
               if name == "Notice" else
               st.column_config.DateColumn(name, width=width, format="YYYY-MM-DD", help=help_text)
               if name == "Latest notice" else st.column_config.TextColumn(name, width=width, help=help_text))
        for name, (width, help_text) in widgets.PROCUREMENT_COLUMNS.items()})
    long = shown[shown["Title"].str.len() > TITLE_FITS]
    if len(long):  # a title longer than its column, in full (a projector shows no tooltip)
        with st.expander(f"Titles in full ({plural(len(long), 'title')} longer than the column)"):
            st.markdown("\n".join(f"- {r['Latest notice']} — {md_escape(r['Title'])}" for _, r in long.iterrows()))
    missing = int(shown["Notice"].isna().sum())
    if missing:
        st.caption(f"{plural(missing, 'procurement')} without a link: no link published in the notice data "
                   "(and none can be built from its notice id).")
    quoted = procs[procs["evidence"].astype(str).ne("")]
    if len(quoted):
        st.markdown("**Evidence quotes** (verbatim from the notices, shown in full as plain text):")
        for r in quoted.to_dict("records"):
            box = st.success if r["sv_status"] == "applied" else st.warning
            weight = "" if pd.isna(r["weighting_pct"]) else f" — weighting {r['weighting_pct']:g} %"
            box(f"{md_escape(r['status_label'])} — {md_escape(r['title'])} ({r['notices_label']}{weight}): "
                f"“{md_escape(r['evidence'])}”")
            if views.safe_url(r.get("notice_url")):
                st.link_button("Open the original notice", views.safe_url(r["notice_url"]))
