"""File import: formats, duplicates, rejects with positions, encodings, transactions, stats."""
from __future__ import annotations

import json

import pytest

from svdash import cli, store
from svdash.paths import NOTICES_DIR
from svdash.sources.files import import_file, iter_file, read_notices, sniff_format, Reject

CF_EXCERPT = "cf_search_package_excerpt.json"


@pytest.fixture()
def con(tmp_path):
    c = store.open_store(tmp_path / "t.duckdb")
    yield c
    c.close()


def _fx(fixtures_dir, name):
    return fixtures_dir / "ingest" / name


def _cf_releases(fixtures_dir):
    return json.loads(_fx(fixtures_dir, CF_EXCERPT).read_text(encoding="utf-8"))["releases"]


def _count(con, table="releases"):
    return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_release_package(con, fixtures_dir):
    summary = import_file(con, _fx(fixtures_dir, CF_EXCERPT))
    assert (summary["format"], summary["items"], summary["new"], summary["rejected"]) == ("json", 5, 5, 0)
    assert _count(con) == 5


def test_record_package_uses_compiled_release_or_embedded_releases(con, fixtures_dir):
    summary = import_file(con, _fx(fixtures_dir, "fts_record_package_constructed.json"))
    assert summary["items"] == 2
    keys = {r[0] for r in con.execute("SELECT release_key FROM releases").fetchall()}
    assert keys == {"ocds-h6vhtk-0c0n57/ocds-h6vhtk-0c0n57-compiled", "ocds-h6vhtk-0c0n58/r58-1"}
    assert [(r["position"], r["reason"]) for r in summary["rejects"]] == [
        ("record 2", "record has neither compiledRelease nor embedded releases")]


def test_jsonl_of_releases_and_of_packages(tmp_path, con, fixtures_dir):
    rels = _cf_releases(fixtures_dir)
    lines = tmp_path / "releases.jsonl"
    lines.write_text("\n".join(json.dumps(r) for r in rels[:3]) + "\n", encoding="utf-8")
    packages = tmp_path / "packages.txt"  # sniffed, not told by the extension
    packages.write_text(json.dumps({"releases": rels[3:4]}) + "\n" + json.dumps({"releases": rels[4:]}) + "\n",
                        encoding="utf-8")
    assert sniff_format(lines) == "jsonl" and sniff_format(packages) == "jsonl"
    assert import_file(con, lines)["items"] == 3
    assert import_file(con, packages)["items"] == 2
    assert _count(con) == 5


def test_top_level_array_and_single_release(tmp_path, fixtures_dir):
    rels = _cf_releases(fixtures_dir)
    arr = tmp_path / "array.json"
    arr.write_text(json.dumps(rels[:2], indent=1), encoding="utf-8")
    one = tmp_path / "one.json"
    one.write_text(json.dumps(rels[0], indent=1), encoding="utf-8")
    frame = read_notices([arr, one])
    assert len(frame) == 2  # the single release duplicates the array's first: last copy kept, once
    assert set(frame["source"]) == {str(arr), str(one)}


def test_contracts_finder_csv_export(con, fixtures_dir):
    summary = import_file(con, _fx(fixtures_dir, "cf_export_constructed_from_real_releases.csv"))
    assert (summary["format"], summary["items"], summary["rejected"]) == ("csv", 4, 0)
    frame = store.load_notices(con)
    real = {r["ocid"]: r for r in _cf_releases(fixtures_dir)}
    for row in frame.itertuples():
        assert row.ocid in real  # CF ocid = ocds-b5fd17- + notice identifier
        assert row.title == real[row.ocid]["tender"]["title"]
        assert row.release_key.startswith(row.ocid + "/sha1:")
    assert frame.set_index("ocid").loc["ocds-b5fd17-e3b5f385-5989-4cf1-8849-01c247fc9c30", "buyer_postcode"] == "SM4 5DX"


def test_csv_that_is_not_a_contracts_finder_export_is_refused(tmp_path, con):
    bad = tmp_path / "other.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    assert cli.main(["import", str(bad), "--db", str(tmp_path / "x.duckdb")]) == 2


