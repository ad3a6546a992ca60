"""The page furniture of the briefing PDFs (svdash.brief): an A4 document with fonts, footer, headings, tables,
a map drawn from polygons and step lines, all with fpdf2 (pure Python, no browser).

Text is set in DejaVu Sans, shipped in data/fonts (it has £ – ’ ≥ and most scripts); without it the core Helvetica is used with a safe transliteration, so no council name
or quote can stop a PDF. Maps: svdash.geo's polygons projected equirectangularly (x scaled by the cosine of the
mean latitude), filled largest first so an enclave is drawn over the council around it.
"""
from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path
from typing import Any, Iterable

import pandas as pd
from fpdf import FPDF
from fpdf.fonts import FontFace

from svdash import findings, measures
from svdash.paths import DATA_DIR

MILESTONES = [(date(2013, 1, 31), "Act in force"), (date(2021, 1, 1), "PPN 06/20"),
              (date(2025, 2, 24), "Procurement Act")]
# Hatching on top of two category colours, so the five categories stay apart when printed in black and white
# (there "practice only" and "both" are both dark, "in development" and "policy only" both mid-grey).
HATCH = {"practice_only": (1, "#ffffff"), "developing": (-1, "#000000")}  # direction of the diagonal, colour
FONT = "DejaVu"
FONTS_DIR = DATA_DIR / "fonts"
MARGIN = 15.0


# ----------------------------------------------------------------------------------------------- the PDF

def _font_dir() -> Path | None:
    """The DejaVu Sans files shipped in data/fonts (Bitstream Vera licence, data/SOURCES.md); None when absent."""
    d = FONTS_DIR
    if all((d / f).is_file() for f in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf")):
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


def hex_rgb(colour: str) -> tuple[int, int, int]:
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
    pdf.set_draw_color(*hex_rgb(colour))
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
                    r.cell("", style=FontFace(fill_color=hex_rgb(colours[i] or "#ffffff")))
                for v in row:
                    r.cell(self.t(v))

    def swatch(self, x: float, y: float, colour: str, size: float = 3.2, category: str = "") -> None:
        self.set_fill_color(*hex_rgb(colour))
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
    pdf.set_draw_color(*hex_rgb(edge))
    order = shapes.assign(_a=[g.area for g in shapes["geometry"]]).sort_values("_a", ascending=False)
    cats = order["category"] if "category" in order.columns else pd.Series("", index=order.index)
    for g, colour, cat in zip(order["geometry"], order["colour"], cats):
        pdf.set_fill_color(*hex_rgb(colour))
        for p in polys(g):
            pdf.set_draw_color(*hex_rgb(edge))
            pdf.set_line_width(0.12)
            pdf.polygon(pts(p.exterior), style="DF")
            if cat in HATCH:
                hatch(pdf, pts(p.exterior), *HATCH[cat])
    if outlines is not None:
        pdf.set_line_width(0.9)
        for g, colour in zip(outlines["geometry"], outlines["colour"]):
            pdf.set_draw_color(*hex_rgb(colour))
            for p in polys(g):
                pdf.polygon(pts(p.exterior), style="D")
        pdf.set_line_width(0.2)
    pdf.set_draw_color(0)


def shapes_of(gj: dict[str, Any], codes: Iterable[str], tolerance: float) -> dict[str, Any]:
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
    def steps(s: pd.DataFrame, col: str) -> list[tuple[float, float]]:
        """A step line's corners: each row's value held from its date to the next row's (the last to `end`)."""
        days = [d.date() for d in s["date"]] + [end]
        return [pt for i, v in enumerate(s[col]) for pt in ((X(days[i]), Y(v)), (X(days[i + 1]), Y(v)))]

    if lines and len(lines[0][1]):  # the band of the first line (the pack's own area)
        s = lines[0][1]
        pdf.set_fill_color(*hex_rgb("#dbe9f6"))
        pdf.polygon(steps(s, "ci_high") + steps(s, "ci_low")[::-1], style="F")
    for label, s, colour, dash in lines:
        if s.empty:
            continue
        pts = steps(s, "value")
        pdf.set_draw_color(*hex_rgb(colour))
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
        pdf.set_draw_color(*hex_rgb(colour))
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
    pdf.set_fill_color(*hex_rgb("#dbe9f6"))
    pdf.rect(lx, ly + 0.3, 8, 2.4, style="F")
    pdf.set_xy(lx + 10, ly)
    pdf.cell(0, 3, pdf.t(f"95 % Wilson interval of {lines[0][0]}" if lines else ""))
    pdf.set_draw_color(0)
    pdf.set_line_width(0.2)
    pdf.set_y(ly + 5)
