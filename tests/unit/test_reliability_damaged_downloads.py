"""Damaged downloads lose nothing: gzip (sniffed from the bytes, not the name), cut off, BOM + CRLF, garbled
JSON Lines. Every copy is made here from real pages — the release package `tests/fixtures/real_releases_excerpt.json`
and the Find a Tender excerpt `tests/fixtures/fts/2026-08-10_page-003_excerpt.json` (bare `1e9999` included) —
and the expected counts are computed from where each release's text ends in the copy: a cut keeps exactly the
whole releases before it. Each damage is a reject naming the file and the position; never a traceback."""
from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path

import pytest

from svdash import cli, store
from svdash.sources.files import import_file
from svdash.sources.ocds import release_key

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PAGES = [FIXTURES / "real_releases_excerpt.json", FIXTURES / "fts" / "2026-08-10_page-003_excerpt.json"]


def release_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of each item of the package's `releases` array."""
    i = text.index("[", text.index('"releases"')) + 1
    decoder, spans = json.JSONDecoder(), []
    while True:
        while text[i] in " \t\r\n,":
            i += 1
        if text[i] == "]":
            return spans
        _, end = decoder.raw_decode(text, i)
        spans.append((i, end))
        i = end


def _keys(text: str, spans: list[tuple[int, int]]) -> set[str]:
    return {release_key(json.loads(text[a:b])) for a, b in spans}


def _import(tmp_path: Path, name: str, data: bytes, native: bool = False) -> tuple[dict, set[str], list]:
    path = tmp_path / name
    path.write_bytes(data)
    con = store.open_store(tmp_path / f"{name}.duckdb")
    try:
        summary = import_file(con, path, native_min_bytes=0 if native else None)
        keys = {k for (k,) in con.execute("SELECT release_key FROM releases").fetchall()}
        rejects = con.execute("SELECT position, reason FROM rejects WHERE source = ? ORDER BY position",
                              [str(path)]).fetchall()
    finally:
        con.close()
    return summary, keys, rejects


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
@pytest.mark.parametrize("name", ["page.json.gz", "page.json"])  # the magic bytes decide, not the name
def test_gzip_package_is_read_whole(tmp_path, page, name):
    text = page.read_text(encoding="utf-8")
    summary, keys, rejects = _import(tmp_path, name, gzip.compress(text.encode("utf-8")))
    assert keys == _keys(text, release_spans(text)) and summary["items"] == len(release_spans(text))
    assert rejects == []


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
@pytest.mark.parametrize("where", [0.15, 0.5, 0.85, 0.99])
def test_cut_off_package_keeps_every_whole_release_before_the_cut(tmp_path, page, where):
    text = page.read_text(encoding="utf-8")
    spans = release_spans(text)
    cut = spans[0][0] + int((spans[-1][1] - spans[0][0]) * where)  # inside the releases array
    before = [s for s in spans if s[1] <= cut]
    summary, keys, rejects = _import(tmp_path, "cut.json", text[:cut].encode("utf-8"))
    assert keys == _keys(text, before) and summary["items"] == len(before)
    assert len(rejects) == 1
    position, reason = rejects[0]
    assert position == f"release {len(before)}" and "truncated JSON" in reason


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
@pytest.mark.parametrize("where", [0.3, 0.6, 0.9])
def test_cut_off_gzip_keeps_what_decompresses_and_reports_the_cut(tmp_path, page, where):
    text = page.read_text(encoding="utf-8")
    packed = gzip.compress(text.encode("utf-8"), compresslevel=1)
    cut = packed[:int(len(packed) * where)]
    # independent reference: what zlib can recover from the cut stream
    recovered = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(cut).decode("utf-8", "ignore")
    before = [s for s in release_spans(text) if s[1] <= len(recovered)]
    summary, keys, rejects = _import(tmp_path, "cut.json.gz", cut)
    assert keys == _keys(text, before) and summary["items"] == len(before)
    reasons = dict(rejects)
    assert reasons["file"].startswith("gzip data cut off after") and "everything before it was read" in reasons["file"]


