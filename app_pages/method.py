"""Method: the measures registry, sources and licences, and the limits of coverage."""
from __future__ import annotations

import streamlit as st

from svdash import counts as vocabulary
from svdash import figures
from svdash.export import ADOPTION_LICENCE, NOTICES_LICENCE
from svdash.filters import measure_registry
from svdash.geo import ATTRIBUTION
from ui import page

d, flt = page.start("Method")
regs = measure_registry()
st.markdown(f"Measures registry version **{regs[0].get('registry_version', '?') if regs else '?'}** "
            "(`svdash/measures.yaml`). Each measure names its numerator and denominator; shares carry a Wilson 95 % "
            "interval; a value resting on fewer than the measure's minimum number is marked *few procurements* (grey on "
            "maps, shown in tables, never hidden).")

st.header("Statuses")
st.markdown("- **Applied** — the notice shows social value as an award criterion, requirement or weighting.\n"
            "- **Dismissed** — the notice mentions social value only to say it does not apply.\n"
            "- **No social value evidence in the published notice** — neither; this is *not* the same as "
            "*not applied*, because most notices publish no award criteria.")

st.header("Measures")
for m in regs:
    with st.expander(f"{m['title']} (`{m['id']}`)"):
        st.markdown(f"**Numerator:** {m.get('numerator')}  \n**Denominator:** {m.get('denominator')}  \n"
                    f"**Unit:** {m.get('unit')} · **higher is:** {m.get('higher_is')} · **minimum n:** {m.get('min_n')} · "
                    f"**based on:** {m.get('basis')}")
        st.markdown(f"**Why it matters.** {m.get('rationale', '')}")
        if m.get("categories"):
            st.markdown("**Categories** (each council is one, in this order of strength)\n" + "\n".join(
                f"- **{c['label']}** — {c['meaning']}" for c in m["categories"]))
        if m.get("binary_labels"):
            st.markdown(f"**For one council** the value is 1 (“{m['binary_labels']['with']}”) or 0 "
                        f"(“{m['binary_labels']['without']}”).")
        st.markdown("**Caveats**\n" + "\n".join(f"- {c}" for c in m.get("caveat_texts", [])))
        st.markdown("**Changelog**\n" + "\n".join(f"- {c.get('date')}: {c.get('change')}"
                                                  for c in m.get("changelog", [])))
        st.caption(f"Author: {m.get('author')} · checked by: {m.get('checker')} · next review {m.get('next_review')}")

st.header("What is counted")
st.markdown("Four units, the same words on every page, in `svdash stats`, the README and the downloads:\n"
            + "\n".join(f"- **{vocabulary.UNITS[u]}** — {vocabulary.UNIT_DEFINITIONS[u]}"
                        for u in vocabulary.UNITS))
read = d.counts() if d.ok else {}
k = read.get("counts")
if k:
    st.markdown(
        "In this store (read live, so these cannot go stale):\n"
        f"- {k['notices'].n:,} notices of {k['procurements'].n:,} procurements (all buyers); of them "
        f"{k['notices_council'].text()} of {k['procurements_council'].text()}.\n"
        f"- Practice: {figures.notice_figures(k)}. The first is the share the notice measures and the Overview "
        "report; the Findings page's count of council procurements is the second; `svdash stats` `applied` is "
        "the third.\n"
        + (f"- Councils: {vocabulary.headline_sentence(k)}" if k["councils_categorised"].n else
           "- Councils: this store was built before the evidence categories; rebuild it (`python -m svdash build`) "
           "for the council counts."))

st.header("Coverage limits")
if read.get("coverage"):
    st.markdown("What the data in this store can and cannot show today, source by source:\n"
                + "\n".join(f"- {line}" for line in figures.coverage_lines(read))
                + f"\n- {figures.limits_text(read)}")
n_rec, n_auth = read.get("adoption", (0, 0))
st.markdown(
    "- Contracts Finder lists contracts above £10k (central) / £25k (sub-central), raised to £12k / £30k in "
    "December 2022; Find a Tender starts in 2021 and Procurement Act 2023 notices on 24 February 2025.\n"
    f"- Adoption records ({n_rec:,} records for {n_auth:,} councils) are evidence found, not a census: no record "
    "means unknown.\n"
    "- Evidence of adoption per council rests on its own record and its own notices. County councils (upper tier "
    "in two-tier areas) are drawn as outlines on the lower-tier map and listed beside the hex map; records of "
    "abolished councils count for today's single successor (Somerset County Council → Somerset Council).\n"
    "- Adoption trends place a year-only date on 31 December of that year and a month-only date on the month's last "
    "day (never earlier than the record says); undated records are counted and listed, not placed.\n"
    "- County groups use the majority of districts by count (population is not embedded).")

st.header("Sources and licences")
st.markdown("\n".join(f"- {line}" for line in [NOTICES_LICENCE, ADOPTION_LICENCE, *ATTRIBUTION]))
if d.ok and d.info:
    st.caption("Build: " + ", ".join(f"{k} = {v}" for k, v in d.info.items()))
