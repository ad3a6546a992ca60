"""AppTest: Trends page: adoption since 2013 (step lines by group and region, from the store's adoption summary)
and practice in the notices (group lines and regional small multiples) on the constructed store."""
from __future__ import annotations

from datetime import date

import pandas as pd

from svdash import geo, measures, views
from svdash.charts import period_start
from tests.app.conftest import open_page, spec


PRACTICE_TABLE = 3  # tables: adoption by group, by region, the records list, then practice by group


def test_adoption_lines_by_group_with_one_marker_per_dated_step(constructed_db):
    at = open_page("trends")
    assert not at.exception
    charts = [spec(c) for c in at.get("plotly_chart")]
    assert len(charts) == 4  # adoption by group, by region; practice by group, by region
    adoption = charts[0]
    lines = {t["name"] for t in adoption["data"] if t.get("mode") == "lines" and t.get("showlegend") is not False}
    assert lines == {"Metropolitan", "Other urban", "Rural", "England"}
    assert adoption["layout"]["xaxis"]["range"][0] == "2013-01-01"
    assert len(adoption["layout"]["shapes"]) == 3  # Act, PPN 06/20, Procurement Act
    summary = views.read_store(constructed_db, facts=False)["adoption_summary"]
    timeline = measures.adoption_timeline(summary, geo.load_councils())
    steps = measures.undated_counts(timeline, geo.load_councils(), "comparison_group").set_index("unit")
    for t in adoption["data"]:
        if t.get("mode") == "markers" and t["name"].lower() in steps.index:
            assert len(t["x"]) == steps.loc[t["name"].lower(), "n_steps"]
    text = " ".join(m.value for m in at.markdown)
    assert f"{int(steps['n_undated'].sum())} more have an undated record" in text


def test_adoption_by_year_table_ends_at_the_headline_count_of_dated_records(constructed_db):
    at = open_page("trends")
    yearly = at.dataframe[0].value  # the table under the group chart
    summary = views.read_store(constructed_db, facts=False)["adoption_summary"]
    timeline = measures.adoption_timeline(summary, geo.load_councils())
    last = yearly[yearly["Unit"].eq("England")].iloc[-1]  # the chart's table names its columns in words
    assert last["Period"] == str(max(date.today().year, timeline["placed"].max().year))
    assert last["Numerator"] == timeline["placed"].notna().sum() and last["Denominator"] == 317


def test_practice_is_points_with_intervals_on_an_axis_from_the_first_notice_period():
    at = open_page("trends")
    practice = spec(at.get("plotly_chart")[2])
    table = at.dataframe[PRACTICE_TABLE].value
    first = sorted(table["Period"])[0]
    start = pd.Timestamp(practice["layout"]["xaxis"]["range"][0])
    # from the first quarter with notices (a little before it), not from 2013
    assert period_start(pd.Series([first])).iloc[0] - pd.Timedelta(days=100) < start <= \
        period_start(pd.Series([first])).iloc[0]
    traces = [t for t in practice["data"] if t.get("showlegend") is not False]
    assert {t["name"] for t in traces} >= {"Metropolitan", "England"}
    # points with their interval as error bars; no line joins quarters years apart
    assert all(t["mode"] == "markers" and "error_y" in t for t in practice["data"])
    captions = " ".join(c.value for c in at.caption)
    assert "line chart" not in captions.lower() and "error bar" in captions


def test_practice_opens_by_quarter_and_the_step_changes_series_and_url():
    at = open_page("trends")
    assert at.selectbox(key="trend_step").value == "quarter"  # Find a Tender's criteria start in 2025Q1
    n_quarter = len(at.dataframe[PRACTICE_TABLE].value)
    at.selectbox(key="trend_step").select("year").run()
    assert not at.exception
    assert len(at.dataframe[PRACTICE_TABLE].value) < n_quarter
    assert at.query_params["period_type"] == "year"


def test_trend_params_round_trip():
    at = open_page("trends", {"measure": "sv_applied_share_all", "period_type": "quarter", "period": "2025Q4"})
    assert not at.exception
    assert at.selectbox(key="trend_measure").value == "sv_applied_share_all"
    assert at.query_params["measure"] == "sv_applied_share_all"
