"""Compare: a sortable league table of councils, ranked within their comparison group."""
from __future__ import annotations

import streamlit as st

from svdash import export, views
from svdash.filters import measure_def
from ui import cache, page, widgets

d, flt = page.start("Compare councils",
                    "Rank is **within the council's comparison group** (metropolitan, other urban, rural), among "
                    "the councils shown that have a value — like with like, not against a national average only. "
                    "Click a column header to sort; select a row to open the council's profile.")
if not d.ok:
    st.stop()
flt = widgets.filter_panel(flt, d.values, "cmp")

mdef = measure_def(flt.measure)
table = views.measure_table(flt, d.values, cache.map_units(flt.geography))
table = table.sort_values(["value", "name"], ascending=[False, True], na_position="last", kind="stable")
screen = export.screen_table(table, mdef).reset_index(drop=True)
n_val = int(table["value"].notna().sum())
n_solid = int((table["value"].notna() & ~table["low_n"]).sum())  # what the map colours and ranks use
st.markdown(f"**{mdef['title']}** — {flt.describe()}. {len(table):,} councils, {n_val:,} with a value, "
            f"{n_solid:,} of them with n ≥ {mdef.get('min_n', '?')} (the others are low n: shown, not ranked); "
            "councils without a value are listed last (no evidence, not a low score).")
event = st.dataframe(screen, hide_index=True, width="stretch", key="cmp_table", on_select="rerun",
                     selection_mode="single-row", height=520)
rows = event.selection.rows if event else []
if rows:
    code, name = screen.loc[rows[0], "ONS code"], screen.loc[rows[0], "Council"]
    st.page_link(page.COUNCIL_PAGE, label=f"Open the profile of {name} →", icon=":material/account_balance:",
                 query_params={**flt.to_params(), "council": code})
st.download_button("Download this table (CSV)", export.to_csv_bytes(screen), file_name="svdash-compare.csv",
                   mime="text/csv", key="cmp_csv")
