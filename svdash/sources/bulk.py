"""Fast import of OCDS JSON Lines (the format of large dumps and of `svdash synth`): the file is cut into
byte ranges on line boundaries, worker processes parse them with orjson and flatten every release with the
SAME `flatten_release` as the streaming path (so the notice frame is identical by construction) and write
their rows, classified there (`classify.classify_arrow`), to Parquet files in a temporary directory next to
the store; one transaction then upserts them
into `releases` (`store.commit_parquet`), so a crash leaves the store as before the file (the Parquet files
are not part of the store; a killed run's leftovers are removed by the next import into that store).

Lines the fast parser does not take as a plain release (malformed JSON, packages or records on one line,
a missing ocid, deep nesting, and the numbers orjson refuses: Find a Tender's bare `1e9999`, NaN, Infinity)
go through the streaming reader's own line logic (`files._iter_jsonl`, which reads those numbers as null),
so rejects carry the same line numbers and reasons and such a release gets the same content_sha1 as there.
The fast path itself is unchanged: only lines orjson refuses pay for the second parse (5 such lines in 100 000:
1.7 ms). A file whose lines the streaming reader would number differently (a lone carriage return) falls back to
the streaming path whole.
"""
from __future__ import annotations

import hashlib
import io
import os
import shutil
import tempfile
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

import orjson
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from svdash.sources.ocds import NOTICE_COLUMNS, STRING_COLUMNS, canonical_json, flatten_release, parse_dates

CHUNK_BYTES = 16 << 20       # one worker task; a task's rows (~3× its bytes) are the unit of memory
PARALLEL_MIN_BYTES = 64 << 20  # smaller files run in-process: starting workers costs more than it saves
# DuckDB's share while a bulk import runs (the final upsert spills past it); keeps the process tree < 2 GB.
IMPORT_MEMORY_LIMIT = "768MB"
MAX_IN_FLIGHT = 2             # tasks queued per worker: bounds memory while keeping workers busy
BOM = b"\xef\xbb\xbf"
ROW_COLUMNS = NOTICE_COLUMNS + ["raw_json", "content_sha1"]
PARQUET_COMPRESSION = "lz4"   # ≈4× smaller than plain at a few % of the parse time
STAGE_PREFIX = ".import-"     # stage directory: f".{store file name}{STAGE_PREFIX}…" next to the store
# Classify each chunk in its worker, where the text already is (true process parallelism, no second read of
# the text out of DuckDB); `build` then reuses the stored classification (store table `classifications`).
CLASSIFY_IN_IMPORT = True


class NotBulk(Exception):
    """The file needs the streaming reader (its line numbering differs from a split on `\\n`)."""


@dataclass
class ChunkResult:
    table: pa.Table | None               # ROW_COLUMNS, in file order (None once written to `parquet`)
    lines: int                           # newlines in the chunk (line-number offset of the next chunk)
    rejects: list[dict] = field(default_factory=list)  # position relative to the chunk's first line
    rows: int = 0                        # rows of the chunk
    parquet: str | None = None           # where `write_chunk` put the rows (plus `seq`), if it had any
    cpu: dict = field(default_factory=dict)  # CPU seconds per phase in the worker (CPU_PHASES), for the bench


def canonical_bytes(release: dict) -> bytes:
    """The canonical JSON (sorted keys, compact, UTF-8) of `ocds.canonical_json`, via orjson (≈5× faster);
    values orjson cannot write (integers beyond 64 bits) use the json module."""
    try:
        return orjson.dumps(release, option=orjson.OPT_SORT_KEYS)
    except (TypeError, orjson.JSONEncodeError):
        return canonical_json(release).encode("utf-8")


def _max_depth() -> int:
    from svdash.sources import files
    return getattr(files, "MAX_DEPTH", 64)


def _too_deep(obj: object) -> bool:
    from svdash.sources import files
    check = getattr(files, "_too_deep", None)
    return True if check is None else check(obj)  # True sends the line to the streaming logic


