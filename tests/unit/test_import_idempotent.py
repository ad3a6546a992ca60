"""Importing the same files again changes nothing, on every path: releases without an OCDS `id` (Public Contracts
Scotland, Sell2Wales) are keyed by their content without officers' contact points, so the published copy (with
them) and the embedded one (without) are one release; the store keeps no contact point. A release published
again with the same ocid + id and changed content replaces its earlier version; an id-less release that changes
is another release (docs/ARCHITECTURE.md, "Store"). Stores written with the old keys are re-keyed on open."""
from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

import pytest

from svdash import pipeline, store
from svdash.sources.files import ImportFormatError, import_file
from svdash.sources.ocds import canonical_json, release_key

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CONTACT = {"name": "CONSTRUCTED Officer", "email": "constructed@example.invalid", "telephone": "+44 0000 000000"}


def _snapshot(con) -> tuple[list, dict]:
    """The whole releases table (every column, imported_at included) and the other tables' counts."""
    rows = con.execute("SELECT * FROM releases ORDER BY release_key").fetchall()
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
              for t in ("releases", "rejects", "import_files", "classifications")}
    return rows, counts


def _import_all(con, paths: list[Path], native: bool = False) -> dict[str, dict]:
    out = {}
    for path in paths:
        try:
            out[str(path)] = import_file(con, path, native_min_bytes=0 if native else None)
        except ImportFormatError as exc:
            out[str(path)] = {"refused": str(exc)}
    return out


def _no_contacts(con) -> None:
    assert con.execute("""SELECT count(*) FROM releases WHERE raw_json LIKE '%contactPoint%'
                          OR raw_json LIKE '%additionalContactPoints%'""").fetchall()[0][0] == 0


@pytest.mark.shared
def test_every_staged_file_twice_into_the_snapshot_store_changes_nothing(tmp_path, shared_data):
    db = tmp_path / "snap.duckdb"
    pipeline.ensure_store(db)  # the embedded snapshot: copies of the staged files without contact points
    con = store.open_store(db)
    try:
        snapshot_rows, _ = _snapshot(con)
        staged = sorted(p for p in (shared_data / "notices").rglob("*") if p.is_file())
        first = _import_all(con, staged)
        imported = {k: v for k, v in first.items() if "refused" not in v}
        assert len(imported) == 17  # every OCDS file staged; the rest (CSV labels, headers, notes) are refused
        assert sum(v["new"] for v in imported.values()) == 0  # the published copies are the embedded releases
        assert sum(v["updated"] for v in imported.values()) == 0
        after_first, counts_first = _snapshot(con)
        assert [r[0] for r in after_first] == [r[0] for r in snapshot_rows]
        second = _import_all(con, staged)
        assert {k: v.get("unchanged") for k, v in second.items()} == {k: v.get("items") for k, v in second.items()}
        assert _snapshot(con) == (after_first, counts_first)
        _no_contacts(con)
    finally:
        con.close()


@pytest.mark.parametrize("native", [False, True], ids=["streaming", "native"])
def test_every_fixture_file_twice_changes_nothing(tmp_path, native):
    files = sorted(p for p in FIXTURES.rglob("*") if p.is_file() and p.suffix in (".json", ".csv", ".jsonl"))
    con = store.open_store(tmp_path / "fx.duckdb")
    try:
        first = _import_all(con, files, native)
        assert sum(v.get("new", 0) for v in first.values()) > 0
        before = _snapshot(con)
        second = _import_all(con, files, native)
        assert all(v.get("new", 0) == 0 and v.get("updated", 0) == 0 for v in second.values())
        assert _snapshot(con) == before
        _no_contacts(con)
    finally:
        con.close()


def _idless_release() -> dict:
    package = json.loads((FIXTURES / "real_releases_excerpt.json").read_text(encoding="utf-8"))
    return next(r for r in package["releases"] if "id" not in r)


def _write(tmp_path: Path, name: str, releases: list[dict]) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"releases": releases}), encoding="utf-8")
    return path


