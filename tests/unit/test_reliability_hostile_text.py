"""Hostile notice text (CONSTRUCTED: script tags, onerror images, markdown/javascript links, bidi overrides,
very long words, formula-looking cells) is imported verbatim, classified, built, escaped for display and
neutralised in CSV/XLSX exports."""
from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest

from svdash import export, store, views
from svdash.classify import classify
from svdash.sources.files import import_file

HOSTILE_TITLES = [
    "<script>alert('title')</script> Grounds maintenance",
    '<img src=x onerror="alert(1)"> Cleaning',
    "[Click here](javascript:alert(document.cookie)) ![x](http://evil.example/x.png)",
    "Invoice \u202egnp.exe\u202c for \u2066IT\u2069 support",
    "A" * 5000,
    "=HYPERLINK(\"http://evil.example\",\"x\")",
]
HOSTILE_DESC = ("Social value will be 10% of the evaluation. <script>fetch('http://evil.example')</script> "
                "**bold** # heading | table | \u202eesrever " + "W" * 20000)


def hostile_releases() -> list[dict]:
    return [{"ocid": f"ocds-constructed-hostile-{i}", "id": "1", "date": "2024-05-01T00:00:00Z", "tag": ["tender"],
             "buyer": {"name": "Cambridge City Council"},
             "tender": {"title": t, "description": HOSTILE_DESC if i == 0 else t}}
            for i, t in enumerate(HOSTILE_TITLES)]


def test_hostile_text_is_imported_verbatim_and_classified(tmp_path):
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps({"releases": hostile_releases()}), encoding="utf-8")
    con = store.open_store(tmp_path / "h.duckdb")
    assert import_file(con, path)["items"] == len(HOSTILE_TITLES)
    notices = store.load_notices(con)
    con.close()
    assert sorted(notices["title"]) == sorted(HOSTILE_TITLES)
    out = classify(notices)
    assert out["sv_status"].isin(["applied", "dismissed", "none"]).all()
    first = notices.index[notices["ocid"].eq("ocds-constructed-hostile-0")][0]
    assert out.loc[first, "sv_status"] == "applied" and out.loc[first, "weighting_pct"] == 10.0
    assert out.loc[first, "evidence"] in HOSTILE_DESC  # verbatim, not rewritten
    assert "<script>" not in out.loc[first, "evidence"]


def test_build_over_hostile_notices(tmp_path):
    from svdash import pipeline

    path = tmp_path / "hostile.json"
    path.write_text(json.dumps({"releases": hostile_releases()}), encoding="utf-8")
    con = store.open_store(tmp_path / "b.duckdb")
    import_file(con, path)
    pipeline.build(con)
    titles = {r[0] for r in con.execute("SELECT title FROM notice_facts").fetchall()}
    con.close()
    assert titles == set(HOSTILE_TITLES)


@pytest.mark.parametrize("text", HOSTILE_TITLES + [HOSTILE_DESC])
def test_md_escape_makes_markup_inert(text):
    out = views.md_escape(text)
    for ch in "<>[]()*#|!`":
        assert f"\\{ch}" in out or ch not in text.replace("&", "")  # every special char is escaped
    assert "\n" not in out


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
                                 "data:text/html,<script>alert(1)</script>", "vbscript:x", "//evil.example"])
def test_safe_url_drops_non_http_links(url):
    assert views.safe_url(url) == ""


CELLS = ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=HYPERLINK(\"http://evil.example\")"]


def test_csv_export_cells_read_back_as_text_not_formulas():
    frame = pd.DataFrame({"Title": CELLS + ["plain"], "n": range(len(CELLS) + 1)})
    rows = list(csv.reader(io.StringIO(export.to_csv_bytes(frame).decode("utf-8"), newline="")))
    assert len(rows) == len(CELLS) + 2  # header + one row per cell: no cell broke its row
    for cell in [r[0] for r in rows[1:-1]]:
        assert cell.startswith("'")
    assert rows[-1][0] == "plain"


def test_xlsx_export_has_no_formula_cells():
    from openpyxl import load_workbook

    frame = pd.DataFrame({"=Header": CELLS, "n": range(len(CELLS))})
    wb = load_workbook(io.BytesIO(export.to_xlsx_bytes(frame, {"title": "=1+1"})))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(export.FORMULA_PREFIXES), cell.value
