"""Briefing packs (a region or a comparison group) and council cards as PDF: what a working group hands round.

Pure: the store's tables (svdash.views.read_store) and, for a card, the council's notices and records go in,
PDF bytes come out. Every figure is read through the functions the dashboard and `svdash export` use
(export.filtered_table / screen_table, findings, measures.adoption_steps), so a pack says what the export
says for the same filters. Drawn with fpdf2 (pure Python, no browser): the map from svdash.geo's polygons
projected equirectangularly (x scaled by cos of the mean latitude), the trend as step lines. Text is set in
DejaVu Sans, embedded from matplotlib's package data (it has £ – ’ ≥ and most scripts); without it the core
Helvetica is used with a safe transliteration, so no council name or quote can stop a pack.
"""
from __future__ import annotations

import importlib.util
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Iterable

import pandas as pd
from fpdf import FPDF
from fpdf.fonts import FontFace

from svdash import export, findings, geo, measures, views
from svdash.filters import Filters, category_ids, measure_def
from svdash.geo import GROUP_ORDER, REGION_ORDER

HEADLINE = "adoption_evidence"
KINDS = ("region", "group", "council")
MILESTONES = [(date(2013, 1, 31), "Act in force"), (date(2021, 1, 1), "PPN 06/20"),
              (date(2025, 2, 24), "Procurement Act")]
STATUS_WORDS = {"policy_adopted": "Social value policy adopted", "charter_adopted": "Charter adopted",
                "strategy_adopted": "Strategy adopted", "developing": "Policy in development",
                "none_found": "Stated that no policy exists"}
