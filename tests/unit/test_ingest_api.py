"""API clients against a local threaded HTTP server on 127.0.0.1 that pages the real embedded notices the way
the real APIs do (release packages, `links.next` with a cursor, filtered by the date window), plus faults."""
from __future__ import annotations

import json
import random
import threading
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlencode, urlparse

import pandas as pd
import pytest

from svdash import cli, store
from svdash.paths import NOTICES_DIR
from svdash.sources import api, contracts_finder, find_a_tender
from svdash.sources.api import IngestError
from tests.unit.local_http import LocalServer

CF_DIRS = ("contracts_finder_2022", "contracts_finder_2025")


def _real_cf_releases() -> list[dict]:
    rels = []
    for d in CF_DIRS:
        for path in sorted((NOTICES_DIR / d).glob("*.json")):
            rels += json.loads(path.read_text(encoding="utf-8"))["releases"]
    return sorted(rels, key=lambda r: (r["date"], r["ocid"], r["id"]))


class FakeOcdsApi(LocalServer):
    """Serves `path` with from/to params; pages of `limit` releases; `links.next` carries `cursor=<offset>`.
    `faults` maps a request number (1-based) to a fault: ("status", code, headers), "truncated", "timeout",
    "repeat" (next link points back at the same cursor), "empty" (an empty page, no next)."""

    def __init__(self, config: api.SourceConfig, releases: list[dict]):
        self.config, self.releases = config, releases
        self.faults: dict[int, object] = {}
        self.requests: list[str] = []
        self.lock = threading.Lock()
        self.release_timeout = threading.Event()
        self._start_server()

    def stopping(self) -> None:
        self.release_timeout.set()

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        with self.lock:
            self.requests.append(h.path)
            fault = self.faults.get(len(self.requests))
        url = urlparse(h.path)
        if url.path != self.config.path:
            return self._send(h, 404, b"{}")
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        start, end = pd.Timestamp(q[self.config.from_param], tz="UTC"), pd.Timestamp(q[self.config.to_param], tz="UTC")
        limit, offset = int(q.get("limit", 100)), int(q.get("cursor", 0))
        window = [r for r in self.releases if start <= pd.Timestamp(r["date"]) < end]
        page = window[offset:offset + limit]
        nxt = None
        if offset + limit < len(window):
            nxt = {k: v for k, v in q.items()} | {"cursor": str(offset + limit)}
        if fault == "repeat":
            nxt = dict(q)
        if fault == "empty":
            page, nxt = [], None
        body = {"uri": self.base_url + h.path, "version": "1.1", "publishedDate": "2025-03-11T00:00:00Z",
                "releases": page}
        if nxt:
            body["links"] = {"next": f"{self.base_url}{self.config.path}?{urlencode(nxt)}"}
        data = json.dumps(body).encode("utf-8")
        if isinstance(fault, tuple) and fault[0] == "status":
            return self._send(h, fault[1], b'{"error": "injected"}', fault[2])
        if fault == "truncated":
            return self._send(h, 200, data[: len(data) // 2])
        if fault == "timeout":
            self.release_timeout.wait(5)  # longer than the client's read timeout
            return
        self._send(h, 200, data)

    @staticmethod
    def _send(h, code, data, headers=None):
        h.send_response(code)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        try:
            h.wfile.write(data)
        except OSError:
            pass


FAST = dict(rate_requests=0, backoff_s=0.01, read_timeout_s=0.5, connect_timeout_s=0.5, limit=25, max_retries=3)


def _config(base: api.SourceConfig, **over) -> api.SourceConfig:
    from dataclasses import replace
    return replace(base, **(FAST | over))


@pytest.fixture()
def con(tmp_path):
    c = store.open_store(tmp_path / "api.duckdb")
    yield c
    c.close()


def _run(con, server, config, sleeps=None, **kw):
    sleeps = sleeps if sleeps is not None else []
    return api.run_ingest(con, config, base_url=server.base_url, sleep=sleeps.append, rng=random.Random(1), **kw)


def _rows(con):
    return set(con.execute("SELECT release_key, content_sha1 FROM releases").fetchall())


CF_2025_FROM, CF_2025_TO = "2025-01-20", "2025-03-11"


@pytest.mark.parametrize("base", [contracts_finder.CONFIG, find_a_tender.CONFIG], ids=["cf", "fts"])
def test_pages_through_real_releases_in_windows(con, base):
    config = _config(base)
    releases = _real_cf_releases()
    with FakeOcdsApi(config, releases) as server:
        summary = _run(con, server, config, date_from=CF_2025_FROM, date_to=CF_2025_TO)
    expected = {f"{r['ocid']}/{r['id']}" for r in releases if "2025-01-20" <= r["date"][:10] <= "2025-03-11"}
    assert {k for k, _ in _rows(con)} == expected and len(expected) == 200
    assert summary.releases == 200 and summary.new == 200 and summary.updated == 0 and summary.rejected == 0
    first = server.requests[0]
    assert first.startswith(base.path) and f"{base.from_param}=2025-01-20T00%3A00%3A00" in first
    assert "limit=25" in first
    assert store.get_checkpoint(con, base.name)["status"] == "done"
    assert set(con.execute("SELECT DISTINCT source FROM releases").fetchone()) == {base.name}


def test_rerun_changes_nothing(con):
    config = _config(contracts_finder.CONFIG)
    with FakeOcdsApi(config, _real_cf_releases()) as server:
        _run(con, server, config, date_from=CF_2025_FROM, date_to=CF_2025_TO)
        before = con.execute("SELECT * FROM releases ORDER BY release_key").fetchall()
        again = _run(con, server, config, date_from=CF_2025_FROM, date_to=CF_2025_TO)
    assert (again.new, again.updated) == (0, 0)
    assert con.execute("SELECT * FROM releases ORDER BY release_key").fetchall() == before


def test_429_with_retry_after_is_honoured(con):
    config = _config(find_a_tender.CONFIG)
    sleeps: list[float] = []
    with FakeOcdsApi(config, _real_cf_releases()) as server:
        server.faults = {1: ("status", 429, {"Retry-After": "7"}), 3: ("status", 503, {"Retry-After": "2"})}
        summary = _run(con, server, config, sleeps, date_from="2025-01-23", date_to="2025-01-23")
    assert 7.0 in sleeps and 2.0 in sleeps
    assert summary.releases == 100 and len(_rows(con)) == 100


def test_500_then_success_backs_off_exponentially(con):
    config = _config(contracts_finder.CONFIG, backoff_s=1.0)
    sleeps: list[float] = []
    with FakeOcdsApi(config, _real_cf_releases()) as server:
        server.faults = {1: ("status", 500, {}), 2: ("status", 502, {})}
        summary = _run(con, server, config, sleeps, date_from="2025-01-23", date_to="2025-01-23")
    assert 1.0 <= sleeps[0] < 2.0 and 2.0 <= sleeps[1] < 3.0  # backoff * 2**attempt + jitter in [0, backoff)
    assert summary.releases == 100


def test_timeout_is_retried(con):
    config = _config(contracts_finder.CONFIG, read_timeout_s=0.3)
    with FakeOcdsApi(config, _real_cf_releases()) as server:
        server.faults = {1: "timeout"}
        summary = _run(con, server, config, date_from="2025-01-23", date_to="2025-01-23")
    assert summary.releases == 100 and len(server.requests) >= 2


def test_truncated_body_is_retried_then_gives_up_cleanly(con):
    config = _config(contracts_finder.CONFIG, max_retries=2)
    with FakeOcdsApi(config, _real_cf_releases()) as server:
        server.faults = {1: "truncated"}
        assert _run(con, server, config, date_from="2025-01-23", date_to="2025-01-23").releases == 100
    con.execute("DELETE FROM releases")
    with FakeOcdsApi(config, _real_cf_releases()) as server:
        server.faults = {1: "truncated", 2: "truncated", 3: "truncated"}
        with pytest.raises(IngestError, match="not complete JSON"):
            _run(con, server, config, date_from="2025-01-23", date_to="2025-01-23")
    assert _rows(con) == set()


def test_repeated_cursor_stops_with_an_error(con):
    config = _config(contracts_finder.CONFIG)
    with FakeOcdsApi(config, _real_cf_releases()) as server:
        server.faults = {2: "repeat"}
        with pytest.raises(IngestError, match="already fetched page again"):
            _run(con, server, config, date_from="2025-01-23", date_to="2025-01-23")
    assert len(_rows(con)) == 50  # the two pages before the loop were stored


def test_empty_page_ends_the_window(con):
    config = _config(contracts_finder.CONFIG)
    with FakeOcdsApi(config, _real_cf_releases()) as server:
        server.faults = {1: "empty"}
        summary = _run(con, server, config, date_from="2025-01-23", date_to="2025-01-23")
    assert summary.pages == 1 and summary.releases == 0


def test_page_cap(con):
    config = _config(contracts_finder.CONFIG, max_pages=2)
    with FakeOcdsApi(config, _real_cf_releases()) as server:
        with pytest.raises(IngestError, match="page cap 2"):
            _run(con, server, config, date_from="2025-01-23", date_to="2025-01-23")


def test_non_retryable_status_stops(con):
    config = _config(find_a_tender.CONFIG)
    with FakeOcdsApi(config, _real_cf_releases()) as server:
        server.faults = {1: ("status", 400, {})}
        with pytest.raises(IngestError, match="HTTP 400"):
            _run(con, server, config, date_from="2025-01-23", date_to="2025-01-23")


def test_interrupted_run_then_resume_equals_uninterrupted(tmp_path):
    config = _config(contracts_finder.CONFIG, window=pd.Timedelta(days=15).to_pytimedelta())
    releases = _real_cf_releases()
    full = store.open_store(tmp_path / "full.duckdb")
    part = store.open_store(tmp_path / "part.duckdb")
    with FakeOcdsApi(config, releases) as server:
        _run(full, server, config, date_from="2022-05-01", date_to=CF_2025_TO)
        with pytest.raises(IngestError, match="simulated interruption"):
            _run(part, server, config, date_from="2022-05-01", date_to=CF_2025_TO, stop_after_pages=12)
        assert 0 < len(_rows(part)) < 406  # stopped inside the October 2022 window
        checkpoint = store.get_checkpoint(part, config.name)
        assert checkpoint["status"] == "running" and checkpoint["pages"] == 12
        assert "cursor=" in checkpoint["next_url"]  # interrupted between two pages of one window
        # a second failure mid-way (server error on every try) keeps the checkpoint usable
        server.faults = {len(server.requests) + i: ("status", 500, {}) for i in range(1, 5)}
        with pytest.raises(IngestError, match="gave up"):
            _run(part, server, config, resume=True)
        resumed = _run(part, server, config, resume=True)
    assert resumed.resumed and _rows(part) == _rows(full) and len(_rows(full)) == 406
    assert resumed.releases == 406
    with pytest.raises(IngestError, match="nothing to resume"):
        api.run_ingest(part, config, resume=True)
    full.close()
    part.close()


def test_incremental_from_latest_stored_date(con):
    config = _config(contracts_finder.CONFIG)
    with FakeOcdsApi(config, _real_cf_releases()) as server:
        _run(con, server, config, date_from="2025-01-20", date_to="2025-01-23")
        summary = _run(con, server, config, date_to=CF_2025_TO)
    assert server.requests[-1].count("publishedFrom=2025-01-23T22%3A10%3A19") or any(
        "publishedFrom=2025-01-23T22%3A10%3A19" in r for r in server.requests)
    assert summary.new == 100 and len(_rows(con)) == 200
    with pytest.raises(IngestError, match="nothing from"):
        api.run_ingest(store.open_store(":memory:"), config, date_to="2025-01-01")


def test_cli_ingest_prints_summary(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(api.time, "sleep", lambda s: None)
    monkeypatch.setattr(contracts_finder, "CONFIG", _config(contracts_finder.CONFIG))
    with FakeOcdsApi(contracts_finder.CONFIG, _real_cf_releases()) as server:
        code = cli.main(["ingest", "contracts-finder", "--from", "2025-01-23", "--to", "2025-01-23",
                         "--base-url", server.base_url, "--db", str(tmp_path / "c.duckdb")])
    assert code == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out == {"source": "contracts-finder", "pages": 4, "releases": 100, "new": 100, "updated": 0,
                   "rejected": 0, "duplicates": 0, "resumed": False}
    assert cli.main(["ingest", "contracts-finder", "--from", "2025-13-01", "--db", str(tmp_path / "c.duckdb")]) == 2


def test_rejects_items_without_ocid_on_a_page(con):
    config = _config(find_a_tender.CONFIG)
    rels = _real_cf_releases()[-3:]
    broken = {k: v for k, v in rels[0].items() if k != "ocid"}
    with FakeOcdsApi(config, [broken] + rels[1:]) as server:
        summary = _run(con, server, config, date_from="2025-03-11", date_to="2025-03-11")
    assert summary.releases == 2 and summary.rejected == 1
    pos, reason = con.execute("SELECT position, reason FROM rejects").fetchone()
    assert pos.endswith("release 0") and reason == "release has no ocid"
