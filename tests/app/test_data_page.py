"""AppTest: Data & downloads shows the table the downloads hold, driven by the shared filters."""
from __future__ import annotations

import io

import pandas as pd

from tests.app.conftest import open_page


def test_table_and_three_downloads_on_the_headline():
    at = open_page("data")
    assert not at.exception
    table = at.dataframe[0].value
    # every council the headline counts: 296 lower tier + 21 county councils, each with its tier
    assert len(table) == 317 and "Evidence of adoption" in table.columns
    assert table["Tier"].value_counts()["county council"] == 21
    assert table["Evidence of adoption"].nunique() >= 2  # not a column of blanks
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download CSV", "Download XLSX", "Download metadata (JSON)"]
    assert "Map units" not in [s.label for s in at.selectbox]


def test_filters_change_the_table_and_url():
    at = open_page("data", {"geography": "upper"})
    assert len(at.dataframe[0].value) == 153
    at.selectbox(key="data_region").select("London").run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 33
    assert at.query_params["region"] == "London" and at.query_params["geography"] == "upper"


def test_cli_export_equals_the_table_shown(constructed_db, tmp_path):
    from svdash.cli import main

    at = open_page("data", {"region": "North East"})
    shown = at.dataframe[0].value
    out = tmp_path / "ne.csv"
    assert main(["export", "--out", str(out), "--db", str(constructed_db), "--region", "North East"]) == 0
    got = pd.read_csv(io.BytesIO(out.read_bytes()), dtype=str, keep_default_na=False)
    assert got["Council"].tolist() == shown["Council"].tolist()
    assert got["Evidence of adoption"].tolist() == shown["Evidence of adoption"].tolist()
