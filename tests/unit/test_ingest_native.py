"""The native import (DuckDB flattens: svdash.sources.native, native_import) gives the same store as the streaming
path (Python's flatten_release), row for row: every column but raw_json (NULL natively: the file is the raw copy)
and imported_at, the same content keys, the same rejects with the same positions, the same upsert counts; a failure
leaves the store as it was. Real releases come from tests/fixtures and ../shared (as they are, release packages,
and re-written as JSON Lines in tmp); the 10 k sample is SYNTHETIC (svdash synth); bad lines are CONSTRUCTED."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from svdash import store, synth
from svdash.sources import files, native_import
from svdash.sources.files import import_file, iter_file, read_notices

SUMMARY_KEYS = ("format", "encoding", "items", "new", "updated", "unchanged", "rejected", "rejects")


def _to_jsonl(paths: list[Path], out: Path) -> Path:
    """Every release the streaming reader takes from `paths`, one per line (real data, new container)."""
    with out.open("w", encoding="utf-8") as fh:
        for path in paths:
            for entry in iter_file(path):
                if isinstance(entry, files.Item):
                    fh.write(json.dumps(entry.release, ensure_ascii=False) + "\n")
    return out


def _import(tmp: Path, paths: list[Path], monkeypatch, native: bool, name: str) -> tuple[list[dict], dict]:
    """Import `paths` in turn into a new store, natively (whatever their size) or streamed; the summaries and the
    store's rows, content keys and rejects."""
    con = store.open_store(tmp / f"{name}.duckdb")
    try:
        with monkeypatch.context() as m:
            if native:
                m.setattr(native_import, "NATIVE_MIN_BYTES", 0)
            else:
                m.setattr(native_import, "eligible", lambda *a, **k: None)
            summaries = [import_file(con, p) for p in paths]
        tables = {
            "releases": con.execute("SELECT * EXCLUDE (raw_json, imported_at) FROM releases "
                                    "ORDER BY release_key").df(),
            "rejects": con.execute("SELECT * EXCLUDE (rejected_at) FROM rejects ORDER BY source, position").df(),
            "files": con.execute("SELECT * EXCLUDE (imported_at) FROM import_files ORDER BY source").df(),
            "notices": store.load_notices(con),
        }
    finally:
        con.close()
    return summaries, tables


def _assert_same(tmp: Path, paths: list[Path], monkeypatch, expect_native: bool = True) -> dict:
    tag = f"{paths[0].stem}_{len(paths)}"  # a new pair of stores per call
    fast_s, fast = _import(tmp, paths, monkeypatch, True, f"native_{tag}")
    slow_s, slow = _import(tmp, paths, monkeypatch, False, f"streamed_{tag}")
    for name in fast:
        pd.testing.assert_frame_equal(fast[name], slow[name], obj=name)
    for a, b in zip(fast_s, slow_s):
        for key in SUMMARY_KEYS:
            assert a[key] == b[key], key
        assert ("timings" in a) == expect_native, a["notes"]  # the native import did (not) take the file
    # read_notices keeps the last copy of a key across files, the store the first unchanged one: sources aside
    drop = ["source"] if len(paths) > 1 else []
    oracle = read_notices(paths).sort_values(["date", "release_key"], na_position="first").reset_index(drop=True)
    pd.testing.assert_frame_equal(fast["notices"].sort_values(["date", "release_key"], na_position="first")
                                  .reset_index(drop=True).drop(columns=drop), oracle.drop(columns=drop))
    return {"summaries": fast_s, **fast}


def _fixture_packages(fixtures_dir: Path) -> list[Path]:
    return (sorted((fixtures_dir / "ingest").glob("*_package_*.json")) + sorted((fixtures_dir / "fts").glob("*.json"))
            + [fixtures_dir / "real_releases_excerpt.json", fixtures_dir / "ingest" / "cf_search_package_excerpt.json",
               fixtures_dir / "ingest" / "pcs_releases_excerpt.json",
               fixtures_dir / "fts_criteria" / "fts_criteria_releases.json"])


