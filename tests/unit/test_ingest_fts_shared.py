"""The two whole real Find a Tender days in ../shared/data/notices/find_a_tender_2026-08 (10 pages, 955 releases,
recorded from the live API), read every way svdash reads notices: `import` of the pages, `classify --in`, and the
API client replaying the recorded `links.next` chains from a local 127.0.0.1 server. Skipped without ../shared."""
from __future__ import annotations

import csv
import random

import pytest

from svdash import cli, store
from svdash.sources import api, find_a_tender
from svdash.sources.files import import_file
from tests.unit.fts_server import LOCAL_TIME, FakeClock, FakeFts, recorded_chain

pytestmark = pytest.mark.shared
DAYS = ("2026-08-10", "2026-08-11")


@pytest.fixture(scope="module")
def pages(shared_data):
    folder = shared_data / "notices" / "find_a_tender_2026-08"
    found = sorted(folder.glob("2026-08-1*/page-*.json"))
    assert len(found) == 10
    return found


def test_import_stores_all_955_releases(tmp_path, pages):
    con = store.open_store(tmp_path / "fts.duckdb")
    summaries = [import_file(con, p) for p in pages]
    assert sum(s["items"] for s in summaries) == 955 and sum(s["rejected"] for s in summaries) == 0
    assert store.stats(con)["releases"] == 955
    assert con.execute("SELECT count(*) FROM rejects").fetchone()[0] == 0
    con.close()


def test_classify_in_outputs_955_rows(tmp_path, pages):
    out = tmp_path / "results.csv"
    args = ["classify", "--out", str(out)]
    for p in pages:
        args += ["--in", str(p)]
    assert cli.main(args) == 0
    with open(out, newline="", encoding="utf-8") as fh:
        assert sum(1 for _ in csv.DictReader(fh)) == 955


def test_api_replay_of_the_recorded_days(tmp_path, pages):
    clock = FakeClock()
    server = FakeFts(clock)
    for day, nxt in zip(DAYS, ("2026-08-11", "2026-08-12")):
        server.recorded[(f"{day}T00:00:00", f"{nxt}T00:00:00")] = recorded_chain(pages[0].parent.parent / day)
    con = store.open_store(tmp_path / "api.duckdb")
    with server:
        summary = api.run_ingest(con, find_a_tender.CONFIG, date_from=DAYS[0], date_to=DAYS[1],
                                 base_url=server.base_url, sleep=clock.sleep, clock=clock, rng=random.Random(1))
    assert (summary.pages, summary.releases, summary.new, summary.rejected, summary.duplicates) == \
        (10, 955, 955, 0, 0)
    assert server.statuses == [200] * 10 and clock.sleeps == []  # 10 requests: within 12 per 120 s
    assert server.windows == [("2026-08-10T00:00:00", "2026-08-11T00:00:00"),
                              ("2026-08-11T00:00:00", "2026-08-12T00:00:00")]
    assert all("stages" not in r["path"] and LOCAL_TIME.match(r["params"]["updatedFrom"]) for r in server.requests)
    # the same releases imported from the page files hash the same (ijson path vs json-module path)
    files_db = store.open_store(tmp_path / "files.duckdb")
    for p in pages:
        import_file(files_db, p)
    query = "SELECT release_key, content_sha1 FROM releases"
    assert dict(con.execute(query).fetchall()) == dict(files_db.execute(query).fetchall())
    con.close()
    files_db.close()
