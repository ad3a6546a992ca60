"""Sidebar shown on every page: what the data is, how fresh, and the attribution the licences require."""
from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from svdash.export import ADOPTION_LICENCE, NOTICES_LICENCE
from svdash.geo import ATTRIBUTION
from ui import state


def _latest_date(d: state.Data) -> str:
    for key in ("latest_date", "latest_notice_date", "max_date"):
        v = d.info.get(key)
        if v is not None and not (isinstance(v, float) and pd.isna(v)) and str(v) not in ("", "NaT"):
            return str(v)[:10]
    latest = d.summary.get("latest_date")
    return str(latest) if latest else "unknown"


STALE_DAYS = 14  # the newest notice older than this (in days before today): the sidebar says how to update


def today() -> date:
    """Today's date (a function so tests can fix it)."""
    return date.today()


def _built_date(d: state.Data) -> str:
    built = d.info.get("built_at")
    return "" if built is None or str(built) in ("", "NaT", "nan") else str(built)[:10]


def data_as_of(d: state.Data) -> str:
    """"Data as of <latest notice date> · built <date>"."""
    built = _built_date(d)
    return f"Data as of **{_latest_date(d)}**" + (f" · built {built}" if built else "")


def stale_warning(latest: str, on: date) -> str | None:
    """The warning shown when the newest notice is more than STALE_DAYS before `on`, else None (also when the
    date is unknown: nothing to say)."""
    try:
        newest = date.fromisoformat(latest)
    except ValueError:
        return None
    days = (on - newest).days
    if days <= STALE_DAYS:
        return None
    return (f"The newest notice here is from {newest:%-d %B %Y}, {days:,} days before today, so recent "
            "procurements are not shown yet. To bring the data up to date, run `svdash update` (fetches the new "
            "notices and rebuilds), or `svdash snapshot import URL` to load a newer snapshot someone publishes.")


def freshness(d: state.Data) -> list[str]:
    """Plain lines: latest notice date and build date, counts, versions (from build_info, else counted)."""
    if not d.ok:
        return ["No data store loaded."]
    lines = [data_as_of(d)]
    counts = d.summary  # counted in the store: the per-notice tables are not loaded into the app
    if counts:
        lines.append(f"Notices: **{int(counts['n_notices']):,}** ({int(counts['n_council_notices']):,} from "
                     "English councils)")
        lines.append(f"Procurements: **{int(counts['n_procurements']):,}**")
    if d.info.get("rules_version"):
        lines.append(f"Rules {d.info['rules_version']}, measures {d.info.get('measures_version', '?')}")
    return lines


def render() -> None:
    d = state.data()
    with st.sidebar:
        if d.synthetic:
            st.error("SYNTHETIC DATA — not real notices")
        st.caption("**svdash** shows whether English councils apply the Public Services (Social Value) "
                   "Act 2012 in their procurement, from the notices they publish.")
        st.markdown("**Data freshness**  \n" + "  \n".join(freshness(d)))
        warning = stale_warning(_latest_date(d), today()) if d.ok else None
        if warning:
            st.warning(warning, icon=":material/update:")
        st.caption("Sources: " + " ".join([NOTICES_LICENCE, ADOPTION_LICENCE, *ATTRIBUTION]))
