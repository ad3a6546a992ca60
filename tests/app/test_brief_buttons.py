"""AppTest: the briefing PDF buttons on Map, Findings and Council profile build a PDF only when asked."""
from __future__ import annotations

import pytest

from tests.app.constructed_store import NOTICE_COUNCIL
from tests.app.conftest import open_page


def _labels(at, kind: str) -> list[str]:
    return [b.proto.label for b in at.get(kind)]


def _prepare(at, key: str):
    buttons = [b for b in at.button if b.key == f"{key}_prepare"]
    assert len(buttons) == 1, [b.key for b in at.button]
    assert not [x for x in _labels(at, "download_button") if "(PDF)" in x]  # nothing built on the first view
    at = buttons[0].click().run()
    assert not at.exception
    pdf = at.session_state[f"brief_pdf_{key}"][1]
    assert pdf[:5] == b"%PDF-" and len(pdf) > 10_000
    assert [x for x in _labels(at, "download_button") if x.startswith("Download the ") and "(PDF)" in x]
    return pdf


@pytest.mark.parametrize("params, label", [({"region": "East of England"}, "East of England"),
                                           ({"group": "rural"}, "Rural councils")])
def test_map_offers_the_pack_of_the_filtered_area(params, label):
    at = open_page("map", params)
    assert not at.exception
    prepare = [b for b in at.button if b.key == "map_brief_prepare"]
    assert prepare and prepare[0].label.endswith(label)
    _prepare(at, "map_brief")


def test_map_without_an_area_says_how_to_get_a_pack():
    at = open_page("map")
    assert not [b for b in at.button if b.key == "map_brief_prepare"]
    assert any("briefing pack" in c.value for c in at.caption)


def test_findings_offers_a_pack_for_the_east_of_england_by_default():
    at = open_page("findings")
    assert not at.exception
    assert at.selectbox(key="findings_brief_area").value == ("region", "East of England")
    _prepare(at, "findings_brief")


def test_council_profile_offers_its_card():
    at = open_page("council", {"council": NOTICE_COUNCIL})
    assert not at.exception
    pdf = _prepare(at, "council_card")
    from io import BytesIO

    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
    assert "Council card: Cambridge" in text
    assert "<script>alert('x')</script>" in text  # the quote verbatim, as text
