"""Shared paging/retry/checkpoint machinery for the OCDS APIs (Contracts Finder, Find a Tender).

Each source module defines one frozen `SourceConfig` (base URL, path, parameter names, window, delay,
retry codes, doc link). `run_ingest` cuts [from, to) into windows, follows `links.next` within each window,
writes every page and its checkpoint in ONE transaction (so `--resume` continues exactly after the last
stored page), and stops with `IngestError` on a repeated next link, a page cap, or exhausted retries.
Sleeps and the clock are injectable so tests run instantly.
"""
from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable
from urllib.parse import urlencode

import requests

from svdash import store
from svdash.sources import nonfinite
from svdash.sources.files import Reject, _classify_object


@dataclass(frozen=True)
class SourceConfig:
    name: str                      # store `source` value and checkpoint key
    base_url: str
    path: str
    from_param: str
    to_param: str
    doc_url: str
    window: timedelta              # one request chain per window (long windows miss releases on FTS)
    delay_s: float                 # pause between requests (politeness / rate limit)
    limit: int = 100
    stages: str = ""               # "" = all stages
    retry_codes: tuple[int, ...] = (429, 500, 502, 503, 504)
    status_waits: tuple[tuple[int, float], ...] = ()   # fixed waits for codes without Retry-After
    max_retries: int = 5
    backoff_s: float = 2.0
    max_wait_s: float = 600.0
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 60.0
    max_pages: int = 10_000
    date_format: str = "%Y-%m-%dT%H:%M:%S"


class IngestError(RuntimeError):
    """The API run stopped; the checkpoint is kept so `--resume` can continue."""


@dataclass
class IngestSummary:
    source: str
    pages: int = 0
    releases: int = 0
    new: int = 0
    updated: int = 0
    rejected: int = 0
    resumed: bool = False
    windows: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"source": self.source, "pages": self.pages, "releases": self.releases, "new": self.new,
                "updated": self.updated, "rejected": self.rejected, "resumed": self.resumed}


def first_url(config: SourceConfig, base_url: str, start: datetime, end: datetime) -> str:
    params = {config.from_param: start.strftime(config.date_format),
              config.to_param: end.strftime(config.date_format), "limit": config.limit}
    if config.stages:
        params["stages"] = config.stages
    return f"{base_url.rstrip('/')}{config.path}?{urlencode(params)}"


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
               sleep: Callable[[float], None], rng: random.Random) -> dict:
    """GET one page and parse it; retries transient failures (retry codes, timeouts, connection errors,
    bodies that are not complete JSON) with exponential backoff + jitter, honouring Retry-After."""
    last_problem = ""
    for attempt in range(config.max_retries + 1):
        wait: float | None = None
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
                raise IngestError(f"{url}: HTTP {response.status_code} (not retryable)")
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


def run_ingest(con, config: SourceConfig, date_from: str | None = None, date_to: str | None = None,
               base_url: str | None = None, resume: bool = False, session: requests.Session | None = None,
               sleep: Callable[[float], None] = time.sleep, rng: random.Random | None = None,
               now: Callable[[], datetime] = lambda: datetime.now(), progress: bool = False,
               stop_after_pages: int | None = None) -> IngestSummary:
    """Fetch [date_from, date_to) into the store. `date_from` None → incremental (from the latest stored
    release date of this source). `resume` → continue the unfinished run recorded in the checkpoint.
    `stop_after_pages` simulates an interruption (tests)."""
    session = session or requests.Session()
    rng = rng or random.Random()
    base = base_url or config.base_url
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
            window_from = latest.to_pydatetime()
        window_to = _parse_day(date_to, "--to") + timedelta(days=1) if date_to else now().replace(microsecond=0)
        if window_to <= window_from:
            raise IngestError(f"empty window: --to is before --from ({window_from:%Y-%m-%d})")
        current, next_url, seen = window_from, None, []
    bar = None
    if progress:
        from tqdm import tqdm
        bar = tqdm(desc=config.name, unit="page", initial=summary.pages)
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
                if summary.pages:
                    sleep(config.delay_s)
                page = fetch_page(session, url, config, sleep, rng)
                releases, rejects = [], []
                for i, entry in enumerate(_page_entries(page, url)):
                    if isinstance(entry, Reject):
                        rejects.append({"position": entry.position, "reason": entry.reason,
                                        "excerpt": entry.excerpt})
                    else:
                        releases.append(entry.release)
                following = (page.get("links") or {}).get("next") if isinstance(page.get("links"), dict) else None
                seen.append(url)
                with store.transaction(con):
                    counts = store.write_batch(con, releases, config.name)
                    store.add_rejects(con, config.name, rejects)
                    summary.pages += 1
                    summary.releases += len(releases)
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
                    bar.update(1)
                    bar.set_postfix(releases=summary.releases, new=summary.new, updated=summary.updated,
                                    rejected=summary.rejected)
                url = following
            summary.windows.append(f"{current.isoformat()}/{window_end.isoformat()}")
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