def test_real_fixture_releases_as_json_lines(tmp_path, fixtures_dir, monkeypatch):
    path = _to_jsonl(_fixture_packages(fixtures_dir), tmp_path / "real_fixtures.jsonl")
    out = _assert_same(tmp_path, [path], monkeypatch)
    frame = out["releases"]
    assert len(frame) >= 15
    assert (frame["description"] != "").any() and frame["release_key"].str.contains("/sha1:").any()
    assert (frame["award_criteria_json"] != "[]").any()


def test_real_fixture_release_packages(tmp_path, fixtures_dir, monkeypatch):
    packages = [p for p in _fixture_packages(fixtures_dir) if "record" not in p.name]
    out = _assert_same(tmp_path, packages, monkeypatch)
    assert sum(s["items"] for s in out["summaries"]) >= len(out["releases"]) >= 15


@pytest.mark.shared
def test_every_real_shared_file_natively(tmp_path, shared_data, monkeypatch):
    """Every real file in ../shared/data/notices (the Find a Tender pages included, with their bare 1e9999) and
    the passages, each as published (packages) and all of them as one JSON Lines file."""
    sources = (sorted((shared_data / "notices").glob("*/*.json")) + sorted((shared_data / "notices").glob("*/*/*.json"))
               + [shared_data / "passages" / "passages_dev.json"])
    assert len(sources) >= 16
    out = _assert_same(tmp_path, sources, monkeypatch)
    assert len(out["releases"]) > 1500
    jsonl = _to_jsonl(sources, tmp_path / "shared_notices.jsonl")
    _assert_same(tmp_path, [jsonl], monkeypatch)


def test_synthetic_10k_sample(tmp_path, monkeypatch):
    path = tmp_path / "synthetic_10k.jsonl"
    synth.write_jsonl(10_000, path, seed=3)
    out = _assert_same(tmp_path, [path], monkeypatch)
    assert len(out["releases"]) == 10_000
    assert out["summaries"][0]["timings"]["python_rows"] == 0  # synthetic releases are all plain: SQL alone


def _constructed_lines() -> list[str]:
    """CONSTRUCTED lines: good releases around every kind of bad or unusual line."""
    rel = {"ocid": "ocds-constructed-native-1", "id": "r1", "date": "2024-05-01T10:00:00+01:00",
           "tag": ["tender"], "buyer": {"name": "Constructed Council"},
           "tender": {"title": "Constructed", "description": "Social value 10%.", "value": {"amount": 5}}}
    return [json.dumps(rel),
            "",                                              # blank line (skipped, still counted)
            "   \t",                                         # blank to both readers
            "\xa0",                                          # blank to Python, malformed to DuckDB
            '{"ocid": "ocds-constructed-native-2", "id": "r2", ',  # truncated
            json.dumps({"id": "no-ocid"}),
            "[1, 2]",
            json.dumps({"releases": [dict(rel, ocid="ocds-constructed-native-3"), 5]}),  # a package on one line
            json.dumps({"records": [{"ocid": "ocds-constructed-native-9", "compiledRelease": dict(rel, id="c")}]}),
            json.dumps(dict(rel, id=None, ocid="ocds-constructed-native-4")),          # no id: sha1 key
            json.dumps(dict(rel, id=7, ocid="ocds-constructed-native-10")),            # integer id
            json.dumps(dict(rel, id=True, ocid="ocds-constructed-native-11")),         # str(True)
            json.dumps(dict(rel, id=1.5, ocid="ocds-constructed-native-12")),          # str(1.5)
            json.dumps(dict(rel, ocid="ocds-constructed-native-13", title=12, tender={"title": 3.5})),  # not text
            json.dumps(dict(rel, ocid="ocds-constructed-native-14", date="2024-05-01")),  # date only
            json.dumps(dict(rel, ocid="ocds-constructed-native-15", date="1 May 2024")),  # not ISO: pandas
            json.dumps(dict(rel, ocid="ocds-constructed-native-16", tag="award")),     # tag as a string
            json.dumps(dict(rel, ocid="ocds-constructed-native-17",
                            tender={"value": {"amount": "1,250.5", "currency": " gbp "}, "lots": [
                                {"id": 2, "title": " Lot ", "awardCriteria": {"criteria": [
                                    {"name": "Social value", "numbers": [{"number": 0.1, "weight": "decimalExact"}]},
                                    {"name": "Price", "description": "90%"}]}}]})),
            '{"ocid": "ocds-constructed-native-5", "id": "r5", "tender": {"value": {"amount": NaN}}}',
            '{"ocid": "ocds-constructed-native-18", "id": "r18", "tender": {"title": NaN}}',
            '{"ocid": "ocds-constructed-native-19", "id": "r19", "tender": {"title": "x",}}',  # trailing comma
            json.dumps({"ocid": "ocds-constructed-native-6", "id": "r6", "x": [[[[1]]]], "deep": "[" * 70}),
            json.dumps({"ocid": "ocds-constructed-native-20", "id": "r20", "deep": [[{"a": [[[1]]]}]] * 20}),
            "{" * 80 + "}" * 80,
            '{"ocid": "ocds-constructed-native-21", "id": "r21", "x": ' + "[" * 70 + "]" * 70 + "}",  # too deep
            json.dumps(dict(rel, tender=dict(rel["tender"], description="changed"))),  # same key again
            json.dumps(dict(rel, ocid="ocds-constructed-native-7")) + "\r",             # CRLF ending
            json.dumps({"ocid": "ocds-constructed-native-22", "id": "r22", "tender": {"title": "a\u0000b \t"}}),
            ]


