"""Snapshots: a store's content as Parquet files plus `manifest.json`, exported on one machine and imported on another.

`export_snapshot(con, out_dir)` writes one Parquet file per table a dashboard (or a later incremental build) needs —
releases without their raw JSON (the only place contact points live), classifications, the facts, buyers, adoption
records and the aggregates — and a manifest with the schema version, rules/measures/flatten versions, the coverage
dates, row counts and the sha256 of every file. `import_snapshot(source, db_path)` reads a directory or an http(s)
URL of one, checks the manifest and every file's checksum before anything is written, loads the tables into a new
store next to the target and swaps it in with `os.replace`: on any refusal the store at `db_path` is untouched.
The Parquet files are plain tables (DuckDB, pandas, Spark read them).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from svdash import __version__, store

FORMAT = "svdash-snapshot"
SCHEMA_VERSION = 1
MANIFEST = "manifest.json"
# table → the SELECT list exported; releases lose raw_json (the published JSON, with officers' contact points);
# `source` keeps the file's name, not the exporting machine's folders (a home directory names its user)
_SOURCE = r"regexp_replace(source, '^.*[/\\]', '') AS source"
TABLES = {
    "releases": f"* EXCLUDE (raw_json) REPLACE ({_SOURCE})",
    "classifications": "*",
    "notice_facts": f"* REPLACE ({_SOURCE})",
    "procurement_facts": f"* REPLACE ({_SOURCE})",
    "unmatched_buyers": "*",
    "build_buyers": "*",
    "adoption_records": "*",
    "adoption_summary": "*",
    "measure_values": "*",
    "measure_counts": "*",
    "measure_weights": "*",
    "build_info": "*",
}
REQUIRED = ("releases", "notice_facts", "procurement_facts", "measure_values", "build_info")
# store_meta entries a snapshot carries (the fingerprint of an embedded-snapshot store does not apply elsewhere)
META_KEYS = ("flatten_version", "release_key_version", "build_watermark", "build_release_key_version",
             "build_measure_inputs")
CHUNK = 1 << 20


class SnapshotError(Exception):
    """A snapshot that cannot be exported or is refused on import: one line saying why."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _meta_value(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    return store.get_meta(con, key) if store.table_exists(con, "store_meta") else None


