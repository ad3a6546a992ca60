"""`svdash update` against `fts_server.FakeFts`, the local stand-in that keeps Find a Tender's rules (London-day
windows, cursors, no `links` on a last page, 12 requests per 120 s answered by a plain-text 429), serving real
pages: the committed excerpts of 2026-08-10 (tests/fixtures/fts, a fresh clone) and the two whole recorded days in
../shared/data/notices/find_a_tender_2026-08 (marked shared). The command runs as a subprocess, as cron runs it;
client and server scale time by the same factor (`svdash.update.TIMESCALE_ENV`, honoured for a local base URL
only), so the pacing rules hold at 12 requests per 0.12 s. Killed runs are SIGKILLed by the server at the k-th
request (plus a random delay, so the kill also lands in a commit or the build), for several seeds."""
from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pytest

from svdash import cli, store, update
from tests.unit.fts_server import FakeClock, FakeFts, ScaledClock, recorded_chain

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "fts"
SCALE = "0.001"
DAYS = (("2026-08-10T00:00:00", "2026-08-11T00:00:00"), ("2026-08-11T00:00:00", "2026-08-12T00:00:00"))


def _fixture_server() -> FakeFts:
    server = FakeFts(ScaledClock(float(SCALE)), latency_s=0)
    server.recorded = {DAYS[0]: [(FIXTURES / f"2026-08-10_page-00{n}_excerpt.json").read_bytes() for n in (2, 3, 5)]}
    return server


def _shared_server(shared_data: Path) -> FakeFts:
    server = FakeFts(ScaledClock(float(SCALE)), latency_s=0)
    folder = shared_data / "notices" / "find_a_tender_2026-08"
    server.recorded = {DAYS[0]: recorded_chain(folder / "2026-08-10"), DAYS[1]: recorded_chain(folder / "2026-08-11")}
    return server


def _served_keys(server: FakeFts) -> set[str]:
    """Every release (ocid/id) the recorded days hold: what one complete walk serves."""
    from svdash.sources import nonfinite
    return {f"{r['ocid']}/{r['id']}" for chain in server.recorded.values() for body in chain
            for r in nonfinite.loads(body)["releases"]}


def _command(server: FakeFts, db: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "svdash", "update", "--source", "find-a-tender", "--from", "2026-08-10",
            "--to", "2026-08-11", "--base-url", server.base_url, "--db", str(db), *extra]


def _env() -> dict:
    return dict(os.environ, PYTHONPATH=str(ROOT), **{update.TIMESCALE_ENV: SCALE})


def _run(cmd: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, env=_env(), cwd=ROOT, capture_output=True, text=True, timeout=300)


def _store_keys(db: Path) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return [k for (k,) in con.execute("SELECT release_key FROM releases").fetchall()]
    finally:
        con.close()


