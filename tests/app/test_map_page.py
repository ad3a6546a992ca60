"""AppTest: Map page on the constructed store."""
from __future__ import annotations

import json

from tests.app.conftest import open_page


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_map_renders_offline_choropleth_with_low_n_legend():
    at = open_page("map")
    assert not at.exception
    chart = at.get("plotly_chart")[0]
    assert "topojsonURL" in chart.proto.config
    assert "Too few procurements" in chart.proto.spec
    assert metrics(at)["Councils shown"] == "296"


def test_region_filter_changes_numbers_and_url():
    at = open_page("map")
    before = metrics(at)
    at.selectbox(key="map_region").select("East of England").run()
    assert not at.exception
    after = metrics(at)
    assert after["Councils shown"] == "45" and after != before
    assert at.query_params["region"] == "East of England"


def test_query_params_reproduce_the_view():
    params = {"measure": "sv_dismissed_share", "geography": "upper", "period_type": "year", "period": "2023",
              "group": "rural"}
    at = open_page("map", params)
    assert not at.exception
    assert at.selectbox(key="map_measure").value == "sv_dismissed_share"
    assert at.selectbox(key="map_geography").value == "upper"
    assert at.select_slider(key="map_period_year").value == "2023"
    assert {k: at.query_params[k] for k in params} == params  # written back unchanged
    assert "2023" in at.get("plotly_chart")[0].proto.spec


def test_junk_params_fall_back_with_a_note():
    at = open_page("map", {"region": "<script>", "period_type": "year", "period": "1066"})
    assert not at.exception
    assert metrics(at)["Councils shown"] == "296"
    assert any("Ignored unrecognised" in c.value for c in at.caption)


def test_hex_and_selected_council_link():
    at = open_page("map", {"geography": "hex", "council": "E07000008"})
    assert not at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    drawn = [f["id"] for t in spec["data"] for f in t["geojson"]["features"]]
    assert len(drawn) == 296 and all(len(f["geometry"]["coordinates"][0]) == 7  # six corners, closed
                                     for t in spec["data"] for f in t["geojson"]["features"])
    links = at.get("page_link")
    assert any("Cambridge" in l.proto.label for l in links)