def export_snapshot(con: duckdb.DuckDBPyConnection, out_dir: str | Path) -> dict:
    """Write the snapshot of the store `con` into `out_dir` (an earlier snapshot there is replaced whole).
    Returns the manifest. The files are written into a new folder beside `out_dir`, which then takes its place,
    so a web server publishing `out_dir` never serves a mix of two snapshots (a download during the swap
    finds no manifest, or one whose checksums refuse the mix, and the importing store stays as it was)."""
    missing = [t for t in REQUIRED if not store.table_exists(con, t)]
    if missing:
        raise SnapshotError(f"the store has no {', '.join(missing)} (run `svdash build` first)")
    final = Path(out_dir)
    _check_replaceable(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    out = Path(tempfile.mkdtemp(prefix=f".{final.name}.new-", dir=final.parent))
    try:
        manifest = _write_snapshot(con, out)
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)
        raise
    os.chmod(out, 0o755)  # mkdtemp makes it private; a web server must read it
    old = None
    if final.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{final.name}.old-", dir=final.parent))
        os.replace(final, old / final.name)
    os.replace(out, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return manifest


def _check_replaceable(final: Path) -> None:
    """`final` may be replaced whole only when it is missing, empty or a snapshot of ours (a manifest and the
    files a snapshot writes): a folder with anything else is refused, never moved away."""
    if not final.exists():
        return
    if not final.is_dir():
        raise SnapshotError(f"{final} exists and is not a folder")
    ours = {MANIFEST, "store_meta.json", *(f"{name}.parquet" for name in TABLES)}
    names = {p.name for p in final.iterdir()}
    if names and (MANIFEST not in names or not names <= ours):
        raise SnapshotError(f"{final} holds other files than a snapshot; choose a new or empty folder")


def _write_snapshot(con: duckdb.DuckDBPyConnection, out: Path) -> dict:
    tables = {}
    for name, cols in TABLES.items():
        if not store.table_exists(con, name):
            continue
        path = out / f"{name}.parquet"
        # the path is ours (out_dir + a constant name); quotes doubled for SQL
        con.execute(f"COPY (SELECT {cols} FROM {name}) TO '{str(path).replace(chr(39), chr(39) * 2)}' "
                    "(FORMAT parquet, COMPRESSION zstd)")
        rows = int(con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0])
        tables[name] = {"file": path.name, "rows": rows, "bytes": path.stat().st_size, "sha256": sha256_file(path)}
    meta = {k: v for k in META_KEYS if (v := _meta_value(con, k)) is not None}
    with open(out / "store_meta.json", "w", encoding="utf-8") as fh:
        json.dump(meta, fh, indent=1, sort_keys=True)
    info = con.execute("SELECT rules_version, measures_version FROM build_info").fetchall()
    first, last = con.execute("SELECT strftime(min(date), '%Y-%m-%d'), strftime(max(date), '%Y-%m-%d') "
                              "FROM notice_facts").fetchall()[0]
    manifest = {
        "format": FORMAT, "schema_version": SCHEMA_VERSION, "svdash_version": __version__,
        "created_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "rules_version": info[0][0] if info else "", "measures_version": info[0][1] if info else "",
        "flatten_version": meta.get("flatten_version", ""),
        "coverage": {"first_notice_date": first or "", "last_notice_date": last or ""},
        "store_meta": {"file": "store_meta.json", "sha256": sha256_file(out / "store_meta.json")},
        "tables": tables,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


# ------------------------------------------------------------------------------------------------ import

def _is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def _fetch(url: str, dest: Path, timeout: float = 60) -> None:
    """Download `url` into `dest`; a cut-off body (fewer bytes than Content-Length) is refused."""
    import requests

    try:
        with requests.get(url, stream=True, timeout=timeout) as resp:
            if resp.status_code != 200:
                raise SnapshotError(f"{url}: HTTP {resp.status_code}")
            expected = resp.headers.get("Content-Length")
            got = 0
            with open(dest, "wb") as fh:
                for chunk in resp.iter_content(CHUNK):
                    fh.write(chunk)
                    got += len(chunk)
    except requests.RequestException as exc:
        raise SnapshotError(f"{url}: download failed ({exc.__class__.__name__})") from exc
    if expected is not None and expected.isdigit() and got != int(expected):
        raise SnapshotError(f"{url}: partial download ({got} of {expected} bytes)")


def _manifest(text: str, where: str) -> dict:
    try:
        manifest = json.loads(text)
    except ValueError as exc:
        raise SnapshotError(f"{where}: not a snapshot manifest (invalid JSON)") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise SnapshotError(f"{where}: not an svdash snapshot manifest")
    if manifest.get("schema_version") != SCHEMA_VERSION:
        raise SnapshotError(f"{where}: snapshot schema version {manifest.get('schema_version')!r}, this svdash "
                            f"reads version {SCHEMA_VERSION}")
    tables = manifest.get("tables")
    if not isinstance(tables, dict) or any(t not in tables for t in REQUIRED):
        raise SnapshotError(f"{where}: the manifest lacks table(s) "
                            f"{', '.join(t for t in REQUIRED if t not in (tables or {}))}")
    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        raise SnapshotError(f"{where}: unknown table(s) in the manifest: {', '.join(unknown)}")
    for name, entry in tables.items():
        if not isinstance(entry, dict) or entry.get("file") != f"{name}.parquet" or not entry.get("sha256"):
            raise SnapshotError(f"{where}: the manifest entry of {name} is malformed")
    return manifest


def _gather(source: str, work: Path) -> tuple[dict, Path]:
    """The manifest and a local directory holding the snapshot's files (downloaded into `work` for a URL),
    each file's sha256 checked against the manifest."""
    if _is_url(source):
        base = source.rstrip("/") + "/"
        _fetch(base + MANIFEST, work / MANIFEST)
        manifest = _manifest((work / MANIFEST).read_text(encoding="utf-8", errors="replace"), base + MANIFEST)
        folder = work
    else:
        folder = Path(source)
        if not (folder / MANIFEST).is_file():
            raise SnapshotError(f"{source}: no {MANIFEST} (not a snapshot directory)")
        manifest = _manifest((folder / MANIFEST).read_text(encoding="utf-8", errors="replace"),
                             str(folder / MANIFEST))
    entries = {name: e for name, e in manifest["tables"].items()}
    meta_entry = manifest.get("store_meta")
    if isinstance(meta_entry, dict):
        entries["store_meta"] = meta_entry
    for name, entry in entries.items():
        path = folder / entry["file"]
        if _is_url(source):
            _fetch(base + entry["file"], path)
        if not path.is_file():
            raise SnapshotError(f"{entry['file']}: missing from the snapshot")
        if sha256_file(path) != entry["sha256"]:
            raise SnapshotError(f"{entry['file']}: checksum differs from the manifest (damaged or changed)")
    return manifest, folder


def _not_being_written(target: Path) -> None:
    """Refuse while another process writes the store (DuckDB's lock): swapping the file under a running build or
    update would lose its work. Readers (a dashboard) do not block: they keep the file they opened."""
    if not target.exists():
        return
    try:
        duckdb.connect(str(target), read_only=True).close()
    except duckdb.Error as exc:
        raise SnapshotError(f"{target} is being written by another process (an update or build?); import the "
                            f"snapshot when it has finished ({str(exc).splitlines()[0][:120]})") from exc


def import_snapshot(source: str, db_path: str | Path) -> dict:
    """Replace the store at `db_path` by the snapshot at `source` (directory or http(s) URL). Everything is
    checked and loaded into a new file first; the store is replaced only when all of it succeeded."""
    target = Path(db_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".snapshot-", dir=target.parent))
    tmp = target.with_name(target.name + ".importing")
    try:
        _not_being_written(target)
        manifest, folder = _gather(source, work)
        for p in (tmp, tmp.with_name(tmp.name + ".wal")):
            p.unlink(missing_ok=True)
        con = store.open_store(tmp)
        try:
            _load(con, manifest, folder)
        finally:
            con.close()
        _not_being_written(target)
        wal = target.with_name(target.name + ".wal")
        if wal.exists():  # the replaced store's write-ahead log must never be replayed onto the new file
            wal.unlink()
        os.replace(tmp, target)  # atomic: readers holding the old file keep reading it
    finally:
        shutil.rmtree(work, ignore_errors=True)
        for p in (tmp, tmp.with_name(tmp.name + ".wal")):
            p.unlink(missing_ok=True)
    return manifest


def _load(con: duckdb.DuckDBPyConnection, manifest: dict, folder: Path) -> None:
    """Load every table of the (checked) snapshot into the new store `con`; row counts must match."""
    for name, entry in manifest["tables"].items():
        path = str(folder / entry["file"]).replace("'", "''")
        try:
            if name in ("releases", "classifications"):  # store tables with their own DDL (raw_json stays NULL)
                con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM read_parquet('{path}')")
            else:
                con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM read_parquet('{path}')")
        except duckdb.Error as exc:
            raise SnapshotError(f"{entry['file']}: cannot be read ({str(exc).splitlines()[0][:160]})") from exc
        rows = int(con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0])
        if rows != entry.get("rows"):
            raise SnapshotError(f"{entry['file']}: {rows} rows, the manifest says {entry.get('rows')}")
    meta_entry = manifest.get("store_meta")
    if isinstance(meta_entry, dict):
        meta = json.loads((folder / meta_entry["file"]).read_text(encoding="utf-8"))
        for key in META_KEYS:
            if isinstance(meta.get(key), str):
                store.set_meta(con, key, meta[key])
    con.execute("CHECKPOINT")
