"""Classify social value in notice text: applied / dismissed / none, with verbatim evidence.

`classify(frame)` is the vectorised fast path (pyarrow RE2 kernels; no per-row Python in the hot path):
  1. one regex pass over every row finds the candidate rows (text naming social value / community benefits);
  2. only candidate rows are cut into sentences ("pieces"): separators are marked with \\x1e and the text is
     split there, so every piece is an exact substring of the original title/description (= evidence);
  3. pieces naming SV are normalised (entities, whitespace) and judged with the rules in
     classify_rules.yaml (neutral → dismiss → neutral_soft → applied), then aggregated back per row;
     a piece that only names SV is applied when it is an item of a list an evaluation lead-in introduces
     ("scored on the following: …"), the lead-in at most `lead_in_reach` short pieces before it.
Structured award criteria (`award_criteria_json`) are read first for the few rows whose JSON names SV
(`svdash.criteria.judge`: SV alone → its weighting; combined with something else → applied, its share in
`combined_weighting_pct`, no weighting).

`classify_baseline(frame)` applies the SAME rules row by row with Python `re`; it is the oracle the fast
path is tested against (and the benchmark's baseline).
"""
from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import yaml

from svdash import criteria

RULES_PATH = Path(__file__).with_name("classify_rules.yaml")
SEP = "\x1e"
THEMES = ("economic", "social", "environmental")
OUTPUT_COLUMNS = ["sv_status", "evidence", "weighting_pct", "themes", "criteria_visible", "rules_version",
                  "combined_weighting_pct"]
# Class of a piece, in the order the rules are tried.
NEUTRAL, DISMISS, APPLIED, MENTION = "neutral", "dismiss", "applied", "mention"


@dataclass(frozen=True)
class Rules:
    version: str
    candidate: str
    split: tuple[tuple[str, str], ...]
    trim: tuple[tuple[str, str], ...]
    normalise: tuple[tuple[str, str], ...]
    term: str
    neutral: str
    masks: str
    dismiss: str
    dismiss_except: str
    neutral_soft: str
    applied: str
    weighting: tuple[str, ...]
    themes: tuple[tuple[str, str], ...]
    linked_sentence: str
    criteria_visible: str
    weighting_gap_stop: str = ""
    number_words: tuple[tuple[str, float], ...] = ()
    lead_in: str = ""
    lead_in_reach: int = 0
    list_item_max_chars: int = 0
    heading: str = ""
    dismiss_unless_applied: str = ""
    applied_parts: tuple[tuple[str, str], ...] = ()       # (pattern, gate) one by one, for the fast path
    applied_gated: tuple[tuple[str, str], ...] = ()       # rules with a gate (not in the joined `applied`)
    neutral_soft_gated: tuple[tuple[str, str], ...] = ()


def _scoped(pattern: str) -> str:
    # A leading global (?i) becomes a scoped (?i:...) so patterns can be joined (Python rejects mid-pattern flags).
    return f"(?i:{pattern[4:]})" if pattern.startswith("(?i)") else f"(?:{pattern})"


def _any_of(patterns: list[str]) -> str:
    # One alternation per category: one regex pass per category instead of one per pattern.
    return "|".join(_scoped(p) for p in patterns)


def _ungated(entries: list) -> list[str]:
    return [e for e in entries if isinstance(e, str)]


def _gated(entries: list, path: Path) -> tuple[tuple[str, str], ...]:
    """Rules written as {pattern, gate}: the gate is a cheap pattern every match of `pattern` also matches; the
    (slow) pattern runs only where the gate matched. Both paths require gate and pattern, so they stay equal."""
    out = []
    for e in entries:
        if isinstance(e, str):
            continue
        if not (isinstance(e, dict) and isinstance(e.get("pattern"), str) and isinstance(e.get("gate"), str)):
            raise ValueError(f"{path}: a rule must be a pattern or a mapping with `pattern` and `gate`: {e!r}")
        out.append((_scoped(e["pattern"]), _scoped(e["gate"])))
    return tuple(out)


_PART = re.compile(r"\{@([A-Za-z_][A-Za-z0-9_]*)\}")


def _expand(value, parts: dict[str, str], path: Path):
    """Replace each {@name} by the grammar part `name` (parts may use parts; a cycle or unknown name is an error)."""
    if isinstance(value, list):
        return [_expand(v, parts, path) for v in value]
    if isinstance(value, dict):
        return {k: _expand(v, parts, path) for k, v in value.items()}
    if not isinstance(value, str):
        return value
    for _ in range(10):
        if not _PART.search(value):
            return value
        unknown = [m for m in _PART.findall(value) if m not in parts]
        if unknown:
            raise ValueError(f"{path}: unknown grammar part(s) {unknown}")
        value = _PART.sub(lambda m: f"(?:{parts[m.group(1)]})", value)
    raise ValueError(f"{path}: grammar parts nest too deeply (a cycle?)")


