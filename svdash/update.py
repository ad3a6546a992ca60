"""`svdash update`: bring a store up to date from the APIs, then build — one command a scheduler can run.

For each source the fetch starts where the store stopped: an unfinished walk recorded in `ingest_checkpoints`
is continued after its last stored page (each page and its checkpoint are one transaction, so a run killed at
any moment loses no page and writes none twice); after a finished walk, from the start of the API's day in
which it ended (the day is fetched again: a notice published just before the last run can reach the API a
little later; the upserts make the repeat free); on a source never fetched, from `DEFAULT_START`. Then the
store is built (`svdash.pipeline.build`) when releases were imported since the last build, so a run killed
during the build builds next time. `StoreLock` keeps two updates from writing one store at once.
"""
from __future__ import annotations

import fcntl
import ipaddress
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable
from urllib.parse import urlparse

from svdash import store
from svdash.sources import api, contracts_finder, find_a_tender

SOURCES = {"find-a-tender": find_a_tender.CONFIG, "contracts-finder": contracts_finder.CONFIG}
# Where a store's first update starts. Find a Tender: 24 Feb 2025, the day the Procurement Act 2023 commenced
# (its notices are published there, with structured award criteria). Contracts Finder: the same day, so both
# sources cover one period (what a council published while the Act applies, including the English notices of
# procurements still run under the old rules); its OCDS releases carry short descriptions only (no award
# criteria: none of the 406 staged English releases names social value), so earlier years add little evidence
# for their cost. Fetch earlier years on purpose with `--from`.
DEFAULT_START = {"find-a-tender": "2025-02-24", "contracts-finder": "2025-02-24"}
# Against a local stand-in of an API (tests), this environment variable scales every wait of the client — the
# pacing, Retry-After, backoff — and its clock: 0.001 turns 12 requests per 120 s into 12 per 0.12 s, keeping
# the API's rules. It is ignored for any other host, so the real APIs are always paced as they ask.
TIMESCALE_ENV = "SVDASH_API_TIMESCALE"

EXIT_DONE, EXIT_PARTIAL, EXIT_LOCKED = 0, 1, 3


class LockedError(RuntimeError):
    """Another process holds the store's update lock."""


class StoreLock:
    """An exclusive OS lock (`flock`) on `<db>.lock`, held for the whole update. The kernel releases it when
    the holder's process ends however it ends (SIGKILL, power cut), so a stale lock file never blocks: the
    file stays, its lock does not. The file names the holder's pid for the message."""

    def __init__(self, db: Path):
        self.path = Path(str(db) + ".lock")
        self.fd: int | None = None

    def __enter__(self) -> "StoreLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 64).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise LockedError(f"another svdash update (pid {holder}) is writing this store; lock {self.path}")
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode("ascii"))
        self.fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


def _is_local(base_url: str | None) -> bool:
    host = urlparse(base_url or "").hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def timing(base_url: str | None) -> tuple[Callable[[float], None], Callable[[], float]]:
    """(sleep, clock) for the client: real time, or scaled by `TIMESCALE_ENV` against a local server only."""
    scale = os.environ.get(TIMESCALE_ENV)
    if not scale or not _is_local(base_url):
        return time.sleep, time.monotonic
    factor = float(scale)
    if not 0 < factor <= 1:
        raise ValueError(f"{TIMESCALE_ENV} must be in (0, 1], not {scale!r}")
    return (lambda s: time.sleep(s * factor)), (lambda: time.monotonic() / factor)


@dataclass
class SourceResult:
    source: str
    summaries: list[dict] = field(default_factory=list)   # one per walk (a resumed walk, then a new one)
    error: str = ""
    note: str = ""

    def totals(self) -> dict:
        keys = ("pages", "releases", "new", "updated", "rejected", "duplicates")
        out = {"source": self.source, **{k: sum(s[k] for s in self.summaries) for k in keys},
               "resumed": any(s["resumed"] for s in self.summaries), "status": "partial" if self.error else "done"}
        if self.note:
            out["note"] = self.note
        if self.error:
            out["error"] = self.error
        return out


