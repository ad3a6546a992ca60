"""AppTest: uploads — a bad file shows an error and keeps the data in use; a good one merges with a diff."""
from __future__ import annotations

from tests.app.conftest import open_page

GOOD = (b"gss_code,council_name,status,policy_name,adopted_date,source_url,confidence\n"
        b"E07000008,Cambridge City Council,policy_adopted,Constructed test policy,2021-03-01,"
        b"https://example.org/constructed-cambridge-policy,high\n")


def metric(at, label: str) -> str:
    return {m.label: m.value for m in at.metric}[label]


def test_bad_adoption_file_shows_error_and_keeps_records():
    at = open_page("upload")
    assert not at.exception
    before = metric(at, "Adoption records in use")
    at.file_uploader(key="up_adoption").set_value(("bad.csv", b"\x00\x01 not a table", "text/csv")).run()
    assert not at.exception
    assert any("bad.csv was not used" in e.value for e in at.error)
    assert metric(at, "Adoption records in use") == before


def test_good_adoption_file_is_merged_with_a_diff_and_download():
    at = open_page("upload")
    before = int(metric(at, "Adoption records in use").replace(",", ""))
    at.file_uploader(key="up_adoption").set_value(("good.csv", GOOD, "text/csv")).run()
    assert not at.exception
    assert any("1 added" in s.value for s in at.success)
    assert int(metric(at, "Adoption records in use").replace(",", "")) == before + 1
    assert any(b.proto.label.startswith("Download the merged") for b in at.get("download_button"))


def test_bad_notices_file_shows_error_and_keeps_notices():
    at = open_page("upload")
    before = metric(at, "Notices in use")
    at.file_uploader(key="up_notices").set_value(("broken.json", b"{not json", "application/json")).run()
    assert not at.exception
    assert any("unchanged" in e.value for e in at.error)
    assert metric(at, "Notices in use") == before


def test_records_in_use_can_be_downloaded_to_edit():
    at = open_page("upload")
    assert not at.exception
    assert any(b.proto.label.startswith("Download the records in use") for b in at.get("download_button"))
