"""svdash — Streamlit entry point: page config, navigation, sidebar freshness and attribution.

Run: streamlit run dashboard.py   (works offline on the embedded data in data/)
"""
from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="svdash — Social Value Act in practice", page_icon="⚖️", layout="wide")

from ui import sidebar, state  # noqa: E402  (after set_page_config, which must come first)

# The default page lives at "/" (Streamlit ignores a default page's url_path: "/overview" was "Page not found").
PAGES = [
    st.Page("app_pages/home.py", title="Overview", icon=":material/home:", default=True),
    st.Page("app_pages/map.py", title="Map", icon=":material/map:", url_path="map"),
    st.Page("app_pages/trends.py", title="Trends", icon=":material/show_chart:", url_path="trends"),
    st.Page("app_pages/council.py", title="Council profile", icon=":material/account_balance:", url_path="council"),
    st.Page("app_pages/compare.py", title="Compare", icon=":material/leaderboard:", url_path="compare"),
    st.Page("app_pages/findings.py", title="Findings", icon=":material/search:", url_path="findings"),
    st.Page("app_pages/data.py", title="Data & downloads", icon=":material/download:", url_path="data"),
    st.Page("app_pages/upload.py", title="Upload", icon=":material/upload:", url_path="upload"),
    st.Page("app_pages/method.py", title="Method", icon=":material/menu_book:", url_path="method"),
]

nav = st.navigation(PAGES)
state.begin_run()  # every read of this run is of one build of the store (ui/cache.py)
sidebar.render()
nav.run()