SHORT_STATUS = {"applied": "Applied", "dismissed": "Dismissed", "none": "No evidence in notice"}
# Hatching on top of two category colours, so the five categories stay apart when printed in black and white
# (there "practice only" and "both" are both dark, "in development" and "policy only" both mid-grey).
HATCH = {"practice_only": (1, "#ffffff"), "developing": (-1, "#000000")}  # direction of the diagonal, colour
OTHER_FILL = "#ffffff"  # councils outside a group's pack: outlined, not filled
FONT = "DejaVu"
MARGIN = 15.0


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
                             f"{len(councils)} codes E06…/E07…/E08…/E09…/E10… of svdash/geo (e.g. "
                             f"{councils['gss_code'].iloc[0]} {councils['name'].iloc[0]}); see "
                             "`svdash export --out FILE.csv` for the list")
        return Scope("council", value, str(row["name"].iloc[0]))
    raise ScopeError(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")


# ----------------------------------------------------------------------------------------------- the PDF

def _font_dir() -> Path | None:
    """matplotlib's bundled DejaVu fonts, found without importing matplotlib (that costs ≈0.3 s)."""
    spec = importlib.util.find_spec("matplotlib")
    for root in (spec.submodule_search_locations or []) if spec else []:
        d = Path(root) / "mpl-data" / "fonts" / "ttf"
        if (d / "DejaVuSans.ttf").is_file() and (d / "DejaVuSans-Bold.ttf").is_file():
            return d
    return None


_ASCII = {"≥": ">=", "≤": "<=", "…": "...", "→": "->", "←": "<-", "×": "x", "≈": "~", "−": "-"}


def transliterate(text: str) -> str:
    """Text the core fonts (cp1252) can set: known signs spelled out, accents dropped, anything else '?'."""
    out = []
    for ch in text:
        try:
            ch.encode("cp1252")
            out.append(ch)
            continue
        except UnicodeEncodeError:
            pass
        if ch in _ASCII:
            out.append(_ASCII[ch])
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        try:
            base.encode("cp1252")
            out.append(base or "?")
        except UnicodeEncodeError:
            out.append("?")
    return "".join(out)


def _hex(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def hatch(pdf: FPDF, ring: list[tuple[float, float]], direction: int, colour: str, step: float = 1.1) -> None:
    """Diagonal lines `step` mm apart inside a polygon given in page coordinates (clipped with shapely)."""
    from shapely.geometry import LineString, Polygon

    poly = Polygon(ring)
    if not poly.is_valid:
        poly = poly.buffer(0)
    if poly.is_empty:
        return
    x0, y0, x1, y1 = poly.bounds
    h = y1 - y0
    pdf.set_draw_color(*_hex(colour))
    pdf.set_line_width(0.18)
    x = x0 - h
    while x < x1 + h:
        line = LineString([(x, y1), (x + h, y0)] if direction > 0 else [(x, y0), (x + h, y1)])
        part = poly.intersection(line)
        for seg in getattr(part, "geoms", [part]):
            if seg.geom_type == "LineString" and not seg.is_empty:
                (ax, ay), (bx, by) = seg.coords[0], seg.coords[-1]
                pdf.line(ax, ay, bx, by)
        x += step * 1.414


class BriefPDF(FPDF):
    """A4 portrait, page numbers and a footer with the sources and the generated date on every page."""

    def __init__(self, title: str, generated: str, synthetic: bool = False) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.brief_title = title
        self.generated = generated
        self.synthetic = synthetic
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=18)
        fonts = _font_dir()
        self.unicode = fonts is not None
        if fonts is not None:
            self.add_font(FONT, "", str(fonts / "DejaVuSans.ttf"))
            self.add_font(FONT, "B", str(fonts / "DejaVuSans-Bold.ttf"))
            self.add_font(FONT, "I", str(fonts / "DejaVuSans-Oblique.ttf"))
            self.family = FONT
        else:
            self.core_fonts_encoding = "windows-1252"
            self.family = "helvetica"
        self.set_title(self.t(title))
        self.set_author("svdash")
        self.set_creator("svdash brief")
        self.alias_nb_pages()

    def t(self, text: object) -> str:
        """Text safe to set: control characters as spaces; transliterated when no Unicode font is embedded."""
        s = "" if text is None or (isinstance(text, float) and text != text) else str(text)
        s = "".join(" " if unicodedata.category(c) == "Cc" else c for c in s)
        return s if self.unicode else transliterate(s)

    def font(self, size: float, style: str = "") -> None:
        self.set_font(self.family, style, size)

    def header(self) -> None:
        if self.synthetic:
            self.font(9, "B")
            self.set_text_color(180, 0, 0)
            self.cell(0, 5, self.t("SYNTHETIC DATA — not real notices; no figure here describes a real council."),
                      new_x="LMARGIN", new_y="NEXT")
            self.set_text_color(0)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_draw_color(160)
        self.set_line_width(0.2)
        self.line(MARGIN, self.get_y(), self.w - MARGIN, self.get_y())
        self.font(6.5)
        self.set_text_color(80)
        self.cell(0, 3.5, self.t("Sources: notices © Crown copyright (OGL v3.0) · boundaries ONS, contains OS data "
                                 "© Crown copyright 2024 (OGL v3.0) · council names mySociety (CC BY 4.0)"),
                  new_x="LMARGIN", new_y="NEXT")
        self.cell(120, 3.5, self.t(f"{self.brief_title} · svdash · generated {self.generated}"))
        self.cell(0, 3.5, self.t(f"Page {self.page_no()} of {{nb}}"), align="R")
        self.set_text_color(0)

    # -- building blocks
    def h1(self, text: str) -> None:
        self.font(17, "B")
        self.multi_cell(0, 8, self.t(text), new_x="LMARGIN", new_y="NEXT", align="L")

    def h2(self, text: str, room: float = 45) -> None:
        """A section heading, on a new page when less than `room` mm is left (a heading never ends a page)."""
        if self.get_y() > self.h - self.b_margin - room:
            self.add_page()
        self.ln(3)
        self.font(12, "B")
        self.multi_cell(0, 6, self.t(text), new_x="LMARGIN", new_y="NEXT", align="L")
        self.ln(1)

    def para(self, text: str, size: float = 9.5, style: str = "", gap: float = 1.5, link: str = "") -> None:
        self.font(size, style)
        self.multi_cell(0, size * 0.5, self.t(text), new_x="LMARGIN", new_y="NEXT", link=link or None, align="L")
        self.ln(gap)

    def finding(self, f: findings.Finding, size: float = 9.5) -> None:
        """The lead in bold, then the detail, flowing as one paragraph (written as plain text: a quote's own
        asterisks or underscores stay as published)."""
        self.set_x(self.l_margin)
        self.font(size, "B")
        self.write(size * 0.5, self.t(f.lead))
        if f.detail:
            self.font(size)
            self.write(size * 0.5, f.joint + self.t(f.detail))
        self.ln(size * 0.5)
        self.ln(1.5)

    def table_rows(self, header: list[str], rows: Iterable[list[Any]], widths: list[float], size: float = 7.5,
                   colours: list[str | None] | None = None) -> None:
        """A table that breaks across pages with its header repeated; `colours` adds a narrow first column
        filled with each row's category colour, so the table is the map's legend too (and the words in the
        category column carry it in black and white)."""
        self.font(size)
        self.set_fill_color(255, 255, 255)
        rows = list(rows)
        if len(rows) <= 12 and self.get_y() + (len(rows) + 1.5) * (size * 0.48 + 2.2) > self.h - self.b_margin:
            self.add_page()  # a short table is kept on one page
        heading = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))
        rows = list(rows)
        if colours:
            header, widths = ["", *header], [3.0, *widths]
        with self.table(col_widths=widths, width=sum(widths), headings_style=heading, line_height=size * 0.48,
                        text_align="LEFT", first_row_as_headings=True, borders_layout="HORIZONTAL_LINES",
                        cell_fill_mode="NONE", padding=0.8) as table:
            r = table.row()
            for h in header:
                r.cell(self.t(h))
            for i, row in enumerate(rows):
                r = table.row()
                if colours:
                    r.cell("", style=FontFace(fill_color=_hex(colours[i] or "#ffffff")))
                for v in row:
                    r.cell(self.t(v))

    def swatch(self, x: float, y: float, colour: str, size: float = 3.2, category: str = "") -> None:
        self.set_fill_color(*_hex(colour))
        self.set_draw_color(90)
        self.set_line_width(0.15)
        self.rect(x, y, size, size, style="DF")
        if category in HATCH:
            hatch(self, [(x, y), (x + size, y), (x + size, y + size), (x, y + size)], *HATCH[category], step=0.8)
            self.set_draw_color(90)
            self.set_line_width(0.15)
            self.rect(x, y, size, size, style="D")


