"""svdash — Streamlit entry point: page config, navigation, sidebar freshness and attribution.

Run: streamlit run dashboard.py   (works offline on the embedded data in data/)
"""
from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="svdash — Social Value Act in practice", page_icon="⚖️", layout="wide")

from ui import sidebar  # noqa: E402  (after set_page_config, which must come first)

PAGES = [
    st.Page("pages/home.py", title="Overview", icon="🏠", default=True, url_path="overview"),
]

nav = st.navigation(PAGES)
sidebar.render()
nav.run()
