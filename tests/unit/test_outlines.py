"""Map outlines simplified for the size they are drawn (svdash/outlines.py, issue 22): every council, county and
region stays, valid and clockwise; neighbours keep one shared border; the map's extent is unchanged; the stored
simplification is the code's own output and a stale one is not used; constructed shapes show the shared-line and
small-island rules."""
from __future__ import annotations

import json

import numpy as np
import pytest
import shapely
from shapely.geometry import shape

from svdash import geo, outlines

ENGLAND = outlines.DETAILS["england"]
PX = 0.0118  # one pixel of the Overview's England map, in degrees of latitude (its finest, in the south)


def _polys(geometry: dict) -> list:
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


def _shapes(fc: dict) -> np.ndarray:
    return np.array([shape(f["geometry"]) for f in fc["features"]])


@pytest.mark.parametrize("detail", [None, "england"])
@pytest.mark.parametrize("layer,n", [("lad", 296), ("utla", 153), ("region", 9)])
def test_every_unit_stays_valid_and_clockwise(detail, layer, n):
    full = getattr(geo, f"{layer}_geojson")()
    simple = getattr(geo, f"{layer}_geojson")(detail=detail)
    assert [f["id"] for f in simple["features"]] == [f["id"] for f in full["features"]] and len(full["features"]) == n
    for f in simple["features"]:
        g = shape(f["geometry"])
        assert g.is_valid and not g.is_empty and g.area > 0, f["id"]
        for poly in _polys(f["geometry"]):
            assert geo._ring_area2(poly[0]) < 0, f"outer ring not clockwise: {f['id']}"  # d3 draws it right side out
            assert all(geo._ring_area2(hole) > 0 for hole in poly[1:]), f"hole not counter-clockwise: {f['id']}"
            assert all(ring[0] == ring[-1] and len(ring) >= 4 for ring in poly)


def test_england_level_moves_no_line_more_than_about_a_pixel_and_keeps_the_extent():
    full, simple = _shapes(geo.lad_geojson()), _shapes(geo.lad_geojson(detail="england"))
    assert shapely.get_num_coordinates(simple).sum() < 0.4 * shapely.get_num_coordinates(full).sum()
    # islets under a pixel are left out (never a council's largest part); every other line moves ≤ tolerance
    # (in longitude 1/cos(52.5°) more, as Mercator draws a degree of longitude narrower)
    kept = [shapely.intersection(f, s.buffer(3 * PX)).area / f.area for f, s in zip(full, simple)]
    assert min(kept) > 0.97
    moved = max(shapely.distance(shapely.points(shapely.get_coordinates(s)), f.boundary).max()
                for f, s in zip(full, simple))
    assert moved <= ENGLAND.tolerance / outlines.LON_SCALE + 0.0005  # + the rounding to 0.001
    # plotly fits the map to the outlines' bounds: the same bounds, so England is drawn at the same size
    assert np.allclose(shapely.total_bounds(simple), shapely.total_bounds(full), atol=0.001)
    # the small councils are still there at their size (City of London ≈ 2 × 1 px, the Isles of Scilly)
    by_id = dict(zip([f["id"] for f in geo.lad_geojson()["features"]], zip(full, simple)))
    for code in ("E09000001", "E06000053"):
        f, s = by_id[code]
        assert 0.6 < s.area / f.area < 1.4 and s.centroid.distance(f.centroid) < PX


def test_neighbours_share_one_border_no_visible_gap_or_overlap():
    simple = _shapes(geo.lad_geojson(detail="england"))
    # shared borders are simplified once, for both sides: councils tile England as before, give or take lines
    # across estuaries simplified on each bank (overlaps well under a pixel in all)
    union = shapely.union_all(simple).area
    assert abs(shapely.area(simple).sum() - union) * outlines.LON_SCALE < PX * PX  # in square pixels: < 1
    assert abs(union - shapely.union_all(_shapes(geo.lad_geojson())).area) < 0.01 * union
    # a county's outline runs on its districts' borders: every corner of Kent's outline is a corner of one of
    # its 12 districts (the county's lines are the districts' lines, simplified once)
    kent = next(f for f in geo.utla_geojson(detail="england")["features"] if f["id"] == "E10000016")
    codes = set(geo.load_lads().query("utla_code == 'E10000016'")["lad_code"])
    corners = {tuple(p) for f in geo.lad_geojson(detail="england")["features"] if f["id"] in codes
               for poly in _polys(f["geometry"]) for ring in poly for p in ring}
    outline = {tuple(p) for poly in _polys(kent["geometry"]) for ring in poly for p in ring}
    assert len(codes) == 12 and outline <= corners