# ----------------------------------------------------------------------------------------------- drawing

def _project(geoms: list[Any]) -> float:
    """Equirectangular projection's x scale: the cosine of the mean latitude (a degree of longitude is that
    much shorter than a degree of latitude there)."""
    import math

    ys = [g.bounds[1] for g in geoms] + [g.bounds[3] for g in geoms]
    k = math.cos(math.radians((min(ys) + max(ys)) / 2)) if ys else 1.0
    return k


def draw_map(pdf: BriefPDF, shapes: pd.DataFrame, box: tuple[float, float, float, float],
             outlines: pd.DataFrame | None = None, edge: str = "#ffffff") -> None:
    """Polygons of `shapes` (columns geometry: shapely, colour, category optional: hatched per HATCH) filled in their colour with a
    white edge, largest first so an enclave is drawn over the council around it; `outlines` (geometry,
    colour) drawn on top as thick lines (county councils). Fitted into box (x, y, w, h), north up."""
    from shapely.geometry import MultiPolygon, Polygon

    geoms = list(shapes["geometry"]) + (list(outlines["geometry"]) if outlines is not None else [])
    if not geoms:
        return
    k = _project(geoms)
    minx = min(g.bounds[0] for g in geoms) * k
    maxx = max(g.bounds[2] for g in geoms) * k
    miny = min(g.bounds[1] for g in geoms)
    maxy = max(g.bounds[3] for g in geoms)
    x0, y0, w, h = box
    s = min(w / max(maxx - minx, 1e-9), h / max(maxy - miny, 1e-9))
    ox = x0 + (w - (maxx - minx) * s) / 2
    oy = y0 + (h - (maxy - miny) * s) / 2

    def pts(ring) -> list[tuple[float, float]]:
        return [(ox + (x * k - minx) * s, oy + (maxy - y) * s) for x, y in ring.coords]

    def polys(g) -> list[Polygon]:
        return list(g.geoms) if isinstance(g, MultiPolygon) else [g] if isinstance(g, Polygon) else []

    pdf.set_line_width(0.12)
    pdf.set_draw_color(*_hex(edge))
    order = shapes.assign(_a=[g.area for g in shapes["geometry"]]).sort_values("_a", ascending=False)
    cats = order["category"] if "category" in order.columns else pd.Series("", index=order.index)
    for g, colour, cat in zip(order["geometry"], order["colour"], cats):
        pdf.set_fill_color(*_hex(colour))
        for p in polys(g):
            pdf.set_draw_color(*_hex(edge))
            pdf.set_line_width(0.12)
            pdf.polygon(pts(p.exterior), style="DF")
            if cat in HATCH:
                hatch(pdf, pts(p.exterior), *HATCH[cat])
    if outlines is not None:
        pdf.set_line_width(0.9)
        for g, colour in zip(outlines["geometry"], outlines["colour"]):
            pdf.set_draw_color(*_hex(colour))
            for p in polys(g):
                pdf.polygon(pts(p.exterior), style="D")
        pdf.set_line_width(0.2)
    pdf.set_draw_color(0)


