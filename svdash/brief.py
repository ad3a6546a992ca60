"""Briefing packs (a region or a comparison group) and council cards as PDF: what a working group hands round.

Pure: the store's tables (svdash.views.read_store) and, for a card, the council's notices and records go in,
PDF bytes come out. Every figure is read through the functions the dashboard and `svdash export` use
(export.filtered_table / screen_table, findings, measures.adoption_steps), so a pack says what the export
says for the same filters. Pages, tables, the map and the step lines are drawn by svdash.pdf_draw (fpdf2),
imported only when a PDF is drawn: a page that offers a PDF does not pay fpdf2's import (≈0.3 s) on its view.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

import pandas as pd

from svdash import export, findings, geo, measures, views
from svdash.filters import Filters, category_ids, measure_def
from svdash.geo import GROUP_ORDER, REGION_ORDER

HEADLINE = "adoption_evidence"
KINDS = ("region", "group", "council")
STATUS_WORDS = {"policy_adopted": "Social value policy adopted", "charter_adopted": "Charter adopted",
                "strategy_adopted": "Strategy adopted", "developing": "Policy in development",
                "none_found": "Stated that no policy exists"}
SHORT_STATUS = {"applied": "Applied", "dismissed": "Dismissed", "none": "No evidence in notice"}
OTHER_FILL = "#ffffff"  # councils outside a group's pack: outlined, not filled


def plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


class ScopeError(ValueError):
    """An unknown region, group or council: the message lists the allowed values (one line)."""


@dataclass
class Scope:
    kind: str   # region | group | council
    key: str    # the region name, the group, or the council's GSS code
    name: str   # how the title says it

    @property
    def area(self) -> str:
        """'the councils of East of England' / 'rural councils': how sentences name the pack's councils."""
        return f"councils of {findings.the(self.name)}" if self.kind == "region" else f"{self.key} councils"

    @property
    def filters(self) -> Filters:
        """The dashboard / export filters of a pack's league table (lower tier, the headline measure)."""
        if self.kind == "region":
            return Filters(measure=HEADLINE, region=self.key)
        if self.kind == "group":
            return Filters(measure=HEADLINE, group=self.key)
        return Filters(measure=HEADLINE, council=self.key)

    @property
    def pooled(self) -> Filters:
        """The filters of the pack's headline row (`svdash export --geography region|group`)."""
        if self.kind == "region":
            return Filters(measure=HEADLINE, geography="region", region=self.key)
        return Filters(measure=HEADLINE, geography="group", group=self.key)


