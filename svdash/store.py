"""The DuckDB store: releases (idempotent upserts by release_key), the compiled view per ocid, rejects and
ingest checkpoints (schema: docs/ARCHITECTURE.md, "Store"). All SQL of the ingest step lives here.

Writes go through `write_batch` inside `transaction(con)`: a file (or an API page) is one transaction, so a
crash mid-import leaves the store exactly as before that file.
"""
from __future__ import annotations

import contextlib
import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

import duckdb
import pandas as pd

from svdash.sources.ocds import (FLATTEN_VERSION, NOTICE_COLUMNS, RELEASE_KEY_VERSION, content_json, flatten_release,
                                 notices_frame, release_key)

CLASSIFICATIONS_DDL = """CREATE TABLE IF NOT EXISTS classifications (
    release_key VARCHAR NOT NULL, content_sha1 VARCHAR, sv_status VARCHAR, evidence VARCHAR,
    weighting_pct DOUBLE, themes VARCHAR, criteria_visible BOOLEAN, rules_version VARCHAR,
    combined_weighting_pct DOUBLE)"""
SCHEMA = [
    # release_key is unique by construction (every write path upserts: drop changed, insert where absent), not
    # by a PRIMARY KEY: its ART index made the 1 M bulk insert + commit ≈2× slower and is never used for reads.
    # (Stores created before keep their key; both work.)
    """CREATE TABLE IF NOT EXISTS releases (
        release_key VARCHAR NOT NULL, ocid VARCHAR NOT NULL, release_id VARCHAR, date TIMESTAMP,
        tags VARCHAR, buyer_name VARCHAR, buyer_id VARCHAR, buyer_postcode VARCHAR, buyer_locality VARCHAR,
        title VARCHAR, description VARCHAR, award_criteria_json VARCHAR, value_gbp DOUBLE, notice_url VARCHAR,
        source VARCHAR, raw_json VARCHAR, content_sha1 VARCHAR, imported_at TIMESTAMP, notice_type VARCHAR,
        legal_basis VARCHAR)""",
    # Rows of a file being imported, written in small autocommitted batches so memory stays bounded; one final
    # transaction moves them into `releases` (stage → commit_staged), so a crash leaves releases untouched.
    """CREATE TABLE IF NOT EXISTS import_staging (
        seq BIGINT, release_key VARCHAR, ocid VARCHAR, release_id VARCHAR, date TIMESTAMP,
        tags VARCHAR, buyer_name VARCHAR, buyer_id VARCHAR, buyer_postcode VARCHAR, buyer_locality VARCHAR,
        title VARCHAR, description VARCHAR, award_criteria_json VARCHAR, value_gbp DOUBLE, notice_url VARCHAR,
        source VARCHAR, raw_json VARCHAR, content_sha1 VARCHAR, imported_at TIMESTAMP, notice_type VARCHAR,
        legal_basis VARCHAR)""",
    # The classification of a release's content under a rules version, computed by `build`; the next build
    # reuses a row while release_key, content_sha1 and rules_version all match, so it classifies only new or
    # changed releases. One row per release_key.
    CLASSIFICATIONS_DDL,
    """CREATE TABLE IF NOT EXISTS rejects (
        source VARCHAR, position VARCHAR, reason VARCHAR, excerpt VARCHAR, rejected_at TIMESTAMP)""",
    """CREATE TABLE IF NOT EXISTS ingest_checkpoints (
        source VARCHAR PRIMARY KEY, status VARCHAR, window_from VARCHAR, window_to VARCHAR,
        current_from VARCHAR, next_url VARCHAR, seen_urls VARCHAR, pages INTEGER, releases INTEGER,
        new INTEGER, updated INTEGER, rejected INTEGER, updated_at TIMESTAMP)""",
    # Facts about the store itself (key → value): the flattening version its rows were made with, and for the
    # default store the fingerprint of the embedded snapshot it was built from.
    """CREATE TABLE IF NOT EXISTS store_meta (key VARCHAR PRIMARY KEY, value VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS import_files (
        source VARCHAR, format VARCHAR, encoding VARCHAR, encoding_note VARCHAR, items INTEGER, new INTEGER,
        updated INTEGER, unchanged INTEGER, rejected INTEGER, imported_at TIMESTAMP)""",
    """CREATE OR REPLACE VIEW compiled_releases AS
        WITH ranked AS (
            SELECT *, row_number() OVER (PARTITION BY ocid
                ORDER BY date DESC NULLS LAST, imported_at DESC, release_key DESC) AS rn
            FROM releases),
        history AS (
            SELECT ocid, string_agg(tags, '|' ORDER BY date NULLS FIRST, imported_at, release_key) AS tag_history,
                   count(*) AS n_releases
            FROM releases GROUP BY ocid)
        SELECT ranked.* EXCLUDE (rn, raw_json, content_sha1), history.tag_history, history.n_releases
        FROM ranked JOIN history USING (ocid) WHERE rn = 1""",
]
STORE_COLUMNS = NOTICE_COLUMNS + ["raw_json", "content_sha1", "imported_at"]
# The content key (column `content_sha1`, its name kept from the stores before it): DuckDB's 64-bit hash of a
# release's notice columns (source aside) as stored, in hex. Every write path computes it with this one expression,
# so the key of a release does not depend on which path read it; it is the change detector (same key, same
# content) and the key of stored classifications. The casts pin the types the hash sees.
KEY_COLUMNS = [c for c in NOTICE_COLUMNS if c != "source"]
_KEY_TYPES = {"date": "TIMESTAMP", "value_gbp": "DOUBLE"}


