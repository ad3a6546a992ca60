"""AppTest: Trends page (group lines and regional small multiples) on the constructed store."""
from __future__ import annotations

import json

from tests.app.conftest import open_page


def test_trends_render_with_bands_and_milestones():
    at = open_page("trends")
    assert not at.exception
    charts = at.get("plotly_chart")
    assert len(charts) == 2
    spec = json.loads(charts[0].proto.spec)
    assert len(spec["layout"]["shapes"]) == 3  # Act, PPN 06/20, Procurement Act
    assert {t.get("name") for t in spec["data"]} >= {"Metropolitan", "Rural", "England"}


def test_step_change_changes_series_and_url():
    at = open_page("trends")
    n_year = len(at.dataframe[0].value)
    at.selectbox(key="trend_step").select("quarter").run()
    assert not at.exception
    assert len(at.dataframe[0].value) > n_year
    assert at.query_params["period_type"] == "quarter"


def test_trend_params_round_trip():
    at = open_page("trends", {"measure": "sv_applied_share_all", "period_type": "quarter", "period": "2025Q4"})
    assert not at.exception
    assert at.selectbox(key="trend_measure").value == "sv_applied_share_all"
    assert at.query_params["measure"] == "sv_applied_share_all"
