"""The Find a Tender client against `fts_server.FakeFts`, a local stand-in that answers as the live API does:
London wall-clock windows (also across the BST changes), no `stages`, the last page without `links`, a release
twice in one walk, pacing at 12 requests per 120 s with an injected clock, a plain-text 429 with
`Retry-After: 120`, resume. Pages are the real excerpts in tests/fixtures/fts (README there); the releases used
for the window tests are those excerpts re-dated (CONSTRUCTED dates, named so)."""
from __future__ import annotations

import copy
import json
import random
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import requests

from svdash import cli, store
from svdash.sources import api, find_a_tender, nonfinite
from svdash.sources.api import IngestError
from svdash.sources.files import import_file
from tests.unit.fts_server import LOCAL_TIME, RATE_BODY, FakeClock, FakeFts, london_instant

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "fts"
CHAIN = [FIXTURES / f"2026-08-10_page-00{n}_excerpt.json" for n in (2, 3, 5)]
DAY = ("2026-08-10T00:00:00", "2026-08-11T00:00:00")
FTS = find_a_tender.CONFIG


@pytest.fixture()
def con(tmp_path):
    c = store.open_store(tmp_path / "fts.duckdb")
    yield c
    c.close()


def _chain_server(clock: FakeClock) -> FakeFts:
    server = FakeFts(clock)
    server.recorded = {DAY: [p.read_bytes() for p in CHAIN]}
    return server


def _run(con, server: FakeFts, config=FTS, **kw):
    kw.setdefault("sleep", server.clock.sleep)
    return api.run_ingest(con, config, base_url=server.base_url, clock=server.clock, rng=random.Random(1), **kw)


def _stored(con) -> dict[str, tuple[str, str]]:
    rows = con.execute("SELECT release_key, content_sha1, raw_json FROM releases").fetchall()
    return {k: (sha, raw) for k, sha, raw in rows}


def _all_requests_well_formed(server: FakeFts) -> None:
    for r in server.requests:
        assert "stages" not in r["path"]
        assert LOCAL_TIME.match(r["params"]["updatedFrom"]) and LOCAL_TIME.match(r["params"]["updatedTo"])
        assert r["params"]["limit"] == "100"


# ---------------------------------------------------------------- a recorded day (real excerpts)

def test_walk_of_a_real_day_dedupes_and_reads_1e9999_as_null(con, tmp_path):
    clock = FakeClock()
    with _chain_server(clock) as server:
        summary = _run(con, server, date_from="2026-08-10", date_to="2026-08-10")
    assert server.windows == [DAY] and server.statuses == [200, 200, 200]
    _all_requests_well_formed(server)
    # 8 copies over 3 pages, one release twice (page 3 and the last page, which has no `links`): counted once
    assert (summary.pages, summary.releases, summary.duplicates, summary.new, summary.rejected) == (3, 7, 1, 7, 0)
    assert clock.sleeps == []  # 3 requests: far below 12 per 120 s, so no pause
    stored = _stored(con)
    assert len(stored) == 7
    bare = json.loads(stored["ocds-h6vhtk-06e00b/075694-2026"][1])  # strict JSON: no Infinity
    assert bare["tender"]["lotDetails"]["maximumLotsBidPerSupplier"] is None
    text = json.loads(stored["ocds-h6vhtk-06e044/075788-2026"][1])
    assert text["tender"]["tenderPeriod"]["durationInDays"] == "1e9999"  # inside a string: as published
    # the same releases imported from the files (ijson document path) hash the same
    files_db = store.open_store(tmp_path / "files.duckdb")
    for path in CHAIN:
        assert import_file(files_db, path)["rejected"] == 0
    assert {k: v[0] for k, v in _stored(files_db).items()} == {k: v[0] for k, v in stored.items()}
    files_db.close()
    assert store.get_checkpoint(con, FTS.name)["status"] == "done"


def test_plain_text_429_with_retry_after_120_then_success(con, monkeypatch):
    parsed: list[int] = []
    original = requests.Response.json

    def spy(self, **kwargs):
        parsed.append(self.status_code)
        return original(self, **kwargs)

    monkeypatch.setattr(requests.Response, "json", spy)
    clock = FakeClock()
    with _chain_server(clock) as server:
        server.faults = {2: (429, RATE_BODY, {"Retry-After": "120"})}
        summary = _run(con, server, date_from="2026-08-10", date_to="2026-08-10")
    assert server.statuses == [200, 429, 200, 200]
    assert clock.sleeps == [120.0]  # the header's wait, exactly, and nothing else
    assert parsed == [200, 200, 200]  # the plain-text 429 body was never parsed as JSON
    assert (summary.releases, summary.rejected) == (7, 0)
    assert con.execute("SELECT count(*) FROM rejects").fetchone()[0] == 0


