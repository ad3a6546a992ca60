"""AppTest on a CONSTRUCTED store whose notice measures are empty council by council everywhere (regions and
comparison groups have data) and which has no record-based measures: no page may open on an empty map or a
table of blanks. Pages open on the pooled view with a message; a link naming a council-level view says there
is too little data and offers the pooled views in one click."""
from __future__ import annotations

import pytest

from tests.app.conftest import array, metrics, open_page, spec


@pytest.fixture(autouse=True)
def _thin(thin_db, monkeypatch):
    monkeypatch.setenv("SVDASH_DB", str(thin_db))


def _regions_drawn(at) -> list[str]:
    return [loc for t in spec(at.get("plotly_chart")[0])["data"] if t["type"] == "choropleth"
            for loc in array(t["locations"])]


def test_map_opens_on_regions_with_the_reason():
    at = open_page("map")
    assert not at.exception
    assert any("No measure in this store has enough data council by council" in i.value for i in at.info)
    assert at.selectbox(key="map_geography").value == "region"
    assert len(_regions_drawn(at)) == 9
    assert metrics(at)["Regions shown"] == "9" and metrics(at)["With a value (n ≥ 10)"] != "0"
    assert at.query_params["geography"] == "region"  # the link reproduces what is shown


@pytest.mark.parametrize("page, key", [("compare", "cmp"), ("data", "data")])
def test_tables_open_on_regions_not_on_blanks(page, key):
    at = open_page(page)
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 9 and table.filter(like="Value").iloc[:, 0].notna().any()
    assert at.selectbox(key=f"{key}_geography").value == "region"


def test_a_council_view_in_a_link_says_too_little_data_and_pools_in_one_click():
    at = open_page("map", {"measure": "sv_applied_share", "geography": "lower"})
    assert not at.exception
    assert any(i.value.startswith("**Too little council-level data for this measure:** 0 councils")
               for i in at.info)
    at.button(key="map_pool_region").click().run()
    assert not at.exception
    assert at.selectbox(key="map_geography").value == "region" and len(_regions_drawn(at)) == 9
    at2 = open_page("compare", {"measure": "sv_applied_share"})
    at2.button(key="cmp_pool_group").click().run()
    assert not at2.exception and len(at2.dataframe[0].value) == 3


@pytest.mark.parametrize("page", ["", "trends", "council", "findings", "method", "upload"])
def test_other_pages_open_without_an_empty_chart(page):
    at = open_page(page)
    assert not at.exception
    for chart in at.get("plotly_chart"):
        data = spec(chart)["data"]
        assert any(array(t.get("locations")) or array(t.get("x")) or array(t.get("y")) for t in data), "empty chart"


def test_when_even_pooled_units_lack_data_a_measure_that_has_data_is_offered(tmp_path, monkeypatch):
    from svdash import views
    from tests.app.constructed_store import build_constructed_store, thin_measure_values

    mv = thin_measure_values()
    dismissed = mv["measure_id"].eq("sv_dismissed_share")
    mv.loc[dismissed, ["numerator", "denominator"]] = 0  # CONSTRUCTED: no unit at any level has this one
    mv.loc[dismissed, ["value", "ci_low", "ci_high"]] = float("nan")
    mv.loc[dismissed, "low_n"] = True
    db = build_constructed_store(tmp_path / "bare.duckdb", measure_values=mv)
    monkeypatch.setenv("SVDASH_DB", str(db))
    at = open_page("map", {"measure": "sv_dismissed_share", "geography": "lower"})
    assert not at.exception
    assert any("Even added together per region or comparison group no unit reaches" in i.value for i in at.info)
    assert [b.key for b in at.button] == ["map_pool_other"]  # no pooled button that would show nothing
    at.button(key="map_pool_other").click().run()
    assert not at.exception
    want = views.choose_default(views.data_summary(mv))
    assert (at.selectbox(key="map_measure").value, at.selectbox(key="map_geography").value) == want
    assert want[1] == "region" and len(_regions_drawn(at)) == 9
