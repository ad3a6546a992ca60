"""Crash safety: `python -m svdash import` and `build` are SIGKILLed at seeded random moments (20 kills).

After every kill the store holds each file either completely or not at all (row sets compared with the
expected set per file), nothing stored earlier is lost, a re-run completes, and two builds give identical
tables. The releases are CONSTRUCTED (ocid prefix `ocds-constructed-crash-`), made in tmp by the test.
"""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[2]
N_FILES, PER_FILE = 4, 1500
IMPORT_KILLS, BUILD_KILLS = 14, 6
BUYERS = ["Cambridge City Council", "Leeds City Council", "Cornwall Council", "Constructed Trust"]
TEXTS = ["Grounds maintenance. Social value will account for 10% of the quality score.",
         "Supply of office paper. Social value is not applicable to this procurement.",
         "Cleaning services for council buildings.", "IT support; community benefits are sought."]


def _write_files(tmp: Path) -> dict[Path, set[str]]:
    files: dict[Path, set[str]] = {}
    for f in range(N_FILES):
        path = tmp / f"constructed_crash_{f}.jsonl"
        expected = set()
        with path.open("w", encoding="utf-8") as fh:
            for i in range(PER_FILE):
                ocid = f"ocds-constructed-crash-{f}-{i}"
                rel = {"ocid": ocid, "id": "1", "date": f"202{i % 5}-0{1 + i % 9}-15T00:00:00Z", "tag": ["tender"],
                       "buyer": {"name": BUYERS[i % 4]},
                       "tender": {"title": f"Constructed notice {f}-{i}", "description": TEXTS[i % 4] + " x" * 200}}
                fh.write(json.dumps(rel) + "\n")
                expected.add(f"{ocid}/1")
        files[path] = expected
    return files


def _svdash(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "svdash", *args], cwd=REPO, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(REPO)})


def _kill_after(proc: subprocess.Popen, delay: float) -> bool:
    """SIGKILL after `delay` s; True when the process was still running (a real mid-run kill)."""
    try:
        proc.wait(delay)
        return False
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return True


def _keys(db: Path) -> set[str]:
    if not db.exists():
        return set()
    con = duckdb.connect(str(db))  # read-write: replays the WAL the killed process left
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if "releases" not in tables:
            return set()
        rows = con.execute("SELECT release_key FROM releases").fetchall()
        assert len(rows) == len({r[0] for r in rows})  # never a duplicate key
        return {r[0] for r in rows}
    finally:
        con.close()


def _tables(db: Path, names: list[str]) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for name in names:
            cols = [r[0] for r in con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ?"
                                              " ORDER BY ordinal_position", [name]).fetchall()]
            cols = [c for c in cols if c not in ("built_at", "imported_at")]
            out[name] = sorted(con.execute(f"SELECT {', '.join(cols)} FROM {name}").fetchall(), key=repr)
        return out
    finally:
        con.close()


def test_sigkill_import_and_build_never_leave_half_a_file(tmp_path):
    files = _write_files(tmp_path)
    db = tmp_path / "crash.duckdb"
    rng = random.Random(20261127)
    complete: set[Path] = set()
    survived = 0
    t0 = time.perf_counter()  # one uninterrupted run into a scratch store sets the range of kill delays
    assert _svdash("import", *map(str, files), "--db", str(tmp_path / "timing.duckdb")).wait(120) == 0
    import_s = time.perf_counter() - t0
    attempts = 0
    while survived < IMPORT_KILLS and attempts < 3 * IMPORT_KILLS:
        attempts += 1
        proc = _svdash("import", *map(str, files), "--db", str(db))
        survived += _kill_after(proc, rng.uniform(0.4, import_s))
        stored = _keys(db)
        for path, expected in files.items():
            part = stored & expected
            assert part in (set(), expected), f"{path.name}: {len(part)} of {len(expected)} rows after a kill"
            if path in complete:
                assert part == expected, f"{path.name}: rows lost after a kill"
            if part:
                complete.add(path)
        assert stored <= set().union(*files.values())
    assert survived == IMPORT_KILLS  # kills that landed while the import was running
    proc = _svdash("import", *map(str, files), "--db", str(db))
    assert proc.wait(120) == 0
    assert _keys(db) == set().union(*files.values())

    facts = ["notice_facts", "procurement_facts", "unmatched_buyers", "measure_values", "adoption_summary"]
    t0 = time.perf_counter()
    assert _svdash("build", "--db", str(db)).wait(180) == 0
    build_s = time.perf_counter() - t0
    attempts = 0
    while survived < IMPORT_KILLS + BUILD_KILLS and attempts < 3 * BUILD_KILLS:
        attempts += 1
        proc = _svdash("build", "--db", str(db))
        survived += _kill_after(proc, rng.uniform(0.4, build_s))
        con = duckdb.connect(str(db))
        try:
            tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
            if "notice_facts" in tables:  # a built table is whole: one row per stored release
                n = con.execute("SELECT count(*), count(DISTINCT release_key) FROM notice_facts").fetchone()
                assert n == (N_FILES * PER_FILE, N_FILES * PER_FILE)
            assert con.execute("SELECT count(*) FROM releases").fetchone()[0] == N_FILES * PER_FILE
        finally:
            con.close()
    assert survived == IMPORT_KILLS + BUILD_KILLS
    assert _svdash("build", "--db", str(db)).wait(180) == 0
    first = _tables(db, facts + ["build_info"])
    assert _svdash("build", "--db", str(db)).wait(180) == 0
    assert _tables(db, facts + ["build_info"]) == first  # idempotent (built_at aside)
    assert len(first["notice_facts"]) == N_FILES * PER_FILE
    print(f"\ncrash-kills survived: {survived} of {IMPORT_KILLS + BUILD_KILLS}; rows lost: 0")
