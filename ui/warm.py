"""Warm-up run once in the server process right after it starts (see ui/launcher.py).

A cold Streamlit server does its slow work on the first visitor's first script run: importing pandas, plotly,
DuckDB and svdash (≈0.5 s), reading the store's small tables (≈0.2 s at 1 M notices) and shaping the map
outline. The browser needs ≈0.7 s after the server answers to load Streamlit's JavaScript and open its
websocket, so doing that work in a background thread meanwhile takes it off the visitor's critical path.

When it runs matters: Python threads share one lock, so warming while the server sends the browser
Streamlit's ≈60 JavaScript files slows that download (measured: 0.7 → 1.1 s). The launcher therefore counts
requests to the static route (`watch_static_route`), and the warm-up starts once the browser has fetched the
page and its scripts and the route has been quiet for a moment: the browser then spends ≈0.7 s evaluating
them (plotly.js included, see ui/preload.py) before it opens the websocket, and the warm-up fits in that gap.
With no visitor within `no_visit_s` it starts anyway, so a later first visit still finds the caches full.

Only the shared caches in ui/cache.py are filled (the same functions the pages call, with the same
arguments), so the first session hits them; nothing here writes to a session. `streamlit run dashboard.py`
works without it, just more slowly on the first visit.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Any

from streamlit.logger import get_logger

_LOG = get_logger("svdash.warm")  # Streamlit's handler and level, so the line shows in the server log


def _import_app_modules() -> None:
    # What dashboard.py and the pages import on a first run, heaviest first.
    import pandas  # noqa: F401
    import plotly.express  # noqa: F401  (the Overview page's map)
    import plotly.graph_objects  # noqa: F401
    import plotly.io  # noqa: F401  (st.plotly_chart serialises with it)
    import streamlit.emojis  # noqa: F401  (set_page_config checks the page icon against it: ≈80 ms)
    # What the first map imports lazily: its trace and layout classes, and orjson + plotly's JSON writer
    # (st.plotly_chart serialises with them).
    import orjson  # noqa: F401
    import plotly.graph_objs.choropleth  # noqa: F401
    import plotly.graph_objs.scattergeo  # noqa: F401  (county outlines on the lower-tier map)
    import plotly.graph_objs.layout.geo  # noqa: F401
    import plotly.graph_objs.layout.legend  # noqa: F401
    import plotly.io._json  # noqa: F401

    from svdash import adoption, charts, export, filters, geo, views  # noqa: F401
    from svdash import measures, stats  # noqa: F401
    from ui import cache, maps, page, sidebar, state, url_state, widgets  # noqa: F401


def _warm_map(db: str | None) -> None:
    """The default map's inputs (cached: outlines, units, what the store has data for, the adoption summary),
    then a three-council version of its figure built and serialised once and thrown away. plotly sets up each
    property's validator on first use: ≈0.2 s of the first map otherwise. Three councils cost what the setup
    costs and little more; the full figure (≈0.3 s) would overrun into the first script run."""
    import plotly.io as pio

    from svdash import views
    from svdash.charts import category_map, measure_map, outline_traces
    from svdash.filters import Filters, measure_def
    from ui import cache

    flt = Filters()
    cache.map_units(flt.geography)
    outline = cache.lad_geojson()
    cache.lads()
    cache.councils()
    if db is None:
        return
    summary = cache.data_summary(db)  # the page's default measure and fallbacks read it
    cache.measure_periods(db)
    cache.store_adoption_summary(db)
    measure, geography = views.choose_default(summary, flt.geography)
    flt = Filters(measure=measure, geography=geography)
    mdef = measure_def(flt.measure)
    # the first view's table and its county councils (cached per view); measure_map and category_map give each
    # trace only its own councils' outlines, so three councils copy three
    table = cache.view_table(db, flt).head(3)
    cache.county_rows(db, flt)
    if views.measure_kind(mdef, flt.level) == "category":
        counties = cache.utla_geojson()  # the county outlines on the lower-tier map
        lines = outline_traces(counties, {mdef["categories"][0]["id"]: [counties["features"][0]["id"]]},
                               mdef["categories"])
        fig = category_map(table, outline, categories=mdef["categories"], title=mdef["title"], outlines=lines)
    else:
        fig = measure_map(table, outline, unit=mdef.get("unit", "share"), title=mdef["title"],
                          colour_title=mdef["title"])
    pio.to_json(fig, validate=False)


def warm() -> dict[str, float]:
    """Fill the caches the first page view needs; returns seconds per step (for the server log)."""
    from ui import cache

    times: dict[str, float] = {}
    t = time.perf_counter()
    _import_app_modules()
    times["imports"] = time.perf_counter() - t

    t = time.perf_counter()
    db, _ = cache.usable_store(str(cache.configured_db()))  # reads the small tables into the shared cache
    times["store"] = time.perf_counter() - t

    t = time.perf_counter()
    _warm_map(db)
    times["map"] = time.perf_counter() - t
    return times


class StaticActivity:
    """Requests to Streamlit's static route: how many were seen, how many are being served, when the last ended."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.seen = 0
        self.in_flight = 0
        self.last_end = 0.0

    def begin(self) -> None:
        with self._lock:
            self.seen += 1
            self.in_flight += 1

    def end(self) -> None:
        with self._lock:
            self.in_flight -= 1
            self.last_end = time.monotonic()

    def page_loaded(self, quiet_s: float) -> bool:
        """The page and its scripts were served (more than one request) and nothing else for `quiet_s`."""
        with self._lock:
            return self.seen > 1 and self.in_flight == 0 and time.monotonic() - self.last_end >= quiet_s


