"""Warm-up run once in the server process right after it starts (see ui/launcher.py).

A cold Streamlit server does its slow work on the first visitor's first script run: importing pandas, plotly,
DuckDB and svdash (≈0.5 s), reading the store's small tables (≈0.2 s at 1 M notices) and shaping the map
outline. The browser needs ≈0.7 s after the server answers to load Streamlit's JavaScript and open its
websocket, so doing that work in a background thread meanwhile takes it off the visitor's critical path.

Only the shared caches in ui/cache.py are filled (the same functions the pages call, with the same
arguments), so the first session hits them; nothing here writes to a session. `streamlit run dashboard.py`
works without it, just more slowly on the first visit.
"""
from __future__ import annotations

import logging
import time

from streamlit.logger import get_logger

_LOG = get_logger("svdash.warm")  # Streamlit's handler and level, so the line shows in the server log


def _import_app_modules() -> None:
    # What dashboard.py and the pages import on a first run, heaviest first.
    import pandas  # noqa: F401
    import plotly.express  # noqa: F401  (the Overview page's map)
    import plotly.graph_objects  # noqa: F401
    import plotly.io  # noqa: F401  (st.plotly_chart serialises with it)
    import streamlit.emojis  # noqa: F401  (set_page_config checks the page icon against it: ≈80 ms)

    from svdash import adoption, charts, export, filters, geo, views  # noqa: F401
    from ui import cache, page, sidebar, state, url_state, widgets  # noqa: F401


def _warm_map() -> None:
    """The default map's inputs (cached). The figure itself is left to the session: building it here too
    only competed for the CPU with the first session (measured: the cold start was ~0.2 s slower)."""
    from svdash.filters import Filters
    from ui import cache

    cache.map_units(Filters().geography)
    cache.lad_geojson()
    cache.lads()


def warm() -> dict[str, float]:
    """Fill the caches the first page view needs; returns seconds per step (for the server log)."""
    from ui import cache

    times: dict[str, float] = {}
    t = time.perf_counter()
    _import_app_modules()
    times["imports"] = time.perf_counter() - t

    t = time.perf_counter()
    cache.usable_store(str(cache.configured_db()))  # reads the small tables into the shared cache
    times["store"] = time.perf_counter() - t

    t = time.perf_counter()
    _warm_map()
    times["map"] = time.perf_counter() - t
    return times


def warm_when_ready(poll_s: float = 0.01, timeout_s: float = 60) -> None:
    """Wait until the Streamlit runtime has started (so the caches are the server's), then warm.

    Runs in a daemon thread; a failure is logged and otherwise ignored: the pages do the same work themselves.
    """
    from streamlit import runtime
    from streamlit.runtime.runtime import Runtime, RuntimeState

    deadline = time.monotonic() + timeout_s
    while not (runtime.exists() and Runtime.instance().state != RuntimeState.INITIAL):
        if time.monotonic() > deadline:
            _LOG.warning("svdash warm-up skipped: the Streamlit runtime did not start")
            return
        time.sleep(poll_s)
    # Cached functions called outside a script run log "missing ScriptRunContext" (harmless here).
    ctx_log = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    level = ctx_log.level
    ctx_log.setLevel(logging.ERROR)
    try:
        times = warm()
    except Exception as exc:  # the first page view will do (and report) the same work
        _LOG.warning("svdash warm-up failed (%s: %s)", exc.__class__.__name__, exc)
        return
    finally:
        ctx_log.setLevel(level)
    _LOG.info("svdash warm-up done: %s", ", ".join(f"{k} {v:.2f} s" for k, v in times.items()))
