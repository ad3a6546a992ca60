"""Adoption records: reading, one bad row per validation rule (good rows kept), merge and selection.

Rows marked CONSTRUCTED are made up for a rule; the others are copied from the real embedded records.
"""
from datetime import date
from io import BytesIO

import pandas as pd
import pytest

from svdash import adoption

TODAY = date(2026, 11, 27)
HEADER = "gss_code,council_name,status,policy_name,adopted_date,weighting_pct,uses_toms,source_url,source_title,accessed_note,confidence"
# Real row (Cherwell, from data/adoption/adoption_records.csv, trimmed text).
GOOD = ("E07000177,Cherwell District Council,policy_adopted,Social Value Policy,2022-02-07,,,"
        "https://modgov.cherwell.gov.uk/ieDecisionDetails.aspx?ID=3461,Decision,Executive approved,high")
GOOD2 = ("E06000014,City of York Council,policy_adopted,Social Value Policy,2018-12-20,,,"
         "https://democracy.york.gov.uk/ieDecisionDetails.aspx?ID=5404,Decision,Executive adopted,high")


def run(*bad_rows: str):
    text = "\n".join([HEADER, GOOD, *bad_rows, GOOD2]) + "\n"
    clean, msgs = adoption.validate(adoption.read_csv_bytes(text.encode(), "t.csv")[0], "t.csv", TODAY)
    return clean, msgs


# CONSTRUCTED bad rows, one per rule: (row, column, severity, words in the reason)
RULES = [
    ("E07000999,Nowhere District Council,policy_adopted,,,,,https://x.gov.uk/a,,,high", "gss_code", "error", "unknown GSS code"),
    ("E0700017,Cherwell District Council,policy_adopted,,,,,https://x.gov.uk/a,,,high", "gss_code", "error", "suggests E07000177"),
    ("W06000015,Cardiff Council,policy_adopted,,,,,https://x.gov.uk/a,,,high", "gss_code", "error", "not an English council"),
    ("E07000097,East Hertfordshire District Council,developing,,2016,,,https://x.gov.uk/a,,,medium", "gss_code", "warning", "today's code: E07000242"),
    ("E07000177,Oxford City Council,policy_adopted,,,,,https://x.gov.uk/a,,,high", "council_name", "warning", "matches E07000178"),
    (",Preston City Council,policy_adopted,,,,,https://x.gov.uk/a,,,high", "gss_code", "warning", "filled as E07000123"),
    (",Nowhereshire Council,policy_adopted,,,,,https://x.gov.uk/a,,,high", "gss_code", "warning", "matches no English council"),
    ("E07000177,Cherwell District Council,policy_adopted,,2027-03,,,https://x.gov.uk/a,,,high", "adopted_date", "error", "future"),
    ("E07000177,Cherwell District Council,policy_adopted,,2009,,,https://x.gov.uk/a,,,high", "adopted_date", "error", "before 2012"),
    ("E07000177,Cherwell District Council,policy_adopted,,07/02/2022,,,https://x.gov.uk/a,,,high", "adopted_date", "error", "not YYYY"),
    ("E07000177,Cherwell District Council,policy_adopted,,2022-02-30,,,https://x.gov.uk/a,,,high", "adopted_date", "error", "calendar day"),
    ("E07000177,Cherwell District Council,policy_adopted,,,120,,https://x.gov.uk/a,,,high", "weighting_pct", "error", "outside 0-100"),
    ("E07000177,Cherwell District Council,policy_adopted,,,ten,,https://x.gov.uk/a,,,high", "weighting_pct", "error", "not a number"),
    ("E07000177,Cherwell District Council,policy_adopted,,,,,,,,high", "source_url", "error", "no source URL"),
    ("E07000177,Cherwell District Council,policy_adopted,,,,,www.cherwell.gov.uk/sv,,,high", "source_url", "error", "not an http(s)"),
    ("E07000177,Cherwell District Council,adopted,,,,,https://x.gov.uk/a,,,high", "status", "error", "not one of"),
    ("E07000177,Cherwell District Council,policy_adopted,,,,maybe,https://x.gov.uk/a,,,high", "uses_toms", "warning", "not yes/no"),
    ("E07000177,Cherwell District Council,policy_adopted,,,,,https://x.gov.uk/a,,,certain", "confidence", "warning", "not high/medium/low"),
    (",,policy_adopted,,,,,https://x.gov.uk/a,,,high", "gss_code", "error", "no code and no council name"),
]


