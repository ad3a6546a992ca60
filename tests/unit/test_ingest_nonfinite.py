"""Numbers JSON cannot hold (Find a Tender's bare `1e9999` "no limit", `-1e9999`, NaN, Infinity, -Infinity, and
other overflowing numbers) on every reader path: streamed JSON document (ijson), JSON Lines streamed (json
module), the native import of both (DuckDB; the token lines go to Python), `read_notices` (classify --in), an API
page. Each is read as null, the release and everything after it are kept, the same text inside a string is
untouched, and the stored rows and content keys are the same on every path.
Releases here are CONSTRUCTED (`ocds-constructed-*`); the real case is tests/fixtures/fts (README there)."""
from __future__ import annotations

import io
import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svdash import store
from svdash.sources import api, find_a_tender, native_import, nonfinite
from svdash.sources.files import Item, Reject, import_file, iter_file, read_notices
from tests.unit.fts_server import FakeClock, FakeFts

TOKENS = ["1e9999", "-1e9999", "NaN", "Infinity", "-Infinity", "1E+400", "9" * 400 + ".5"]
FTS_FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "fts" / "2026-08-10_page-003_excerpt.json"


def _release_text(i: int, token: str) -> str:
    """Release i; the token is the value of two fields (one nested in a list) and also appears inside strings."""
    return ('{"ocid": "ocds-constructed-nonfinite-%d", "id": "r%d", "date": "2025-06-0%dT10:00:00Z", '
            '"tag": ["tender"], "buyer": {"name": "Constructed Buyer"}, '
            '"tender": {"title": "Lots: %s \\" %s", "lotDetails": {"maximumLotsBidPerSupplier": %s, '
            '"maximumLotsAwardedPerSupplier": 2}, "numbers": [1.5, %s, 3], '
            '"value": {"amount": 1500.25, "currency": "GBP"}}}' % (i, i, i + 1, token, token, token, token))


def _expected(i: int, token: str) -> dict:
    return {"ocid": f"ocds-constructed-nonfinite-{i}", "id": f"r{i}", "date": f"2025-06-0{i + 1}T10:00:00Z",
            "tag": ["tender"], "buyer": {"name": "Constructed Buyer"},
            "tender": {"title": f'Lots: {token} " {token}', "lotDetails": {"maximumLotsBidPerSupplier": None,
                                                                          "maximumLotsAwardedPerSupplier": 2},
                       "numbers": [1.5, None, 3], "value": {"amount": 1500.25, "currency": "GBP"}}}


def _write(tmp_path: Path, token: str) -> tuple[Path, Path, list[dict]]:
    """The same three releases (the token in the first and the third) as a package and as JSON Lines."""
    lines = [_release_text(0, token), _release_text(1, "7"), _release_text(2, token)]
    expected = [_expected(0, token), json.loads(_release_text(1, "7")), _expected(2, token)]
    package = tmp_path / "package.json"
    package.write_text('{"uri": "constructed", "releases": [\n' + ",\n".join(lines) + "\n]}\n", encoding="utf-8")
    jsonl = tmp_path / "releases.jsonl"
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return package, jsonl, expected


def _keys(tmp_path: Path, releases: list[dict]) -> dict[str, str]:
    """release_key → content key of `releases` written by the store (the API path's write)."""
    con = store.open_store(tmp_path / "reference.duckdb")
    with store.transaction(con):
        store.write_batch(con, releases, "reference")
    out = dict(con.execute("SELECT release_key, content_sha1 FROM releases").fetchall())
    con.close()
    return out


def _strict(text: str) -> object:
    def refuse(name):
        raise ValueError(f"not JSON: {name}")
    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("token", TOKENS, ids=["1e9999", "-1e9999", "NaN", "Infinity", "-Infinity", "1E+400",
                                               "400-digit"])
def test_every_reader_path_reads_the_token_as_null(tmp_path, token):
    package, jsonl, expected = _write(tmp_path, token)
    want = _keys(tmp_path, expected)
    assert set(want) == {f"{r['ocid']}/{r['id']}" for r in expected}

    # streamed document (ijson) and JSON Lines (json module), as iter_file gives them
    for path in (package, jsonl):
        entries = list(iter_file(path))
        assert [e.release for e in entries if isinstance(e, Item)] == expected, path.name
        assert [e for e in entries if isinstance(e, Reject)] == []

    # read_notices (classify --in): every release, no rejects
    frame = read_notices([package, jsonl])
    assert len(frame) == 3 and frame.attrs["rejects"] == []

    # import: document and JSON Lines, each streamed and natively (DuckDB reads the tokens; the flattened
    # columns have them as null, and the lines whose fields might differ go to Python)
    columns = None
    for path in (package, jsonl):
        for native in (False, True):
            con = store.open_store(tmp_path / f"{path.stem}_{native}.duckdb")
            with pytest.MonkeyPatch.context() as m:
                m.setattr(native_import, "NATIVE_MIN_BYTES", 0 if native else 1 << 40)
                summary = import_file(con, path)
            assert (summary["items"], summary["rejected"]) == (3, 0)
            assert ("timings" in summary) == native  # the native import did take the file
            assert dict(con.execute("SELECT release_key, content_sha1 FROM releases").fetchall()) == want
            for (raw,) in con.execute("SELECT raw_json FROM releases WHERE raw_json IS NOT NULL").fetchall():
                _strict(raw)  # valid JSON: no Infinity/NaN written back
            rows = con.execute("SELECT * EXCLUDE (source, raw_json, imported_at) FROM releases ORDER BY 1").fetchall()
            assert columns is None or rows == columns
            columns = rows
            con.close()

    # an API page
    con = store.open_store(tmp_path / "api.duckdb")
    server = FakeFts(FakeClock())
    server.recorded = {("2025-06-01T00:00:00", "2025-06-02T00:00:00"): [package.read_bytes()]}
    with server:
        summary = api.run_ingest(con, find_a_tender.CONFIG, date_from="2025-06-01", date_to="2025-06-01",
                                 base_url=server.base_url, sleep=server.clock.sleep, clock=server.clock,
                                 rng=random.Random(1))
    assert (summary.releases, summary.rejected) == (3, 0)
    rows = con.execute("SELECT release_key, content_sha1, raw_json FROM releases").fetchall()
    assert {k: sha for k, sha, _ in rows} == want
    assert sorted((_strict(raw) for _, _, raw in rows), key=lambda r: r["id"]) == expected
    con.close()


