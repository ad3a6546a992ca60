"""The campaign's questions answered as sentences: one function per answer, shared by the Findings page and the
briefing PDF (svdash.brief), so both say the same thing with the same figures.

Each answer is a `Finding`: a lead (the answer, shown bold) and a detail (the context), plain text without
markup; the page adds the bold, the PDF sets the lead in a bold font.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from svdash import views
from svdash.geo import GROUP_ORDER, REGION_ORDER
from svdash.stats import wilson_interval

HEADLINE_WHAT = {
    "adoption_evidence": "have evidence of adoption (a cited policy record or a notice applying social value)",
    "adoption_recorded_share": "have a cited record of an adopted social value policy",
}


@dataclass(frozen=True)
class Finding:
    lead: str
    detail: str = ""

    @property
    def joint(self) -> str:
        """What goes between lead and detail: nothing before punctuation ("Rural: …"), else a space."""
        return "" if not self.detail or self.detail.startswith((":", ",", ";", ".")) else " "

    def markdown(self) -> str:
        """The page's form: the lead in bold, then the detail."""
        return f"**{self.lead}**{self.joint}{self.detail}"

    def text(self) -> str:
        return f"{self.lead}{self.joint}{self.detail}"


def label(unit: str) -> str:
    """First letter up, the rest as written: 'metropolitan' → 'Metropolitan', 'Yorkshire and The Humber' kept."""
    return unit[:1].upper() + unit[1:]


def the(region: str) -> str:
    """A region as a sentence names it: 'the East of England', 'London', 'Yorkshire and The Humber'."""
    return region if region in ("London", "Yorkshire and The Humber") else f"the {region}"


def cells(values: pd.DataFrame, level: str, keys: list[str], measure: str) -> pd.DataFrame:
    """One all-periods cell per unit of a level: unit, value, ci_low, ci_high, numerator, denominator,
    n_notices_all (0 / NaN when the store has none)."""
    rows = []
    for key in keys:
        c = views.one_value(values, measure, level, key)
        rows.append({"unit": key, "value": c.get("value", float("nan")), "ci_low": c.get("ci_low", float("nan")),
                     "ci_high": c.get("ci_high", float("nan")), "numerator": c.get("numerator", 0),
                     "denominator": c.get("denominator", 0), "n_notices_all": c.get("n_notices_all", 0)})
    out = pd.DataFrame(rows, columns=["unit", "value", "ci_low", "ci_high", "numerator", "denominator",
                                      "n_notices_all"])
    for col in ("numerator", "denominator", "n_notices_all"):
        out[col] = pd.to_numeric(out[col], errors="coerce").fillna(0).astype(int)
    return out


def figure(row: pd.Series | dict) -> str:
    """'40.6 % (28 of 69; 95 % interval 29.8–52.4 %)'."""
    return (f"{row['value'] * 100:.1f} % ({int(row['numerator']):,} of {int(row['denominator']):,}; 95 % interval "
            f"{row['ci_low'] * 100:.1f}–{row['ci_high'] * 100:.1f} %)")


def unit_sentence(row: pd.Series | dict, what: str) -> Finding:
    """'Rural: 12.0 % (…).' or 'cannot be measured — 0 <denominator>.'"""
    if row["denominator"] == 0:
        return Finding(label(row["unit"]), f": cannot be measured — 0 {what}.")
    return Finding(label(row["unit"]), f": {figure(row)}.")


def overlap(a: pd.Series | dict, b: pd.Series | dict) -> bool:
    return not (a["ci_low"] > b["ci_high"] or b["ci_low"] > a["ci_high"])