def _slow_line(raw: bytes, lineno: int) -> list:
    """The streaming reader's verdict on one line (Items and Rejects), renumbered to `lineno`."""
    from svdash.sources import files
    text = raw.decode("utf-8")
    out = []
    for entry in files._iter_jsonl(io.StringIO(text, newline="\n")):
        position = f"line {lineno}" + entry.position[len("line 1"):]
        if isinstance(entry, files.Reject):
            out.append(files.Reject(position, entry.reason, entry.excerpt))
        else:
            out.append(files.Item(position, entry.release))
    return out


def process_lines(data: bytes, source: str, first: bool = False) -> ChunkResult:
    """Parse and flatten the JSON Lines in `data` (whole lines). `first`: the chunk starts the file (BOM)."""
    from svdash.sources.files import Reject
    if first and data.startswith(BOM):
        data = data[len(BOM):]
    depth_cap = _max_depth()
    clock = time.process_time
    start = clock()
    json_s = 0.0
    rows: list[dict] = []
    rejects: list[dict] = []
    lines = data.split(b"\n")
    n_lines = data.count(b"\n")
    for i, raw in enumerate(lines):
        if not raw or raw.isspace():
            continue
        if raw.find(b"\r", 0, len(raw) - 1) != -1:
            raise NotBulk("a carriage return inside a line")
        lineno = i + 1
        release = None
        try:
            t0 = clock()
            obj = orjson.loads(raw)
            json_s += clock() - t0
        except orjson.JSONDecodeError:
            obj = None
        if (isinstance(obj, dict) and isinstance(obj.get("ocid"), str) and obj["ocid"].strip()
                and not isinstance(obj.get("records"), list)
                # fewer brackets than the cap cannot nest deeper than it; else check as the streaming path does
                and (raw.count(b"{") + raw.count(b"[") < depth_cap or not _too_deep(obj))):
            release = obj
        if release is not None:
            rows.append(_row(release, source, canonical_bytes(release)))
            continue
        try:
            # with its newline, as the streaming reader sees it (json error messages count the lines)
            verdict = _slow_line(raw + b"\n" if i < len(lines) - 1 else raw, lineno)
        except UnicodeDecodeError:
            raise NotBulk("invalid UTF-8") from None  # the streaming path detects the encoding and notes it
        for entry in verdict:
            if isinstance(entry, Reject):
                rejects.append({"position": entry.position, "reason": entry.reason, "excerpt": entry.excerpt})
            else:  # the json module's objects: hash with it too (NaN literals, huge integers)
                rows.append(_row(entry.release, source, canonical_json(entry.release).encode("utf-8")))
    t0 = clock()
    table = _table(rows)
    cpu = {"json_s": json_s, "flatten_hash_s": t0 - start - json_s, "arrow_s": clock() - t0}
    return ChunkResult(table, n_lines, rejects, len(rows), cpu=cpu)


def _row(release: dict, source: str, canonical: bytes) -> dict:
    row = flatten_release(release, source)
    row["content_sha1"] = hashlib.sha1(canonical).hexdigest()
    return row


def _table(rows: list[dict]) -> pa.Table:
    """Rows → Arrow with the notice frame's typing (`ocds.notices_frame`) without building a DataFrame."""
    arrays = {}
    for col in ROW_COLUMNS:
        values = [r[col] for r in rows] if col != "raw_json" else []
        if col == "date":
            dates = parse_dates(pd.Series(values, dtype="object"))
            arrays[col] = pa.array(dates.to_numpy(), type=pa.timestamp("us"))
        elif col == "value_gbp":
            arrays[col] = pa.array(values, type=pa.float64(), from_pandas=True)
        elif col == "raw_json":  # not kept by the bulk path: the JSON Lines file is the raw copy
            arrays[col] = pa.nulls(len(rows), pa.string())
        else:
            arrays[col] = pa.array(["" if v is None else v for v in values] if col in STRING_COLUMNS else values,
                                   type=pa.string())
    return pa.table(arrays)


