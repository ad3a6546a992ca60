"""The headline measure "evidence of adoption" (categories per council, shares per group) and the adoption
timeline (first dated adoption, placement of year/month dates, cumulative steps), on CONSTRUCTED facts and
records with hand-worked answers."""
from datetime import date

import numpy as np
import pandas as pd
import pytest

from svdash import adoption, geo, measures

OXFORD, CHERWELL, OXON, BRISTOL, YORK = "E07000178", "E07000177", "E10000025", "E06000023", "E06000014"
NaN = float("nan")

# CONSTRUCTED procurement_facts: Oxford (a district of Oxfordshire) and the county itself each apply social
# value once; Bristol applies once; York and Cherwell publish nothing that applies it.
FACTS = pd.DataFrame([
    ("o1", "2024Q1", OXFORD, "council", "applied", 10.0, True),
    ("c1", "2024Q2", OXON, "council", "applied", NaN, True),
    ("b1", "2023Q4", BRISTOL, "council", "applied", 5.0, True),
    ("y1", "2024Q1", YORK, "council", "none", NaN, False),
    ("h1", "2024Q1", CHERWELL, "council", "dismissed", NaN, True),
], columns=["ocid", "quarter", "buyer_gss_code", "buyer_kind", "sv_status", "weighting_pct", "criteria_visible"])

# CONSTRUCTED records: Oxford adopted (+ practice → both); York adopted, no practice (policy only); Bristol
# developing + practice (practice is the stronger evidence → practice only); Oxfordshire developing + its own
# practice (practice only); Cherwell developing (developing).
RECORDS = adoption.to_schema(pd.DataFrame([
    {"gss_code": OXFORD, "council_name": "Oxford City Council", "status": "policy_adopted",
     "adopted_date": "2019-03-13", "source_url": "https://a"},
    {"gss_code": OXFORD, "council_name": "Oxford City Council", "status": "charter_adopted",
     "adopted_date": "2016", "source_url": "https://a2"},
    {"gss_code": YORK, "council_name": "City of York Council", "status": "policy_adopted", "adopted_date": "",
     "source_url": "https://y"},
    {"gss_code": BRISTOL, "council_name": "Bristol City Council", "status": "developing",
     "adopted_date": "2015-10", "source_url": "https://b"},
    {"gss_code": OXON, "council_name": "Oxfordshire County Council", "status": "developing", "adopted_date": "",
     "source_url": "https://d"},
    {"gss_code": CHERWELL, "council_name": "Cherwell District Council", "status": "developing",
     "adopted_date": "2022-02", "source_url": "https://e"},
]))


@pytest.fixture(scope="module")
def computed():
    councils = geo.load_councils()
    mv, summary = measures.compute_measure_values(FACTS, RECORDS, councils)
    return mv[mv["measure_id"].eq("adoption_evidence")], mv, summary, councils


def _cell(ev, level, code):
    return ev[ev["level"].eq(level) & ev["unit_code"].eq(code)].iloc[0]


def test_each_council_gets_its_category_from_its_own_record_and_notices(computed):
    ev, _, _, _ = computed
    want = {OXFORD: "both", YORK: "policy_only", BRISTOL: "practice_only", OXON: "practice_only",
            CHERWELL: "developing", "E07000179": "unknown"}  # South Oxfordshire: nothing found
    for code, cat in want.items():
        cell = _cell(ev, "council", code)
        assert cell["category"] == cat, code
        assert cell["value"] == (0.0 if cat == "unknown" else 1.0) and cell["denominator"] == 1
        assert np.isnan(cell["ci_low"]) and not cell["low_n"]  # a category, not an estimate of one council
    # the county's category is its own: Oxford's practice is not Oxfordshire's, and on the upper tier too
    assert _cell(ev, "upper_tier", OXON)["category"] == "practice_only"
    assert set(ev.loc[~ev["level"].isin(["council", "upper_tier"]), "category"]) == {""}


