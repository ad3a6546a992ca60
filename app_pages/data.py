"""Data & downloads: the filtered table on screen as CSV and XLSX, with JSON metadata."""
from __future__ import annotations

import streamlit as st

from svdash import export, views
from svdash.filters import measure_def
from ui import cache, page, widgets

d, flt = page.start("Data & downloads",
                    "The table below is exactly what the downloads contain. Change the filters to change both. "
                    "The same table comes from the command line: `python -m svdash export --out FILE` with the "
                    "same filters.")
if not d.ok:
    st.stop()
flt = page.with_default(d, flt, geographies=widgets.TABLE_GEOGRAPHIES)
flt = widgets.filter_panel(flt, d.measure_periods(), "data", choices=widgets.TABLE_GEOGRAPHIES, units_label="Units")
widgets.pooled_offer(flt, d.data_summary(), "data")

mdef = measure_def(flt.measure)
table = d.table_view(flt)
screen = export.screen_table(table, mdef, flt.geography)
meta = export.metadata(flt, len(screen), d.info, synthetic=d.synthetic)
st.markdown(f"**{meta['title']}** — {len(screen):,} rows.")
name_col = export.UNIT_COLUMN.get(flt.geography, "Council")
st.dataframe(screen, hide_index=True, width="stretch", key="data_table", height=420,
             column_config=widgets.column_config(screen, name_col), placeholder="–")

stem = f"svdash-{flt.measure}-{flt.geography}-{flt.period}"
cols = st.columns(3)
cols[0].download_button("Download CSV", export.to_csv_bytes(screen), file_name=f"{stem}.csv", mime="text/csv",
                        key="dl_csv")
cols[1].download_button("Download XLSX", export.to_xlsx_bytes(screen, meta), file_name=f"{stem}.xlsx",
                        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="dl_xlsx")
cols[2].download_button("Download metadata (JSON)", export.to_json_bytes(meta), file_name=f"{stem}.json",
                        mime="application/json", key="dl_json")
with st.expander("Metadata (what the JSON file holds)"):
    st.json(meta, expanded=False)
st.caption("How to cite: " + meta["citation"])
st.caption("Charts on every page download as PNG from their toolbar (camera icon); their data from the table "
           "under each chart.")
