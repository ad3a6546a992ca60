"""Upload: adoption records (CSV/XLSX) and notices (OCDS JSON / Contracts Finder CSV), for this session only."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from svdash import adoption, export
from ui import page, state, uploads

d, flt = page.start("Upload your own evidence",
                    "Uploads are checked row by row and used **for your session only**; the published data is not "
                    "changed. A file that cannot be used shows why, and the data you had stays in use.")

st.header("Adoption records (CSV or XLSX)")
st.caption("Columns: " + ", ".join(adoption.COLUMNS) + f". Required: {', '.join(adoption.REQUIRED_COLUMNS)}. "
           "Status is one of " + ", ".join(adoption.STATUSES) + ".")
up = st.file_uploader("Adoption records file", type=["csv", "xlsx"], key="up_adoption")
if up is not None:
    before = state.adoption_records()
    try:
        clean, messages = adoption.validate_file(up.name, data=up.getvalue())
    except adoption.AdoptionFileError as exc:
        st.error(f"{up.name} was not used: {exc}")
        clean, messages = None, []
    except Exception as exc:  # an unreadable file must never break the page
        st.error(f"{up.name} was not used: {exc.__class__.__name__}: {exc}")
        clean, messages = None, []
    if messages:
        msgs = adoption.messages_frame(messages)
        n_err = int(msgs["severity"].eq("error").sum())
        (st.warning if n_err else st.info)(f"{len(msgs)} message(s): {n_err} row(s) left out, the rest kept.")
        st.dataframe(msgs, hide_index=True, width="stretch")
    if clean is not None and clean.empty:
        st.error(f"{up.name} was not used: no usable rows. The {len(before)} records in use are unchanged.")
    elif clean is not None:
        merged, diff = adoption.merge(before.drop(columns=["origin"], errors="ignore"), clean)
        st.session_state[state.ADOPTION_OVERRIDE] = merged
        counts = diff["change"].value_counts()
        st.success(f"Merged for this session: {counts.get('added', 0)} added, {counts.get('changed', 0)} changed, "
                   f"{counts.get('unchanged', 0)} unchanged, {counts.get('kept', 0)} kept. Profiles now use them.")
        st.dataframe(diff[diff["change"].ne("kept")], hide_index=True, width="stretch")
        st.download_button("Download the merged records (CSV)", export.to_csv_bytes(merged),
                           file_name="adoption_records_merged.csv", mime="text/csv", key="dl_merged")

records = state.adoption_records()
st.metric("Adoption records in use", f"{len(records):,}")
# The usual way to add or correct records: take the ones in use, edit them in a spreadsheet, upload the file.
st.download_button("Download the records in use (CSV), to edit and upload again",
                   adoption.editable_csv(records),
                   file_name="adoption_records.csv", mime="text/csv", key="dl_records_in_use")

st.header("Notices (OCDS JSON / JSON Lines, or a Contracts Finder CSV export)")
nup = st.file_uploader("Notices file", type=["json", "jsonl", "csv"], key="up_notices")
if nup is not None and st.session_state.get("up_notices_done") != (nup.name, nup.size):
    try:
        with st.spinner("Importing and rebuilding a session copy of the store…"):
            summary = uploads.import_notices(nup.name, nup.getvalue())
        st.session_state["up_notices_done"] = (nup.name, nup.size)
        st.success(f"{nup.name}: {summary['items']} releases read ({summary['new']} new, {summary['updated']} "
                   f"updated, {summary['rejected']} rejected). The pages now show your session copy.")
        if summary.get("rejects"):
            st.dataframe(pd.DataFrame(summary["rejects"]), hide_index=True, width="stretch")
    except uploads.UploadError as exc:
        st.error(f"{exc}. The data in use is unchanged.")
    except ImportError as exc:
        st.error(f"Notice import is not available in this build ({exc}). The data in use is unchanged.")
d2 = state.data()
if d2.ok and d2.summary:
    st.metric("Notices in use", f"{int(d2.summary['n_notices']):,}")
