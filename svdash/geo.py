"""The embedded reference layer: English councils, their geography and comparison groups.

Everything here is read from data/geo/ (copied from ../shared/data/geo, see data/SOURCES.md).
Functions are pure loaders; the UI caches them (svdash never imports streamlit).
"""
from __future__ import annotations

import hashlib
import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from svdash import outlines
from svdash.paths import GEO_DIR

REGION_ORDER = [
    "North East", "North West", "Yorkshire and The Humber", "East Midlands", "West Midlands",
    "East of England", "London", "South East", "South West",
]
GROUP_ORDER = ["metropolitan", "other urban", "rural"]
COUNCIL_TYPES = ["London borough", "metropolitan district", "unitary authority", "non-metropolitan district", "county"]

# ONS RUC 2021 classes ranked from most urban (0) to most rural (3). Used only to break ties when a
# county's districts split evenly between Urban and Rural (Derbyshire: 4 and 4).
_RUC_RANK = {"UUN": 0, "UUF": 0, "UIN": 1, "UIF": 1, "RIN": 2, "RIF": 2, "RMN": 3, "RMF": 3}

ATTRIBUTION = [
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0.",
    "Contains OS data © Crown copyright and database right 2024.",
    "Council names and codes: mySociety, UK Local Authority Names and Codes (CC BY 4.0).",
    "Hex map layout: Open Innovations (odileeds/hexmaps), MIT licence.",
]


def comparison_group(metropolitan: pd.Series, urban_rural: pd.Series) -> pd.Series:
    """metropolitan (E08 + E09) / other urban / rural (ONS RUC 2021 Urban/Rural flag)."""
    group = pd.Series("other urban", index=metropolitan.index, dtype="object")
    group[urban_rural.eq("Rural")] = "rural"
    group[metropolitan.astype(bool)] = "metropolitan"
    return group


@lru_cache(maxsize=None)
def _lads(geo_dir: Path) -> pd.DataFrame:
    df = pd.read_csv(geo_dir / "lad_lookup_2024.csv", dtype={"metropolitan": "string"})
    df["metropolitan"] = df["metropolitan"].str.lower().eq("true")
    df["comparison_group"] = comparison_group(df["metropolitan"], df["urban_rural"])
    return df


def load_lads(geo_dir: Path = GEO_DIR) -> pd.DataFrame:
    """The 296 English lower-tier authorities (LAD 2024) with region, upper tier, type, RUC 2021 and group."""
    return _lads(geo_dir).copy()


def _county_group(districts: pd.DataFrame) -> str:
    """A county's group from its districts: majority Urban/Rural by count, ties by mean RUC rank.

    The design asks for a population-weighted majority, but no population figures are embedded, so the
    count of districts is used; DATA caveat shown on the Method page.
    """
    n_rural = int(districts["urban_rural"].eq("Rural").sum())
    n_urban = len(districts) - n_rural
    if n_rural != n_urban:
        return "rural" if n_rural > n_urban else "other urban"
    mean_rank = districts["ruc21_code"].map(_RUC_RANK).mean()
    return "rural" if mean_rank >= 1.5 else "other urban"


@lru_cache(maxsize=None)
def _utlas(geo_dir: Path) -> pd.DataFrame:
    lads = _lads(geo_dir)
    props = [f["properties"] for f in _read_geojson(geo_dir / "england_utla_2024.geojson")["features"]]
    utlas = pd.DataFrame(props)
    utlas["metropolitan"] = utlas["metropolitan"].astype(bool)
    groups = {code: _county_group(d) for code, d in lads.groupby("utla_code")}
    direct = lads.drop_duplicates("lad_code").set_index("lad_code")["comparison_group"]
    utlas["comparison_group"] = [
        direct.get(code) if code in direct.index else groups[code] for code in utlas["utla_code"]
    ]
    return utlas


def load_utlas(geo_dir: Path = GEO_DIR) -> pd.DataFrame:
    """The 153 upper-tier authorities (21 counties, 63 unitaries, 36 metropolitan districts, 33 London boroughs)."""
    return _utlas(geo_dir).copy()


def load_councils(geo_dir: Path = GEO_DIR) -> pd.DataFrame:
    """Every map unit a notice can belong to, keyed by gss_code (296 LADs + 21 county councils = 317).

    Columns: gss_code, name, council_type, tier (lower/upper/both), region_code, region_name,
    utla_code, comparison_group, metropolitan, urban_rural.
    A unitary, metropolitan district or London borough is both tiers at once.
    """
    lads = _lads(geo_dir)
    utlas = _utlas(geo_dir)
    lower = pd.DataFrame({
        "gss_code": lads["lad_code"], "name": lads["lad_name"], "council_type": lads["council_type"],
        "tier": ["lower" if u != l else "both" for l, u in zip(lads["lad_code"], lads["utla_code"])],
        "region_code": lads["region_code"], "region_name": lads["region_name"], "utla_code": lads["utla_code"],
        "comparison_group": lads["comparison_group"], "metropolitan": lads["metropolitan"],
        "urban_rural": lads["urban_rural"],
    })
    counties = utlas[utlas["utla_type"].eq("county")]
    upper = pd.DataFrame({
        "gss_code": counties["utla_code"], "name": counties["utla_name"], "council_type": "county",
        "tier": "upper", "region_code": counties["region_code"], "region_name": counties["region_name"],
        "utla_code": counties["utla_code"], "comparison_group": counties["comparison_group"],
        "metropolitan": False,
        "urban_rural": counties["comparison_group"].map({"rural": "Rural"}).fillna("Urban"),
    })
    return pd.concat([lower, upper], ignore_index=True)


