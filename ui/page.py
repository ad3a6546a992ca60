"""Every page starts the same way: the data in use, its banners, and the filters from the URL."""
from __future__ import annotations

import streamlit as st

from svdash.filters import Filters
from ui import state, url_state

COUNCIL_PAGE = "app_pages/council.py"


def start(title: str, intro: str = "") -> tuple[state.Data, Filters]:
    d = state.data()
    state.banner(d)
    st.title(title)
    if intro:
        st.markdown(intro)
    return d, url_state.read()


def chart_caption(alt: str) -> None:
    """Alt text shown under a chart (also passed to st.plotly_chart(alt=...))."""
    st.caption(f"Chart description: {alt}")
