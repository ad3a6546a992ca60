"""Stores written by an older svdash: columns added on open, releases flattened again by `build`, and the
default (snapshot-only) store rebuilt when the embedded snapshot or the rules change — never a store the
user imported more into."""
from __future__ import annotations

import shutil

import duckdb

from svdash import pipeline, store
from svdash.sources.files import import_file
from svdash.sources.ocds import FLATTEN_VERSION

OLD_RELEASES = """CREATE TABLE releases (
    release_key VARCHAR NOT NULL, ocid VARCHAR NOT NULL, release_id VARCHAR, date TIMESTAMP,
    tags VARCHAR, buyer_name VARCHAR, buyer_id VARCHAR, buyer_postcode VARCHAR, buyer_locality VARCHAR,
    title VARCHAR, description VARCHAR, award_criteria_json VARCHAR, value_gbp DOUBLE, notice_url VARCHAR,
    source VARCHAR, raw_json VARCHAR, content_sha1 VARCHAR, imported_at TIMESTAMP)"""


def test_an_old_store_gets_the_new_columns_and_is_flattened_again(tmp_path, fixtures_dir):
    fresh = store.open_store(tmp_path / "fresh.duckdb")
    import_file(fresh, fixtures_dir / "fts_criteria" / "fts_criteria_releases.json")
    want = fresh.execute("SELECT release_key, description, notice_type, legal_basis FROM releases ORDER BY 1").fetchall()
    assert store.get_meta(fresh, store.FLATTEN_KEY) == FLATTEN_VERSION
    # an "old" store: the same rows in the table layout of the first stores, old text, no meta table
    fresh.execute(f"ATTACH '{tmp_path / 'old.duckdb'}' AS old")
    fresh.execute(OLD_RELEASES.replace("TABLE releases", "TABLE old.releases"))
    fresh.execute("INSERT INTO old.releases SELECT * EXCLUDE (notice_type, legal_basis) FROM releases")
    fresh.execute("UPDATE old.releases SET description = 'flattened by an older svdash'")
    fresh.close()

    con = store.open_store(tmp_path / "old.duckdb")
    assert con.execute("SELECT count(*) FROM releases WHERE notice_type IS NULL").fetchone()[0] == len(want)
    counts = pipeline.build(con)
    assert counts["reflattened"] == len(want) and counts["stale_without_raw"] == 0
    got = con.execute("SELECT release_key, description, notice_type, legal_basis FROM releases ORDER BY 1").fetchall()
    assert got == want
    assert con.execute("SELECT count(*) FROM notice_facts WHERE notice_type = 'UK4'").fetchone()[0] == 6
    assert "reflattened" not in pipeline.build(con)  # current now: nothing redone
    con.close()


def _snapshot(tmp_path, fixtures_dir):
    notices = tmp_path / "notices" / "fts"
    notices.mkdir(parents=True)
    shutil.copy(fixtures_dir / "fts_criteria" / "fts_criteria_releases.json", notices / "a.json")
    return tmp_path / "notices"


def test_a_snapshot_store_is_rebuilt_when_the_snapshot_changes(tmp_path, fixtures_dir):
    notices = _snapshot(tmp_path, fixtures_dir)
    db = tmp_path / "svdash.duckdb"
    assert pipeline.ensure_store(db, notices) is True
    assert pipeline.ensure_store(db, notices) is False  # unchanged: kept
    shutil.copy(fixtures_dir / "real_releases_excerpt.json", notices / "fts" / "b.json")
    assert pipeline.ensure_store(db, notices) is True   # a new embedded file: rebuilt with it
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(DISTINCT source) FROM import_files").fetchone()[0] == 2
    con.close()


def test_a_store_with_the_users_own_imports_is_never_replaced(tmp_path, fixtures_dir):
    notices = _snapshot(tmp_path, fixtures_dir)
    db = tmp_path / "svdash.duckdb"
    pipeline.ensure_store(db, notices)
    con = store.open_store(db)
    import_file(con, fixtures_dir / "real_releases_excerpt.json")  # the user's own file
    n = con.execute("SELECT count(*) FROM releases").fetchone()[0]
    con.close()
    shutil.copy(fixtures_dir / "ingest" / "cf_search_package_excerpt.json", notices / "fts" / "c.json")
    assert pipeline.ensure_store(db, notices) is False
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM releases").fetchone()[0] == n
    con.close()
