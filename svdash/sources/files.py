"""Import release files into the store, and flatten them for the stateless `classify` command.

`import_file(con, path)` hands a large JSON Lines file or release package to the native (DuckDB) import
(`svdash.sources.native_import`) and everything else — CSV, record packages, non-UTF-8 text, small files, or a file
the native import declines — to the streaming path here; both read through `svdash.sources.reader` and give the same
store rows. `read_notices(paths)` flattens everything into the notice frame without a store.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

import pandas as pd

from svdash.sources.ocds import flatten_release, notices_frame
# The reader's names, re-exported: callers and tests import them from here.
from svdash.sources.reader import (  # noqa: F401
    EXCERPT_CHARS, MAX_DEPTH, SNIFF_BYTES, FileInfo, ImportFormatError, Item, Reject, _classify_object, _iter_jsonl,
    _too_deep, detect_encoding, iter_file, jsonl_line, open_text, refuse_binary, sniff_format,
)


def read_notices(paths: Iterable[str | Path]) -> pd.DataFrame:
    """Flatten every release in the files into the notice frame (docs/ARCHITECTURE.md). Rejected items are
    listed in `frame.attrs["rejects"]` as dicts (source, position, reason, excerpt); duplicates of one
    release_key keep the last copy."""
    rows: dict[str, dict] = {}
    rejects: list[dict] = []
    for path in paths:
        source = str(path)
        for entry in iter_file(path):
            if isinstance(entry, Reject):
                rejects.append({"source": source, "position": entry.position, "reason": entry.reason,
                                "excerpt": entry.excerpt})
            else:
                row = flatten_release(entry.release, source)
                rows.pop(row["release_key"], None)
                rows[row["release_key"]] = row
    frame = notices_frame(list(rows.values()))
    frame.attrs["rejects"] = rejects
    return frame


BATCH_SIZE = 1000
BATCH_BYTES = 4 << 20  # also flush a batch at this much raw JSON, so big releases keep memory bounded
# DuckDB caches freely (up to 80 % of RAM by default); an import needs little, so cap it while importing.
IMPORT_MEMORY_LIMIT = "256MB"


def import_file(con, path: str | Path, batch_size: int = BATCH_SIZE, native_min_bytes: int | None = None) -> dict:
    """Import one file into the store atomically. A JSON Lines file or release package of `native_min_bytes` or
    more (default `native_import.NATIVE_MIN_BYTES`) goes through the native import (one transaction); otherwise,
    or when that declines the file, rows are staged in small autocommitted batches (bounded memory), then ONE
    transaction moves them into `releases` with the rejects and the file summary. Either way a crash at any point
    leaves the store as before the file or after it, never half.
    Returns the summary: source, format, encoding, encoding_note, items, new, updated, unchanged, rejected,
    rejects, notes (and `timings` from the native import)."""
    from svdash import store  # the store depends on ocds only; imported here to keep read_notices store-free

    source = str(path)
    info = FileInfo(source)
    from svdash.sources import native_import  # large JSON Lines and release packages: flattened by DuckDB
    kind = native_import.eligible(path, info, native_import.NATIVE_MIN_BYTES if native_min_bytes is None
                                  else native_min_bytes)
    if kind is not None:
        try:
            return native_import.import_file(con, path, info, kind)
        except native_import.NotNative as exc:
            info = FileInfo(source)
            info.notes.append(f"read by the streaming reader ({exc})")
    items = 0
    rejects: list[dict] = []
    batch: list[dict] = []
    batch_bytes = 0
    store.clear_staging(con)
    previous_limit = store.set_memory_limit(con, IMPORT_MEMORY_LIMIT)
    try:
        for entry in iter_file(path, info):
            if isinstance(entry, Reject):
                rejects.append({"position": entry.position, "reason": entry.reason, "excerpt": entry.excerpt})
                continue
            row = store.release_row(entry.release, source)
            batch.append(row)
            batch_bytes += len(row["raw_json"])
            items += 1
            if len(batch) >= batch_size or batch_bytes >= BATCH_BYTES:
                store.stage_rows(con, batch, items - len(batch))
                batch, batch_bytes = [], 0
        store.stage_rows(con, batch, items - len(batch))
        with store.transaction(con):
            totals = store.commit_staged(con)
            store.replace_rejects(con, source, rejects)
            summary = {"source": source, "format": info.format, "encoding": info.encoding,
                       "encoding_note": info.encoding_note, "items": items, **totals, "rejected": len(rejects)}
            store.record_file(con, summary)
    except BaseException:
        try:
            store.clear_staging(con)
        except Exception:  # the original error matters more than a failed clean-up (next import clears it)
            pass
        raise
    finally:
        store.set_memory_limit(con, previous_limit)
    summary["rejects"] = rejects
    summary["notes"] = list(info.notes)
    return summary
