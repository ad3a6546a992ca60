"""Map outlines simplified and quantised for the size they are drawn.

The full-precision outlines are most of what the Overview sends to the browser (≈ 300 kB of the map's JSON) for a
map of England drawn about 480 px tall, where one pixel is ≈ 0.012° of latitude. Each boundary line between two
councils is simplified once (Douglas–Peucker on the shared arc, its ends kept), so neighbours still meet exactly:
no slivers or overlaps between councils, and a county's outline runs on its districts' borders. Distances are
measured in a plane where a degree of longitude is shrunk by cos(52.5°), as Mercator draws it at England's
latitude, so the tolerance is the same number of pixels in every direction. Every ring keeps at least three
corners (no council, island or hole is dropped); rings are re-oriented clockwise afterwards (see `svdash.geo`).
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

# Bump when a change here can change the simplified outlines: data/geo/outlines_simplified_*.json made by an older
# version are not used (and tests/unit/test_outlines.py asks for them to be regenerated).
OUTLINES_VERSION = "1"

# Mercator at England's mean latitude: a degree of longitude is drawn cos(52.5°) as wide as one of latitude.
LON_SCALE = math.cos(math.radians(52.5))


@dataclass(frozen=True)
class Detail:
    tolerance: float  # largest distance a simplified line may move, in degrees of latitude
    digits: int       # decimals kept
    drop_specks: bool = False  # leave out a feature's islands smaller than a pixel (never its largest part)


# England on the Overview and the Map page: a 640 px figure draws England (5.9° of latitude) ≈ 480 px tall,
# 1 px ≈ 0.0118–0.0135° (Mercator); lines move at most 0.015° (≈ 1.2 px), corners kept to 0.001° (≈ 0.1 px),
# islets under a pixel left out. Measured on the embedded data (1366 × 900, issue 22): the LAD outlines in the
# Overview's map are 101 kB at 0.015° (113 kB at 0.012°, 298 kB as embedded), and 0.16 % of the map's pixels
# differ from the embedded outlines' map (borders moved by a pixel). A region filter zooms in (London, the smallest region, is 0.4°
# drawn ≈ 560 px tall: 1 px ≈ 0.0007°): zoomed maps draw the embedded outlines, already about that fine
# (simplified to 0.0007° they were 4 % smaller).
DETAILS = {"england": Detail(0.015, 3, drop_specks=True)}

Ring = list[tuple[float, float]]


def _rings(geometry: dict[str, Any]) -> list[list[Ring]]:
    coords = geometry["coordinates"]
    polys = [coords] if geometry["type"] == "Polygon" else coords
    return [[[(float(x), float(y)) for x, y, *_ in ring] for ring in poly] for poly in polys]


def _area(ring: Ring) -> float:
    """Area of a ring in the isotropic plane (squared degrees of latitude)."""
    xy = np.asarray(ring)
    return abs(float(np.dot(xy[:-1, 0], xy[1:, 1]) - np.dot(xy[1:, 0], xy[:-1, 1]))) / 2 * LON_SCALE


def _without_specks(polys: list[list[Ring]], min_area: float, extremes: set) -> list[list[Ring]]:
    """A feature's polygons without the islands smaller than `min_area`; its largest polygon always stays, so
    does an islet at the map's edge (`extremes`: the map is fitted to the outlines' bounds), and a council of
    islets (the Isles of Scilly: largest part under 100 × `min_area`) keeps them all."""
    areas = [_area(poly[0]) for poly in polys]
    largest = int(np.argmax(areas))
    if areas[largest] < 100 * min_area:
        return polys
    return [poly for k, (poly, a) in enumerate(zip(polys, areas))
            if k == largest or a >= min_area or extremes & set(poly[0])]


def _open(ring: Ring) -> Ring:
    return ring[:-1] if len(ring) > 1 and ring[0] == ring[-1] else ring


def _edge(a, b) -> tuple:
    return (a, b) if a <= b else (b, a)


def _dp(points: Ring, tolerance: float, keep_one: bool = False) -> Ring:
    """Douglas–Peucker on an open line in the isotropic plane, both ends kept; `keep_one` keeps at least the
    corner farthest from the chord (so a ring of few arcs stays a ring). A closed line (first == last) is cut
    at its corner farthest from the start and each half simplified."""
    if len(points) <= 2:
        return points
    xy = np.asarray(points) * (LON_SCALE, 1.0)
    if points[0] == points[-1]:
        far = int(np.argmax(((xy - xy[0]) ** 2).sum(axis=1)))
        return _dp(points[:far + 1], tolerance, keep_one)[:-1] + _dp(points[far:], tolerance, keep_one)
    kept = shapely.get_coordinates(shapely.simplify(shapely.linestrings(xy), tolerance, preserve_topology=False))
    if keep_one and len(kept) == 2:
        line = shapely.linestrings(xy[[0, -1]])
        far = 1 + int(np.argmax(shapely.distance(shapely.points(xy[1:-1]), line)))
        kept = xy[[0, far, len(xy) - 1]]
    return [(x / LON_SCALE, y) for x, y in kept]


def _junctions(all_rings: list[Ring]) -> set:
    """Corners where a ring's neighbour changes (three councils meet, a coast begins): arcs end there."""
    users: dict[tuple, set[int]] = {}
    for i, ring in enumerate(all_rings):
        for a, b in zip(ring, ring[1:] + ring[:1]):
            users.setdefault(_edge(a, b), set()).add(i)
    ends = set()
    for ring in all_rings:
        n = len(ring)
        for k in range(n):
            before = frozenset(users[_edge(ring[k - 1], ring[k])])
            after = frozenset(users[_edge(ring[k], ring[(k + 1) % n])])
            if before != after:
                ends.add(ring[k])
    return ends


