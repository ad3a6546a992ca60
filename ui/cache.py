"""Cached loaders: the only place svdash data is cached for the UI (svdash itself is cache-free)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from svdash import geo


@st.cache_data(show_spinner=False)
def lads() -> pd.DataFrame:
    return geo.load_lads()


@st.cache_data(show_spinner=False)
def utlas() -> pd.DataFrame:
    return geo.load_utlas()


@st.cache_data(show_spinner=False)
def councils() -> pd.DataFrame:
    return geo.load_councils()


@st.cache_resource(show_spinner=False)
def lad_geojson() -> dict:
    return geo.lad_geojson()


@st.cache_resource(show_spinner=False)
def utla_geojson() -> dict:
    return geo.utla_geojson()