def content_key_sql(prefix: str = "") -> str:
    """The content key expression over the notice columns of the relation `prefix` (e.g. "s." or "")."""
    cols = ", ".join(f"CAST({prefix}{c} AS {_KEY_TYPES.get(c, 'VARCHAR')})" for c in KEY_COLUMNS)
    return f"printf('%016x', hash({cols}))"

# Columns added after the first stores were written: a store from before gets them (NULL) when opened.
MIGRATIONS = [
    ("releases", "notice_type", "VARCHAR"), ("releases", "legal_basis", "VARCHAR"),
    ("import_staging", "notice_type", "VARCHAR"), ("import_staging", "legal_basis", "VARCHAR"),
    ("classifications", "combined_weighting_pct", "DOUBLE"),
]


def now_utc() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def open_store(path: str | Path) -> duckdb.DuckDBPyConnection:
    """Open (creating when missing) the store and make sure every ingest table and view exists."""
    path = Path(path)
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    ensure_schema(con)
    return con


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Every table and view exists, with the columns added since the first stores (idempotent)."""
    for statement in SCHEMA:
        con.execute(statement)
    for table, column, kind in MIGRATIONS:
        con.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} {kind}")
    # A new (empty) store is flattened by this version; a store from before the key existed is not.
    empty = not con.execute("SELECT count(*) FROM releases").fetchall()[0][0]
    if get_meta(con, FLATTEN_KEY) is None and empty:
        set_meta(con, FLATTEN_KEY, FLATTEN_VERSION)
    if get_meta(con, KEY_VERSION_KEY) != RELEASE_KEY_VERSION:
        if not empty:
            rekey(con)
        set_meta(con, KEY_VERSION_KEY, RELEASE_KEY_VERSION)


KEY_VERSION_KEY = "release_key_version"
# Stored raw JSON that holds a contact point (keys as published, blanks inside a key included: svdash.privacy).
_CONTACT_SQL = "|".join(r"\s*".join(k) for k in ("contactPoint", "additionalContactPoints"))


def rekey(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Bring a store written before `RELEASE_KEY_VERSION` to it, in one transaction: every kept raw JSON loses its
    contact points, an id-less release gets the key of its content without them, and of two rows that now share
    a key the later imported stays (the same release imported once with contact points and once without was two
    rows). Stored classifications follow their rows (a row whose content differs is dropped: a cache). Rows
    without raw JSON (native import) keep their key; their files must be imported again to re-key them."""
    rows = con.execute(f"""SELECT release_key, raw_json FROM releases WHERE raw_json IS NOT NULL
                           AND (coalesce(release_id, '') = '' OR regexp_matches(raw_json, '"(?:{_CONTACT_SQL})"'))
                        """).fetchall()
    moved = []
    for key, raw in rows:
        rel = json.loads(raw)
        moved.append((key, release_key(rel), content_json(rel)))
    frame = pd.DataFrame(moved, columns=["old_key", "new_key", "raw_json"]).astype("string")
    with transaction(con), registered(con, "_rekeyed", frame):
        # of the rows that will share a key, the later imported stays; the others go first (a store from before
        # issue 17 has a PRIMARY KEY on release_key, which an update into a duplicate would violate)
        dropped = con.execute("""DELETE FROM releases WHERE rowid IN (
            SELECT rid FROM (SELECT r.rowid AS rid, row_number() OVER (
                                 PARTITION BY coalesce(k.new_key, r.release_key) ORDER BY r.imported_at DESC, r.rowid DESC) AS n
                             FROM releases r LEFT JOIN _rekeyed k ON r.release_key = k.old_key) WHERE n > 1)
            """).fetchall()[0][0]
        con.execute("""UPDATE releases SET release_key = k.new_key, raw_json = k.raw_json FROM _rekeyed k
                       WHERE releases.release_key = k.old_key""")
        con.execute("""UPDATE classifications SET release_key = k.new_key FROM _rekeyed k
                       WHERE classifications.release_key = k.old_key AND k.old_key <> k.new_key""")
        con.execute("""DELETE FROM classifications WHERE rowid NOT IN (
            SELECT min(c.rowid) FROM classifications c
            JOIN releases r ON c.release_key = r.release_key AND c.content_sha1 = r.content_sha1
            GROUP BY c.release_key)""")
    return {"rewritten": len(moved), "duplicates_dropped": int(dropped)}


