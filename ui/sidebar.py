"""Sidebar shown on every page: what the data is, how fresh, and the attribution the licences require."""
from __future__ import annotations

import streamlit as st

from svdash.geo import ATTRIBUTION


def render() -> None:
    with st.sidebar:
        st.caption("**svdash** shows whether English councils apply the Public Services (Social Value) "
                   "Act 2012 in their procurement, from the notices they publish.")
        with st.expander("Sources and licences", expanded=False):
            st.markdown("\n".join(f"- {line}" for line in ATTRIBUTION))
            st.markdown("- Procurement notices: Contracts Finder, Find a Tender (Cabinet Office), Public Contracts "
                        "Scotland, Sell2Wales — Crown copyright, Open Government Licence v3.0.")