@pytest.mark.parametrize("row,column,severity,words", RULES, ids=[r[3] for r in RULES])
def test_each_rule_flags_its_row_and_keeps_the_good_rows(row, column, severity, words):
    clean, msgs = run(row)
    hits = [m for m in msgs if m.row == 3 and m.column == column and m.severity == severity]
    assert hits and words in hits[0].reason, msgs
    assert {"E07000177", "E06000014"} <= set(clean["gss_code"])  # the good rows (2 and 4) are kept
    assert len(clean) == (3 if severity == "warning" else 2)
    assert all(m.row == 3 for m in msgs)  # nothing said about the good rows


def test_percent_sign_and_case_are_normalised_silently():
    clean, msgs = run("E07000177,CHERWELL DISTRICT COUNCIL,Policy Adopted,,2022,10%,Yes,https://x.gov.uk/b,,,High")
    assert msgs == []
    row = clean.iloc[1]
    assert (row["status"], row["weighting_pct"], row["uses_toms"], row["confidence"]) == ("policy_adopted", 10.0, "yes", "high")


def test_csv_bom_semicolon_and_latin1():
    text = (HEADER.replace(",", ";") + "\n" +
            "E07000177;Cherwell District Council;policy_adopted;Politique sociale – café;2022;;;https://x.gov.uk/a;;;high\n")
    data = "\ufeff".encode() + text.encode("utf-8")
    raw, msgs = adoption.read_csv_bytes(data, "semi.csv")
    assert list(raw.columns[:2]) == ["_row", "gss_code"] and raw.loc[0, "gss_code"] == "E07000177"
    raw, msgs = adoption.read_csv_bytes(text.replace("–", "-").encode("latin-1"), "latin.csv")
    assert raw.loc[0, "policy_name"].endswith("café")
    assert any("not UTF-8" in m.reason for m in msgs)


@pytest.mark.parametrize("header,words", [
    ("gss_code,council_name,status", "missing required column(s) source_url"),
    ("gss_code,council_name,status,source_url,status", "duplicate column(s) in header: status"),
    ("gss_code,,status,source_url", "header cell(s) in column(s) [2] are empty"),
])
def test_bad_headers_are_one_clear_error(header, words):
    with pytest.raises(adoption.AdoptionFileError, match="bad.csv") as exc:
        adoption.read_csv_bytes((header + "\nE07000177,Cherwell,policy_adopted,https://x\n").encode(), "bad.csv")
    assert words in str(exc.value)


def test_ragged_row_is_an_error_for_that_row_only():
    text = "gss_code,council_name,status,source_url\nE07000177,Cherwell,policy_adopted,https://x.gov.uk,extra\n" \
           "E06000014,City of York Council,policy_adopted,https://y.gov.uk\n"
    raw, msgs = adoption.read_csv_bytes(text.encode(), "r.csv")
    assert [m.row for m in msgs] == [2] and len(raw) == 1 and raw.loc[0, "_row"] == 3


def test_xlsx_formulas_merged_cells_and_dates():
    from datetime import datetime

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["gss_code", "council_name", "status", "adopted_date", "weighting_pct", "source_url"])
    ws.append(["E07000177", "Cherwell District Council", "policy_adopted", datetime(2022, 2, 7), 10.0, "https://x.gov.uk/a"])
    ws.append(["E06000014", "City of York Council", "policy_adopted", 2018, "=5*2", "https://y.gov.uk/b"])
    ws.append(["E06000014", "City of York Council", "developing", None, None, "https://y.gov.uk/c"])
    ws.merge_cells("B3:B4")
    buf = BytesIO()
    wb.save(buf)  # openpyxl saves no cached formula values, like a workbook never opened in Excel
    raw, msgs = adoption.read_xlsx_bytes(buf.getvalue(), "t.xlsx")
    assert raw.loc[0, "adopted_date"] == "2022-02-07" and raw.loc[0, "weighting_pct"] == "10"
    assert raw.loc[1, "adopted_date"] == "2018"
    assert any(m.row == 3 and m.column == "weighting_pct" and "no saved value" in m.reason for m in msgs)
    assert any("merged" in m.reason and m.column == "B3:B4" for m in msgs)
    assert raw.loc[2, "council_name"] == "City of York Council"  # merged value copied down
    clean, vmsgs = adoption.validate(raw, "t.xlsx", TODAY)
    assert len(clean) == 3 and not [m for m in vmsgs if m.severity == "error"]