@lru_cache(maxsize=4)
def load_rules(path: Path = RULES_PATH) -> Rules:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    missing = [k for k in ("version", "candidate", "split", "term", "dismiss", "applied", "weighting", "themes")
               if k not in data]
    if missing:
        raise ValueError(f"{path}: missing keys {missing}")
    parts = data.get("parts") or {}
    if not isinstance(parts, dict) or not all(isinstance(v, str) for v in parts.values()):
        raise ValueError(f"{path}: `parts` must map names to patterns")
    data = {k: (v if k in ("parts", "changelog", "version") else _expand(v, parts, path)) for k, v in data.items()}
    lead = data.get("lead_in") or {}
    rules = Rules(
        # the criteria reader's version is part of it: a change there also invalidates stored classifications
        version=f"{data['version']}+criteria.{criteria.CRITERIA_VERSION}",
        candidate=data["candidate"],
        split=tuple((a, b) for a, b in data["split"]),
        trim=tuple((a, b) for a, b in data.get("trim", [])),
        normalise=tuple((a, b) for a, b in data.get("normalise", [])),
        term=data["term"],
        neutral=_any_of(data.get("neutral", [])),
        masks=_any_of(data.get("masks", [])),
        dismiss=_any_of(data["dismiss"]),
        dismiss_except=_any_of(data.get("dismiss_except", [])),
        neutral_soft=_any_of(_ungated(data.get("neutral_soft", []))),
        applied=_any_of(_ungated(data["applied"])),
        weighting=tuple(data["weighting"]),
        themes=tuple((t, data["themes"][t]) for t in THEMES),
        linked_sentence=data["linked_sentence"],
        criteria_visible=data["criteria_visible"],
        weighting_gap_stop=data.get("weighting_gap_stop", ""),
        number_words=tuple((str(k).lower(), float(v)) for k, v in (data.get("number_words") or {}).items()),
        lead_in=lead.get("pattern", ""),
        lead_in_reach=int(lead.get("reach", 0)),
        list_item_max_chars=int(lead.get("item_max_chars", 0)),
        heading=data.get("heading", ""),
        dismiss_unless_applied=_any_of(data.get("dismiss_unless_applied", [])),
        applied_parts=tuple((_scoped(p), "") for p in _ungated(data["applied"]))
        + _gated(data["applied"], path) + tuple((_scoped(p), "") for p in data["weighting"]),
        applied_gated=_gated(data["applied"], path),
        neutral_soft_gated=_gated(data.get("neutral_soft", []), path),
    )
    # Fail early on a pattern either engine rejects (the two paths must run the same rules).
    for name, pat in _all_patterns(rules):
        try:
            re.compile(pat, re.ASCII)
            pc.match_substring_regex(pa.array(["x"]), pattern=pat)
        except Exception as exc:  # noqa: BLE001 - report which rule is broken
            raise ValueError(f"{path}: rule {name!r} does not compile: {exc}") from exc
    return rules


def _all_patterns(r: Rules) -> list[tuple[str, str]]:
    out = [("candidate", r.candidate), ("term", r.term), ("neutral", r.neutral), ("dismiss", r.dismiss),
           ("dismiss_except", r.dismiss_except), ("neutral_soft", r.neutral_soft), ("applied", r.applied),
           ("linked_sentence", r.linked_sentence), ("criteria_visible", r.criteria_visible)]
    if r.masks:
        out.append(("masks", r.masks))
    if r.weighting_gap_stop:
        out.append(("weighting_gap_stop", r.weighting_gap_stop))
    if r.lead_in:
        out.append(("lead_in.pattern", r.lead_in))
    if r.heading:
        out.append(("heading", r.heading))
    if r.dismiss_unless_applied:
        out.append(("dismiss_unless_applied", r.dismiss_unless_applied))
    for name, gated in (("applied", r.applied_gated), ("neutral_soft", r.neutral_soft_gated)):
        for i, (pat, gate) in enumerate(gated):
            out += [(f"{name} gated[{i}].pattern", pat), (f"{name} gated[{i}].gate", gate)]
    out += [(f"split[{i}]", p) for i, (p, _) in enumerate(r.split)]
    out += [(f"weighting[{i}]", p) for i, p in enumerate(r.weighting)]
    out += [(f"themes.{t}", p) for t, p in r.themes]
    return out


