"""Streamlit-only helpers (caching, widgets, URL state). The logic lives in svdash/."""