def groups_finding(values: pd.DataFrame, measure: str) -> Finding | None:
    """Question 1: metropolitan against rural councils (None when the store has no value by group)."""
    by = cells(values, "comparison_group", list(GROUP_ORDER), measure).set_index("unit")
    if by["denominator"].sum() == 0:
        return None
    what = HEADLINE_WHAT.get(measure, "are counted")
    metro, rural = by.loc["metropolitan"], by.loc["rural"]
    verdict = ("the intervals overlap, so the data cannot tell them apart" if overlap(metro, rural) else
               "the intervals do not overlap" if metro["value"] != rural["value"] else "the shares are equal")
    more = ("more often" if metro["value"] > rural["value"] else
            "less often" if metro["value"] < rural["value"] else "as often")
    return Finding(f"On the evidence of adoption, metropolitan councils show it {more} than rural ones: "
                   f"{figure(metro)} of metropolitan councils {what}, against {figure(rural)} of rural councils; "
                   f"{verdict}.", f"Other urban councils: {figure(by.loc['other urban'])}.")


def group_finding(values: pd.DataFrame, measure: str, group: str) -> Finding | None:
    """One comparison group against England (the group briefing pack's lead finding)."""
    row = cells(values, "comparison_group", [group], measure).iloc[0]
    eng = views.one_value(values, measure, "england", "England")
    if row["denominator"] == 0 or not eng:
        return None
    what = HEADLINE_WHAT.get(measure, "are counted")
    versus = ("its interval overlaps England's, so it cannot be told apart from the national figure"
              if overlap(row, eng) else
              "its interval lies " + ("below" if row["value"] < eng["value"] else "above") + " England's")
    return Finding(f"{figure(row)} of {group} councils {what}, against {figure(eng)} for England; {versus}.")


def region_finding(values: pd.DataFrame, measure: str, region: str = "East of England") -> Finding | None:
    """Question 2: a region's rank among the nine and against England (None when there is no value by region)."""
    regions = cells(values, "region", list(REGION_ORDER), measure)
    eng = views.one_value(values, measure, "england", "England")
    rby = regions.set_index("unit")
    if rby["denominator"].sum() == 0 or not eng or rby.loc[region, "denominator"] == 0:
        return None
    what = HEADLINE_WHAT.get(measure, "are counted")
    row = rby.loc[region]
    ranked = regions[regions["denominator"].gt(0)].sort_values("value", ascending=False).reset_index(drop=True)
    rank = int(ranked.index[ranked["unit"].eq(region)][0]) + 1
    versus = ("its interval overlaps England's, so it cannot be told apart from the national figure"
              if overlap(row, eng) else
              "its interval lies " + ("below" if row["value"] < eng["value"] else "above") + " England's")
    return Finding(f"{label(the(region))} ranks {rank} of {len(ranked)} regions: {figure(row)} of its councils {what}, "
                   f"against {figure(eng)} for England; {versus}.",
                   f"Highest: {ranked['unit'].iloc[0]} ({ranked['value'].iloc[0] * 100:.1f} %); lowest: "
                   f"{ranked['unit'].iloc[-1]} ({ranked['value'].iloc[-1] * 100:.1f} %).")


def dismissal_finding(counts: pd.DataFrame) -> Finding:
    """Question 3: council procurements that mention social value only to dismiss it (from views.status_counts)."""
    total = int(counts["n"].sum())
    if total == 0:
        return Finding("No council procurements are in the data.")
    sby = counts.set_index("sv_status")
    dismissed, applied = int(sby.loc["dismissed", "n"]), int(sby.loc["applied", "n"])
    mention = dismissed + applied
    lo, hi = (float(x[0]) * 100 for x in wilson_interval([dismissed], [total]))
    share_mention = (f"{dismissed / mention * 100:.1f} % of the {mention:,} that mention it" if mention else
                     "none of them mention social value at all")
    return Finding(f"Of {total:,} council procurements, {dismissed:,} mention social value only to dismiss it: "
                   f"{dismissed / total * 100:.1f} % (95 % interval {lo:.1f}–{hi:.1f} %; {share_mention}).",
                   f"{applied:,} apply it; {int(sby.loc['none', 'n']):,} show no social value evidence in the "
                   f"published notice. Only {int(counts['n_criteria_visible'].sum()):,} publish any award criteria.")
