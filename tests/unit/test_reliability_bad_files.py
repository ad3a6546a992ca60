"""Bad files for `import` and the adoption upload: each is refused or partly rejected with a message naming the
file, the row/line and the reason; good rows are kept; exit code 2 only when nothing usable was found.

Every file here is CONSTRUCTED in tmp (made-up releases, `ocds-constructed-*` ocids); the cases that already
have a test in test_ingest_files.py / test_adoption_validation.py are not repeated (see tests/README.md).
"""
from __future__ import annotations

import gzip
import io
import json
import zipfile
from datetime import date

import pytest

from svdash import adoption, cli, store
from svdash.sources.files import MAX_DEPTH, ImportFormatError, import_file, iter_file

TODAY = date(2026, 11, 27)


def rel(i: int, **extra) -> dict:
    return {"ocid": f"ocds-constructed-{i}", "id": str(i), "date": "2024-05-01T00:00:00Z", "tag": ["tender"],
            "tender": {"title": f"Constructed notice {i}"}, **extra}


def keys(con) -> set[str]:
    return {r[0] for r in con.execute("SELECT release_key FROM releases").fetchall()}


@pytest.fixture()
def con(tmp_path):
    c = store.open_store(tmp_path / "bad.duckdb")
    yield c
    c.close()


def _import_cli(tmp_path, capsys, *paths) -> tuple[int, str, str]:
    code = cli.main(["import", *map(str, paths), "--db", str(tmp_path / "cli.duckdb")])
    out = capsys.readouterr()
    return code, out.out, out.err


# ------------------------------------------------------------------------------------------- JSON documents

def test_trailing_garbage_keeps_the_package_and_records_a_reject(tmp_path, con):
    path = tmp_path / "trailing.json"
    path.write_text(json.dumps({"releases": [rel(1), rel(2)]}) + " garbage{", encoding="utf-8")
    summary = import_file(con, path)
    assert summary["items"] == 2 and keys(con) == {"ocds-constructed-1/1", "ocds-constructed-2/2"}
    assert summary["rejects"][0]["position"] == "document" and "trailing garbage" in summary["rejects"][0]["reason"]
    assert con.execute("SELECT count(*) FROM rejects WHERE source = ?", [str(path)]).fetchone()[0] == 1


@pytest.mark.parametrize("text,kind", [('"hello"', "string"), ("42", "number"), ("null", "null"), ("true", "boolean")])
def test_wrong_top_level_scalar_is_refused_by_name(tmp_path, capsys, text, kind):
    path = tmp_path / f"scalar_{kind}.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportFormatError, match=f"{path.name}: the JSON document is a single {kind}"):
        list(iter_file(path))
    code, _, err = _import_cli(tmp_path, capsys, path)
    assert code == 2 and "no usable releases" in err and "single " + kind in err


def test_top_level_array_of_non_objects_rejects_each_item(tmp_path, con):
    path = tmp_path / "numbers.json"
    path.write_text(json.dumps([1, "two", rel(3), None]), encoding="utf-8")
    summary = import_file(con, path)
    assert keys(con) == {"ocds-constructed-3/3"}
    assert [(r["position"], r["reason"]) for r in summary["rejects"]] == [
        ("item 0", "not a JSON object (int)"), ("item 1", "not a JSON object (str)"),
        ("item 3", "not a JSON object (NoneType)")]


def test_releases_that_is_not_a_list_is_one_clear_reject(tmp_path, con):
    path = tmp_path / "releases_object.json"
    path.write_text(json.dumps({"uri": "x", "releases": {"ocid": "nope"}}), encoding="utf-8")
    summary = import_file(con, path)
    assert summary["items"] == 0 and summary["rejects"][0]["position"] == "document"


@pytest.mark.parametrize("layout", ["package", "single", "jsonl"])
def test_deeply_nested_json_is_refused_without_memory_or_recursion_error(tmp_path, con, layout):
    bomb = "[" * 100_000 + "]" * 100_000  # 200 kB; cost O(depth²) in ijson prefixes before the cap
    if layout == "package":
        text = '{"releases": [' + json.dumps(rel(1)) + ', {"ocid": "x", "deep": ' + bomb + "}]}"
    elif layout == "single":
        text = '{"ocid": "x", "deep": ' + bomb + "}"
    else:
        text = json.dumps(rel(1)) + '\n{"ocid": "x", "deep": ' + bomb + "}\n" + json.dumps(rel(2)) + "\n"
    path = tmp_path / f"deep_{layout}.{'jsonl' if layout == 'jsonl' else 'json'}"
    path.write_text(text, encoding="utf-8")
    summary = import_file(con, path)
    reasons = [r["reason"] for r in summary["rejects"]]
    assert len(reasons) == 1 and "nested" in reasons[0] and "refused" in reasons[0]
    expected = {"package": {"ocds-constructed-1/1"}, "single": set(),
                "jsonl": {"ocds-constructed-1/1", "ocds-constructed-2/2"}}[layout]
    assert keys(con) == expected