def test_real_fts_page_keeps_the_releases_after_1e9999(tmp_path):
    entries = list(iter_file(FTS_FIXTURE))
    assert [e.position for e in entries] == ["release 0", "release 1", "release 2"]
    assert all(isinstance(e, Item) for e in entries)
    assert entries[0].release["tender"]["lotDetails"]["maximumLotsBidPerSupplier"] is None
    assert [e.release["id"] for e in entries] == ["075694-2026", "075693-2026", "075692-2026"]


def test_token_then_truncation_keeps_what_came_before_and_reports_once(tmp_path):
    path = tmp_path / "cut.json"
    text = '{"releases": [' + _release_text(0, "NaN") + "," + _release_text(1, "7") + "," + _release_text(2, "7")
    path.write_text(text[:-40], encoding="utf-8")
    entries = list(iter_file(path))
    assert [type(e).__name__ for e in entries] == ["Item", "Item", "Reject"]
    assert entries[2].position == "release 2" and "malformed or truncated" in entries[2].reason


def test_truncated_file_mentioning_nan_only_in_a_string_is_reported_once(tmp_path):
    path = tmp_path / "cut.json"
    first = '{"ocid": "ocds-constructed-s", "id": "s", "tender": {"title": "NaN and Infinity", "n": "NaN"}}'
    path.write_text(('{"releases": [' + first + "," + _release_text(1, "7"))[:-10], encoding="utf-8")
    entries = list(iter_file(path))
    assert [type(e).__name__ for e in entries] == ["Item", "Reject"]  # read twice, given once
    assert entries[0].release["tender"] == {"title": "NaN and Infinity", "n": "NaN"}


def test_api_page_hooks_match_the_file_readers():
    body = b'{"releases": [{"ocid": "o", "a": 1e9999, "b": NaN, "c": -Infinity, "d": "1e9999 NaN", "e": 1e-9999}]}'
    assert nonfinite.loads(body)["releases"][0] == {"ocid": "o", "a": None, "b": None, "c": None,
                                                    "d": "1e9999 NaN", "e": 0.0}


# ---------------------------------------------------------------- the byte rewriter, at every chunk boundary

_strings = st.text(alphabet=st.sampled_from(list('ab"\\/ NaInfity\n\u00e9\u2028')), max_size=12)
_scalars = st.one_of(st.integers(-10, 10).map(str), st.sampled_from(["NaN", "Infinity", "-Infinity", "1e9999", "2.5"]),
                     _strings.map(lambda s: json.dumps(s)), st.just("null"), st.just("true"))
_docs = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4).map(lambda xs: "[" + " , ".join(xs) + "]"),
    st.dictionaries(_strings, inner, max_size=4).map(
        lambda d: "{" + ",".join(f"{json.dumps(k)}:{v}" for k, v in d.items()) + "}")), max_leaves=12)


@settings(max_examples=150, deadline=None)
@given(doc=_docs, chunk=st.integers(1, 9))
def test_rewriter_changes_only_tokens_outside_strings(doc, chunk):
    original = nonfinite._CHUNK
    nonfinite._CHUNK = chunk
    try:
        rewriter = nonfinite.NonFiniteAsNull(io.BytesIO(doc.encode("utf-8")))
        out = io.BufferedReader(rewriter, buffer_size=3).read().decode("utf-8")
    finally:
        nonfinite._CHUNK = original
    assert nonfinite.loads(out) == nonfinite.loads(doc)
    assert "NaN" not in _outside_strings(out) and "Infinity" not in _outside_strings(out)
    assert _inside_strings(out) == _inside_strings(doc)


def _split(doc: str) -> tuple[str, str]:
    """(text outside strings, text inside strings) of a JSON text."""
    outside, inside, in_string, escaped = [], [], False, False
    for ch in doc:
        if in_string:
            inside.append(ch)
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        else:
            outside.append(ch)
            in_string = ch == '"'
    return "".join(outside), "".join(inside)


def _outside_strings(doc: str) -> str:
    return _split(doc)[0]


def _inside_strings(doc: str) -> str:
    return _split(doc)[1]
