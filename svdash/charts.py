"""Pure functions DataFrame → plotly Figure. No I/O, no Streamlit.

Maps use plotly's SVG `geo` with the embedded GeoJSON (clockwise rings, see svdash.geo) and never map
tiles, so they draw with no network. The UI must pass PLOTLY_CONFIG, whose stub topojson stops plotly.js
fetching its world basemap from a CDN.
"""
from __future__ import annotations

import textwrap
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


TITLE_CHARS = 70  # plotly never wraps a title: longer lines were cut off on a narrow screen or column
TITLE_LINE_PX = 22


def wrap_title(text: str, width: int = TITLE_CHARS) -> tuple[str, int]:
    """(title with <br> between lines of at most `width` characters, words kept whole; number of lines)."""
    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]
    return "<br>".join(lines), len(lines)


def _titled(fig: go.Figure, title: str, top: int) -> go.Figure:
    """Set the wrapped title and a top margin of `top` px plus room for each extra line."""
    text, n = wrap_title(title)
    fig.update_layout(title={"text": text}, margin={"t": top + TITLE_LINE_PX * (n - 1)})
    return fig


def _trim_geojson(fig: go.Figure) -> go.Figure:
    """Give each choropleth trace only the features it draws.

    px.choropleth with a discrete colour makes one trace per category, each carrying the whole GeoJSON, and
    the low-n/measured split does the same: the full outline then travels to the browser two or three times
    (1.3 MB instead of 0.46 MB for the LAD map), which costs Python serialisation and browser parse time.
    """
    for trace in fig.data:
        if trace.type != "choropleth" or trace.geojson is None or trace.locations is None:
            continue
        subset = _features_of(trace.geojson, trace.locations)
        if len(subset["features"]) < len(trace.geojson["features"]):  # plotly deep-copies on every assignment
            trace.geojson = subset
    return fig


def _features_of(geojson: dict[str, Any], codes) -> dict[str, Any]:
    """The FeatureCollection of the features whose id is in `codes` (the dicts are shared, not copied)."""
    wanted = {str(code) for code in codes}
    return {"type": "FeatureCollection", "features": [f for f in geojson["features"] if str(f.get("id")) in wanted]}


def _geo_layout(fig: go.Figure, height: int, title: str) -> go.Figure:
    _trim_geojson(fig)
    fig.update_geos(fitbounds="locations", visible=False, projection_type="mercator")
    fig.update_layout(height=height, margin={"l": 0, "r": 0, "b": 0},
                      legend={"title": None, "orientation": "h", "y": -0.02})
    return _titled(fig, title, 30)


def group_map(councils: pd.DataFrame, geojson: dict[str, Any], *, code_col: str = "lad_code",
              title: str = "", height: int = 620) -> go.Figure:
    """Councils coloured by comparison group (metropolitan / other urban / rural), hover: name, code, type."""
    df = councils.assign(group_label=councils["comparison_group"].str.capitalize())
    fig = px.choropleth(
        df, geojson=geojson, locations=code_col, featureidkey="id", color="group_label",
        color_discrete_map={k.capitalize(): v for k, v in GROUP_COLOURS.items()},
        category_orders={"group_label": [k.capitalize() for k in GROUP_COLOURS]},
        custom_data=["lad_name", code_col, "council_type", "region_name", "ruc21_name"],
    )
    fig.update_traces(
        marker_line_width=0.3, marker_line_color="white",
        hovertemplate="<b>%{customdata[0]}</b> (%{customdata[1]})<br>%{customdata[2]}, %{customdata[3]}"
                      "<br>%{customdata[4]}<extra></extra>",
    )
    return _geo_layout(fig, height, title)


# ------------------------------------------------------------------------------------------ measure charts

MILESTONES = [  # (date, short label) shown on every trend
    ("2013-01-31", "Social Value Act in force"),
    ("2021-01-01", "PPN 06/20"),
    ("2025-02-24", "Procurement Act 2023"),
]
SEQUENTIAL = "Viridis"  # perceptually uniform, colour-blind safe
LOW_N_GREY = "#bdbdbd"
LOW_N_LABEL = "Too few procurements (low n) or no data"
LINE_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000", "#999999"]


def _label(name: object) -> str:
    """First letter up, the rest as written ('other urban' → 'Other urban', 'All West Midlands' unchanged)."""
    s = str(name)
    return s[:1].upper() + s[1:]


def period_start(period: pd.Series) -> pd.Series:
    """'2024Q3' → 2024-07-01, '2024' → 2024-01-01 (timestamps for a time axis)."""
    p = period.astype(str)
    year = p.str[:4].astype(int)
    q = p.str.extract(r"Q([1-4])$")[0].fillna("1").astype(int)
    return pd.to_datetime(dict(year=year, month=(q - 1) * 3 + 1, day=1))


def _fmt_value(v: float, unit: str) -> str:
    if pd.isna(v):
        return "no value"
    return f"{v:.1f} %" if unit in ("share", "pct") else f"{v:.2f}"


