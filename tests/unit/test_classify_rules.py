"""Classifier rules on short sentences shaped like real notice text (constructed sentences, real phrasings).

Every case runs through the vectorised path AND the per-row baseline; both must agree.
"""
from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from svdash.classify import classify, classify_baseline, load_rules

CASES = [
    # (text, status, weighting or None, themes)
    ("Community benefits are included in this requirement.", "applied", None, ""),
    ("Under the terms of this contract the successful supplier(s) will be required to deliver Community Benefits "
     "in support of the authority's economic and social objectives. Accordingly, contract performance conditions "
     "may relate in particular to social and environmental considerations.",
     "applied", None, "economic|social|environmental"),
    ("The Contracting Authority does not intend to include any community benefit requirements in this contract "
     "for the following reason:rn n/a", "dismissed", None, ""),
    ("It is not thought to be feasible for operators to offer community benefits in a tender of this nature.",
     "dismissed", None, ""),
    ("Social value will not be evaluated as part of this procurement.", "dismissed", None, ""),
    ("The Social Value Act has been considered and is not relevant to this contract.", "dismissed", None, ""),
    ("The Public Services (Social Value) Act 2012 has been considered and is not relevant.", "dismissed", None, ""),
    ("Social Value: N/A", "dismissed", None, ""),
    # s.25 sub-contract clause exception: not a dismissal on its own
    ("The Contracting Authority does not intend to include a sub-contract clause as part of community benefits "
     "(as per Section 25 of the Procurement Reform (Scotland) Act 2014) in this contract for the following reason: "
     "N/A", "none", None, ""),
    # "see social value section" with a percentage nearby is neither evidence nor a weighting
    ("Price 90%. Please see social value section for further details.", "none", None, ""),
    ("The contract will be awarded on the basis of value for money.", "none", None, ""),
    ("Having the best educators will in turn support the best possible care for patients, delivering social value.",
     "none", None, ""),
    ("LHC clients may add community benefit requirements in their call-off contracts from this Framework.",
     "none", None, ""),
    ("Target Operating Model (TOM) Transition Support", "none", None, ""),
    ("The Council does not specifically record details of award criteria that has been used, relating to the "
     "Social Value (Public Services) Act 2012.", "none", None, ""),
    # weightings
    ("Award criteria: Quality 60%, Price 30%, Social Value 10%.", "applied", 10.0, ""),
    ("Community Benefits Proposalrn Including a breakdown of Community Benefits Points to be provided*t5%",
     "applied", 5.0, ""),
    ("To agree that all tendered contracts above £100,000 have a minimum of 10% of the total score allocated to "
     "Social Value.", "applied", 10.0, ""),
    ("For all contracts worth £100,000 or more, we apply a minimum of 10% weighting for social value within the "
     "evaluation questions.", "applied", 10.0, ""),
    ("Social&nbsp;Value &ndash; 10% of the total score.", "applied", 10.0, ""),
    ("SOCIAL VALUE (10%) WILL BE SCORED AS PART OF THE QUALITY ASSESSMENT.", "applied", 10.0, ""),
    ("Social value accounts for 10% of the quality score.", "applied", None, ""),   # share of quality, not total
    ("Social value weighting: up to 20%.", "applied", None, ""),                    # "up to" → blank
    ("A weighting of 10-20% will be given to social value.", "applied", None, ""),  # range → blank
    ("Bidders must meet a minimum of 10 Community Benefits points.", "applied", None, ""),  # points are not %
    # methods and requirements
    ("In line with PPN 06/20 a minimum 10% weighting will be applied to social value.", "applied", 10.0, ""),
    ("Rhondda Cynon Tafs Social Value Measures will be used for this contract, largely based on the TOM's Social "
     "Value model", "applied", None, ""),
    ("Social value will be measured using the National TOMs.", "applied", None, ""),
    ("Social value has no separate weighting but is integrated into the quality questions.", "applied", None, ""),
    ("<p>Social value will be <b>mandatory</b> in all contracts £100,000 and over.</p>", "applied", None, ""),
    ("<p>Social value</p><p>Not applicable.</p>", "none", None, ""),
    ("<p>Social value will be mandatory in all contracts £100,000 and over.</p>", "applied", None, ""),
    ("It is a contract condition that the contractor delivers community benefits as part of this Contract.",
     "applied", None, ""),
    # issue 16 grammar: subject + predicate + quantity in new combinations (constructed, the made-up kinds)
    ("Bids will also be scored on social value.", "applied", None, ""),
    ("Social value accounts for at least 15 per cent of the marks.", "applied", 15.0, ""),
    ("Ten per cent of the marks are for social value.", "applied", 10.0, ""),
    ("Quality 60%, Social Value 10%, Price 30%", "applied", 10.0, ""),
    ("60% Technical, 10% Social Value and 30% Commercial", "applied", 10.0, ""),   # not the neighbour's 30
    ("Price 70% Quality 30% (including social value)", "applied", None, ""),        # SV has no share of its own
    ("Quality including Social Value - 70%", "applied", None, ""),                  # combined criterion
    ("Social Value & Sustainability = 10%", "applied", None, ""),                   # combined criterion
    ("Social value questions (Quality 60%)", "applied", None, ""),                  # another criterion's number
    ("Quality criterion - Name: Social Value / Weighting: 10%", "applied", 10.0, ""),
    ("Award criteria: Social Value - Carbon 6%; Social Value - Community 6%; Price 88%", "applied", 12.0, ""),
    ("Award criteria: Call-Off Delivery 10%; Price 30%; Social Value 10%", "applied", 10.0, ""),
    ("Selection will be scored on the following elements:\nExperience\nApproach to delivery\nSocial Value",
     "applied", None, ""),
    ("Key performance indicators will include social value delivery.", "applied", None, ""),
    ("The Council has adopted a Social Value Policy.", "applied", None, ""),
    ("The Council applies social value in all its procurement.", "applied", None, ""),
    ("A summary of the expected community benefits has been provided as follows:\n"
     "Tenderers must offer one apprenticeship.", "applied", None, ""),
    ("While social value will not be evaluated, tenderers will be asked to complete the social value questions.",
     "applied", None, ""),
    # … and what stays none or dismissed
    ("A summary of the expected community benefits has been provided as follows:\n"
     "Any surplus is paid into our Community Benefit Fund.", "none", None, ""),
    ("Community benefits may be requested at call-off stage.", "none", None, ""),
    ("We require a social value management system for our contracts.", "none", None, ""),
    ("Value for money and added value will be assessed.", "none", None, ""),
    ("The provider delivers social care and wellbeing services.", "none", None, ""),
    ("Social value is not applicable to this procurement; however we welcome ideas.", "dismissed", None, ""),
    ("There is no social value in this contract.", "dismissed", None, ""),
]