# ----------------------------------------------------------------------------------------------------
# Shared helpers (both paths)
# ----------------------------------------------------------------------------------------------------

WEIGHT_NUMBER_GROUPS = ("num", "word", "add")
WEIGHT_GAP_GROUP = "gap"


def _weight_value(groups: dict[str, str | None], rules: Rules) -> float | None:
    """Social value's own stated share of the whole evaluation from one weighting match: a number, NaN when the
    number is attached to SV but is not its own share, None when it is not attached to SV at all.

    The number comes from `num` (digits, plus `add` when two SV sub-criteria of one list each state a share) or
    `word` (a number word in `number_words`). When the `gap` between SV
    and the number names another criterion or joins another item (`weighting_gap_stop`), the number belongs to
    that item: None, and the next pattern is tried. Every other named group of a weighting pattern marks a
    reading that is not SV's own share when it matched ("up to", a range, "of the quality score", SV combined
    with another criterion): NaN."""
    gap = groups.get(WEIGHT_GAP_GROUP)
    if gap and rules.weighting_gap_stop and _gap_stop(rules.weighting_gap_stop).search(gap):
        return None
    for name, value in groups.items():
        if value and name not in WEIGHT_NUMBER_GROUPS and name != WEIGHT_GAP_GROUP:
            return math.nan
    if groups.get("num"):
        value = float(groups["num"]) + (float(groups["add"]) if groups.get("add") else 0.0)
    elif groups.get("word"):
        value = dict(rules.number_words).get(" ".join(groups["word"].lower().replace("-", " ").split()), math.nan)
    else:
        return math.nan
    return value if 0 < value < 100 else math.nan


@lru_cache(maxsize=8)
def _gap_stop(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.ASCII)


def _themes_str(flags: tuple[bool, bool, bool]) -> str:
    return "|".join(t for t, f in zip(THEMES, flags) if f)


def _format_frame(index: pd.Index, status, evidence, weight, themes, visible, version: str,
                  combined=None) -> pd.DataFrame:
    return pd.DataFrame({
        "sv_status": pd.array(status, dtype="str"),
        "evidence": pd.array(evidence, dtype="str"),
        "weighting_pct": pd.array(weight, dtype="float64"),
        "themes": pd.array(themes, dtype="str"),
        "criteria_visible": pd.array(visible, dtype="bool"),
        "rules_version": version,
        "combined_weighting_pct": pd.array(combined if combined is not None else [math.nan] * len(index),
                                           dtype="float64"),
    }, index=index)


def _input_columns(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    for col in ("title", "description"):
        if col not in frame.columns:
            raise ValueError(f"classify: input frame has no {col!r} column")
    title = frame["title"].fillna("").astype("str")
    desc = frame["description"].fillna("").astype("str")
    crit = (frame["award_criteria_json"].fillna("[]").astype("str") if "award_criteria_json" in frame.columns
            else pd.Series("[]", index=frame.index, dtype="str"))
    return title, desc, crit


# ----------------------------------------------------------------------------------------------------
# Fast path (vectorised)
# ----------------------------------------------------------------------------------------------------

def _large(arr) -> pa.Array:
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr.cast(pa.large_string())


def _arrow(series: pd.Series) -> pa.Array:
    arr = pa.array(series.to_numpy(dtype=object), type=pa.large_string()) if series.dtype == object else \
        pa.Array.from_pandas(series)
    return _large(arr)


_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "f": "\f"}


@lru_cache(maxsize=256)
def _literal(pattern: str) -> str | None:
    """The text a pattern matches when it is a plain literal (letters, digits, a few inert punctuation marks,
    \\n-style escapes), else None. A literal replace is ≈8× faster than RE2's for the frequent newline split."""
    if not re.fullmatch(r"(?:[A-Za-z0-9 &;#,:/_-]|\\[nrtf])+", pattern):
        return None
    return re.sub(r"\\([nrtf])", lambda m: _ESCAPES[m.group(1)], pattern)


def _sub(arr: pa.Array, pairs) -> pa.Array:
    for pat, repl in pairs:
        literal = _literal(pat) if "\\" not in repl else None
        if literal is not None:  # same matches: non-overlapping, leftmost, no case folding
            arr = pc.replace_substring(arr, pattern=literal, replacement=repl)
        else:
            arr = pc.replace_substring_regex(arr, pattern=pat, replacement=repl)
    return arr


def _match(arr: pa.Array, pattern: str) -> np.ndarray:
    if not pattern or len(arr) == 0:
        return np.zeros(len(arr), dtype=bool)
    return pc.match_substring_regex(arr, pattern=pattern).to_numpy(zero_copy_only=False).astype(bool)