def _shapes(gj: dict[str, Any], codes: Iterable[str], tolerance: float) -> dict[str, Any]:
    """Shapely geometries of the features with these ids, simplified for the size they are printed at."""
    from shapely.geometry import shape

    want = set(codes)
    return {f["id"]: shape(f["geometry"]).simplify(tolerance, preserve_topology=True)
            for f in gj["features"] if f["id"] in want}


def draw_steps(pdf: BriefPDF, lines: list[tuple[str, pd.DataFrame, str, tuple[float, float]]], end: date,
               box: tuple[float, float, float, float]) -> None:
    """Cumulative shares (measures.adoption_steps rows of one unit each) as step lines from 2013 to `end`, with
    the 95 % band of the first line shaded and the milestones dashed. lines: (label, steps, colour, dash)."""
    x0, y0, w, h = box
    start = measures.TREND_START
    span = max((end - start).days, 1)
    top = max([float(s["ci_high"].max()) for _, s, _, _ in lines if len(s)] + [0.05])
    top = min(1.0, (int(top * 10) + 1) / 10)

    def X(d: date) -> float:
        return x0 + (d - start).days / span * w

    def Y(v: float) -> float:
        return y0 + h - v / top * h

    pdf.set_draw_color(200)
    pdf.set_line_width(0.1)
    pdf.font(6.5)
    pdf.set_text_color(60)
    for i in range(0, 11):
        v = top * i / 10
        if i % 2 == 0:
            pdf.line(x0, Y(v), x0 + w, Y(v))
            pdf.set_xy(x0 - 11, Y(v) - 1.5)
            pdf.cell(10, 3, f"{v * 100:.0f} %", align="R")
    for year in range(start.year, end.year + 1):
        xx = X(date(year, 1, 1))
        pdf.line(xx, y0 + h, xx, y0 + h + 1)
        if year % 2 == 1 or year == start.year:
            pdf.set_xy(xx - 5, y0 + h + 1)
            pdf.cell(10, 3, str(year), align="C")
    pdf.set_draw_color(120)
    pdf.set_dash_pattern(dash=1, gap=1)
    for day, name in MILESTONES:
        if start <= day <= end:
            pdf.line(X(day), y0, X(day), y0 + h)
            pdf.set_xy(X(day) + 0.5, y0)
            pdf.cell(20, 3, pdf.t(name))
    pdf.set_dash_pattern()
    pdf.set_text_color(0)
    if lines and len(lines[0][1]):  # the band of the first line (the pack's own area)
        s = lines[0][1]
        band = []
        for (_, a), (_, b) in zip(s.iterrows(), list(s.iterrows())[1:] + [(None, None)]):
            d1 = a["date"].date()
            d2 = b["date"].date() if b is not None else end
            band += [(X(d1), Y(a["ci_high"])), (X(d2), Y(a["ci_high"]))]
        lows = []
        for (_, a), (_, b) in zip(s.iterrows(), list(s.iterrows())[1:] + [(None, None)]):
            d1 = a["date"].date()
            d2 = b["date"].date() if b is not None else end
            lows += [(X(d1), Y(a["ci_low"])), (X(d2), Y(a["ci_low"]))]
        pdf.set_fill_color(*_hex("#dbe9f6"))
        pdf.polygon(band + lows[::-1], style="F")
    for label, s, colour, dash in lines:
        if s.empty:
            continue
        pts = []
        for (_, a), (_, b) in zip(s.iterrows(), list(s.iterrows())[1:] + [(None, None)]):
            d1, d2 = a["date"].date(), (b["date"].date() if b is not None else end)
            pts += [(X(d1), Y(a["value"])), (X(d2), Y(a["value"]))]
        pdf.set_draw_color(*_hex(colour))
        pdf.set_line_width(0.6)
        if dash[0]:
            pdf.set_dash_pattern(dash=dash[0], gap=dash[1])
        pdf.polyline(pts)
        pdf.set_dash_pattern()
    pdf.set_draw_color(0)
    pdf.set_line_width(0.2)
    pdf.line(x0, y0 + h, x0 + w, y0 + h)
    pdf.line(x0, y0, x0, y0 + h)
    # legend under the axis
    lx, ly = x0, y0 + h + 5
    pdf.font(7.5)
    for label, s, colour, dash in lines:
        pdf.set_draw_color(*_hex(colour))
        pdf.set_line_width(0.6)
        if dash[0]:
            pdf.set_dash_pattern(dash=dash[0], gap=dash[1])
        pdf.line(lx, ly + 1.5, lx + 8, ly + 1.5)
        pdf.set_dash_pattern()
        last = s.iloc[-1] if len(s) else None
        text = label + (f": {findings.figure(last)} by {end.isoformat()}" if last is not None else "")
        pdf.set_xy(lx + 10, ly)
        pdf.cell(0, 3, pdf.t(text))
        ly += 4
    pdf.set_fill_color(*_hex("#dbe9f6"))
    pdf.rect(lx, ly + 0.3, 8, 2.4, style="F")
    pdf.set_xy(lx + 10, ly)
    pdf.cell(0, 3, pdf.t(f"95 % Wilson interval of {lines[0][0]}" if lines else ""))
    pdf.set_draw_color(0)
    pdf.set_line_width(0.2)
    pdf.set_y(ly + 5)


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