def resolve(kind: str, value: str, councils: pd.DataFrame | None = None) -> Scope:
    """The scope a `--region`, `--group` or `--council` value names; ScopeError (listing what is allowed) else."""
    if kind == "region":
        if value not in REGION_ORDER:
            raise ScopeError(f"--region {value!r} is not a region; use one of "
                             + ", ".join(repr(r) for r in REGION_ORDER))
        return Scope("region", value, value)  # titles: "Social value briefing: East of England"
    if kind == "group":
        if value not in GROUP_ORDER:
            raise ScopeError(f"--group {value!r} is not a comparison group; use one of "
                             + ", ".join(repr(g) for g in GROUP_ORDER))
        return Scope("group", value, f"{findings.label(value)} councils")
    if kind == "council":
        councils = geo.load_councils() if councils is None else councils
        row = councils[councils["gss_code"].eq(value)]
        if row.empty:
            raise ScopeError(f"--council {value!r} is not an English council's ONS (GSS) code; use one of the "
                             f"{len(councils)} councils' codes, the closest: {close_councils(value, councils)}")
        return Scope("council", value, str(row["name"].iloc[0]))
    raise ScopeError(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")


def close_councils(value: str, councils: pd.DataFrame, n: int = 5) -> str:
    """The councils a refused --council value may have meant, 'E08000025 (Birmingham), …': names containing
    it, else the nearest names or codes by spelling (all 317 would not fit on one line)."""
    from rapidfuzz import fuzz, process

    names = dict(zip(councils["gss_code"], councils["name"]))
    hits = [c for c, name in names.items() if value.strip().lower() in name.lower()] if value.strip() else []
    if not hits:
        choices = {c: f"{c} {name}" for c, name in names.items()}
        hits = [c for _, _, c in process.extract(value, choices, scorer=fuzz.WRatio, limit=n)]
    return ", ".join(f"{c} ({names[c]})" for c in hits[:n])


# ----------------------------------------------------------------------------------------------- content

@dataclass
class PackData:
    """Everything a region or group pack shows, read from the store's tables."""

    scope: Scope
    headline: pd.Series                 # export's pooled row (screen_table columns) for the area
    league: pd.DataFrame                # export's screen table (lower tier) for the area
    league_raw: pd.DataFrame            # the same rows before screen_table: gss_code, category, …
    counties: pd.DataFrame              # county councils of the area not in the league table
    findings: list[findings.Finding]
    steps: dict[str, pd.DataFrame]      # unit label → adoption_steps rows
    undated: int
    latest: str
    info: dict[str, Any] = field(default_factory=dict)
    synthetic: bool = False


def _headline_row(scope: Scope, tables: dict[str, pd.DataFrame]) -> pd.Series:
    mdef = measure_def(HEADLINE)
    pooled = export.screen_table(export.filtered_table(scope.pooled, tables), mdef, scope.pooled.geography)
    return pooled.iloc[0]


def pack_data(tables: dict[str, pd.DataFrame], scope: Scope, status_counts: pd.DataFrame | None = None,
              end: date | None = None) -> PackData:
    """The figures of a region or group pack (no drawing), each from the function the dashboard uses."""
    values = tables["measure_values"]
    mdef = measure_def(HEADLINE)
    flt = scope.filters
    raw = export.filtered_table(flt, tables)
    league = export.screen_table(raw, mdef, flt.geography)
    raw = export.evidence_first(raw, mdef.get("categories") or [])  # the screen table's row order
    councils = geo.load_councils()
    summary = views.adoption_summary_of(tables)
    counties = views.county_table(HEADLINE, values[values["level"].eq("council")], summary, councils)
    counties = counties[counties["region_name"].eq(scope.key) if scope.kind == "region"
                        else counties["comparison_group"].eq(scope.key)]
    counties = counties[~counties["gss_code"].isin(raw["gss_code"])]
    counties = export.evidence_first(counties, mdef.get("categories") or []).reset_index(drop=True)

    found: list[findings.Finding] = []
    if scope.kind == "region":
        found.append(findings.region_finding(values, HEADLINE, scope.key))
    else:
        found.append(findings.group_finding(values, HEADLINE, scope.key))
    found.append(findings.groups_finding(values, HEADLINE))
    level = "region" if scope.kind == "region" else "comparison_group"
    for mid in ("sv_applied_share", "sv_applied_share_all"):
        m = measure_def(mid)
        cell = findings.cells(values, level, [scope.key], mid).iloc[0]
        s = findings.unit_sentence(cell, m["denominator"])
        found.append(findings.Finding(f"{m['title']} — {s.lead}", f"{s.detail} Denominator: {m['denominator']}."))
    if status_counts is not None:
        d = findings.dismissal_finding(status_counts)
        found.append(findings.Finding("England: " + d.lead, d.detail))

    timeline = measures.adoption_timeline(summary, councils)
    end = end or date.today()
    end = max([end, *[t.date() for t in timeline["placed"].dropna()]])
    trend_level = "region" if scope.kind == "region" else "comparison_group"
    own = measures.adoption_steps(timeline, councils, trend_level, end)
    eng = measures.adoption_steps(timeline, councils, "england", end)
    undated = measures.undated_counts(timeline, councils, trend_level)
    n_undated = int(undated.loc[undated["unit"].eq(scope.key), "n_undated"].sum())
    info = views.build_facts(tables.get("build_info"))
    latest = str((tables.get("store_summary") if tables.get("store_summary") is not None
                  else pd.DataFrame([{"latest_date": ""}]))["latest_date"].iloc[0] or info.get("latest_date", ""))[:10]
    return PackData(scope=scope, headline=_headline_row(scope, tables), league=league,
                    league_raw=raw.reset_index(drop=True), counties=counties,
                    findings=[f for f in found if f is not None],
                    steps={scope.name: own[own["unit"].eq(scope.key)].reset_index(drop=True),
                           "England": eng.reset_index(drop=True)},
                    undated=n_undated, latest=latest, info=info, synthetic=views.is_synthetic(tables))


def _category_meta() -> tuple[list[dict[str, Any]], dict[str, str], dict[str, str]]:
    cats = measure_def(HEADLINE)["categories"]
    return cats, {c["id"]: c["colour"] for c in cats}, {c["id"]: c["label"] for c in cats}


def _now(generated_at: datetime | None) -> datetime:
    return (generated_at or datetime.now(timezone.utc)).replace(microsecond=0)


def _sources(pdf: Any, filters_used: list[str], info: dict[str, Any], generated: str) -> None:
    pdf.h2("Filters used", room=25)
    for line in filters_used:
        pdf.para("• " + line, size=8.5, gap=0.5)
    pdf.h2("Sources and attribution", room=30)
    for line in [export.NOTICES_LICENCE, export.ADOPTION_LICENCE, *geo.ATTRIBUTION]:
        pdf.para("• " + line, size=8.5, gap=0.5)
    pdf.para("Details, versions and caveats per file: data/SOURCES.md in the svdash repository.", size=8.5)
    mdef = measure_def(HEADLINE)
    pdf.para("How to cite: " + export.CITATION.format(version=mdef.get("registry_version", ""),
                                                      built=info.get("built_at", "unknown"), generated=generated),
             size=8.5, style="I")


def region_pack_pdf(tables: dict[str, pd.DataFrame], scope: Scope, status_counts: pd.DataFrame | None = None,
                    generated_at: datetime | None = None) -> bytes:
    """A region or comparison-group briefing pack as PDF bytes."""
    from svdash.pdf_draw import MARGIN, BriefPDF, draw_map, draw_steps, shapes_of
    now = _now(generated_at)
    data = pack_data(tables, scope, status_counts, end=now.date())
    mdef = measure_def(HEADLINE)
    cats, colour, labels = _category_meta()
    title = f"Social value briefing: {scope.name}"
    pdf = BriefPDF(title, now.date().isoformat(), data.synthetic)
    pdf.add_page()
    pdf.h1(title)
    pdf.para(f"Generated {now.date().isoformat()} · data as of {data.latest or 'unknown'} (latest notice date) · "
             f"measures {mdef.get('registry_version', '')}", size=8.5)

    h = data.headline
    num, den = int(h["Numerator"]), int(h["Denominator"])
    share = h["Share with evidence of adoption (%)"]
    pdf.h2("Headline")
    pdf.finding(findings.Finding(
        f"Evidence of adoption: {share:.1f} % ({num:,} of {den:,} councils; 95 % interval "
        f"{h['95% interval low (%)']:.1f}–{h['95% interval high (%)']:.1f} %).",
        f"{findings.label(scope.area)} with a cited policy record (adopted or in development) or a notice applying "
        f"social value, of all {den:,} councils, county councils included. 'No evidence found' means unknown, "
        "not 'not adopted'."), size=10.5)

    # the map, with the legend counted beside it
    raw = data.league_raw
    cat_of = category_ids(raw, cats)
    lad = geo.lad_geojson()
    if scope.kind == "region":
        codes = list(raw["gss_code"])
        tol = 0.004
    else:
        codes = [f["id"] for f in lad["features"]]
        tol = 0.01
    shapes = shapes_of(lad, codes, tol)
    fill = dict(zip(raw["gss_code"], cat_of.map(colour)))
    cat_by_code = dict(zip(raw["gss_code"], cat_of))
    shape_frame = pd.DataFrame({"geometry": list(shapes.values()),
                                "colour": [fill.get(c, OTHER_FILL) for c in shapes],
                                "category": [cat_by_code.get(c, "") for c in shapes]})
    outlines = None
    if len(data.counties):
        cshapes = shapes_of(geo.utla_geojson(), data.counties["gss_code"], tol)
        ccat = dict(zip(data.counties["gss_code"], category_ids(data.counties, cats)))
        outlines = pd.DataFrame({"geometry": list(cshapes.values()),
                                 "colour": [colour[ccat[c]] for c in cshapes]})
    pdf.h2(f"Map: {scope.area} by evidence of adoption")
    top = pdf.get_y()
    draw_map(pdf, shape_frame, (MARGIN, top, 112, 95), outlines,
             edge="#ffffff" if scope.kind == "region" else "#b5b5b5")
    # legend
    counts = cat_of.value_counts()
    ccounts = category_ids(data.counties, cats).value_counts() if len(data.counties) else pd.Series(dtype=int)
    lx, ly = MARGIN + 117, top + 2
    pdf.font(8, "B")
    pdf.set_xy(lx, ly)
    pdf.cell(0, 4, pdf.t("Evidence of adoption (councils)"))
    ly += 6
    for c in cats:
        pdf.swatch(lx, ly, c["colour"], category=c["id"])
        pdf.set_xy(lx + 5, ly - 0.3)
        pdf.font(8)
        n = int(counts.get(c["id"], 0))
        extra = f" + {int(ccounts.get(c['id'], 0))} county" if int(ccounts.get(c["id"], 0)) else ""
        pdf.multi_cell(58, 3.8, pdf.t(f"{c['label']}: {n}{extra}"), new_x="LMARGIN", new_y="NEXT", align="L")
        ly = pdf.get_y() + 1.5
    pdf.font(7.5)
    pdf.set_xy(lx, ly + 2)
    note = (f"{len(raw)} lower-tier and unitary councils filled"
            + (f"; {len(data.counties)} county councils drawn as thick outlines in their own category's colour "
               "(a county's evidence is its own, not its districts')" if len(data.counties) else "")
            + ("; other councils of England in white" if scope.kind == "group" else "")
            + ". Colours from the Okabe–Ito palette, two categories hatched; the table below names each "
              "council's category, so the pack reads in black and white too.")
    pdf.multi_cell(63, 3.4, pdf.t(note), new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_y(max(pdf.get_y(), top + 97))

    pdf.h2("What the data says")
    for f in data.findings:
        pdf.finding(f, size=9)

    pdf.h2(f"Adoption since 2013: councils with a dated policy record, {scope.name} and England", room=105)
    y = pdf.get_y() + 2
    lines = [(scope.name, data.steps[scope.name], "#0072B2", (0, 0)), ("England", data.steps["England"], "#555555", (1.6, 1.0))]
    draw_steps(pdf, lines, now.date(), (MARGIN + 12, y, 165, 60))
    pdf.para(f"Cumulative share of all councils of the area (county councils included) with a cited record of an "
             f"adopted policy, charter or strategy, on the date of its earliest dated record (a year-only date "
             f"counts from 31 December). Undated records among the {scope.area}: {data.undated}, counted in the headline "
             "but not placed on the line. The headline also counts policies in development and practice in "
             "notices, so it is higher than this line.", size=8)

    pdf.h2(f"League table: {len(data.league)} {scope.area}, strongest evidence first")
    pdf.para("The rows of svdash export for the same filters (every council the headline counts, county councils "
             "included). Adoption record: the council's selected record; Applying SV: its procurements whose published notice applies social "
             "value.", size=8)
    lg = data.league
    second = "Comparison group" if scope.kind == "region" else "Region"
    rows = [[r["Council"], r["ONS code"], r["Evidence of adoption"], r["Adoption record"], r[export.RECORD_DATE],
             "" if pd.isna(r["Procurements applying social value"]) else str(int(r["Procurements applying social value"])),
             r[second]] for _, r in lg.iterrows()]
    pdf.table_rows(["Council", "ONS code", "Evidence of adoption", "Adoption record", "Record date",
                    "Applying SV", second], rows, [37, 16, 41, 26, 17, 14, 26], size=7,
                   colours=list(cat_of.map(colour)))
    if len(data.counties):
        pdf.h2(f"County councils ({len(data.counties)}) among the {scope.area}: their own evidence, counted in the "
               "headline")
        crows = [[r.name, r.gss_code, labels.get(c, c), export.RECORD_STATUS_LABELS.get(r.record_status, r.record_status),
                  r.record_date, str(int(r.n_applied))]
                 for r, c in zip(data.counties.itertuples(), category_ids(data.counties, cats))]
        pdf.table_rows(["County council", "ONS code", "Evidence of adoption", "Adoption record", "Record date",
                        "Applying SV"], crows, [45, 18, 46, 32, 18, 18], size=7,
                       colours=list(category_ids(data.counties, cats).map(colour)))

    pdf.h2("What each category means")
    for c in cats:
        pdf.para(f"{c['label']}: {c['meaning']}.", size=8, gap=0.5)
    pdf.h2("Caveats")
    for c in mdef.get("caveat_texts", [])[:5]:
        pdf.para("• " + c, size=8, gap=0.5)
    used = [f"Area: {scope.kind} = {scope.key!r} (svdash brief --{scope.kind} {scope.key!r})",
            f"Headline: svdash export --measure {HEADLINE} --geography {scope.pooled.geography} "
            f"--{scope.kind} {scope.key!r}",
            f"League table: svdash export --measure {HEADLINE} --geography lower --{scope.kind} {scope.key!r} "
            f"({Filters.describe(scope.filters)})",
            "Period: all years since 2013 (the measure is computed for all years together)"]
    _sources(pdf, used, data.info, now.isoformat())
    return bytes(pdf.output())


# ----------------------------------------------------------------------------------------------- council card

def council_card_pdf(tables: dict[str, pd.DataFrame], scope: Scope, notices: pd.DataFrame,
                     records: pd.DataFrame | None = None, generated_at: datetime | None = None) -> bytes:
    """A council card as PDF bytes: its evidence category, its adoption records with their sources, its
    procurements with weightings and quotes (notice_facts columns only: never contact details), its peers.
    `notices` is views.council_notices for the council; `records` the adoption records in use (default:
    the store's)."""
    from svdash.pdf_draw import MARGIN, BriefPDF, draw_map, shapes_of
    now = _now(generated_at)
    values = tables["measure_values"]
    cats, colour, labels = _category_meta()
    meaning = {c["id"]: c["meaning"] for c in cats}
    councils = geo.load_councils()
    row = councils[councils["gss_code"].eq(scope.key)].iloc[0]
    own = views.one_value(values, HEADLINE, "council", scope.key)
    category = str(own.get("category") or "unknown") if own else "unknown"
    records = tables.get("adoption_records") if records is None else records
    recs = (records[records["gss_code"].astype(str).eq(scope.key)] if records is not None and len(records)
            else pd.DataFrame(columns=["status"]))
    procs = views.council_procurements(notices)
    info = views.build_facts(tables.get("build_info"))
    summary = tables.get("store_summary")
    latest = str(summary["latest_date"].iloc[0] if summary is not None and len(summary) else "")[:10]

    title = f"Council card: {row['name']}"
    pdf = BriefPDF(title, now.date().isoformat(), views.is_synthetic(tables))
    pdf.add_page()
    top = pdf.get_y()
    # a locator map top right: the council in its category's colour among its region's councils
    region = councils[councils["region_name"].eq(row["region_name"]) & councils["tier"].ne("upper")]
    lad = shapes_of(geo.lad_geojson(), region["gss_code"], 0.004)
    fill = colour.get(category, "#d9d9d9") if row["tier"] != "upper" else "#eeeeee"
    frame = pd.DataFrame({"geometry": list(lad.values()),
                          "colour": [fill if c == scope.key else "#eeeeee" for c in lad],
                          "category": [category if c == scope.key and row["tier"] != "upper" else "" for c in lad]})
    outline = None
    if row["tier"] == "upper":
        cshape = shapes_of(geo.utla_geojson(), [scope.key], 0.004)
        outline = pd.DataFrame({"geometry": list(cshape.values()), "colour": [colour.get(category, "#777777")]})
    draw_map(pdf, frame, (pdf.w - MARGIN - 42, top, 42, 36), outline, edge="#ffffff")
    pdf.set_xy(pdf.w - MARGIN - 42, top + 36.5)
    pdf.font(6.5)
    pdf.set_text_color(80)
    pdf.cell(42, 3, pdf.t(f"{row['name']} in {findings.the(row['region_name'])}"), align="C")
    pdf.set_text_color(0)
    pdf.set_xy(MARGIN, top)
    pdf.set_right_margin(MARGIN + 47)
    pdf.h1(title)
    tier = " · county council (upper tier of a two-tier area)" if row["tier"] == "upper" else ""
    pdf.para(f"{str(row['council_type']).capitalize()} · {row['region_name']} · {row['comparison_group']} · "
             f"ONS code {scope.key}{tier}", size=9)
    pdf.para(f"Generated {now.date().isoformat()} · data as of {latest or 'unknown'} (latest notice date)", size=8.5)
    pdf.set_right_margin(MARGIN)
    pdf.set_y(max(pdf.get_y(), top + 40))

    pdf.h2("Evidence of adoption")
    y = pdf.get_y()
    pdf.swatch(MARGIN, y + 0.6, colour.get(category, "#d9d9d9"), size=4.5, category=category)
    pdf.set_xy(MARGIN + 7, y)
    pdf.font(11, "B")
    pdf.multi_cell(0, 5.5, pdf.t(labels.get(category, category)), new_x="LMARGIN", new_y="NEXT")
    pdf.para(findings.label(meaning.get(category, "")) + ".", size=9)
    n_applied = int(procs["sv_status"].eq("applied").sum()) if len(procs) else 0
    pdf.para(f"Practice in notices: {n_applied} procurement{'s' if n_applied != 1 else ''} whose published notice "
             "applies social value." if n_applied else
             "Practice in notices: no procurement of this council in the data has a notice applying social value "
             "(no evidence in the published notices, not 'not applied').", size=9)

    pdf.h2(f"Adoption records ({len(recs)})")
    if recs.empty:
        pdf.para("None found for this council: unknown, not 'no policy' (records are evidence found on public "
                 "pages, not a census).", size=9)
    for r in recs.to_dict("records"):
        when = r.get("adopted_date") or "date not stated"
        weight = r.get("weighting_pct")
        wtext = f", policy weighting {float(weight):g} %" if pd.notna(pd.to_numeric(weight, errors="coerce")) else ""
        pdf.finding(findings.Finding(f"{STATUS_WORDS.get(r.get('status'), r.get('status'))}:",
                                     f"{r.get('policy_name') or 'unnamed'} ({when}{wtext}; confidence "
                                     f"{r.get('confidence') or 'not stated'})."), size=9)
        url = views.safe_url(r.get("source_url"))
        if url:
            pdf.set_text_color(0, 70, 160)
            pdf.para(f"Source: {r.get('source_title') or url} — {url}", size=7.5, link=url, gap=2)
            pdf.set_text_color(0)

    pdf.h2(f"Procurements ({len(procs)}), newest first")
    if procs.empty:
        pdf.para("No notices from this council are in the data.", size=9)
    else:
        counts = procs["sv_status"].value_counts()
        pdf.para(f"{plural(len(procs), 'procurement')} ({plural(len(notices), 'notice')}; the notices of one procurement count once): "
                 f"{counts.get('applied', 0)} apply social value, {counts.get('dismissed', 0)} dismiss it, "
                 f"{counts.get('none', 0)} show no social value evidence in the published notice.", size=8.5)
        rows = [[("" if pd.isna(p["date"]) else p["date"].date().isoformat()), p["title"],
                 SHORT_STATUS.get(p["sv_status"], p["status_label"]),
                 "" if pd.isna(p["weighting_pct"]) else f"{p['weighting_pct']:g} %", p["notices_label"]]
                for _, p in procs.iterrows()]
        pdf.table_rows(["First notice", "Title", "Status", "Weighting", "Notices"], rows, [18, 94, 32, 18, 18],
                       size=7)
        quoted = procs[procs["evidence"].astype(str).str.strip().ne("")]
        if len(quoted):
            pdf.h2(f"Evidence quotes ({len(quoted)}, verbatim from the notices)")
            for _, p in quoted.iterrows():
                weight = "" if pd.isna(p["weighting_pct"]) else f", weighting {p['weighting_pct']:g} %"
                pdf.finding(findings.Finding(f"{SHORT_STATUS.get(p['sv_status'], p['status_label'])} — "
                                             f"{p['title']} ({p['notices_label']}{weight}):",
                                             f"“{p['evidence']}”"), size=8.5)
                url = views.safe_url(p["notice_url"])
                if url:
                    pdf.set_text_color(0, 70, 160)
                    pdf.para(f"Notice: {url}", size=7.5, link=url, gap=2)
                    pdf.set_text_color(0)

    pdf.h2("Against like-for-like peers")
    peers, sets = views.peer_evidence(values, row, councils, HEADLINE)
    pdf.table_rows(list(peers.columns), peers.astype(str).values.tolist(), [40, 12, 24, 18, 22, 18, 24, 22], size=7)
    names = dict(zip(councils["gss_code"], councils["name"]))
    near = sets.get("nearest neighbours", [])
    if near:
        ncats = views.council_categories(values, HEADLINE, near)
        pdf.ln(2)
        if pdf.get_y() + (len(near) + 3) * 5.6 > pdf.h - pdf.b_margin:
            pdf.add_page()
        pdf.para("Nearest neighbours (same council type and comparison group, same region first):", size=8.5,
                 style="B", gap=0.5)
        pdf.table_rows(["Council", "ONS code", "Evidence of adoption"],
                       [[names.get(c, c), c, labels.get(k, k)] for c, k in zip(near, ncats)], [70, 25, 82],
                       size=7.5, colours=[colour.get(k, "#d9d9d9") for k in ncats])
    used = [f"Council: {scope.key} ({row['name']}) (svdash brief --council {scope.key})",
            "Evidence category: measure adoption_evidence, council level, all years since 2013",
            "Procurements: every notice of this council in the store, one row per OCDS ocid"]
    _sources(pdf, used, info, now.isoformat())
    return bytes(pdf.output())


def file_name(scope: Scope, generated: date | None = None) -> str:
    """'svdash-brief-east-of-england-2026-12-07.pdf'."""
    slug = "".join(ch if ch.isalnum() else "-" for ch in scope.key.lower()).strip("-")
    return f"svdash-{'card' if scope.kind == 'council' else 'brief'}-{slug}-{(generated or date.today()).isoformat()}.pdf"


def brief_pdf(tables: dict[str, pd.DataFrame], scope: Scope, *, notices: pd.DataFrame | None = None,
              records: pd.DataFrame | None = None, status_counts: pd.DataFrame | None = None,
              generated_at: datetime | None = None) -> bytes:
    """The PDF a scope calls for: a council card, or a region / group briefing pack."""
    if scope.kind == "council":
        return council_card_pdf(tables, scope, notices if notices is not None else views.council_notices(None, scope.key),
                                records, generated_at)
    return region_pack_pdf(tables, scope, status_counts, generated_at)