def test_real_excerpt_validates_with_expected_warnings(fixtures_dir):
    clean, msgs = adoption.validate_file(fixtures_dir / "adoption_records_real_excerpt.csv", today=TODAY)
    assert len(clean) == 12
    assert [m.severity for m in msgs] == ["warning", "warning"]  # Somerset's retired code, East Herts' blank code
    assert "E07000242" in set(clean["gss_code"])
    assert "note" in clean.columns and clean["note"].str.len().gt(20).all()  # accessed_note read as note


def _recs(rows):
    return adoption.to_schema(pd.DataFrame(rows))


def test_merge_lists_every_change_and_never_overwrites_silently():
    emb = _recs([
        {"gss_code": "E07000177", "council_name": "Cherwell", "status": "policy_adopted", "source_url": "https://a", "weighting_pct": ""},
        {"gss_code": "E06000014", "council_name": "York", "status": "policy_adopted", "source_url": "https://b", "weighting_pct": "10"},
    ])
    upl = _recs([
        {"gss_code": "E06000014", "council_name": "York", "status": "policy_adopted", "source_url": "https://b", "weighting_pct": "20"},
        {"gss_code": "E07000178", "council_name": "Oxford", "status": "developing", "source_url": "https://c", "weighting_pct": ""},
    ])
    merged, diff = adoption.merge(emb, upl)
    assert dict(zip(diff["gss_code"], diff["change"])) == {"E07000178": "added", "E06000014": "changed", "E07000177": "kept"}
    assert diff.loc[diff["change"].eq("changed"), "fields"].item() == "weighting_pct: '10' -> '20'"
    assert len(merged) == 3
    assert dict(zip(merged["gss_code"], merged["origin"])) == {"E07000177": "embedded", "E06000014": "uploaded", "E07000178": "uploaded"}
    again, diff2 = adoption.merge(merged, upl)  # re-importing the same file changes nothing
    assert set(diff2["change"]) == {"unchanged", "kept"} and again.equals(merged)


def test_one_per_council_prefers_found_then_latest_then_confidence(fixtures_dir):
    clean, _ = adoption.validate_file(fixtures_dir / "adoption_records_real_excerpt.csv", today=TODAY)
    best = adoption.one_per_council(clean).set_index("gss_code")
    assert best.loc["E06000023", "status"] == "developing"         # Bristol: not the undated none_found
    assert best.loc["E09000033", "status"] == "strategy_adopted"   # Westminster: 2022-03, not none_found
    assert best.loc["E07000178", "adopted_date"] == "2022-11-16"   # Oxford: the later of two dated rows
    assert best.loc["E07000178", "n_records"] == 2
    summary = adoption.adoption_summary(clean).set_index("gss_code")
    assert summary.loc["E06000066", "mapped_from"] == "E10000027"  # Somerset County → today's Somerset Council


@pytest.mark.shared
def test_staged_records_validate_cleanly(shared_data):
    clean, msgs = adoption.validate_file(shared_data / "adoption" / "adoption_records.csv", today=TODAY)
    assert len(clean) == 82 and not [m for m in msgs if m.severity == "error"]
    assert len({m.row for m in msgs}) == 3  # East Herts and GLA codes filled, Somerset retired code
    assert clean["gss_code"].nunique() == 75


def test_national_comparison_sets_policy_figures_beside_svdash():
    surveys = adoption.national_surveys()
    comp = surveys[surveys["comparable_measure"].ne("")]
    assert set(comp["year"]) == {2014, 2015, 2016, 2019, 2024}
    assert not comp["measure"].str.contains("no social value policy").any()
    mv = pd.DataFrame([{"level": "england", "period_type": "all", "measure_id": "adoption_recorded_share",
                        "value": 0.2, "ci_low": 0.16, "ci_high": 0.25, "numerator": 64, "denominator": 317}])
    side = adoption.national_comparison(mv, surveys)
    assert len(side) == len(comp) and (side["svdash_pct"] == 20).all()
    assert side["caveat"].str.contains("Different method and date").all()


def test_records_in_use_download_round_trips_as_unchanged():
    # tried: the 82 embedded (real, cited) records downloaded from the Upload page and uploaded back unedited:
    # nothing may read as added or changed (a formula guard or a date format would show up here)
    records = adoption.load_embedded()
    clean, messages = adoption.validate_file("adoption_records.csv", data=adoption.editable_csv(records))
    assert not [m for m in messages if m.severity == "error"]
    merged, diff = adoption.merge(records, clean)
    assert len(merged) == len(records)
    assert set(diff["change"]) == {"unchanged"}, diff[diff["change"].ne("unchanged")].head()