def test_nesting_just_inside_the_cap_is_kept(tmp_path, con):
    deep: object = "leaf"
    for _ in range(MAX_DEPTH - 4):  # package → releases → release → ... stays within MAX_DEPTH
        deep = [deep]
    path = tmp_path / "deep_ok.json"
    path.write_text(json.dumps({"releases": [rel(1, extra=deep)]}), encoding="utf-8")
    assert import_file(con, path)["items"] == 1


def test_nul_bytes_in_json_and_jsonl(tmp_path, con):
    jsonl = tmp_path / "nul.jsonl"
    jsonl.write_bytes(json.dumps(rel(1)).encode() + b"\n\x00\x00\x00\n" + json.dumps(rel(2)).encode() + b"\n")
    summary = import_file(con, jsonl)
    assert summary["items"] == 2 and [r["position"] for r in summary["rejects"]] == ["line 2"]
    escaped = tmp_path / "nul_escaped.json"  # \u0000 is valid JSON: the text is kept verbatim
    escaped.write_text(json.dumps({"releases": [rel(3, description="a\u0000b")]}), encoding="utf-8")
    assert import_file(con, escaped)["items"] == 1
    assert con.execute("SELECT description FROM releases WHERE ocid = 'ocds-constructed-3'").fetchone()[0] == "a\x00b"
    raw = tmp_path / "nul_raw.json"  # a raw NUL inside a JSON string is not JSON: reject names the release
    raw.write_bytes(json.dumps({"releases": [rel(4), rel(5)]}).encode().replace(b"Constructed notice 5",
                                                                               b"Con\x00structed"))
    summary = import_file(con, raw)
    assert summary["items"] == 1 and summary["rejects"][0]["position"] == "release 1"


def test_bom_prefixed_json_is_read(tmp_path, con):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"releases": [rel(1)]}).encode())
    assert import_file(con, path)["items"] == 1


# --------------------------------------------------------------------------------- Contracts Finder CSV

CF_HEADER = "Notice Identifier,Notice Type,Organisation Name,Published Date,Title,Description"


def test_cf_csv_semicolon_delimited_with_bom(tmp_path, con):
    path = tmp_path / "semicolon.csv"
    text = CF_HEADER.replace(",", ";") + "\nc-1;Contract;Constructed Council;2024-05-01;Grounds, paths; parks;D\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    summary = import_file(con, path)
    # "Grounds, paths; parks" is unquoted so it splits into two cells: that row is ragged and rejected by row
    assert summary["items"] == 0 and summary["rejects"][0]["position"] == "row 2"
    path.write_bytes(b"\xef\xbb\xbf" + (CF_HEADER.replace(",", ";") +
                                        '\nc-1;Contract;Constructed Council;2024-05-01;"Grounds, paths; parks";D\n').encode())
    summary = import_file(con, path)
    assert summary["items"] == 1 and "semicolon-delimited" in " ".join(summary["notes"])
    assert con.execute("SELECT title FROM releases").fetchone()[0] == "Grounds, paths; parks"


def test_cf_csv_duplicated_header_is_noted_and_rows_kept(tmp_path, capsys):
    path = tmp_path / "dup_header.csv"
    path.write_text("Notice Identifier,Title,Title\nc-1,,Second title\nc-2,First,Other\n", encoding="utf-8")
    code, out, err = _import_cli(tmp_path, capsys, path)
    assert code == 0 and "2 releases" in out
    assert f"note {path} line 1: columns 2 ('Title'), 3 ('Title') all mean title" in err


def test_cf_csv_missing_header_names_what_was_found(tmp_path, capsys):
    path = tmp_path / "no_header.csv"
    path.write_text("c-1,Constructed title,Constructed Council\n", encoding="utf-8")
    code, _, err = _import_cli(tmp_path, capsys, path)
    assert code == 2 and "not a Contracts Finder export" in err and "found c-1, Constructed title" in err


