"""One vocabulary of counts: every headline figure the pages, `svdash stats`, the Method page, the README and the
exports show, computed from the store in one place, each with its unit and its denominator.

Four units, the same words everywhere:
- **notices** — OCDS releases: every tender, update and award notice as published (all buyers unless said);
- **procurements** — OCDS ocids: a tender and its award are one procurement, with the strongest evidence of
  its notices (the unit every notice measure counts);
- **procurements with visible evaluation criteria** — procurements whose notices publish award criteria or an evaluation
  statement (the denominator of the share applying social value);
- **councils** — English councils: 296 lower-tier councils + 21 county councils = 317.

Figures that look alike differ by unit or scope (council buyers or all buyers); `Count.text()` says both, so
"9 of 54 council procurements with visible evaluation criteria", "13 of 426 council procurements" and "153 of 1,541
notices (all buyers)" explain each other instead of contradicting.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

UNITS = {
    "notices": "notices",
    "procurements": "procurements",
    "visible": "procurements with visible evaluation criteria",
    "councils": "councils",
}
UNIT_DEFINITIONS = {
    "notices": "OCDS releases: every tender, update and award notice as published",
    "procurements": "OCDS ocids: a tender and its award count once, with the strongest evidence of their notices",
    "visible": "procurements whose notices publish award criteria or an evaluation statement",
    "councils": "English councils: lower-tier councils (districts, unitaries, metropolitan districts, London "
                "boroughs) and county councils",
}
# OCDS publisher prefixes of the embedded and ingested sources (ocid = prefix + the publisher's own id)
SOURCES = {"ocds-b5fd17-": "Contracts Finder", "ocds-h6vhtk-": "Find a Tender",
           "ocds-r6ebe6-": "Public Contracts Scotland", "ocds-kuma6s-": "Sell2Wales"}
CATEGORY_ORDER = ("both", "policy_only", "practice_only", "developing", "unknown")


@dataclass(frozen=True)
class Count:
    """One figure: `n` of `of` (None: a plain count), both in `unit` (a key of UNITS), for `scope`
    ("council" = council buyers, "all" = all buyers, "" = councils themselves)."""
    key: str
    n: int
    unit: str
    of: int | None = None
    scope: str = ""

    def noun(self) -> str:
        words = UNITS[self.unit]
        return f"council {words}" if self.scope == "council" else words

    def text(self) -> str:
        """'9 of 54 council procurements with visible evaluation criteria', '153 of 1,541 notices, all buyers'."""
        tail = ", all buyers" if self.scope == "all" else ""
        if self.of is None:
            return f"{self.n:,} {self.noun()}{tail}"
        return f"{self.n:,} of {self.of:,} {self.noun()}{tail}"


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> tuple:
    return con.execute(sql).fetchall()[0]


def _has(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    rows = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [table]).fetchall()
    return bool(rows[0][0])


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {r[0] for r in con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ?",
                                      [table]).fetchall()}


def store_counts(con: duckdb.DuckDBPyConnection) -> dict[str, Count]:
    """Every headline count of the store, keyed. Missing tables (a store before `build`) count 0."""
    c: dict[str, Count] = {}
    if _has(con, "notice_facts"):
        n, nc, app, appc, dis = _one(con, """SELECT count(*), count(*) FILTER (WHERE buyer_kind = 'council'),
            count(*) FILTER (WHERE sv_status = 'applied'),
            count(*) FILTER (WHERE sv_status = 'applied' AND buyer_kind = 'council'),
            count(*) FILTER (WHERE sv_status = 'dismissed') FROM notice_facts""")
    else:
        n = int(_one(con, "SELECT count(*) FROM releases")[0]) if _has(con, "releases") else 0
        nc = app = appc = dis = 0
    c["notices"] = Count("notices", int(n), "notices", scope="all")
    c["notices_council"] = Count("notices_council", int(nc), "notices", scope="council")
    c["notices_applied"] = Count("notices_applied", int(app), "notices", int(n), "all")
    c["notices_applied_council"] = Count("notices_applied_council", int(appc), "notices", int(nc), "council")
    c["notices_dismissed"] = Count("notices_dismissed", int(dis), "notices", int(n), "all")
    row = (0,) * 8
    if _has(con, "procurement_facts"):
        row = _one(con, """SELECT count(*), count(*) FILTER (WHERE sv_status = 'applied'),
            count(*) FILTER (WHERE buyer_kind = 'council'),
            count(*) FILTER (WHERE buyer_kind = 'council' AND criteria_visible),
            count(*) FILTER (WHERE buyer_kind = 'council' AND sv_status = 'applied'),
            count(*) FILTER (WHERE buyer_kind = 'council' AND sv_status = 'applied' AND criteria_visible),
            count(*) FILTER (WHERE buyer_kind = 'council' AND sv_status = 'dismissed'),
            count(*) FILTER (WHERE buyer_kind = 'council' AND sv_status = 'dismissed' AND criteria_visible)
            FROM procurement_facts""")
    p, papp, pc, pcv, pca, pcav, pcd, pcdv = (int(x or 0) for x in row)
    c["procurements"] = Count("procurements", p, "procurements", scope="all")
    c["procurements_applied_all"] = Count("procurements_applied_all", papp, "procurements", p, "all")
    c["procurements_council"] = Count("procurements_council", pc, "procurements", scope="council")
    c["procurements_council_visible"] = Count("procurements_council_visible", pcv, "visible", pc, "council")
    c["procurements_applied"] = Count("procurements_applied", pca, "procurements", pc, "council")
    c["procurements_applied_visible"] = Count("procurements_applied_visible", pcav, "visible", pcv, "council")
    c["procurements_dismissed"] = Count("procurements_dismissed", pcd, "procurements", pc, "council")
    c["procurements_dismissed_visible"] = Count("procurements_dismissed_visible", pcdv, "visible", pcv, "council")
    cats = {k: 0 for k in CATEGORY_ORDER}
    if _has(con, "measure_values") and "category" in _columns(con, "measure_values"):  # older stores lack it
        for cat, k in con.execute("""SELECT coalesce(nullif(category, ''), 'unknown'), count(DISTINCT unit_code)
                FROM measure_values WHERE measure_id = 'adoption_evidence' AND level = 'council'
                AND period_type = 'all' GROUP BY 1""").fetchall():
            cats[str(cat)] = cats.get(str(cat), 0) + int(k)
    from svdash.geo import load_councils

    councils = load_councils()
    total = len(councils)
    upper = int(councils["tier"].eq("upper").sum())
    c["councils"] = Count("councils", total, "councils")
    c["councils_lower"] = Count("councils_lower", total - upper, "councils", total)
    c["councils_county"] = Count("councils_county", upper, "councils", total)
    counted = sum(cats.values())
    # councils with a stored category: 0 in a store built before the headline (no council figures to give)
    c["councils_categorised"] = Count("councils_categorised", counted, "councils", total)
    cats["unknown"] += max(total - counted, 0)  # a council without a row has no evidence found
    for k in CATEGORY_ORDER:
        c[f"councils_{k}"] = Count(f"councils_{k}", cats[k], "councils", total)
    found = total - cats["unknown"]
    c["councils_with_evidence"] = Count("councils_with_evidence", found, "councils", total)
    c["councils_adopted_or_practice"] = Count("councils_adopted_or_practice", found - cats["developing"],
                                              "councils", total)
    c["councils_policy_record"] = Count("councils_policy_record", cats["both"] + cats["policy_only"], "councils", total)
    c["councils_practice"] = Count("councils_practice", cats["both"] + cats["practice_only"], "councils", total)
    return c


def category_split(counts: dict[str, Count]) -> list[tuple[str, int]]:
    """The five categories that add up to all councils, in order, as (category id, n)."""
    return [(k, counts[f"councils_{k}"].n) for k in CATEGORY_ORDER]


def headline_sentence(counts: dict[str, Count]) -> str:
    """The headline with how 'policy in development' enters it, said next to the number."""
    ev, dev = counts["councils_with_evidence"], counts["councils_developing"]
    return (f"{ev.n:,} of {ev.of:,} councils have evidence of adoption: {counts['councils_both'].n:,} a policy "
            f"record and practice in notices, {counts['councils_policy_only'].n:,} a policy record only, "
            f"{counts['councils_practice_only'].n:,} practice in notices only and {dev.n:,} a policy in "
            f"development (counted as evidence; without them {counts['councils_adopted_or_practice'].n:,}); "
            f"{counts['councils_unknown'].n:,} have no evidence found (unknown, not 'not adopted').")


def coverage(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Per source (by OCDS publisher prefix): notices, council notices, council procurements with visible evaluation criteria
    and applying social value, the first and last notice day and how many days have notices."""
    if not _has(con, "notice_facts"):
        return []
    cases = " ".join(f"WHEN starts_with(ocid, '{p}') THEN '{name}'" for p, name in SOURCES.items())
    rows = con.execute(f"""
        WITH n AS (SELECT CASE {cases} ELSE 'other' END AS source_name, * FROM notice_facts),
        p AS (SELECT CASE {cases} ELSE 'other' END AS source_name, * FROM procurement_facts)
        SELECT n.source_name, count(*), count(*) FILTER (WHERE buyer_kind = 'council'),
               min(date)::DATE, max(date)::DATE, count(DISTINCT date::DATE),
               (SELECT count(*) FROM p WHERE p.source_name = n.source_name AND buyer_kind = 'council'),
               (SELECT count(*) FROM p WHERE p.source_name = n.source_name AND buyer_kind = 'council'
                                         AND criteria_visible),
               (SELECT count(*) FROM p WHERE p.source_name = n.source_name AND buyer_kind = 'council'
                                         AND sv_status = 'applied')
        FROM n GROUP BY 1 ORDER BY min(date)""").fetchall()
    keys = ["source", "notices", "notices_council", "first_date", "last_date", "days", "procurements_council",
            "procurements_council_visible", "procurements_applied"]
    out = []
    for r in rows:
        d = dict(zip(keys, r))
        d["first_date"] = "" if d["first_date"] is None else d["first_date"].isoformat()
        d["last_date"] = "" if d["last_date"] is None else d["last_date"].isoformat()
        out.append({k: (int(v) if isinstance(v, int) else v) for k, v in d.items()})
    return out


