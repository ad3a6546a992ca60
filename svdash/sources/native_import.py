"""Native import: a JSON Lines file or a release package parsed and flattened by DuckDB (`svdash.sources.native`)
and written into `releases` by one INSERT, in one transaction with everything else of the file.

JSON Lines, one parallel pass: `read_ndjson_objects` gives each line's text, `json_transform` parses it once into
the fields the notice frame reads, the flatten SQL computes the columns and the content key (`store.content_key_sql`)
and the INSERT writes them. A line SQL cannot answer exactly (`py`, see `native`) — and also one with a compact
trailing comma (DuckDB's reader takes it, strict JSON does not) or one nested deeper than the reader allows (checked
in Python, `sv_deep`, only for lines with more opening brackets than that) — is not inserted: its text goes to
Python through a side channel (`sv_note_py`), which gives the streaming reader's own verdict on it
(`reader.jsonl_line`: rejects with their line numbers, releases flattened by `ocds.flatten_release`) and inserts
those rows the same way. (A line numbering is not kept: read with its ordinal, the INSERT runs on one thread.)
Left to the streaming path whole (`NotNative`, before anything is committed): a file with a line DuckDB cannot
parse (the streaming reader reports it with its number), with a carriage return inside a line (it would number
the lines otherwise) or with a release key twice (the last copy wins: file order is needed), and anything DuckDB
refuses.

Release packages (≤ PACKAGE_MAX_BYTES: DuckDB holds the document) are read whole; each item keeps its index, the
position of its rejects ("release 3").

Then `store.settle_import`: unchanged / updated against the stored rows, the rejects and the file summary. `raw_json`
is NULL (the file named in `source` is the raw copy).
"""
from __future__ import annotations

import json
import os
import threading
import time
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from duckdb import sqltypes

from svdash import store
from svdash.sources import native, nonfinite, reader
from svdash.sources.ocds import NOTICE_COLUMNS, content_json, flatten_release, notices_frame

# Smaller files go through the streaming path: planning the query costs ≈0.1 s, more than flattening them.
NATIVE_MIN_BYTES = 4 << 20
# A release package is one JSON value that DuckDB holds whole; larger ones stream through ijson (bounded memory).
PACKAGE_MAX_BYTES = 64 << 20
MAX_OBJECT_BYTES = 32 << 20      # the longest JSON Lines line DuckDB parses (a longer one: the streaming path); its
# read buffers are a few times this size per thread
IMPORT_MEMORY_LIMIT = "1GB"      # DuckDB's share while it imports (the INSERT streams; spills past it)
# Lines DuckDB's reader takes but strict JSON (the streaming reader) refuses, in the forms worth a cheap look: a
# trailing comma. (Its other leniency, inf/nan literals in any case, and a trailing comma after other white space
# are not looked for: see docs/ARCHITECTURE.md.)
_LENIENT = (",}", ",]", ", }", ", ]")


class NotNative(Exception):
    """The file needs the streaming path (raised before anything is committed)."""


def eligible(path: str | Path, info: reader.FileInfo, min_bytes: int = NATIVE_MIN_BYTES) -> str | None:
    """'jsonl' or 'package' when the native import may take the file (UTF-8 at its start, large enough), else None;
    fills `info`. Whether a 'package' really is a release package DuckDB can hold is decided by `import_file`."""
    path = Path(path)
    if not path.is_file() or path.stat().st_size < min_bytes or reader.is_gzip(path):
        return None  # gzip: the streaming reader decompresses it and reports where a damaged stream ends
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


class _SideChannel:
    """What the SQL leaves to Python, noted from DuckDB's threads chunk by chunk (arrow UDFs): the text of each
    row it does not insert (`carry` of the py rows), whether some line could not be parsed or had a carriage
    return; and the exact depth check of the lines with many brackets."""

    def __init__(self) -> None:
        self.rows: list = []
        self.unparsed = 0
        self.carriage_return = False
        self._lock = threading.Lock()

    def note(self, carry: pa.Array) -> pa.Array:
        """Called (by the INSERT's WHERE) for the rows left to Python only; they are not inserted."""
        values = carry.to_pylist()
        with self._lock:
            for value in values:
                if value is None:
                    self.unparsed += 1
                else:
                    self.carriage_return |= isinstance(value, str) and "\r" in value
                    self.rows.append(value)
        return pa.array([False] * len(values), pa.bool_())

    @staticmethod
    def deep(lines: pa.Array) -> pa.Array:
        """reader's depth rule (nested deeper than MAX_DEPTH), for lines Python can parse; a line it cannot parse
        counts as deep (it goes to Python, which rejects it as the streaming reader does)."""
        out = []
        for text in lines.to_pylist():
            if text is None:
                out.append(False)
                continue
            try:
                out.append(reader._too_deep(nonfinite.loads(text)))
            except (ValueError, RecursionError, TypeError):
                out.append(True)
        return pa.array(out, pa.bool_())


