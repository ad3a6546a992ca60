"""AppTest: the dashboard runs headless with no exception and shows the group map and its table."""
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "dashboard.py")


def run_app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60).run()


def test_home_renders_map_and_table():
    at = run_app()
    assert not at.exception
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    assert "topojsonURL" in charts[0].proto.config  # offline map: no CDN topojson
    assert at.metric[0].value == "296"
    assert len(at.dataframe) == 1


def test_region_filter_changes_numbers():
    at = run_app()
    at.selectbox(key="home_region").select("East of England").run()
    assert not at.exception
    values = {m.label: m.value for m in at.metric}
    assert values["Councils shown"] == "45"
    assert values["Metropolitan"] == "0"
    assert values["Rural"] == "16"
    assert len(at.dataframe[0].value) == 45