def _frame(texts: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"title": ["constructed"] * len(texts), "description": texts})


@pytest.mark.parametrize("text,status,weight,themes", CASES)
def test_rule_case(text, status, weight, themes):
    frame = _frame([text])
    out = classify(frame)
    row = out.iloc[0]
    assert row["sv_status"] == status, row["evidence"]
    if weight is None:
        assert math.isnan(row["weighting_pct"])
    else:
        assert row["weighting_pct"] == weight
    assert row["themes"] == themes
    if status == "none":
        assert row["evidence"] == ""
    else:
        assert row["evidence"] and row["evidence"] in text
    pd.testing.assert_frame_equal(out, classify_baseline(frame))


def test_dismissal_is_outweighed_by_an_applied_statement_in_the_same_notice():
    text = ("Accordingly, while the community benefit objectives will not be evaluated as part of the tender "
            "process, tenderers will be asked to respond to the Community Benefits question.rn Community benefits "
            "are included in this requirement.")
    row = classify(_frame([text])).iloc[0]
    assert row["sv_status"] == "applied"
    assert row["evidence"] == "Community benefits are included in this requirement."


def test_structured_award_criteria_give_status_and_weight():
    crit = [{"lot": "1", "type": "quality", "name": "Social value", "description": "TOMs commitments",
             "weight_pct": 12.5},
            {"lot": "1", "type": "price", "name": "Price", "description": "", "weight_pct": 50.0}]
    # the description as svdash.sources.ocds renders these criteria
    text = "Award criteria (lot 1): Social value (TOMs commitments) 12.5%; Price 50%"
    frame = pd.DataFrame({"title": ["Grounds maintenance"], "description": [text],
                          "award_criteria_json": [json.dumps(crit)]})
    out = classify(frame)
    assert out.iloc[0]["sv_status"] == "applied"
    assert out.iloc[0]["weighting_pct"] == 12.5
    assert out.iloc[0]["evidence"] == "Social value (TOMs commitments) 12.5%" and out.iloc[0]["evidence"] in text
    assert bool(out.iloc[0]["criteria_visible"])
    pd.testing.assert_frame_equal(out, classify_baseline(frame))


def test_output_contract_keeps_index_and_columns():
    frame = _frame(["Social value 10%", "Office cleaning", ""]).set_axis([7, 3, 11])
    frame.loc[11, "description"] = None
    out = classify(frame)
    assert list(out.index) == [7, 3, 11]
    assert list(out.columns) == ["sv_status", "evidence", "weighting_pct", "themes", "criteria_visible",
                                 "rules_version", "combined_weighting_pct"]
    assert set(out["rules_version"]) == {load_rules().version}
    assert list(out["sv_status"]) == ["applied", "none", "none"]


def test_missing_text_column_is_a_clear_error():
    with pytest.raises(ValueError, match="description"):
        classify(pd.DataFrame({"title": ["x"]}))


def test_rules_are_versioned_data_with_a_changelog():
    import yaml

    from svdash.classify import RULES_PATH

    doc = yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))
    assert doc["version"] and doc["changelog"]
    assert doc["version"] in doc["changelog"][-1] or any(doc["version"] in c for c in doc["changelog"])


def test_a_broken_rule_file_names_the_rule(tmp_path):
    from svdash.classify import RULES_PATH

    text = RULES_PATH.read_text(encoding="utf-8").replace('linked_sentence: "^(?i:accordingly)\\\\b"',
                                                          'linked_sentence: "(?P<x"')
    bad = tmp_path / "rules.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="linked_sentence"):
        load_rules(bad)


def test_fast_path_equals_baseline_on_real_excerpt(fixtures_dir):
    from svdash.sources.files import read_notices

    frame = read_notices([fixtures_dir / "real_releases_excerpt.json"])
    fast = classify(frame)
    pd.testing.assert_frame_equal(fast, classify_baseline(frame))
    texts = (frame["title"] + "\n" + frame["description"]).tolist()
    assert all(ev in t for ev, t in zip(fast["evidence"], texts))
    assert (fast["sv_status"] != "none").sum() == 3