def _hover_frame(table: pd.DataFrame, k: float, unit: str) -> pd.DataFrame:
    """Hover text columns: value with unit, n, interval (strings so missing values read plainly)."""
    val = (table["value"] * k).map(lambda v: _fmt_value(v, unit))
    lo = (table["ci_low"] * k).map(lambda v: "" if pd.isna(v) else f"{v:.1f}")
    hi = (table["ci_high"] * k).map(lambda v: "" if pd.isna(v) else f"{v:.1f}")
    interval = [f"95% interval {a}–{b}" if a else "no interval" for a, b in zip(lo, hi)]
    n = [f"{int(d) if pd.notna(d) else 0} of {int(a) if pd.notna(a) else 0} procurements in the denominator"
         for d, a in zip(table["denominator"], table["n_notices_all"])]
    return pd.DataFrame({"name": table["name"], "code": table["gss_code"], "val": val, "n": n,
                         "interval": interval}, index=table.index)


def measure_map(table: pd.DataFrame, geojson: dict[str, Any], *, unit: str, title: str, colour_title: str,
                height: int = 640) -> go.Figure:
    """Choropleth of a measure (table from svdash.views.measure_table); low-n / no-data councils in grey
    as their own legend entry, so a shaky share is never coloured like a solid one."""
    k = 100.0 if unit == "share" else 1.0
    hover = _hover_frame(table, k, unit)
    solid = table[~table["low_n"] & table["value"].notna()]
    weak = table[table["low_n"] | table["value"].isna()]
    fig = go.Figure()
    tmpl = ("<b>%{customdata[0]}</b> (%{customdata[1]})<br>%{customdata[2]}<br>%{customdata[3]}"
            "<br>%{customdata[4]}<extra></extra>")
    if len(weak):
        # each trace gets only its own outlines up front: plotly deep-copies the geojson it is given
        fig.add_trace(go.Choropleth(
            geojson=_features_of(geojson, weak["gss_code"]), locations=weak["gss_code"], z=[0] * len(weak), featureidkey="id",
            colorscale=[[0, LOW_N_GREY], [1, LOW_N_GREY]], showscale=False, name=LOW_N_LABEL, showlegend=True,
            customdata=hover.loc[weak.index].to_numpy(), hovertemplate=tmpl,
            marker={"line": {"width": 0.3, "color": "white"}}))
    if len(solid):
        zmax = 100.0 if unit == "share" else float((solid["value"] * k).max())
        fig.add_trace(go.Choropleth(
            geojson=_features_of(geojson, solid["gss_code"]), locations=solid["gss_code"], z=solid["value"] * k, featureidkey="id",
            colorscale=SEQUENTIAL, zmin=0, zmax=zmax if zmax > 0 else 1, name="Measured",
            colorbar={"title": {"text": colour_title}, "len": 0.6},
            customdata=hover.loc[solid.index].to_numpy(), hovertemplate=tmpl,
            marker={"line": {"width": 0.3, "color": "white"}}))
    return _geo_layout(fig, height, title)


def hex_map(table: pd.DataFrame, hex_outline: dict[str, Any], *, unit: str, title: str, colour_title: str,
            height: int = 640) -> go.Figure:
    """Hex cartogram (one equal hex per lower-tier council, `geo.hex_geojson`) of a measure: the choropleth of
    `measure_map` on a plane of hexagons, so hexes tile at any width and hover, click and the grey low-n
    legend behave as on the boundary map."""
    # Mercator like the boundary map: the plane lies within 4° of the equator, where it stretches rows by
    # under 0.3 %, and plotly fits it to the plot (with equirectangular it drew at about half the size)
    return measure_map(table, hex_outline, unit=unit, title=title, colour_title=colour_title, height=height)


def _add_milestones(fig: go.Figure, x_min: pd.Timestamp | None = None, row: int | None = None,
                    col: int | None = None, labels: bool = True) -> None:
    for day, label in MILESTONES:
        ts = pd.Timestamp(day)
        if x_min is not None and ts < x_min - pd.Timedelta(days=400):
            continue
        kw = {"row": row, "col": col} if row else {}
        fig.add_vline(x=ts.timestamp() * 1000, line_dash="dot", line_color="#555", line_width=1,
                      annotation_text=label if labels else None, annotation_position="top left",
                      annotation_font_size=10, **kw)


def trend_chart(series_df: pd.DataFrame, *, unit: str, title: str, y_title: str,
                order: list[str] | None = None, height: int = 460) -> go.Figure:
    """Lines per unit with a shaded Wilson 95 % band and the three milestone markers."""
    k = 100.0 if unit == "share" else 1.0
    fig = go.Figure()
    units = order or sorted(series_df["unit"].unique())
    for i, name in enumerate(units):
        s = series_df[series_df["unit"].eq(name)]
        if s.empty:
            continue
        colour = LINE_COLOURS[i % len(LINE_COLOURS)]
        x = period_start(s["period"])
        if s["ci_low"].notna().any():
            fig.add_trace(go.Scatter(
                x=pd.concat([x, x[::-1]]), y=pd.concat([s["ci_high"] * k, (s["ci_low"] * k)[::-1]]),
                fill="toself", fillcolor=colour, opacity=0.15, line={"width": 0}, hoverinfo="skip",
                showlegend=False, name=f"{name} 95% interval", legendgroup=name))
        fig.add_trace(go.Scatter(
            x=x, y=s["value"] * k, mode="lines+markers", name=_label(name), legendgroup=name,
            line={"color": colour}, marker={"size": 4},
            customdata=s[["numerator", "denominator"]].fillna(0).astype(int).to_numpy(),
            hovertemplate=f"<b>{_label(name)}</b> %{{x|%Y-%m}}<br>%{{y:.1f}}"
                          "<br>%{customdata[0]} of %{customdata[1]}<extra></extra>"))
    _add_milestones(fig)
    fig.update_layout(height=height, yaxis_title=y_title, xaxis_title="Period start",
                      margin={"l": 10, "r": 10, "b": 10}, legend={"orientation": "h", "y": -0.2})
    _titled(fig, title, 60)
    if unit == "share":
        fig.update_yaxes(range=[0, 100])
    return fig


