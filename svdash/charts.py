"""Pure functions DataFrame → plotly Figure. No I/O, no Streamlit.

Maps use plotly's SVG `geo` with the embedded GeoJSON (clockwise rings, see svdash.geo) and never map
tiles, so they draw with no network. The UI must pass PLOTLY_CONFIG, whose stub topojson stops plotly.js
fetching its world basemap from a CDN.
"""
from __future__ import annotations

import textwrap
from typing import Any

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from svdash.filters import category_ids

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


def _category_hover(table: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """Hover lines of a category map: name and code, the category, what it rests on (when known)."""
    cat = table["category"].map(labels).fillna("")
    record = pd.Series("", index=table.index)
    if "record_status" in table.columns:
        status = table["record_status"].fillna("").astype(str).str.replace("_", " ")
        date = table.get("record_date", pd.Series("", index=table.index)).fillna("").astype(str)
        record = ("Adoption record: " + status + date.map(lambda d: f" ({d})" if d else " (undated)")).where(
            status.ne(""), "No adoption record found")
    practice = pd.Series("", index=table.index)
    if "n_applied" in table.columns:
        practice = table["n_applied"].fillna(0).astype(int).map(
            lambda k: f"{k} procurement(s) whose notice applies social value" if k else
            "No notice applying social value found")
    return pd.DataFrame({"name": table["name"], "code": table["gss_code"], "cat": cat, "record": record,
                         "practice": practice}, index=table.index)


def category_map(table: pd.DataFrame, geojson: dict[str, Any], *, categories: list[dict[str, str]], title: str,
                 outlines: list[go.Scattergeo] | None = None, height: int = 640) -> go.Figure:
    """Councils coloured by category (table: gss_code, name, category, optionally record_status / record_date /
    n_applied for the hover). One choropleth trace whose z is the category's position on a stepped colour scale
    (one trace: validated, sent and drawn once), and one legend entry per category in the registry's order with
    the number of councils in it — an empty category keeps its entry: "0" is a finding. `outlines` (e.g.
    `outline_traces`) are drawn on top."""
    labels = {c["id"]: c["label"] for c in categories}
    order = {c["id"]: i for i, c in enumerate(categories)}
    cats = category_ids(table, categories)
    table = table.assign(category=cats)
    hover = _category_hover(table, labels)
    k = len(categories)
    scale = [step for i, c in enumerate(categories) for step in ([i / k, c["colour"]], [(i + 1) / k, c["colour"]])]
    z = cats.map(order).fillna(k - 1).to_numpy(dtype=np.int8)  # sent as 1 byte a council, not 8
    fig = go.Figure()
    for rows, lines in _hover_groups(hover):
        # only the outlines drawn: plotly deep-copies the geojson it is given. Lines most councils share are
        # written once in the template, and there the code is the location's
        head = "<b>%{customdata[0]}</b> (%{customdata[1]})" if not lines else "<b>%{customdata[0]}</b> (%{location})"
        fig.add_trace(go.Choropleth(
            geojson=_features_of(geojson, table["gss_code"][rows]), locations=table["gss_code"][rows], z=z[rows],
            featureidkey="id", colorscale=scale, zmin=-0.5, zmax=k - 0.5, showscale=False, showlegend=False,
            name="councils", customdata=hover[rows].iloc[:, :1 if lines else 5].to_numpy(),
            marker={"line": {"width": 0.3, "color": "white"}},
            hovertemplate=head + "".join(f"<br>{line}" for line in lines) + "".join(
                f"<br>%{{customdata[{i}]}}" for i in range(2, 2 if lines else 5)) + "<extra></extra>"))
    counts = cats.value_counts()
    for c in categories:  # legend keys only (a marker-less point): the map above carries the colours
        fig.add_trace(go.Scattergeo(lon=[None], lat=[None], mode="markers", name=f"{c['label']} ({int(counts.get(c['id'], 0))})",
                                    marker={"symbol": "square", "size": 11, "color": c["colour"]},
                                    legendgroup=c["id"], showlegend=True, hoverinfo="skip"))
    for trace in outlines or []:
        fig.add_trace(trace)
    fig = _geo_layout(fig, height, title)
    fig.update_layout(legend={"orientation": "h", "y": -0.02, "title": None, "font": {"size": 12},
                              "itemclick": False, "itemdoubleclick": False})
    return fig


def _hover_groups(hover: pd.DataFrame) -> list[tuple[np.ndarray, tuple[str, ...]]]:
    """(row mask, hover lines written once in the template) per choropleth trace of a category map. Most
    councils share the same three lines (no evidence, no record, no notice): sent once in their own trace's
    template instead of once per council, they cost 1 kB instead of 23 kB of the Overview's first view."""
    lines = list(zip(hover["cat"], hover["record"], hover["practice"]))
    common = max(set(lines), key=lines.count) if lines else None
    shared = np.array([line == common for line in lines], dtype=bool)
    if shared.sum() < 2 or any("%{" in str(line) for line in common):  # a template would read it as a field
        return [(np.ones(len(lines), dtype=bool), ())]
    groups = [(~shared, ()), (shared, tuple(common))]
    return [(rows, fixed) for rows, fixed in groups if rows.any()]


def _outer_rings(geometry: dict[str, Any]) -> list:
    coords = geometry.get("coordinates") or []
    if geometry.get("type") == "Polygon":
        return coords[:1]
    if geometry.get("type") == "MultiPolygon":
        return [poly[0] for poly in coords if len(poly)]
    return []


def outline_traces(geojson: dict[str, Any], codes_by_category: dict[str, list[str]],
                   categories: list[dict[str, str]], label: str = "county council") -> list[go.Scattergeo]:
    """Thick outlines, one line trace per category, of the features in `codes_by_category` (e.g. county
    councils on the lower-tier map, whose own evidence is not their districts'). Lines, not filled shapes, so
    the councils underneath keep their own colour, hover and click."""
    traces = []
    for c in categories:
        codes = set(codes_by_category.get(c["id"], []))
        if not codes:
            continue
        # one array of rings separated by NaN (a gap in the line): an array is validated and sent in one piece
        parts = []
        for f in geojson["features"]:
            if str(f.get("id")) in codes:
                for ring in _outer_rings(f["geometry"]):
                    parts += [np.asarray(ring, dtype=float).reshape(-1, 2), np.full((1, 2), np.nan)]
        # float32: sent as 4 bytes a number (≈ 1 m at these longitudes), half of float64's, for lines 2.6 px wide
        xy = (np.concatenate(parts) if parts else np.empty((0, 2))).astype(np.float32)
        traces.append(go.Scattergeo(lon=xy[:, 0], lat=xy[:, 1], mode="lines", line={"width": 2.6, "color": c["colour"]},
                                    name=f"{label.capitalize()} outline: {c['label']} ({len(codes)})",
                                    legendgroup=f"outline-{c['id']}", hoverinfo="skip", showlegend=True))
    return traces


def binary_categories(labels: dict[str, str]) -> list[dict[str, str]]:
    """The categories a 1-or-0-per-council measure draws with (`binary_labels` of measures.yaml): with (1),
    without (0), and no value (no denominator: not applicable)."""
    return [{"id": "with", "label": labels.get("with", "Yes"), "colour": labels.get("with_colour", "#0072B2")},
            {"id": "without", "label": labels.get("without", "No"),
             "colour": labels.get("without_colour", "#9ecae1")},
            {"id": "none", "label": "No value (not applicable)", "colour": NO_DATA_GREY}]


def binary_as_category(table: pd.DataFrame) -> pd.DataFrame:
    """A 1-or-0 measure table with a `category` column for `category_map` (with / without / none)."""
    v = table["value"]
    cat = pd.Series("none", index=table.index, dtype=object).mask(v.eq(1), "with").mask(v.eq(0), "without")
    return table.assign(category=cat)


def _add_milestones(fig: go.Figure, x_min: pd.Timestamp | None = None, row: int | None = None,
                    col: int | None = None, labels: bool = True) -> None:
    for i, (day, label) in enumerate(MILESTONES):
        ts = pd.Timestamp(day)
        if x_min is not None and ts < x_min - pd.Timedelta(days=400):
            continue
        kw = {"row": row, "col": col} if row else {}
        # the first label sits right of its line: the axis starts at 2013, a month before the Act
        fig.add_vline(x=ts.timestamp() * 1000, line_dash="dot", line_color="#555", line_width=1,
                      annotation_text=label if labels else None,
                      annotation_position="top right" if i == 0 else "top left", annotation_font_size=10, **kw)


def _next_period(p: str) -> str:
    """The period after a year ('2024' → '2025') or a quarter ('2024Q4' → '2025Q1')."""
    if "Q" in p:
        y, q = int(p[:4]), int(p[-1])
        return f"{y + q // 4}Q{q % 4 + 1}"
    return str(int(p) + 1)


def period_runs(periods: list[str]) -> list[list[int]]:
    """Positions of consecutive periods, run by run ('2022', '2025' → two runs): a line or band never bridges
    periods that are not in the data (no notices then), so a gap reads as a gap, not as a trend."""
    runs: list[list[int]] = []
    for i, p in enumerate(periods):
        if runs and _next_period(periods[runs[-1][-1]]) == p:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _period_traces(s: pd.DataFrame, k: float, colour: str, name: str, legend: bool, hover: str) -> list[go.Scatter]:
    """A unit's series as traces: a Wilson band per run of two or more periods, one line broken between runs,
    and the interval as an error bar on points that stand alone (a band needs two points)."""
    s = s.reindex(columns=list(dict.fromkeys([*s.columns, "numerator", "denominator", "ci_low", "ci_high"])))
    s = s.sort_values("period", kind="stable")
    s = s[s["value"].notna()].reset_index(drop=True)
    if s.empty:
        return []
    runs = period_runs(s["period"].astype(str).tolist())
    x_all = period_start(s["period"])
    traces: list[go.Scatter] = []
    xs: list = []
    ys: list = []
    custom: list = []
    singles = []
    for run in runs:
        part = s.iloc[run]
        x = x_all.iloc[run]
        if len(run) > 1 and part["ci_low"].notna().any():
            traces.append(go.Scatter(
                x=pd.concat([x, x[::-1]]), y=pd.concat([part["ci_high"] * k, (part["ci_low"] * k)[::-1]]),
                fill="toself", mode="lines", fillcolor=colour, opacity=0.15, line={"width": 0}, hoverinfo="skip",
                showlegend=False, name=f"{name} 95% interval", legendgroup=name))
        elif len(run) == 1:
            singles += run
        if xs:
            xs.append(None)
            ys.append(None)
            custom.append([0, 0])
        xs += list(x)
        ys += list(part["value"] * k)
        custom += part[["numerator", "denominator"]].fillna(0).astype(int).values.tolist()
    traces.append(go.Scatter(x=xs, y=ys, mode="lines+markers", name=_label(name), legendgroup=name,
                             showlegend=legend, line={"color": colour}, marker={"size": 5}, customdata=custom,
                             connectgaps=False, hovertemplate=hover))
    one = s.iloc[singles]
    if len(one) and one["ci_low"].notna().any():
        v = one["value"] * k
        traces.append(go.Scatter(
            x=x_all.iloc[singles], y=v, mode="markers", marker={"size": 5, "color": colour}, showlegend=False,
            legendgroup=name, name=f"{name} 95% interval", hoverinfo="skip",
            error_y={"type": "data", "symmetric": False, "array": (one["ci_high"] * k - v).clip(lower=0),
                     "arrayminus": (v - one["ci_low"] * k).clip(lower=0), "color": colour, "thickness": 1.5,
                     "width": 4}))
    return traces


def trend_chart(series_df: pd.DataFrame, *, unit: str, title: str, y_title: str,
                order: list[str] | None = None, height: int = 460) -> go.Figure:
    """Lines per unit with a shaded Wilson 95 % band (an error bar where a period stands alone), broken where
    periods are missing, the three milestone markers, and a time axis from 2013."""
    k = 100.0 if unit == "share" else 1.0
    fig = go.Figure()
    units = order or sorted(series_df["unit"].unique())
    for i, name in enumerate(units):
        s = series_df[series_df["unit"].eq(name)]
        colour = GROUP_COLOURS.get(name, LINE_COLOURS[i % len(LINE_COLOURS)])
        hover = (f"<b>{_label(name)}</b> %{{x|%Y-%m}}<br>%{{y:.1f}}"
                 "<br>%{customdata[0]} of %{customdata[1]}<extra></extra>")
        for trace in _period_traces(s, k, colour, name, True, hover):
            fig.add_trace(trace)
    _add_milestones(fig)
    _time_layout(fig, height=height, y_title=y_title, x_title="Period start", title=title, unit=unit)
    if len(series_df):
        fig.update_xaxes(range=x_range(period_start(series_df["period"]).max()))
    return fig


def _time_layout(fig: go.Figure, *, height: int, y_title: str, x_title: str, title: str, unit: str) -> None:
    """The layout every time chart of practice shares: size, axis titles, legend below, 0–100 for shares."""
    fig.update_layout(height=height, yaxis_title=y_title, xaxis_title=x_title,
                      margin={"l": 10, "r": 10, "b": 10}, legend={"orientation": "h", "y": -0.2})
    _titled(fig, title, 60)
    if unit == "share":
        fig.update_yaxes(range=[0, 100])


def _point_trace(s: pd.DataFrame, k: float, colour: str, name: str, offset_days: float,
                 legend: bool) -> go.Scatter:
    """One unit's values as points with their Wilson 95 % interval as error bars (hover: period, k of n)."""
    x = period_start(s["period"]) + pd.Timedelta(days=offset_days)
    v = s["value"].astype(float) * k
    custom = pd.DataFrame({"p": s["period"].astype(str), "k": s["numerator"].fillna(0).astype(int),
                           "n": s["denominator"].fillna(0).astype(int), "lo": s["ci_low"].astype(float) * k,
                           "hi": s["ci_high"].astype(float) * k}).to_numpy(dtype=object)
    return go.Scatter(
        x=x, y=v, mode="markers", name=_label(name), legendgroup=name, showlegend=legend,
        marker={"color": colour, "size": 9},
        error_y={"type": "data", "symmetric": False, "array": (s["ci_high"].astype(float) * k - v).clip(lower=0),
                 "arrayminus": (v - s["ci_low"].astype(float) * k).clip(lower=0), "color": colour,
                 "thickness": 1.5, "width": 4},
        customdata=custom,
        hovertemplate=(f"<b>{_label(name)}</b> %{{customdata[0]}}<br>%{{y:.1f}} (95 % interval "
                       "%{customdata[3]:.1f}–%{customdata[4]:.1f})<br>%{customdata[1]} of %{customdata[2]}"
                       "<extra></extra>"))


def _points_axis(fig: go.Figure, periods: pd.Series, **kw) -> None:
    """Time axis from the first period with data to the last (padded), milestones inside it only."""
    starts = period_start(periods)
    pad = pd.Timedelta(days=75 if periods.astype(str).str.contains("Q").any() else 200)
    lo, hi = starts.min() - pad, starts.max() + pad
    fig.update_xaxes(range=[lo.strftime("%Y-%m-%d"), hi.strftime("%Y-%m-%d")])
    for day, label in MILESTONES:
        ts = pd.Timestamp(day)
        if lo <= ts <= hi:
            fig.add_vline(x=ts.timestamp() * 1000, line_dash="dot", line_color="#555", line_width=1,
                          annotation_text=None if kw else label, annotation_position="top left",
                          annotation_font_size=10, **kw)


def _with_values(series_df: pd.DataFrame) -> pd.DataFrame:
    return series_df[pd.to_numeric(series_df["value"], errors="coerce").notna()].sort_values("period", kind="stable")


def practice_points(series_df: pd.DataFrame, *, unit: str, title: str, y_title: str,
                    order: list[str] | None = None, height: int = 440) -> go.Figure:
    """Sparse practice data drawn as what it is: one point per unit and period with its Wilson 95 % interval as
    an error bar (no line joins periods years apart), units side by side within a period, and a time axis from
    the first period with data to the last (not from 2013), with the milestones that fall inside it."""
    k = 100.0 if unit == "share" else 1.0
    fig = go.Figure()
    s_all = _with_values(series_df)
    units = [u for u in (order or sorted(s_all["unit"].unique())) if u in set(s_all["unit"])]
    step = 14 if s_all["period"].astype(str).str.contains("Q").any() else 50  # days between units of a period
    for i, name in enumerate(units):
        colour = GROUP_COLOURS.get(name, LINE_COLOURS[i % len(LINE_COLOURS)])
        fig.add_trace(_point_trace(s_all[s_all["unit"].eq(name)], k, colour, name,
                                   step * (i - (len(units) - 1) / 2), True))
    _time_layout(fig, height=height, y_title=y_title, x_title="Period (start)", title=title, unit=unit)
    if len(s_all):
        _points_axis(fig, s_all["period"])
    return fig


def practice_point_panels(series_df: pd.DataFrame, panels: list[str], *, unit: str, title: str, y_title: str,
                          cols: int = 3) -> go.Figure:
    """One small panel per unit (the nine regions) of `practice_points`, shared axes from the first period."""
    from plotly.subplots import make_subplots

    k = 100.0 if unit == "share" else 1.0
    s_all = _with_values(series_df)
    rows = (len(panels) + cols - 1) // cols
    fig = make_subplots(rows=rows, cols=cols, shared_xaxes=True, shared_yaxes=True, subplot_titles=panels,
                        vertical_spacing=0.08, horizontal_spacing=0.04)
    for i, name in enumerate(panels):
        r, c = i // cols + 1, i % cols + 1
        s = s_all[s_all["unit"].eq(name)]
        if len(s):
            fig.add_trace(_point_trace(s, k, "#0072B2", name, 0, False), row=r, col=c)
        if len(s_all):
            _points_axis(fig, s_all["period"], row=r, col=c)
    fig.update_layout(height=240 * rows, margin={"l": 10, "r": 10, "b": 10})
    _titled(fig, title, 80)
    if unit == "share":
        fig.update_yaxes(range=[0, 100])
    fig.update_yaxes(title_text=y_title, col=1)
    return fig


def x_range(last: pd.Timestamp | None) -> list[str]:
    """Every time axis starts at 2013 (the Act) and ends a little after the last point (or today)."""
    end = pd.Timestamp.today() if last is None or pd.isna(last) else max(pd.Timestamp(last), TREND_START)
    return [TREND_START.strftime("%Y-%m-%d"), (end + pd.Timedelta(days=120)).strftime("%Y-%m-%d")]


TREND_START = pd.Timestamp("2013-01-01")


def _steps_xy(dates: pd.Series, values: pd.Series) -> tuple[list, list]:
    """Step-function vertices: the value holds until the next date, then jumps (drawn with straight lines so
    a band polygon can follow the same steps)."""
    xs: list = []
    ys: list = []
    for i, (x, y) in enumerate(zip(dates, values)):
        if i:
            xs.append(x)
            ys.append(ys[-1])
        xs.append(x)
        ys.append(y)
    return xs, ys


def adoption_step_chart(steps: pd.DataFrame, *, order: list[str], title: str, labels: dict[str, str] | None = None,
                        height: int = 480) -> go.Figure:
    """Cumulative share of councils with a dated adoption record (svdash.measures.adoption_steps): one step line
    per unit with its Wilson 95 % band, a marker on each date a record is placed (hover: the date, councils
    added, k of n), the milestones, x-axis from 2013. Shares in %."""
    fig = go.Figure()
    labels = labels or {}
    y_max = 0.0
    for i, unit in enumerate(order):
        s = steps[steps["unit"].eq(unit)].sort_values("date", kind="stable")
        if s.empty:
            continue
        colour = GROUP_COLOURS.get(unit, LINE_COLOURS[i % len(LINE_COLOURS)])
        name = labels.get(unit, _label(unit))
        x, hi = _steps_xy(s["date"], s["ci_high"] * 100)
        _, lo = _steps_xy(s["date"], s["ci_low"] * 100)
        fig.add_trace(go.Scatter(x=x + x[::-1], y=hi + lo[::-1], fill="toself", mode="lines", fillcolor=colour, opacity=0.12,
                                 line={"width": 0}, hoverinfo="skip", showlegend=False, legendgroup=unit,
                                 name=f"{name} 95% interval"))
        x, y = _steps_xy(s["date"], s["value"] * 100)
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name=name, legendgroup=unit, line={"color": colour},
                                 hoverinfo="skip"))
        dots = s[s["step"]]
        fig.add_trace(go.Scatter(
            x=dots["date"], y=dots["value"] * 100, mode="markers", marker={"color": colour, "size": 6},
            legendgroup=unit, showlegend=False, name=name,
            customdata=dots[["added", "numerator", "denominator"]].astype(int).to_numpy(),
            hovertemplate=f"<b>{name}</b> %{{x|%Y-%m-%d}}<br>+%{{customdata[0]}} council(s) → %{{customdata[1]}} "
                          "of %{customdata[2]} (%{y:.1f} %)<extra></extra>"))
        y_max = max(y_max, float((s["ci_high"] * 100).max()))
    _add_milestones(fig)
    fig.update_layout(height=height, yaxis_title="% of councils (cumulative)", xaxis_title="Date",
                      margin={"l": 10, "r": 10, "b": 10}, legend={"orientation": "h", "y": -0.2})
    _titled(fig, title, 60)
    fig.update_yaxes(range=[0, max(10.0, min(100.0, y_max * 1.1))])
    fig.update_xaxes(range=x_range(steps["date"].max() if len(steps) else None))
    return fig


