"""AppTest (issue 22): every page speaks the one vocabulary of counts — no internal names (min_n, low_n) in the
text a reader sees, and the figures that look alike name their denominators so they reconcile."""
from __future__ import annotations

import pytest

from svdash import counts
from tests.app.conftest import open_page

PAGES = ["", "map", "trends", "council", "compare", "findings", "data", "method"]
INTERNAL = ("min_n", "low_n", "n_notices_all", "ci_low", "ci_high")


def page_text(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    parts += [w.value for w in at.warning] + [s.value for s in at.success] + [e.label for e in at.expander]
    parts += [m.label for m in at.metric] + [str(m.help or "") for m in at.metric]
    for df in at.dataframe:
        parts += [str(c) for c in df.value.columns]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("path", PAGES)
def test_no_internal_names_in_page_text(path):
    at = open_page(path)
    assert not at.exception
    text = page_text(at)
    assert not [name for name in INTERNAL if name in text], path


def test_findings_and_method_name_each_figure_by_its_unit(constructed_db):
    c = counts.read(constructed_db)["counts"]
    at = open_page("findings")
    text = page_text(at)
    # question 3 counts council procurements and says the Overview's figure is over those with visible evaluation criteria
    pa, pv = c["procurements_applied"], c["procurements_applied_visible"]
    assert f"{pa.n:,} of the {pa.of:,} council procurements apply it" in text
    assert f"{pv.n:,} of {pv.of:,} apply social value" in text
    method = page_text(open_page("method"))
    for unit in counts.UNITS.values():
        assert f"**{unit}**" in method
    assert counts.headline_sentence(c) in method
