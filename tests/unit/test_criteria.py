"""Social value in published award criteria (svdash.criteria) and the Find a Tender fields flattening keeps
(notice type, legal basis, criteria as words): on real releases cut from the recorded Find a Tender days
(tests/fixtures/fts_criteria/README.md) and on constructed criteria lists."""
from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from svdash.classify import classify, classify_baseline
from svdash.criteria import is_sv_alone, judge, weighted_items
from svdash.sources.files import read_notices
from svdash.sources.ocds import award_criteria, flatten_release, legal_basis, notice_type


@pytest.fixture(scope="module")
def fts(fixtures_dir):
    pkg = json.loads((fixtures_dir / "fts_criteria" / "fts_criteria_releases.json").read_text(encoding="utf-8"))
    return {r["id"]: r for r in pkg["releases"]}


@pytest.fixture(scope="module")
def classified(fixtures_dir):
    frame = read_notices([fixtures_dir / "fts_criteria" / "fts_criteria_releases.json"])
    out = pd.concat([frame, classify(frame)], axis=1).set_index("release_id")
    return out, frame


def _verdict(rel):
    return judge(flatten_release(rel, "t")["award_criteria_json"])


@pytest.mark.parametrize("rid, weight, evidence", [
    ("075952-2026", 15.0, "Social Value (Social Value question) 15%"),    # Wigan: structured, percentageExact
    ("076431-2026", 10.0, "SOCIAL VALUE 10%"),                            # Bradford: typed price, named SV
    ("075676-2026", 10.0, "Social Value (Quality - Social Value 10%)"),   # Stroud: share stated in words only
    ("076232-2026", 12.0, "Social Value – Carbon and The Circular Economy 6%"),  # two SV sub-themes, 6 + 6
    ("075757-2026", 10.0, "10% Social Value"),                             # NHS England: block text only
    ("075854-2026", 10.0, "Social Value - 10%"),                           # criterion named as a list
])
def test_a_criterion_about_social_value_alone_gives_its_share(fts, rid, weight, evidence):
    v = _verdict(fts[rid])
    assert (v.status, v.weighting_pct, v.evidence) == ("applied", weight, evidence)
    assert math.isnan(v.combined_pct)
    # the evidence is a verbatim part of the text the dashboard shows
    assert evidence in flatten_release(fts[rid], "t")["description"]


def test_a_combined_criterion_is_applied_without_a_weighting_and_keeps_its_share(fts, classified):
    v = _verdict(fts["075880-2026"])  # "Technical / Social Value / Presentation" 55 %
    assert v.status == "applied" and math.isnan(v.weighting_pct) and v.combined_pct == 55.0
    out, _ = classified
    row = out.loc["075880-2026"]
    # the text rules alone would read 55 next to "Social Value": the criteria say it is not SV's share
    assert row["sv_status"] == "applied" and math.isnan(row["weighting_pct"])
    assert row["combined_weighting_pct"] == 55.0


def test_notices_without_social_value_criteria_stay_none(classified):
    out, _ = classified
    for rid in ("076241-2026", "076318-2026"):  # Hackney, Cambridgeshire: PSR direct awards, no SV
        assert out.loc[rid, "sv_status"] == "none", rid
        assert math.isnan(out.loc[rid, "weighting_pct"])


def test_psr_key_criteria_in_an_award_description_count(classified):
    out, _ = classified
    row = out.loc["075852-2026"]  # "Quality criterion - Name: Social Value / Weighting: 10%"
    assert (row["sv_status"], row["weighting_pct"]) == ("applied", 10.0)
    assert row["evidence"] in row["description"]


def test_fast_path_equals_the_baseline_on_real_criteria(classified):
    _, frame = classified
    pd.testing.assert_frame_equal(classify(frame), classify_baseline(frame))


def test_notice_type_and_legal_basis(fts):
    assert notice_type(fts["075952-2026"]) == "UK4"          # tender notice
    assert notice_type(fts["075624-2026"]) == "UK7"          # an award's contract details notice
    assert notice_type(fts["076241-2026"]) == ""             # a PCR 2015 notice carries no UK type
    assert legal_basis(fts["075952-2026"]) == "UKPGA:2023/54"
    assert legal_basis(fts["076241-2026"]) == "CELEX:32014L0024"
    row = flatten_release(fts["075952-2026"], "t")
    assert (row["notice_type"], row["legal_basis"]) == ("UK4", "UKPGA:2023/54")
    assert notice_type({"id": "1", "tender": {}}) == "" and legal_basis({}) == ""


