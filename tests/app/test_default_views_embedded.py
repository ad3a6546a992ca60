"""AppTest on the real embedded snapshot (built into a temporary store, as a fresh clone's first run does): every
page's first view shows data. Expected figures come from the store and from data/adoption/adoption_records.csv,
never typed in, because the snapshot grows when more real notices are embedded."""
from __future__ import annotations

import pytest

from svdash import adoption, geo, measures, views
from svdash.filters import measure_def
from tests.app.conftest import categories_drawn, metrics, open_page, spec
from ui import widgets


@pytest.fixture(autouse=True)
def _embedded(embedded_db, monkeypatch):
    monkeypatch.setenv("SVDASH_DB", str(embedded_db))


@pytest.fixture(scope="module")
def store(embedded_db) -> dict:
    return views.read_store(embedded_db, facts=False)


def test_records_file_has_the_councils_the_issue_counts():
    # the 74 councils with adoption records (82 records) that the default map must colour at least
    summary = adoption.adoption_summary(adoption.load_embedded())
    assert len(summary) >= 74


def test_map_colours_every_council_with_a_record_by_category(store):
    at = open_page("map")
    assert not at.exception
    figure = spec(at.get("plotly_chart")[0])
    data = figure["data"]
    drawn = categories_drawn(figure, measure_def("adoption_evidence")["categories"])
    coloured = {code for code, cat in drawn.items() if cat != "unknown"}
    outlined = sum(int(t["name"].rsplit("(", 1)[1].rstrip(")")) for t in data
                   if t["type"] == "scattergeo" and t.get("mode") == "lines")
    with_record = set(store["adoption_summary"]["gss_code"])
    lower = set(views.map_units("lower")["gss_code"])
    assert with_record & lower <= coloured  # every lower-tier council with a record has its colour
    assert len(coloured) + outlined >= len(with_record) >= 74  # and the county councils their outline
    # the cards count the lower tier on the map and the county outlines: the first four categories are the
    # councils coloured plus the counties outlined in a category's colour
    shown = metrics(at)
    found = sum(int(shown[widgets.CARD_LABELS[c]]) for c in ("both", "policy_only", "practice_only", "developing"))
    assert found == len(coloured) + outlined


def test_trends_draw_adoption_lines_for_the_three_groups_with_their_dated_steps(store):
    at = open_page("trends")
    assert not at.exception
    adoption_chart = spec(at.get("plotly_chart")[0])
    timeline = measures.adoption_timeline(store["adoption_summary"], geo.load_councils())
    steps = measures.undated_counts(timeline, geo.load_councils(), "comparison_group").set_index("unit")
    markers = {t["name"].lower(): len(t["x"]) for t in adoption_chart["data"] if t.get("mode") == "markers"}
    for group in geo.GROUP_ORDER:
        assert markers[group] == steps.loc[group, "n_steps"] > 0
    # ≥ 5 dated steps wherever the records have 5 dated councils (metropolitan and other urban do)
    assert sum(markers[g] >= 5 for g in geo.GROUP_ORDER) >= 2
    assert adoption_chart["layout"]["xaxis"]["range"][0] == "2013-01-01"
    practice = spec(at.get("plotly_chart")[2])
    assert any(t.get("y") for t in practice["data"])  # a practice series where notices exist


def test_compare_and_data_open_on_categories_not_blanks(store):
    with_record = len(set(store["adoption_summary"]["gss_code"]) & set(views.map_units("lower")["gss_code"]))
    for page in ("compare", "data"):
        at = open_page(page)
        assert not at.exception
        table = at.dataframe[0].value
        assert (table["Evidence of adoption"] != "No evidence found (unknown)").sum() >= with_record


def test_overview_findings_and_profile_lead_with_figures(store):
    values = store["measure_values"]
    at = open_page("")
    assert not at.exception
    eng = views.one_value(values, "adoption_evidence", "england", "England")
    assert any(f"**{int(eng['numerator'])} of {int(eng['denominator'])} English councils" in m.value
               for m in at.markdown)
    at = open_page("findings")
    assert not at.exception
    assert next(m.value for m in at.markdown if m.value.startswith("**")).startswith("**On the evidence of adoption")
    at = open_page("council", {"council": "E08000025"})
    assert not at.exception and len(at.get("plotly_chart")) == 1
