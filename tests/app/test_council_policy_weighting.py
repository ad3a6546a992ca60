"""AppTest: a council's adoption record shows its weighting as a policy weighting, named for what it is (issue 22)."""
from __future__ import annotations

from tests.app.conftest import open_page


def test_record_weighting_reads_as_a_policy_weighting_with_its_basis():
    at = open_page("council", {"council": "E09000008"})  # Croydon: "a minimum 10% social value mandate"
    assert not at.exception
    lines = [m.value for m in at.markdown if "Social value policy adopted" in m.value]
    assert lines and "policy minimum weighting 10 %" in lines[0]
    at = open_page("council", {"council": "E07000123"})  # Preston: "worth up to 20% of the assessment"
    assert any("policy maximum weighting 20 %" in m.value for m in at.markdown)
