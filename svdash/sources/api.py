"""Shared paging/retry/pacing/checkpoint machinery for the OCDS APIs (Contracts Finder, Find a Tender).

Each source module defines one frozen `SourceConfig` (base URL, path, parameter names, time zone, window,
request rate, retry codes, doc link). `run_ingest` cuts [from, to) into windows, follows `links.next` within
each window (the last page has no `links`), writes every page and its checkpoint in ONE transaction (so
`--resume` continues exactly after the last stored page), counts a release seen twice in one walk once, and
stops with `IngestError` on a repeated next link, a page cap, or exhausted retries. Windows are cut in the
API's own wall-clock time (`SourceConfig.timezone`), so their bounds are the local strings the API reads and a
daylight-saving change neither skips nor doubles an hour. Sleeps and both clocks are injectable, so tests run
instantly.
"""
from __future__ import annotations

import collections
import json
import math
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import requests

from svdash import store
from svdash.sources import nonfinite
from svdash.sources.files import Reject, _classify_object
from svdash.sources.ocds import release_key

MAX_LIMIT = 100  # both APIs refuse more releases per page


@dataclass(frozen=True)
class SourceConfig:
    name: str                      # store `source` value and checkpoint key
    base_url: str
    path: str
    from_param: str
    to_param: str
    doc_url: str
    window: timedelta              # one request chain per window
    rate_requests: int = 0         # at most this many requests ...
    rate_period_s: float = 0.0     # ... in any period of this many seconds (0 = unpaced)
    timezone: str = ""             # IANA zone the API reads from/to in ("" = sent as given)
    limit: int = MAX_LIMIT
    retry_codes: tuple[int, ...] = (429, 500, 502, 503, 504)
    status_waits: tuple[tuple[int, float], ...] = ()   # fixed waits for codes without Retry-After
    max_retries: int = 5
    backoff_s: float = 2.0
    max_wait_s: float = 600.0
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 60.0
    max_pages: int = 10_000
    date_format: str = "%Y-%m-%dT%H:%M:%S"  # 19 characters: no zone suffix, never a bare date

    def __post_init__(self):
        if not 1 <= self.limit <= MAX_LIMIT:
            raise ValueError(f"{self.name}: limit must be 1–{MAX_LIMIT}, not {self.limit}")
        if self.window <= timedelta(0):
            raise ValueError(f"{self.name}: the window must be positive")


class IngestError(RuntimeError):
    """The API run stopped; the checkpoint is kept so `--resume` can continue."""


