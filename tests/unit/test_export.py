"""Export: formula neutralising, CSV/XLSX/JSON output, and the CLI file equals a direct query of the store."""
from __future__ import annotations

import io
import json
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from svdash import export, views
from svdash.cli import main
from svdash.filters import Filters, measure_def
from tests.app.constructed_store import build_constructed_store


@pytest.fixture(scope="module")
def constructed_db(tmp_path_factory) -> Path:
    return build_constructed_store(tmp_path_factory.mktemp("exp") / "constructed.duckdb")


@pytest.mark.parametrize("cell", ["=1+1", "+44 20", "-2", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://x\")"])
def test_formula_cells_are_neutralised(cell):
    out = export.neutralise(pd.DataFrame({"a": [cell, "safe"], "n": [-1, 2]}))
    assert out.loc[0, "a"] == "'" + cell
    assert out.loc[1, "a"] == "safe"
    assert out["n"].tolist() == [-1, 2]  # numbers are data, not formulas


def test_csv_and_xlsx_carry_neutralised_cells_and_metadata():
    frame = pd.DataFrame({"Council": ["=cmd|' /C calc'!A0", "Bath"], "Value (%)": [1.5, np.nan],
                          "Rank": pd.array([1, None], dtype="Int64")})
    csv = pd.read_csv(io.BytesIO(export.to_csv_bytes(frame)))
    assert csv.loc[0, "Council"].startswith("'=")
    meta = export.metadata(Filters(region="London"), 2)
    xlsx = pd.read_excel(io.BytesIO(export.to_xlsx_bytes(frame, meta)), sheet_name=None)
    assert xlsx["data"].loc[0, "Council"].startswith("'=")
    fields = dict(zip(xlsx["metadata"]["field"], xlsx["metadata"]["value"]))
    assert "citation" in fields and "London" in fields["filters"]


def test_metadata_names_filters_definition_sources_and_time():
    meta = export.metadata(Filters(measure="sv_dismissed_share", period_type="year", period="2024"), 10,
                           {"built_at": pd.Timestamp("2026-01-01")})
    assert meta["filters"]["period"] == "2024"
    assert meta["measure"]["denominator"] == measure_def("sv_dismissed_share")["denominator"]
    assert any("Open Government Licence" in s for s in meta["sources"])
    assert meta["generated_at"] and "2026-01-01" in meta["citation"]
    json.loads(export.to_json_bytes(meta))


def test_cli_export_equals_a_direct_query(constructed_db, tmp_path):
    out = tmp_path / "east_2024.csv"
    rc = main(["export", "--out", str(out), "--db", str(constructed_db), "--region", "East of England",
               "--period-type", "year", "--period", "2024", "--measure", "sv_applied_share"])
    assert rc == 0
    got = pd.read_csv(out)
    con = duckdb.connect(str(constructed_db), read_only=True)
    direct = con.execute(
        "SELECT unit_code, numerator, denominator, value FROM measure_values WHERE level = ? AND measure_id = ? "
        "AND period_type = ? AND period = ?", ["council", "sv_applied_share", "year", "2024"]).df()
    con.close()
    from svdash.geo import load_councils
    councils = load_councils()
    # every East of England council the headline counts: its districts and unitaries and its county councils
    east = set(councils.query("region_name == 'East of England'")["gss_code"])
    direct = direct[direct["unit_code"].isin(east)].set_index("unit_code").sort_index()
    got = got.set_index("ONS code").sort_index()
    assert list(got.index) == sorted(east), "every East of England council, none dropped"
    assert got["Tier"].eq("county council").sum() == councils.query(
        "region_name == 'East of England' and tier == 'upper'").shape[0] > 0
    assert (got["Numerator"] == direct["numerator"]).all()
    assert (got["Denominator"] == direct["denominator"]).all()
    assert np.allclose(got["Value (%)"], (direct["value"] * 100).round(1), equal_nan=True)
    meta = json.loads((tmp_path / "east_2024.csv.metadata.json").read_text())
    assert meta["rows"] == len(got) and meta["filters"]["region"] == "East of England"


def test_cli_export_xlsx_equals_the_dashboard_table(constructed_db, tmp_path):
    out = tmp_path / "all.xlsx"
    assert main(["export", "--out", str(out), "--db", str(constructed_db), "--geography", "upper"]) == 0
    got = pd.read_excel(out, sheet_name="data")
    flt = Filters(geography="upper")
    want = export.screen_table(views.measure_table(flt, views.read_store(constructed_db)["measure_values"]),
                               measure_def(flt.measure))
    assert len(got) == len(want) == 153
    assert got["ONS code"].tolist() == want["ONS code"].tolist()


@pytest.mark.parametrize("argv,needle", [
    (["--region", "Atlantis"], "--region"), (["--period-type", "year", "--period", "1999"], "--period"),
    (["--measure", "nope"], "--measure"),
])
def test_cli_export_rejects_bad_filters(constructed_db, tmp_path, capsys, argv, needle):
    rc = main(["export", "--out", str(tmp_path / "x.csv"), "--db", str(constructed_db), *argv])
    assert rc == 2
    assert needle in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()


def test_refused_region_or_measure_lists_the_allowed_values(constructed_db, tmp_path, capsys):
    out = tmp_path / "x.csv"
    assert main(["export", "--out", str(out), "--db", str(constructed_db), "--region", "Eastern"]) == 2
    err = capsys.readouterr().err
    assert "--region 'Eastern' is not allowed; use one of 'North East'" in err and "'East of England'" in err
    assert main(["export", "--out", str(out), "--db", str(constructed_db), "--measure", "nope",
                 "--council-type", "parish"]) == 2
    err = capsys.readouterr().err
    assert "'adoption_evidence'" in err and "'sv_applied_share'" in err and "'London borough'" in err
    assert len(err.strip().splitlines()) == 1 and not out.exists()  # one line, nothing written


def test_export_of_the_headline_and_of_pooled_regions(constructed_db, tmp_path):
    out = tmp_path / "head.csv"
    assert main(["export", "--out", str(out), "--db", str(constructed_db)]) == 0  # default: the headline
    head = pd.read_csv(out, keep_default_na=False)
    labels = {c["label"] for c in measure_def("adoption_evidence")["categories"]}
    assert len(head) == 317 and set(head["Evidence of adoption"]) <= labels and head["Evidence of adoption"].nunique() > 2
    assert {"Adoption record", export.RECORD_DATE, "Record date precision", "Procurements applying social value",
            "Council procurements (all)", "Tier"} <= set(head.columns)
    out = tmp_path / "regions.csv"
    assert main(["export", "--out", str(out), "--db", str(constructed_db), "--geography", "region"]) == 0
    regions = pd.read_csv(out)
    assert len(regions) == 9 and regions.columns[0] == "Region" and "Council type" not in regions.columns
    assert regions["Share with evidence of adoption (%)"].between(0, 100).all()


def test_category_table_lists_evidence_first_then_by_name():
    # CONSTRUCTED rows: three councils out of alphabetical and category order, one with a blank category
    mdef = measure_def("adoption_evidence")
    cats = [c["id"] for c in mdef["categories"]]
    table = pd.DataFrame({"gss_code": ["E1", "E2", "E3", "E4"], "name": ["Adur", "Zeta", "Bolton", "Crewe"],
                          "category": ["", cats[1], cats[0], cats[1]], "council_type": "x", "region_name": "r",
                          "comparison_group": "g", "period": "all"})
    got = export.screen_table(table, mdef)
    assert got["Council"].tolist() == ["Bolton", "Crewe", "Zeta", "Adur"]  # strongest category first, then A–Z
    assert got["Evidence of adoption"].iloc[-1] == mdef["categories"][-1]["label"]  # blank reads as the last