def _day_start(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def plan(con, config: api.SourceConfig, date_from: str | None) -> tuple[bool, str | None]:
    """(resume the recorded unfinished walk first?, where a new walk starts: an ISO date-time of the API's
    wall clock, or None for `run_ingest`'s own default, the day of the latest stored release)."""
    cp = store.get_checkpoint(con, config.name)
    if date_from is not None:
        start = datetime.fromisoformat(date_from)
        resume = bool(cp and cp["status"] == "running" and datetime.fromisoformat(cp["window_from"]) == start)
        return resume, (_day_start(datetime.fromisoformat(cp["window_to"])).isoformat() if resume else date_from)
    if cp and cp["status"] == "running":
        return True, _day_start(datetime.fromisoformat(cp["window_to"])).isoformat()
    if cp:
        return False, _day_start(datetime.fromisoformat(cp["window_to"])).isoformat()
    if store.latest_date(con, config.name) is not None:
        return False, None
    return False, DEFAULT_START[config.name]


def fetch_source(con, config: api.SourceConfig, date_from: str | None, date_to: str | None,
                 base_url: str | None, progress: bool, log: Callable[[str], None],
                 now: Callable[[], datetime] = api._utc_now) -> SourceResult:
    """Continue an unfinished walk, then walk on to `date_to` (inclusive day; default now)."""
    result = SourceResult(config.name)
    sleep, clock = timing(base_url)
    kwargs = dict(base_url=base_url, progress=progress, log=None if progress else log, sleep=sleep, clock=clock,
                  now=now)
    resume, start = plan(con, config, date_from)
    try:
        if resume:
            log(f"{config.name}: continuing the unfinished walk after its last stored page")
            result.summaries.append(api.run_ingest(con, config, resume=True, **kwargs).as_dict())
        end = (datetime.fromisoformat(date_to) + timedelta(days=1) if date_to
               else api._wall_clock(config, now()).replace(microsecond=0))
        begin = datetime.fromisoformat(start) if start else None
        if begin is not None and begin >= end:
            result.note = f"up to date (nothing to fetch before {end:%Y-%m-%dT%H:%M})"
            return result
        log(f"{config.name}: fetching from {begin:%Y-%m-%d %H:%M}" if begin else
            f"{config.name}: fetching from the day of the latest stored release")
        result.summaries.append(api.run_ingest(con, config, date_from=start, date_to=date_to, **kwargs).as_dict())
    except api.IngestError as exc:
        result.error = str(exc)
        cp = store.get_checkpoint(con, config.name) or {}
        if cp.get("status") == "running":  # what this walk stored before it stopped
            result.summaries.append({**{k: int(cp.get(k) or 0) for k in ("pages", "releases", "new", "updated",
                                                                           "rejected")},
                                     "duplicates": 0, "resumed": resume})
    return result


def needs_build(con) -> bool:
    """Releases were imported since the last build (or there was none): the fact tables are behind. The last
    build's watermark (the newest `imported_at` it covered, `pipeline.WATERMARK_KEY`) decides; a store built
    before builds kept one compares with the build's time."""
    from svdash.pipeline import WATERMARK_KEY

    if not store.table_exists(con, "build_info"):
        return bool(con.execute("SELECT count(*) FROM releases").fetchall()[0][0])
    watermark = store.get_meta(con, WATERMARK_KEY) if store.table_exists(con, "store_meta") else None
    if watermark:
        return bool(con.execute("SELECT count(*) FROM releases WHERE imported_at > CAST(? AS TIMESTAMP)",
                                [watermark]).fetchall()[0][0])
    built = con.execute("SELECT max(built_at) FROM build_info").fetchall()[0][0]
    latest = con.execute("SELECT max(imported_at) FROM releases").fetchall()[0][0]
    return built is None or (latest is not None and latest >= built)


def build(con) -> dict:
    """The one place `update` builds (incremental once `pipeline.build` is)."""
    from svdash.pipeline import build as full_build
    return full_build(con)


def log_line(message: str) -> None:
    print(f"svdash update: {message}", file=sys.stderr, flush=True)