def load_council_names(geo_dir: Path = GEO_DIR) -> pd.DataFrame:
    """mySociety register (470 councils, current and former) with alt_names for matching."""
    return pd.read_csv(geo_dir / "council_names.csv", dtype=str, keep_default_na=False)


def load_code_history(geo_dir: Path = GEO_DIR) -> pd.DataFrame:
    """Any English LAD/county code used since 2011 → LAD 2024 / UTLA 2024 codes."""
    return pd.read_csv(geo_dir / "code_history.csv", dtype=str, keep_default_na=False)


def current_codes(code: str, geo_dir: Path = GEO_DIR) -> list[str]:
    """Today's code(s) for a possibly retired code: [] when unknown, [code] when current.

    A retired county (E10000027 Somerset) maps to its unitary successor(s) via the UTLA column.
    """
    return list(_current_code_index(geo_dir).get(code, ()))


@lru_cache(maxsize=2)
def _current_code_index(geo_dir: Path) -> dict[str, tuple[str, ...]]:
    """code → today's code(s), for every code in the history (read once: resolving a store's buyers asked for
    hundreds of codes, and reading the CSV per code cost ≈3 s per process)."""
    out: dict[str, tuple[str, ...]] = {}
    for r in load_code_history(geo_dir).itertuples(index=False):
        if r.code in out:  # the first row of a code answers, as before
            continue
        if r.status == "current":
            out[r.code] = (r.code,)
        else:
            targets = r.utla_codes_2024 if r.geography.startswith("county") else r.lad_codes_2024
            out[r.code] = tuple(t for t in targets.split("|") if t)
    return out


def load_hex(geo_dir: Path = GEO_DIR) -> pd.DataFrame:
    """Open Innovations hex layout: one (q, r) cell per LAD, odd-r offset, r increasing northwards
    (`hex_geojson` turns it into hexagons)."""
    return pd.read_csv(geo_dir / "england_lad_hex.csv")


# Pointy-top hex corners relative to the centre, in (half a hex width, u) where u = 1 / (2√3) of a hex width:
# rows are 3u = √3/2 apart, so every corner of the layout sits on an integer lattice and neighbours share
# their corners exactly (computed from integers, not from rounded floats). Clockwise from the top, as d3 wants.
_HEX_CORNERS = ((0, 2), (1, 1), (1, -1), (0, -2), (-1, -1), (-1, 1))
_HEX_U = 1 / (2 * math.sqrt(3))


def hex_geojson(hexes: pd.DataFrame | None = None, size: float = 0.2) -> dict[str, Any]:
    """The hex layout as a FeatureCollection (feature id = lad_code) of pointy-top hexagons that tile exactly,
    for plotly geo: a hex is `size` degrees wide, near 0° latitude (where Mercator barely stretches).
    These coordinates are a drawing plane, not places: they never share a map with real boundaries."""
    hexes = load_hex() if hexes is None else hexes
    features = []
    for code, q, r in zip(hexes["lad_code"], hexes["q"].astype(int), hexes["r"].astype(int)):
        x2, y3 = 2 * q + r % 2, 3 * r  # centre: half-widths across, u up (odd rows shift right half a hex)
        ring = [[size * (x2 + dx) / 2, size * (y3 + dy) * _HEX_U] for dx, dy in _HEX_CORNERS]
        features.append({"type": "Feature", "id": code, "properties": {},
                         "geometry": {"type": "Polygon", "coordinates": [ring + [ring[0]]]}})
    return {"type": "FeatureCollection", "features": features}


