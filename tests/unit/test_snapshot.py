"""Snapshots: export → serve over a local HTTP server → import into a new path gives the same tables and the same
`svdash stats`; a tampered, missing, wrong-version or cut-off snapshot is refused with one line and the store file
unchanged (hashed before and after); no contact details in any file; Parquet readable by DuckDB and pandas.
Data: real fixture releases (tests/fixtures) and one embedded Find a Tender page, plus one constructed release
whose stored raw JSON carries a made-up contact point, as a store written before imports dropped them would
(to prove it never reaches a snapshot)."""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from svdash import pipeline, snapshot, store
from svdash.cli import main
from svdash.paths import NOTICES_DIR
from svdash.sources.files import import_file
from tests.unit.local_http import LocalServer

CONTACT = {"name": "Jane Constructed-Officer", "email": "jane.officer@example.invalid", "telephone": "01632 960999"}


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def source_store(tmp_path_factory, fixtures_dir) -> Path:
    path = tmp_path_factory.mktemp("src") / "source.duckdb"
    con = store.open_store(path)
    import_file(con, fixtures_dir / "real_releases_excerpt.json")
    import_file(con, NOTICES_DIR / "find_a_tender_2026-08" / "2026-08-11" / "page-005.json")
    release = {"ocid": "ocds-constructed-contact-1", "id": "1", "date": "2026-08-11T09:00:00Z", "tag": ["tender"],
               "buyer": {"name": "Leeds City Council"},
               "parties": [{"name": "Leeds City Council", "roles": ["buyer"], "contactPoint": CONTACT}],
               "tender": {"title": "Constructed release with a contact point", "contactPoint": CONTACT}}
    with store.transaction(con):
        store.write_batch(con, [release], "constructed")
    # imports drop contact points before storing; a store written before they did still holds them in raw_json
    con.execute("UPDATE releases SET raw_json = ? WHERE ocid = ?", [json.dumps(release), release["ocid"]])
    pipeline.build(con)
    con.close()
    return path