def _canonical(arc: Ring) -> tuple[tuple, bool]:
    rev = arc[::-1]
    return (tuple(arc), False) if tuple(arc) <= tuple(rev) else (tuple(rev), True)


def _closed_canonical(ring: Ring) -> tuple[tuple, bool]:
    """A ring without junctions (an island, or an enclave and the hole it fills) read the same way whichever
    ring it came from: from its smallest corner, in the direction whose second corner is smaller; closed."""
    k = ring.index(min(ring))
    fwd = ring[k:] + ring[:k]
    bwd = [fwd[0]] + fwd[1:][::-1]
    canon, flipped = (fwd, False) if fwd[1] <= bwd[1] else (bwd, True)
    return tuple(canon + canon[:1]), flipped


def _arcs(ring: Ring, ends: set) -> list[tuple[tuple, bool]]:
    """The ring as (canonical arc, read backwards?) pieces between its junctions."""
    cut = [k for k, p in enumerate(ring) if p in ends]
    if not cut:
        return [_closed_canonical(ring)]
    rotated = ring[cut[0]:] + ring[:cut[0]]
    idx = [k - cut[0] for k in cut] + [len(ring)]
    return [_canonical(rotated[s:e] + [rotated[e % len(ring)]]) for s, e in zip(idx, idx[1:])]


def _join(arcs: list[tuple[tuple, bool]], simple: dict) -> Ring:
    out: Ring = []
    for key, flipped in arcs:
        line = simple[key][::-1] if flipped else simple[key]
        out += line[:-1]
    return out


def _dedupe(ring: Ring) -> Ring:
    out = [p for k, p in enumerate(ring) if k == 0 or p != ring[k - 1]]
    while len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def _crossings(keys: set, simple, at) -> dict[tuple, list]:
    """Per simplified line of one feature: the places where it meets another of its lines other than at their
    ends, or crosses itself (GEOS names one place, `at`)."""
    keys = sorted(keys)
    lines = [shapely.linestrings(simple(k)) for k in keys]
    ends = [{tuple(simple(k)[0]), tuple(simple(k)[-1])} for k in keys]
    out: dict[tuple, list] = {}
    left, right = shapely.STRtree(lines).query(lines, predicate="intersects")
    for i, j in zip(left, right):
        if i >= j:
            continue
        inter = shapely.get_coordinates(shapely.intersection(lines[i], lines[j]))
        for x, y in inter:
            if (x, y) not in ends[i] | ends[j]:
                out.setdefault(keys[i], []).append((x, y))
                out.setdefault(keys[j], []).append((x, y))
    if at is not None:
        for k, line in zip(keys, lines):
            if not shapely.is_simple(line):
                out.setdefault(k, []).append(tuple(shapely.get_coordinates(at)[0]))
    return out


