"""The filter model: URL round trip, allow-lists, and the rows it selects."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, strategies as st

from svdash.filters import (GEOGRAPHIES, Filters, apply, from_params, measure_ids, measure_registry,
                            select_councils, valid_period)
from svdash.geo import COUNCIL_TYPES, GROUP_ORDER, REGION_ORDER, load_councils

MEASURES = measure_ids()


def test_default_filters_have_empty_params_and_round_trip():
    assert Filters().to_params() == {}
    assert from_params({}) == (Filters(), [])


@given(
    measure=st.sampled_from(MEASURES), geography=st.sampled_from(GEOGRAPHIES),
    period=st.sampled_from([("all", "all"), ("year", "2013"), ("year", "2025"), ("quarter", "2021Q1"),
                            ("quarter", "2024Q4")]),
    region=st.sampled_from(["", *REGION_ORDER]), council_type=st.sampled_from(["", *COUNCIL_TYPES]),
    group=st.sampled_from(["", *GROUP_ORDER]), council=st.sampled_from(["", "E07000008", "E10000003"]),
)
def test_every_allowed_filter_round_trips_through_params(measure, geography, period, region, council_type, group,
                                                         council):
    flt = Filters(measure=measure, geography=geography, period_type=period[0], period=period[1], region=region,
                  council_type=council_type, group=group, council=council)
    params = flt.to_params()
    assert all(isinstance(v, str) for v in params.values())
    assert from_params(params) == (flt, [])


@pytest.mark.parametrize("key,junk", [
    ("measure", "DROP TABLE measure_values"), ("geography", "world"), ("period_type", "decade"),
    ("region", "Scotland"), ("council_type", "parish"), ("group", "suburban"), ("council", "javascript:alert(1)"),
    ("council", "S12000033"),
])
def test_allow_lists_reject_junk_and_fall_back_to_default(key, junk):
    flt, rejected = from_params({key: junk})
    assert rejected == [key]
    assert getattr(flt, key) == getattr(Filters(), key)


@pytest.mark.parametrize("ptype,period", [("year", "2012"), ("year", "20x4"), ("quarter", "2024Q5"),
                                          ("quarter", "2024"), ("all", "2024")])
def test_bad_periods_fall_back_to_all(ptype, period):
    flt, rejected = from_params({"period_type": ptype, "period": period})
    assert (flt.period_type, flt.period) == ("all", "all")
    assert "period" in rejected


def test_repeated_params_use_the_last_value_and_long_values_are_cut():
    flt, rejected = from_params({"region": ["London", "East of England"], "measure": "x" * 10_000})
    assert flt.region == "East of England"
    assert rejected == ["measure"]


def test_valid_period_bounds():
    assert valid_period("year", "2013") and not valid_period("year", "2012")
    assert valid_period("quarter", "2013Q1") and not valid_period("quarter", "2013Q0")


def test_registry_is_read_with_caveat_texts():
    reg = {m["id"]: m for m in measure_registry()}
    assert "sv_applied_share" in reg
    assert all(isinstance(t, str) and len(t) > 20 for t in reg["sv_applied_share"]["caveat_texts"])


def test_select_councils_and_apply_use_the_geography_filters():
    councils = load_councils()
    east_rural = select_councils(Filters(region="East of England", group="rural"), councils)
    assert len(east_rural) > 0
    assert set(east_rural["region_name"]) == {"East of England"} and set(east_rural["comparison_group"]) == {"rural"}
    # constructed values: two councils, one in the East of England
    values = pd.DataFrame({"level": "council", "unit_code": ["E07000008", "E09000001"], "period_type": "all",
                           "period": "all", "measure_id": "sv_applied_share", "value": [0.5, 0.2]})
    rows = apply(Filters(measure="sv_applied_share", region="East of England"), values, councils)
    assert rows["unit_code"].tolist() == ["E07000008"]