@pytest.fixture(scope="module")
def exported(source_store, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("snap") / "snapshot"
    assert main(["snapshot", "export", "--db", str(source_store), "--out", str(out)]) == 0
    return out


class FileServer(LocalServer):
    """Serves a directory; `cut` names a file whose body stops halfway (Content-Length of the whole)."""

    def __init__(self, folder: Path, cut: str | None = None):
        self.folder, self.cut = folder, cut
        self._start_server()

    def handle(self, h) -> None:
        path = self.folder / h.path.lstrip("/").split("/")[-1]
        if not path.is_file():
            h.send_response(404)
            h.end_headers()
            return
        body = path.read_bytes()
        h.send_response(200)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body[: len(body) // 2] if path.name == self.cut else body)
        if path.name == self.cut:
            h.close_connection = True


def _contents(db: Path) -> dict[str, pd.DataFrame]:
    """Every exported table as the snapshot holds it (the export's own SELECT, idempotent on an imported store)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for name, cols in snapshot.TABLES.items():
            frame = con.execute(f"SELECT {cols} FROM {name}").df()
            out[name] = frame.sort_values(list(frame.columns), kind="stable").reset_index(drop=True)
        return out
    finally:
        con.close()


def _stats(db: Path) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return store.stats(con)
    finally:
        con.close()


def test_round_trip_over_http(source_store, exported, tmp_path, capsys):
    target = tmp_path / "laptop" / "svdash.duckdb"
    with FileServer(exported) as server:
        assert main(["snapshot", "import", server.base_url + "/snap/", "--db", str(target)]) == 0
    want, got = _contents(source_store), _contents(target)
    for name in snapshot.TABLES:
        pd.testing.assert_frame_equal(got[name], want[name], obj=name)
    assert _stats(target) == _stats(source_store)
    # the dashboard's start-up keeps it (no rebuild from the embedded snapshot) and reads it
    before = _file_hash(target)
    assert pipeline.ensure_store(target) is False
    assert _file_hash(target) == before
    assert main(["stats", "--db", str(target)]) == 0
    printed = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert main(["stats", "--db", str(source_store)]) == 0
    assert printed == json.loads(capsys.readouterr().out.strip().splitlines()[-1])  # every key, counts.py's too
    # the imported store builds incrementally on from there (its watermark came with it)
    con = store.open_store(target)
    try:
        assert pipeline.build(con)["mode"] == "incremental"
    finally:
        con.close()


def test_manifest_and_parquet(exported):
    manifest = json.loads((exported / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["schema_version"] == snapshot.SCHEMA_VERSION and manifest["format"] == snapshot.FORMAT
    assert manifest["rules_version"] and manifest["measures_version"] and manifest["svdash_version"]
    assert manifest["coverage"]["last_notice_date"] == "2026-08-11" and manifest["created_at"]
    for name, entry in manifest["tables"].items():
        path = exported / entry["file"]
        assert snapshot.sha256_file(path) == entry["sha256"]
        assert len(pd.read_parquet(path)) == entry["rows"]  # pandas (pyarrow)
        assert duckdb.sql(f"SELECT count(*) FROM read_parquet('{path}')").fetchall()[0][0] == entry["rows"]
    assert manifest["tables"]["releases"]["rows"] == manifest["tables"]["notice_facts"]["rows"] > 0


def test_no_contact_details_in_any_file(exported, source_store):
    con = duckdb.connect(str(source_store), read_only=True)
    assert "jane.officer@example.invalid" in con.execute("SELECT string_agg(raw_json, '') FROM releases").fetchone()[0]
    con.close()  # the store keeps the raw JSON; the snapshot must not
    for path in exported.iterdir():
        raw = path.read_bytes()
        for value in CONTACT.values():
            assert value.encode() not in raw, (path.name, value)
        if path.suffix == ".parquet":
            columns = set(pd.read_parquet(path).columns)
            assert not columns & {"raw_json", "contactPoint", "email", "telephone"}, path.name
    releases = pd.read_parquet(exported / "releases.parquet")
    assert "ocds-constructed-contact-1" in set(releases["ocid"])  # the release is there, its contacts are not
    # files are named without the exporting machine's folders (a home directory would name its user)
    assert "real_releases_excerpt.json" in set(releases["source"]) and not releases["source"].str.contains("/").any()


@pytest.mark.parametrize("damage, reason", [
    ("tamper", "checksum differs"),
    ("missing", "missing from the snapshot"),
    ("version", "schema version"),
])
def test_refused_snapshot_leaves_the_store(exported, source_store, tmp_path, capsys, damage, reason):
    bad = tmp_path / "bad"
    shutil.copytree(exported, bad)
    if damage == "tamper":
        data = bytearray((bad / "notice_facts.parquet").read_bytes())
        data[len(data) // 2] ^= 0xFF
        (bad / "notice_facts.parquet").write_bytes(bytes(data))
    elif damage == "missing":
        (bad / "measure_values.parquet").unlink()
    else:
        manifest = json.loads((bad / "manifest.json").read_text(encoding="utf-8"))
        manifest["schema_version"] = snapshot.SCHEMA_VERSION + 1
        (bad / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    target = tmp_path / "live.duckdb"
    shutil.copy(source_store, target)
    before = _file_hash(target)
    assert main(["snapshot", "import", str(bad), "--db", str(target)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and reason in err and "store unchanged" in err
    assert _file_hash(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad", "live.duckdb"]  # no temporary left behind


def test_partial_download_is_refused(exported, source_store, tmp_path, capsys):
    target = tmp_path / "live.duckdb"
    shutil.copy(source_store, target)
    before = _file_hash(target)
    with FileServer(exported, cut="procurement_facts.parquet") as server:
        assert main(["snapshot", "import", server.base_url, "--db", str(target)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "procurement_facts.parquet" in err
    assert _file_hash(target) == before


def test_a_store_being_written_is_not_swapped(exported, source_store, tmp_path):
    target = tmp_path / "live.duckdb"
    shutil.copy(source_store, target)
    # another process holds the store open for writing, as a running `svdash update` or `build` does
    writer = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('open', flush=True); time.sleep(120)", str(target)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "open"
        before = _file_hash(target)
        with pytest.raises(snapshot.SnapshotError, match="being written by another process"):
            snapshot.import_snapshot(str(exported), target)
        assert _file_hash(target) == before
    finally:
        writer.kill()
        writer.wait()


def test_export_replaces_an_earlier_snapshot_whole_and_refuses_other_folders(source_store, exported, tmp_path,
                                                                               capsys):
    """Tried: exporting twice into one folder (the daily cron), and into a folder that holds someone's files."""
    out = tmp_path / "published"
    assert main(["snapshot", "export", "--db", str(source_store), "--out", str(out)]) == 0
    (out / "notice_facts.parquet").write_bytes(b"stale")  # what a half-finished in-place rewrite would leave
    assert main(["snapshot", "export", "--db", str(source_store), "--out", str(out)]) == 0
    manifest = json.loads((out / snapshot.MANIFEST).read_text())
    for entry in manifest["tables"].values():
        assert _file_hash(out / entry["file"]) == entry["sha256"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["published"]  # no temporary folder left beside it

    mine = tmp_path / "my-documents"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    assert main(["snapshot", "export", "--db", str(source_store), "--out", str(mine)]) == 2
    assert "other files than a snapshot" in capsys.readouterr().err
    assert sorted(p.name for p in mine.iterdir()) == ["notes.txt"]
    assert (mine / "notes.txt").read_text() == "keep me"
