"""Pure functions DataFrame → plotly Figure. No I/O, no Streamlit.

Maps use plotly's SVG `geo` with the embedded GeoJSON (clockwise rings, see svdash.geo) and never map
tiles, so they draw with no network. The UI must pass PLOTLY_CONFIG, whose stub topojson stops plotly.js
fetching its world basemap from a CDN.
"""
from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

# A trace with geojson implies locationmode='geojson-id', which makes plotly.js fetch world_110m.json
# even with the base layers hidden; an empty topology served inline satisfies it offline.
STUB_TOPOJSON = 'data:application/json,{"type":"Topology","objects":{},"arcs":[]}#'
PLOTLY_CONFIG: dict[str, Any] = {"topojsonURL": STUB_TOPOJSON, "displaylogo": False,
                                 "toImageButtonOptions": {"format": "png", "scale": 2}}

# Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
GROUP_COLOURS = {"metropolitan": "#0072B2", "other urban": "#E69F00", "rural": "#009E73"}
NO_DATA_GREY = "#d9d9d9"


def _geo_layout(fig: go.Figure, height: int) -> go.Figure:
    fig.update_geos(fitbounds="locations", visible=False, projection_type="mercator")
    fig.update_layout(height=height, margin={"l": 0, "r": 0, "t": 30, "b": 0},
                      legend={"title": None, "orientation": "h", "y": -0.02})
    return fig


def group_map(councils: pd.DataFrame, geojson: dict[str, Any], *, code_col: str = "lad_code",
              title: str = "", height: int = 620) -> go.Figure:
    """Councils coloured by comparison group (metropolitan / other urban / rural), hover: name, code, type."""
    df = councils.assign(group_label=councils["comparison_group"].str.capitalize())
    fig = px.choropleth(
        df, geojson=geojson, locations=code_col, featureidkey="id", color="group_label",
        color_discrete_map={k.capitalize(): v for k, v in GROUP_COLOURS.items()},
        category_orders={"group_label": [k.capitalize() for k in GROUP_COLOURS]},
        custom_data=["lad_name", code_col, "council_type", "region_name", "ruc21_name"],
        title=title,
    )
    fig.update_traces(
        marker_line_width=0.3, marker_line_color="white",
        hovertemplate="<b>%{customdata[0]}</b> (%{customdata[1]})<br>%{customdata[2]}, %{customdata[3]}"
                      "<br>%{customdata[4]}<extra></extra>",
    )
    return _geo_layout(fig, height)