def _sources(pdf: BriefPDF, filters_used: list[str], info: dict[str, Any], generated: str) -> None:
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
    shapes = _shapes(lad, codes, tol)
    fill = dict(zip(raw["gss_code"], cat_of.map(colour)))
    cat_by_code = dict(zip(raw["gss_code"], cat_of))
    shape_frame = pd.DataFrame({"geometry": list(shapes.values()),
                                "colour": [fill.get(c, OTHER_FILL) for c in shapes],
                                "category": [cat_by_code.get(c, "") for c in shapes]})
    outlines = None
    if len(data.counties):
        cshapes = _shapes(geo.utla_geojson(), data.counties["gss_code"], tol)
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
    pdf.para("The rows of svdash export for the same filters (lower-tier and unitary councils). Adoption record: "
             "the council's selected record; Applying SV: its procurements whose published notice applies social "
             "value.", size=8)
    lg = data.league
    second = "Comparison group" if scope.kind == "region" else "Region"
    rows = [[r["Council"], r["ONS code"], r["Evidence of adoption"], r["Adoption record"], r["Record date"],
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

def peer_rows(values: pd.DataFrame, council: pd.Series, councils: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """The peer sets of a council (views.peers) with how many have each kind of evidence (council level, all
    periods), and the sets themselves (code lists)."""
    sets = views.peers(council, councils)
    cat_all = values[values["measure_id"].eq(HEADLINE) & values["period"].astype(str).eq("all")
                     & values["level"].eq("council")].drop_duplicates("unit_code").set_index("unit_code")
    rows = []
    for label, codes in sets.items():
        cats = cat_all["category"].reindex(codes).fillna("unknown").replace("", "unknown")
        found = cats.ne("unknown")
        rows.append({"Peer set": label, "Peers": len(codes),
                     "Peers with evidence": f"{int(found.sum())} ({found.mean() * 100:.0f} %)" if len(codes) else "–",
                     "Policy record": int(cats.isin(["policy_only", "both"]).sum()),
                     "Practice in notices": int(cats.isin(["practice_only", "both"]).sum())})
    return pd.DataFrame(rows), sets


def council_card_pdf(tables: dict[str, pd.DataFrame], scope: Scope, notices: pd.DataFrame,
                     records: pd.DataFrame | None = None, generated_at: datetime | None = None) -> bytes:
    """A council card as PDF bytes: its evidence category, its adoption records with their sources, its
    procurements with weightings and quotes (notice_facts columns only: never contact details), its peers.
    `notices` is views.council_notices for the council; `records` the adoption records in use (default:
    the store's)."""
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
    lad = _shapes(geo.lad_geojson(), region["gss_code"], 0.004)
    fill = colour.get(category, "#d9d9d9") if row["tier"] != "upper" else "#eeeeee"
    frame = pd.DataFrame({"geometry": list(lad.values()),
                          "colour": [fill if c == scope.key else "#eeeeee" for c in lad],
                          "category": [category if c == scope.key and row["tier"] != "upper" else "" for c in lad]})
    outline = None
    if row["tier"] == "upper":
        cshape = _shapes(geo.utla_geojson(), [scope.key], 0.004)
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
    peers, sets = peer_rows(values, row, councils)
    pdf.table_rows(list(peers.columns), peers.astype(str).values.tolist(), [50, 20, 40, 35, 35], size=7.5)
    names = dict(zip(councils["gss_code"], councils["name"]))
    near = sets.get("nearest neighbours", [])
    if near:
        cat_all = values[values["measure_id"].eq(HEADLINE) & values["period"].astype(str).eq("all")
                         & values["level"].eq("council")].drop_duplicates("unit_code").set_index("unit_code")
        ncats = cat_all["category"].reindex(near).fillna("unknown").replace("", "unknown")
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