def _match_any(arr: pa.Array, patterns: tuple[tuple[str, str], ...]) -> np.ndarray:
    """Does any (pattern, gate) match? One pass per pattern over the pieces no earlier pattern matched (several
    small automata run ≈4× faster in RE2 than one alternation of them all); a gated pattern runs only on the
    pieces its gate matched."""
    out = np.zeros(len(arr), dtype=bool)
    for pat, gate in patterns:
        left = np.flatnonzero(~out)
        if gate and len(left):
            left = left[_match(arr.take(pa.array(left, type=pa.int64())), gate)]
        if not len(left):
            continue
        sub = arr if len(left) == len(arr) else arr.take(pa.array(left, type=pa.int64()))
        out[left] |= _match(sub, pat)
    return out


def _weights(arr: pa.Array, rules: Rules) -> np.ndarray:
    """Per piece: the first weighting pattern that matches decides (label-first before number-first)."""
    out = np.full(len(arr), np.nan)
    decided = np.zeros(len(arr), dtype=bool)
    for pat in rules.weighting:
        if decided.all() or len(arr) == 0:
            break
        ex = pc.extract_regex(arr, pattern=pat)
        valid = ex.is_valid().to_numpy(zero_copy_only=False) & ~decided
        if not valid.any():
            continue
        names = [ex.type.field(k).name for k in range(ex.type.num_fields)]
        cols = {f: ex.field(f).to_pylist() for f in names}
        for i in np.flatnonzero(valid):  # only the (few) pieces whose text states a percentage next to SV
            value = _weight_value({f: cols[f][i] for f in names}, rules)
            if value is None:  # the number belongs to another item: the next pattern may still read one
                valid[i] = False
            else:
                out[i] = value
        decided |= valid
    return out


@lru_cache(maxsize=8)
def _link_hint(linked_sentence: str) -> str:
    """For a linked-sentence rule of the form ^(?i:word)\\b: the word, case-insensitive, anywhere. It matches
    every raw piece whose normalised form the rule matches (normalising only replaces markup and entities by
    non-letters, so it never creates a run of letters); "" (no pre-filter) for any other form of rule."""
    m = re.fullmatch(r"\^\(\?i:([A-Za-z]+)\)\\b", linked_sentence)
    return f"(?i){m.group(1)}" if m else ""


def _pieces_fast(text: pa.Array, rules: Rules) -> pd.DataFrame:
    """The pieces that matter (those naming SV and their neighbours) with row, global order and judgement."""
    marked = _sub(text, rules.split)
    lists = pc.split_pattern(marked, pattern=SEP)
    parent = pc.list_parent_indices(lists).to_numpy()
    raw = pc.list_flatten(lists)
    # Normalising every piece would dominate the run time; the tolerant candidate pattern (a superset of
    # `term` after normalisation) picks the pieces to normalise, plus their neighbours (for themes).
    hit = np.flatnonzero(_match(raw, rules.candidate))
    nxt, prv = hit + 1, hit - 1
    nxt, prv = nxt[nxt < len(raw)], prv[prv >= 0]
    hint = _link_hint(rules.linked_sentence)
    if hint and len(hit):
        # A neighbour's themes count only when the next piece, or the SV piece itself, is a linked sentence
        # ("Accordingly …"): keep only those neighbours (a third of the pieces to normalise, not all).
        nxt = nxt[_match(raw.take(pa.array(nxt, type=pa.int64())), hint)]
        prv = prv[_match(raw.take(pa.array(prv + 1, type=pa.int64())), hint)]
    need = np.unique(np.concatenate([prv, hit, nxt]))
    sub = raw.take(pa.array(need, type=pa.int64()))
    norm = _sub(sub, rules.normalise)
    is_term = _match(norm, rules.term)
    linked = _match(_sub(norm, rules.trim[:1]), rules.linked_sentence)
    theme_flags = {t: _match(norm, p) for t, p in rules.themes}

    idx = np.flatnonzero(is_term)  # judge only the pieces that name SV
    sv = norm.take(pa.array(idx, type=pa.int64()))
    if rules.masks:
        sv = pc.replace_substring_regex(sv, pattern=rules.masks, replacement=" ")
    neutral = _match(sv, rules.neutral)
    dismiss = _match(sv, rules.dismiss) & ~_match(sv, rules.dismiss_except)
    soft = _match(sv, rules.neutral_soft) | _match_any(sv, rules.neutral_soft_gated)
    weight = _weights(sv, rules)
    applied = _match_any(sv, rules.applied_parts)
    both = np.flatnonzero(dismiss & applied)  # few: the concessive exception is read only where it can matter
    if len(both) and rules.dismiss_unless_applied:
        dismiss[both[_match(sv.take(pa.array(both, type=pa.int64())), rules.dismiss_unless_applied)]] = False
    cls = np.full(len(idx), MENTION, dtype=object)
    cls[applied] = APPLIED
    cls[soft] = NEUTRAL
    cls[dismiss] = DISMISS
    cls[neutral] = NEUTRAL
    if rules.lead_in and rules.lead_in_reach:
        ment = np.flatnonzero(cls == MENTION)
        if len(ment):
            cls[ment[_lead_linked(raw, parent, need[idx[ment]], rules)]] = APPLIED
    weight[cls != APPLIED] = np.nan

    if rules.heading:
        _defer_headings(cls, norm.take(pa.array(idx, type=pa.int64())), need, idx, raw, parent, rules)
    n = len(need)
    piece_cls = np.full(n, "", dtype=object)
    piece_cls[idx] = cls
    piece_w = np.full(n, np.nan)
    piece_w[idx] = weight
    ev_idx = idx[cls != MENTION]
    evidence = np.full(n, "", dtype=object)
    if len(ev_idx):
        evidence[ev_idx] = _sub(sub.take(pa.array(ev_idx, type=pa.int64())), rules.trim).to_numpy(zero_copy_only=False)
    return pd.DataFrame({"row": parent[need], "gidx": need, "cls": piece_cls, "weight": piece_w,
                         "evidence": evidence, "linked": linked, **theme_flags})


