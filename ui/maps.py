"""The category map both the Overview and the Map page draw: councils by evidence of adoption, with the county
councils (upper tier in two-tier areas) as outlines on the lower-tier map, since their evidence is their own."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from svdash.charts import category_map, outline_traces
from svdash.filters import Filters
from ui import cache, state


def county_rows(d: state.Data, flt: Filters) -> pd.DataFrame:
    """The county councils that pass the filters, with their own category and what it rests on: they are
    not lower-tier map units, so the lower-tier and hex maps draw or list them separately."""
    if not d.path:
        return pd.DataFrame(columns=["gss_code", "name", "category"])
    return cache.county_rows(d.path, flt)


def category_figure(d: state.Data, flt: Filters, table: pd.DataFrame, mdef: dict, title: str,
                    drawn: pd.DataFrame | None = None, height: int = 640) -> tuple[go.Figure, pd.DataFrame | None]:
    """(figure, county rows or None): `drawn` (default `table`) coloured by category on the geography's outline;
    on the lower-tier map the county councils with evidence are thick outlines in their category's colour."""
    cats = mdef["categories"]
    counties = county_rows(d, flt) if flt.geography in ("lower", "hex") else None
    outlines = []
    detail = cache.detail_for(flt.region)
    if flt.geography == "lower" and counties is not None:
        found = counties[counties["category"].ne(cats[-1]["id"])]
        outlines = outline_traces(cache.utla_geojson(detail),
                                  found.groupby("category")["gss_code"].apply(list).to_dict(), cats)
    gj = cache.hex_geojson() if flt.geography == "hex" else (
        cache.utla_geojson(detail) if flt.geography == "upper" else cache.lad_geojson(detail))
    fig = category_map(table if drawn is None else drawn, gj, categories=cats, title=title, outlines=outlines,
                       height=height)
    return fig, counties
