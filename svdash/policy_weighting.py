"""A council's social value weighting as its own policy states it: a policy weighting, not a procurement's.

An adoption record's `weighting_pct` is the weighting the council's policy sets for its procurements (a minimum,
a standard weighting, a cap or a range), not the weighting of any one procurement, which only a notice shows.
`with_policy_weighting` says which (`weighting_basis`) from the record's own words and, where the curated column
is blank but the record's text states a weighting in the classifier's weighting grammar ("a minimum 10 % social
value weighting"), reads it from there (`weighting_source` = "record text"). Never a number the text does not
state: the grammar reads no cap ("up to 20 %"), no range and no weighting that is not social value's.
"""
from __future__ import annotations

import math
import re

import pandas as pd

# What a record's weighting is, as its words say (shown as "<basis> weighting 10 %").
MINIMUM, STANDARD, MAXIMUM, RANGE, AS_RECORDED = (
    "policy minimum", "policy standard", "policy maximum", "policy range, lower end", "policy (as recorded)")
PROCUREMENT = "procurement"  # a notice's own stated weighting (notice_facts / procurement_facts)
TEXT_FIELDS = ("policy_name", "note", "source_title")

_MINIMUM = re.compile(r"(?i)\b(?:minimum|at least|no less than|not less than|a floor of|mandatory minimum)\b")
_MAXIMUM = re.compile(r"(?i)\b(?:up to|upto|maximum|max\.?|capped|a cap of|no more than)\b")


def _number_spans(text: str, pct: float) -> list[re.Match]:
    """Where `pct` is written as a percentage ("10%", "10 %", "10 per cent")."""
    num = f"{pct:g}".replace(".", r"\.")
    return list(re.finditer(rf"(?<![\d.]){num}(?:\.0+)?\s*(?:%|per ?cent\b)", text, re.I))


def _clause(text: str, start: int, end: int) -> tuple[str, str]:
    """The words before and after a number within its clause (up to 60 and 40 characters, not across . or ;)."""
    before = re.split(r"[.;]\s", text[max(0, start - 60):start])[-1]
    after = re.split(r"[.;](?:\s|$)", text[end:end + 40])[0]
    return before, after


def basis(text: str, pct: float) -> str:
    """What the weighting `pct` is in the record's own words: the lower end of a range ("5-20%"), a minimum
    ("a minimum 10%", "at least 10%", "15% mandatory minimum"), a cap ("up to 20%"), else the standard
    weighting; "policy (as recorded)" when the words do not give the number (it came from the cited source)."""
    if pct is None or (isinstance(pct, float) and math.isnan(pct)):
        return ""
    num = f"{pct:g}".replace(".", r"\.")
    if re.search(rf"(?<![\d.]){num}\s*%?\s*[-–]\s*\d{{1,3}}\s*(?:%|per ?cent)|between {num}\s*%? and \d", text, re.I):
        return RANGE
    spans = _number_spans(text, pct)
    if not spans:
        return AS_RECORDED
    for m in spans:
        before, after = _clause(text, m.start(), m.end())
        if _MINIMUM.search(before) or _MINIMUM.search(after[:25]):
            return MINIMUM
        if _MAXIMUM.search(before[-25:]):
            return MAXIMUM
    return STANDARD


def stated_weightings(texts: pd.Series) -> pd.Series:
    """Per text: the social value weighting the classifier's weighting grammar reads in it (NaN when none)."""
    from svdash.classify import classify  # the rules load on first use; adoption code runs without them

    if texts.empty:
        return pd.Series(dtype="float64", index=texts.index)
    out = classify(pd.DataFrame({"title": "", "description": texts.astype(str), "award_criteria_json": "[]"},
                                index=texts.index))
    return out["weighting_pct"].where(out["sv_status"].eq("applied")).astype("float64")


def record_text(records: pd.DataFrame) -> pd.Series:
    """A record's own words: policy name, note and source title."""
    parts = [records[c].fillna("").astype(str) for c in TEXT_FIELDS if c in records.columns]
    if not parts:
        return pd.Series("", index=records.index, dtype=object)
    text = parts[0]
    for p in parts[1:]:
        text = text.str.cat(p, sep=". ")
    return text


def with_policy_weighting(records: pd.DataFrame) -> pd.DataFrame:
    """The records with `weighting_pct` as published (filled from the record's text where the column is blank
    and the text states one), `weighting_basis` (see `basis`; "" without a weighting) and `weighting_source`
    ("record": the curated column, "record text": read from the words, "" without a weighting)."""
    out = records.copy()
    w = pd.to_numeric(out.get("weighting_pct", pd.Series(math.nan, index=out.index)), errors="coerce")
    text = record_text(out)
    blank = w.isna()
    source = pd.Series("", index=out.index, dtype=object).mask(w.notna(), "record")
    if blank.any():
        read = stated_weightings(text[blank])
        w = w.fillna(read)
        source = source.mask(blank & w.notna(), "record text")
    out["weighting_pct"] = w.astype("float64")
    out["weighting_basis"] = [basis(t, x) for t, x in zip(text, w)]
    out["weighting_source"] = source
    return out
