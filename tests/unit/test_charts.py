"""Charts are pure: DataFrame in, plotly Figure out, with the expected traces (constructed frames)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from svdash import charts
from svdash.geo import hex_geojson, lad_geojson

TABLE = pd.DataFrame({  # constructed: three councils, one solid, one low n, one without data
    "gss_code": ["E07000008", "E09000001", "E06000001"], "name": ["Cambridge", "City of London", "Hartlepool"],
    "value": [0.5, 1.0, np.nan], "ci_low": [0.3, 0.2, np.nan], "ci_high": [0.7, 1.0, np.nan],
    "numerator": [10, 1, 0], "denominator": [20, 1, 0], "n_notices_all": [40, 3, 0],
    "low_n": [False, True, True]})


def test_measure_map_separates_low_n_in_a_grey_legend_entry():
    fig = charts.measure_map(TABLE, lad_geojson(), unit="share", title="t (%)", colour_title="%")
    names = [t.name for t in fig.data]
    assert names == [charts.LOW_N_LABEL, "Measured"]
    assert list(fig.data[0].locations) == ["E09000001", "E06000001"]
    assert list(fig.data[1].z) == [50.0]
    assert "20 of 40" in fig.data[1].customdata[0][3]  # hover: n in the denominator
    assert "95% interval 30.0–70.0" in fig.data[1].customdata[0][4]
    assert fig.layout.geo.visible is False  # no basemap: offline


def test_hex_map_is_the_measure_choropleth_on_the_flat_hex_plane():
    # was: fixed-size hexagon markers, which left gaps or overlapped as the page width changed
    fig = charts.hex_map(TABLE, hex_geojson(), unit="share", title="t", colour_title="%")
    assert [t.type for t in fig.data] == ["choropleth", "choropleth"]
    assert [t.name for t in fig.data] == [charts.LOW_N_LABEL, "Measured"]
    assert list(fig.data[1].locations) == ["E07000008"] and list(fig.data[1].z) == [50.0]
    assert fig.layout.geo.visible is False  # no basemap: the hex plane is not a place


def test_trend_chart_has_band_line_and_three_milestones_per_unit():
    s = pd.DataFrame({"unit": ["rural"] * 3, "period": ["2019", "2020", "2021"], "value": [0.1, 0.2, 0.3],
                      "ci_low": [0.0, 0.1, 0.2], "ci_high": [0.2, 0.3, 0.4], "numerator": [1, 2, 3],
                      "denominator": [10, 10, 10]})
    fig = charts.trend_chart(s, unit="share", title="t", y_title="%")
    assert [t.fill for t in fig.data] == ["toself", None]
    assert list(fig.data[1].y) == [10.0, 20.0, 30.0]
    assert len(fig.layout.shapes) == 3


def test_period_start_reads_years_and_quarters():
    got = charts.period_start(pd.Series(["2024Q3", "2013"]))
    assert list(got.dt.strftime("%Y-%m-%d")) == ["2024-07-01", "2013-01-01"]


def test_practice_point_panels_one_panel_per_region_points_with_intervals():
    s = pd.DataFrame({"unit": ["London", "London"], "period": ["2020", "2022"], "value": [0.1, 0.2],
                      "ci_low": [0, 0.1], "ci_high": [0.2, 0.3], "numerator": [1, 2], "denominator": [10, 10]})
    fig = charts.practice_point_panels(s, ["London", "North East"], unit="share", title="t", y_title="%", cols=2)
    assert [a.text for a in fig.layout.annotations][:2] == ["London", "North East"]
    assert [t.mode for t in fig.data] == ["markers"] and list(fig.data[0].error_y.array) == pytest.approx([10, 10])
    assert fig.layout.xaxis.range[0] > "2019"  # from the first period with data, not 2013


def test_practice_points_side_by_side_from_the_first_period():
    s = pd.DataFrame({"unit": ["England", "rural"], "period": ["2025Q1", "2025Q1"], "value": [0.5, 0.0],
                      "ci_low": [0.2, 0.0], "ci_high": [0.8, 0.6], "numerator": [2, 0], "denominator": [4, 3]})
    fig = charts.practice_points(s, unit="share", title="t", y_title="%", order=["rural", "England"])
    assert [t.name for t in fig.data] == ["Rural", "England"]
    assert fig.data[0].x[0] < fig.data[1].x[0]  # one period, the units side by side
    assert "2024-10" <= fig.layout.xaxis.range[0] < "2025-01-01"
    assert [sh.x0 for sh in fig.layout.shapes] == [pd.Timestamp("2025-02-24").timestamp() * 1000]  # PA 2023 only


def test_status_bars_split_by_criteria_visibility():
    counts = pd.DataFrame({"sv_status": ["applied", "dismissed", "none"], "n": [3, 2, 10],
                           "n_criteria_visible": [3, 1, 0]})
    fig = charts.status_bars(counts, title="t")
    assert list(fig.data[0].x) == [3, 1, 0] and list(fig.data[1].x) == [0, 1, 10]


def test_map_traces_carry_only_the_outlines_they_draw():
    # one trace per comparison group: each must hold its own features, not all 296 (payload was 3×)
    from svdash.geo import load_lads

    fig = charts.group_map(load_lads(), lad_geojson())
    drawn = []
    for trace in fig.data:
        ids = [f["id"] for f in trace.geojson["features"]]
        assert sorted(ids) == sorted(trace.locations)
        drawn += ids
    assert len(drawn) == 296 and len(set(drawn)) == 296
    assert len(lad_geojson()["features"]) == 296  # the cached outline itself is not trimmed


def test_long_titles_wrap_on_word_boundaries_and_make_room():
    # plotly never wraps a title: a map title naming measure, period and area was cut off in a narrow column
    title = ("Councils with a record of an adopted social value policy, charter or strategy — all periods since "
             "2013, North East (%)")
    text, n = charts.wrap_title(title)
    lines = text.split("<br>")
    assert n == len(lines) == 2 and all(len(line) <= charts.TITLE_CHARS for line in lines)
    assert " ".join(lines) == title  # nothing lost, no word split
    fig = charts.measure_map(TABLE, lad_geojson(), unit="share", title=title, colour_title="%")
    short = charts.measure_map(TABLE, lad_geojson(), unit="share", title="Short", colour_title="%")
    assert fig.layout.title.text == text and short.layout.title.text == "Short"
    assert fig.layout.margin.t == short.layout.margin.t + charts.TITLE_LINE_PX


def test_category_map_colours_each_council_by_its_category_with_a_counted_legend():
    cats = [{"id": "a", "label": "A", "colour": "#111111"}, {"id": "b", "label": "B", "colour": "#222222"},
            {"id": "z", "label": "Nothing found", "colour": "#dddddd"}]
    table = TABLE.assign(category=["a", "", "z"])  # a blank category reads as the last ("nothing found")
    fig = charts.category_map(table, lad_geojson(), categories=cats, title="t")
    choros = [t for t in fig.data if t.type == "choropleth"]  # councils with the same hover lines share a trace
    assert [loc for t in choros for loc in t.locations] == ["E07000008", "E09000001", "E06000001"]
    assert [z for t in choros for z in t.z] == [0.0, 2.0, 2.0]
    assert [len(t.geojson["features"]) for t in choros] == [len(t.locations) for t in choros]  # only its own
    for choro in choros:
        # each category's band of the stepped scale is its colour: z = i falls in [i/k, (i+1)/k] after zmin/zmax
        scale = {tuple(step)[1] for step in choro.colorscale}
        assert scale == {"#111111", "#222222", "#dddddd"} and (choro.zmin, choro.zmax) == (-0.5, 2.5)
    legend = [t.name for t in fig.data[len(choros):]]
    assert legend == ["A (1)", "B (0)", "Nothing found (2)"]  # an empty category keeps its entry
    assert fig.layout.geo.visible is False and fig.layout.legend.itemclick is False


def test_outline_traces_draw_lines_not_fills_for_the_codes_given():
    from svdash.geo import utla_geojson

    cats = [{"id": "a", "label": "A", "colour": "#111111"}, {"id": "b", "label": "B", "colour": "#222222"}]
    traces = charts.outline_traces(utla_geojson(), {"a": ["E10000025"], "b": []}, cats)
    assert len(traces) == 1 and traces[0].mode == "lines" and traces[0].hoverinfo == "skip"
    assert traces[0].name.endswith("A (1)") and np.isnan(traces[0].lon).any()  # rings separated by gaps


def test_binary_measure_reads_as_with_without_and_not_applicable():
    table = charts.binary_as_category(TABLE.assign(value=[1.0, 0.0, np.nan]))
    assert table["category"].tolist() == ["with", "without", "none"]
    cats = charts.binary_categories({"with": "Yes", "without": "No", "without_colour": "#d9d9d9"})
    assert [c["label"] for c in cats][:2] == ["Yes", "No"] and cats[1]["colour"] == "#d9d9d9"


def test_adoption_step_chart_draws_steps_from_2013_with_a_marker_per_record():
    steps = pd.DataFrame({"unit": "rural", "date": pd.to_datetime(["2013-01-01", "2016-12-31", "2020-01-01"]),
                          "added": [0, 2, 0], "numerator": [0, 2, 2], "denominator": [10, 10, 10],
                          "step": [False, True, False], "value": [0, 0.2, 0.2], "ci_low": [0, 0.05, 0.05],
                          "ci_high": [0.3, 0.5, 0.5]})
    fig = charts.adoption_step_chart(steps, order=["rural"], title="t")
    band, line, dots = fig.data
    assert band.fill == "toself" and line.name == "Rural"
    assert list(line.y) == [0.0, 0.0, 20.0, 20.0, 20.0]  # flat until the record, then a jump
    assert len(dots.x) == 1 and list(dots.customdata[0]) == [2, 2, 10]
    assert fig.layout.xaxis.range[0] == "2013-01-01" and len(fig.layout.shapes) == 3


def test_trend_lines_never_bridge_periods_without_data():
    assert charts.period_runs(["2022", "2023", "2025"]) == [[0, 1], [2]]
    assert charts.period_runs(["2024Q4", "2025Q1", "2025Q3"]) == [[0, 1], [2]]
    s = pd.DataFrame({"unit": "rural", "period": ["2022", "2023", "2025"], "value": [0.1, 0.2, 0.3],
                      "ci_low": [0.0, 0.1, 0.2], "ci_high": [0.2, 0.3, 0.4], "numerator": [1, 2, 3],
                      "denominator": [10, 10, 10]})
    fig = charts.trend_chart(s, unit="share", title="t", y_title="%")
    line = next(t for t in fig.data if t.name == "Rural")
    assert list(line.y) == [10.0, 20.0, None, 30.0] and line.connectgaps is False
    lone = fig.data[-1]  # 2025 stands alone: its interval is an error bar, not a band
    assert lone.error_y.array is not None and fig.layout.xaxis.range[0] == "2013-01-01"


def _evidence_map(n_applied: list[int]):
    """Category map of the constructed TABLE: Cambridge with a record, the other two with nothing recorded."""
    cats = [{"id": "policy_only", "label": "Policy record only", "colour": "#56B4E9"},
            {"id": "unknown", "label": "No evidence found (unknown)", "colour": "#d9d9d9"}]
    table = TABLE.assign(category=["policy_only", "unknown", "unknown"],
                         record_status=["policy_adopted", "", ""], record_date=["2020", "", ""], n_applied=n_applied)
    return charts.category_map(table, lad_geojson(), categories=cats, title="t")


def test_category_hover_says_what_the_colour_rests_on():
    fig = _evidence_map([0, 2, 0])
    cambridge, london = (list(row) for row in fig.data[0].customdata[:2])
    assert cambridge[:3] == ["Cambridge", "E07000008", "Policy record only"]
    assert cambridge[3] == "Adoption record: policy adopted (2020)"
    assert cambridge[4] == "No notice applying social value found"
    assert london[3] == "No adoption record found" and london[4].startswith("2 procurement(s)")


def test_category_map_writes_the_hover_lines_most_councils_share_once():
    fig = _evidence_map([0, 0, 0])  # two councils with nothing found (the same three hover lines)
    varied, shared = (t for t in fig.data if t.type == "choropleth")
    assert list(varied.locations) == ["E07000008"] and len(varied.customdata[0]) == 5
    assert list(shared.locations) == ["E09000001", "E06000001"]
    assert [list(row) for row in shared.customdata] == [["City of London"], ["Hartlepool"]]
    # the hover reads as before: the same lines, written once in the template (the code is the location)
    assert shared.hovertemplate == ("<b>%{customdata[0]}</b> (%{location})<br>No evidence found (unknown)"
                                    "<br>No adoption record found<br>No notice applying social value found"
                                    "<extra></extra>")
    assert varied.hovertemplate == ("<b>%{customdata[0]}</b> (%{customdata[1]})<br>%{customdata[2]}"
                                    "<br>%{customdata[3]}<br>%{customdata[4]}<extra></extra>")