def _read_geojson(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _ring_area2(ring: list[list[float]]) -> float:
    """Twice the signed area (shoelace); > 0 means counter-clockwise in lon/lat."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:]))


def _clockwise_polygon(rings: list[list[list[float]]]) -> list[list[list[float]]]:
    # d3-geo (plotly's geo maps) treats a counter-clockwise outer ring as "everything except this":
    # outer rings must be clockwise and holes counter-clockwise, the opposite of RFC 7946.
    out = []
    for i, ring in enumerate(rings):
        ccw = _ring_area2(ring) > 0
        want_ccw = i > 0
        out.append(ring if ccw == want_ccw else ring[::-1])
    return out


def clockwise_geojson(fc: dict[str, Any]) -> dict[str, Any]:
    """A copy of a FeatureCollection with ring order that plotly geo (d3) draws right side out."""
    features = []
    for f in fc["features"]:
        g = f["geometry"]
        if g["type"] == "Polygon":
            geom = {"type": "Polygon", "coordinates": _clockwise_polygon(g["coordinates"])}
        elif g["type"] == "MultiPolygon":
            geom = {"type": "MultiPolygon", "coordinates": [_clockwise_polygon(p) for p in g["coordinates"]]}
        else:
            geom = g
        features.append({"type": "Feature", "properties": f["properties"], "geometry": geom,
                         "id": f.get("id")})
    return {"type": "FeatureCollection", "features": features}


@lru_cache(maxsize=None)
def _map_geojson(path: Path, key: str) -> dict[str, Any]:
    fc = clockwise_geojson(_read_geojson(path))
    for f in fc["features"]:
        f["id"] = f["properties"][key]
    return fc


_LAYERS = {"lad": ("england_lad_2024.geojson", "lad_code"), "utla": ("england_utla_2024.geojson", "utla_code"),
           "region": ("england_regions.geojson", "region_code")}


def _sources_key(geo_dir: Path, detail: str) -> str:
    """What a stored simplification was made from: the three outline files, the code's version and the detail."""
    h = hashlib.sha1(f"{outlines.OUTLINES_VERSION}|{outlines.DETAILS[detail]}".encode())
    for file, _ in _LAYERS.values():
        h.update((geo_dir / file).read_bytes())
    return h.hexdigest()


def simplify_outlines(geo_dir: Path, detail: str) -> dict[str, dict[str, Any]]:
    """The three layers simplified together for `detail` (cut from one coverage, their shared lines stay
    shared), clockwise, features as id + geometry."""
    full = [_map_geojson(geo_dir / file, key) for file, key in _LAYERS.values()]
    return {name: {"type": "FeatureCollection", "features": [{"id": f["id"], "geometry": f["geometry"]}
                                                             for f in clockwise_geojson(fc)["features"]]}
            for name, fc in zip(_LAYERS, outlines.simplify_layers(full, outlines.DETAILS[detail]))}


def stored_outlines_path(geo_dir: Path, detail: str) -> Path:
    return geo_dir / f"outlines_simplified_{detail}.json"


def write_stored_outlines(geo_dir: Path, detail: str) -> Path:
    """Write the simplification `_simplified` reads (`python -m svdash.outlines`): generated by code, never edited."""
    path = stored_outlines_path(geo_dir, detail)
    doc = {"generated_by": "python -m svdash.outlines (svdash/outlines.py) from the three outline files here",
           "detail": detail, "sources_key": _sources_key(geo_dir, detail), "layers": simplify_outlines(geo_dir, detail)}
    path.write_text(json.dumps(doc, separators=(",", ":")), encoding="utf-8")
    return path


@lru_cache(maxsize=None)
def _simplified(geo_dir: Path, detail: str) -> dict[str, dict[str, Any]]:
    # Simplifying takes ≈ 0.6 s, on the first map's path: read the stored result when it was made from these
    # very files by this code (else compute it; a stale file is never used)
    path = stored_outlines_path(geo_dir, detail)
    if path.exists():
        doc = _read_geojson(path)
        if doc.get("sources_key") == _sources_key(geo_dir, detail):
            return doc["layers"]
    return simplify_outlines(geo_dir, detail)


def _outline(geo_dir: Path, name: str, detail: str | None) -> dict[str, Any]:
    file, key = _LAYERS[name]
    return _map_geojson(geo_dir / file, key) if detail is None else _simplified(geo_dir, detail)[name]


def lad_geojson(geo_dir: Path = GEO_DIR, detail: str | None = None) -> dict[str, Any]:
    """LAD 2024 polygons ready for plotly geo (feature id = lad_code, clockwise rings); `detail` (a key of
    `outlines.DETAILS`: "england" for a map of all England) simplifies them for the size they are drawn (features
    are then only id and geometry), None keeps them as embedded."""
    return _outline(geo_dir, "lad", detail)


def utla_geojson(geo_dir: Path = GEO_DIR, detail: str | None = None) -> dict[str, Any]:
    """Upper-tier polygons ready for plotly geo (feature id = utla_code); `detail` as for `lad_geojson`."""
    return _outline(geo_dir, "utla", detail)


def region_geojson(geo_dir: Path = GEO_DIR, detail: str | None = None) -> dict[str, Any]:
    """Region outlines ready for plotly geo (feature id = region_code); `detail` as for `lad_geojson`."""
    return _outline(geo_dir, "region", detail)


def load_lad_gdf(geo_dir: Path = GEO_DIR):
    """GeoDataFrame of LAD polygons (for geometry checks and spatial work)."""
    import geopandas as gpd

    return gpd.read_file(geo_dir / "england_lad_2024.geojson")
