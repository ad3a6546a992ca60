"""Reference layer: the counts ONS publishes for England at May 2024, and well-formed geometry."""
import pytest
from shapely.geometry import shape

from svdash import geo


@pytest.fixture(scope="module")
def lads():
    return geo.load_lads()


def test_296_lads_with_unique_codes(lads):
    assert len(lads) == 296
    assert lads["lad_code"].is_unique
    assert lads["lad_code"].str.match(r"^E0[6789]\d{6}$").all()


def test_nine_regions_and_every_lad_fully_described(lads):
    assert lads["region_name"].nunique() == 9
    assert set(lads["region_name"]) == set(geo.REGION_ORDER)
    for col in ["lad_name", "region_code", "utla_code", "utla_name", "council_type", "ruc21_code", "comparison_group"]:
        assert lads[col].notna().all() and lads[col].astype(str).str.len().gt(0).all(), col


def test_69_metropolitan_is_36_districts_plus_33_london_boroughs(lads):
    metro = lads[lads["metropolitan"]]
    assert len(metro) == 69
    assert metro["council_type"].value_counts().to_dict() == {"metropolitan district": 36, "London borough": 33}
    assert (lads["comparison_group"] == "metropolitan").sum() == 69


def test_comparison_groups_follow_ruc_for_non_metropolitan(lads):
    non_metro = lads[~lads["metropolitan"]]
    assert ((non_metro["urban_rural"] == "Rural") == (non_metro["comparison_group"] == "rural")).all()
    assert lads["comparison_group"].value_counts().to_dict() == {"other urban": 148, "rural": 79, "metropolitan": 69}


def test_upper_tier_has_21_counties_and_each_county_a_group():
    utlas = geo.load_utlas()
    assert len(utlas) == 153
    counties = utlas[utlas["utla_type"] == "county"]
    assert len(counties) == 21
    groups = counties.set_index("utla_name")["comparison_group"]
    assert groups["Devon"] == "rural"            # 7 of 8 districts rural
    assert groups["Surrey"] == "other urban"     # 0 of 11 rural
    assert groups["Derbyshire"] in {"rural", "other urban"}  # 4-4 tie broken by mean RUC rank


def test_councils_cover_both_tiers():
    c = geo.load_councils()
    assert len(c) == 296 + 21 and c["gss_code"].is_unique
    assert (c.loc[c["gss_code"].str.startswith("E10"), "tier"] == "upper").all()
    assert (c.loc[c["gss_code"].str.startswith("E07"), "tier"] == "lower").all()
    assert (c.loc[c["gss_code"].str.match("E0[689]"), "tier"] == "both").all()


def test_code_history_maps_retired_codes_to_today():
    assert geo.current_codes("E07000007") == ["E06000060"]    # Wycombe → Buckinghamshire (2020)
    assert geo.current_codes("E08000025") == ["E08000025"]    # Birmingham, current
    assert geo.current_codes("E10000027") == ["E06000066"]    # Somerset County → Somerset Council (2023)
    assert geo.current_codes("E99999999") == []


def test_geometry_valid_and_rings_clockwise_for_plotly():
    fc = geo.lad_geojson()
    assert len(fc["features"]) == 296
    assert {f["id"] for f in fc["features"]} == set(geo.load_lads()["lad_code"])
    for f in fc["features"]:
        assert shape(f["geometry"]).is_valid, f["id"]
        polys = [f["geometry"]["coordinates"]] if f["geometry"]["type"] == "Polygon" else f["geometry"]["coordinates"]
        for rings in polys:
            assert geo._ring_area2(rings[0]) < 0, f"outer ring not clockwise: {f['id']}"


def test_clockwise_flips_a_counter_clockwise_square():
    ccw = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [ccw]}}]}
    out = geo.clockwise_geojson(fc)["features"][0]["geometry"]["coordinates"][0]
    assert geo._ring_area2(out) < 0 and geo._ring_area2(ccw) > 0


def test_hex_layout_covers_every_lad():
    hexes = geo.load_hex()
    assert set(hexes["lad_code"]) == set(geo.load_lads()["lad_code"])
    assert not hexes[["q", "r"]].duplicated().any()  # one cell per council


def test_hex_outline_tiles_exactly_with_clockwise_rings():
    hexes = geo.load_hex()
    fc = geo.hex_geojson(hexes)
    assert [f["id"] for f in fc["features"]] == list(hexes["lad_code"])
    rings = {f["id"]: f["geometry"]["coordinates"][0] for f in fc["features"]}
    assert all(len(r) == 7 and r[0] == r[-1] and geo._ring_area2(r) < 0 for r in rings.values())  # d3: clockwise
    # neighbours share an edge: in a row (same r) the right edge of one is the left edge of the next, and
    # between rows the lower-left edge of a hex is the upper-right edge of the one below and to its left
    pos = {(q, r): code for code, q, r in zip(hexes["lad_code"], hexes["q"], hexes["r"])}
    corners = lambda code: {tuple(p) for p in rings[code][:6]}  # noqa: E731
    shared_in_row = shared_across_rows = 0
    for (q, r), code in pos.items():
        if (q + 1, r) in pos:
            assert len(corners(code) & corners(pos[q + 1, r])) == 2
            shared_in_row += 1
        below_left = (q - 1 + r % 2, r - 1)  # odd-r offset: odd rows sit half a hex to the right
        if below_left in pos:
            assert len(corners(code) & corners(pos[below_left])) == 2
            shared_across_rows += 1
    assert shared_in_row > 200 and shared_across_rows > 200