def adoption_step_multiples(steps: pd.DataFrame, panels: list[str], *, title: str, cols: int = 3) -> go.Figure:
    """One small step chart per unit (the nine regions), shared axes from 2013, band and milestone lines."""
    from plotly.subplots import make_subplots

    rows = (len(panels) + cols - 1) // cols
    fig = make_subplots(rows=rows, cols=cols, shared_xaxes=True, shared_yaxes=True, subplot_titles=panels,
                        vertical_spacing=0.08, horizontal_spacing=0.04)
    y_max = 0.0
    for i, unit in enumerate(panels):
        r, c = i // cols + 1, i % cols + 1
        s = steps[steps["unit"].eq(unit)].sort_values("date", kind="stable")
        if s.empty:
            continue
        x, hi = _steps_xy(s["date"], s["ci_high"] * 100)
        _, lo = _steps_xy(s["date"], s["ci_low"] * 100)
        fig.add_trace(go.Scatter(x=x + x[::-1], y=hi + lo[::-1], fill="toself", mode="lines", fillcolor="#0072B2", opacity=0.12,
                                 line={"width": 0}, hoverinfo="skip", showlegend=False), row=r, col=c)
        x, y = _steps_xy(s["date"], s["value"] * 100)
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines", line={"color": "#0072B2"}, showlegend=False, name=unit,
                                 hoverinfo="skip"), row=r, col=c)
        dots = s[s["step"]]
        fig.add_trace(go.Scatter(
            x=dots["date"], y=dots["value"] * 100, mode="markers", marker={"color": "#0072B2", "size": 5},
            showlegend=False, name=unit, customdata=dots[["numerator", "denominator"]].astype(int).to_numpy(),
            hovertemplate=f"{unit} %{{x|%Y-%m-%d}}: %{{customdata[0]}} of %{{customdata[1]}} "
                          "(%{y:.1f} %)<extra></extra>"), row=r, col=c)
        y_max = max(y_max, float((s["ci_high"] * 100).max()))
        for day, _ in MILESTONES:
            fig.add_vline(x=pd.Timestamp(day).timestamp() * 1000, line_dash="dot", line_color="#777",
                          line_width=1, row=r, col=c)
    fig.update_layout(height=260 * rows, margin={"l": 10, "r": 10, "b": 10})
    _titled(fig, title, 80)
    fig.update_yaxes(range=[0, max(10.0, min(100.0, y_max * 1.1))])
    fig.update_yaxes(title_text="% of councils", col=1)
    fig.update_xaxes(range=x_range(steps["date"].max() if len(steps) else None))
    return fig


