"""Every page starts the same way: the data in use, its banners, and the filters from the URL; then a measure
and units that have data in this store when the link names none."""
from __future__ import annotations

from dataclasses import replace

import streamlit as st

from svdash import views
from svdash.filters import GEOGRAPHIES, Filters, measure_def
from ui import state, url_state

COUNCIL_PAGE = "app_pages/council.py"
POOLED_WORDS = {"region": "by region", "group": "by comparison group"}


def start(title: str, intro: str = "") -> tuple[state.Data, Filters]:
    d = state.data()
    state.banner(d)
    st.title(title)
    if intro:
        st.markdown(intro)
    return d, url_state.read()


def with_default(d: state.Data, flt: Filters, *, geographies: tuple[str, ...] = GEOGRAPHIES,
                 basis: tuple[str, ...] | None = None) -> Filters:
    """The view a page opens on. A measure or geography named in the link is kept (a shared view is
    reproduced, and the page says when it has too little data); otherwise the headline measure, or the first
    measure with enough council-level data in this store, or — when no measure has any — the pooled view by
    region, with a note saying why. Geographies the page cannot show (a hex on Compare) read as lower tier."""
    named = url_state.explicit()
    if flt.geography not in geographies:
        flt = replace(flt, geography="lower")
    allowed = None if basis is None else set(basis)
    try:
        fits = allowed is None or measure_def(flt.measure).get("basis") in allowed
    except KeyError:
        fits = False
    if "measure" in named and fits:
        return flt
    measure, geography = views.choose_default(d.data_summary(), flt.geography, basis)
    if "geography" in named or geography == flt.geography:
        return replace(flt, measure=measure)
    st.info(f"**No measure in this store has enough data council by council**, so this page opens on the "
            f"pooled view {POOLED_WORDS.get(geography, '')}: councils added together per region, each with its n "
            "and 95 % interval. Choose another measure or units above to change it.")
    return replace(flt, measure=measure, geography=geography)


def chart_caption(alt: str) -> None:
    """Alt text shown under a chart (also passed to st.plotly_chart(alt=...))."""
    st.caption(f"Chart description: {alt}")