def _built_releases(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM notice_facts").fetchall()[0][0]
    finally:
        con.close()


def _update_twice(server: FakeFts, db: Path) -> None:
    served = _served_keys(server)
    first = _run(_command(server, db))
    assert first.returncode == 0, first.stderr
    keys = _store_keys(db)
    assert len(keys) == len(set(keys)) and set(keys) == served
    assert _built_releases(db) == len(served)
    assert '"new": %d' % len(served) in first.stdout
    con = duckdb.connect(str(db), read_only=True)
    try:  # the recorded pages publish officers' contact points; the store keeps none
        assert con.execute("SELECT count(*) FROM releases WHERE raw_json LIKE '%contactPoint%'").fetchall() == [(0,)]
    finally:
        con.close()
    requests_before = len(server.requests)
    second = _run(_command(server, db))  # the same command again: every page fetched again, nothing added
    assert second.returncode == 0, second.stderr
    assert '"new": 0, "updated": 0' in second.stdout and "nothing new since the last build" in second.stderr
    assert sorted(_store_keys(db)) == sorted(keys)
    assert len(server.requests) > requests_before
    assert set(server.statuses) == {200}  # paced: never a 429 from the stand-in


def test_update_from_empty_store_then_again_adds_nothing(tmp_path):
    with _fixture_server() as server:
        _update_twice(server, tmp_path / "u.duckdb")


@pytest.mark.shared
def test_update_two_real_days_from_empty_store_then_again_adds_nothing(tmp_path, shared_data):
    with _shared_server(shared_data) as server:
        assert len(_served_keys(server)) == 955
        _update_twice(server, tmp_path / "u.duckdb")


def _kill_and_rerun(server: FakeFts, db: Path, seed: int) -> list[tuple[int, float, int]]:
    """Run the same command until it completes, SIGKILLing it at a random request + delay each time (at most 4
    kills); returns (request number, delay, releases stored after the kill) per killed run."""
    rng = random.Random(seed)
    served = _served_keys(server)
    per_run = sum(len(chain) for chain in server.recorded.values())
    kills: list[tuple[int, float, int]] = []
    for attempt in range(6):
        holder: dict = {}
        kill_at = rng.randint(1, per_run) if attempt < 4 else None
        delay = rng.choice([0.0, rng.uniform(0, 0.05), rng.uniform(0, 1.5)])
        base = len(server.requests)

        def hook(number: int, kill_at=kill_at, delay=delay, holder=holder, base=base) -> None:
            if kill_at is not None and number - base == kill_at:
                threading.Timer(delay, lambda: holder["proc"].kill()).start()

        server.on_request = hook
        holder["proc"] = proc = subprocess.Popen(_command(server, db), env=_env(), cwd=ROOT,
                                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        out, err = proc.communicate(timeout=300)
        if proc.returncode == 0:
            break
        assert proc.returncode == -9, err  # killed, never failed
        keys = _store_keys(db)
        assert len(keys) == len(set(keys)) and set(keys) <= served
        kills.append((kill_at, round(delay, 3), len(keys)))
    server.on_request = None
    assert proc.returncode == 0, err
    keys = _store_keys(db)
    assert len(keys) == len(set(keys)) and set(keys) == served
    assert _built_releases(db) == len(served)
    assert Path(str(db) + ".lock").exists()  # a killed holder leaves the file; its lock died with it
    return kills


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_update_killed_at_random_points_then_rerun_has_every_release_once(tmp_path, seed):
    with _fixture_server() as server:
        kills = _kill_and_rerun(server, tmp_path / "k.duckdb", seed)
    print(f"seed {seed}: killed (request, delay s, releases stored) {kills}")
    assert kills  # at least one run was killed


@pytest.mark.shared
@pytest.mark.parametrize("seed", [11, 12, 13])
def test_update_of_two_real_days_killed_at_random_points(tmp_path, shared_data, seed):
    with _shared_server(shared_data) as server:
        kills = _kill_and_rerun(server, tmp_path / "k.duckdb", seed)
    print(f"seed {seed}: killed (request, delay s, releases stored) {kills}")
    assert kills


def test_second_concurrent_update_is_refused_by_the_lock(tmp_path):
    release = threading.Event()
    with _fixture_server() as server:
        server.on_request = lambda number: release.wait(60)  # the first update waits on its first page
        first = subprocess.Popen(_command(server, tmp_path / "l.duckdb"), env=_env(), cwd=ROOT,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            while not server.requests and first.poll() is None:
                threading.Event().wait(0.05)
            second = _run(_command(server, tmp_path / "l.duckdb"))
        finally:
            release.set()
        out, err = first.communicate(timeout=300)
    assert second.returncode == update.EXIT_LOCKED
    assert second.stderr.strip().count("\n") == 0
    assert f"is writing this store; lock {tmp_path / 'l.duckdb.lock'}" in second.stderr
    assert f"pid {first.pid}" in second.stderr
    assert first.returncode == 0, err


# ---------------------------------------------------------------- in process: where a walk starts, failures

def _cli(monkeypatch, server: FakeFts, db: Path, *args: str) -> int:
    monkeypatch.setenv(update.TIMESCALE_ENV, SCALE)
    return cli.main(["update", "--source", "find-a-tender", "--base-url", server.base_url, "--db", str(db), *args])


def test_empty_store_starts_on_the_procurement_act_day_and_next_run_on_the_day_it_stopped(tmp_path, monkeypatch):
    with _fixture_server() as server:
        assert _cli(monkeypatch, server, tmp_path / "e.duckdb", "--to", "2025-02-25") == 0
        assert server.windows == [("2025-02-24T00:00:00", "2025-02-25T00:00:00"),
                                  ("2025-02-25T00:00:00", "2025-02-26T00:00:00")]
        assert _cli(monkeypatch, server, tmp_path / "e.duckdb", "--to", "2025-02-27") == 0
        assert server.windows[2:] == [("2025-02-26T00:00:00", "2025-02-27T00:00:00"),
                                      ("2025-02-27T00:00:00", "2025-02-28T00:00:00")]


def test_api_failure_exits_1_with_the_reason_and_the_same_command_then_completes(tmp_path, monkeypatch, capsys):
    db = tmp_path / "p.duckdb"
    with _fixture_server() as server:
        # the second page fails on every attempt (6 = max_retries + 1): the first page is stored and built
        server.faults = {n: (503, b"busy", {}) for n in range(2, 8)}
        assert _cli(monkeypatch, server, db, "--from", "2026-08-10", "--to", "2026-08-10") == update.EXIT_PARTIAL
        err = capsys.readouterr().err
        assert "partial: find-a-tender:" in err and "gave up after 6 attempts (HTTP 503)" in err
        stored = len(_store_keys(db))
        assert 0 < stored < len(_served_keys(server)) and _built_releases(db) == stored
        assert _cli(monkeypatch, server, db, "--from", "2026-08-10", "--to", "2026-08-10") == 0
        assert '"resumed": true' in capsys.readouterr().out
        assert set(_store_keys(db)) == _served_keys(server)


def test_expired_cursor_of_an_unfinished_walk_restarts_its_window(tmp_path, monkeypatch):
    db = tmp_path / "c.duckdb"
    with _fixture_server() as server:
        from svdash.sources import api, find_a_tender
        con = store.open_store(db)
        with pytest.raises(api.IngestError):
            api.run_ingest(con, find_a_tender.CONFIG, date_from="2026-08-10", date_to="2026-08-10",
                           base_url=server.base_url, clock=FakeClock(), sleep=lambda s: None, stop_after_pages=1)
        cp = store.get_checkpoint(con, "find-a-tender")
        cp["next_url"] = cp["next_url"].split("cursor=")[0] + "cursor=expired"
        store.save_checkpoint(con, cp)
        con.close()
        assert _cli(monkeypatch, server, db, "--from", "2026-08-10", "--to", "2026-08-10") == 0
        assert 400 in server.statuses  # the stale cursor was refused, then the day was walked from its start
        assert set(_store_keys(db)) == _served_keys(server)


def test_bad_arguments_exit_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["update", "--from", "2026-13-01", "--db", str(tmp_path / "x.duckdb")])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        cli.main(["update", "--base-url", "find-tender.service.gov.uk", "--db", str(tmp_path / "x.duckdb")])
    assert exc.value.code == 2
    assert cli.main(["update", "--from", "2026-08-11", "--to", "2026-08-10", "--db", str(tmp_path / "x.duckdb")]) == 2
    assert "--to 2026-08-10 is before --from 2026-08-11" in capsys.readouterr().err


def test_plan_starts_where_the_store_stopped(tmp_path):
    from svdash.sources import find_a_tender
    config = find_a_tender.CONFIG
    con = store.open_store(tmp_path / "plan.duckdb")
    try:
        assert update.plan(con, config, None) == (False, "2025-02-24")
        assert update.plan(con, config, "2026-01-05") == (False, "2026-01-05")
        import json
        page = json.loads((FIXTURES / "2026-08-10_page-002_excerpt.json").read_text(encoding="utf-8"))
        with store.transaction(con):  # fetched by an `ingest` before checkpoints were kept
            store.write_batch(con, page["releases"], config.name)
        assert update.plan(con, config, None) == (False, None)  # run_ingest: the day of the latest stored release
        cp = {"source": config.name, "status": "running", "window_from": "2026-08-10T00:00:00",
              "window_to": "2026-12-07T00:51:00", "current_from": "2026-08-11T00:00:00", "next_url": "x",
              "seen_urls": [], "pages": 3, "releases": 200, "new": 200, "updated": 0, "rejected": 0}
        store.save_checkpoint(con, cp)
        assert update.plan(con, config, None) == (True, "2026-12-07T00:00:00")          # continue, then on
        assert update.plan(con, config, "2026-08-10") == (True, "2026-12-07T00:00:00")  # the same command
        assert update.plan(con, config, "2026-08-01") == (False, "2026-08-01")          # another walk asked for
        store.save_checkpoint(con, {**cp, "status": "done"})
        assert update.plan(con, config, None) == (False, "2026-12-07T00:00:00")
    finally:
        con.close()