def weighted_councils(con: duckdb.DuckDBPyConnection) -> list[tuple[str, float | None]]:
    """Councils with a procurement applying social value, with the largest stated weighting (None: no weight),
    strongest first then by name: what the embedded days show."""
    if not _has(con, "procurement_facts"):
        return []
    rows = con.execute("""SELECT buyer_gss_code, max(weighting_pct) FROM procurement_facts
                          WHERE buyer_kind = 'council' AND sv_status = 'applied' GROUP BY 1""").fetchall()
    from svdash.geo import load_councils

    names = dict(zip(*[load_councils()[c] for c in ("gss_code", "name")]))
    out = [(names.get(code, code), None if w is None else float(w)) for code, w in rows]
    return sorted(out, key=lambda t: (-(t[1] if t[1] is not None else -1), t[0]))


def adoption_counts(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """(records, councils they are about) in the store's adoption records."""
    if not _has(con, "adoption_records"):
        return 0, 0
    n, k = _one(con, "SELECT count(*), count(DISTINCT gss_code) FROM adoption_records")
    return int(n), int(k)


def read(db_path: str | Path) -> dict:
    """Everything above from a store file, read-only: {"counts", "coverage", "weighted", "adoption"}. A store
    that cannot be opened (missing, or locked by a build writing it) raises views.StoreReadError, as every
    dashboard read does."""
    from svdash import views

    con = views.open_read_only(Path(db_path))
    try:
        return {"counts": store_counts(con), "coverage": coverage(con), "weighted": weighted_councils(con),
                "adoption": adoption_counts(con)}
    finally:
        con.close()


def stats_keys(counts: dict[str, Count]) -> dict[str, int]:
    """Keys `svdash stats` adds to its contract (../shared/DESIGN.md keys are kept as they are: `applied` and
    `dismissed` count notices of all buyers)."""
    keys = ["notices_council", "procurements_council", "procurements_council_visible", "procurements_applied",
            "procurements_applied_visible", "councils", "councils_with_evidence", "councils_developing"]
    return {k: counts[k].n for k in keys}


def as_dicts(counts: dict[str, Count]) -> list[dict]:
    return [asdict(v) | {"text": v.text()} for v in counts.values()]
