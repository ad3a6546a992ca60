"""Bulk JSON Lines import (svdash.sources.bulk) is an oracle match of the streaming path: the same notice-frame
rows, the same content hashes, the same rejects with the same line numbers, the same upsert counts, and a
failure mid-file leaves the store as it was. Real releases come from tests/fixtures (and ../shared when
present), re-written as JSON Lines in tmp; the 5k sample is SYNTHETIC (svdash synth)."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from svdash import store, synth
from svdash.sources import bulk, files
from svdash.sources.files import import_file, iter_file, read_notices


def _to_jsonl(paths: list[Path], out: Path) -> Path:
    """Every release the streaming reader takes from `paths`, one per line (real data, new container)."""
    with out.open("w", encoding="utf-8") as fh:
        for path in paths:
            for entry in iter_file(path):
                if isinstance(entry, files.Item):
                    fh.write(json.dumps(entry.release, ensure_ascii=False) + "\n")
    return out


def _import(tmp: Path, path: Path, monkeypatch, fast: bool, name: str, **bulk_kwargs) -> tuple[dict, pd.DataFrame]:
    con = store.open_store(tmp / f"{name}.duckdb")
    try:
        with monkeypatch.context() as m:
            if not fast:
                m.setattr(bulk, "eligible", lambda *a: False)
            elif bulk_kwargs:
                real = bulk.import_jsonl
                m.setattr(bulk, "import_jsonl", lambda *a, **k: real(*a, **{**k, **bulk_kwargs}))
            summary = import_file(con, path)
        frame = store.load_notices(con)
        hashes = dict(con.execute("SELECT release_key, content_sha1 FROM releases").fetchall())
    finally:
        con.close()
    frame.attrs["hashes"] = hashes
    return summary, frame


def _assert_same(tmp: Path, path: Path, monkeypatch, **bulk_kwargs) -> pd.DataFrame:
    fast_summary, fast = _import(tmp, path, monkeypatch, True, "fast", **bulk_kwargs)
    slow_summary, slow = _import(tmp, path, monkeypatch, False, "slow")
    oracle = read_notices([path]).sort_values(["date", "release_key"], na_position="first").reset_index(drop=True)
    pd.testing.assert_frame_equal(fast, slow)
    pd.testing.assert_frame_equal(fast.sort_values(["date", "release_key"], na_position="first")
                                  .reset_index(drop=True), oracle)
    assert fast.attrs["hashes"] == slow.attrs["hashes"]
    for key in ("format", "encoding", "items", "new", "updated", "unchanged", "rejected", "rejects"):
        assert fast_summary[key] == slow_summary[key], key
    return fast


def test_real_fixture_releases_match_the_streaming_path(tmp_path, fixtures_dir, monkeypatch):
    sources = sorted((fixtures_dir / "ingest").glob("*.json")) + [fixtures_dir / "real_releases_excerpt.json"]
    path = _to_jsonl(sources, tmp_path / "real_fixtures.jsonl")
    frame = _assert_same(tmp_path, path, monkeypatch)
    assert len(frame) >= 15
    assert (frame["description"] != "").any() and frame["release_key"].str.contains("/sha1:").any()


@pytest.mark.shared
def test_shared_real_notices_match_the_streaming_path(tmp_path, shared_data, monkeypatch):
    sources = sorted((shared_data / "notices").glob("*/*.json"))
    path = _to_jsonl(sources, tmp_path / "shared_notices.jsonl")
    frame = _assert_same(tmp_path, path, monkeypatch, workers=2, chunk_bytes=256 << 10)
    assert len(frame) > 500


def test_synthetic_5k_in_worker_processes_matches(tmp_path, monkeypatch):
    path = tmp_path / "synthetic_5k.jsonl"
    synth.write_jsonl(5000, path, seed=3)
    frame = _assert_same(tmp_path, path, monkeypatch, workers=2, chunk_bytes=1 << 20)
    assert len(frame) == 5000


def _constructed_lines() -> list[str]:
    """CONSTRUCTED lines: good releases around every kind of bad or unusual line."""
    rel = {"ocid": "ocds-constructed-bulk-1", "id": "r1", "date": "2024-05-01T10:00:00+01:00",
           "tag": ["tender"], "buyer": {"name": "Constructed Council"},
           "tender": {"title": "Constructed", "description": "Social value 10%.", "value": {"amount": 5}}}
    return [json.dumps(rel),
            "",                                              # blank line (skipped, still counted)
            '{"ocid": "ocds-constructed-bulk-2", "id": "r2", ',  # truncated
            json.dumps({"id": "no-ocid"}),
            "[1, 2]",
            json.dumps({"releases": [dict(rel, ocid="ocds-constructed-bulk-3"), 5]}),  # a package on one line
            json.dumps(dict(rel, id=None, ocid="ocds-constructed-bulk-4")),            # no id: sha1 key
            '{"ocid": "ocds-constructed-bulk-5", "id": "r5", "tender": {"value": {"amount": NaN}}}',
            json.dumps({"ocid": "ocds-constructed-bulk-6", "id": "r6", "x": [[[[1]]]] , "deep": "[" * 70}),
            "{" * 80 + "}" * 80,
            json.dumps(dict(rel, tender=dict(rel["tender"], description="changed"))),  # same key again
            json.dumps(dict(rel, ocid="ocds-constructed-bulk-7")) + "\r",             # CRLF ending
            ]


def test_rejects_and_line_numbers_match_across_chunks(tmp_path, monkeypatch):
    path = tmp_path / "constructed_bad_lines.jsonl"
    path.write_text("\n".join(_constructed_lines() * 3) + "\n", encoding="utf-8")
    # 300-byte chunks: nearly every line is its own task, so line numbers cross chunk boundaries
    _assert_same(tmp_path, path, monkeypatch, workers=0, chunk_bytes=300)
    summary, _ = _import(tmp_path, path, monkeypatch, True, "again", chunk_bytes=300)
    assert summary["rejected"] == 15 and summary["rejects"][0]["position"] == "line 3"
    assert summary["rejects"][-1]["position"] == "line 34"


def test_lone_carriage_return_falls_back_to_the_streaming_path(tmp_path, monkeypatch):
    path = tmp_path / "constructed_cr.jsonl"
    lines = _constructed_lines()
    path.write_text(lines[0] + "\r" + lines[3] + "\n" + lines[6] + "\n", encoding="utf-8")
    with pytest.raises(bulk.NotBulk):
        bulk.process_lines(path.read_bytes(), str(path))
    summary = _assert_same(tmp_path, path, monkeypatch)
    assert len(summary) == 2


def test_invalid_utf8_falls_back_and_records_the_encoding(tmp_path, monkeypatch):
    path = tmp_path / "constructed_latin1.jsonl"
    path.write_bytes(_constructed_lines()[0].encode() + b"\n" +
                     '{"ocid": "ocds-constructed-bulk-8", "id": "1", "title": "Caf\xe9"}\n'.encode("latin-1"))
    fast_summary, _ = _import(tmp_path, path, monkeypatch, True, "latin")
    assert fast_summary["encoding"] == "cp1252" and fast_summary["items"] == 2


def test_reimport_is_a_noop_and_changes_replace(tmp_path):
    path = tmp_path / "synthetic_small.jsonl"
    synth.write_jsonl(300, path, seed=5)
    con = store.open_store(tmp_path / "s.duckdb")
    first = import_file(con, path)
    again = import_file(con, path)
    assert (first["new"], again["new"], again["updated"], again["unchanged"]) == (300, 0, 0, 300)
    lines = path.read_text(encoding="utf-8").splitlines()
    rel = json.loads(lines[7])
    rel["tender"]["title"] = "Changed title"
    lines[7] = json.dumps(rel)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    changed = import_file(con, path)
    assert (changed["new"], changed["updated"], changed["unchanged"]) == (0, 1, 299)
    key = f"{rel['ocid']}/{rel['id']}"
    assert con.execute("SELECT title FROM releases WHERE release_key = ?", [key]).fetchone()[0] == "Changed title"
    assert con.execute("SELECT count(*) FROM releases WHERE raw_json IS NOT NULL").fetchone()[0] == 0
    con.close()


def test_failure_mid_file_leaves_the_store_as_before(tmp_path, monkeypatch):
    path = tmp_path / "synthetic_fail.jsonl"
    synth.write_jsonl(400, path, seed=7)
    con = store.open_store(tmp_path / "f.duckdb")
    import_file(con, path)
    before = con.execute("SELECT release_key, content_sha1 FROM releases ORDER BY 1").fetchall()
    classes = con.execute("SELECT * FROM classifications ORDER BY 1").fetchall()
    assert len(classes) == 400
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[:200] + [json.dumps({"ocid": "ocds-synthetic-new", "id": "x"})]
                              + lines[200:]) + "\n", encoding="utf-8")
    real, calls = bulk.process_lines, []

    def failing(data, source, first=False):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("simulated crash in the third chunk")
        return real(data, source, first)

    monkeypatch.setattr(bulk, "process_lines", failing)
    monkeypatch.setattr(bulk, "CHUNK_BYTES", 64 << 10)
    with pytest.raises(RuntimeError):
        import_file(con, path)
    assert con.execute("SELECT release_key, content_sha1 FROM releases ORDER BY 1").fetchall() == before
    assert con.execute("SELECT * FROM classifications ORDER BY 1").fetchall() == classes
    assert con.execute("SELECT count(*) FROM import_staging").fetchone()[0] == 0
    con.close()
