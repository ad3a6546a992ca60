"""A council's stated social value weighting in its policy record is a policy weighting, named for what it is
(svdash/policy_weighting.py, issue 22): minimum, standard, cap or range from the record's own words; read from the
words with the classifier's weighting grammar only where the curated column is blank; never a number the words do
not state. Real embedded records, plus CONSTRUCTED records (made-up notes) for what the embedded data lacks."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from svdash import adoption, export, views
from svdash import policy_weighting as pw
from svdash.filters import measure_def


@pytest.fixture(scope="module")
def embedded() -> pd.DataFrame:
    return pw.with_policy_weighting(adoption.to_schema(adoption.load_embedded()))


@pytest.mark.parametrize("council, pct, basis", [
    ("London Borough of Croydon", 10.0, pw.MINIMUM),      # "a minimum 10% social value mandate"
    ("Sheffield City Council", 15.0, pw.MINIMUM),         # "a 15% mandatory minimum social value weighting"
    ("South Ribble Borough Council", 15.0, pw.MINIMUM),   # "a standard minimum social value weighting of 15%"
    ("Bristol City Council", 10.0, pw.STANDARD),          # "a 10% social value weighting"
    ("Stroud District Council", 10.0, pw.STANDARD),       # "keeping a 10% social value evaluation"
    ("Essex County Council", 20.0, pw.MAXIMUM),           # "weight of up to 20%"
    ("Preston City Council", 20.0, pw.MAXIMUM),           # "worth up to 20% of the assessment"
    ("Solihull Metropolitan Borough Council", 5.0, pw.RANGE),  # "a social value element of 5-20%"
])
def test_embedded_records_say_what_their_weighting_is(embedded, council, pct, basis):
    rows = embedded[embedded["council_name"].eq(council)]
    assert (rows["weighting_pct"].iloc[0], rows["weighting_basis"].iloc[0]) == (pct, basis)
    assert rows["weighting_source"].iloc[0] == "record"


def test_no_weighting_is_invented_for_the_embedded_records(embedded):
    raw = adoption.to_schema(adoption.load_embedded())
    # every record without a curated weighting stays without one: their words state none of their own (Cheshire
    # West and Chester's note names central government's 10 % minimum, not the council's)
    assert embedded["weighting_pct"].isna().sum() == raw["weighting_pct"].isna().sum() > 0
    cwac = embedded[embedded["council_name"].eq("Cheshire West and Chester Council")].iloc[0]
    assert "10% minimum" in cwac["note"] and math.isnan(cwac["weighting_pct"]) and cwac["weighting_basis"] == ""
    assert set(embedded.loc[embedded["weighting_pct"].isna(), "weighting_source"]) == {""}


def _constructed(note: str, weighting: str = "") -> pd.DataFrame:
    return adoption.to_schema(pd.DataFrame([{
        "gss_code": "E07000008", "council_name": "Cambridge City Council", "status": "policy_adopted",
        "policy_name": "Social Value Policy", "adopted_date": "2021", "weighting_pct": weighting,
        "source_url": "https://example.org/constructed", "note": note, "confidence": "high"}]))


@pytest.mark.parametrize("note, pct, basis", [
    ("CONSTRUCTED: the policy sets a minimum of 10% social value weighting for tenders over 100k.", 10.0, pw.MINIMUM),
    ("CONSTRUCTED: social value is weighted at 15% of the evaluation in every tender.", 15.0, pw.STANDARD),
    ("CONSTRUCTED: tenders carry at least 20 per cent social value weighting.", 20.0, pw.MINIMUM),
])
def test_a_weighting_stated_in_the_words_fills_a_blank_column(note, pct, basis):
    row = pw.with_policy_weighting(_constructed(note)).iloc[0]
    assert (row["weighting_pct"], row["weighting_basis"], row["weighting_source"]) == (pct, basis, "record text")


@pytest.mark.parametrize("note", [
    "CONSTRUCTED: social value may be worth up to 20% of the evaluation.",        # a cap is not a weighting
    "CONSTRUCTED: the council follows central government's 10% minimum weighting.",  # not social value's own
    "CONSTRUCTED: quality 60%, price 40%; social value is considered.",            # another criterion's share
    "CONSTRUCTED: a social value policy with themes, outcomes and measures.",
])
def test_words_without_a_social_value_weighting_of_their_own_give_none(note):
    row = pw.with_policy_weighting(_constructed(note)).iloc[0]
    assert math.isnan(row["weighting_pct"]) and row["weighting_basis"] == "" and row["weighting_source"] == ""


def test_a_curated_weighting_is_kept_and_named_even_when_the_words_lack_the_number():
    row = pw.with_policy_weighting(_constructed("CONSTRUCTED: social value policy adopted.", "12")).iloc[0]
    assert (row["weighting_pct"], row["weighting_basis"], row["weighting_source"]) == (12.0, pw.AS_RECORDED, "record")


def test_summary_and_export_carry_the_policy_weighting_and_its_basis():
    summary = adoption.adoption_summary(adoption.load_embedded())
    croydon = summary[summary["gss_code"].eq("E09000008")].iloc[0]
    assert (croydon["weighting_pct"], croydon["weighting_basis"]) == (10.0, pw.MINIMUM)
    table = pd.DataFrame({"gss_code": ["E09000008", "E07000008"], "name": ["Croydon", "Cambridge"],
                          "category": ["policy_only", "unknown"]})
    values = pd.DataFrame(columns=["measure_id", "level", "period_type", "unit_code", "numerator", "denominator"])
    detailed = views.evidence_details(table, values, summary)
    assert detailed["record_weighting_basis"].tolist() == [pw.MINIMUM, ""]
    assert detailed["record_weighting_pct"].iloc[0] == 10.0 and math.isnan(detailed["record_weighting_pct"].iloc[1])
    # the headline's export names the weighting a policy weighting, with its basis
    shown = export.screen_table(detailed.assign(council_type="London borough", region_name="London",
                                                comparison_group="metropolitan", period="all", value=[1.0, 0.0]),
                                measure_def("adoption_evidence"))
    croydon = shown[shown["ONS code"].eq("E09000008")].iloc[0]
    assert (croydon["Policy weighting (%)"], croydon["Policy weighting basis"]) == (10.0, pw.MINIMUM)
    assert pd.isna(shown[shown["ONS code"].eq("E07000008")].iloc[0]["Policy weighting (%)"])