class NotRetryable(IngestError):
    """The API answered a request with a status that no retry changes (400 for an expired cursor, 404, …)."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


@dataclass
class IngestSummary:
    source: str
    pages: int = 0
    releases: int = 0              # distinct releases (ocid + id) fetched in this walk
    new: int = 0
    updated: int = 0
    rejected: int = 0
    duplicates: int = 0            # further copies of a release already fetched in this walk (not counted above)
    resumed: bool = False
    windows: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"source": self.source, "pages": self.pages, "releases": self.releases, "new": self.new,
                "updated": self.updated, "rejected": self.rejected, "duplicates": self.duplicates,
                "resumed": self.resumed}


def format_time(config: SourceConfig, moment: datetime) -> str:
    """A window bound as the API takes it: `YYYY-MM-DDTHH:MM:SS` in the API's wall-clock time (an aware
    datetime is converted first), so never a bare date and never a `Z` the API would silently ignore."""
    if moment.tzinfo is not None:
        zone = ZoneInfo(config.timezone) if config.timezone else timezone.utc
        moment = moment.astimezone(zone).replace(tzinfo=None)
    text = moment.strftime(config.date_format)
    if len(text) != 19:
        raise IngestError(f"{config.name}: {text!r} is not a 19-character local date-time")
    return text


def first_url(config: SourceConfig, base_url: str, start: datetime, end: datetime) -> str:
    """The first page of one window. No `stages`: on Find a Tender it silently drops every Procurement Act
    notice, and without it both APIs return every stage."""
    params = {config.from_param: format_time(config, start), config.to_param: format_time(config, end),
              "limit": config.limit}
    return f"{base_url.rstrip('/')}{config.path}?{urlencode(params)}"


class RequestPacer:
    """At most `requests` requests in any `period_s` seconds (the server's rolling window). A request's time
    is when its response ended, not when it was sent: the server saw it no later than that, so however long
    a request takes, the server never counts more than `requests` of ours in one period."""

    def __init__(self, requests: int, period_s: float, clock: Callable[[], float],
                 sleep: Callable[[float], None]):
        self.requests, self.period_s, self.clock, self.sleep = requests, period_s, clock, sleep
        self.done: collections.deque[float] = collections.deque(maxlen=max(requests, 1))

    def before(self) -> None:
        if self.requests <= 0 or self.period_s <= 0 or len(self.done) < self.requests:
            return
        wait = self.done[0] + self.period_s - self.clock()
        if wait > 0:
            self.sleep(wait)

    def after(self) -> None:
        self.done.append(self.clock())


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        from email.utils import parsedate_to_datetime
        try:
            when = parsedate_to_datetime(value)
            return max(0.0, (when - datetime.now(when.tzinfo)).total_seconds())
        except (TypeError, ValueError):
            return None


def fetch_page(session: requests.Session, url: str, config: SourceConfig,
               sleep: Callable[[float], None], rng: random.Random, pacer: RequestPacer | None = None) -> dict:
    """GET one page and parse it; retries transient failures (retry codes, timeouts, connection errors,
    bodies that are not complete JSON) with exponential backoff + jitter, honouring Retry-After. Only a 200
    body is parsed: a 429/503 body is plain text ("Rate limit of 12 exceeded…"), a wait, not data.
    Every attempt goes through `pacer`."""
    last_problem = ""
    for attempt in range(config.max_retries + 1):
        wait: float | None = None
        if pacer is not None:
            pacer.before()
        try:
            response = session.get(url, timeout=(config.connect_timeout_s, config.read_timeout_s),
                                   headers={"Accept": "application/json"})
        except (requests.Timeout, requests.ConnectionError) as exc:
            last_problem = f"{type(exc).__name__}: {exc}"
        else:
            if response.status_code == 200:
                try:
                    page = response.json(**nonfinite.JSON_HOOKS)  # FTS's bare 1e9999 ("no limit") → None
                except ValueError as exc:
                    last_problem = f"response is not complete JSON ({exc})"
                except RecursionError:  # hostile nesting: json recurses; report it like any bad body
                    last_problem = "response JSON is nested too deeply"
                else:
                    if isinstance(page, dict):
                        return page
                    last_problem = "response JSON is not an object"
            elif response.status_code in config.retry_codes:
                last_problem = f"HTTP {response.status_code}"
                if response.status_code in (429, 503):
                    wait = _retry_after(response)
                if wait is None:
                    wait = dict(config.status_waits).get(response.status_code)
            else:
                raise NotRetryable(f"{url}: HTTP {response.status_code} (not retryable)", response.status_code)
        finally:
            if pacer is not None:
                pacer.after()
        if attempt == config.max_retries:
            break
        if wait is None:
            wait = config.backoff_s * (2 ** attempt) + rng.uniform(0, config.backoff_s)
        sleep(min(wait, config.max_wait_s))
    raise IngestError(f"{url}: gave up after {config.max_retries + 1} attempts ({last_problem})")


def _parse_day(value: str, what: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError as exc:
        raise IngestError(f"{what} {value!r} is not a date (YYYY-MM-DD)") from exc


def _wall_clock(config: SourceConfig, moment: datetime) -> datetime:
    """An instant (aware, or naive UTC as the store keeps dates) as the API's naive wall-clock time."""
    if not config.timezone:
        return moment.replace(tzinfo=None)
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)
    return aware.astimezone(ZoneInfo(config.timezone)).replace(tzinfo=None)