def _register(con: duckdb.DuckDBPyConnection, side: _SideChannel, carry_type) -> None:
    native.install_macros(con)
    for name in ("sv_note_py", "sv_deep"):
        try:
            con.remove_function(name)
        except duckdb.Error:
            pass
    con.create_function("sv_note_py", side.note, [carry_type], sqltypes.BOOLEAN,
                        type="arrow", null_handling="special", side_effects=True)
    con.create_function("sv_deep", side.deep, [sqltypes.VARCHAR], sqltypes.BOOLEAN, type="arrow",
                        null_handling="special")


def _insert_sql(relation: str, carry: str, extra_py: str = "", imported_at: str = "CAST($stamp AS TIMESTAMP)") -> str:
    """INSERT the SQL-flattened rows of `relation` into releases; the rows left to Python are noted by `sv_note_py`
    (their `carry` column; the CASE calls it for those rows only) and not inserted. Parameters: $source, $stamp."""
    cols = ", ".join(NOTICE_COLUMNS)
    return f"""
INSERT INTO releases ({cols}, raw_json, content_sha1, imported_at)
SELECT {cols}, NULL, {store.content_key_sql()}, {imported_at}
FROM ({native.flatten_sql(relation, "$source", carry, extra_py)})
WHERE CASE WHEN py THEN sv_note_py({carry}) ELSE true END"""


def import_file(con: duckdb.DuckDBPyConnection, path: str | Path, info: reader.FileInfo, kind: str,
                memory_limit: str | None = IMPORT_MEMORY_LIMIT) -> dict:
    """Import one file natively (the summary of `files.import_file`, plus `timings`). Raises NotNative, before
    anything is committed, when the file must go through the streaming path instead."""
    source = str(path)
    timings: dict[str, float] = {}
    previous = store.set_memory_limit(con, memory_limit)
    side = _SideChannel()
    stamp = store.next_stamp(con)
    try:
        with store.transaction(con):
            start = time.perf_counter()
            if kind == "jsonl":
                _register(con, side, sqltypes.VARCHAR)
                con.execute(_insert_sql(_jsonl_relation(path), "line", _JSONL_PY), {"source": source, "stamp": stamp})
            else:
                _register(con, side, sqltypes.BIGINT)
                _check_package(con, path)
                con.execute(_insert_sql(_package_relation(path), "ord",
                                        imported_at="CAST($stamp AS TIMESTAMP) + to_microseconds(ord)"),
                            {"source": source, "stamp": stamp})
            timings["insert_s"] = time.perf_counter() - start
            if side.unparsed:
                raise NotNative(f"{side.unparsed} line(s) DuckDB cannot parse")
            if side.carriage_return:
                raise NotNative("a carriage return inside a line")
            start = time.perf_counter()
            if kind == "jsonl":
                items, rejects = _jsonl_verdicts(path, side.rows)
            else:
                items, rejects = _package_verdicts(_package_items(con, path, side.rows))
            python_keys = _insert_python_rows(con, items, source, stamp, ordered=kind == "package")
            timings["python_rows_s"] = time.perf_counter() - start
            start = time.perf_counter()
            # every release read from the file, repeated copies included (as the streaming path counts them)
            n_items, n_keys = con.execute("SELECT count(*), count(DISTINCT release_key) FROM releases "
                                          "WHERE imported_at >= ?", [stamp]).fetchall()[0]
            if kind == "jsonl" and n_items != n_keys:
                _keep_last_copies(con, path, stamp, python_keys)
            totals = store.settle_import(con, stamp)
            summary = {"source": source, "format": info.format, "encoding": info.encoding,
                       "encoding_note": info.encoding_note, "items": int(n_items), **totals,
                       "rejected": len(rejects)}
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
def _jsonl_relation(path: str | Path, positioned: bool = False) -> str:
    """Each line's text (`line`) and its parsed fields; `positioned` adds `ord`, its position among the rows (read
    with it, an INSERT runs on one thread: only for `_keep_last_copies`)."""
    structure = native._lit(json.dumps(native.transform_structure()))
    keys = ", ".join(f"r.{k} AS {k}" for k in native.STRUCTURE)
    ord_ = "ord, " if positioned else ""
    ordinality = " WITH ORDINALITY AS t(json, ord)" if positioned else ""
    return (f"(SELECT {ord_}line, {keys} FROM (SELECT {ord_}json AS line, json_transform(json, {structure}) AS r "
            f"FROM read_ndjson_objects({native._lit(str(path))}, ignore_errors=true, "
            f"maximum_object_size={MAX_OBJECT_BYTES}){ordinality}))")


