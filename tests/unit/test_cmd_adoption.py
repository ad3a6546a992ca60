"""`python -m svdash adoption validate|import` on the real excerpt and on CONSTRUCTED bad files."""
import duckdb

from svdash.cli import main

HEADER = "gss_code,council_name,status,source_url,weighting_pct\n"


def test_validate_prints_row_messages_and_exits_0_with_usable_rows(fixtures_dir, capsys):
    assert main(["adoption", "validate", str(fixtures_dir / "adoption_records_real_excerpt.csv")]) == 0
    out = capsys.readouterr().out
    assert "adoption_records_real_excerpt.csv:10 [gss_code] warning" in out  # Somerset's retired code
    assert "12 usable row(s)" in out


def test_validate_exits_1_when_any_row_has_an_error_like_a_linter(tmp_path, capsys):
    mixed = tmp_path / "mixed.csv"  # CONSTRUCTED: one good row, one without a source URL (an error)
    mixed.write_text(HEADER + "E07000177,Cherwell District Council,policy_adopted,https://x.gov.uk/a,\n"
                     + "E06000014,City of York Council,policy_adopted,,\n", encoding="utf-8")
    assert main(["adoption", "validate", str(mixed)]) == 1
    out = capsys.readouterr().out
    assert "mixed.csv:3 [source_url] error" in out and "1 usable row(s)" in out and "1 error(s)" in out
    warned = tmp_path / "warned.csv"  # CONSTRUCTED: a retired code is a warning only: clean for a pipeline
    warned.write_text(HEADER + "E10000027,Somerset County Council,policy_adopted,https://x.gov.uk/s,\n",
                      encoding="utf-8")
    assert main(["adoption", "validate", str(warned)]) == 0
    assert "warning" in capsys.readouterr().out


def test_validate_exits_2_when_no_row_is_usable(tmp_path, capsys):
    bad = tmp_path / "all_bad.csv"  # CONSTRUCTED
    bad.write_text(HEADER + "E07000177,Cherwell District Council,policy_adopted,,\n", encoding="utf-8")
    assert main(["adoption", "validate", str(bad)]) == 2
    captured = capsys.readouterr()
    assert "all_bad.csv:2 [source_url] error" in captured.out and "no usable row" in captured.err


def test_missing_file_and_bad_header_are_one_line_errors(tmp_path, capsys):
    assert main(["adoption", "validate", str(tmp_path / "nope.csv")]) == 2
    hdr = tmp_path / "hdr.csv"
    hdr.write_text("code,status\nE07000177,policy_adopted\n", encoding="utf-8")
    assert main(["adoption", "validate", str(hdr)]) == 2
    assert "missing required column(s) council_name, source_url" in capsys.readouterr().err


def test_import_merges_with_a_visible_diff(tmp_path, capsys):
    db = tmp_path / "store.duckdb"
    up = tmp_path / "upload.csv"  # CONSTRUCTED upload: one new record, one changed embedded record
    up.write_text(HEADER
                  + "E06000001,Hartlepool Borough Council,developing,https://example.org/hartlepool,\n"
                  + "E06000014,City of York Council,policy_adopted,"
                    "https://democracy.york.gov.uk/ieDecisionDetails.aspx?Id=5411,12\n", encoding="utf-8")
    assert main(["adoption", "import", str(up), "--db", str(db), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "dry run" in out and not db.exists()
    assert main(["adoption", "import", str(up), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "added     E06000001" in out and "diff: added 1, changed 1" in out
    assert "weighting_pct: '' -> '12'" in out and "confidence" not in out  # blank cells keep values
    con = duckdb.connect(str(db))
    origins = dict(con.execute("SELECT origin, count(*) FROM adoption_records GROUP BY 1").fetchall())
    assert origins["uploaded"] >= 1 and origins["embedded"] >= 80
    assert con.execute("SELECT count(*) FROM adoption_summary WHERE gss_code = 'E06000001'").fetchall()[0][0] == 1
    con.close()
    assert main(["adoption", "import", str(up), "--db", str(db)]) == 0  # same file again: nothing added
    assert "diff: added 0, changed 0" in capsys.readouterr().out
