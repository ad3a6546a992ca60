"""Native import: a JSON Lines file or a release package parsed and flattened by DuckDB (`svdash.sources.native`)
and written into `releases` by one INSERT, in one transaction with everything else of the file.

One file, one transaction:
1. raw pass (JSON Lines): the lines DuckDB cannot parse, lines with a carriage return (the streaming reader would
   number the lines differently: the whole file goes to it, `NotNative`) and lines with more than MAX_DEPTH
   opening brackets (they may nest deeper than the reader allows) are set aside for Python;
2. the INSERT: every other release flattened in SQL, its content key computed (`store.content_key_sql`),
   imported_at = stamp + its position in the file (µs, so file order survives for the upsert); rows SQL leaves to
   Python (`py`) are noted through a side channel;
3. Python gives its verdict on the rows set aside, with the streaming reader's own line logic
   (`reader.jsonl_line`, `reader._check_release`), so rejects carry the same positions and reasons; their releases
   are flattened by `ocds.flatten_release` and inserted the same way;
4. `store.settle_import`: last copy of a key wins, unchanged / updated against the stored rows; the rejects and the
   file summary.
Anything unexpected raises NotNative before the commit and the caller takes the streaming path. `raw_json` is NULL
(the file named in `source` is the raw copy), as the streaming path keeps it only for what has no file.
"""
from __future__ import annotations

import json
import os
import time
from datetime import datetime
from pathlib import Path

import duckdb
from duckdb import sqltypes
import pyarrow as pa
import pyarrow.compute as pc

from svdash import store
from svdash.sources import native, nonfinite, reader
from svdash.sources.ocds import NOTICE_COLUMNS, flatten_release, notices_frame

# Smaller files go through the streaming path: planning the query costs ≈0.1 s, more than flattening them.
NATIVE_MIN_BYTES = 4 << 20
# A release package is one JSON value that DuckDB holds whole; larger ones stream through ijson (bounded memory).
PACKAGE_MAX_BYTES = 64 << 20
MAX_OBJECT_BYTES = 32 << 20      # the longest JSON Lines line DuckDB parses (longer ones: Python); its read
# buffers are a few times this size per thread
IMPORT_MEMORY_LIMIT = "1GB"      # DuckDB's share while it imports (the INSERT streams; spills past it)
DUCKDB_BLANK = b" \t\r\n\x0b\x0c"  # bytes of a line DuckDB's JSON reader skips as empty


class NotNative(Exception):
    """The file needs the streaming path (raised before anything is committed)."""


def eligible(path: str | Path, info: reader.FileInfo, min_bytes: int = NATIVE_MIN_BYTES) -> str | None:
    """'jsonl' or 'package' when the native import may take the file (UTF-8 at its start, large enough), else None;
    fills `info`. Whether a 'package' really is a release package DuckDB can hold is decided by `import_file`."""
    path = Path(path)
    if not path.is_file() or path.stat().st_size < min_bytes:
        return None
    reader.refuse_binary(path)
    try:
        fmt = reader.sniff_format(path, "utf-8")
    except UnicodeDecodeError:
        return None
    if fmt == "json" and path.stat().st_size > PACKAGE_MAX_BYTES:
        return None
    if fmt not in ("jsonl", "json"):
        return None
    info.format, info.encoding, info.encoding_note = fmt, "utf-8", ""
    return "jsonl" if fmt == "jsonl" else "package"


def _insert_sql(relation: str) -> str:
    """INSERT the SQL-flattened rows of `relation` (ord + STRUCTURE columns) into releases, except the ords in
    `_sv_aside`; rows left to Python are noted by `sv_note_py` (a side channel) and not inserted. Parameters:
    $source, $stamp."""
    cols = ", ".join(NOTICE_COLUMNS)
    return f"""
INSERT INTO releases ({cols}, raw_json, content_sha1, imported_at)
SELECT {cols}, NULL, {store.content_key_sql()}, CAST($stamp AS TIMESTAMP) + to_microseconds(ord)
FROM ({native.flatten_sql(f"(SELECT * FROM {relation} WHERE ord NOT IN (SELECT ord FROM _sv_aside))", "$source")})
WHERE NOT sv_note_py(ord, py)"""


