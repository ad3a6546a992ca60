"""AppTest: Method renders every measure in the registry with its caveats."""
from __future__ import annotations

from svdash.filters import measure_registry
from tests.app.conftest import open_page


def test_method_lists_every_measure():
    at = open_page("method")
    assert not at.exception
    labels = [e.label for e in at.expander]
    for m in measure_registry():
        assert any(m["id"] in label for label in labels)
    assert any("Open Government Licence" in m.value for m in at.markdown)