# lines DuckDB cannot parse: the streaming path takes their file (its reject names the line)
_UNPARSEABLE = ("\xa0", '{"ocid": "ocds-constructed-native-2", "id": "r2", ', "{" * 80 + "}" * 80)


def test_constructed_odd_lines_give_the_same_rejects_and_rows(tmp_path, monkeypatch):
    path = tmp_path / "constructed_odd_lines.jsonl"
    lines = [line for line in _constructed_lines() if line not in _UNPARSEABLE]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = _assert_same(tmp_path, [path], monkeypatch)
    summary = out["summaries"][0]
    assert summary["rejected"] == 5 and summary["rejects"][0]["position"] == "line 4"
    assert summary["timings"]["python_rows"] > 0  # the odd rows went to Python…
    assert len(out["releases"]) == 18             # …and are stored like the others; a repeated key: the last copy
    # a key repeated among the rows Python reads (their positions are not kept): the streaming path takes the file
    again = tmp_path / "constructed_odd_lines_twice.jsonl"
    again.write_text("\n".join(lines * 2) + "\n", encoding="utf-8")
    out = _assert_same(tmp_path, [again], monkeypatch, expect_native=False)
    assert "repeated" in out["summaries"][0]["notes"][0]
    bad = tmp_path / "constructed_bad_lines.jsonl"
    bad.write_text("\n".join(_constructed_lines() * 3) + "\n", encoding="utf-8")
    out = _assert_same(tmp_path, [bad], monkeypatch, expect_native=False)
    assert "cannot parse" in out["summaries"][0]["notes"][0]
    assert out["summaries"][0]["rejected"] == 21


def test_lone_carriage_return_and_invalid_utf8_fall_back(tmp_path, monkeypatch):
    lines = _constructed_lines()
    cr = tmp_path / "constructed_cr.jsonl"
    cr.write_text(lines[0] + "\r" + lines[5] + "\n" + lines[9] + "\n", encoding="utf-8")
    out = _assert_same(tmp_path, [cr], monkeypatch, expect_native=False)
    assert "cannot parse" in out["summaries"][0]["notes"][0]  # DuckDB reads it as one malformed line
    latin = tmp_path / "constructed_latin1.jsonl"
    latin.write_bytes(lines[0].encode() + b"\n" +
                      '{"ocid": "ocds-constructed-native-8", "id": "1", "title": "Caf\xe9"}\n'.encode("latin-1"))
    out = _assert_same(tmp_path, [latin], monkeypatch, expect_native=False)
    assert out["summaries"][0]["encoding"] == "cp1252" and out["summaries"][0]["items"] == 2


