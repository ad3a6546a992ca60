"""AppTest: Council profile (evidence of adoption, peers, procurements with escaped evidence) on the
constructed store."""
from __future__ import annotations

from svdash import views
from svdash.filters import measure_def
from tests.app.constructed_store import NOTICE_COUNCIL
from tests.app.conftest import open_page


def test_profile_from_url_shows_procurements_and_escapes_evidence():
    at = open_page("council", {"council": NOTICE_COUNCIL})
    assert not at.exception
    assert at.header[0].value == "Cambridge"
    texts = [w.value for w in at.warning] + [s.value for s in at.success]
    hostile = [t for t in texts if "script" in t]
    assert hostile and all("\\<script\\>" in t for t in hostile)  # shown as text, never as markup
    procs = at.dataframe[-1].value
    assert "No evidence in notice" in set(procs["Status"])


def test_notices_of_one_procurement_are_one_row_with_a_count_and_blank_weighting():
    at = open_page("council", {"council": NOTICE_COUNCIL})
    procs = at.dataframe[-1].value
    # constructed: ocds-constructed-1 published three times (tender, update, award), applied at the tender
    row = procs[procs["Notices"].eq("3 notices")]
    assert len(row) == 1 and row["Status"].iloc[0] == "Applied" and row["Weighting"].iloc[0] == "10 %"
    quotes = [b.value for b in at.success]  # the quote in full, under the table
    assert any("Social value will be 10%" in q for q in quotes)
    assert len(procs) == 3 and set(procs["Notices"]) == {"3 notices", "1 notice"}
    assert "None" not in set(procs["Weighting"]) and "" in set(procs["Weighting"])  # blank, not None
    # status and title first, newest first, every row with its notice link or a blank said as 'no link published'
    assert list(procs.columns[:4]) == ["Latest notice", "Status", "Title", "Weighting"]
    dates = procs["Latest notice"].tolist()
    assert dates == sorted(dates, reverse=True)


def test_evidence_category_comes_first_and_matches_the_store(constructed_db):
    values = views.read_store(constructed_db, facts=False)["measure_values"]
    labels = {c["id"]: c["label"] for c in measure_def("adoption_evidence")["categories"]}
    for code in (NOTICE_COUNCIL, "E08000025"):  # practice only (constructed), both (record + constructed)
        at = open_page("council", {"council": code})
        assert not at.exception
        cat = views.one_value(values, "adoption_evidence", "council", code)["category"]
        boxes = [s.value for s in at.success] + [i.value for i in at.info]
        assert any(b.startswith(f"**{labels[cat]}**") for b in boxes)
    assert {views.one_value(values, "adoption_evidence", "council", c)["category"]
            for c in (NOTICE_COUNCIL, "E08000025")} == {"practice_only", "both"}


def test_adoption_record_with_source_link():
    at = open_page("council", {"council": "E08000025"})  # Birmingham: embedded adoption record
    assert not at.exception
    assert any("Charter adopted" in m.value for m in at.markdown)
    assert at.get("link_button")


def test_no_council_chosen_offers_councils_with_evidence():
    at = open_page("council")
    assert not at.exception
    assert len([b for b in at.button if b.key and b.key.startswith("start_")]) >= 4


def test_a_start_link_opens_its_council():
    # issue 22: the start links left the URL at /council and the picker empty
    at = open_page("council")
    start = next(b for b in at.button if b.key and b.key.startswith("start_"))
    code, name = start.key.removeprefix("start_"), start.label
    start.click().run()
    assert not at.exception
    assert at.selectbox(key="profile_council").value == code
    assert at.query_params["council"] == code
    assert at.header[0].value == name


def test_choosing_a_council_updates_url_and_numbers():
    at = open_page("council")
    assert not at.exception
    at.selectbox(key="profile_council").select("E07000008").run()
    assert at.query_params["council"] == "E07000008"
    peers = at.dataframe[0].value
    assert list(peers["Peer set"]) == ["same council type", "same region", "same comparison group",
                                       "nearest neighbours"]
    assert "Peers with evidence" in peers.columns  # the headline by default
    at.selectbox(key="profile_measure").select("sv_applied_share").run()
    before = at.dataframe[0].value.iloc[0, 3]
    at.selectbox(key="profile_measure").select("sv_applied_share_all").run()
    assert at.dataframe[0].value.iloc[0, 3] != before


def test_peer_table_never_shows_none_and_marks_low_n():
    # tried: three councils and two measures of the constructed store, so both a solid and a low-n own value
    # are met; "None" in a cell read as a fault, and a low-n share ranked like a solid one
    import re

    seen = set()
    for code in (NOTICE_COUNCIL, "E08000025", "E06000001"):
        for measure in ("sv_applied_share", "sv_applied_share_all"):
            at = open_page("council", {"council": code, "measure": measure})
            assert not at.exception
            peers = at.dataframe[0].value
            median, own = peers.columns[3], peers.columns[4]
            for _, row in peers.iterrows():
                assert re.fullmatch(r"–|\d+\.\d", row[median]), row[median]
                assert re.fullmatch(r"–|\d+\.\d( \(low n\))?", row[own]), row[own]
                low = row[own] == "–" or row[own].endswith("(low n)")
                assert row["This council's rank"].startswith("– (this council: ") == low
                assert row["This council's rank"].endswith("low n)" if row[own] != "–" else "no value)") or not low
                assert low or re.fullmatch(r"\d+ of \d+|– \(no peer has a value\)", row["This council's rank"])
                seen.add("low" if low else "solid")
    assert seen == {"low", "solid"}
