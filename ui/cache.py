"""Cached loaders: the only place svdash data is cached for the UI (svdash itself is cache-free).

Store tables are cached as resources keyed by (path, build identity): they are read-only, so they are shared
between sessions instead of copied per call. The identity is the store file's inode, modification time and size
(`store_identity`, one stat): a build, an update or a snapshot swapped in (os.replace: a new inode) gives a new
one, read afresh. `dashboard.py` pins the identity once per script run (`pin`), and every cached read of that run
is keyed by the pinned one, so a run reads one build's data, never a mix; a read whose file turned out to be
another build raises `StoreChanged` (nothing cached) and the page reruns on the new build. Only the small tables are
read at start (measure_values, build_info, adoption, counts); a council's notices and the status counts come
from the store on demand, so a million-notice store starts as fast as a small one.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from streamlit.runtime.scriptrunner import get_script_run_ctx

import numpy as np
import pandas as pd
import streamlit as st

from svdash import adoption, geo, measures, views
from svdash.filters import Filters, select_councils
from svdash.paths import DEFAULT_DB


@st.cache_data(show_spinner=False)
def lads() -> pd.DataFrame:
    return geo.load_lads()


@st.cache_data(show_spinner=False)
def utlas() -> pd.DataFrame:
    return geo.load_utlas()


@st.cache_data(show_spinner=False)
def councils() -> pd.DataFrame:
    return geo.load_councils()


@st.cache_data(show_spinner=False)
def map_units(geography: str) -> pd.DataFrame:
    return views.map_units(geography)


@st.cache_resource(show_spinner=False)
def hex_geojson() -> dict:
    return lean_geojson(geo.hex_geojson())


def _lean_coords(coords, digits: int):
    """Coordinates to `digits` decimals, each ring (a list of [x, y]) as one float array. plotly deep-copies a
    trace's geojson when the figure is built and again when Streamlit serialises it; an array is copied and
    written to JSON in one step instead of point by point (England map: build + to_dict + JSON ≈ 60 → 20 ms;
    the JSON text is identical)."""
    if coords and isinstance(coords[0], (int, float)):  # a single position
        return [round(c, digits) for c in coords]
    if coords and isinstance(coords[0], list) and coords[0] and isinstance(coords[0][0], (int, float)):  # a ring
        return np.asarray([[round(c, digits) for c in position] for position in coords], dtype=float)
    return [_lean_coords(c, digits) for c in coords]


def lean_geojson(gj: dict, digits: int = 4) -> dict:
    """The map outline only: feature ids and geometry with coordinates to `digits` decimals (~10 m), no
    properties (hover text comes from the measure table). The figure is sent to the browser on every
    rerun, so a smaller one redraws sooner after a filter change. Rings are numpy arrays (`_lean_coords`).
    A feature is only its id and geometry: plotly.js reads nothing else of a feature in a FeatureCollection
    (it makes its own Feature objects), and `"type": "Feature", "properties": {}` cost 9 kB on the LAD map."""
    return {"type": "FeatureCollection", "features": [
        {"id": f["id"],
         "geometry": {"type": f["geometry"]["type"],
                      "coordinates": _lean_coords(f["geometry"]["coordinates"], digits)}}
        for f in gj["features"]]}


# Outlines come simplified for the size they are drawn (`svdash.outlines.DETAILS`): "england" for a map of all
# of England; a map zoomed to a region draws the embedded outlines (None). One cached entry per (layer, detail),
# however the detail is passed (Streamlit keys `f()` and `f("england")` apart).
@st.cache_resource(show_spinner=False)
def _outline(layer: str, detail: str | None) -> dict:
    return lean_geojson(getattr(geo, f"{layer}_geojson")(detail=detail))


def lad_geojson(detail: str | None = "england") -> dict:
    return _outline("lad", detail)


def utla_geojson(detail: str | None = "england") -> dict:
    return _outline("utla", detail)


def region_geojson(detail: str | None = "england") -> dict:
    return _outline("region", detail)


def detail_for(region: str) -> str | None:
    """The outline detail of a map of all England ("" or "All of England"), None (as embedded) for one region."""
    return "england" if region in ("", "All of England") else None


def configured_db() -> Path:
    """The store path: SVDASH_DB when set (read at call time so tests can point at a fixture), else the default."""
    return Path(os.environ.get("SVDASH_DB") or DEFAULT_DB)


def _ensure(path: Path) -> None:
    try:
        from svdash import pipeline  # delivered by the classify issue; absent early in the project
    except ImportError:
        return
    pipeline.ensure_store(path)


@st.cache_resource(show_spinner="Preparing the data store…")
def usable_store(path_str: str) -> tuple[str | None, str]:
    """(path of a readable store, warning text). Builds the default store when missing; when the store is
    missing or corrupt, rebuilds the embedded snapshot into a temporary file and says so."""
    path = Path(path_str)
    problem = ""
    try:
        _ensure(path)
        now = store_identity(str(path))
        if get_script_run_ctx(suppress_warning=True) is not None and current_identity(str(path)) != now:
            repin(str(path), now)  # built just now (or rebuilt): this run reads that build
        tables(str(path))  # opens and reads the small tables once (cached for the pages)
        return str(path), ""
    except StoreChanged:  # swapped by an update since the pin: readable, and the pages read the new build
        return str(path), ""
    except Exception as exc:  # any failure here must leave the app usable, with the reason shown
        problem = f"The data store {path.name} could not be used ({exc.__class__.__name__}: {str(exc)[:200]})."
    try:
        tmp = Path(tempfile.mkdtemp(prefix="svdash-")) / "svdash.duckdb"
        _ensure(tmp)
        tables(str(tmp))
        return str(tmp), problem + " Rebuilt from the embedded snapshot into a temporary store for this session."
    except Exception as exc:
        return None, problem + f" Rebuilding from the embedded snapshot also failed ({exc.__class__.__name__})."


class StoreChanged(RuntimeError):
    """The store file is another build than the identity a read was asked for (swapped or rebuilt meanwhile)."""


def store_identity(path_str: str) -> str:
    """The build identity of a store file: inode, modification time and size (one stat; "" when there is no file)."""
    try:
        st_ = os.stat(path_str)
    except OSError:
        return ""
    return f"{st_.st_ino}-{st_.st_mtime_ns}-{st_.st_size}"


PIN_KEY = "svdash_store_identity"  # session_state: {path: identity} pinned for the current script run
FALLBACK_KEY = "svdash_store_fallback"  # session_state: paths this run serves from the last build read
LAST_GOOD: dict[str, str] = {}     # path → the latest identity whose tables were read (served while a build writes)


def pin(*paths: str) -> dict[str, str]:
    """Pin each store's identity for this script run (called once per run by dashboard.py)."""
    pinned = {p: store_identity(p) for p in paths if p}
    st.session_state[PIN_KEY] = pinned
    st.session_state[FALLBACK_KEY] = set()
    return pinned