def _defer_headings(cls: np.ndarray, norm_sv: pa.Array, need: np.ndarray, idx: np.ndarray, raw: pa.Array,
                    parent: np.ndarray, rules: Rules) -> None:
    """An applied SV heading ("…as follows:") takes the class of the next non-empty piece of its row when that
    piece names SV and is neutral or a dismissal (in place on `cls`, indexed like `idx`)."""
    heads = np.flatnonzero(_match(_sub(norm_sv, rules.trim), rules.heading) & (cls == APPLIED))
    if not len(heads):
        return
    judged = dict(zip(need[idx].tolist(), cls.tolist()))  # global piece index -> class of the SV pieces
    for i in heads:  # few: SV pieces that end with a colon
        g = int(need[idx[i]])
        for nxt in (g + 1, g + 2):
            if nxt >= len(raw) or parent[nxt] != parent[g]:
                break
            if nxt in judged:
                if judged[nxt] in (NEUTRAL, DISMISS):
                    cls[i] = judged[nxt]
                break
            if str(raw[nxt].as_py() or "").strip():
                break


def _lead_linked(raw: pa.Array, parent: np.ndarray, g: np.ndarray, rules: Rules) -> np.ndarray:
    """For pieces g (global indices) that only name SV: is an evaluation lead-in at most `lead_in_reach` pieces
    before, in the same row, with the piece and every piece between no longer than `list_item_max_chars`?"""
    reach, limit = rules.lead_in_reach, rules.list_item_max_chars
    pos = g[:, None] - np.arange(reach + 1)[None, :]  # column 0: the piece itself
    valid = pos >= 0
    posc = np.where(valid, pos, 0)
    valid &= parent[posc] == parent[g][:, None]
    uniq = np.unique(posc[valid])
    take = raw.take(pa.array(uniq, type=pa.int64()))
    lead_u, len_u = _match(take, rules.lead_in), pc.utf8_length(take).to_numpy(zero_copy_only=False)
    loc = np.clip(np.searchsorted(uniq, posc), 0, len(uniq) - 1)
    lead = valid & lead_u[loc]
    short = valid & (len_u[loc] <= limit)
    out = np.zeros(len(g), dtype=bool)
    ok = short[:, 0].copy()
    for k in range(1, reach + 1):
        out |= ok & lead[:, k]
        ok &= short[:, k]  # piece g-k lies between the item and any earlier lead-in
    return out