def test_the_stored_simplification_is_the_code_s_own_output():
    # data/geo/outlines_simplified_england.json is generated (`python -m svdash.outlines`) so the first map does not
    # wait ≈ 0.6 s for it; it is used only when made from these outline files by this code version
    path = geo.stored_outlines_path(geo.GEO_DIR, "england")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["sources_key"] == geo._sources_key(geo.GEO_DIR, "england"), "regenerate: python -m svdash.outlines"
    assert doc["layers"] == json.loads(json.dumps(geo.simplify_outlines(geo.GEO_DIR, "england")))


def test_a_stale_stored_simplification_is_not_used(tmp_path):
    for file in ("england_lad_2024.geojson", "england_utla_2024.geojson", "england_regions.geojson"):
        (tmp_path / file).write_bytes((geo.GEO_DIR / file).read_bytes())
    stale = {"sources_key": "made from other files", "layers": {"lad": {"type": "FeatureCollection", "features": []}}}
    geo.stored_outlines_path(tmp_path, "england").write_text(json.dumps(stale), encoding="utf-8")
    assert len(geo.lad_geojson(tmp_path, detail="england")["features"]) == 296  # computed, not the stale file


def _square_pair(wiggles: int) -> list[dict]:
    """CONSTRUCTED: a 1 × 2 rectangle and a unit square beside it whose shared border wiggles by 0.001 (well
    under the tolerance), and a tiny islet of the square's council in the bay above it (inside the map's bounds)."""
    border = [(1.0 + (0.001 if k % 2 else 0.0), k / wiggles) for k in range(wiggles + 1)]
    left = [(0.0, 0.0)] + border + [(1.0, 2.0), (0.0, 2.0), (0.0, 0.0)]
    right = [border[0], (2.0, 0.0), (2.0, 1.0)] + border[::-1]
    islet = [(1.5, 1.5), (1.5, 1.5004), (1.5004, 1.5004), (1.5, 1.5)]
    as_list = lambda ring: [list(p) for p in ring]  # noqa: E731
    return [{"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "L", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [as_list(left)]}},
        {"type": "Feature", "id": "R", "properties": {},
         "geometry": {"type": "MultiPolygon", "coordinates": [[as_list(right)], [as_list(islet)]]}}]}]


def test_constructed_shared_border_is_simplified_once_for_both_sides():
    [fc] = outlines.simplify_layers(_square_pair(40), outlines.Detail(0.01, 4))
    left, right = (shape(f["geometry"]) for f in fc["features"])
    assert left.is_valid and right.is_valid
    # the wiggles are gone (five corners, the border's ends among them, + the closing point) and both sides
    # keep the same straight border: no gap, no overlap
    assert len(fc["features"][0]["geometry"]["coordinates"][0]) == 6
    assert shapely.intersection(left, right).area == 0 and np.isclose(left.area + right.area, 3.0, atol=1e-9)
    # the islet, under the rounding, is kept with more decimals rather than dropped
    islet = fc["features"][1]["geometry"]["coordinates"][1][0]
    assert len({tuple(p) for p in islet}) >= 3


def test_constructed_islet_under_a_pixel_is_left_out_only_where_asked():
    detail = outlines.Detail(0.01, 4, drop_specks=True)
    [fc] = outlines.simplify_layers(_square_pair(4), detail)
    right = fc["features"][1]["geometry"]
    # the islet is under (0.01)² and not the feature's largest part: left out; the square stays
    assert right["type"] == "Polygon" and np.isclose(shape(right).area, 1.0, atol=0.002)
    [kept] = outlines.simplify_layers(_square_pair(4), outlines.Detail(0.01, 4))
    assert kept["features"][1]["geometry"]["type"] == "MultiPolygon"
