"""svdash — Streamlit entry point: page config, navigation, sidebar freshness and attribution.

Run: streamlit run dashboard.py   (works offline on the embedded data in data/)
"""
from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="svdash — Social Value Act in practice", page_icon="⚖️", layout="wide")

from ui import sidebar  # noqa: E402  (after set_page_config, which must come first)

PAGES = [
    st.Page("pages/home.py", title="Overview", icon="🏠", default=True, url_path="overview"),
    st.Page("pages/map.py", title="Map", icon="🗺️", url_path="map"),
    st.Page("pages/trends.py", title="Trends", icon="📈", url_path="trends"),
    st.Page("pages/council.py", title="Council profile", icon="🏛️", url_path="council"),
    st.Page("pages/compare.py", title="Compare", icon="📊", url_path="compare"),
    st.Page("pages/findings.py", title="Findings", icon="🔎", url_path="findings"),
    st.Page("pages/data.py", title="Data & downloads", icon="⬇️", url_path="data"),
    st.Page("pages/upload.py", title="Upload", icon="⬆️", url_path="upload"),
    st.Page("pages/method.py", title="Method", icon="📖", url_path="method"),
]

nav = st.navigation(PAGES)
sidebar.render()
nav.run()
