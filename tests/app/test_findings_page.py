"""AppTest: Findings answers each question first, as a sentence with the figure, n and interval (constructed
store), with names in their own capitals."""
from __future__ import annotations

from svdash import views
from tests.app.conftest import open_page


def _figure(cell: dict) -> str:
    return (f"{cell['value'] * 100:.1f} % ({int(cell['numerator']):,} of {int(cell['denominator']):,}; 95 % "
            f"interval {cell['ci_low'] * 100:.1f}–{cell['ci_high'] * 100:.1f} %)")


def test_each_question_opens_with_its_answer(constructed_db):
    values = views.read_store(constructed_db, facts=False)["measure_values"]
    at = open_page("findings")
    assert not at.exception
    heads = [h.value for h in at.header]
    assert len(heads) == 3 and "East of England" in heads[1]
    first = [m.value for m in at.markdown if m.value.startswith("**")]
    metro = views.one_value(values, "adoption_evidence", "comparison_group", "metropolitan")
    rural = views.one_value(values, "adoption_evidence", "comparison_group", "rural")
    assert _figure(metro) in first[0] and _figure(rural) in first[0]
    east = views.one_value(values, "adoption_evidence", "region", "East of England")
    england = views.one_value(values, "adoption_evidence", "england", "England")
    q2 = next(m for m in first if m.startswith("**The East of England ranks"))
    assert _figure(east) in q2 and _figure(england) in q2
    # constructed procurement_facts: 1 applied, 1 dismissed, 1 none among council buyers
    assert any(m.startswith("**Of 3 council procurements, 1 mention social value only to dismiss it: 33.3 %")
               for m in first)
    assert len(at.get("plotly_chart")) >= 5


def test_names_keep_their_capitals():
    at = open_page("findings")
    body = " ".join(m.value for m in at.markdown)
    # was: str.capitalize() wrote "**Yorkshire and the humber**" and "**East of england**"
    assert "**Yorkshire and The Humber**" in body and "**East of England**" in body
    assert "Yorkshire and the humber" not in body and "East of england" not in body
