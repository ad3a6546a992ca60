"""AppTest: Council profile (adoption record, peers, escaped evidence) on the constructed store."""
from __future__ import annotations

from tests.app.constructed_store import NOTICE_COUNCIL
from tests.app.conftest import open_page


def test_profile_from_url_shows_notices_and_escapes_evidence():
    at = open_page("council", {"council": NOTICE_COUNCIL})
    assert not at.exception
    assert at.header[0].value == "Cambridge"
    texts = [w.value for w in at.warning] + [s.value for s in at.success]
    hostile = [t for t in texts if "script" in t]
    assert hostile and all("\\<script\\>" in t for t in hostile)  # shown as text, never as markup
    assert any("No social value evidence in the published notice" in str(df.value.values) for df in at.dataframe)


def test_adoption_record_with_source_link():
    at = open_page("council", {"council": "E08000025"})  # Birmingham: embedded adoption record
    assert not at.exception
    assert any("Charter adopted" in m.value for m in at.markdown)
    assert at.get("link_button")


def test_choosing_a_council_updates_url_and_numbers():
    at = open_page("council")
    assert not at.exception
    at.selectbox(key="profile_council").select("E07000008").run()
    assert at.query_params["council"] == "E07000008"
    peers = at.dataframe[0].value
    assert list(peers["Peer set"]) == ["same council type", "same region", "same comparison group",
                                       "nearest neighbours"]
    before = peers.iloc[0, 3]
    at.selectbox(key="profile_measure").select("sv_applied_share_all").run()
    assert at.dataframe[0].value.iloc[0, 3] != before
