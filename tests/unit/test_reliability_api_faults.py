"""API faults beyond tests/unit/test_ingest_api.py, against its local 127.0.0.1 paging server (real embedded
Contracts Finder releases): 429 storms, 502/503/504, connection resets, a body that stalls past the read
timeout, invalid (HTML) JSON, a cursor that never ends, data changing between pages, hostile nesting.
Expected: bounded retries, no duplicate rows, resume, and a final summary line even when the run stops."""
from __future__ import annotations

import json
import socket
import struct
import time

import pytest

from svdash import cli, store
from svdash.sources import contracts_finder
from svdash.sources.api import IngestError
from tests.unit.test_ingest_api import FakeOcdsApi, _config, _real_cf_releases, _rows, _run

DAY = "2025-01-23"  # 100 real releases on this day in the embedded snapshot: 4 pages of 25


class FaultyApi(FakeOcdsApi):
    """Adds faults: "reset" (TCP RST, no response), "html" (200 with an HTML error page), "stall" (headers
    then a body that stops past the read timeout), "deep" (hostile nesting), and `endless` (every page links
    to a fresh cursor), `mutate_after` (a new release appears at the front of the window after request n)."""

    endless = False
    mutate_after: int | None = None

    def handle(self, h):
        with self.lock:
            n = len(self.requests) + 1
            fault = self.faults.get(n)
            if self.mutate_after is not None and n == self.mutate_after + 1:
                extra = dict(self.releases[0], id="constructed-inserted", ocid="ocds-constructed-inserted")
                extra["date"] = DAY + "T00:00:01Z"
                self.releases.insert(0, extra)
        if fault == "reset":
            with self.lock:
                self.requests.append(h.path)
            h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            h.connection.close()
            h.close_connection = True
            return
        if fault in ("html", "stall", "deep"):
            with self.lock:
                self.requests.append(h.path)
            body = {"html": b"<html><body>502 Bad Gateway</body></html>",
                    "deep": b'{"releases": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"}.get(fault, b'{"releases": [')
            h.send_response(200)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(body) + (100 if fault == "stall" else 0)))
            h.end_headers()
            h.wfile.write(body)
            h.wfile.flush()
            if fault == "stall":
                self.release_timeout.wait(3)
            return
        if self.endless:
            with self.lock:
                self.requests.append(h.path)
            page = {"releases": self.releases[:5],
                    "links": {"next": f"{self.base_url}{self.config.path}?cursor=fresh-{n}"}}
            return self._send(h, 200, json.dumps(page).encode())
        super().handle(h)


@pytest.fixture()
def con(tmp_path):
    c = store.open_store(tmp_path / "faults.duckdb")
    yield c
    c.close()


def test_429_storm_is_bounded_and_capped_then_resumes(con):
    config = _config(contracts_finder.CONFIG, max_retries=4, max_wait_s=60)
    sleeps: list[float] = []
    with FaultyApi(config, _real_cf_releases()) as server:
        server.faults = {2: ("status", 429, {"Retry-After": "30"})} | {
            i: ("status", 429, {"Retry-After": "99999"}) for i in range(3, 7)}
        with pytest.raises(IngestError, match=r"gave up after 5 attempts \(HTTP 429\)"):
            _run(con, server, config, sleeps, date_from=DAY, date_to=DAY)
        assert len(server.requests) == 6  # 1 good page + 5 attempts: bounded
        assert sleeps == [30.0, 60.0, 60.0, 60.0]  # Retry-After honoured, capped at max_wait_s (pacing off here)
        assert len(_rows(con)) == 25  # the page before the storm is kept
        resumed = _run(con, server, config, resume=True)
    assert resumed.resumed and resumed.releases == 100 and len(_rows(con)) == 100


@pytest.mark.parametrize("code", [502, 503, 504])
def test_gateway_errors_are_retried(con, code):
    config = _config(contracts_finder.CONFIG)
    with FaultyApi(config, _real_cf_releases()) as server:
        server.faults = {1: ("status", code, {}), 2: ("status", code, {}), 4: ("status", code, {})}
        summary = _run(con, server, config, date_from=DAY, date_to=DAY)
    assert summary.releases == 100 and len(_rows(con)) == 100 and len(server.requests) == 7


def test_connection_reset_is_retried(con):
    config = _config(contracts_finder.CONFIG)
    with FaultyApi(config, _real_cf_releases()) as server:
        server.faults = {1: "reset", 3: "reset"}
        summary = _run(con, server, config, date_from=DAY, date_to=DAY)
    assert summary.releases == 100 and len(_rows(con)) == 100


def test_body_stalling_past_the_read_timeout_is_retried(con):
    config = _config(contracts_finder.CONFIG, read_timeout_s=0.3)
    with FaultyApi(config, _real_cf_releases()) as server:
        server.faults = {2: "stall"}
        t0 = time.perf_counter()
        summary = _run(con, server, config, date_from=DAY, date_to=DAY)
        server.release_timeout.set()
    assert summary.releases == 100 and len(_rows(con)) == 100
    assert time.perf_counter() - t0 < 3  # returned on the client's timeout, not the server's 3 s stall


def test_html_error_page_with_status_200_is_retried_then_reported(con):
    config = _config(contracts_finder.CONFIG, max_retries=1)
    with FaultyApi(config, _real_cf_releases()) as server:
        server.faults = {1: "html"}
        assert _run(con, server, config, date_from=DAY, date_to=DAY).releases == 100
        server.requests.clear()
        server.faults = {1: "html", 2: "html"}
        with pytest.raises(IngestError, match="not complete JSON"):
            _run(con, server, config, date_from=DAY, date_to=DAY)


def test_hostile_nesting_in_a_page_is_an_error_not_a_crash(con):
    config = _config(contracts_finder.CONFIG, max_retries=1)
    with FaultyApi(config, _real_cf_releases()) as server:
        server.faults = {1: "deep", 2: "deep"}
        with pytest.raises(IngestError, match="gave up after 2 attempts"):
            _run(con, server, config, date_from=DAY, date_to=DAY)
    assert _rows(con) == set()


def test_cursor_that_never_ends_stops_at_the_page_cap_without_duplicates(con):
    config = _config(contracts_finder.CONFIG, max_pages=30)
    with FaultyApi(config, _real_cf_releases()) as server:
        server.endless = True
        with pytest.raises(IngestError, match="page cap 30"):
            _run(con, server, config, date_from=DAY, date_to=DAY)
        assert len(server.requests) == 30
    assert len(_rows(con)) == 5  # the same five releases on every page: stored once
    assert store.get_checkpoint(con, config.name)["releases"] == 5  # and counted once


def test_data_changing_between_pages_gives_no_duplicates_and_a_rerun_completes(con):
    config = _config(contracts_finder.CONFIG)
    releases = _real_cf_releases()
    with FaultyApi(config, releases) as server:
        server.mutate_after = 1  # a release appears at the front after page 1: offsets shift by one
        first = _run(con, server, config, date_from=DAY, date_to=DAY)
        keys = [k for k, _ in _rows(con)]
        assert len(keys) == len(set(keys))
        # one release seen twice across pages: stored once and counted once
        assert first.releases == 100 and first.duplicates == 1 and len(keys) == 100
        server.mutate_after = None
        again = _run(con, server, config, date_from=DAY, date_to=DAY)
    assert again.new == 1 and len(_rows(con)) == 101  # the rerun picks up what the shift hid


def test_cli_prints_a_final_summary_when_the_run_stops(tmp_path, capsys, monkeypatch):
    from svdash.sources import api
    monkeypatch.setattr(api.time, "sleep", lambda s: None)
    monkeypatch.setattr(contracts_finder, "CONFIG", _config(contracts_finder.CONFIG, max_retries=1))
    db = str(tmp_path / "cli.duckdb")
    with FaultyApi(contracts_finder.CONFIG, _real_cf_releases()) as server:
        server.faults = {3: ("status", 503, {}), 4: ("status", 503, {})}
        code = cli.main(["ingest", "contracts-finder", "--from", DAY, "--to", DAY, "--base-url", server.base_url,
                         "--db", db])
        captured = capsys.readouterr()
        assert code == 2 and "rerun with --resume" in captured.err
        summary = json.loads(captured.out.strip().splitlines()[-1])
        assert summary == {"source": "contracts-finder", "status": "interrupted", "pages": 2, "releases": 50,
                           "new": 50, "updated": 0, "rejected": 0, "resumed": False}
        assert cli.main(["ingest", "contracts-finder", "--resume", "--base-url", server.base_url, "--db", db]) == 0
    done = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert done["releases"] == 100 and done["resumed"] is True
