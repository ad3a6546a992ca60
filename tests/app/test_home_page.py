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
    assert {m.label: m.value for m in at.metric}["Councils shown"] == "296"
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


def test_headline_gives_adoption_by_group_with_n_and_the_notice_counts(constructed_db):
    from svdash import views

    values = views.read_store(constructed_db, facts=False)["measure_values"]
    at = run_app()
    assert not at.exception
    shown = {m.label: m for m in at.metric}
    for group in ("metropolitan", "other urban", "rural"):
        cell = views.one_value(values, "adoption_recorded_share", "comparison_group", group)
        metric = shown[f"{group.capitalize()} councils"]
        assert metric.value == f"{cell['value'] * 100:.1f} %"
        n_text = f"{int(cell['numerator'])} of {int(cell['denominator'])} councils; 95 % interval"
        assert any(c.value.startswith(n_text) for c in at.caption)  # the n is shown, not hidden in a tooltip
    applied = views.one_value(values, "sv_applied_share", "england", "England")
    text = " ".join(m.value for m in at.markdown)
    assert f"of **{int(applied['denominator']):,}** procurements with visible evaluation criteria" in text
    assert any("not a census" in c.value for c in at.caption)  # the caveat sits next to the numbers
