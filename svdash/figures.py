"""Figures written from the store, never by hand: the README's generated blocks and the Method page's coverage
limits, in the words of svdash/counts.py.

`readme_blocks(read)` gives the text of each `<!-- figures:NAME:start -->…<!-- figures:NAME:end -->` block;
`python -m svdash readme-figures` writes them into README.md from the embedded snapshot, and a test fails when
the README differs (a stale figure fails CI instead of reaching a reader).
"""
from __future__ import annotations

import json
import re

from svdash.counts import Count

START, END = "<!-- figures:{name}:start -->", "<!-- figures:{name}:end -->"


def _pct(c: Count) -> str:
    return f"{c.n / c.of * 100:.1f} %" if c.of else "–"


def _weights(weighted: list[tuple[str, float | None]]) -> str:
    """'Wigan at 15 %, Bradford and Oldham at 10 % (Hartlepool without a weight)'."""
    by_weight: dict[float, list[str]] = {}
    unweighted = []
    for name, w in weighted:
        (unweighted.append(name) if w is None else by_weight.setdefault(w, []).append(name))
    parts = [f"{_join(names)} at {w:g} %" for w, names in by_weight.items()]
    text = "; ".join(parts)
    if unweighted:
        text += (" (" if text else "") + f"{_join(unweighted)} without a stated weight" + (")" if text else "")
    return text


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def notice_figures(c: dict[str, Count]) -> str:
    """The three practice figures side by side, each with its denominator, and why they differ."""
    return (f"{c['procurements_applied_visible'].text()} apply social value "
            f"({_pct(c['procurements_applied_visible'])}, the share the notice measures report) · "
            f"{c['procurements_applied'].text()} ({_pct(c['procurements_applied'])}; the others publish no "
            f"criteria to read) · {c['notices_applied'].text()} ({_pct(c['notices_applied'])}; every tender, "
            "update and award notice, of councils and other buyers)")


def coverage_lines(read: dict) -> list[str]:
    """What the embedded data can and cannot show, one line per source, from the store."""
    lines = []
    for s in read["coverage"]:
        span = s["first_date"] if s["first_date"] == s["last_date"] else f"{s['first_date']} to {s['last_date']}"
        if s["notices_council"] == 0:
            lines.append(f"**{s['source']}**: {s['notices']:,} notices ({span}), none from an English council: "
                         "examples of wording (community benefits, dismissals), not counted in any English "
                         "measure.")
            continue
        vis = s["procurements_council_visible"]
        lines.append(
            f"**{s['source']}**: {s['notices']:,} notices on {s['days']} days ({span}); "
            f"{s['procurements_council']:,} council procurements, {vis:,} of them with visible evaluation criteria, "
            f"{s['procurements_applied']:,} applying social value"
            + (" — where a notice publishes award criteria, practice can be read" if vis else
               " — no award criteria published")
            + ("; the others publish none, so where their notices say nothing of social value that is *no "
               "evidence in the published notice*, not *not applied*." if vis < s["procurements_council"] else "."))
    return lines


def limits_text(read: dict) -> str:
    c = read["counts"]
    vis, pc = c["procurements_council_visible"], c["procurements_council"]
    most = max(read["coverage"], key=lambda s: s["procurements_council_visible"], default=None)
    where = (f" ({most['procurements_council_visible']:,} of them in {most['source']} notices)"
             if most and most["procurements_council_visible"] else "")
    return (f"Only {vis.n:,} of {pc.n:,} council procurements ({_pct(vis)}) publish award criteria{where}: the data can show *that* councils apply social value and at what weight where a "
            "notice says so, and which councils have a cited policy; it cannot show how often councils apply it "
            "across all their buying, nor any trend in practice over time (the practice quarters are few). A "
            "council without evidence is unknown, not non-adopting.")


def readme_blocks(read: dict, stats: dict) -> dict[str, str]:
    """NAME → the block's text (between its markers)."""
    c = read["counts"]
    n_rec, n_auth = read["adoption"]
    fts = [s for s in read["coverage"] if s["source"] == "Find a Tender"]
    lines = ["**What the embedded data can show** (written from the embedded store by "
             "`python -m svdash readme-figures`; a test fails when this block is stale):", ""]
    lines += [f"- {line}" for line in coverage_lines(read)]
    if read["weighted"]:
        where = " on the Find a Tender days" if fts else ""
        lines.append(f"- Councils whose notices apply social value{where} ({len(read['weighted'])}): "
                     f"{_weights(read['weighted'])}.")
    lines += [
        f"- **Headline:** {c['councils_with_evidence'].text()} ({_pct(c['councils_with_evidence'])}) have evidence "
        f"of adoption. The five categories add up to {c['councils'].n:,} ({c['councils_lower'].n:,} lower-tier + "
        f"{c['councils_county'].n:,} county councils): {c['councils_both'].n:,} policy record and practice in "
        f"notices, {c['councils_policy_only'].n:,} policy record only, {c['councils_practice_only'].n:,} practice "
        f"in notices only, {c['councils_developing'].n:,} policy in development (counted as evidence; without "
        f"them {c['councils_adopted_or_practice'].n:,}), {c['councils_unknown'].n:,} no evidence found.",
        f"- **Practice in the notices:** {notice_figures(c)}.",
        f"- **Adoption records:** {n_rec:,} cited records for {n_auth:,} councils date the policy layer since 2013.",
        f"- **Limits:** {limits_text(read)}",
    ]
    stats_text = json.dumps(stats)
    # wrapped after the contract's keys, as the README showed it
    cut = stats_text.index('"notices_council"') if '"notices_council"' in stats_text else len(stats_text)
    stats_block = ["```text", "$ python -m svdash stats", stats_text[:cut].rstrip(), stats_text[cut:], "```"]
    return {"coverage": "\n".join(lines), "stats": "\n".join(line for line in stats_block if line)}


def replace_blocks(text: str, blocks: dict[str, str]) -> str:
    """`text` with each named block's content replaced; a block whose markers are missing is an error."""
    for name, body in blocks.items():
        start, end = START.format(name=name), END.format(name=name)
        pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), flags=re.DOTALL)
        if not pattern.search(text):
            raise ValueError(f"README has no {start} … {end} block")
        text = pattern.sub(lambda _m: f"{start}\n{body}\n{end}", text, count=1)
    return text
