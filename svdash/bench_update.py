"""`svdash bench --notices N --update M`: what a day's update costs against a full build, in one run.

A store of N SYNTHETIC releases is imported and built; then a day's update of M SYNTHETIC releases
(`synth.write_day_update`) is imported and built incrementally (`update_s` = that import + that build). The update
is shaped as a real day's: every release is dated the day after the store's newest release, and 35 %
(`synth.EXISTING_SHARE`, measured on the two real Find a Tender days in ../shared) are awards of tenders already in
the store (procurements that published only their tender there, 30–240 days before), the rest tenders of new
procurements (another seed: other ocids). Then the same store is built in full (`full_build_s`: `build --full`,
which reuses the stored classifications — what every build after an import cost before builds were incremental).
The incremental tables are checked equal to the full build's (in DuckDB, EXCEPT ALL both ways). The incremental
build's phases are printed (`pipeline.PHASES`). With `scratch`, the same store is also built from scratch (stored
classifications dropped, every release classified, as its first build) and that ratio printed as context. The
last line is `BENCH update store_notices=N update_notices=M update_s=… full_build_s=… ratio_to_full_build=…`
(with `scratch`, then `scratch_build_s=… ratio_to_scratch_build=…`).
"""
from __future__ import annotations

import shutil
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Callable

from svdash import pipeline, store, synth
from svdash.sources.files import import_file

# the tables a build writes; build_info without its time stamp
COMPARED = {"notice_facts": "*", "procurement_facts": "*", "measure_values": "*", "adoption_summary": "*",
            "unmatched_buyers": "*", "measure_counts": "*", "measure_weights": "*",
            "build_info": "* EXCLUDE (built_at)"}
UPDATE_SEED_OFFSET = 1000  # the update's new procurements: another seed, other ocids than the store's


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
    day = work / f"synthetic_update_{update}_seed{seed + UPDATE_SEED_OFFSET}_on_{notices}.jsonl"
    db = work / f"bench_update_{notices}.duckdb"
    for p in (db, db.with_name(db.name + ".wal")):
        p.unlink(missing_ok=True)
    out(f"SYNTHETIC data ({synth.LABEL}): a store of {notices:,} releases, a day's update of {update:,} releases")
    con = store.open_store(db)
    try:
        t = time.perf_counter()
        import_file(con, base)
        out(f"  store import {time.perf_counter() - t:.2f} s")
        t = time.perf_counter()
        first = pipeline.build(con)
        out(f"  first build ({first['mode']}) {time.perf_counter() - t:.2f} s")
        con.execute("CHECKPOINT")
        newest = con.execute("SELECT max(date) FROM releases").fetchall()[0][0]
        on = (newest.date() + timedelta(days=1)).isoformat()
        meta = synth.write_day_update(update, day, seed=seed + UPDATE_SEED_OFFSET, day=on, store_seed=seed,
                                      store_n=notices)
        n_old = round(update * meta["existing_share"])
        out(f"  the update: {update:,} releases dated {on} (the day after the store's newest release): {n_old:,} "
            f"awards of stored tenders ({meta['existing_share']:.0%}, the share measured on two real Find a Tender "
            f"days), {update - n_old:,} tenders of new procurements")
        t = time.perf_counter()
        summary = import_file(con, day)
        import_s = time.perf_counter() - t
        t = time.perf_counter()
        counts = pipeline.build(con)
        build_s = time.perf_counter() - t
        update_s = import_s + build_s
        out(f"  update: import {import_s:.2f} s ({summary['new']} new) + build ({counts['mode']}, "
            f"{counts.get('releases_rebuilt', '?')} releases rebuilt, measure_values rows rewritten: "
            f"{counts.get('measure_values_rewritten', '?')} of {counts.get('measure_values', '?')}, cells: "
            f"{counts.get('measure_cells_rewritten', '?')}) {build_s:.2f} s")
        for phase, seconds in pipeline.PHASES.items():
            out(f"    {phase:<42} {seconds:6.3f} s")
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
    # the fields first; with `scratch` also the from-scratch build and that ratio, named as such
    extra = (f" scratch_build_s={scratch_s:.2f} ratio_to_scratch_build={update_s / scratch_s:.4f}"
             if scratch else "")
    out(f"BENCH update store_notices={notices} update_notices={update} update_s={update_s:.2f} "
        f"full_build_s={full_s:.2f} ratio_to_full_build={update_s / full_s:.4f}{extra}")
    return status
