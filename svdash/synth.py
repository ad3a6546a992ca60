"""SYNTHETIC OCDS notices for load tests: seeded, deterministic, streamed to JSON Lines, labelled in every record.

Every release carries three marks so it can never pass for a real notice: an ocid starting with
`ocds-synthetic-`, a top-level `synthetic` object with the label, and the same label as the buyer party's
`details.source`. A sidecar `<out>.meta.json` says what the file is and how it was made.

Shape and text follow the real data (phrase banks: `svdash/synth_phrases.json`, data next to this module, with
each bank's provenance): median ~1.5 KB of text per release with a
lognormal tail capped at 50 KB; English councils from the register (names and their alt-name variants) and
non-council buyers; applied / weighted / dismissed / incidental / plain cases; a share of Find a Tender shaped
notices with structured award criteria (`tender.lots[].awardCriteria.criteria[]` with `numbers[].weight =
percentageExact`); dates 2013–2026; a quarter of procurements publish a tender and an award release.

Speed: all random draws are vectorised per chunk (numpy), text is assembled from phrases that are JSON-escaped
once, and each chunk is written as one string, so 1 M releases take seconds, not minutes.
"""
from __future__ import annotations

import csv
import heapq
import itertools
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import Iterator

import numpy as np

from svdash.paths import GEO_DIR

PHRASES_PATH = Path(__file__).with_name("synth_phrases.json")


@lru_cache(maxsize=1)
def phrases() -> SimpleNamespace:
    """The phrase banks (`synth_phrases.json`): each bank's real entries, then its constructed ones, in file order."""
    data = json.loads(PHRASES_PATH.read_text(encoding="utf-8"))
    return SimpleNamespace(**{name: list(bank["real"]) + list(bank.get("constructed", []))
                              for name, bank in data["banks"].items()})

OCID_PREFIX = "ocds-synthetic-"
LABEL = "svdash synthetic benchmark data — not real notices"
CHUNK_OCIDS = 20_000           # fixed so a file of N releases is a prefix of one of 2N (same seed)
MEDIAN_TEXT_CHARS = 1400
TEXT_SIGMA = 0.85              # lognormal spread: ~2 KB mean, a few releases reach the cap
MAX_TEXT_CHARS = 50_000
P_AWARD_RELEASE = 0.25         # procurements that publish a tender and an award release
P_STRUCTURED = 0.35            # share of notices from 2021 on with structured award criteria (Find a Tender)
P_COUNCIL = 0.6
# Case mix per procurement; "incidental" mentions social value without applying or dismissing it.
CASES = ("none", "incidental", "applied", "weighted", "dismissed")
CASE_P = (0.70, 0.07, 0.10, 0.10, 0.03)
WEIGHTS_PCT = np.array([5, 10, 10, 10, 15, 20, 20, 30])
START = np.datetime64("2013-01-01")
END = np.datetime64("2026-06-30")  # the last tender date
# No award release after this: a tender too recent for its award by then is simply not awarded yet (without
# the cut-off, late tenders' awards were dated up to January 2027, after the data's own end).
AWARD_END = np.datetime64("2026-09-30T23:59:59")  # the data's cut-off: the end of Q3 2026
# Bumped when the generated records change, so `bench` regenerates a cached file instead of reusing it.
GENERATOR_VERSION = 2


