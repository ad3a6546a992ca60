"""Social value in a notice's published award criteria: Find a Tender's structured criteria (the award criteria
breakdown extension: `tender.lots[].awardCriteria.criteria[]` with name, description, type and `numbers[]`) and
criteria published only as words in a criteria block ("60% Technical, 10% Social Value and 30% Commercial").

`judge(award_criteria_json)` reads the items `svdash.sources.ocds.award_criteria` writes and returns one verdict:
- a criterion that is about social value alone ("Social Value", "Social Value Outputs", "Quality (Social
  Value)", "Social Value – Carbon and The Circular Economy", "Method Statement 5: Approach to Social Value", or a
  generic name such as "Quality 2" or "Criterion 3" whose description is about social value alone, "Social
  Value: how the bidder will deliver local employment") → `applied`, weighting = the share of that lot's evaluation given to such criteria (their weights summed;
  largest lot); its `type` does not matter (a criterion typed `price` but named "Social Value" is still
  social value);
- a COMBINED criterion, whose share is not social value's alone ("Quality including Social Value",
  "Technical / Social Value / Presentation", "Net Zero & Social Value") → `applied` with no weighting; its
  share is kept as `combined_pct`;
- a social value criterion weighted 0 % or described as not applicable → `dismissed` (LABELS.md: mentioned
  only to say it is not assessed), unless another criterion applies it;
- evidence = the criterion as rendered into the notice text (`ocds.render_criterion`), so it is a verbatim
  substring of the description the classifier and the dashboard show.
Only stated shares count as weightings: ranges, "up to" and points are not (LABELS.md).
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass

from svdash.sources.ocds import render_criterion

# Bump when a change here can change a verdict: it is part of the classifier's rules version, so stored
# classifications made under the old logic are recomputed by the next build.
CRITERIA_VERSION = "2"  # 2 (issue 22): generic category names ("Quality 2") take their description's subject

# Social value and its statutory / method synonyms. "TOMs" stays case-sensitive ("Target Operating Model
# ('TOM')" is not the National TOMs).
SV_TERM = re.compile(r"(?i:social[\s-]*value|community[\s-]+benefits?|\bppn\s?0?6/20\b|"
                     r"procurement policy note 0?6/20|themes,? outcomes,? (?:and|&) measures)|\bTOMs\b")
# Words that name a part of an evaluation, not a topic: left over after removing the SV term they do not make
# a criterion combined ("Social Value Questionnaire", "Approach to Social Value", "Method Statement 5").
_GENERIC = {
    "question", "questions", "questionnaire", "response", "responses", "output", "outputs", "outcome", "outcomes",
    "commitment", "commitments", "criteria", "criterion", "proposal", "proposals", "plan", "plans", "assessment",
    "evaluation", "element", "elements", "section", "part", "method", "statement", "statements", "approach",
    "weighting", "weighted", "weight", "score", "scored", "scoring", "marks", "award", "sub", "lot", "stage",
    "the", "and", "of", "to", "for", "your", "our", "in", "on", "a", "an", "&", "with", "total", "overall",
    "offer", "offers", "delivery", "deliverables", "measures", "model", "matrix", "toms", "national", "themes",
}
# Category words that head a criterion whose subject follows a dash, colon or bracket: "Quality - Social Value",
# "Quality (Social Value)", "Technical: Social Value" are about social value alone.
_HEAD = r"(?:quality|technical|qualitative|non[- ]?price|non[- ]?cost|award criteri(?:on|a)|criteri(?:on|a)|question|" \
        r"method statement|section|part|lot|stage)(?:\s*[0-9a-z](?:\.[0-9]+)?)?"
# A name that only says which part of the evaluation a criterion is ("Quality", "Quality 2", "Technical",
# "Criterion 3", "Question 4.1", "Section B"): what it is about is in its description.
_GENERIC_NAME = re.compile(r"^\s*(?:quality|technical|qualitative|non[- ]?price|non[- ]?cost|award criteri(?:on|a)|"
                           r"(?:sub[- ]?)?criteri(?:on|a)|question|method statement|section|part|lot|stage)"
                           r"(?:\s*(?:no\.?\s*)?(?:[0-9]{1,3}(?:\.[0-9]+)*|[a-z]))?\s*[:.)\-–—]?\s*$", re.I)
_SUBTITLE_SV = re.compile(rf"^\s*{_HEAD}\s*(?:[-–—:]\s*|\(\s*)(?={SV_TERM.pattern})", re.I)
_LEADING_SV_DASH = re.compile(rf"^\s*(?:{SV_TERM.pattern})\s*[-–—:]\s*\S", re.I)
_NOT_APPLIED = re.compile(r"(?i)^\s*(?:n/?a|none|nil|not applicable|not relevant|not used)\s*\.?\s*$|"
                          r"\bnot (?:be )?(?:applicable|relevant|evaluated|scored|assessed|weighted|included)\b")
# A stated share: "10%", "10 per cent"; a range ("10-20%", "10 to 20%") or a cap ("up to 10%") is not one.
_PCT = re.compile(r"(?P<pre>(?:up to|upto|maximum(?: of)?|max\.?|a maximum of)\s*)?"
                  r"(?P<rng>\d{1,3}(?:\.\d+)?\s*%?\s*(?:-|–|to)\s*)?"
                  r"(?P<num>\d{1,3}(?:\.\d+)?)\s*(?:%|per ?cent\b)", re.I)
_CONNECTOR = re.compile(r"^[\s,;:/|&.\-–—()\[\]]*(?:and|or|with)?[\s,;:/|&.\-–—()\[\]]*|"
                        r"[\s,;:/|&.\-–—()\[\]]*(?:and|or|with)?[\s,;:/|&.\-–—()\[\]]*$", re.I)


@dataclass(frozen=True)
class Verdict:
    status: str = ""             # "applied", "dismissed" or "" (the criteria say nothing about social value)
    weighting_pct: float = math.nan    # stated share of social value alone
    combined_pct: float = math.nan     # share of a criterion that combines social value with something else
    evidence: str = ""           # verbatim: the criterion as rendered into the notice text
    pure: bool = False           # a criterion about social value alone was found (its weight may be unstated)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


def is_sv_alone(label: str) -> bool:
    """True when a criterion label that names social value is about social value only."""
    if _SUBTITLE_SV.search(label) or _LEADING_SV_DASH.search(label):
        return True
    rest = SV_TERM.sub(" ", label)
    return all(w in _GENERIC for w in _words(rest))


def weighted_items(text: str) -> list[tuple[str, float | None, str]]:
    """(label, share or None, verbatim span) for each percentage in a criteria list written as words. The layout
    decides which label a number belongs to: a list that opens with a number ("60% Technical, 10% Social
    Value") gives each number the words after it; otherwise ("Quality - 90% Social Value - 10%") the words
    before it. A number never takes a neighbouring item's label."""
    matches = list(_PCT.finditer(text))
    if not matches:
        return []
    number_first = not re.search(r"[A-Za-z]", text[:matches[0].start()])
    out = []
    for k, m in enumerate(matches):
        if number_first:
            end = matches[k + 1].start() if k + 1 < len(matches) else len(text)
            start, stop = m.end(), end
        else:
            start = matches[k - 1].end() if k else 0
            stop = m.start()
        label = _CONNECTOR.sub("", text[start:stop].split("\n")[0 if number_first else -1])
        share = None if m.group("pre") or m.group("rng") else float(m.group("num"))
        if share is not None and not 0 <= share <= 100:
            share = None
        span_start, span_end = (m.start(), m.start() + (stop - m.start())) if number_first else (start, m.end())
        span = re.sub(r"(?:\s+(?:and|or))+$", "", text[span_start:span_end].strip(" ,;:|\n\t"))
        out.append((label, share, span))
    return out


def _items(criteria_json: str) -> list[dict]:
    try:
        items = json.loads(criteria_json or "[]")
    except (TypeError, ValueError):
        return []
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def judge(criteria_json: str) -> Verdict:
    """The criteria's verdict on social value (see the module docstring)."""
    lots: dict[str, dict] = {}   # lot → {"pure": [weights or None], "combined": [...], "evidence": ...}
    dismissals: list[str] = []

    def lot_of(item: dict) -> dict:
        return lots.setdefault(str(item.get("lot", "")), {"pure": [], "combined": [], "pure_ev": "", "comb_ev": "",
                                                         "text_pure": [], "text_comb": []})

    for item in _items(criteria_json):
        name = str(item.get("name") or "")
        desc = str(item.get("description") or "")
        # `text` is how the criterion reads in the notice text; items written before it existed are rendered
        # the same way here
        text = str(item.get("text") or "") or (desc if item.get("kind") == "text" else render_criterion(
            name or str(item.get("type") or ""), desc, _number(item.get("weight_pct"))))
        if item.get("kind") == "text" or len(_PCT.findall(name)) >= 2:
            # a criteria list written as words (a block's text, or a criterion named "Quality - 90% Social
            # Value - 10% Price - Pass/Fail")
            source = text if item.get("kind") == "text" else name
            for label, share, span in weighted_items(source):
                if not SV_TERM.search(label):
                    continue
                span = span if span in text else text
                alone = is_sv_alone(label)
                if alone and share == 0:
                    dismissals.append(span)
                    continue
                lot_of(item)["text_pure" if alone else "text_comb"].append((share, span))
            # Words without a share ("Cost and Social Value", "quality (including social value)") are prose:
            # the text classifier judges them; here only a stated list counts.
            continue
        name_sv, desc_sv = bool(SV_TERM.search(name)), bool(SV_TERM.search(desc))
        if not (name_sv or desc_sv):
            continue
        weight = _number(item.get("weight_pct"))
        if weight is None and desc_sv:
            # "Social Value" described as "Quality - Social Value 10%": the share stated in words
            shares = [s for label, s, _ in weighted_items(desc) if SV_TERM.search(label) and s is not None]
            weight = shares[0] if len(shares) == 1 else None
        if name_sv:
            alone = is_sv_alone(name)
        else:  # a generic name ("Method Statement 5", "Quality 2") described as social value ("Approach to
            # Social Value", "Social Value: local employment"): a social value criterion, weighted by its own numbers
            alone = all(w in _GENERIC for w in _words(name)) or bool(_GENERIC_NAME.match(name))
            alone = alone and is_sv_alone(desc)
        if alone and (weight == 0 or _NOT_APPLIED.search(desc)):
            dismissals.append(text)
            continue
        lot = lot_of(item)
        if alone:
            lot["pure"].append(weight)
            lot["pure_ev"] = lot["pure_ev"] or text
        else:
            lot["combined"].append(weight)
            lot["comb_ev"] = lot["comb_ev"] or text

    best_w, best_c, evidence, pure_found = math.nan, math.nan, "", False
    for lot in lots.values():
        pure = lot["pure"] or [s for s, _ in lot["text_pure"]]
        if pure:
            pure_found = True
            if all(w is not None for w in pure):
                total = float(sum(pure))
                if 0 < total <= 100 and (math.isnan(best_w) or total > best_w):
                    best_w = total
            evidence = evidence or lot["pure_ev"] or (lot["text_pure"][0][1] if lot["text_pure"] else "")
        combined = [w for w in lot["combined"] + [s for s, _ in lot["text_comb"]] if w is not None]
        if combined and (math.isnan(best_c) or max(combined) > best_c):
            best_c = float(max(combined))
    if not evidence:
        for lot in lots.values():
            evidence = evidence or lot["comb_ev"] or (lot["text_comb"][0][1] if lot["text_comb"] else "")
    if lots:
        return Verdict("applied", best_w, best_c, evidence, pure_found)
    if dismissals:
        return Verdict("dismissed", math.nan, math.nan, dismissals[0], False)
    return Verdict()