def repin(path_str: str, identity: str, fallback: bool = False) -> None:
    """Pin another identity of one store for the rest of this run: the new build, or (`fallback`) the last build
    read while the file cannot be read (a build is writing it)."""
    st.session_state[PIN_KEY] = {**st.session_state.get(PIN_KEY, {}), path_str: identity}
    if fallback:
        st.session_state[FALLBACK_KEY] = {*st.session_state.get(FALLBACK_KEY, set()), path_str}


def serving_fallback(path_str: str) -> bool:
    """This run serves the last build read, not the file as it is now (`repin(…, fallback=True)`)."""
    return path_str in st.session_state.get(FALLBACK_KEY, set())


def current_identity(path_str: str) -> str:
    """The identity pinned for this run, else (outside a run, e.g. the warm-up thread, or nothing pinned) the
    file's identity now."""
    if get_script_run_ctx(suppress_warning=True) is not None:  # the warm-up thread has no run
        pinned = st.session_state.get(PIN_KEY, {}).get(path_str)
        if pinned is not None:
            return pinned
    return store_identity(path_str)


def _confirmed(path_str: str, identity: str, value):
    """`value`, read from the store, when the file is still the build `identity` names; else StoreChanged (a read
    that opened another build must not be cached under this identity)."""
    if store_identity(path_str) != identity:
        raise StoreChanged(path_str)
    return value


@st.cache_resource(show_spinner=False, max_entries=8)
def _tables(path_str: str, identity: str) -> dict[str, pd.DataFrame]:
    return _confirmed(path_str, identity, views.read_store(path_str, facts=False))


def tables(path_str: str, identity: str | None = None) -> dict[str, pd.DataFrame]:
    """The small dashboard tables of a store (shared, read-only: never modify the frames in place)."""
    identity = identity or current_identity(path_str)
    out = _tables(path_str, identity)
    LAST_GOOD[path_str] = identity
    return out


@st.cache_resource(show_spinner=False, max_entries=8)
def _data_summary(path_str: str, identity: str) -> pd.DataFrame:
    return views.data_summary(_tables(path_str, identity)["measure_values"])


def data_summary(path_str: str) -> pd.DataFrame:
    """Per measure × level: how many units have a (solid) value: what the pages' defaults and fallbacks read."""
    return _data_summary(path_str, current_identity(path_str))


@st.cache_resource(show_spinner=False, max_entries=128)
def _view_values(path_str: str, identity: str, measure: str, level: str, period_type: str, period: str) -> pd.DataFrame:
    return views.view_values(_tables(path_str, identity)["measure_values"], measure, level, period_type, period)


def view_values(path_str: str, measure: str, level: str, period_type: str, period: str) -> pd.DataFrame:
    """The few measure_values rows one view reads (svdash.views.view_values), cached per store and view: a
    filter change (region, group, type) then filters a few hundred rows, not the whole table."""
    return _view_values(path_str, current_identity(path_str), measure, level, period_type, period)