def _restore(keys: set, simple, at, ends: set, new_ends: set) -> bool:
    """Keep, as a junction, the dropped corner farthest from the simplified segment at each crossing of a
    feature's lines; False when there was none to keep."""
    added = False
    for key, places in _crossings(keys, simple, at).items():
        pts = np.asarray(key) * (LON_SCALE, 1.0)
        line = np.asarray(simple(key)) * (LON_SCALE, 1.0)
        idx = [int(np.argmin(((pts - q) ** 2).sum(axis=1))) for q in line]
        idx[-1] = len(pts) - 1  # a closed line ends where it starts
        for x, y in places:
            seg = [shapely.distance(shapely.points(x * LON_SCALE, y), shapely.linestrings(line[k:k + 2]))
                   for k in range(len(line) - 1)]
            for k in [k for k, d in enumerate(seg) if d <= min(seg) + 1e-9]:  # both segments of a crossing
                lo, hi = idx[k], idx[k + 1]
                if hi - lo < 2:
                    continue
                chord = shapely.linestrings(line[k:k + 2])
                far = lo + 1 + int(np.argmax(shapely.distance(shapely.points(pts[lo + 1:hi]), chord)))
                if key[far] not in ends:
                    ends.add(key[far])
                    new_ends.add(key[far])
                    added = True
    return added


def _where(reason: str):
    """The point GEOS names in an invalidity reason ("Self-intersection[0.14 53.6]"), or None."""
    m = re.search(r"\[(-?[0-9.e+-]+) (-?[0-9.e+-]+)", reason)
    return shapely.points(float(m.group(1)), float(m.group(2))) if m else None


def _polys(shapes: list, who: tuple[int, int], rings: list[Ring], idx: list[int]) -> list[list[Ring]]:
    """A feature's simplified polygons (lists of rings) from the flat ring list."""
    it = iter(idx)
    return [[rings[next(it)] for _ in poly] for poly in shapes[who[0]][who[1]]]


def _invalid(polys: list[list[Ring]]) -> str:
    """"" for a valid geometry, else GEOS's reason (with the place, where it names one)."""
    if any(len(r) < 3 for poly in polys for r in poly):
        return "ring with fewer than three corners"
    geom = shapely.MultiPolygon([shapely.Polygon(poly[0], poly[1:]) for poly in polys])
    return "" if shapely.is_valid(geom) else shapely.is_valid_reason(geom)


def _geometry(polys: list[list[Ring]]) -> dict[str, Any]:
    coords = [[[list(p) for p in ring + ring[:1]] for ring in poly] for poly in polys]
    return {"type": "Polygon", "coordinates": coords[0]} if len(coords) == 1 else \
        {"type": "MultiPolygon", "coordinates": coords}