ACTIVITY = StaticActivity()


class _Watched:
    """ASGI wrapper of the static route that reports to ACTIVITY; the response itself is untouched."""

    def __init__(self, app: Any, activity: StaticActivity) -> None:
        self.app, self.activity = app, activity

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        self.activity.begin()
        try:
            await self.app(scope, receive, send)
        finally:
            self.activity.end()


def watch_static_route(activity: StaticActivity = ACTIVITY) -> bool:
    """Wrap Streamlit's static route so its requests are counted; call before the server starts.
    False (nothing changed: the warm-up then waits for `no_visit_s`) when Streamlit's layout is not the known one."""
    try:
        from streamlit.web.server.starlette import starlette_static_routes as routes
    except ImportError:
        return False
    create = getattr(routes, "create_streamlit_static_handler", None)
    if create is None:
        return False

    def watched(*args: Any, **kwargs: Any) -> Any:
        return _Watched(create(*args, **kwargs), activity)

    routes.create_streamlit_static_handler = watched
    return True


def wait_for_page(activity: StaticActivity, *, quiet_s: float = 0.1, no_visit_s: float = 1.5,
                  max_wait_s: float = 5.0, poll_s: float = 0.01) -> float:
    """Seconds waited until the first visitor's browser has Streamlit's scripts (`page_loaded`), or no visitor
    came within `no_visit_s`, or `max_wait_s` passed (a stalled page must not hold the warm-up back)."""
    start = time.monotonic()
    while not activity.page_loaded(quiet_s):
        waited = time.monotonic() - start
        if (activity.seen == 0 and waited > no_visit_s) or waited > max_wait_s:
            break
        time.sleep(poll_s)
    return time.monotonic() - start


def warm_when_ready(poll_s: float = 0.01, timeout_s: float = 60, activity: StaticActivity = ACTIVITY) -> None:
    """Wait until the Streamlit runtime has started (so the caches are the server's) and the first visitor's
    browser has its scripts (`wait_for_page`), then warm.

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
    waited = wait_for_page(activity, poll_s=poll_s)
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
    _LOG.info("svdash warm-up done: %s (after %.2f s waiting for the page, %d static requests)",
              ", ".join(f"{k} {v:.2f} s" for k, v in times.items()), waited, activity.seen)