@st.cache_resource(show_spinner=False, max_entries=192)
def _view_table(path_str: str, identity: str, measure: str, geography: str, period_type: str, period: str,
                every_council: bool = False) -> pd.DataFrame:
    flt = Filters(measure=measure, geography=geography, period_type=period_type, period=period)
    values = _view_values(path_str, identity, measure, flt.level, period_type, period)
    units = views.table_units(geography) if every_council else map_units(geography)
    return views.shown_table(flt, values, _adoption_summary_of(path_str, identity), units)


def view_table(path_str: str, flt: Filters) -> pd.DataFrame:
    """The table a view shows (svdash.views.shown_table): built once per store and view without the region,
    type and group filters (cached), then narrowed to them (views.restrict), so a filter change costs a
    selection and a re-rank of a few hundred rows. Returns a new frame the caller may change."""
    base = _view_table(path_str, current_identity(path_str), flt.measure, flt.geography, flt.period_type, flt.period)
    return views.restrict(base, flt)


@st.cache_resource(show_spinner=False, max_entries=16)
def _county_table(path_str: str, identity: str, measure: str) -> pd.DataFrame:
    values = _view_values(path_str, identity, measure, "council", "all", "all")  # a county's own row: council level
    return views.county_table(measure, values, _adoption_summary_of(path_str, identity), councils())


def county_rows(path_str: str, flt: Filters) -> pd.DataFrame:
    """The county councils (upper tier of two-tier areas) passing the filters, with their own category and what
    it rests on (all periods; cached per store and measure): the lower-tier and hex maps draw or list them."""
    return select_councils(flt, _county_table(path_str, current_identity(path_str), flt.measure)).reset_index(drop=True)


@st.cache_resource(show_spinner=False, max_entries=8)
def _measure_periods(path_str: str, identity: str) -> pd.DataFrame:
    return views.measure_periods(_tables(path_str, identity)["measure_values"])


def measure_periods(path_str: str) -> pd.DataFrame:
    """The periods each measure has values for (measure_id, period_type, period)."""
    return _measure_periods(path_str, current_identity(path_str))


@st.cache_resource(show_spinner=False, max_entries=8)
def _adoption_summary_of(path_str: str, identity: str) -> pd.DataFrame:
    return views.adoption_summary_of(_tables(path_str, identity))


def store_adoption_summary(path_str: str) -> pd.DataFrame:
    """The store's per-council adoption summary (shared, read-only)."""
    return _adoption_summary_of(path_str, current_identity(path_str))


@st.cache_resource(show_spinner=False, max_entries=8)
def _timeline(path_str: str, identity: str) -> pd.DataFrame:
    return measures.adoption_timeline(_adoption_summary_of(path_str, identity), councils())


def adoption_timeline(path_str: str) -> pd.DataFrame:
    """Councils with an adoption record and when adoption is first evidenced (svdash.measures.adoption_timeline)."""
    return _timeline(path_str, current_identity(path_str))


@st.cache_resource(show_spinner=False, max_entries=64)
def _council_notices(path_str: str, identity: str, gss_code: str) -> pd.DataFrame:
    return views.council_notices(_confirmed(path_str, identity, views.read_council_notices(path_str, gss_code)),
                                 gss_code)


def council_notices(path_str: str, gss_code: str) -> pd.DataFrame:
    """One council's notices, newest first (read from the store on demand; shared, read-only)."""
    return _council_notices(path_str, current_identity(path_str), gss_code)


@st.cache_resource(show_spinner=False, max_entries=8)
def _status_counts(path_str: str, identity: str) -> pd.DataFrame:
    return _confirmed(path_str, identity, views.read_status_counts(path_str))


def status_counts(path_str: str) -> pd.DataFrame:
    """Council procurements by status (counted in the store; shared, read-only)."""
    return _status_counts(path_str, current_identity(path_str))


@st.cache_data(show_spinner=False)
def embedded_adoption() -> pd.DataFrame:
    return adoption.load_embedded()


@st.cache_data(show_spinner=False)
def adoption_summary(records: pd.DataFrame) -> pd.DataFrame:
    return adoption.adoption_summary(records)


@st.cache_resource(show_spinner=False, max_entries=8)
def _store_counts(path_str: str, identity: str) -> dict:
    from svdash import counts

    return _confirmed(path_str, identity, counts.read(path_str))


def store_counts(path_str: str) -> dict:
    """The store's headline counts, coverage by source, councils applying and adoption record counts
    (svdash.counts.read; shared, read-only)."""
    return _store_counts(path_str, current_identity(path_str))


def all_councils_table(path_str: str, flt: Filters) -> pd.DataFrame:
    """`view_table` over the units of a table or download (views.table_units): per council every council the
    headline counts, county councils included with their tier; pooled views as `view_table`."""
    base = _view_table(path_str, current_identity(path_str), flt.measure, flt.geography, flt.period_type,
                       flt.period, every_council=True)
    return views.restrict(base, flt)
