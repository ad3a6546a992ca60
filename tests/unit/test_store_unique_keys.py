"""`releases` has no PRIMARY KEY index (it made the bulk commit ≈2× slower): the upserts of every write path
keep release_key unique. Duplicated and changed keys go through the native and the streaming path in turn.
Data: SYNTHETIC (svdash synth) plus constructed duplicate lines."""
from __future__ import annotations

import json

from svdash import store, synth
from svdash.sources import native_import
from svdash.sources.files import import_file


def _unique(con) -> bool:
    n, distinct = con.execute("SELECT count(*), count(DISTINCT release_key) FROM releases").fetchone()
    return n == distinct


def test_keys_stay_unique_across_paths_duplicates_and_changes(tmp_path, monkeypatch):
    monkeypatch.setattr(native_import, "NATIVE_MIN_BYTES", 0)
    path = tmp_path / "synthetic_dupes.jsonl"
    synth.write_jsonl(200, path, seed=11)
    lines = path.read_text(encoding="utf-8").splitlines()
    changed = json.loads(lines[3])
    changed["tender"]["title"] = "Constructed change of a duplicated key"
    # the same key three times in one file (last copy wins), plus an exact duplicate
    path.write_text("\n".join(lines + [lines[3], json.dumps(changed), lines[5]]) + "\n", encoding="utf-8")
    con = store.open_store(tmp_path / "u.duckdb")
    try:
        first = import_file(con, path)                       # native path (JSON Lines)
        assert first["new"] == 200 and _unique(con)
        key = f"{changed['ocid']}/{changed['id']}"
        assert con.execute("SELECT title FROM releases WHERE release_key = ?", [key]).fetchone()[0] == changed["tender"]["title"]
        with monkeypatch.context() as m:                     # the streaming path over the same store
            m.setattr(native_import, "eligible", lambda *a, **k: None)
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            again = import_file(con, path)
        assert (again["new"], again["updated"]) == (0, 1) and _unique(con)
        assert con.execute("SELECT count(*) FROM releases").fetchone()[0] == 200
    finally:
        con.close()