class _PyRows:
    """The side channel: the ords of the rows the SQL leaves to Python (called from DuckDB's threads, per chunk)."""

    def __init__(self) -> None:
        self.ords: list[int] = []

    def __call__(self, ords: pa.Array, py: pa.Array) -> pa.Array:
        py = py.fill_null(True)
        if pc.any(py).as_py():
            self.ords.extend(pc.filter(ords, py).to_pylist())
        return py


def _register(con: duckdb.DuckDBPyConnection, rows: _PyRows) -> None:
    native.install_macros(con)
    try:
        con.remove_function("sv_note_py")
    except (duckdb.InvalidInputException, duckdb.CatalogException):
        pass
    con.create_function("sv_note_py", rows, [sqltypes.BIGINT, sqltypes.BOOLEAN], sqltypes.BOOLEAN,
                        type="arrow", side_effects=True)


def import_file(con: duckdb.DuckDBPyConnection, path: str | Path, info: reader.FileInfo, kind: str,
                memory_limit: str | None = IMPORT_MEMORY_LIMIT) -> dict:
    """Import one file natively (the summary of `files.import_file`, plus `timings`). Raises NotNative, before
    anything is committed, when the file must go through the streaming path."""
    source = str(path)
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    previous = store.set_memory_limit(con, memory_limit)
    py_rows = _PyRows()
    _register(con, py_rows)
    stamp = store.next_stamp(con)
    try:
        with store.transaction(con):
            if kind == "jsonl":
                aside, relation = _jsonl_aside(con, path), _jsonl_relation(path)
            else:
                aside, relation = _package_aside(con, path), _package_relation(path)
            timings["raw_pass_s"] = time.perf_counter() - clock
            _ords_table(con, "_sv_aside", [o for o, _ in aside])
            start = time.perf_counter()
            con.execute(_insert_sql(relation), {"source": source, "stamp": stamp})
            timings["insert_s"] = time.perf_counter() - start
            start = time.perf_counter()
            texts = dict(aside)
            if py_rows.ords:
                texts.update(_texts(con, path, kind, py_rows.ords))
            items, rejects = (_jsonl_verdicts(path, texts) if kind == "jsonl" else _package_verdicts(texts))
            _insert_python_rows(con, items, source, stamp)
            timings["python_rows_s"] = time.perf_counter() - start
            start = time.perf_counter()
            # every release read from the file, repeated copies included (as the streaming path counts them)
            n_items = int(con.execute("SELECT count(*) FROM releases WHERE imported_at >= ?", [stamp]).fetchall()[0][0])
            totals = store.settle_import(con, stamp)
            con.execute("DROP TABLE _sv_aside")
            summary = {"source": source, "format": info.format, "encoding": info.encoding,
                       "encoding_note": info.encoding_note, "items": n_items, **totals, "rejected": len(rejects)}
            store.replace_rejects(con, source, rejects)
            store.record_file(con, summary)
            timings["settle_s"] = time.perf_counter() - start
    except duckdb.Error as exc:
        raise NotNative(f"DuckDB could not read it natively: {exc}".splitlines()[0][:300]) from exc
    finally:
        store.set_memory_limit(con, previous)
    summary["rejects"] = rejects
    summary["notes"] = list(info.notes)
    summary["timings"] = {k: round(v, 2) for k, v in timings.items()}
    summary["timings"]["python_rows"] = len(items)
    return summary


# ------------------------------------------------------------------ JSON Lines
def _jsonl_relation(path: str | Path) -> str:
    return (f"(SELECT * FROM read_json({native._lit(str(path))}, format='newline_delimited', "
            f"columns={native.read_json_columns()}, records=true, ignore_errors=true, "
            f"maximum_object_size={MAX_OBJECT_BYTES}) "
            f"WITH ORDINALITY AS t({', '.join(native.STRUCTURE)}, ord))")


def _raw_lines(path: str | Path, where: str, params: list | None = None) -> str:
    return (f"SELECT ord, line FROM read_ndjson_objects({native._lit(str(path))}, ignore_errors=true, "
            f"maximum_object_size={MAX_OBJECT_BYTES}) WITH ORDINALITY AS t(line, ord) WHERE {where}")


# Lines DuckDB's reader takes but strict JSON (the streaming reader) refuses, in the forms worth a cheap look: a
# trailing comma. (Its other leniency, inf/nan literals in any case, and a trailing comma after other white space
# are not looked for: see docs/ARCHITECTURE.md.)
_LENIENT = (",}", ",]", ", }", ", ]")
ASIDE_BATCH = 2000


