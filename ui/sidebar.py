"""Sidebar shown on every page: what the data is, how fresh, and the attribution the licences require."""
from __future__ import annotations

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


def freshness(d: state.Data) -> list[str]:
    """Plain lines: latest notice date, counts, when built (from build_info, else counted)."""
    if not d.ok:
        return ["No data store loaded."]
    lines = [f"Latest notice: **{_latest_date(d)}**"]
    counts = d.summary  # counted in the store: the per-notice tables are not loaded into the app
    if counts:
        lines.append(f"Notices: **{int(counts['n_notices']):,}** ({int(counts['n_council_notices']):,} from "
                     "English councils)")
        lines.append(f"Procurements: **{int(counts['n_procurements']):,}**")
    built = d.info.get("built_at")
    if built is not None and str(built) not in ("", "NaT"):
        lines.append(f"Built: {str(built)[:16]}")
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
        st.caption("Sources: " + " ".join([NOTICES_LICENCE, ADOPTION_LICENCE, *ATTRIBUTION]))
