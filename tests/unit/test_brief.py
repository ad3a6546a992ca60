"""svdash brief: region / group packs and council cards as PDF; figures equal `svdash export`'s for the same
filters (read back from the PDF's text), an unknown area exits 2 and writes nothing, any Unicode is safe."""
from __future__ import annotations

import io
import re
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from svdash import brief, findings, pdf_draw, pipeline, views
from svdash.cli import main
from svdash.geo import GROUP_ORDER, REGION_ORDER
from tests.app.constructed_store import build_constructed_store

CODE = re.compile(r"\bE\d{8}\b")


@pytest.fixture(scope="module")
def embedded_db(tmp_path_factory) -> Path:
    """The real embedded snapshot built into a store, as a new user's first run does."""
    path = tmp_path_factory.mktemp("brief") / "svdash.duckdb"
    pipeline.ensure_store(path)
    return path


def pdf_text(data: bytes) -> str:
    """All pages' text with runs of whitespace as one space (table cells wrap onto several lines)."""
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def flat(s: str) -> str:
    return " ".join(str(s).split())


def export_csv(db: Path, tmp: Path, *argv: str) -> pd.DataFrame:
    out = tmp / f"export-{abs(hash(argv))}.csv"
    assert main(["export", "--out", str(out), "--db", str(db), *argv]) == 0
    return pd.read_csv(out, dtype=str, keep_default_na=False)


def headline_text(row: pd.Series) -> str:
    return (f"{float(row['Share with evidence of adoption (%)']):.1f} % ({int(row['Numerator']):,} of "
            f"{int(row['Denominator']):,} councils; 95 % interval {float(row['95% interval low (%)']):.1f}–"
            f"{float(row['95% interval high (%)']):.1f} %)")


def league_section(text: str) -> str:
    start = text.index("League table:")
    ends = [i for i in (text.find("County councils (", start), text.find("What each category means", start))
            if i > 0]
    return text[start:min(ends)]


def assert_league_equals_export(text: str, csv: pd.DataFrame) -> None:
    """Every export row is a row of the PDF's league table, in the export's order, with its category, record,
    record date and count of procurements applying social value; and no other council is in it."""
    section = league_section(text)
    codes = CODE.findall(section)
    assert codes == list(csv["ONS code"])
    spans = [m.start() for m in CODE.finditer(section)] + [len(section)]
    for i, (_, row) in enumerate(csv.iterrows()):
        cells = section[spans[i]:spans[i + 1]]  # from this row's code to the next row's code
        pos = 0
        for value in (row["Evidence of adoption"], row["Adoption record"], row["Record date"],
                      row["Procurements applying social value"]):
            if value:
                found = cells.find(flat(value), pos)
                assert found >= 0, (row["ONS code"], value, cells)
                pos = found + len(flat(value))
        assert flat(row["Council"]) in section[max(0, spans[i] - 80):spans[i]]  # the name just before the code


@pytest.mark.parametrize("argv, pooled", [
    (["--region", "East of England"], ["--geography", "region", "--region", "East of England"]),
    (["--group", "rural"], ["--geography", "group", "--group", "rural"]),
])
def test_pack_figures_equal_the_export(embedded_db, tmp_path, argv, pooled):
    out = tmp_path / "pack.pdf"
    assert main(["brief", *argv, "--out", str(out), "--db", str(embedded_db)]) == 0
    data = out.read_bytes()
    assert data[:5] == b"%PDF-"
    text = pdf_text(data)
    head = export_csv(embedded_db, tmp_path, *pooled)
    assert len(head) == 1
    assert headline_text(head.iloc[0]) in text
    assert_league_equals_export(text, export_csv(embedded_db, tmp_path, *argv))
    latest = views.read_store(embedded_db, facts=False)["store_summary"]["latest_date"].iloc[0]
    assert f"data as of {latest}" in text and "Generated " in text
    for part in ("Map:", "Adoption since 2013", "Sources and attribution", "Filters used", "Page 1 of"):
        assert part in text
    reader = PdfReader(io.BytesIO(data))
    assert all(abs(float(p.mediabox.width) - 595.28) < 1 and abs(float(p.mediabox.height) - 841.89) < 1
               for p in reader.pages)  # A4