def count_windows(start: datetime, end: datetime, window: timedelta) -> int:
    return max(0, math.ceil((end - start) / window))


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def run_ingest(con, config: SourceConfig, date_from: str | None = None, date_to: str | None = None,
               base_url: str | None = None, resume: bool = False, session: requests.Session | None = None,
               sleep: Callable[[float], None] = time.sleep, rng: random.Random | None = None,
               now: Callable[[], datetime] = _utc_now, clock: Callable[[], float] = time.monotonic,
               progress: bool = False, stop_after_pages: int | None = None,
               log: Callable[[str], None] | None = None) -> IngestSummary:
    """Fetch [date_from, date_to] (whole days of the API's time zone) into the store. `date_from` None →
    incremental (from the day of the latest stored release of this source; the whole local day when the
    source has a time zone). `resume` → continue the unfinished run recorded in the checkpoint. `now` gives
    the current instant (default end), `clock` the monotonic seconds the pacer counts in.
    `stop_after_pages` simulates an interruption (tests). `log` gets one line per finished window (the plain
    progress of a run without a terminal).
    On resume, a stored next link the API no longer accepts (a 4xx: cursors expire) restarts that window from
    its first page; pages written again are upserts, so nothing is counted twice in the store."""
    session = session or requests.Session()
    rng = rng or random.Random()
    base = base_url or config.base_url
    pacer = RequestPacer(config.rate_requests, config.rate_period_s, clock, sleep)
    checkpoint = store.get_checkpoint(con, config.name)
    summary = IngestSummary(config.name)
    if resume:
        if checkpoint is None or checkpoint["status"] != "running":
            raise IngestError(f"nothing to resume for {config.name}: no unfinished run in the store")
        summary.resumed = True
        window_from = datetime.fromisoformat(checkpoint["window_from"])
        window_to = datetime.fromisoformat(checkpoint["window_to"])
        current = datetime.fromisoformat(checkpoint["current_from"])
        next_url, seen = checkpoint["next_url"], list(checkpoint["seen_urls"])
        for key in ("pages", "releases", "new", "updated", "rejected"):
            setattr(summary, key, int(checkpoint[key] or 0))
    else:
        if date_from:
            window_from = _parse_day(date_from, "--from")
        else:
            latest = store.latest_date(con, config.name)
            if latest is None:
                raise IngestError(f"no --from given and nothing from {config.name} is stored yet")
            window_from = _wall_clock(config, latest.to_pydatetime())
            if config.timezone:  # the API filters on "last updated", not the release date: take the whole day
                window_from = window_from.replace(hour=0, minute=0, second=0, microsecond=0)
        window_to = (_parse_day(date_to, "--to") + timedelta(days=1) if date_to
                     else _wall_clock(config, now()).replace(microsecond=0))
        if window_to <= window_from:
            raise IngestError(f"empty window: --to is before --from ({window_from:%Y-%m-%d})")
        current, next_url, seen = window_from, None, []
    keys: set[str] = set()  # release keys fetched in this walk (a server-side duplicate is counted once)
    bar = None
    if progress:
        from tqdm import tqdm
        bar = tqdm(desc=config.name, unit="window", total=count_windows(window_from, window_to, config.window),
                   initial=count_windows(window_from, current, config.window), file=sys.stderr)
        bar.set_postfix(pages=summary.pages, releases=summary.releases)
    try:
        while current < window_to:
            window_end = min(current + config.window, window_to)
            url = next_url or first_url(config, base, current, window_end)
            while url:
                if url in seen:
                    raise IngestError(f"{config.name}: the API returned an already fetched page again ({url});"
                                      " stopping instead of looping")
                if summary.pages >= config.max_pages:
                    raise IngestError(f"{config.name}: page cap {config.max_pages} reached; narrow the window")
                if stop_after_pages is not None and summary.pages >= stop_after_pages:
                    raise IngestError(f"{config.name}: stopped after {stop_after_pages} pages (simulated interruption)")
                try:
                    page = fetch_page(session, url, config, sleep, rng, pacer)
                except NotRetryable as exc:
                    if not (summary.resumed and url == next_url and 400 <= exc.status < 500):
                        raise
                    url, next_url, seen = first_url(config, base, current, window_end), None, []
                    continue
                releases, rejects = [], []
                fresh = duplicates = 0
                for entry in _page_entries(page, url):
                    if isinstance(entry, Reject):
                        rejects.append({"position": entry.position, "reason": entry.reason,
                                        "excerpt": entry.excerpt})
                        continue
                    # every copy is written (the upsert keeps the latest content) but counted once
                    releases.append(entry.release)
                    key = release_key(entry.release)
                    if key in keys:
                        duplicates += 1
                    else:
                        keys.add(key)
                        fresh += 1
                links = page.get("links")
                following = links.get("next") if isinstance(links, dict) else None  # last page: no `links`
                seen.append(url)
                with store.transaction(con):
                    counts = store.write_batch(con, releases, config.name)
                    store.add_rejects(con, config.name, rejects)
                    summary.pages += 1
                    summary.releases += fresh
                    summary.duplicates += duplicates
                    summary.new += counts["new"]
                    summary.updated += counts["updated"]
                    summary.rejected += len(rejects)
                    done_window = not following
                    store.save_checkpoint(con, {
                        "source": config.name, "status": "running",
                        "window_from": window_from.isoformat(), "window_to": window_to.isoformat(),
                        "current_from": (window_end if done_window else current).isoformat(),
                        "next_url": following or None, "seen_urls": [] if done_window else seen,
                        **summary.as_dict()})
                if bar is not None:
                    bar.set_postfix(pages=summary.pages, releases=summary.releases, new=summary.new,
                                    rejected=summary.rejected, refresh=False)
                    if done_window:
                        bar.update(1)
                    else:
                        bar.refresh()
                url = following
            summary.windows.append(f"{current.isoformat()}/{window_end.isoformat()}")
            if log is not None:
                log(f"{config.name} {current:%Y-%m-%dT%H:%M}/{window_end:%Y-%m-%dT%H:%M} done: "
                    f"{summary.pages} pages, {summary.releases} releases ({summary.new} new, "
                    f"{summary.updated} updated, {summary.rejected} rejected) so far; "
                    f"{count_windows(window_end, window_to, config.window)} windows to go")
            current, next_url, seen = window_end, None, []
        with store.transaction(con):
            store.save_checkpoint(con, {"source": config.name, "status": "done",
                                        "window_from": window_from.isoformat(), "window_to": window_to.isoformat(),
                                        "current_from": window_to.isoformat(), "next_url": None, "seen_urls": [],
                                        **summary.as_dict()})
    finally:
        if bar is not None:
            bar.close()
    return summary


def _page_entries(page: dict, url: str):
    """Releases of one API page; items without ocid or not objects become rejects named by page + index."""
    releases = page.get("releases")
    if releases is None:
        return
    if not isinstance(releases, list):
        yield Reject(url, "page 'releases' is not a list", json.dumps(releases)[:200])
        return
    for i, rel in enumerate(releases):
        yield from _classify_object(rel, f"{url} release {i}")
