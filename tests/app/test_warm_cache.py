"""The launcher's warm-up (ui/warm.py) fills the same caches the first page view reads, so that view hits them.

Runs warm() outside any script run (as the launcher's thread does), then opens the Map page with the store
and outline loaders replaced by counters: a cache hit means they are not called again.
"""
from __future__ import annotations

import streamlit as st

from svdash import geo, views
from tests.app.conftest import open_page
from ui import warm


def _counting(monkeypatch, module, name: str) -> list[int]:
    calls: list[int] = []
    real = getattr(module, name)

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_warm_fills_the_caches_the_first_map_view_hits(monkeypatch):
    st.cache_data.clear()
    st.cache_resource.clear()
    reads = _counting(monkeypatch, views, "read_store")
    units = _counting(monkeypatch, views, "map_units")
    outline = _counting(monkeypatch, geo, "lad_geojson")

    times = warm.warm()
    assert set(times) == {"imports", "store", "map"}
    assert (len(reads), len(units), len(outline)) == (1, 1, 1)  # the caches were empty: warm() filled them

    at = open_page("map")
    assert not at.exception
    assert at.title[0].value.startswith("Map")
    assert at.get("plotly_chart")
    assert (len(reads), len(units), len(outline)) == (1, 1, 1)  # the page view hit the warmed entries


def test_warm_when_ready_gives_up_without_a_runtime(monkeypatch):
    reads = _counting(monkeypatch, views, "read_store")
    warm.warm_when_ready(poll_s=0.01, timeout_s=0.05)  # no Streamlit server in this process
    assert reads == []
