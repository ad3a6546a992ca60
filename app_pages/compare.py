"""Compare: a sortable league table of councils, ranked within their comparison group (or of the pooled regions
and comparison groups), rank first and full names."""
from __future__ import annotations

import streamlit as st

from svdash import export, views
from svdash.filters import measure_def
from ui import cache, page, widgets

d, flt = page.start("Compare councils",
                    "Councils side by side. For a share, rank is **within the council's comparison group** "
                    "(metropolitan, other urban, rural), among the councils shown with enough data — like with like, "
                    "not against a national average only. Click a column header to sort; tick the box at the start "
                    "of a row to open that council's profile (pooled regions and groups have no profile).")
if not d.ok:
    st.stop()
flt = page.with_default(d, flt, geographies=widgets.TABLE_GEOGRAPHIES)
flt = widgets.filter_panel(flt, d.measure_periods(), "cmp", choices=widgets.TABLE_GEOGRAPHIES, units_label="Units")
widgets.pooled_offer(flt, d.data_summary(), "cmp")

mdef = measure_def(flt.measure)
kind = views.measure_kind(mdef, flt.level)
table = d.table_view(flt)
name_col = export.UNIT_COLUMN.get(flt.geography, "Council")
if kind == "category":
    cats = mdef["categories"]
    screen = export.screen_table(table, mdef, flt.geography)  # strongest evidence first, then by name
    counts = views.category_counts(table, cats)
    tiers = (f" ({int(table['tier'].ne('upper').sum()):,} lower-tier and {int(table['tier'].eq('upper').sum()):,} "
             "county councils)" if "tier" in table.columns else "")
    st.markdown(f"**{mdef['title']}** — {flt.describe()}. {len(table):,} councils{tiers}: "
                + ", ".join(f"{r.label.lower()} **{r.n}**" for r in counts.itertuples())
                + ". Listed by category (strongest evidence first), then by name; no evidence found is unknown, "
                  "not a low score.")
else:
    table = table.sort_values(["value", "name"], ascending=[False, True], na_position="last", kind="stable")
    screen = export.screen_table(table, mdef, flt.geography, rank_first=True).reset_index(drop=True)
    n_val = int(table["value"].notna().sum())
    n_solid = int((table["value"].notna() & ~table["low_n"]).sum())  # what the map colours and ranks use
    what = "regions" if flt.geography == "region" else "groups" if flt.geography == "group" else "councils"
    if kind == "binary":
        labels = mdef.get("binary_labels") or {}
        st.markdown(f"**{mdef['title']}** — {flt.describe()}. {len(table):,} councils: "
                    f"{int(table['value'].eq(1).sum()):,} {labels.get('with', 'yes').lower()}, "
                    f"{int(table['value'].eq(0).sum()):,} {labels.get('without', 'no').lower()}"
                    + (f", {int(table['value'].isna().sum()):,} not applicable" if table["value"].isna().any() else "")
                    + ". A 1-or-0 per council, so ranks are ties.")
    else:
        st.markdown(f"**{mdef['title']}** — {flt.describe()}. {len(table):,} {what}, {n_val:,} with a value, "
                    f"{n_solid:,} of them with n ≥ {mdef.get('min_n', '?')} (the others are low n: shown, not "
                    f"ranked); {what} without a value are listed last (no evidence, not a low score).")

# full names (a wide first column), the rank and count columns narrow, so the table fits without scrolling
config = widgets.column_config(screen, name_col)
for col in screen.columns:
    if col.startswith("Ranked"):
        config[col] = st.column_config.NumberColumn("Of", width="small", help=f"{col}: how many were ranked")
    elif col.startswith("Rank"):
        config[col] = st.column_config.NumberColumn("Rank", width="small", help=f"{col} (1 = highest)")
    elif col == "Period":
        config[col] = st.column_config.Column(col, width="small")
event = st.dataframe(screen, hide_index=True, width="stretch", key="cmp_table", on_select="rerun",
                     selection_mode="single-row", height=520, column_config=config, placeholder="–")
rows = event.selection.rows if event else []
if rows and not flt.pooled:
    # selecting a row opens that council's profile (the intro says so)
    st.switch_page(page.COUNCIL_PAGE, query_params={"council": str(screen.loc[rows[0], "ONS code"])})
st.download_button("Download this table (CSV)", export.to_csv_bytes(screen), file_name="svdash-compare.csv",
                   mime="text/csv", key="cmp_csv")
if not flt.pooled and kind not in ("category", "binary"):
    st.caption(f"Rank 1 = highest in its comparison group among councils whose value rests on at least "
               f"{mdef.get('min_n')} {mdef.get('denominator')}; “Of” is how many councils were ranked. Values "
               "resting on fewer, and blank values, are not ranked: too little evidence, not a low score.")