def test_package_shapes_the_native_import_leaves_to_the_streaming_reader(tmp_path, fixtures_dir, monkeypatch):
    rel = json.loads(_constructed_lines()[0])
    odd_item = tmp_path / "constructed_odd_item.json"   # a non-object item: rejected by position, natively
    odd_item.write_text(json.dumps({"releases": [rel, 5, dict(rel, id="r2")]}), encoding="utf-8")
    out = _assert_same(tmp_path, [odd_item], monkeypatch)
    assert out["summaries"][0]["rejects"][0]["position"] == "release 1"
    array = tmp_path / "constructed_array.json"          # a top-level array of releases
    array.write_text(json.dumps([rel, dict(rel, id="r2")]), encoding="utf-8")
    deep = tmp_path / "constructed_deep_item.json"      # ends the streaming reader's pass: left to it whole
    deep.write_text('{"releases": [' + json.dumps(rel) + ', {"ocid": "x", "id": "y", "z": ' + "[" * 70 + "]" * 70
                    + "}, " + json.dumps(dict(rel, id="r3")) + "]}", encoding="utf-8")
    records = fixtures_dir / "ingest" / "fts_record_package_constructed.json"
    for path in (array, deep, records):
        _assert_same(tmp_path, [path], monkeypatch, expect_native=False)


def test_reimport_is_a_noop_changes_replace_and_the_last_copy_wins(tmp_path, monkeypatch):
    monkeypatch.setattr(native_import, "NATIVE_MIN_BYTES", 0)
    path = tmp_path / "synthetic_small.jsonl"
    synth.write_jsonl(300, path, seed=5)
    con = store.open_store(tmp_path / "s.duckdb")
    first = import_file(con, path)
    stamps = con.execute("SELECT min(imported_at), max(imported_at) FROM releases").fetchone()
    again = import_file(con, path)
    assert (first["new"], again["new"], again["updated"], again["unchanged"]) == (300, 0, 0, 300)
    assert con.execute("SELECT min(imported_at), max(imported_at) FROM releases").fetchone() == stamps  # kept
    lines = path.read_text(encoding="utf-8").splitlines()
    rel = json.loads(lines[7])
    rel["tender"]["title"] = "Changed title"
    copy = dict(rel, tender=dict(rel["tender"], title="Earlier copy"))
    path.write_text("\n".join(lines[:7] + [json.dumps(copy)] + lines[8:] + [json.dumps(rel)]) + "\n",
                    encoding="utf-8")
    changed = import_file(con, path)
    assert (changed["items"], changed["new"], changed["updated"], changed["unchanged"]) == (301, 0, 1, 299)
    key = f"{rel['ocid']}/{rel['id']}"
    assert con.execute("SELECT title FROM releases WHERE release_key = ?", [key]).fetchone()[0] == "Changed title"
    assert con.execute("SELECT count(*), count(DISTINCT release_key), count(raw_json) FROM releases"
                       ).fetchone() == (300, 300, 0)
    con.close()


def test_failure_mid_import_leaves_the_store_as_before(tmp_path, monkeypatch):
    monkeypatch.setattr(native_import, "NATIVE_MIN_BYTES", 0)
    path = tmp_path / "synthetic_fail.jsonl"
    synth.write_jsonl(400, path, seed=7)
    con = store.open_store(tmp_path / "f.duckdb")
    import_file(con, path)
    before = con.execute("SELECT release_key, content_sha1, imported_at FROM releases ORDER BY 1").fetchall()
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[:200] + [json.dumps({"ocid": "ocds-synthetic-new", "id": "x"})]
                              + lines[200:]) + "\n", encoding="utf-8")

    def failing(*args, **kwargs):
        raise RuntimeError("simulated crash after the rows were inserted")

    with monkeypatch.context() as m:
        m.setattr(store, "settle_import", failing)
        with pytest.raises(RuntimeError):
            import_file(con, path)
    assert con.execute("SELECT release_key, content_sha1, imported_at FROM releases ORDER BY 1").fetchall() == before
    assert con.execute("SELECT count(*) FROM import_files").fetchone()[0] == 1
    assert import_file(con, path)["new"] == 1
    con.close()
