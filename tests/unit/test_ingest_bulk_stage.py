"""The bulk import's Parquet stage (svdash.sources.bulk → store.commit_parquet): a key repeated in one file,
also across chunks, is stored once with its last copy; the stage directory next to the store is removed after
an import, after a failed one, and (leftovers of a killed run) at the next import. Data is CONSTRUCTED."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from svdash import store
from svdash.sources import bulk
from svdash.sources.files import import_file


def _line(ocid: str, rid: str, title: str) -> str:
    return json.dumps({"ocid": ocid, "id": rid, "date": "2024-01-02T00:00:00Z", "tag": ["tender"],
                       "tender": {"title": title}})


def _stage_dirs(db: Path) -> list[Path]:
    return sorted(db.parent.glob(f".{db.name}{bulk.STAGE_PREFIX}*"))


@pytest.mark.parametrize("chunk_bytes", [None, 150])
def test_repeated_key_in_one_file_keeps_the_last_copy_once(tmp_path, monkeypatch, chunk_bytes):
    path = tmp_path / "constructed_repeats.jsonl"
    lines = [_line("ocds-c-1", "1", "first"), _line("ocds-c-2", "1", "other"), _line("ocds-c-1", "1", "second"),
             _line("ocds-c-3", "1", "x"), _line("ocds-c-1", "1", "third")]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if chunk_bytes:  # about one line per chunk: the copies sit in different Parquet files
        real = bulk.import_jsonl
        monkeypatch.setattr(bulk, "import_jsonl", lambda *a, **k: real(*a, **{**k, "chunk_bytes": chunk_bytes}))
    db = tmp_path / "r.duckdb"
    con = store.open_store(db)
    summary = import_file(con, path)
    assert (summary["items"], summary["new"], summary["updated"]) == (5, 3, 0)
    rows = con.execute("SELECT release_key, title FROM releases ORDER BY 1").fetchall()
    assert rows == [("ocds-c-1/1", "third"), ("ocds-c-2/1", "other"), ("ocds-c-3/1", "x")]
    again = import_file(con, path)
    assert (again["new"], again["updated"], again["unchanged"]) == (0, 0, 3)
    assert con.execute("SELECT count(*), count(DISTINCT release_key) FROM releases").fetchone() == (3, 3)
    con.close()
    assert _stage_dirs(db) == []


def test_stage_is_removed_after_a_failure_and_leftovers_at_the_next_import(tmp_path, monkeypatch):
    path = tmp_path / "constructed_small.jsonl"
    path.write_text("\n".join(_line(f"ocds-c-{i}", "1", f"t{i}") for i in range(20)) + "\n", encoding="utf-8")
    db = tmp_path / "f.duckdb"
    con = store.open_store(db)
    leftover = db.parent / f".{db.name}{bulk.STAGE_PREFIX}killed"  # what a SIGKILLed import leaves
    leftover.mkdir()
    (leftover / "0000000.parquet").write_bytes(b"partial")

    def failing(*args, **kwargs):
        raise RuntimeError("simulated crash in the upsert")

    with monkeypatch.context() as m:
        m.setattr(store, "commit_parquet", failing)
        with pytest.raises(RuntimeError):
            import_file(con, path)
    assert _stage_dirs(db) == [] and con.execute("SELECT count(*) FROM releases").fetchone()[0] == 0
    assert import_file(con, path)["new"] == 20 and _stage_dirs(db) == []
    con.close()
