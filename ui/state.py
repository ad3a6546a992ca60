"""The data this session is looking at: the store (or a session copy after an upload) and adoption records."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from svdash import views
from ui import cache

DB_OVERRIDE = "svdash_session_db"         # path of a session copy of the store (after a notices upload)
ADOPTION_OVERRIDE = "svdash_adoption"     # merged adoption records (after an adoption upload)


@dataclass
class Data:
    path: str | None
    warning: str
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    synthetic: bool = False
    session_copy: bool = False
    updating: bool = False  # the store is being written by a build: this run shows the previous build

    @property
    def ok(self) -> bool:
        return self.path is not None

    @property
    def values(self) -> pd.DataFrame:
        return self.tables.get("measure_values", views.EMPTY_MEASURE_VALUES)

    def table(self, name: str) -> pd.DataFrame | None:
        return self.tables.get(name)

    @property
    def info(self) -> dict:
        return views.build_facts(self.tables.get("build_info"))

    @property
    def summary(self) -> dict:
        """Counts of the per-notice tables (n_notices, n_council_notices, n_procurements, latest_date)."""
        s = self.tables.get("store_summary")
        return {} if s is None or s.empty else s.iloc[0].to_dict()

    def council_notices(self, gss_code: str) -> pd.DataFrame:
        """A council's notices, newest first, read from the store on demand."""
        if not self.path:
            return views.council_notices(None, gss_code)
        return self._on_demand(lambda: cache.council_notices(self.path, gss_code),
                               lambda: views.council_notices(None, gss_code))

    def status_counts(self) -> pd.DataFrame:
        """Council procurements by sv_status, counted in the store."""
        if not self.path:
            return views.status_counts(None)
        return self._on_demand(lambda: cache.status_counts(self.path), lambda: views.status_counts(None))

    def _on_demand(self, read, empty):
        """A read of the per-notice tables (not held in memory). The store swapped or rebuilt since this run
        began: rerun on the new build (never this build's tables beside the next one's rows). The store being
        written (DuckDB locks it): say so and show nothing for this part."""
        try:
            return read()
        except cache.StoreChanged:
            if not self.updating:
                st.rerun()
        except views.StoreReadError:
            pass
        st.info(UPDATING_NOTE)
        return empty()

    def counts(self) -> dict:
        """Every headline count with its unit and denominator, coverage by source (svdash.counts.read)."""
        if not self.path:
            return {}
        return self._on_demand(lambda: cache.store_counts(self.path), dict)

    def data_summary(self) -> pd.DataFrame:
        """Per measure × level: units with a (solid) value (svdash.views.data_summary)."""
        if not self.path:
            return views.data_summary(views.EMPTY_MEASURE_VALUES)
        return cache.data_summary(self.path)

    def view_values(self, flt) -> pd.DataFrame:
        """The measure_values rows the view `flt` reads (cached per store and view)."""
        if not self.path:
            return views.EMPTY_MEASURE_VALUES
        return cache.view_values(self.path, flt.measure, flt.level, flt.period_type, flt.period)

    def view_table(self, flt) -> pd.DataFrame:
        """The table the view `flt` shows (svdash.views.shown_table, via a per-view cache)."""
        if not self.path:
            return views.shown_table(flt, views.EMPTY_MEASURE_VALUES)
        return cache.view_table(self.path, flt)

    def table_view(self, flt) -> pd.DataFrame:
        """The table of a league table or download: every council the headline counts (county councils too,
        with their tier; svdash.views.table_units), cached per store and view."""
        if not self.path:
            return views.shown_table(flt, views.EMPTY_MEASURE_VALUES, units=views.table_units(flt.geography))
        return cache.all_councils_table(self.path, flt)

    def measure_periods(self) -> pd.DataFrame:
        if not self.path:
            return views.measure_periods(views.EMPTY_MEASURE_VALUES)
        return cache.measure_periods(self.path)

    @property
    def adoption_summary(self) -> pd.DataFrame | None:
        """Per council: its selected adoption record and first dated adoption (store's, read-only)."""
        return cache.store_adoption_summary(self.path) if self.path else None

    def adoption_timeline(self) -> pd.DataFrame:
        """Councils with an adoption record and when adoption is first evidenced."""
        if not self.path:
            return pd.DataFrame(columns=["gss_code", "placed"])
        return cache.adoption_timeline(self.path)


UPDATING_NOTE = ("The data store is being updated. You are seeing the previous build; the notice lists come back "
                 "when the update has finished (reload the page then).")


def begin_run() -> None:
    """Pin the build identity of the stores this run may read (dashboard.py, once per run, before any read)."""
    cache.pin(str(cache.configured_db()), st.session_state.get(DB_OVERRIDE) or "")


def _one_build(path: str) -> tuple[dict[str, pd.DataFrame], bool]:
    """The store's small tables, all of one build: the pinned one; when the file is another build by now, the
    new one (pinned for the rest of the run); when it cannot be read because a build is writing it, the last
    build read (True: updating)."""
    for _ in range(3):
        identity = cache.current_identity(path)
        try:
            return cache.tables(path, identity), cache.serving_fallback(path)
        except cache.StoreChanged:
            cache.repin(path, cache.store_identity(path))
        except views.StoreReadError:
            last = cache.LAST_GOOD.get(path)
            if not last or last == identity:
                raise
            cache.repin(path, last, fallback=True)
            return cache.tables(path, last), True
    raise views.StoreReadError(f"{path}: the store kept changing while it was read")


def data() -> Data:
    override = st.session_state.get(DB_OVERRIDE)
    if override:
        try:
            t = cache.tables(override)
            return Data(override, "", t, views.is_synthetic(t), session_copy=True)
        except Exception:
            st.session_state.pop(DB_OVERRIDE, None)
    path, warning = cache.usable_store(str(cache.configured_db()))
    if path is None:
        return Data(None, warning)
    t, updating = _one_build(path)
    return Data(path, warning, t, views.is_synthetic(t), updating=updating)


def adoption_records() -> pd.DataFrame:
    """The adoption records in use: an uploaded merge for this session, else the store's, else the embedded file."""
    merged = st.session_state.get(ADOPTION_OVERRIDE)
    if merged is not None:
        return merged
    stored = data().table("adoption_records")
    if stored is not None and len(stored):
        return stored
    return cache.embedded_adoption()


def banner(d: Data) -> None:
    """Warnings every page shows first: synthetic data, a fallback store, a session copy."""
    if d.synthetic:
        st.error("**SYNTHETIC DATA — not real notices.** This store was generated for benchmarking; "
                 "no number on this page describes a real council.", icon="⚠️")
    if d.warning:
        st.warning(d.warning)
    if d.updating:
        st.info(UPDATING_NOTE)
    if d.session_copy:
        st.info("You are viewing a session copy that includes notices you uploaded; other visitors see the "
                "published data. Reload the app without the upload to return to it.")
    if not d.ok:
        st.error("No data store is available, so measures cannot be shown. Run `python -m svdash build`.")