def _jsonl(page: Path, bom: bool, crlf: bool) -> tuple[list[dict], str]:
    releases = json.loads(page.read_text(encoding="utf-8"))["releases"]
    end = "\r\n" if crlf else "\n"
    return releases, ("\ufeff" if bom else "") + end.join(json.dumps(r, ensure_ascii=False) for r in releases) + end


@pytest.mark.parametrize("native", [False, True], ids=["streaming", "native"])
def test_bom_and_crlf_package_and_jsonl_keep_everything(tmp_path, native):
    text = PAGES[0].read_text(encoding="utf-8")
    data = ("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8")
    summary, keys, rejects = _import(tmp_path, "bom.json", data, native)
    assert keys == _keys(text, release_spans(text)) and rejects == []
    releases, lines = _jsonl(PAGES[0], bom=True, crlf=True)
    summary, keys, rejects = _import(tmp_path, "bom.jsonl", lines.encode("utf-8"), native)
    assert keys == {release_key(r) for r in releases} and summary["items"] == len(releases) and rejects == []


@pytest.mark.parametrize("native", [False, True], ids=["streaming", "native"])
@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
def test_garbled_and_cut_jsonl_lines_each_one_reject_the_rest_kept(tmp_path, native, gz):
    releases = [r for page in PAGES for r in json.loads(page.read_text(encoding="utf-8"))["releases"]]
    lines = [json.dumps(r, ensure_ascii=False) for r in releases]
    garbled = {2: lines[2][:40] + "\x00#@!" + lines[2][60:],  # bytes lost in the middle of line 3
               5: lines[5][: len(lines[5]) // 2]}             # line 6 cut half-way (a restarted download)
    text = "\ufeff" + "\r\n".join(garbled.get(i, line) for i, line in enumerate(lines)) + "\r\n"
    data = gzip.compress(text.encode("utf-8")) if gz else text.encode("utf-8")
    summary, keys, rejects = _import(tmp_path, "lines.jsonl.gz" if gz else "lines.jsonl", data, native)
    kept = [r for i, r in enumerate(releases) if i not in garbled]
    assert keys == {release_key(r) for r in kept} and summary["items"] == len(kept)
    assert [(p, r.startswith("malformed JSON line")) for p, r in rejects] == [("line 3", True), ("line 6", True)]


def test_cut_jsonl_gzip_keeps_the_whole_lines_and_reports_both_cuts(tmp_path):
    releases = [r for page in PAGES for r in json.loads(page.read_text(encoding="utf-8"))["releases"]]
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in releases)
    packed = gzip.compress(text.encode("utf-8"))
    cut = packed[: int(len(packed) * 0.7)]
    recovered = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(cut).decode("utf-8", "ignore")
    whole = recovered.count("\n")
    summary, keys, rejects = _import(tmp_path, "cut.jsonl.gz", cut)
    assert keys == {release_key(r) for r in releases[:whole]} and summary["items"] == whole
    reasons = dict(rejects)
    assert reasons[f"line {whole + 1}"].startswith("malformed JSON line")  # the half line at the cut
    assert reasons["file"].startswith("gzip data cut off")


def test_cli_reports_damage_by_file_and_position_without_a_traceback(tmp_path, capsys):
    text = PAGES[1].read_text(encoding="utf-8")
    packed = gzip.compress(text.encode("utf-8"))
    path = tmp_path / "page-003.json.gz"
    path.write_bytes(packed[: len(packed) * 2 // 3])
    assert cli.main(["import", str(path), "--db", str(tmp_path / "cli.duckdb")]) == 0
    out, err = capsys.readouterr()
    assert f"{path}: json, " in out and "Traceback" not in err
    assert f"rejected {path} file: gzip data cut off after" in err