def test_groups_share_councils_with_evidence_with_wilson_intervals(computed):
    ev, mv, _, councils = computed
    eng = _cell(ev, "england", "E92000001")
    assert (eng["numerator"], eng["denominator"]) == (5, len(councils)) == (5, 317)
    south_east = _cell(ev, "region", "E12000008")  # Oxford, Cherwell and Oxfordshire are in the South East
    assert south_east["numerator"] == 3 and 0 < south_east["ci_low"] < 3 / south_east["denominator"] < south_east["ci_high"]
    assert ev["period_type"].eq("all").all()
    # the policy-record part equals the records' own measure: one population, two views
    policy = ev[ev["level"].eq("council") & ev["category"].isin(["policy_only", "both"])]
    recorded = mv[mv["measure_id"].eq("adoption_recorded_share") & mv["level"].eq("england")].iloc[0]
    assert len(policy) == recorded["numerator"] == 2


@pytest.mark.parametrize("adopted, applied, developing, want", [
    (1, 1, 0, "both"), (1, 0, 1, "policy_only"), (0, 1, 1, "practice_only"), (0, 0, 1, "developing"),
    (0, 0, 0, "unknown"), (0, 1, 0, "practice_only")])
def test_category_precedence(adopted, applied, developing, want):
    got = measures.evidence_category(pd.Series([adopted]), pd.Series([applied]), pd.Series([developing]))
    assert got.tolist() == [want]


def test_retired_code_record_counts_for_its_single_successor():
    somerset = adoption.to_schema(pd.DataFrame([{"gss_code": "E10000027", "council_name": "Somerset County Council",
                                                 "status": "policy_adopted", "adopted_date": "2020",
                                                 "source_url": "https://s"}]))
    mv, _ = measures.compute_measure_values(FACTS.iloc[0:0], somerset, geo.load_councils())
    ev = mv[mv["measure_id"].eq("adoption_evidence") & mv["level"].eq("council")].set_index("unit_code")
    assert ev.loc["E06000066", "category"] == "policy_only" and "E10000027" not in ev.index


@pytest.mark.parametrize("text, want", [("2016", date(2016, 12, 31)), ("2016-02", date(2016, 2, 29)),
                                        ("2016-05-12", date(2016, 5, 12)), ("", None), ("spring", None)])
def test_period_end_places_a_date_on_the_last_day_it_can_mean(text, want):
    assert adoption.period_end(text) == want


def test_timeline_uses_the_earliest_dated_adoption_and_keeps_undated_out(computed):
    _, _, summary, councils = computed
    oxford = summary.set_index("gss_code").loc[OXFORD]
    assert (oxford["first_adopted_date"], oxford["first_adopted_on"]) == ("2016", "2016-12-31")  # the charter
    t = measures.adoption_timeline(summary, councils).set_index("gss_code")
    assert set(t.index) == {OXFORD, YORK}  # adopted councils only (developing is not adoption)
    assert t.loc[OXFORD, "precision"] == "year" and t.loc[OXFORD, "placed"] == pd.Timestamp("2016-12-31")
    assert t.loc[YORK, "precision"] == "undated" and pd.isna(t.loc[YORK, "placed"])
    counts = measures.undated_counts(t.reset_index(), councils, "england").iloc[0]
    assert (counts["n_adopted"], counts["n_dated"], counts["n_undated"], counts["n_steps"]) == (2, 1, 1, 1)


def test_steps_are_cumulative_from_2013_and_end_at_the_given_day():
    councils = geo.load_councils()
    timeline = pd.DataFrame({"gss_code": [OXFORD, CHERWELL, YORK, BRISTOL],
                             "placed": pd.to_datetime(["2012-06-30", "2016-12-31", "2016-12-31", None])})
    steps = measures.adoption_steps(timeline, councils, "england", date(2020, 1, 1))
    assert steps["date"].dt.strftime("%Y-%m-%d").tolist() == ["2013-01-01", "2016-12-31", "2020-01-01"]
    assert steps["numerator"].tolist() == [1, 3, 3]  # a record before the Act counts from the start
    assert steps["added"].tolist() == [1, 2, 0] and steps["step"].tolist() == [True, True, False]
    assert (steps["denominator"] == 317).all() and steps["ci_low"].le(steps["value"]).all()
    yearly = measures.adoption_by_year(timeline, councils, "england", date(2020, 1, 1))
    assert yearly["period"].tolist()[:1] == ["2013"] and yearly["period"].iloc[-1] == "2020"
    assert yearly.set_index("period").loc["2016", "numerator"] == 3
    assert yearly.set_index("period").loc["2015", "numerator"] == 1
    groups = measures.adoption_steps(timeline, councils, "comparison_group", date(2020, 1, 1))
    assert set(groups["unit"]) == {"metropolitan", "other urban", "rural"}