def test_cf_csv_ragged_rows_short_and_long_are_rejected_by_row(tmp_path, con):
    path = tmp_path / "ragged.csv"
    path.write_text("Notice Identifier,Title,Description\nc-1,A,x\nc-2,B\nc-3,C,y,extra\nc-4,D,z\n", encoding="utf-8")
    summary = import_file(con, path)
    assert summary["items"] == 2 and keys(con) == {k for k in keys(con)} and len(keys(con)) == 2
    assert [(r["position"], r["reason"]) for r in summary["rejects"]] == [
        ("row 3", "expected 3 columns, found 2"), ("row 4", "expected 3 columns, found 4")]


def test_cf_csv_nul_byte_in_a_cell_is_kept_not_fatal(tmp_path, con):
    path = tmp_path / "nul.csv"
    path.write_bytes(b"Notice Identifier,Title\nc-1,Con\x00structed\nc-2,Fine\n")
    assert import_file(con, path)["items"] == 2


def test_cf_csv_mixed_encoding_records_the_note(tmp_path, con):
    path = tmp_path / "mixed.csv"
    path.write_bytes("Notice Identifier,Title\nc-1,Café – UTF-8\n".encode("utf-8") + "c-2,Café Latin-1\n".encode("latin-1"))
    summary = import_file(con, path)
    assert summary["items"] == 2 and summary["encoding"] == "utf-8-replace"
    assert "replaced" in con.execute("SELECT encoding_note FROM import_files").fetchone()[0]


# --------------------------------------------------------------------------------- archives and binaries