def category_bars(counts: pd.DataFrame, categories: list[dict[str, str]], *, title: str,
                  order: list[str] | None = None) -> go.Figure:
    """Stacked horizontal bars: councils per category for each unit (counts: unit, category, n), as % of the
    unit's councils, in the registry's order and colours; hover gives the count."""
    units = order or list(dict.fromkeys(counts["unit"]))
    totals = counts.groupby("unit")["n"].sum()
    fig = go.Figure()
    for c in categories:
        part = counts[counts["category"].eq(c["id"])].set_index("unit").reindex(units)
        n = part["n"].fillna(0).astype(int)
        pct = n / totals.reindex(units).where(lambda t: t > 0) * 100
        fig.add_trace(go.Bar(y=[_label(u) for u in units], x=pct.fillna(0), orientation="h", name=c["label"],
                             marker_color=c["colour"], customdata=list(zip(n, totals.reindex(units).fillna(0).astype(int))),
                             hovertemplate="<b>%{y}</b><br>" + c["label"] + ": %{customdata[0]} of %{customdata[1]} "
                                           "councils (%{x:.1f} %)<extra></extra>"))
    # the x-axis unit is in the title; the legend sits under the bars, in the registry's order
    fig.update_layout(barmode="stack", height=170 + 30 * len(units), margin={"l": 10, "r": 10, "b": 90},
                      yaxis={"autorange": "reversed"}, legend={"orientation": "h", "y": -0.3, "yanchor": "top",
                                                              "traceorder": "normal"})
    fig.update_xaxes(range=[0, 100])
    return _titled(fig, title, 50)


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