def test_criteria_text_and_framework_text_are_flattened(fts):
    desc = flatten_release(fts["075757-2026"], "t")["description"]
    assert "60% Technical, 10% Social Value and 30% Commercial" in desc
    desc = flatten_release(fts["075624-2026"], "t")["description"]
    assert "Mobilisation and Delivery Timeline and Social Value." in desc  # techniques.frameworkAgreement
    items = json.loads(flatten_release(fts["075757-2026"], "t")["award_criteria_json"])
    assert [i["kind"] for i in items] == ["text"] and items[0]["text"].startswith("60% Technical")


@pytest.mark.parametrize("text, pairs", [
    ("70% price, 25% quality,  5% Social Value", [("price", 70.0), ("quality", 25.0), ("Social Value", 5.0)]),
    ("Quality: 60%\nSocial Value: 10%\nPrice: 30%", [("Quality", 60.0), ("Social Value", 10.0), ("Price", 30.0)]),
    # a range or a cap is not a stated share
    ("Quality 60%, Social Value up to 10%, Price 30%", [("Quality", 60.0), ("Social Value", None), ("Price", 30.0)]),
    ("Social Value 10-20%", [("Social Value", None)]),
])
def test_weighted_items_attach_each_number_to_its_own_label(text, pairs):
    assert [(label, share) for label, share, _ in weighted_items(text)] == pairs


@pytest.mark.parametrize("label, alone", [
    ("Social Value", True), ("SOCIAL VALUE", True), ("Social Value Outputs", True), ("Quality (Social Value)", True),
    ("Social Value and Community Benefits", True), ("Social Value – Nuisance and The Community", True),
    ("Approach to Social Value", True), ("Quality - Social Value", True),
    ("Quality including Social Value", False), ("Net Zero & Social Value", False),
    ("Technical / Social Value / Presentation", False), ("Technical and Social Value Questionnaire", False),
    ("Social Value & Sustainability", False),
])
def test_social_value_alone_or_combined(label, alone):
    assert is_sv_alone(label) is alone


def _crit(*items):
    return json.dumps([dict({"kind": "criterion", "lot": "1", "type": "quality", "description": ""}, **i)
                       for i in items])


def test_constructed_criteria_lists():
    # CONSTRUCTED criteria (made up for the test)
    v = judge(_crit({"name": "Quality including Social Value", "weight_pct": 70.0}, {"name": "Price", "weight_pct": 30.0}))
    assert v.status == "applied" and math.isnan(v.weighting_pct) and v.combined_pct == 70.0
    v = judge(_crit({"name": "Social Value", "weight_pct": 0.0}, {"name": "Price", "weight_pct": 100.0}))
    assert v.status == "dismissed" and v.evidence == "Social Value 0%"
    v = judge(_crit({"name": "Social Value", "description": "Not applicable", "weight_pct": None}))
    assert v.status == "dismissed"
    v = judge(_crit({"name": "Price", "weight_pct": 100.0}))
    assert v.status == "" and not v.evidence
    # two lots with different shares: the largest stated one, as for a procurement's releases
    v = judge(_crit({"name": "Social Value", "weight_pct": 5.0}, {"lot": "2", "name": "Social Value", "weight_pct": 10.0}))
    assert v.weighting_pct == 10.0
    # one SV criterion without a weight leaves the lot's SV share unknown
    v = judge(_crit({"name": "Social Value", "weight_pct": 5.0}, {"name": "Social Value outcomes", "weight_pct": None}))
    assert v.status == "applied" and math.isnan(v.weighting_pct)
    # the words of a block: "Price 70% Quality 30% (including social value)" has no SV share
    v = judge(json.dumps([{"kind": "text", "lot": "", "text": "Price 70% Quality 30% (including social value)"}]))
    assert v.status == "" and math.isnan(v.weighting_pct)
    assert judge("not json").status == "" and judge("").status == ""
    # items written before `text` existed are rendered as the description renders them
    old = json.dumps([{"lot": "1", "type": "quality", "name": "Social value", "description": "", "weight_pct": 12.5}])
    assert judge(old).evidence == "Social value 12.5%"


