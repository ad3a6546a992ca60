"""A local 127.0.0.1 stand-in for the Find a Tender OCDS API that behaves as the live one does (recorded pages in
../shared/data/notices/find_a_tender_2026-08 and public write-ups of the API), for tests/unit/test_ingest_fts_*.py:

- `GET /api/1.0/ocdsReleasePackages`; parameters `updatedFrom`, `updatedTo`, `limit`, `cursor`, `stages` only
  (anything else → 400). `updatedFrom`/`updatedTo` must be `YYYY-MM-DDTHH:MM:SS`; a trailing `Z` is accepted and
  ignored, a bare date → 400. Both are read as Europe/London wall-clock time.
- `limit` 1–100 (else 400). `stages` silently keeps only PCR 2015 (`legalBasis.scheme` CELEX) releases.
- More than 12 requests in any 120 s (of the injected clock) → 429, plain-text body, `Retry-After: 120`.
- Content is either `releases` (each served in the window containing its `date`, `limit` per page, cursor =
  offset, the last page without `links`) or `recorded` chains of real page bodies per window, served byte for
  byte except that `links.next` points at this server.
"""
from __future__ import annotations

import base64
import re
import threading
import time
from collections import deque
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse
from zoneinfo import ZoneInfo

import orjson

from tests.unit.local_http import LocalServer

LONDON = ZoneInfo("Europe/London")
PATH = "/api/1.0/ocdsReleasePackages"
LIVE = "https://www.find-tender.service.gov.uk"
LOCAL_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")
RATE_BODY = b"Rate limit of 12 exceeded. Please retry after 120 seconds."
_NEXT = re.compile(rb'("next"\s*:\s*")' + re.escape(LIVE.encode()))


