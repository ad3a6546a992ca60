"""AppTest: Compare / league table on the constructed store: headline by category, ranks first for shares,
full names, units (no map units picker), pooled rows."""
from __future__ import annotations

import re

from svdash import views
from svdash.filters import measure_def
from tests.app.conftest import open_page


def test_default_lists_councils_by_evidence_category_strongest_first(constructed_db):
    at = open_page("compare")
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 317  # the councils the headline counts, county councils included
    assert list(table.columns[:2]) == ["Council", "Evidence of adoption"]
    cats = measure_def("adoption_evidence")["categories"]
    order = [c["label"] for c in cats]
    ranks = table["Evidence of adoption"].map(order.index).tolist()
    assert ranks == sorted(ranks)  # strongest evidence first
    values = views.read_store(constructed_db, facts=False)["measure_values"]
    every = views.table_units("lower")["gss_code"]
    cell = values[values["measure_id"].eq("adoption_evidence") & values["level"].eq("council")
                  & values["unit_code"].isin(every)]
    assert (table["Evidence of adoption"] != cats[-1]["label"]).sum() == cell["category"].ne("unknown").sum()


def test_no_map_units_picker_and_no_hex_where_no_map_is_drawn():
    at = open_page("compare", {"geography": "hex"})
    assert not at.exception
    labels = [s.label for s in at.selectbox]
    assert "Map units" not in labels and "Units" in labels
    assert "hex" not in at.selectbox(key="cmp_geography").options
    assert at.selectbox(key="cmp_geography").value == "lower"


def test_share_table_sorted_with_rank_columns_first_and_full_names():
    at = open_page("compare", {"measure": "sv_applied_share_all"})
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table.columns[:3]) == ["Rank in comparison group", "Ranked in group (not low n)", "Council"]
    vals = table["Value (%)"].dropna().tolist()
    assert vals == sorted(vals, reverse=True)
    assert "Basingstoke and Deane" in set(table["Council"])  # the full name, not cut


def test_filter_changes_rows_and_params_round_trip():
    at = open_page("compare", {"council_type": "London borough"})
    assert not at.exception
    assert len(at.dataframe[0].value) == 33
    at.selectbox(key="cmp_group").select("metropolitan").run()
    assert at.query_params["group"] == "metropolitan" and at.query_params["council_type"] == "London borough"
    at.selectbox(key="cmp_type").select("All").run()
    assert len(at.dataframe[0].value) == 69


def test_summary_counts_values_and_the_solid_ones_the_ranks_use():
    # "2 with a value" beside a map saying "0 with n ≥ 10" read as a contradiction: both counts are given
    at = open_page("compare", {"measure": "sv_applied_share"})
    table = at.dataframe[0].value
    text = next(m.value for m in at.markdown if "councils," in m.value)
    n_val, n_solid = map(int, re.search(r"([\d,]+) with a value, ([\d,]+) of them with n ≥", text).groups())
    assert n_val == table["Value (%)"].notna().sum()
    assert n_solid == table["Rank in comparison group"].notna().sum() <= n_val


def test_pooled_regions_are_ranked_against_each_other():
    at = open_page("compare", {"measure": "sv_applied_share_all", "geography": "region"})
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 9 and table.columns[0] == "Rank" and "Region" in table.columns
    ranks = table["Rank"].dropna().astype(int).tolist()
    assert ranks == sorted(ranks) and (not ranks or ranks[0] == 1)