def _read_range(path: str, offset: int, length: int) -> bytes:
    with open(path, "rb") as fh:
        fh.seek(offset)
        return fh.read(length)


def _chunk_task(path: str, source: str, offset: int, length: int, index: int = 0,
                stage_dir: str | None = None) -> ChunkResult:
    result = process_lines(_read_range(path, offset, length), source, first=offset == 0)
    return write_chunk(result, index, stage_dir) if stage_dir else result


def write_chunk(result: ChunkResult, index: int, stage_dir: str) -> ChunkResult:
    """Write the chunk's rows to `stage_dir` as Parquet with `seq` = index·2³² + row (file order), in the
    worker, so the parent never holds rows and writing runs in parallel."""
    table = result.table
    if table is None or not table.num_rows:
        return ChunkResult(None, result.lines, result.rejects, 0, cpu=result.cpu)
    seq0 = index << 32
    table = table.drop_columns(["raw_json"]).append_column(
        "seq", pa.array(range(seq0, seq0 + table.num_rows), pa.int64()))
    cpu = 0.0
    if CLASSIFY_IN_IMPORT:
        from svdash.classify import classify_arrow
        start = time.process_time()  # the worker is single-threaded: its process time is the classify CPU
        classes = classify_arrow(table.column("title"), table.column("description"),
                                 table.column("award_criteria_json"))
        cpu = time.process_time() - start
        for name in classes.column_names:
            table = table.append_column(name, classes.column(name))
    target = os.path.join(stage_dir, f"{index:07d}.parquet")
    start = time.process_time()
    pq.write_table(table, target, compression=PARQUET_COMPRESSION)
    phases = dict(result.cpu, classify_s=cpu, parquet_s=time.process_time() - start)
    return ChunkResult(None, result.lines, result.rejects, table.num_rows, target, phases)


def line_ranges(path: str | Path, chunk_bytes: int = CHUNK_BYTES) -> list[tuple[int, int]]:
    """(offset, length) ranges covering the file, each ending just after a newline (or at the end)."""
    size = os.path.getsize(path)
    out = []
    with open(path, "rb") as fh:
        start = 0
        while start < size:
            fh.seek(min(start + chunk_bytes, size))
            if fh.tell() < size:
                fh.readline()
            end = min(fh.tell(), size)
            out.append((start, end - start))
            start = end
    return out


def iter_chunks(path: str | Path, source: str, workers: int | None = None, chunk_bytes: int | None = None,
                stage_dir: str | None = None):
    """ChunkResults in file order. Worker processes when the file is large and more than one CPU is there;
    at most `MAX_IN_FLIGHT` tasks per worker are outstanding, so memory does not grow with the file.
    With `stage_dir` each chunk's rows are written there as Parquet (`write_chunk`) instead of returned."""
    path = str(path)
    ranges = line_ranges(path, chunk_bytes or CHUNK_BYTES)
    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if os.path.getsize(path) >= PARALLEL_MIN_BYTES else 0
    if workers <= 1 or len(ranges) <= 1:
        for index, (offset, length) in enumerate(ranges):
            yield _chunk_task(path, source, offset, length, index, stage_dir)
        return
    # fork, not spawn/forkserver: those re-run an unguarded `__main__` script in every worker. The children
    # only run Python/orjson/pyarrow code and leave with os._exit, never touching the parent's DuckDB state.
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
        pending: list[Future] = []
        todo = iter(enumerate(ranges))
        try:
            while True:
                while len(pending) < workers * MAX_IN_FLIGHT:
                    nxt = next(todo, None)
                    if nxt is None:
                        break
                    index, (offset, length) = nxt
                    pending.append(pool.submit(_chunk_task, path, source, offset, length, index, stage_dir))
                if not pending:
                    return
                yield pending.pop(0).result()
        finally:
            for fut in pending:
                fut.cancel()