# Line-level reasons for Python, besides the release's own (`native._py`): unparseable, a carriage return, a
# trailing comma, nesting deeper than the reader allows (exact check only where the brackets could reach it).
_JSONL_PY = " OR ".join(
    ["line IS NULL", "contains(line, chr(13))"] + [f"contains(line, {native._lit(t)})" for t in _LENIENT]
    # a CASE, not AND: the optimizer may evaluate AND's operands in any order, and the depth check is Python
    + [f"(CASE WHEN strlen(line) - strlen(replace(replace(line, '{{', ''), '[', '')) > {reader.MAX_DEPTH} "
       "THEN sv_deep(line) ELSE false END)"])


def _jsonl_verdicts(path, texts: list[str]) -> tuple[list[tuple[int, dict]], list[dict]]:
    """The streaming reader's verdict on each line the SQL left to Python: (0, release) items and rejects. A line
    that gives a reject is looked up in the file, so its position and reason are the streaming path's to the
    letter (the line number, the line with its newline as the streaming reader reads it)."""
    items: list[tuple[int, dict]] = []
    exact: list[str] = []
    for text in texts:
        entries = list(reader.jsonl_line(text, 0))
        if all(isinstance(e, reader.Item) for e in entries):
            items += [(0, e.release) for e in entries]
        else:
            exact.append(text)
    rejects: list[dict] = []
    if exact:
        for lineno, line in _find_lines(path, exact):
            for entry in reader.jsonl_line(line, lineno):
                if isinstance(entry, reader.Reject):
                    rejects.append({"position": entry.position, "reason": entry.reason, "excerpt": entry.excerpt})
                else:
                    items.append((0, entry.release))
    return items, rejects