def test_same_file_twice_changes_nothing_and_changed_release_replaces(tmp_path, con, fixtures_dir):
    path = _fx(fixtures_dir, CF_EXCERPT)
    import_file(con, path)
    before = con.execute("SELECT release_key, content_sha1, imported_at FROM releases ORDER BY 1").fetchall()
    again = import_file(con, path)
    assert (again["new"], again["updated"], again["unchanged"]) == (0, 0, 5)
    assert con.execute("SELECT release_key, content_sha1, imported_at FROM releases ORDER BY 1").fetchall() == before
    rels = _cf_releases(fixtures_dir)
    rels[0]["tender"]["title"] = "Changed title"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps({"releases": rels}), encoding="utf-8")
    summary = import_file(con, changed)
    assert (summary["new"], summary["updated"], summary["unchanged"]) == (0, 1, 4)
    assert _count(con) == 5
    key = f"{rels[0]['ocid']}/{rels[0]['id']}"
    assert con.execute("SELECT title FROM releases WHERE release_key = ?", [key]).fetchone()[0] == "Changed title"


def test_duplicates_inside_one_file_keep_one_row(tmp_path, con, fixtures_dir):
    rel = _cf_releases(fixtures_dir)[0]
    path = tmp_path / "dups.jsonl"
    path.write_text(json.dumps(rel) + "\n" + json.dumps(rel) + "\n", encoding="utf-8")
    summary = import_file(con, path)
    assert summary["items"] == 2 and summary["new"] == 1 and _count(con) == 1


def test_malformed_line_in_the_middle_is_rejected_with_its_position(tmp_path, con, fixtures_dir):
    rels = _cf_releases(fixtures_dir)
    lines = [json.dumps(r) for r in rels[:2]] + ['{"ocid": "ocds-b5fd17-x", "tag": [tru'] + \
            [json.dumps(r) for r in rels[2:]] + ["[1, 2]", json.dumps({"id": "no-ocid"})]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = import_file(con, path)
    assert summary["items"] == 5 and _count(con) == 5
    got = [(r["position"], r["reason"].split(":")[0]) for r in summary["rejects"]]
    assert got == [("line 3", "malformed JSON line"), ("line 7", "not a JSON object (list)"),
                   ("line 8", "release has no ocid")]
    stored = con.execute("SELECT source, position, reason FROM rejects ORDER BY position").fetchall()
    assert [s[1] for s in stored] == ["line 3", "line 7", "line 8"] and stored[0][0] == str(path)
    import_file(con, path)  # re-import: the same rejects, not twice as many
    assert _count(con, "rejects") == 3


def test_truncated_package_keeps_the_releases_before_the_break(tmp_path, con, fixtures_dir):
    text = _fx(fixtures_dir, CF_EXCERPT).read_text(encoding="utf-8")
    cut = text.index('"ocid": "' + _cf_releases(fixtures_dir)[3]["ocid"])
    path = tmp_path / "truncated.json"
    path.write_text(text[:cut + 40], encoding="utf-8")
    summary = import_file(con, path)
    assert summary["items"] == 3
    assert summary["rejects"][0]["position"] == "release 3"
    assert "truncated" in summary["rejects"][0]["reason"]


def test_release_without_id_or_ocid(tmp_path, con, fixtures_dir):
    rel = _cf_releases(fixtures_dir)[0]
    no_id = {k: v for k, v in rel.items() if k != "id"}
    no_ocid = {k: v for k, v in rel.items() if k != "ocid"}
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"releases": [no_id, no_ocid]}), encoding="utf-8")
    summary = import_file(con, path)
    assert summary["items"] == 1
    assert summary["rejects"] == [{"position": "release 1", "reason": "release has no ocid",
                                   "excerpt": summary["rejects"][0]["excerpt"]}]
    key = con.execute("SELECT release_key, release_id FROM releases").fetchone()
    assert key[0].startswith(rel["ocid"] + "/sha1:") and key[1] == ""


def test_latin1_file_is_decoded_and_recorded(tmp_path, con):
    release = {"ocid": "ocds-b5fd17-latin", "id": "1", "tender": {"title": "Café repairs", "value": {"amount": 5}},
               "description": "Budget £12,000"}
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(json.dumps(release, ensure_ascii=False).encode("latin-1") + b"\n")
    summary = import_file(con, path)
    assert summary["encoding"] == "cp1252" and "not UTF-8" in summary["encoding_note"]
    title, desc = con.execute("SELECT title, description FROM releases").fetchone()
    assert title == "Café repairs" and "£12,000" in desc
    assert con.execute("SELECT encoding FROM import_files").fetchone()[0] == "cp1252"