def test_weights_are_read_only_when_exact():
    rel = {"ocid": "ocds-constructed-1", "id": "1", "tender": {"lots": [{"id": "1", "awardCriteria": {"criteria": [
        {"name": "Social Value", "numbers": [{"number": 0.1, "weight": "decimalExact"}]},
        {"name": "Quality", "numbers": [{"number": 30, "weight": "percentageRangeMinimum"}]},
        {"name": "Price", "numbers": [{"number": 60, "weight": "percentageExact"}]}]}}]}}
    assert [c["weight_pct"] for c in award_criteria(rel)] == [10.0, None, 60.0]


def _constructed_release(criteria: list[dict]) -> dict:
    """CONSTRUCTED (made up for issue 22, not a published notice): a Procurement Act tender release in Find a
    Tender's shape, one lot whose criteria use the award criteria breakdown extension (`numbers[]`)."""
    return {"ocid": "ocds-constructed-issue22", "id": "constructed-issue22-1", "date": "2026-08-10T09:00:00Z",
            "tag": ["tender"], "tender": {"id": "c22", "title": "Constructed: grounds maintenance",
                                          "description": "Constructed notice for the criteria tests.",
                                          "lots": [{"id": "1", "awardCriteria": {"criteria": criteria}}]}}


def _criterion(name: str, description: str, pct: float, kind: str = "quality") -> dict:
    return {"type": kind, "name": name, "description": description,
            "numbers": [{"number": pct, "weight": "percentageExact"}]}


@pytest.mark.parametrize("name, description, pct", [
    ("Quality 2", "Social Value: how the bidder will deliver local employment", 10),
    ("Criterion 3", "Social Value", 5),
    ("Technical", "Approach to Social Value", 15),
    ("Question 4.1", "Social value - apprenticeships and local supply chain", 12),
])
def test_a_generic_criterion_described_as_social_value_carries_its_own_weight(name, description, pct):
    # CONSTRUCTED criteria: the name only says which part of the evaluation it is, the description names SV alone
    release = _constructed_release([_criterion("Quality 1", "Technical approach and method", 50),
                                    _criterion(name, description, pct),
                                    _criterion("Price", "Whole-life cost", 100 - 50 - pct, kind="price")])
    flat = flatten_release(release, "constructed")
    v = judge(flat["award_criteria_json"])
    assert (v.status, v.weighting_pct, v.pure) == ("applied", float(pct), True) and math.isnan(v.combined_pct)
    assert v.evidence == f"{name} ({description}) {pct}%" and v.evidence in flat["description"]
    row = classify(pd.DataFrame([flat])).iloc[0]  # and the notice, classified as the build does
    assert (row["sv_status"], row["weighting_pct"]) == ("applied", float(pct))


def test_a_generic_criterion_combining_social_value_with_other_things_is_a_combined_weighting():
    # CONSTRUCTED: "Quality" 60 % covers method, social value and mobilisation together: applied, but its 60 %
    # is not social value's share
    release = _constructed_release([
        _criterion("Quality", "Methodology, social value commitments and mobilisation plan", 60),
        _criterion("Price", "Total price", 40, kind="price")])
    flat = flatten_release(release, "constructed")
    v = judge(flat["award_criteria_json"])
    assert v.status == "applied" and math.isnan(v.weighting_pct) and v.combined_pct == 60.0 and not v.pure
    row = classify(pd.DataFrame([flat])).iloc[0]
    assert row["sv_status"] == "applied" and math.isnan(row["weighting_pct"])
    assert row["combined_weighting_pct"] == 60.0


def test_a_generic_name_with_a_specific_subject_is_not_taken_for_social_value():
    # CONSTRUCTED: only a bare category name ("Quality", "Quality 2") lends the description its subject;
    # "Quality of delivery" names its own subject, so SV in its description is combined with it
    v = judge(json.dumps([{"kind": "criterion", "lot": "1", "type": "quality", "name": "Quality of delivery",
                           "description": "Social value: local jobs", "weight_pct": 20.0}]))
    assert v.status == "applied" and math.isnan(v.weighting_pct) and v.combined_pct == 20.0
    # a generic criterion about SV alone weighted 0 % says SV is not assessed: dismissed
    v = judge(json.dumps([{"kind": "criterion", "lot": "1", "type": "quality", "name": "Quality 3",
                           "description": "Social Value", "weight_pct": 0.0}]))
    assert v.status == "dismissed"