def simplify_layers(layers: list[dict[str, Any]], detail: Detail, max_halvings: int = 5) -> list[dict[str, Any]]:
    """The FeatureCollections in `layers` (e.g. councils, counties, regions: outlines cut from one coverage)
    simplified together, so a line two layers share is simplified the same in both. Feature ids and
    properties are kept; geometry is Polygon or MultiPolygon with closed rings, re-oriented by the caller.
    Every feature comes out valid: where simplifying made it invalid, more corners are kept there (at worst
    its lines are not simplified)."""
    shapes = [[_rings(f["geometry"]) for f in fc["features"]] for fc in layers]
    if detail.drop_specks:
        corners = np.asarray([p for feats in shapes for polys in feats for poly in polys for p in poly[0]])
        extremes = {tuple(corners[np.argmin(corners[:, i])]) for i in (0, 1)} | \
            {tuple(corners[np.argmax(corners[:, i])]) for i in (0, 1)}
        shapes = [[_without_specks(polys, detail.tolerance ** 2, extremes) for polys in feats] for feats in shapes]
    flat = [_open(ring) for feats in shapes for polys in feats for poly in polys for ring in poly]
    ends = _junctions(flat)
    owner = [(li, fi) for li, feats in enumerate(shapes) for fi, polys in enumerate(feats)
             for poly in polys for _ in poly]
    level: dict[tuple, int] = {}   # arc → times its tolerance was halved
    finer: dict[tuple, int] = {}   # arc → decimals kept beyond detail.digits
    keep_one: set = set()          # arcs that keep their farthest corner
    memo: dict[tuple, Ring] = {}

    def simple(key: tuple) -> Ring:
        lv, one, more = level.get(key, 0), key in keep_one, finer.get(key, 0)
        if (key, lv, one, more) not in memo:
            tol = detail.tolerance / 2 ** lv if lv < max_halvings else 0.0
            digits = detail.digits + more + (2 if lv >= max_halvings else 0)
            memo[(key, lv, one, more)] = [(round(x, digits), round(y, digits))
                                          for x, y in _dp(list(key), tol, keep_one=one)]
        return memo[(key, lv, one, more)]

    at_corner: dict[tuple, set[int]] = {}  # corner → the rings through it
    for i, ring in enumerate(flat):
        for p in ring:
            at_corner.setdefault(p, set()).add(i)
    of_owner: dict[tuple, list[int]] = {}
    for i, who in enumerate(owner):
        of_owner.setdefault(who, []).append(i)
    pieces = [_arcs(ring, ends) for ring in flat]
    rings: list[Ring] = [[] for _ in flat]
    dirty = set(range(len(flat)))  # rings to rebuild
    pending: set = set()            # features to check
    checked: dict[tuple, tuple] = {}  # feature → (its rings when last checked, GEOS's reason or "")

    def through(keys: set) -> set[int]:  # the rings that use one of these arcs
        return {i for key in keys for i in at_corner[key[1]] if any(k == key for k, _ in pieces[i])}

    for _ in range(500):  # ends: each round keeps a corner or halves a tolerance, both bounded
        for i in dirty:
            rings[i] = _dedupe(_join(pieces[i], {key: simple(key) for key, _ in pieces[i]}))
        pending |= {owner[i] for i in dirty}
        # a ring left with fewer than three corners (a small island, a council between two junctions) keeps the
        # farthest corner of each of its arcs, in every ring that shares them; one still collapsed (an islet
        # smaller than the rounding) keeps those lines to one more decimal, then to two
        thin = {key for i in dirty if len(set(rings[i])) < 3 for key, _ in pieces[i]}
        if thin - keep_one:
            keep_one |= thin
            dirty = through(thin)
            continue
        if any(finer.get(key, 0) < 2 for key in thin):
            for key in thin:
                finer[key] = min(finer.get(key, 0) + 1, 2)
            dirty = through(thin)
            continue
        bad = {}
        for who in pending:
            polys = _polys(shapes, who, rings, of_owner[who])
            now = tuple(tuple(r) for poly in polys for r in poly)
            if checked.get(who, (None,))[0] != now:
                checked[who] = (now, _invalid(polys))
            if checked[who][1]:
                bad[who] = _where(checked[who][1])
        pending = set()
        if not bad:
            break
        # where a feature went wrong (two of its lines crossing, an island moved into its coast), the original
        # corner that simplifying dropped there is kept (a junction: both sides of a shared line keep it); where
        # none is left to keep, the lines there are simplified with half the tolerance
        new_ends: set = set()
        halved: set = set()
        for who, at in bad.items():
            keys = {key for i in of_owner[who] for key, _ in pieces[i]}
            if not _restore(keys, simple, at, ends, new_ends):
                for key in keys:
                    if at is None or shapely.distance(at, shapely.linestrings(simple(key))) <= 2 * detail.tolerance:
                        level[key] = min(level.get(key, 0) + 1, max_halvings)
                        halved.add(key)
        dirty = through(halved) | {i for p in new_ends for i in at_corner[p]}
        for i in dirty:
            pieces[i] = _arcs(flat[i], ends)
    feats = {who: _polys(shapes, who, rings, idx) for who, idx in of_owner.items()}
    return [{**fc, "features": [{**f, "geometry": _geometry(feats[(li, fi)])} for fi, f in enumerate(fc["features"])]}
            for li, fc in enumerate(layers)]


if __name__ == "__main__":  # regenerate data/geo/outlines_simplified_<detail>.json after a change to the outlines
    from svdash import geo

    for name in DETAILS:
        print(geo.write_stored_outlines(geo.GEO_DIR, name))
