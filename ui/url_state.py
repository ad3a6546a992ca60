"""Filters ⇄ st.query_params, so a copied URL reproduces the view. Values are checked by svdash.filters."""
from __future__ import annotations

from dataclasses import fields

import streamlit as st

from svdash.filters import Filters, from_params

FILTER_KEYS = [f.name for f in fields(Filters)]


def read() -> Filters:
    """Filters from the URL; a junk or stale param falls back to its default with a visible note."""
    params = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
    flt, rejected = from_params(params)
    if rejected:
        st.caption(f"Ignored unrecognised value(s) in the link for: {', '.join(sorted(set(rejected)))}.")
    return flt


def explicit() -> set[str]:
    """The filter keys the URL names (a measure or geography in a shared link is kept, never replaced by a
    default)."""
    return {k for k in FILTER_KEYS if k in st.query_params}


def write(flt: Filters) -> None:
    """Put the filters in the URL (only non-default ones); other params are left alone."""
    want = flt.to_params()
    for key in FILTER_KEYS:
        if key in want:
            if st.query_params.get(key) != want[key]:
                st.query_params[key] = want[key]
        elif key in st.query_params:
            del st.query_params[key]