def test_pack_states_the_findings_of_the_page(embedded_db):
    tables = views.read_store(embedded_db, facts=False)
    values = tables["measure_values"]
    text = pdf_text(brief.brief_pdf(tables, brief.resolve("region", "East of England")))
    for f in (findings.region_finding(values, "adoption_evidence", "East of England"),
              findings.groups_finding(values, "adoption_evidence")):
        assert flat(f.text()) in text


def test_council_card_has_records_sources_procurements_and_peers(embedded_db, tmp_path):
    out = tmp_path / "wigan.pdf"
    assert main(["brief", "--council", "E08000010", "--out", str(out), "--db", str(embedded_db)]) == 0
    text = pdf_text(out.read_bytes())
    tables = views.read_store(embedded_db, facts=False)
    own = views.one_value(tables["measure_values"], "adoption_evidence", "council", "E08000010")
    label = {c["id"]: c["label"] for c in brief.measure_def("adoption_evidence")["categories"]}[own["category"]]
    assert "Council card: Wigan" in text and label in text
    recs = tables["adoption_records"][tables["adoption_records"]["gss_code"].eq("E08000010")]
    assert len(recs) and all(flat(u) in text.replace(" ", "") or u in text for u in recs["source_url"])
    procs = views.council_procurements(views.council_notices(
        views.read_council_notices(embedded_db, "E08000010"), "E08000010"))
    applied = procs[procs["sv_status"].eq("applied")]
    assert len(applied)
    for _, p in applied.iterrows():
        assert flat(p["evidence"]) in text and f"{p['weighting_pct']:g} %" in text
    assert "Against like-for-like peers" in text and "nearest neighbours" in text


def test_council_card_for_a_council_without_notices(embedded_db, tmp_path):
    out = tmp_path / "bham.pdf"
    assert main(["brief", "--council", "E08000025", "--out", str(out), "--db", str(embedded_db)]) == 0
    text = pdf_text(out.read_bytes())
    assert "Council card: Birmingham" in text and "Adoption records (2)" in text


@pytest.mark.parametrize("argv, allowed", [
    (["--region", "Eastern"], REGION_ORDER),
    (["--group", "urban"], GROUP_ORDER),
    (["--council", "E99999999"], ["317 councils' codes", "E0"]),
    (["--council", "Birmingham"], ["E08000025 (Birmingham)"]),
])
def test_unknown_area_exits_2_lists_allowed_and_writes_nothing(tmp_path, capsys, argv, allowed):
    out = tmp_path / "x.pdf"
    db = tmp_path / "never-built.duckdb"
    assert main(["brief", *argv, "--out", str(out), "--db", str(db)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and repr(argv[1]) in err
    assert all(a in err for a in allowed)
    assert not out.exists() and not db.exists()  # refused before the store is touched


def test_unicode_quote_and_name_never_break_a_card(tmp_path):
    db = build_constructed_store(tmp_path / "c.duckdb")
    tables = views.read_store(db, facts=False)
    quote = "Social value ≥ 10 % – the supplier’s “local” offer, £1.2m; Cymraeg: ŵ ŷ; 社会价值 ⚠"
    notices = pd.DataFrame([{"date": pd.Timestamp("2025-03-01"), "title": "Caf\u00e9 – works ’25", "sv_status": "applied",
                             "weighting_pct": 10.0, "themes": "", "evidence": quote, "criteria_visible": True,
                             "notice_url": "https://www.find-tender.service.gov.uk/Notice/000001-2025",
                             "ocid": "ocds-x-1", "release_key": "r1", "buyer_name": "Café council",
                             "buyer_gss_code": "E07000008"}])
    scope = brief.resolve("council", "E07000008")
    data = brief.brief_pdf(tables, scope, notices=views.council_notices(notices, "E07000008"))
    text = pdf_text(data)
    assert "Social value ≥ 10 % – the supplier’s “local” offer, £1.2m; Cymraeg: ŵ ŷ" in text


def test_without_the_unicode_font_text_is_transliterated(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_draw, "_font_dir", lambda: None)
    db = build_constructed_store(tmp_path / "c.duckdb")
    tables = views.read_store(db, facts=False)
    data = brief.brief_pdf(tables, brief.resolve("region", "London"),
                           generated_at=datetime(2026, 12, 7, tzinfo=timezone.utc))
    assert data[:5] == b"%PDF-" and "Generated 2026-12-07" in pdf_text(data)
    assert pdf_draw.transliterate("≥ 10 % – ’ £ ŵ 社") == ">= 10 % – ’ £ w ?"