FLATTEN_KEY = "flatten_version"
REFLATTEN_BATCH = 2000


def reflatten(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """When the store's rows were flattened by an older svdash (store_meta `flatten_version`), flatten again
    every release whose raw JSON is kept, in batches, and count those without it (the native import keeps
    none: re-import their files). Cheap when current: one meta lookup."""
    if get_meta(con, FLATTEN_KEY) == FLATTEN_VERSION:
        return {"reflattened": 0, "stale_without_raw": 0}
    cols = [c for c in NOTICE_COLUMNS if c != "release_key"]
    reader = con.cursor()
    done = 0
    try:
        batches = reader.execute("SELECT release_key, raw_json, source FROM releases WHERE raw_json IS NOT NULL")
        while rows := batches.fetchmany(REFLATTEN_BATCH):
            frame = notices_frame([flatten_release(json.loads(raw), source) for _, raw, source in rows])
            frame["release_key"] = [key for key, _, _ in rows]  # the key stays: ids and hashes did not change
            with registered(con, "_reflattened", frame):
                con.execute(f"UPDATE releases SET {', '.join(f'{c} = f.{c}' for c in cols + ['content_sha1'])} "
                            f"FROM {_keyed('_reflattened')} f WHERE releases.release_key = f.release_key")
            done += len(rows)
    finally:
        reader.close()
    without = con.execute("SELECT count(*) FROM releases WHERE raw_json IS NULL").fetchall()[0][0]
    set_meta(con, FLATTEN_KEY, FLATTEN_VERSION)
    return {"reflattened": done, "stale_without_raw": int(without)}


def get_meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    rows = con.execute("SELECT value FROM store_meta WHERE key = ?", [key]).fetchall()
    return rows[0][0] if rows else None


def set_meta(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    con.execute("INSERT OR REPLACE INTO store_meta VALUES (?, ?)", [key, value])


@contextlib.contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, data) -> Iterator[str]:
    """`data` (a DataFrame or an Arrow table) readable by SQL as `name` inside the block; unregistered after it,
    also when a statement fails, so a later statement never reads a stale frame under that name."""
    con.register(name, data)
    try:
        yield name
    finally:
        con.unregister(name)


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def release_row(rel: dict, source: str) -> dict:
    """One release → a store row dict (notice columns + raw JSON); the content key is computed in SQL when the row
    is written (`content_key_sql`)."""
    row = flatten_release(rel, source)
    row["raw_json"] = content_json(rel)  # never officers' contact details (svdash.privacy)
    return row


def release_rows(releases: list[dict], source: str) -> pd.DataFrame:
    """Releases → store rows (notice frame + raw JSON)."""
    return _rows_frame([release_row(rel, source) for rel in releases])


def _rows_frame(rows: list[dict]) -> pd.DataFrame:
    frame = notices_frame(rows)
    frame["raw_json"] = pd.Series([r["raw_json"] for r in rows], dtype="string")
    frame["imported_at"] = pd.Timestamp(now_utc())
    # Within one batch the last copy of a key wins, as it would in sequential upserts.
    return frame.drop_duplicates("release_key", keep="last").reset_index(drop=True)


def _keyed(relation: str) -> str:
    """`relation`'s rows with the content key computed (a subquery; relation names are this module's own)."""
    return f"(SELECT *, {content_key_sql()} AS content_sha1 FROM {relation})"


def _count_and_drop_changed(con: duckdb.DuckDBPyConnection, incoming: str) -> tuple[int, int, int]:
    """Counts (total, new, updated) of the distinct incoming keys against `releases`, then deletes the stored
    rows whose content changed, so the caller's insert-where-absent replaces them. `incoming` is one of this
    module's own relation names (release_key, content_sha1), never user input."""
    total, new, updated = con.execute(
        f"""SELECT count(*), count(*) FILTER (WHERE r.release_key IS NULL),
                   count(*) FILTER (WHERE r.release_key IS NOT NULL AND r.content_sha1 <> i.content_sha1)
            FROM {incoming} i LEFT JOIN releases r USING (release_key)""").fetchone()
    con.execute(f"""DELETE FROM releases WHERE release_key IN (
                        SELECT i.release_key FROM {incoming} i JOIN releases r USING (release_key)
                        WHERE r.content_sha1 <> i.content_sha1)""")
    return int(total), int(new), int(updated)


def write_batch(con: duckdb.DuckDBPyConnection, releases: list[dict], source: str) -> dict[str, int]:
    """Upsert releases by release_key: new keys inserted, changed content replaced, identical skipped.
    Call inside `transaction(con)`. Returns counts new/updated/unchanged."""
    if not releases:
        return {"new": 0, "updated": 0, "unchanged": 0}
    frame = release_rows(releases, source)
    with registered(con, "_incoming_frame", frame):
        con.execute(f"CREATE OR REPLACE TEMP TABLE incoming_releases AS SELECT * FROM {_keyed('_incoming_frame')}")
        _, new, updated = _count_and_drop_changed(con, "incoming_releases")
        cols = ", ".join(STORE_COLUMNS)
        con.execute(f"""INSERT INTO releases ({cols})
                        SELECT {cols} FROM incoming_releases i
                        WHERE NOT EXISTS (SELECT 1 FROM releases r WHERE r.release_key = i.release_key)""")
        con.execute("DROP TABLE incoming_releases")
    return {"new": int(new), "updated": int(updated), "unchanged": len(frame) - int(new) - int(updated)}


def set_memory_limit(con: duckdb.DuckDBPyConnection, limit: str | None) -> str | None:
    """Set DuckDB's memory limit (None leaves it); returns the previous value so callers can restore it."""
    if limit is None:
        return None
    previous = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    if not re.fullmatch(r"[0-9.]+ ?[A-Za-z]+", limit):  # SET takes no bound parameters: allow sizes only
        raise ValueError(f"not a memory size: {limit!r}")
    con.execute(f"SET memory_limit = '{limit}'")
    return previous


def clear_staging(con: duckdb.DuckDBPyConnection) -> None:
    """Drop rows a killed import left behind (one writer per store: DuckDB locks the file)."""
    con.execute("DELETE FROM import_staging")


def stage_rows(con: duckdb.DuckDBPyConnection, rows: list[dict], seq0: int) -> None:
    """Append store rows (from `release_row`) to import_staging, autocommitted; `seq` keeps file order."""
    if not rows:
        return
    frame = _rows_frame(rows).reset_index(drop=True)
    frame.insert(0, "seq", range(seq0, seq0 + len(frame)))
    with registered(con, "staged_rows", frame):
        con.execute(f"INSERT INTO import_staging (seq, {', '.join(STORE_COLUMNS)}) "
                    f"SELECT seq, {', '.join(STORE_COLUMNS)} FROM {_keyed('staged_rows')}")


def commit_staged(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Upsert the staged rows into releases (last copy of a key in file order wins), then empty the stage.
    Call inside `transaction(con)`. Returns counts new/updated/unchanged over the distinct keys."""
    # Only keys and hashes are materialised; the wide rows stream from the stage into releases.
    con.execute("""CREATE OR REPLACE TEMP TABLE staged_last AS
                   SELECT release_key, max(seq) AS seq, arg_max(content_sha1, seq) AS content_sha1
                   FROM import_staging GROUP BY release_key""")
    total, new, updated = _count_and_drop_changed(con, "staged_last")
    cols = ", ".join(STORE_COLUMNS)
    con.execute(f"""INSERT INTO releases ({cols})
                    SELECT {', '.join('s.' + c for c in STORE_COLUMNS)}
                    FROM import_staging s JOIN staged_last l ON s.release_key = l.release_key AND s.seq = l.seq
                    WHERE NOT EXISTS (SELECT 1 FROM releases r WHERE r.release_key = s.release_key)""")
    con.execute("DELETE FROM import_staging")
    con.execute("DROP TABLE staged_last")  # on failure the transaction rolls back and the next call replaces it
    return {"new": int(new), "updated": int(updated), "unchanged": int(total) - int(new) - int(updated)}


def replace_rejects(con: duckdb.DuckDBPyConnection, source: str, rejects: list[dict]) -> None:
    """A file's rejects replace that file's earlier rejects, so re-importing it does not duplicate them."""
    con.execute("DELETE FROM rejects WHERE source = ?", [source])
    add_rejects(con, source, rejects)


def add_rejects(con: duckdb.DuckDBPyConnection, source: str, rejects: list[dict]) -> None:
    stamp = now_utc()
    for rej in rejects:
        con.execute("DELETE FROM rejects WHERE source = ? AND position = ? AND reason = ?",
                    [source, rej["position"], rej["reason"]])
        con.execute("INSERT INTO rejects VALUES (?, ?, ?, ?, ?)",
                    [source, rej["position"], rej["reason"], rej.get("excerpt", ""), stamp])


def record_file(con: duckdb.DuckDBPyConnection, summary: dict) -> None:
    con.execute("DELETE FROM import_files WHERE source = ?", [summary["source"]])
    con.execute("INSERT INTO import_files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [summary["source"], summary["format"], summary["encoding"], summary["encoding_note"],
                 summary["items"], summary["new"], summary["updated"], summary["unchanged"],
                 summary["rejected"], now_utc()])


def load_notices(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The notice frame of every stored release (one row per release_key), ordered by date then key."""
    frame = con.execute(f"SELECT {', '.join(NOTICE_COLUMNS)} FROM releases ORDER BY date, release_key").df()
    for col in NOTICE_COLUMNS:
        if col not in ("date", "value_gbp"):
            frame[col] = frame[col].fillna("").astype("string")
    frame["date"] = pd.to_datetime(frame["date"])
    frame["value_gbp"] = frame["value_gbp"].astype("float64")
    return frame


def release_keys(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    return set(con.execute("SELECT release_key, content_sha1 FROM releases").fetchall())


def latest_date(con: duckdb.DuckDBPyConnection, source: str | None = None) -> pd.Timestamp | None:
    if source is None:
        value = con.execute("SELECT max(date) FROM releases").fetchone()[0]
    else:
        value = con.execute("SELECT max(date) FROM releases WHERE source = ?", [source]).fetchone()[0]
    return pd.Timestamp(value) if value is not None else None


# ---------------------------------------------------------------- checkpoints

def get_checkpoint(con: duckdb.DuckDBPyConnection, source: str) -> dict | None:
    cur = con.execute("SELECT * FROM ingest_checkpoints WHERE source = ?", [source])
    row = cur.fetchone()
    if row is None:
        return None
    out = dict(zip([d[0] for d in cur.description], row))
    out["seen_urls"] = json.loads(out["seen_urls"] or "[]")
    return out


def save_checkpoint(con: duckdb.DuckDBPyConnection, checkpoint: dict) -> None:
    values = dict(checkpoint, seen_urls=json.dumps(checkpoint.get("seen_urls", [])), updated_at=now_utc())
    cols = ["source", "status", "window_from", "window_to", "current_from", "next_url", "seen_urls", "pages",
            "releases", "new", "updated", "rejected", "updated_at"]
    con.execute("DELETE FROM ingest_checkpoints WHERE source = ?", [values["source"]])
    con.execute(f"INSERT INTO ingest_checkpoints ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                [values.get(c) for c in cols])


# ---------------------------------------------------------------- stats

def table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    # fetchall, not fetchone: duckdb 2 keeps a half-read result open and refuses the next statement
    rows = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchall()
    return bool(rows[0][0])


def stats(con: duckdb.DuckDBPyConnection) -> dict:
    """The `svdash stats` object (../shared/DESIGN.md). Fields later steps compute read `notice_facts` /
    `unmatched_buyers` when `build` has written them, else 0."""
    releases, ocids, last = con.execute("SELECT count(*), count(DISTINCT ocid), max(date) FROM releases").fetchone()
    out = {"releases": int(releases), "ocids": int(ocids),
           "rejects": int(con.execute("SELECT count(*) FROM rejects").fetchone()[0]),
           "council_buyers": 0, "other_buyers": 0, "unmatched_buyers": 0,
           "classified": 0, "applied": 0, "dismissed": 0,
           "latest_date": last.strftime("%Y-%m-%d") if last is not None else ""}
    if table_exists(con, "notice_facts"):
        cols = {r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'notice_facts'").fetchall()}
        if {"buyer_kind", "buyer_name"} <= cols:
            council, other = con.execute(
                """SELECT count(DISTINCT buyer_name) FILTER (WHERE buyer_kind = 'council'),
                          count(DISTINCT buyer_name) FILTER (WHERE buyer_kind <> 'council')
                   FROM notice_facts""").fetchone()
            out["council_buyers"], out["other_buyers"] = int(council or 0), int(other or 0)
        if "sv_status" in cols:
            classified, applied, dismissed = con.execute(
                """SELECT count(*) FILTER (WHERE sv_status IS NOT NULL),
                          count(*) FILTER (WHERE sv_status = 'applied'),
                          count(*) FILTER (WHERE sv_status = 'dismissed') FROM notice_facts""").fetchone()
            out.update(classified=int(classified), applied=int(applied), dismissed=int(dismissed))
    if table_exists(con, "unmatched_buyers"):
        out["unmatched_buyers"] = int(con.execute("SELECT count(*) FROM unmatched_buyers").fetchone()[0])
    return out


# ---------------------------------------------------------------- classifications and the native import

CLASSIFICATION_COLUMNS = ["sv_status", "evidence", "weighting_pct", "themes", "criteria_visible", "rules_version",
                          "combined_weighting_pct"]


def replace_classifications(con: duckdb.DuckDBPyConnection, relation: str, keys: str,
                            params: list | None = None) -> None:
    """Replace the classifications of the release_keys in `keys` by the rows of `relation` (release_key,
    content_sha1 + CLASSIFICATION_COLUMNS). Both are this module's or pipeline's own relation expressions,
    never user input; `params` binds the relation's placeholders. Call inside a transaction: delete and
    insert together keep one row per key."""
    cols = ", ".join(["release_key", "content_sha1"] + CLASSIFICATION_COLUMNS)
    con.execute(f"DELETE FROM classifications WHERE release_key IN (SELECT release_key FROM {keys})")
    con.execute(f"INSERT INTO classifications ({cols}) SELECT {cols} FROM {relation}", params or [])


def next_stamp(con: duckdb.DuckDBPyConnection) -> datetime:
    """An import's `imported_at`: now, and later than every stored row (the native import marks its rows with
    stamp + their position in the file, in microseconds)."""
    latest = con.execute("SELECT max(imported_at) FROM releases").fetchall()[0][0]
    now = now_utc()
    return max(now, latest + timedelta(microseconds=1)) if latest is not None else now


def settle_import(con: duckdb.DuckDBPyConnection, stamp: datetime) -> dict[str, int]:
    """Upsert one file's rows, written into `releases` with imported_at = stamp + their position in the file (µs),
    like `commit_staged`: the last copy of a key in the file wins; a key stored before with the same content key
    keeps its stored row (unchanged), with another content key its stored row is replaced (updated). Call inside
    `transaction(con)`. Returns counts new/updated/unchanged over the distinct keys."""
    con.execute("""CREATE OR REPLACE TEMP TABLE _import_keys AS
        SELECT n.release_key, n.content_sha1, n.last_at, n.copies, o.content_sha1 AS old_sha1
        FROM (SELECT release_key, arg_max(content_sha1, imported_at) AS content_sha1, max(imported_at) AS last_at,
                     count(*) AS copies
              FROM releases WHERE imported_at >= ? GROUP BY release_key) n
        LEFT JOIN (SELECT release_key, content_sha1 FROM releases WHERE imported_at < ?) o USING (release_key)""",
                [stamp, stamp])
    total, new, updated, repeated = con.execute(
        """SELECT count(*), count(*) FILTER (WHERE old_sha1 IS NULL),
                  count(*) FILTER (WHERE old_sha1 <> content_sha1), count(*) FILTER (WHERE copies > 1)
           FROM _import_keys""").fetchall()[0]
    if repeated:  # earlier copies of a key in the same file
        con.execute("""DELETE FROM releases WHERE imported_at >= ? AND EXISTS (SELECT 1 FROM _import_keys k
                       WHERE k.copies > 1 AND k.release_key = releases.release_key
                         AND releases.imported_at < k.last_at)""", [stamp])
    if total - new - updated:  # unchanged: the stored row stays as it was
        con.execute("""DELETE FROM releases WHERE imported_at >= ? AND release_key IN (
                       SELECT release_key FROM _import_keys WHERE old_sha1 = content_sha1)""", [stamp])
    if updated:
        con.execute("""DELETE FROM releases WHERE imported_at < ? AND release_key IN (
                       SELECT release_key FROM _import_keys WHERE old_sha1 <> content_sha1)""", [stamp])
    con.execute("DROP TABLE _import_keys")
    return {"new": int(new), "updated": int(updated), "unchanged": int(total) - int(new) - int(updated)}


def store_path(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The database file of `con` (None for an in-memory store)."""
    row = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    return Path(row[0]) if row and row[0] else None