@pytest.mark.parametrize("native", [False, True], ids=["streaming", "native"])
def test_idless_release_with_and_without_contact_points_is_one_row_without_them(tmp_path, native):
    bare = _idless_release()
    published = copy.deepcopy(bare)
    published.setdefault("buyer", {})["contactPoint"] = CONTACT  # CONSTRUCTED contact, as publishers add them
    for p in published.get("parties", []):
        p["contactPoint"] = CONTACT
    con = store.open_store(tmp_path / "c.duckdb")
    try:
        a = import_file(con, _write(tmp_path, "bare.json", [bare]), native_min_bytes=0 if native else None)
        b = import_file(con, _write(tmp_path, "published.json", [published]), native_min_bytes=0 if native else None)
        assert (a["new"], b["new"], b["unchanged"]) == (1, 0, 1)
        assert con.execute("SELECT count(*) FROM releases").fetchall()[0][0] == 1
        _no_contacts(con)
    finally:
        con.close()


def test_correction_with_the_same_id_replaces_and_a_changed_idless_copy_is_another_release(tmp_path):
    package = json.loads((FIXTURES / "real_releases_excerpt.json").read_text(encoding="utf-8"))
    with_id = next(r for r in package["releases"] if r.get("id"))
    corrected = copy.deepcopy(with_id)
    corrected.setdefault("tender", {})["title"] = "CONSTRUCTED corrected title"
    con = store.open_store(tmp_path / "k.duckdb")
    try:
        import_file(con, _write(tmp_path, "v1.json", [with_id]))
        summary = import_file(con, _write(tmp_path, "v2.json", [corrected]))
        assert (summary["new"], summary["updated"]) == (0, 1)
        rows = con.execute("SELECT title FROM releases WHERE release_key = ?", [release_key(with_id)]).fetchall()
        assert rows == [("CONSTRUCTED corrected title",)]
        bare = _idless_release()
        changed = copy.deepcopy(bare)
        changed["date"] = "2099-01-01T00:00:00Z"  # CONSTRUCTED: a later copy of the same id-less notice
        import_file(con, _write(tmp_path, "i1.json", [bare]))
        import_file(con, _write(tmp_path, "i2.json", [changed]))
        keys = con.execute("SELECT count(*) FROM releases WHERE ocid = ?", [bare["ocid"]]).fetchall()[0][0]
        latest = con.execute("SELECT date, n_releases FROM compiled_releases WHERE ocid = ?", [bare["ocid"]]).fetchall()
        assert keys == 2 and str(latest[0][0]).startswith("2099-01-01") and latest[0][1] == 2
    finally:
        con.close()


def test_store_with_the_old_keys_is_rekeyed_on_open(tmp_path):
    """A store written before the key change held the published id-less copy (contact points in its raw JSON,
    keyed by their hash) beside the embedded copy: `ensure_store` re-keys it — one row remains, without contact
    points, one classification per release — and builds its facts again."""
    db = tmp_path / "old.duckdb"
    bare = _idless_release()
    published = copy.deepcopy(bare)
    published.setdefault("buyer", {})["contactPoint"] = CONTACT
    con = store.open_store(db)
    import_file(con, _write(tmp_path, "bare.json", [bare]))
    import_file(con, FIXTURES / "real_releases_excerpt.json")
    new_key = release_key(bare)
    old_key = f"{bare['ocid']}/sha1:{hashlib.sha1(canonical_json(published).encode()).hexdigest()[:16]}"
    con.execute("""INSERT INTO releases SELECT * REPLACE (? AS release_key, ? AS raw_json,
                   imported_at + INTERVAL 1 SECOND AS imported_at) FROM releases WHERE release_key = ?""",
                [old_key, canonical_json(published), new_key])
    pipeline.build(con)  # the old store's facts count the copy twice
    store.set_meta(con, store.KEY_VERSION_KEY, "1")
    total = con.execute("SELECT count(*) FROM releases").fetchall()[0][0]
    assert con.execute("SELECT count(*) FROM notice_facts").fetchall()[0][0] == total
    con.close()
    assert pipeline.ensure_store(db)  # what the dashboard and every command call first: re-keys, then builds
    con = store.open_store(db)
    try:
        assert con.execute("SELECT count(*) FROM releases").fetchall()[0][0] == total - 1
        assert con.execute("SELECT count(*) FROM notice_facts").fetchall()[0][0] == total - 1
        assert con.execute("SELECT count(*) FROM releases WHERE release_key = ?", [new_key]).fetchall()[0][0] == 1
        assert con.execute("SELECT count(*), count(DISTINCT release_key) FROM classifications").fetchall() == [
            (total - 1, total - 1)]
        assert store.get_meta(con, store.KEY_VERSION_KEY) == "2"
        _no_contacts(con)
    finally:
        con.close()