def _zip_bomb(n_mb: int = 200) -> bytes:
    """A ZIP whose one member inflates to n_mb MB of zeros (about 200 kB on disk)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("bomb.json", "w") as member:
            chunk = b"0" * (1 << 20)
            for _ in range(n_mb):
                member.write(chunk)
    return buf.getvalue()


@pytest.mark.parametrize("name,data,what", [
    ("bomb.zip", None, "ZIP archive"),
    ("notices.json.gz", gzip.compress(gzip.compress(json.dumps({"releases": [rel(1)]}).encode())),
     "gzip file inside a gzip file"),  # one gzip layer is read (test_reliability_damaged_downloads.py)
    ("sheet.xlsx", None, "save the sheet as CSV"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Excel"),
])
def test_archives_and_workbooks_are_refused_unopened(tmp_path, capsys, name, data, what):
    if name == "bomb.zip":
        data = _zip_bomb()
    if name == "sheet.xlsx":
        from openpyxl import Workbook
        buf = io.BytesIO()
        Workbook().save(buf)
        data = buf.getvalue()
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ImportFormatError, match=what):
        list(iter_file(path))
    code, _, err = _import_cli(tmp_path, capsys, path)
    assert code == 2 and f"{path}: skipped:" in err


def test_one_bad_file_among_good_ones_exits_0_and_keeps_the_good(tmp_path, capsys):
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps(rel(1)) + "\n", encoding="utf-8")
    bad = tmp_path / "bad.json.gz"
    bad.write_bytes(gzip.compress(gzip.compress(b"{}")))
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    code, out, err = _import_cli(tmp_path, capsys, bad, good, empty)
    assert code == 0 and "good.jsonl: jsonl, 1 releases" in out and "bad.json.gz: skipped" in err
    assert "rejected" in err and "empty file" in err


# ------------------------------------------------------------------------------------------ adoption upload

HEADER = "gss_code,council_name,status,source_url\n"
GOOD = "E07000177,Cherwell District Council,policy_adopted,https://x.gov.uk/a\n"  # real council, constructed URL


def _validate(data: bytes, name: str = "up.csv"):
    return adoption.validate_file(name, data=data, today=TODAY)


def test_adoption_empty_and_blank_files_are_one_clear_error():
    for data in (b"", b" \n\r\n", b"\x00\x00"):
        with pytest.raises(adoption.AdoptionFileError, match="up.csv: the file is empty"):
            _validate(data)


def test_adoption_header_only_file_has_no_usable_rows(tmp_path, capsys):
    path = tmp_path / "header_only.csv"
    path.write_text(HEADER, encoding="utf-8")
    assert cli.main(["adoption", "validate", str(path)]) == 2
    assert "no usable row" in capsys.readouterr().err


def test_adoption_mixed_encodings_are_decoded_per_line():
    data = (HEADER + GOOD).encode() + "E06000014,City of York Council – café,policy_adopted,https://y.gov.uk\n".encode(
        "cp1252") + "E06000001,Hartlepool Borough Council – ok,developing,https://h.gov.uk\n".encode()
    clean, msgs = _validate(data)
    names = set(clean["council_name"])
    assert "City of York Council – café" in names and "Hartlepool Borough Council – ok" in names  # no mojibake
    mixed = [m for m in msgs if "mixed encodings" in m.reason]
    assert mixed and mixed[0].row == 3 and "line(s) 3 " in mixed[0].reason


def test_adoption_nul_bytes_removed_with_a_warning():
    data = (HEADER + GOOD + "E06000014,City of York\x00 Council,policy_adopted,https://y.gov.uk\n").encode()
    clean, msgs = _validate(data)
    assert "City of York Council" in set(clean["council_name"])
    assert any("NUL byte(s) removed on line(s) 3" in m.reason for m in msgs)


def test_adoption_utf16_with_bom_is_read():
    clean, _ = _validate((HEADER + GOOD).encode("utf-16"))
    assert list(clean["gss_code"]) == ["E07000177"]


def test_adoption_unclosed_quote_is_a_row_error_not_a_crash():
    data = (HEADER + GOOD + 'E06000014,"City of York,policy_adopted,https://y\n').encode()
    clean, msgs = _validate(data)
    assert list(clean["gss_code"]) == ["E07000177"]
    assert {m.row for m in msgs if m.severity == "error"} == {3}


def test_adoption_oversized_field_names_the_file_and_reason():
    with pytest.raises(adoption.AdoptionFileError, match="huge.csv: not a readable CSV .*field limit"):
        _validate((HEADER + "E07000177,Cherwell," + "x" * 200_000 + ",https://x\n").encode(), "huge.csv")


def test_adoption_xlsx_zip_bomb_is_refused_before_inflating():
    with pytest.raises(adoption.AdoptionFileError, match="bomb.xlsx: refused: the workbook would expand to 200 MB"):
        _validate(_zip_bomb(200), "bomb.xlsx")
    small = _zip_bomb(5)  # under the size cap but 5 MB of zeros packs ~1000:1
    with pytest.raises(adoption.AdoptionFileError, match="decompression bomb"):
        _validate(small, "ratio.xlsx")


def test_adoption_garbage_with_a_zip_signature_is_one_clear_error():
    with pytest.raises(adoption.AdoptionFileError, match="x.xlsx: not a readable XLSX workbook"):
        _validate(b"PK\x03\x04 definitely not a workbook", "x.xlsx")


def _xlsx_with_cached_formula() -> bytes:
    """A workbook whose formula cell carries a saved value (as Excel writes it), plus a merged range."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["gss_code", "council_name", "status", "weighting_pct", "source_url"])
    ws.append(["E07000177", "Cherwell District Council", "policy_adopted", "=5*2", "https://x.gov.uk/a"])
    ws.append(["E06000014", "City of York Council", "policy_adopted", None, "https://y.gov.uk/b"])
    ws.append(["E06000014", None, "developing", None, "https://y.gov.uk/c"])
    ws.merge_cells("B3:B4")
    buf = io.BytesIO()
    wb.save(buf)
    # openpyxl writes <f> without <v>; add the cached value the way Excel saves it
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                assert "<f>5*2</f><v /></c>" in text
                text = text.replace("<f>5*2</f><v /></c>", "<f>5*2</f><v>10</v></c>")
                data = text.encode()
            dst.writestr(item, data)
    return out.getvalue()


def test_adoption_xlsx_formula_with_saved_value_and_merged_cells():
    clean, msgs = _validate(_xlsx_with_cached_formula(), "formulas.xlsx")
    assert len(clean) == 3
    cherwell = clean[clean["gss_code"].eq("E07000177")].iloc[0]
    assert cherwell["weighting_pct"] == 10.0
    assert any(m.row == 2 and m.column == "weighting_pct" and "formula read as its saved value" in m.reason for m in msgs)
    assert any("merged cells" in m.reason and m.column == "B3:B4" for m in msgs)
    assert (clean["council_name"] == "City of York Council").sum() == 2  # merged value copied down
