"""The briefing PDF as a download: built only when asked for (a click on "Prepare"), never on a page's first
view, then offered with st.download_button; kept in the session for the same store and scope."""
from __future__ import annotations

import streamlit as st

from svdash import brief
from ui import state


def _build(d: state.Data, scope: brief.Scope) -> bytes:
    if scope.kind == "council":
        return brief.brief_pdf(d.tables, scope, notices=d.council_notices(scope.key),
                               records=state.adoption_records())
    return brief.brief_pdf(d.tables, scope, status_counts=d.status_counts())


def offer(d: state.Data, scope: brief.Scope, key: str) -> None:
    """A "Prepare" button for the scope's PDF; once prepared, the download button in its place."""
    what = "council card" if scope.kind == "council" else "briefing pack"
    ident = (d.path, scope.kind, scope.key)
    slot = f"brief_pdf_{key}"
    held = st.session_state.get(slot)
    place = st.empty()  # the download button takes the Prepare button's place once the PDF is built
    if not (held and held[0] == ident):
        help_text = ("A dated, cited A4 PDF: " + ("evidence category, records with sources, procurements with "
                     "weightings and quotes, peers." if scope.kind == "council" else
                     "headline with n and interval, map, adoption trend since 2013, league table, findings, "
                     "sources and filters.") + " Same figures as the CSV export for these filters.")
        if not place.button(f"Prepare the {what} (PDF): {scope.name}", key=f"{key}_prepare",
                         icon=":material/picture_as_pdf:", help=help_text):
            return
        with st.spinner(f"Drawing the {what}…"):
            st.session_state[slot] = held = (ident, _build(d, scope))
    place.download_button(f"Download the {what} (PDF): {scope.name}", data=held[1],
                       file_name=brief.file_name(scope), mime="application/pdf", key=f"{key}_download",
                       icon=":material/download:", on_click="ignore")