def test_mostly_utf8_file_with_a_bad_byte_keeps_text_with_replacement(tmp_path, con):
    good = json.dumps({"ocid": "ocds-a", "id": "1", "tender": {"title": "Caf\u00e9 \u2013 repairs"}}, ensure_ascii=False)
    bad = b'{"ocid": "ocds-a", "id": "2", "tender": {"title": "broken \xff byte"}}'
    path = tmp_path / "mixed.json"
    path.write_bytes(b'{"releases": [' + good.encode("utf-8") + b", " + bad + b"]}")
    summary = import_file(con, path)
    assert summary["items"] == 2 and summary["encoding"] == "utf-8-replace"
    assert "replaced" in summary["encoding_note"]
    titles = sorted(r[0] for r in con.execute("SELECT title FROM releases").fetchall())
    assert titles == ["Caf\u00e9 \u2013 repairs", "broken \ufffd byte"]


def test_empty_file_is_a_reject_and_cli_says_nothing_usable(tmp_path, capsys):
    path = tmp_path / "empty.json"
    path.write_bytes(b"  \n")
    assert [e for e in iter_file(path)] == [Reject("file", "empty file")]
    assert cli.main(["import", str(path), "--db", str(tmp_path / "x.duckdb")]) == 2
    assert "no usable releases" in capsys.readouterr().err


def test_crash_mid_file_leaves_the_store_as_before(tmp_path, con, fixtures_dir, monkeypatch):
    import_file(con, _fx(fixtures_dir, "pcs_releases_excerpt.json"))
    before = con.execute("SELECT release_key, content_sha1 FROM releases ORDER BY 1").fetchall()
    real_write = store.stage_rows
    calls = {"n": 0}

    def failing(c, batch, source):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("simulated crash")
        return real_write(c, batch, source)

    monkeypatch.setattr(store, "stage_rows", failing)
    with pytest.raises(RuntimeError):
        import_file(con, _fx(fixtures_dir, CF_EXCERPT), batch_size=2)
    assert con.execute("SELECT release_key, content_sha1 FROM releases ORDER BY 1").fetchall() == before
    assert _count(con, "import_files") == 1


def test_compiled_view_latest_release_wins_and_keeps_tag_history(con, fixtures_dir):
    import_file(con, _fx(fixtures_dir, "fts_release_package_constructed.json"))
    row = con.execute("SELECT release_id, tags, tag_history, n_releases FROM compiled_releases").fetchall()
    assert row == [("ocds-h6vhtk-0c0n57-constructed-2", "award", "tender|award", 2)]


def test_cli_import_and_stats(tmp_path, fixtures_dir, capsys):
    db = str(tmp_path / "cli.duckdb")
    assert cli.main(["import", str(_fx(fixtures_dir, CF_EXCERPT)), str(_fx(fixtures_dir, "pcs_releases_excerpt.json")),
                     "--db", db]) == 0
    out = capsys.readouterr().out
    assert "5 releases (5 new, 0 updated, 0 unchanged), 0 rejected" in out
    assert cli.main(["stats", "--db", db]) == 0
    stats = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    contract = ["releases", "ocids", "rejects", "council_buyers", "other_buyers", "unmatched_buyers",
                "classified", "applied", "dismissed", "latest_date"]
    assert list(stats)[:len(contract)] == contract  # the DESIGN keys first; the page counts follow (issue 22)
    assert (stats["releases"], stats["ocids"], stats["rejects"], stats["latest_date"]) == (7, 7, 0, "2025-01-23")


def test_embedded_snapshot_imports_whole(tmp_path):
    from svdash.pipeline import snapshot_files

    con = store.open_store(tmp_path / "snap.duckdb")
    files = snapshot_files()
    assert len(files) == 17  # 7 older files + 10 Find a Tender pages (2 days × 5)
    totals = [import_file(con, f) for f in files]
    # 586 older releases + 955 Find a Tender releases, none lost to FTS's bare 1e9999 numbers
    assert sum(t["items"] for t in totals) == 1541 and sum(t["rejected"] for t in totals) == 0
    assert store.stats(con)["releases"] == 1541 and store.stats(con)["ocids"] == 550 + 911
    con.close()


@pytest.mark.shared
def test_shared_notices_match_the_embedded_copy(shared_data, tmp_path):
    from svdash.privacy import redact_text

    for path in sorted((shared_data / "notices").glob("*/*.json")):
        copy = NOTICES_DIR / path.relative_to(shared_data / "notices")
        # the embedded copy is the published file without officers' contact points (scripts/embed_notices.py)
        assert copy.read_text(encoding="utf-8") == redact_text(path.read_text(encoding="utf-8")), copy
    frame = read_notices(sorted((shared_data / "notices").glob("*/*.json")))
    assert len(frame) == 586 and frame.attrs["rejects"] == []