def _find_lines(path: str | Path, texts: list[str]) -> list[tuple[int, str]]:
    """(line number, line as the streaming reader reads it) of each of `texts` (lines as DuckDB gave them: no line
    ending), in file order; a text given twice is two lines. NotNative when one is not found."""
    wanted: dict[bytes, int] = {}
    for text in texts:
        key = text.encode("utf-8")
        wanted[key] = wanted.get(key, 0) + 1
    out: list[tuple[int, str]] = []
    with open(path, "rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            body = raw.rstrip(b"\r\n")
            if lineno == 1 and body.startswith(b"\xef\xbb\xbf"):
                body, raw = body[3:], raw[3:]
            if wanted.get(body):
                wanted[body] -= 1
                out.append((lineno, raw.decode("utf-8")))
    if any(wanted.values()):
        raise NotNative("lines DuckDB gave back are not in the file as read")
    return out


def _keep_last_copies(con, path, stamp: datetime, python_keys: set[str]) -> None:
    """A release key more than once in a JSON Lines file: the last copy wins, as in the streaming path. The INSERT
    kept no file order, so the copies' positions are read again (one more pass over the file, only then) with the
    same SQL, and the rows of this import that are not the last copy's content are deleted, then all but one of
    identical copies. A repeated key among the rows Python flattened (position unknown) → NotNative."""
    con.execute("""CREATE OR REPLACE TEMP TABLE _sv_repeated AS SELECT release_key FROM releases
                   WHERE imported_at >= ? GROUP BY release_key HAVING count(*) > 1""", [stamp])
    repeated = {k for (k,) in con.execute("SELECT release_key FROM _sv_repeated").fetchall()}
    if repeated & python_keys:
        raise NotNative("a release key repeated in the file among lines read by Python")
    flat = native.flatten_sql(_jsonl_relation(path, positioned=True), "''", "ord, line", _JSONL_PY)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _sv_last AS
                    SELECT release_key, arg_max({store.content_key_sql()}, ord) AS content_sha1
                    FROM ({flat}) WHERE NOT py AND release_key IN (SELECT release_key FROM _sv_repeated)
                    GROUP BY release_key""")
    con.execute("""DELETE FROM releases WHERE imported_at >= ? AND release_key IN (SELECT release_key FROM _sv_last)
                   AND content_sha1 <> (SELECT l.content_sha1 FROM _sv_last l
                                        WHERE l.release_key = releases.release_key)""", [stamp])
    con.execute("""DELETE FROM releases WHERE rowid IN (
                       SELECT rowid FROM (SELECT rowid, row_number() OVER (PARTITION BY release_key ORDER BY rowid) AS n
                                          FROM releases WHERE imported_at >= ?
                                            AND release_key IN (SELECT release_key FROM _sv_repeated))
                       WHERE n > 1)""", [stamp])
    con.execute("DROP TABLE _sv_repeated")
    con.execute("DROP TABLE _sv_last")


# ------------------------------------------------------------------ release packages
def _package_doc(path) -> str:
    size = max(os.path.getsize(path) + 1, 1 << 20)
    return f"read_json_objects({native._lit(str(path))}, format='unstructured', maximum_object_size={size})"


def _package_relation(path) -> str:
    # json_transform, not read_json's columns: an item that is not a release becomes NULL fields (then Python's
    # reject, by position) instead of failing the whole document
    structure = native._lit(json.dumps({"releases": [native.transform_structure()]}))
    keys = ", ".join(f"rel.{k} AS {k}" for k in native.STRUCTURE)
    return (f"(SELECT ord, {keys} FROM (SELECT generate_subscripts(rels, 1) - 1 AS ord, unnest(rels) AS rel "
            f"FROM (SELECT json_transform(json, {structure}).releases AS rels FROM {_package_doc(path)})))")


def _package_texts(path) -> str:
    """(ord, JSON text) of each item of the package's `releases` (ord = its index)."""
    return (f"SELECT generate_subscripts(rels, 1) - 1 AS ord, unnest(rels) AS rel FROM ("
            f"SELECT CAST(json_transform(json, '{{\"releases\": [\"JSON\"]}}').releases AS VARCHAR[]) AS rels "
            f"FROM {_package_doc(path)})")


def _check_package(con, path) -> None:
    """The package is one JSON object whose `releases` is an array and no item nests deeper than the reader allows
    (such an item ends the streaming reader's pass over the document); else NotNative: the streaming reader takes
    record packages, top-level arrays, single releases and anything odd."""
    docs = con.execute(f"SELECT json_type(json), json_type(json, '$.releases'), json_exists(json, '$.records') "
                       f"FROM {_package_doc(path)}").fetchall()
    if len(docs) != 1 or docs[0][0] != "OBJECT" or docs[0][1] != "ARRAY" or docs[0][2]:
        raise NotNative("not a release package with a releases array")
    rows = con.execute(f"SELECT rel FROM ({_package_texts(path)}) WHERE "
                       f"strlen(rel) - strlen(replace(replace(rel, '{{', ''), '[', '')) > {reader.MAX_DEPTH}"
                       ).fetchall()
    for (text,) in rows:
        if reader._too_deep(nonfinite.loads(text)):
            raise NotNative("a release nested deeper than the reader allows")


def _package_items(con, path, ords: list[int]) -> dict[int, str]:
    if not ords:
        return {}
    with store.registered(con, "_sv_ords", pa.table({"ord": pa.array(ords, pa.int64())})):
        rows = con.execute(f"SELECT ord, rel FROM ({_package_texts(path)}) "
                           "WHERE ord IN (SELECT ord FROM _sv_ords)").fetchall()
    return {int(o): t for o, t in rows}


def _package_verdicts(texts: dict[int, str]) -> tuple[list[tuple[int, dict]], list[dict]]:
    items, rejects = [], []
    for ord_, text in sorted(texts.items()):
        for entry in reader._check_release(nonfinite.loads(text), f"release {ord_}"):
            if isinstance(entry, reader.Reject):
                rejects.append({"position": entry.position, "reason": entry.reason, "excerpt": entry.excerpt})
            else:
                items.append((ord_, entry.release))
    return items, rejects


# ------------------------------------------------------------------ rows flattened by Python
def _insert_python_rows(con, items: list[tuple[int, dict]], source: str, stamp: datetime, ordered: bool) -> set[str]:
    """The releases Python flattened, written like the SQL ones (content key in SQL; imported_at = stamp, plus the
    item's position in a package); returns their keys."""
    if not items:
        return set()
    frame = notices_frame([flatten_release(rel, source) for _, rel in items])
    frame["ord"] = [o for o, _ in items]
    # their raw JSON is kept (without contact points), as the streaming path keeps it: an id-less release's key
    # is a hash of it, and a later change of that key (store.rekey) needs it
    frame["raw_json"] = pd.Series([content_json(rel) for _, rel in items], dtype="string")
    with store.registered(con, "_sv_python_rows", frame):
        cols = ", ".join(NOTICE_COLUMNS)
        at = "CAST(? AS TIMESTAMP) + to_microseconds(ord)" if ordered else "CAST(? AS TIMESTAMP)"
        con.execute(f"""INSERT INTO releases ({cols}, raw_json, content_sha1, imported_at)
                        SELECT {cols}, raw_json, {store.content_key_sql()}, {at} FROM _sv_python_rows""", [stamp])
    return set(frame["release_key"])