# ---------------------------------------------------------------- import into the store

def eligible(path: str | Path, info) -> bool:
    """True for a JSON Lines file (by content or .jsonl/.ndjson name) that starts as UTF-8; fills `info`.
    Invalid UTF-8 further on raises NotBulk from the workers, and the streaming path takes the file."""
    from svdash.sources import files
    path = Path(path)
    if not path.is_file():
        return False
    files.refuse_binary(path)
    try:
        fmt = files.sniff_format(path, "utf-8")
    except UnicodeDecodeError:
        return False
    if fmt != "jsonl":
        return False
    info.format, info.encoding, info.encoding_note = "jsonl", "utf-8", ""
    return True


def stage_directory(con) -> str:
    """A fresh directory for the Parquet stage, next to the store (same disk; tempdir for an in-memory store).
    Stage directories an earlier, killed import into this store left behind are removed first: the caller
    holds DuckDB's write lock on the store, so no other import into it can be running."""
    from svdash import store
    db = store.store_path(con)
    if db is None:
        return tempfile.mkdtemp(prefix="svdash" + STAGE_PREFIX)
    prefix = f".{db.name}{STAGE_PREFIX}"
    for stale in db.parent.glob(prefix + "*"):
        shutil.rmtree(stale, ignore_errors=True)
    return tempfile.mkdtemp(prefix=prefix, dir=db.parent)


def import_jsonl(con, path: str | Path, info, workers: int | None = None, chunk_bytes: int | None = None,
                 memory_limit: str | None = None) -> dict:
    """Import one UTF-8 JSON Lines file (the summary of `files.import_file`). Raises NotBulk, before anything
    is committed, when the file must go through the streaming path instead."""
    from svdash import store

    source = str(path)
    items = 0
    rejects: list[dict] = []
    parquet: list[str] = []
    line_base = 0
    stamp = store.now_utc()
    previous_limit = store.set_memory_limit(con, memory_limit)
    timings = {"parse_s": 0.0, "commit_s": 0.0}  # where an import's time goes
    worker_cpu: dict[str, float] = {}  # CPU seconds per phase, summed over the chunks (their workers)
    clock = time.perf_counter()
    stage_dir = stage_directory(con)
    try:
        for chunk in iter_chunks(path, source, workers, chunk_bytes, stage_dir):
            for rej in chunk.rejects:
                n, rest = rej["position"][len("line "):].partition(" ")[::2]
                rejects.append(dict(rej, position=f"line {int(n) + line_base}" + (f" {rest}" if rest else "")))
            if chunk.parquet:
                parquet.append(chunk.parquet)
            items += chunk.rows
            for phase, seconds in chunk.cpu.items():
                worker_cpu[phase] = worker_cpu.get(phase, 0.0) + seconds
            line_base += chunk.lines
        now = time.perf_counter()
        timings["parse_s"], clock = now - clock, now
        # The rows reach `releases` in one transaction: a crash leaves the store as before the file.
        with store.transaction(con):
            totals = store.commit_parquet(con, parquet, stamp, classified=CLASSIFY_IN_IMPORT)
            store.replace_rejects(con, source, rejects)
            summary = {"source": source, "format": info.format, "encoding": info.encoding,
                       "encoding_note": info.encoding_note, "items": items, **totals, "rejected": len(rejects)}
            store.record_file(con, summary)
    finally:
        shutil.rmtree(stage_dir, ignore_errors=True)
        store.set_memory_limit(con, previous_limit)
    timings["commit_s"] = time.perf_counter() - clock
    timings["classify_cpu_s"] = worker_cpu.get("classify_s", 0.0)  # summed over the workers, inside parse_s
    summary["rejects"] = rejects
    summary["notes"] = list(info.notes)
    summary["timings"] = {k: round(v, 2) for k, v in timings.items()}
    summary["timings"]["worker_cpu_s"] = {k: round(v, 2) for k, v in worker_cpu.items()}
    return summary