def _esc(text: str) -> str:
    """JSON string body (no quotes): phrases are escaped once and concatenated as-is."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


@dataclass(frozen=True)
class _Bank:
    filler: list[str]
    filler_len: np.ndarray
    titles: list[str]
    buyers: list[str]
    buyer_short: list[str]
    n_councils: int


def council_buyer_names(path: Path | None = None) -> list[tuple[str, str]]:
    """(buyer name as published, short name) for English principal councils: the official name and each
    alt-name variant ('Dudley MBC', 'London Borough of X'), from the embedded register."""
    path = path or GEO_DIR / "council_names.csv"
    out: list[tuple[str, str]] = []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["nation"] != "England" or row["council_type"] in ("combined authority",
                                                                     "strategic regional authority"):
                continue
            short = row["nice_name"] or row["name"]
            names = [row["name"]] + [a for a in row["alt_names"].split("|") if a and a != short]
            out += [(name, short) for name in dict.fromkeys(names)]
    return out


def _bank() -> _Bank:
    P = phrases()
    councils = council_buyer_names()
    filler = [_esc(s) for s in P.FILLER_SENTENCES]
    return _Bank(filler=filler, filler_len=np.array([len(s) + 1 for s in P.FILLER_SENTENCES]),
                 titles=[_esc(t) for t in P.TITLES],
                 buyers=[_esc(n) for n, _ in councils] + [_esc(n) for n in P.OTHER_BUYERS],
                 buyer_short=[_esc(s) for _, s in councils] + [_esc(n) for n in P.OTHER_BUYERS],
                 n_councils=len(councils))


def _sv_sentence(case: str, rng: np.random.Generator, short: str, pct: int) -> str:
    P = phrases()
    if case == "applied":
        return _esc(P.APPLIED[rng.integers(len(P.APPLIED))]).replace("{council}", short)
    if case == "weighted":
        return _esc(P.WEIGHTED[rng.integers(len(P.WEIGHTED))]).replace("{pct}", str(pct)).replace(
            "{q}", str(40 - pct))
    if case == "dismissed":
        return _esc(P.DISMISSED[rng.integers(len(P.DISMISSED))]).replace(
            "{reason}", _esc(P.DISMISSED_REASONS[rng.integers(len(P.DISMISSED_REASONS))]))
    if case == "incidental":
        return _esc(P.INCIDENTAL[rng.integers(len(P.INCIDENTAL))])
    return ""


def _criteria(pct: int, with_sv: bool, sv_name: str, q_name: str) -> str:
    """Award criteria breakdown extension (Find a Tender shape); weights add up to 100."""
    price = 60 if not with_sv else 60 - (pct if pct <= 20 else 20)
    quality = 100 - price - (pct if with_sv else 0)
    items = [f'{{"type":"price","name":"Price","numbers":[{{"number":{price},"weight":"percentageExact"}}]}}',
             f'{{"type":"quality","name":"{q_name}","numbers":[{{"number":{quality},"weight":"percentageExact"}}]}}']
    if with_sv:
        items.append(f'{{"type":"quality","name":"{sv_name}","description":"Social value commitments assessed '
                     f'against the published measures","numbers":[{{"number":{pct},"weight":"percentageExact"}}]}}')
    return '{"criteria":[' + ",".join(items) + "]}"


def _chunk_lines(bank: _Bank, seed: int, chunk: int) -> Iterator[str]:
    """Release lines for CHUNK_OCIDS procurements; draws are vectorised, assembly is string concatenation."""
    P = phrases()
    rng = np.random.default_rng([seed, chunk])
    m = CHUNK_OCIDS
    n_other = len(bank.buyers) - bank.n_councils
    is_council = rng.random(m) < P_COUNCIL
    buyer = np.where(is_council, rng.integers(0, bank.n_councils, m), bank.n_councils + rng.integers(0, n_other, m))
    days = int((END - START) / np.timedelta64(1, "D"))
    day = rng.triangular(0, days * 0.75, days, m).astype(np.int64)  # more notices in later years
    secs = rng.integers(0, 86_400, m)
    case = rng.choice(len(CASES), m, p=CASE_P)
    pct = rng.choice(WEIGHTS_PCT, m)
    fts_era = day >= int((np.datetime64("2021-01-01") - START) / np.timedelta64(1, "D"))
    structured = fts_era & (rng.random(m) < P_STRUCTURED)
    # weighted cases in structured notices put the weight in the criteria, half of them also in the text
    sv_in_text = ~(structured & (case == 3)) | (rng.random(m) < 0.5)
    has_award = rng.random(m) < P_AWARD_RELEASE
    award_lag = rng.integers(30, 240, m)
    target = np.clip(rng.lognormal(np.log(MEDIAN_TEXT_CHARS), TEXT_SIGMA, m), 120, MAX_TEXT_CHARS)
    n_sent = np.maximum(1, np.rint(target / bank.filler_len.mean()).astype(np.int64))
    sent_idx = rng.integers(0, len(bank.filler), int(n_sent.sum()))
    offsets = np.concatenate([[0], np.cumsum(n_sent)])
    title = rng.integers(0, len(bank.titles), m)
    n_lots = rng.integers(1, 4, m)
    value = np.rint(rng.lognormal(np.log(120_000), 1.3, m)).astype(np.int64)
    sv_pos = rng.random(m)
    sv_name = rng.integers(0, len(P.SV_CRITERION_NAMES), m)
    q_name = rng.integers(0, len(P.QUALITY_CRITERION_NAMES), m)
    sv_rng = np.random.default_rng([seed, chunk, 1])
    dates = (START + day.astype("timedelta64[D]")).astype("datetime64[s]") + secs.astype("timedelta64[s]")
    award_dates = dates + (award_lag * 86_400).astype("timedelta64[s]")
    has_award &= award_dates <= AWARD_END
    date_s = np.datetime_as_string(dates, unit="s")
    award_s = np.datetime_as_string(award_dates, unit="s")
    filler = bank.filler
    synthetic = f'"synthetic":{{"label":"{LABEL}","generator":"svdash synth","seed":{seed}}}'
    for i in range(m):
        k = chunk * m + i
        ocid = f"{OCID_PREFIX}{seed}-{k:09d}"
        b = int(buyer[i])
        name = bank.buyers[b]
        sents = [filler[j] for j in sent_idx[offsets[i]:offsets[i + 1]]]
        c = CASES[case[i]]
        sv = _sv_sentence(c, sv_rng, bank.buyer_short[b], int(pct[i])) if c != "none" and sv_in_text[i] else ""
        lots = ""
        details = ""
        if structured[i]:
            nl = int(n_lots[i])
            crit = _criteria(int(pct[i]), c == "weighted", P.SV_CRITERION_NAMES[sv_name[i]],
                             P.QUALITY_CRITERION_NAMES[q_name[i]])
            per = max(1, len(sents) // (nl + 1))
            lot_parts = []
            for lot in range(nl):
                body = " ".join(sents[(lot + 1) * per:(lot + 2) * per] if lot < nl - 1 else sents[(lot + 1) * per:])
                lot_parts.append(f'{{"id":"{lot + 1}","title":"{bank.titles[(title[i] + lot + 1) % len(bank.titles)]}",'
                                 f'"description":"{body}","awardCriteria":{crit}}}')
            lots = ',"lots":[' + ",".join(lot_parts) + "]"
            sents = sents[:per]
            if sv and sv_pos[i] < 0.5:
                details, sv = f',"awardCriteriaDetails":"{sv}"', ""
        if sv:
            sents.insert(int(sv_pos[i] * (len(sents) + 1)), sv)
        desc = " ".join(sents)
        party = (f'"buyer":{{"id":"GB-SYNTH-{b}","name":"{name}"}},"parties":[{{"id":"GB-SYNTH-{b}","name":"{name}",'
                 f'"roles":["buyer"],"details":{{"source":"{LABEL}"}}}}]')
        tender = (f'"tender":{{"id":"{ocid}-tender","title":"{bank.titles[title[i]]}","description":"{desc}",'
                  f'"value":{{"amount":{value[i]},"currency":"GBP"}}{lots}{details}}}')
        yield (f'{{"ocid":"{ocid}","id":"{ocid}-tender-1","date":"{date_s[i]}Z","tag":["tender"],'
               f'"initiationType":"tender",{synthetic},{party},{tender}}}\n')
        if has_award[i]:
            yield (f'{{"ocid":"{ocid}","id":"{ocid}-award-1","date":"{award_s[i]}Z","tag":["award"],'
                   f'"initiationType":"tender",{synthetic},{party},{tender},"awards":[{{"id":"{ocid}-award-1",'
                   f'"title":"{bank.titles[title[i]]}","status":"active","value":{{"amount":{value[i]},'
                   f'"currency":"GBP"}}}}]}}\n')


def iter_lines(n: int, seed: int = 1) -> Iterator[list[str]]:
    """Lists of JSON Lines (one release each) adding up to exactly n releases."""
    bank, left, chunk = _bank(), n, 0
    while left > 0:
        lines = []
        for line in _chunk_lines(bank, seed, chunk):
            lines.append(line)
            if len(lines) == left:
                break
        left -= len(lines)
        chunk += 1
        yield lines


def meta_path(out: Path) -> Path:
    return out.with_name(out.name + ".meta.json")


def write_jsonl(n: int, out: str | Path, seed: int = 1) -> dict:
    """Write n synthetic releases to `out` (JSON Lines) and the sidecar `<out>.meta.json`; returns the metadata."""
    if n < 1:
        raise ValueError("the number of notices must be at least 1")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    releases = 0
    with open(tmp, "w", encoding="utf-8", newline="\n", buffering=1 << 22) as fh:
        for lines in iter_lines(n, seed):
            block = "".join(lines)
            fh.write(block)
            releases += len(lines)
    tmp.replace(out)
    meta = {
        "synthetic": True,
        "label": LABEL,
        "what": "Synthetic OCDS releases (JSON Lines) for svdash load tests. Recombined real phrasing; "
                "no release describes a real procurement. Do not publish or analyse as real data.",
        "generator": "python -m svdash synth",
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "releases": releases,
        "ocid_prefix": OCID_PREFIX,
        "case_mix": dict(zip(CASES, CASE_P)),
        "p_structured_award_criteria_from_2021": P_STRUCTURED,
        "p_award_release": P_AWARD_RELEASE,
        "median_text_chars": MEDIAN_TEXT_CHARS,
        "max_text_chars": MAX_TEXT_CHARS,
    }
    meta_path(out).write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return meta


# ------------------------------------------------------------------------------------------- a day's update
# A real day's update (Find a Tender, 10 and 11 August 2026, ../shared/data/notices/find_a_tender_2026-08): 339 of
# 955 releases (35.5 %: 161/459 and 178/496) belong to procurements whose ocid was issued before that day — their
# ocids lie below the day's block of new, consecutive ocids (11 August: below the largest ocid published on the
# 10th; 10 August: below the gap that starts that day's block) —, mostly awards (201) and tender updates of
# earlier tenders. The rest open new procurements (tenders, planning notices, direct awards).
EXISTING_SHARE = 0.35
AWARD_LAG_DAYS = (30, 240)  # as the generator's own awards: 30 to 240 days after the tender


def _json_lines(lines: list[str]) -> list[dict]:
    return [json.loads(line) for line in lines]


def _stored_tenders(store_seed: int, store_n: int, day: np.datetime64, k: int) -> list[dict]:
    """k procurements of the store's file (`write_jsonl(store_n, seed=store_seed)`, regenerated) that published only
    their tender there: the first ones (in file order) whose tender is AWARD_LAG_DAYS before `day`; in a store too
    small to hold k of those, then the latest earlier ones. Their tender releases."""
    lo = day - np.timedelta64(AWARD_LAG_DAYS[1], "D")
    hi = day - np.timedelta64(AWARD_LAG_DAYS[0], "D")
    found: list[dict] = []
    earlier: list[tuple[np.datetime64, int, dict]] = []  # a heap of the latest k tenders before the window
    order = itertools.count()
    for lines in iter_lines(store_n, store_seed):
        per_ocid: dict[str, list[dict]] = {}
        for rel in _json_lines(lines):
            per_ocid.setdefault(rel["ocid"], []).append(rel)
        for rels in per_ocid.values():
            if len(rels) != 1:
                continue
            date = np.datetime64(rels[0]["date"].rstrip("Z"))
            if lo <= date <= hi:
                found.append(rels[0])
                if len(found) == k:
                    return found
            elif date < lo:
                heapq.heappush(earlier, (date, next(order), rels[0]))
                if len(earlier) > k:
                    heapq.heappop(earlier)
    found += [rel for _, _, rel in sorted(earlier, key=lambda e: e[0], reverse=True)][:k - len(found)]
    if len(found) < k:
        raise ValueError(f"the store of {store_n} releases (seed {store_seed}) has {len(found)} tenders without an "
                         f"award before {day}; {k} are needed")
    return found


def day_update(n: int, seed: int, day: str, store_seed: int, store_n: int,
               existing_share: float = EXISTING_SHARE) -> list[str]:
    """A day's update to the SYNTHETIC store `write_jsonl(store_n, seed=store_seed)`: n releases all dated `day`
    (YYYY-MM-DD, times spread over the day): round(n × existing_share) awards of tenders in that store (its
    procurements that published only a tender there, 30–240 days before), the rest tenders of new procurements
    (generated with `seed`, other ocids). JSON Lines in time order; deterministic by the seeds."""
    start = np.datetime64(day, "D")
    n_old = int(round(n * existing_share))
    awards = []
    for tender in _stored_tenders(store_seed, store_n, start, n_old):
        ocid = tender["ocid"]
        awards.append({**tender, "id": f"{ocid}-award-1", "tag": ["award"],
                       "awards": [{"id": f"{ocid}-award-1", "title": tender["tender"]["title"], "status": "active",
                                   "value": tender["tender"]["value"]}]})
    new: list[dict] = []
    bank, chunk = _bank(), 0
    while len(new) < n - n_old:
        seen: set[str] = set()
        for rel in _json_lines(list(_chunk_lines(bank, seed, chunk))):
            if rel["ocid"] not in seen:  # a new procurement opens with its tender
                seen.add(rel["ocid"])
                new.append(rel)
        chunk += 1
    releases = awards + new[:n - n_old]
    rng = np.random.default_rng([seed, store_seed, 7])
    times = (start + rng.integers(0, 86_400, n).astype("timedelta64[s]")).astype("datetime64[s]")
    for rel, t in zip(releases, np.datetime_as_string(times, unit="s")):
        rel["date"] = f"{t}Z"
    releases.sort(key=lambda r: (r["date"], r["id"]))
    return [json.dumps(rel, ensure_ascii=False) + "\n" for rel in releases]


def write_day_update(n: int, out: str | Path, seed: int, day: str, store_seed: int, store_n: int,
                     existing_share: float = EXISTING_SHARE) -> dict:
    """`day_update` written to `out` (JSON Lines) with its sidecar `<out>.meta.json`; returns the metadata."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    lines = day_update(n, seed, day, store_seed, store_n, existing_share)
    out.write_text("".join(lines), encoding="utf-8")
    n_old = int(round(n * existing_share))
    meta = {"synthetic": True, "label": LABEL,
            "what": f"A day's SYNTHETIC update: {n} releases dated {day}, {n_old} of them awards of tenders in the "
                    f"synthetic store of {store_n} releases (seed {store_seed}), the rest tenders of new "
                    "procurements. Do not publish or analyse as real data.",
            "generator": "svdash.synth.write_day_update", "generator_version": GENERATOR_VERSION, "seed": seed,
            "day": day, "releases": len(lines), "existing_share": existing_share, "store_seed": store_seed,
            "store_releases": store_n}
    meta_path(out).write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return meta