def test_interrupted_walk_resumes_after_the_last_stored_page(tmp_path):
    full, part = store.open_store(tmp_path / "full.duckdb"), store.open_store(tmp_path / "part.duckdb")
    with _chain_server(FakeClock()) as server:
        _run(full, server, date_from="2026-08-10", date_to="2026-08-10")
        with pytest.raises(IngestError, match="simulated interruption"):
            _run(part, server, date_from="2026-08-10", date_to="2026-08-10", stop_after_pages=2)
        checkpoint = store.get_checkpoint(part, FTS.name)
        assert checkpoint["status"] == "running" and "cursor=" in checkpoint["next_url"]
        assert checkpoint["window_from"] == "2026-08-10T00:00:00"
        resumed = _run(part, server, resume=True)
    assert resumed.resumed and resumed.pages == 3
    assert {k: v[0] for k, v in _stored(part).items()} == {k: v[0] for k, v in _stored(full).items()}
    full.close()
    part.close()


def test_cli_ingest_find_a_tender_stops_then_resumes(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(find_a_tender, "CONFIG", replace(FTS, max_retries=0))  # the real config, no retries
    db = str(tmp_path / "cli.duckdb")
    with _chain_server(FakeClock()) as server:
        server.faults = {3: (503, b"Service Unavailable", {})}
        args = ["ingest", "find-a-tender", "--from", "2026-08-10", "--to", "2026-08-10",
                "--base-url", server.base_url, "--db", db]
        assert cli.main(args) == 2
        captured = capsys.readouterr()
        assert "rerun with --resume" in captured.err
        assert json.loads(captured.out.strip().splitlines()[-1])["pages"] == 2
        assert cli.main(["ingest", "find-a-tender", "--resume", "--base-url", server.base_url, "--db", db]) == 0
    done = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert done["resumed"] is True and done["pages"] == 3 and done["new"] == 7


def test_progress_bar_shows_windows_pages_releases(con, capsys):
    with _chain_server(FakeClock()) as server:
        _run(con, server, date_from="2026-08-09", date_to="2026-08-11", progress=True)
    err = capsys.readouterr().err
    assert "find-a-tender" in err and "3/3" in err  # windows done / total: what the ETA is computed from
    assert "pages=5" in err and "releases=7" in err  # 1 + 3 + 1 pages (two empty days)


# ---------------------------------------------------------------- London wall-clock windows

def _dated(instants: list[str], index: int = 2) -> list[dict]:
    """A real excerpt release (page 3's `index`: 2 is a Procurement Act notice, 1 a PCR 2015 one) re-dated to
    each of `instants` (CONSTRUCTED dates), with fresh ids."""
    base = json.loads(CHAIN[1].read_text(encoding="utf-8"), **nonfinite.JSON_HOOKS)["releases"][index]
    out = []
    for i, when in enumerate(instants):
        rel = copy.deepcopy(base)
        rel.update(id=f"constructed-{i}", date=when)
        out.append(rel)
    return out


@pytest.mark.parametrize("days, expected_hours", [
    (("2025-03-29", "2025-03-31"), [24, 23, 24]),   # clocks go forward at 01:00 UTC on 30 March
    (("2025-10-25", "2025-10-27"), [24, 25, 24]),   # and back at 01:00 UTC on 26 October
])
def test_windows_are_london_days_across_bst_changes(con, days, expected_hours):
    first, last = (datetime.fromisoformat(d) for d in days)
    names = [(first + timedelta(days=i)).date().isoformat() for i in range(3)]
    # instants either side of every boundary and inside the changed hour (UTC)
    instants = [f"{names[0]}T00:00:00Z", f"{names[1]}T00:30:00Z", f"{names[1]}T01:30:00Z",
                f"{names[1]}T22:59:59Z", f"{names[1]}T23:00:00Z", f"{names[2]}T00:00:00Z",
                f"{names[2]}T22:59:59Z", f"{names[2]}T23:00:00Z"]
    server = FakeFts(FakeClock())
    server.releases = _dated(instants)
    with server:
        summary = _run(con, server, date_from=days[0], date_to=days[1])
    _all_requests_well_formed(server)
    day_after = (last + timedelta(days=1)).date().isoformat()
    assert server.windows == [(f"{a}T00:00:00", f"{b}T00:00:00")
                              for a, b in zip(names, names[1:] + [day_after])]
    spans = [(london_instant(a), london_instant(b)) for a, b in server.windows]
    assert [(b - a) / timedelta(hours=1) for a, b in spans] == expected_hours
    assert all(spans[i][1] == spans[i + 1][0] for i in range(2))  # contiguous: no hour skipped or doubled
    served = [key for r in server.requests for key in r["served"]]
    in_range = [r for r in server.releases
                if spans[0][0] <= datetime.fromisoformat(r["date"].replace("Z", "+00:00")) < spans[-1][1]]
    assert sorted(served) == sorted(f"{r['ocid']}/{r['id']}" for r in in_range)  # each exactly once
    assert summary.releases == len(in_range) and summary.duplicates == 0


def test_incremental_run_starts_at_the_london_day_of_the_latest_release(con):
    # 00:30 UTC on 26 October 2025 is 01:30 BST, the first of the two 01:30s that night
    server = FakeFts(FakeClock())
    server.releases = _dated(["2025-10-26T00:30:00Z", "2025-10-26T11:00:00Z"])
    with server:
        store.write_batch(con, server.releases[:1], FTS.name)
        summary = _run(con, server, now=lambda: datetime(2025, 10, 26, 12, 0, tzinfo=timezone.utc))
    assert server.windows == [("2025-10-26T00:00:00", "2025-10-26T12:00:00")]  # GMT again by noon
    assert (summary.releases, summary.new) == (2, 1)


def test_window_bounds_are_19_character_local_times():
    assert api.format_time(FTS, datetime(2025, 7, 1, 12, 0, tzinfo=timezone.utc)) == "2025-07-01T13:00:00"
    assert api.format_time(FTS, datetime(2025, 12, 1, 12, 0, tzinfo=timezone.utc)) == "2025-12-01T12:00:00"
    assert api.format_time(FTS, datetime(2025, 7, 1)) == "2025-07-01T00:00:00"  # a day is sent as midnight
    url = api.first_url(FTS, "http://x", datetime(2025, 3, 30), datetime(2025, 3, 31))
    assert url == ("http://x/api/1.0/ocdsReleasePackages?updatedFrom=2025-03-30T00%3A00%3A00"
                   "&updatedTo=2025-03-31T00%3A00%3A00&limit=100")


def test_stages_and_limits_over_100_cannot_be_configured():
    assert "stages" not in {f for f in api.SourceConfig.__dataclass_fields__}
    with pytest.raises(ValueError, match="limit must be 1–100"):
        replace(FTS, limit=101)


def test_the_fake_is_strict_like_the_live_api(con):
    """The checks above mean something only if the stand-in refuses what the live API refuses."""
    server = FakeFts(FakeClock())
    server.releases = _dated(["2025-06-01T10:00:00Z"]) + _dated(["2025-06-01T11:00:00Z"], index=1)
    with server:
        base = f"{server.base_url}/api/1.0/ocdsReleasePackages"
        assert requests.get(f"{base}?updatedFrom=2025-06-01&updatedTo=2025-06-02").status_code == 400
        assert requests.get(f"{base}?updatedFrom=2025-06-01T00:00:00&updatedTo=2025-06-02T00:00:00"
                            "&limit=101").status_code == 400
        # stages: 200, but only the PCR 2015 notice; the Procurement Act one is silently left out
        staged = requests.get(f"{base}?updatedFrom=2025-06-01T00:00:00&updatedTo=2025-06-02T00:00:00&stages=tender")
        plain = requests.get(f"{base}?updatedFrom=2025-06-01T00:00:00&updatedTo=2025-06-02T00:00:00")
    assert [r["date"] for r in staged.json()["releases"]] == ["2025-06-01T11:00:00Z"]
    assert len(plain.json()["releases"]) == 2


# ---------------------------------------------------------------- pacing: at most 12 requests in 120 s

def _many_pages(clock: FakeClock, n: int) -> FakeFts:
    server = FakeFts(clock)
    server.releases = _dated([f"2025-06-01T{h:02d}:{m:02d}:00Z" for h in range(10) for m in range(0, 60, 20)][:n])
    return server


def test_pacing_keeps_to_12_requests_per_120_s(con):
    clock = FakeClock()
    config = replace(FTS, limit=1)  # 30 releases → 30 pages in one window
    with _many_pages(clock, 30) as server:
        summary = _run(con, server, config, date_from="2025-06-01", date_to="2025-06-01")
    times = [r["time"] for r in server.requests]
    assert summary.pages == 30 and server.statuses == [200] * 30
    assert all(times[i + 12] - times[i] >= 120 for i in range(len(times) - 12))
    assert len(clock.sleeps) == 2 and sum(clock.sleeps) < 2 * 120  # it waits, but no longer than needed


def test_without_pacing_the_limit_is_hit_and_retry_after_honoured(con):
    clock = FakeClock()
    config = replace(FTS, limit=1, rate_requests=0)
    with _many_pages(clock, 15) as server:
        summary = _run(con, server, config, date_from="2025-06-01", date_to="2025-06-01")
    assert server.statuses.count(429) >= 1 and 120.0 in clock.sleeps
    assert summary.pages == 15 and summary.rejected == 0


def test_pacer_counts_from_the_end_of_each_response():
    clock = FakeClock()
    pacer = api.RequestPacer(2, 10.0, clock, clock.sleep)
    for latency in (3.0, 1.0, 0.0):
        pacer.before()
        clock.advance(latency)
        pacer.after()
    # responses ended at 1003 and 1004; the third request waited until 1013 (10 s after the first end)
    assert clock.sleeps == [9.0] and clock() == 1013.0