def _aggregate(pieces: pd.DataFrame, n_rows: int) -> tuple[np.ndarray, ...]:
    """Per row: status, evidence (shortest piece of the winning class), largest weighting, themes."""
    status = np.full(n_rows, "none", dtype=object)
    evidence = np.full(n_rows, "", dtype=object)
    weight = np.full(n_rows, np.nan)
    themes = np.full(n_rows, "", dtype=object)
    if pieces.empty:
        return status, evidence, weight, themes
    rows = pieces["row"].to_numpy()
    gidx = pieces["gidx"].to_numpy()
    cls = pieces["cls"].to_numpy()
    has_app = np.zeros(n_rows, dtype=bool)
    has_app[rows[cls == APPLIED]] = True
    has_dis = np.zeros(n_rows, dtype=bool)
    has_dis[rows[cls == DISMISS]] = True
    status[has_dis] = "dismissed"
    status[has_app] = "applied"

    want = np.where(status[rows] == "applied", APPLIED, np.where(status[rows] == "dismissed", DISMISS, ""))
    win = pieces[(cls == want) & (cls != "")].copy()
    if not win.empty:
        win["len"] = win["evidence"].str.len()
        best = win.sort_values(["row", "len", "gidx"], kind="stable").drop_duplicates("row")
        evidence[best["row"].to_numpy()] = best["evidence"].to_numpy()
        wmax = win.groupby("row")["weight"].max()
        weight[wmax.index.to_numpy()] = wmax.to_numpy()

    # Themes: applied pieces, plus the next piece when it starts "Accordingly", plus the previous piece
    # when the applied piece itself starts "Accordingly" (same row only). `gidx` is sorted and unique.
    app = np.flatnonzero(cls == APPLIED)
    if len(app):
        flags = pieces[list(THEMES)].to_numpy()
        linked = pieces["linked"].to_numpy()
        acc = flags[app].copy()
        for step, link_at_self in ((1, False), (-1, True)):
            target = gidx[app] + step
            pos = np.clip(np.searchsorted(gidx, target), 0, len(gidx) - 1)
            ok = (gidx[pos] == target) & (rows[pos] == rows[app])
            ok &= linked[app] if link_at_self else linked[pos]
            acc[ok] |= flags[pos[ok]]
        per_row = pd.DataFrame(acc, columns=list(THEMES)).groupby(rows[app]).any()
        labels = [_themes_str(tuple(r)) for r in per_row.to_numpy()]
        themes[per_row.index.to_numpy()] = labels
    return status, evidence, weight, themes


PARALLEL_MIN_ROWS = 50_000


def classify(frame: pd.DataFrame, rules: Rules | None = None, workers: int | None = None) -> pd.DataFrame:
    """Vectorised classification (contract in docs/ARCHITECTURE.md); same index as `frame`.

    Large frames are cut into `workers` row blocks classified in threads (Arrow's regex kernels release
    the GIL); rows are independent, so the result equals the single-block run.
    """
    rules = rules or load_rules()
    workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    if workers > 1 and len(frame) >= PARALLEL_MIN_ROWS:
        from concurrent.futures import ThreadPoolExecutor

        bounds = np.linspace(0, len(frame), workers + 1).astype(int)
        blocks = [frame.iloc[a:b] for a, b in zip(bounds, bounds[1:])]
        with ThreadPoolExecutor(workers) as pool:
            parts = list(pool.map(lambda blk: _classify_block(blk, rules), blocks))
        return pd.concat(parts)
    return _classify_block(frame, rules)