def _jsonl_aside(con, path) -> list[tuple[int, str | None]]:
    """(ord, text) of the lines set aside for Python: unparseable (text NULL), with a trailing comma, or nested
    deeper than the reader allows (checked exactly, in Python, on the lines with more opening brackets than that).
    A line with a carriage return makes the file the streaming path's (it numbers lines at a lone CR too)."""
    lenient = " OR ".join(f"contains(line, {native._lit(t)})" for t in _LENIENT)
    cur = con.execute(_raw_lines(path, f"line IS NULL OR contains(line, chr(13)) OR {lenient} OR strlen(line) - "
                                       f"strlen(replace(replace(line, '{{', ''), '[', '')) > {reader.MAX_DEPTH}"))
    aside: list[tuple[int, str | None]] = []
    while rows := cur.fetchmany(ASIDE_BATCH):
        for ord_, text in rows:
            if text is None or any(t in text for t in _LENIENT):
                aside.append((int(ord_), text))
                continue
            if "\r" in text:
                raise NotNative("a carriage return inside a line")
            try:
                deep = reader._too_deep(nonfinite.loads(text))
            except (ValueError, RecursionError):
                deep = True
            if deep:
                aside.append((int(ord_), text))
    return aside


def _ords_table(con, name: str, ords: list[int]) -> None:
    """A temporary table `name` (one of this module's constants) of ords."""
    con.register("_sv_ords", pa.table({"ord": pa.array(ords, pa.int64())}))
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT ord FROM _sv_ords")
    finally:
        con.unregister("_sv_ords")


def _texts(con, path, kind: str, ords: list[int]) -> dict[int, str | None]:
    _ords_table(con, "_sv_want", ords)
    try:
        if kind == "jsonl":
            rows = con.execute(_raw_lines(path, "ord IN (SELECT ord FROM _sv_want)")).fetchall()
        else:
            rows = con.execute(f"SELECT ord, rel FROM ({_package_texts(path)}) "
                               "WHERE ord IN (SELECT ord FROM _sv_want)").fetchall()
    finally:
        con.execute("DROP TABLE _sv_want")
    return {int(o): t for o, t in rows}


