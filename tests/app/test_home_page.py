"""AppTest: the Overview runs headless with no exception, leads with evidence of adoption by comparison group
(figure, n, interval) and draws England's councils by evidence or by comparison group."""
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.app.conftest import metrics, spec
from ui import widgets

APP = str(Path(__file__).resolve().parents[2] / "dashboard.py")


def run_app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60).run()


def test_home_renders_the_evidence_map_and_its_table():
    at = run_app()
    assert not at.exception
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    assert "topojsonURL" in charts[0].proto.config  # offline map: no CDN topojson
    shown = metrics(at)
    # one card per category and their total: the lower tier on the map and the county outlines, 317
    assert shown["All councils"] == "317"
    assert sum(int(shown[label]) for label in widgets.CARD_LABELS.values()) == 317
    names = " ".join(t.get("name", "") for t in spec(charts[0])["data"])
    assert "Policy record only" in names and "No evidence found (unknown)" in names
    assert len(at.dataframe) == 1


def test_comparison_groups_view_and_region_filter_change_numbers():
    at = run_app()
    at.radio(key="home_colour").set_value("groups").run()
    assert not at.exception
    assert metrics(at)["Councils shown"] == "296"
    at.selectbox(key="home_region").select("East of England").run()
    assert not at.exception
    values = metrics(at)
    assert values["Councils shown"] == "45"
    assert values["Metropolitan"] == "0"
    assert values["Rural"] == "16"
    assert len(at.dataframe[0].value) == 45


def test_headline_gives_evidence_by_group_with_n_and_says_the_population(constructed_db):
    from svdash import counts, views

    values = views.read_store(constructed_db, facts=False)["measure_values"]
    at = run_app()
    assert not at.exception
    shown = {m.label: m for m in at.metric}
    for group in ("metropolitan", "other urban", "rural"):
        cell = views.one_value(values, "adoption_evidence", "comparison_group", group)
        metric = shown[f"{group.capitalize()} councils"]
        assert metric.value == f"{cell['value'] * 100:.1f} %"
        n_text = f"{int(cell['numerator'])} of {int(cell['denominator'])} councils; 95 % interval"
        assert any(c.value.startswith(n_text) for c in at.caption)  # the n is shown, not hidden in a tooltip
    eng = views.one_value(values, "adoption_evidence", "england", "England")
    text = " ".join(m.value for m in at.markdown)
    assert f"**{int(eng['numerator'])} of {int(eng['denominator'])} English councils" in text
    c = counts.read(constructed_db)["counts"]
    # each practice figure names its denominator, in the words of svdash/counts.py
    for key in ("procurements_applied_visible", "procurements_applied", "notices_applied"):
        assert c[key].text() in text
    assert f"including {c['councils_developing'].n} whose only evidence is a policy in development" in text
    captions = " ".join(c.value for c in at.caption)
    assert "not a census" in captions  # the caveat sits next to the numbers
    assert "317" in captions and "21 county councils" in captions  # cards and map: one population, explained
