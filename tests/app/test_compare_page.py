"""AppTest: Compare / league table on the constructed store."""
from __future__ import annotations

from tests.app.conftest import open_page


def test_league_table_sorted_with_rank_in_group():
    at = open_page("compare")
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 296
    vals = table["Value (%)"].dropna().tolist()
    assert vals == sorted(vals, reverse=True)
    assert "Rank in comparison group" in table.columns


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
    import re

    at = open_page("compare")
    table = at.dataframe[0].value
    text = next(m.value for m in at.markdown if "councils," in m.value)
    n_val, n_solid = map(int, re.search(r"([\d,]+) with a value, ([\d,]+) of them with n ≥", text).groups())
    assert n_val == table["Value (%)"].notna().sum()
    assert n_solid == table["Rank in comparison group"].notna().sum() <= n_val