class FakeClock:
    """Monotonic seconds that move only when slept (or when the server adds its latency)."""

    def __init__(self, start: float = 1000.0):
        self.t = start
        self.sleeps: list[float] = []
        self.lock = threading.Lock()

    def __call__(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        with self.lock:
            self.t += seconds

    def advance(self, seconds: float) -> None:
        with self.lock:
            self.t += seconds


class ScaledClock:
    """Real monotonic time divided by `scale`, for a client in another process that scales its own waits and
    clock by the same factor (`svdash.update.TIMESCALE_ENV`): 12 requests per 120 s stay the rule, at
    12 per 120·scale real seconds. The server's latency is real, so `advance` adds nothing."""

    def __init__(self, scale: float):
        self.scale = scale

    def __call__(self) -> float:
        return time.monotonic() / self.scale

    def advance(self, seconds: float) -> None:
        pass


def london_instant(text: str) -> datetime:
    """A London wall-clock `YYYY-MM-DDTHH:MM:SS` as a UTC instant (the first of two in the autumn hour)."""
    return datetime.fromisoformat(text).replace(tzinfo=LONDON).astimezone(timezone.utc)


def recorded_chain(folder: Path) -> list[bytes]:
    """The page bodies of one recorded day (`page-001.json`, `page-002.json`, … in order)."""
    return [p.read_bytes() for p in sorted(folder.glob("page-*.json"))]


class FakeFts(LocalServer):
    def __init__(self, clock: FakeClock | None = None, latency_s: float = 0.5, limit_requests: int = 12,
                 limit_period_s: float = 120.0):
        self.clock = clock or FakeClock()
        self.latency_s = latency_s
        self.limit_requests, self.limit_period_s = limit_requests, limit_period_s
        self.releases: list[dict] = []
        self.recorded: dict[tuple[str, str], list[bytes]] = {}
        self.faults: dict[int, tuple[int, bytes, dict]] = {}  # request number (1-based) → status, body, headers
        self.requests: list[dict] = []      # per request: time, path, params, status, served release keys
        self.recent: deque[float] = deque()
        self.lock = threading.Lock()
        self.on_request = None  # called with the request number (1-based) before it is answered (tests kill there)
        self._start_server()

    @property
    def statuses(self) -> list[int]:
        return [r["status"] for r in self.requests]

    @property
    def windows(self) -> list[tuple[str, str]]:
        """(updatedFrom, updatedTo) of every first page (no cursor) requested, in order."""
        return [(r["params"]["updatedFrom"], r["params"]["updatedTo"]) for r in self.requests
                if r["status"] == 200 and "cursor" not in r["params"]]

    # ------------------------------------------------------------ request handling

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        with self.lock:
            now = self.clock()
            record = {"time": now, "path": h.path, "params": {}, "status": 0, "served": []}
            self.requests.append(record)
            number = len(self.requests)
            self.recent.append(now)
            while self.recent and self.recent[0] <= now - self.limit_period_s:
                self.recent.popleft()
            over = len(self.recent) > self.limit_requests
        if self.on_request is not None:
            self.on_request(number)
        self.clock.advance(self.latency_s)
        status, body, headers = self._answer(h.path, record, number, over)
        record["status"] = status
        h.send_response(status)
        for key, value in headers.items():
            h.send_header(key, value)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        try:
            h.wfile.write(body)
        except OSError:
            pass

    def _answer(self, path: str, record: dict, number: int, over: bool) -> tuple[int, bytes, dict]:
        text = {"Content-Type": "text/plain; charset=utf-8"}
        if number in self.faults:
            status, body, headers = self.faults[number]
            return status, body, {**text, **headers}
        if over:
            return 429, RATE_BODY, {**text, "Retry-After": "120"}
        url = urlparse(path)
        if url.path != PATH:
            return 404, b"Not found", text
        query = parse_qs(url.query, keep_blank_values=True)
        unknown = set(query) - {"updatedFrom", "updatedTo", "limit", "cursor", "stages"}
        if unknown:
            return 400, f"Unknown parameter(s) {sorted(unknown)}".encode(), text
        params = {k: v[0] for k, v in query.items()}
        record["params"] = params
        bounds = []
        for name in ("updatedFrom", "updatedTo"):
            value = params.get(name, "")
            value = value[:-1] if value.endswith("Z") else value  # accepted, then ignored: still London time
            if not LOCAL_TIME.match(value):
                return 400, f"{name} must be YYYY-MM-DDTHH:MM:SS".encode(), text
            bounds.append(value)
        limit = int(params.get("limit", "100")) if params.get("limit", "100").isdigit() else 0
        if not 1 <= limit <= 100:
            return 400, b"limit must be between 1 and 100", text
        if self.recorded:
            return self._recorded(tuple(bounds), params.get("cursor"), record)
        return self._paged(bounds, limit, params, record)

    def _recorded(self, window: tuple[str, str], cursor: str | None, record: dict) -> tuple[int, bytes, dict]:
        chain = self.recorded.get(window)
        if chain is None:
            return 200, b'{"releases": []}', {"Content-Type": "application/json"}
        index = 0
        if cursor is not None:
            links = [_next_cursor(body) for body in chain]
            if cursor not in links:
                return 400, b"Invalid cursor", {"Content-Type": "text/plain"}
            index = links.index(cursor) + 1
        body = chain[index]
        record["served"] = [f"{r['ocid']}/{r['id']}" for r in _releases(body)]
        return 200, _NEXT.sub(rb"\g<1>" + self.base_url.encode(), body), {"Content-Type": "application/json"}

    def _paged(self, bounds: list[str], limit: int, params: dict, record: dict) -> tuple[int, bytes, dict]:
        start, end = (london_instant(b) for b in bounds)
        window = [r for r in self.releases
                  if start <= datetime.fromisoformat(r["date"].replace("Z", "+00:00")) < end]
        if "stages" in params:
            window = [r for r in window if (r.get("tender", {}).get("legalBasis") or {}).get("scheme") == "CELEX"]
        offset = int(base64.b64decode(params["cursor"]).decode()) if params.get("cursor") else 0
        page = window[offset:offset + limit]
        body: dict = {"uri": f"{LIVE}{PATH}?{urlencode({k: v for k, v in params.items() if k != 'cursor'})}",
                      "version": "1.1", "releases": page}
        if offset + limit < len(window):
            following = dict(params, cursor=base64.b64encode(str(offset + limit).encode()).decode())
            body["links"] = {"next": f"{self.base_url}{PATH}?{urlencode(following)}"}
        record["served"] = [f"{r['ocid']}/{r['id']}" for r in page]
        return 200, orjson.dumps(body), {"Content-Type": "application/json"}


def _next_cursor(body: bytes) -> str | None:
    match = re.search(rb'"next"\s*:\s*"[^"]*[?&]cursor=([A-Za-z0-9=%]+)', body)
    return match.group(1).decode().replace("%3D", "=") if match else None


def _releases(body: bytes) -> list[dict]:
    from svdash.sources import nonfinite
    return nonfinite.loads(body).get("releases", [])