def _scan_lines(path: str | Path, ords: set[int]) -> dict[int, tuple[int, str]]:
    """ord → (line number, the line as the streaming reader reads it, newline included) for the wanted ords: the
    physical lines counted as DuckDB counts rows (its blank lines skipped). NotNative when the count disagrees
    with DuckDB's or a line is not UTF-8 (the streaming path detects the encoding)."""
    out: dict[int, tuple[int, str]] = {}
    ordinal = 0
    with open(path, "rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip(DUCKDB_BLANK):
                continue
            if b"\r" in raw.rstrip(b"\r\n") or raw.endswith(b"\r"):
                raise NotNative("a carriage return inside a line")  # the streaming reader ends a line there
            ordinal += 1
            if ordinal in ords:
                try:
                    out[ordinal] = (lineno, raw.decode("utf-8"))
                except UnicodeDecodeError:
                    raise NotNative("invalid UTF-8") from None
    if set(out) != ords:
        raise NotNative("the lines of the file do not match DuckDB's rows")
    return out


def _jsonl_verdicts(path, texts: dict[int, str | None]) -> tuple[list[tuple[int, dict]], list[dict]]:
    """The streaming reader's verdict on each line set aside: (ord, release) items and rejects. A line that is not
    a plain release, or that DuckDB could not parse, is read again from the file as the streaming reader reads it,
    numbered, so its rejects are the streaming path's to the letter."""
    items: list[tuple[int, dict]] = []
    exact: set[int] = set()
    for ord_, text in texts.items():
        if text is None:
            exact.add(ord_)
            continue
        entries = list(reader.jsonl_line(text, 0))
        if all(isinstance(e, reader.Item) for e in entries) and len(entries) == 1:
            items.append((ord_, entries[0].release))
        else:
            exact.add(ord_)
    rejects: list[dict] = []
    if exact:
        for ord_, (lineno, line) in sorted(_scan_lines(path, exact).items()):
            for entry in reader.jsonl_line(line, lineno):
                if isinstance(entry, reader.Reject):
                    rejects.append({"position": entry.position, "reason": entry.reason, "excerpt": entry.excerpt})
                else:
                    items.append((ord_, entry.release))
    items.sort(key=lambda it: it[0])
    return items, rejects


# ------------------------------------------------------------------ release packages
def _package_doc(path) -> str:
    size = max(os.path.getsize(path) + 1, 1 << 20)
    return (f"read_json_objects({native._lit(str(path))}, format='unstructured', maximum_object_size={size})")


def _package_texts(path) -> str:
    """(ord, JSON text) of each item of the package's `releases` (ord = its index)."""
    return (f"SELECT generate_subscripts(rels, 1) - 1 AS ord, unnest(rels) AS rel FROM ("
            f"SELECT CAST(json_transform(json, '{{\"releases\": [\"JSON\"]}}').releases AS VARCHAR[]) AS rels "
            f"FROM {_package_doc(path)})")


def _package_relation(path) -> str:
    # json_transform, not read_json's columns: an item that is not a release becomes NULL fields (then Python's
    # reject, by position) instead of failing the whole document
    structure = native._lit(json.dumps({"releases": [_json_structure(native.STRUCTURE)]}))
    keys = ", ".join(f"rel.{k} AS {k}" for k in native.STRUCTURE)
    return (f"(SELECT ord, {keys} FROM (SELECT generate_subscripts(rels, 1) - 1 AS ord, unnest(rels) AS rel "
            f"FROM (SELECT json_transform(json, {structure}).releases AS rels FROM {_package_doc(path)})))")


def _json_structure(spec):
    """STRUCTURE as json_transform's structure argument (types as strings, lists as one-element lists)."""
    if isinstance(spec, str):
        return spec
    if isinstance(spec, list):
        return [_json_structure(spec[0])]
    return {k: _json_structure(v) for k, v in spec.items()}


def _package_aside(con, path) -> list[tuple[int, str | None]]:
    """The package is one JSON object whose `releases` is an array (else NotNative: the streaming reader takes
    record packages, top-level arrays, single releases and anything odd); (ord, text) of the items that are not
    objects or may nest too deep. An item nested deeper than the reader allows ends the streaming reader's pass
    over the document, so such a package is left to it whole."""
    docs = con.execute(f"SELECT json_type(json), json_type(json, '$.releases'), json_exists(json, '$.records') "
                       f"FROM {_package_doc(path)}").fetchall()
    if len(docs) != 1 or docs[0][0] != "OBJECT" or docs[0][1] != "ARRAY" or docs[0][2]:
        raise NotNative("not a release package with a releases array")
    rows = con.execute(f"SELECT ord, rel FROM ({_package_texts(path)}) WHERE NOT starts_with(rel, '{{') OR "
                       f"strlen(rel) - strlen(replace(replace(rel, '{{', ''), '[', '')) > {reader.MAX_DEPTH}"
                       ).fetchall()
    for _, text in rows:
        if text.startswith("{") and reader._too_deep(json.loads(text)):
            raise NotNative("a release nested deeper than the reader allows")
    return [(int(o), t) for o, t in rows]


def _package_verdicts(texts: dict[int, str | None]) -> tuple[list[tuple[int, dict]], list[dict]]:
    items, rejects = [], []
    for ord_, text in sorted(texts.items()):
        for entry in reader._check_release(nonfinite.loads(text), f"release {ord_}"):
            if isinstance(entry, reader.Reject):
                rejects.append({"position": entry.position, "reason": entry.reason, "excerpt": entry.excerpt})
            else:
                items.append((ord_, entry.release))
    return items, rejects


# ------------------------------------------------------------------ rows flattened by Python
def _insert_python_rows(con, items: list[tuple[int, dict]], source: str, stamp: datetime) -> None:
    """The releases Python flattened, written like the SQL ones (content key in SQL, imported_at = stamp + ord)."""
    if not items:
        return
    frame = notices_frame([flatten_release(rel, source) for _, rel in items])
    frame["ord"] = [o for o, _ in items]
    con.register("_sv_python_rows", frame)
    try:
        cols = ", ".join(NOTICE_COLUMNS)
        con.execute(f"""INSERT INTO releases ({cols}, raw_json, content_sha1, imported_at)
                        SELECT {cols}, NULL, {store.content_key_sql()}, CAST(? AS TIMESTAMP) + to_microseconds(ord)
                        FROM _sv_python_rows""", [stamp])
    finally:
        con.unregister("_sv_python_rows")
