"""AppTest: Map page on the constructed store: the headline category map, kinds of legend and cards, filters."""
from __future__ import annotations

import pandas as pd

from svdash import views
from svdash.filters import measure_def
from ui import widgets
from tests.app.conftest import array, categories_drawn, metrics, open_page, spec


def test_default_is_the_category_map_with_a_legend_entry_per_category(constructed_db):
    at = open_page("map")
    assert not at.exception
    chart = at.get("plotly_chart")[0]
    assert "topojsonURL" in chart.proto.config
    values = views.read_store(constructed_db, facts=False)["measure_values"]
    lower = views.map_units("lower")["gss_code"]
    cats = values[values["measure_id"].eq("adoption_evidence") & values["level"].eq("council")
                  & values["unit_code"].isin(lower)].set_index("unit_code")["category"]
    names = [t["name"] for t in spec(chart)["data"] if t.get("showlegend") is not False]
    categories = measure_def("adoption_evidence")["categories"]
    for c in categories:  # every category has its legend entry, with its count
        n = int(cats.eq(c["id"]).sum())
        assert f"{c['label']} ({n})" in names
    drawn = categories_drawn(spec(chart), categories)
    assert len(drawn) == 296 and drawn == cats.to_dict()  # each council in its own category's colour
    shown = metrics(at)
    every = values[values["measure_id"].eq("adoption_evidence") & values["level"].eq("council")
                   & values["period_type"].eq("all")].set_index("unit_code")["category"]
    assert shown["Councils counted"] == "317"  # the lower tier on the map + the county outlines
    # one card per category, no council counted twice: the cards add up to the total
    assert [int(shown[widgets.CARD_LABELS[c["id"]]]) for c in categories] == \
        [int(every.eq(c["id"]).sum()) for c in categories]
    assert sum(int(shown[widgets.CARD_LABELS[c["id"]]]) for c in categories) == 317
    text = " ".join(c.value for c in at.caption)
    assert f"**With evidence of adoption: {int(every.ne('unknown').sum())}**" in text
    assert f"of which {int(every.eq('developing').sum())} with a policy in development" in text
    assert "With a value (n ≥ 10)" not in shown  # a category measure has no n per council


def test_county_councils_are_outlines_on_the_lower_tier_map(constructed_db):
    at = open_page("map")
    data = spec(at.get("plotly_chart")[0])["data"]
    outlines = [t for t in data if t["type"] == "scattergeo" and t.get("mode") == "lines"]
    values = views.read_store(constructed_db, facts=False)["measure_values"]
    counties = values[values["measure_id"].eq("adoption_evidence") & values["level"].eq("council")
                      & values["unit_code"].str.startswith("E10")]
    found = counties[counties["category"].ne("unknown")]
    assert sum(int(t["name"].rsplit("(", 1)[1].rstrip(")")) for t in outlines) == len(found)
    assert any("county councils" in c.value for c in at.caption)


def test_binary_measure_gets_yes_no_legend_and_cards_not_n():
    at = open_page("map", {"measure": "adoption_recorded_share"})
    assert not at.exception
    labels = measure_def("adoption_recorded_share")["binary_labels"]
    names = " ".join(t.get("name", "") for t in spec(at.get("plotly_chart")[0])["data"])
    assert labels["with"] in names and labels["without"] in names
    shown = metrics(at)
    assert labels["with"] in shown and not any(k.startswith("With a value") for k in shown)


def test_share_measure_keeps_low_n_grey_and_solid_cards():
    at = open_page("map", {"measure": "sv_applied_share_all"})
    assert not at.exception
    assert "Too few procurements" in at.get("plotly_chart")[0].proto.spec
    assert "With a value (n ≥ 10)" in metrics(at)


def test_region_filter_changes_numbers_and_url():
    at = open_page("map")
    before = metrics(at)
    at.selectbox(key="map_region").select("East of England").run()
    assert not at.exception
    after = metrics(at)
    # 45 lower-tier councils and the 5 county councils of the East of England: 50, as Findings counts them
    assert after["Councils counted"] == "50" and after != before
    assert sum(int(after[label]) for label in widgets.CARD_LABELS.values()) == 50
    assert at.query_params["region"] == "East of England"
    assert "East of England" in at.get("plotly_chart")[0].proto.spec  # the title names it (the benchmark waits for it)


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
    assert metrics(at)["Councils counted"] == "317"
    assert any("Ignored unrecognised" in c.value for c in at.caption)


def test_hex_and_selected_council_link():
    at = open_page("map", {"geography": "hex", "council": "E07000008"})
    assert not at.exception
    data = spec(at.get("plotly_chart")[0])["data"]
    feats = [f for t in data if t["type"] == "choropleth" for f in t["geojson"]["features"]]
    assert len(feats) == 296 and all(len(f["geometry"]["coordinates"][0]) == 7 for f in feats)  # six corners, closed
    assert any(e.label.startswith("County councils (21)") for e in at.expander)  # not hexes: listed
    links = at.get("page_link")
    assert any("Cambridge" in link.proto.label for link in links)


def test_pooled_region_view_draws_nine_regions_with_their_values(constructed_db):
    at = open_page("map", {"measure": "sv_applied_share_all", "geography": "region"})
    assert not at.exception
    data = spec(at.get("plotly_chart")[0])["data"]
    drawn = [loc for t in data if t["type"] == "choropleth" for loc in array(t["locations"])]
    assert len(drawn) == 9 and all(code.startswith("E12") for code in drawn)
    table = at.dataframe[0].value  # the table twin: one row per region
    assert len(table) == 9 and "Region" in table.columns
    values = views.read_store(constructed_db, facts=False)["measure_values"]
    cell = values[values["measure_id"].eq("sv_applied_share_all") & values["level"].eq("region")
                  & values["period"].eq("all") & values["unit_name"].eq("London")].iloc[0]
    got = table.set_index("Region").loc["London", "Value (%)"]
    assert pd.isna(cell["value"]) and pd.isna(got) or round(cell["value"] * 100, 1) == got