def small_multiples(series_df: pd.DataFrame, panels: list[str], *, unit: str, title: str, y_title: str,
                    cols: int = 3) -> go.Figure:
    """One small panel per unit (e.g. the nine regions), shared axes, Wilson band, milestone lines."""
    from plotly.subplots import make_subplots

    k = 100.0 if unit == "share" else 1.0
    rows = (len(panels) + cols - 1) // cols
    fig = make_subplots(rows=rows, cols=cols, shared_xaxes=True, shared_yaxes=True, subplot_titles=panels,
                        vertical_spacing=0.08, horizontal_spacing=0.04)
    for i, name in enumerate(panels):
        r, c = i // cols + 1, i % cols + 1
        s = series_df[series_df["unit"].eq(name)]
        if not s.empty:
            x = period_start(s["period"])
            fig.add_trace(go.Scatter(x=pd.concat([x, x[::-1]]),
                                     y=pd.concat([s["ci_high"] * k, (s["ci_low"] * k)[::-1]]), fill="toself",
                                     fillcolor="#0072B2", opacity=0.15, line={"width": 0}, hoverinfo="skip",
                                     showlegend=False), row=r, col=c)
            fig.add_trace(go.Scatter(x=x, y=s["value"] * k, mode="lines", line={"color": "#0072B2"},
                                     name=name, showlegend=False,
                                     hovertemplate=f"{name} %{{x|%Y-%m}}: %{{y:.1f}}<extra></extra>"), row=r, col=c)
        for day, _ in MILESTONES:
            fig.add_vline(x=pd.Timestamp(day).timestamp() * 1000, line_dash="dot", line_color="#777",
                          line_width=1, row=r, col=c)
    fig.update_layout(height=260 * rows, margin={"l": 10, "r": 10, "b": 10})
    _titled(fig, title, 80)
    if unit == "share":
        fig.update_yaxes(range=[0, 100])
    fig.update_yaxes(title_text=y_title, col=1)
    return fig


def compare_bars(df: pd.DataFrame, *, label_col: str, unit: str, title: str, x_title: str,
                 highlight: str | None = None) -> go.Figure:
    """Horizontal bars with Wilson error bars (df: label, value, ci_low, ci_high, numerator, denominator)."""
    k = 100.0 if unit == "share" else 1.0
    v = df["value"] * k
    colours = ["#D55E00" if highlight and lab == highlight else "#0072B2" for lab in df[label_col]]
    fig = go.Figure(go.Bar(
        y=df[label_col].astype(str), x=v, orientation="h", marker_color=colours,
        error_x={"type": "data", "symmetric": False, "array": (df["ci_high"] * k - v).clip(lower=0),
                 "arrayminus": (v - df["ci_low"] * k).clip(lower=0), "color": "#333"},
        customdata=df[["numerator", "denominator"]].fillna(0).astype(int).to_numpy(),
        hovertemplate="<b>%{y}</b><br>%{x:.1f}<br>%{customdata[0]} of %{customdata[1]}<extra></extra>"))
    fig.update_layout(xaxis_title=x_title, height=80 + 34 * len(df),
                      margin={"l": 10, "r": 10, "b": 10}, yaxis={"autorange": "reversed"})
    _titled(fig, title, 50)
    if unit == "share":
        fig.update_xaxes(range=[0, 100])
    return fig


def status_bars(counts: pd.DataFrame, *, title: str) -> go.Figure:
    """Procurements by status (applied / dismissed / no evidence), split by whether criteria are visible."""
    labels = {"applied": "Applied", "dismissed": "Dismissed", "none": "No social value evidence in the notice"}
    y = counts["sv_status"].map(labels)
    vis = counts["n_criteria_visible"]
    fig = go.Figure([
        go.Bar(y=y, x=vis, orientation="h", name="Award criteria visible", marker_color="#0072B2"),
        go.Bar(y=y, x=counts["n"] - vis, orientation="h", name="No award criteria published",
               marker_color="#bdbdbd"),
    ])
    fig.update_layout(barmode="stack", xaxis_title="Procurements (count)", height=260,
                      margin={"l": 10, "r": 10, "b": 10}, legend={"orientation": "h", "y": -0.3})
    return _titled(fig, title, 50)
