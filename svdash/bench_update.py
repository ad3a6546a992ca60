"""`svdash bench --notices N --update M`: what a day's update costs against a full build, in one run.

A store of N SYNTHETIC releases is imported and built; then M new SYNTHETIC releases (another seed, so other
ocids) are imported and built incrementally (`update_s` = that import + that build); then the same store is built
in full (`full_build_s`: `build --full`, which reuses the stored classifications — what every build after an
import cost before builds were incremental). The incremental tables are checked equal to the full build's (in
DuckDB, EXCEPT ALL both ways). With `scratch`, the same store is also built from scratch (stored classifications
dropped, every release classified, as its first build) and that ratio printed as context. The last line is `BENCH update store_notices=N update_notices=M update_s=… full_build_s=…
ratio_to_full_build=…`.
"""
from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from typing import Callable

from svdash import pipeline, store, synth
from svdash.sources.files import import_file

# the tables a build writes; build_info without its time stamp
COMPARED = {"notice_facts": "*", "procurement_facts": "*", "measure_values": "*", "adoption_summary": "*",
            "unmatched_buyers": "*", "measure_counts": "*", "measure_weights": "*",
            "build_info": "* EXCLUDE (built_at)"}
UPDATE_SEED_OFFSET = 1000  # the update's seed: other ocids than the store's


def differing_tables(con, saved_prefix: str) -> list[str]:
    """Tables whose rows differ (as multisets) between `saved_prefix + name` and the live `name`."""
    out = []
    for name, cols in COMPARED.items():
        a, b = f"SELECT {cols} FROM {saved_prefix}{name}", f"SELECT {cols} FROM {name}"
        n = con.execute(f"SELECT (SELECT count(*) FROM ({a} EXCEPT ALL {b})) + "
                        f"(SELECT count(*) FROM ({b} EXCEPT ALL {a}))").fetchall()[0][0]
        if n:
            out.append(name)
    return out


def run(notices: int, update: int, seed: int = 1, workdir: Path | None = None, keep_data: bool = True,
        out: Callable[[str], None] = print, scratch: bool = False) -> int:
    """Measure and print; 0 when the incremental build equals the full one, else 1."""
    from svdash.bench import ensure_data

    own = workdir is None
    work = Path(tempfile.mkdtemp(prefix="svdash-bench-update-")) if own else Path(workdir)
    work.mkdir(parents=True, exist_ok=True)
    base, _ = ensure_data(work, notices, seed)
    day = work / f"synthetic_update_{update}_seed{seed + UPDATE_SEED_OFFSET}.jsonl"
    synth.write_jsonl(update, day, seed=seed + UPDATE_SEED_OFFSET)
    db = work / f"bench_update_{notices}.duckdb"
    for p in (db, db.with_name(db.name + ".wal")):
        p.unlink(missing_ok=True)
    out(f"SYNTHETIC data ({synth.LABEL}): a store of {notices:,} releases, an update of {update:,} new releases")
    con = store.open_store(db)
    try:
        t = time.perf_counter()
        import_file(con, base)
        out(f"  store import {time.perf_counter() - t:.2f} s")
        t = time.perf_counter()
        first = pipeline.build(con)
        out(f"  first build ({first['mode']}) {time.perf_counter() - t:.2f} s")
        con.execute("CHECKPOINT")
        t = time.perf_counter()
        summary = import_file(con, day)
        import_s = time.perf_counter() - t
        t = time.perf_counter()
        counts = pipeline.build(con)
        build_s = time.perf_counter() - t
        update_s = import_s + build_s
        out(f"  update: import {import_s:.2f} s ({summary['new']} new) + build ({counts['mode']}, "
            f"{counts.get('releases_rebuilt', '?')} releases rebuilt) {build_s:.2f} s")
        for name in COMPARED:
            con.execute(f"CREATE OR REPLACE TABLE _bench_inc_{name} AS SELECT * FROM {name}")
        con.execute("CHECKPOINT")
        t = time.perf_counter()
        full = pipeline.build(con, full=True)
        full_s = time.perf_counter() - t
        out(f"  full build ({full['mode']}, stored classifications reused) of the same store {full_s:.2f} s")
        differ = differing_tables(con, "_bench_inc_")
        out(f"  incremental build equals the full build: {'yes' if not differ else 'no: ' + ', '.join(differ)}")
        for name in COMPARED:
            con.execute(f"DROP TABLE _bench_inc_{name}")
        status = 0 if not differ and counts["mode"] == "incremental" else 1
        if scratch:
            con.execute("DELETE FROM classifications")
            t = time.perf_counter()
            pipeline.build(con, full=True)
            scratch_s = time.perf_counter() - t
            out(f"  full build from scratch of the same store (every release classified) {scratch_s:.2f} s: "
                f"the update is {update_s / scratch_s:.2%} of it")
    finally:
        con.close()
        if own:
            shutil.rmtree(work, ignore_errors=True)
        elif not keep_data:
            for p in (base, synth.meta_path(base), day, synth.meta_path(day), db, db.with_name(db.name + ".wal")):
                p.unlink(missing_ok=True)
    out(f"BENCH update store_notices={notices} update_notices={update} update_s={update_s:.2f} "
        f"full_build_s={full_s:.2f} ratio_to_full_build={update_s / full_s:.4f}")
    return status
