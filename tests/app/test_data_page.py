"""AppTest: Data & downloads shows the table the downloads hold, driven by the shared filters."""
from __future__ import annotations

from tests.app.conftest import open_page


def test_table_and_three_downloads():
    at = open_page("data")
    assert not at.exception
    assert len(at.dataframe[0].value) == 296
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download CSV", "Download XLSX", "Download metadata (JSON)"]


def test_filters_change_the_table_and_url():
    at = open_page("data", {"geography": "upper"})
    assert len(at.dataframe[0].value) == 153
    at.selectbox(key="data_region").select("London").run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 33
    assert at.query_params["region"] == "London" and at.query_params["geography"] == "upper"