def _classify_block(frame: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    title, desc, crit = _input_columns(frame)
    status, evidence, weight, themes, visible, combined = _classify_arrays(_arrow(title), _arrow(desc), _arrow(crit),
                                                                           rules)
    return _format_frame(frame.index, status, evidence, weight, themes, visible, rules.version, combined)


def classify_arrow(title: pa.Array, description: pa.Array, criteria_json: pa.Array,
                   rules: Rules | None = None) -> pa.Table:
    """`classify` on Arrow string columns (no pandas round trip): a table of OUTPUT_COLUMNS, row for row.
    Nulls count as "" (title, description) and "[]" (criteria), as in `classify`."""
    rules = rules or load_rules()
    cols = [pc.fill_null(_large(a), fill) for a, fill in ((title, ""), (description, ""), (criteria_json, "[]"))]
    status, evidence, weight, themes, visible, combined = _classify_arrays(*cols, rules)
    return pa.table({"sv_status": pa.array(status, pa.string()), "evidence": pa.array(evidence, pa.string()),
                     "weighting_pct": pa.array(weight, pa.float64(), from_pandas=True),
                     "themes": pa.array(themes, pa.string()), "criteria_visible": pa.array(visible, pa.bool_()),
                     "rules_version": pa.array([rules.version] * len(status), pa.string()),
                     "combined_weighting_pct": pa.array(combined, pa.float64(), from_pandas=True)})


def _classify_arrays(title: pa.Array, desc: pa.Array, crit: pa.Array, rules: Rules) -> tuple:
    """The fast path on large_string arrays without nulls → (status, evidence, weight, themes, visible, combined)."""
    n = len(title)
    text = pc.binary_join_element_wise(title, desc, pa.scalar("\n", pa.large_string()))

    visible = _match(text, rules.criteria_visible) | pc.not_equal(crit, "[]").to_numpy(zero_copy_only=False)
    cand = np.flatnonzero(_match(text, rules.candidate))
    status = np.full(n, "none", dtype=object)
    evidence = np.full(n, "", dtype=object)
    weight = np.full(n, np.nan)
    themes = np.full(n, "", dtype=object)
    if len(cand):
        # The pieces and their verdicts depend on the text alone: judge each distinct text once (the
        # releases of one procurement often repeat its description) and copy the verdict to its rows.
        encoded = text.take(pa.array(cand, type=pa.int64())).dictionary_encode()
        unique, which = encoded.dictionary, encoded.indices.to_numpy(zero_copy_only=False)
        u_status, u_evidence, u_weight, u_themes = _aggregate(_pieces_fast(unique, rules), len(unique))
        status[cand], evidence[cand], weight[cand], themes[cand] = (
            u_status[which], u_evidence[which], u_weight[which], u_themes[which])

    # Structured award criteria first: a criterion about SV is applied with its weight (svdash.criteria).
    combined = np.full(n, np.nan)
    crit_cand = np.flatnonzero(_match(crit, rules.candidate))
    if len(crit_cand):
        crits = crit.take(pa.array(crit_cand, type=pa.int64())).to_pylist()
        for k, i in enumerate(crit_cand):
            status[i], evidence[i], weight[i], themes[i], combined[i] = _with_criteria(
                criteria.judge(crits[k]), status[i], evidence[i], weight[i], themes[i])
    visible |= ~np.isnan(weight)
    return status, evidence, weight, themes, visible, combined


def _with_criteria(verdict: criteria.Verdict, status: str, evidence: str, weight: float, themes: str) -> tuple:
    """Merge the criteria's verdict into the text's: applied criteria win, and the criterion as published is the
    evidence (it is a verbatim part of the text); the weighting is the criteria's when they state one, none
    when SV only sits inside a combined criterion (the text's number there would be the combined share),
    else the text's."""
    if verdict.status == "applied":
        if status != "applied":
            status, themes = "applied", ""
        evidence = verdict.evidence or evidence
        if not math.isnan(verdict.weighting_pct) or not verdict.pure:
            weight = verdict.weighting_pct
    elif verdict.status == "dismissed" and status == "none":
        status, evidence = "dismissed", verdict.evidence
    return status, evidence, weight, themes, verdict.combined_pct


# ----------------------------------------------------------------------------------------------------
# Baseline (per-row Python apply of the same rules): the oracle for tests and the benchmark
# ----------------------------------------------------------------------------------------------------

@lru_cache(maxsize=4)
def _compiled(rules: Rules) -> dict[str, Any]:
    c = lambda p: re.compile(p, re.ASCII) if p else None  # noqa: E731
    return {
        "split": [(c(p), r) for p, r in rules.split], "trim": [(c(p), r) for p, r in rules.trim],
        "normalise": [(c(p), r) for p, r in rules.normalise], "term": c(rules.term),
        "neutral": c(rules.neutral), "masks": c(rules.masks), "dismiss": c(rules.dismiss),
        "dismiss_except": c(rules.dismiss_except), "neutral_soft": c(rules.neutral_soft),
        "dismiss_unless_applied": c(rules.dismiss_unless_applied),
        "applied": c(rules.applied), "weighting": [c(p) for p in rules.weighting],
        "applied_gated": [(c(p), c(g)) for p, g in rules.applied_gated],
        "neutral_soft_gated": [(c(p), c(g)) for p, g in rules.neutral_soft_gated],
        "themes": [c(p) for _, p in rules.themes], "linked": c(rules.linked_sentence),
        "visible": c(rules.criteria_visible), "candidate": c(rules.candidate), "lead_in": c(rules.lead_in),
        "heading": c(rules.heading),
    }


def _search(rx, s: str) -> bool:
    return bool(rx and rx.search(s))


def _classify_one(title: str, desc: str, crit: str, rules: Rules) -> tuple:
    cr = _compiled(rules)
    text = f"{title}\n{desc}"
    visible = _search(cr["visible"], text) or crit != "[]"
    status, evidence, weight, themes = "none", "", math.nan, ""
    if cr["candidate"].search(text):
        marked = text
        for rx, repl in cr["split"]:
            marked = rx.sub(repl, marked)
        pieces = []
        raws = marked.split(SEP)
        for raw in raws:
            norm = raw
            for rx, repl in cr["normalise"]:
                norm = rx.sub(repl, norm)
            linked = _search(cr["linked"], cr["trim"][0][0].sub(cr["trim"][0][1], norm))
            flags = tuple(_search(rx, norm) for rx in cr["themes"])
            cls, w = "", math.nan
            head = False
            if cr["term"].search(norm):
                trimmed = norm
                for rx, repl in cr["trim"]:
                    trimmed = rx.sub(repl, trimmed)
                head = _search(cr["heading"], trimmed)
                sv = cr["masks"].sub(" ", norm) if cr["masks"] else norm
                w = math.nan
                for rx in cr["weighting"]:
                    m = rx.search(sv)
                    value = _weight_value(m.groupdict(), rules) if m else None
                    if value is not None:
                        w = value
                        break
                applied = (_search(cr["applied"], sv) or any(g.search(sv) and p.search(sv) for p, g in cr["applied_gated"])
                           or any(rx.search(sv) for rx in cr["weighting"]))
                if _search(cr["neutral"], sv):
                    cls = NEUTRAL
                elif (_search(cr["dismiss"], sv) and not _search(cr["dismiss_except"], sv)
                      and not (applied and _search(cr["dismiss_unless_applied"], sv))):
                    cls = DISMISS
                elif _search(cr["neutral_soft"], sv) or any(g.search(sv) and p.search(sv)
                                                             for p, g in cr["neutral_soft_gated"]):
                    cls = NEUTRAL
                elif applied:
                    cls = APPLIED
                else:
                    cls = MENTION
            ev = raw
            for rx, repl in cr["trim"]:
                ev = rx.sub(repl, ev)
            pieces.append((cls, w, ev, linked, flags, head))
        if cr["lead_in"] and rules.lead_in_reach:
            for k, p in enumerate(pieces):
                if p[0] == MENTION and _lead_linked_one(raws, k, cr["lead_in"], rules):
                    pieces[k] = (APPLIED,) + p[1:]
        if cr["heading"]:
            for k, p in enumerate(pieces):
                if p[0] != APPLIED or not p[5]:
                    continue
                for j in (k + 1, k + 2):
                    if j >= len(pieces):
                        break
                    if pieces[j][0]:
                        if pieces[j][0] in (NEUTRAL, DISMISS):
                            pieces[k] = (pieces[j][0],) + p[1:]
                        break
                    if raws[j].strip():
                        break
        pieces = [(p[0], p[1] if p[0] == APPLIED else math.nan) + p[2:] for p in pieces]
        classes = [p[0] for p in pieces]
        win = APPLIED if APPLIED in classes else DISMISS if DISMISS in classes else ""
        if win:
            status = "applied" if win == APPLIED else "dismissed"
            chosen = [p for p in pieces if p[0] == win]
            evidence = min(chosen, key=lambda p: len(p[2]))[2]
            ws = [p[1] for p in chosen if not math.isnan(p[1])]
            weight = max(ws) if ws else math.nan
            acc = [False, False, False]
            for k, p in enumerate(pieces):
                if p[0] != APPLIED:
                    continue
                use = [p[4]]
                if k + 1 < len(pieces) and pieces[k + 1][3]:
                    use.append(pieces[k + 1][4])
                if k > 0 and p[3]:
                    use.append(pieces[k - 1][4])
                for f in use:
                    acc = [a or b for a, b in zip(acc, f)]
            themes = _themes_str(tuple(acc))
    combined = math.nan
    if cr["candidate"].search(crit):
        status, evidence, weight, themes, combined = _with_criteria(criteria.judge(crit), status, evidence, weight,
                                                                    themes)
    visible = visible or not math.isnan(weight)
    return status, evidence, weight, themes, visible, combined


def _lead_linked_one(raws: list[str], k: int, lead_rx: re.Pattern, rules: Rules) -> bool:
    limit = rules.list_item_max_chars
    if len(raws[k]) > limit:
        return False
    for j in range(k - 1, max(-1, k - 1 - rules.lead_in_reach), -1):
        if lead_rx.search(raws[j]):
            return True
        if len(raws[j]) > limit:
            return False
    return False


def classify_baseline(frame: pd.DataFrame, rules: Rules | None = None) -> pd.DataFrame:
    """Row-by-row Python classification with the same rules (slow; the oracle for `classify`)."""
    rules = rules or load_rules()
    title, desc, crit = _input_columns(frame)
    results = [_classify_one(t, d, c, rules) for t, d, c in zip(title, desc, crit)]
    cols = list(zip(*results)) if results else [[], [], [], [], [], []]
    return _format_frame(frame.index, *cols[:5], rules.version, cols[5])
