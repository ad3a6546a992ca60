"""AppTest: Findings answers the three questions with numbers (constructed store)."""
from __future__ import annotations

from tests.app.conftest import open_page


def test_findings_answer_with_numbers():
    at = open_page("findings")
    assert not at.exception
    heads = [h.value for h in at.header]
    assert len(heads) == 3 and "East of England" in heads[1]
    body = " ".join(m.value for m in at.markdown)
    assert "**Metropolitan**" in body and "95 % interval" in body
    # constructed procurement_facts: 1 applied, 1 dismissed, 1 none among council buyers
    assert "Of **3** council procurements, **1** mention social value only to dismiss it" in body
    assert len(at.get("plotly_chart")) >= 5
