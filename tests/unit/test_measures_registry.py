"""The measures registry: every real definition loads and is complete; a broken file reports all errors once."""
import pytest

from svdash import measures


def test_every_real_measure_is_complete():
    reg = measures.load_registry()
    ids = [m.id for m in reg.measures]
    for needed in ["sv_applied_share", "sv_applied_share_all", "sv_dismissed_share", "sv_weighting_median",
                   "sv_weighting_10plus_share", "sv_first_applied_quarter", "adoption_recorded_share",
                   "practice_vs_policy"]:
        assert needed in ids
    for m in reg.measures:
        assert m.compute in measures.COMPUTE
        assert m.denominator and m.numerator and len(m.rationale) > 80 and m.caveats and m.changelog
    # the coverage caveats the design requires travel with the notice measures
    text = " ".join(reg.caveats.values())
    for words in ["£10k", "£25k", "£12k", "£30k", "December 2022", "1 January 2021", "24 February 2025",
                  "not of the council's policy", "not \"not applied\""]:
        assert words in text
    assert "criteria_denominator" in reg.get("sv_applied_share").caveat_ids


BROKEN = """
version: "x"
caveats: {a: "text"}
measures:
  - id: Bad-Id
    title: t
    numerator: n
    denominator: ""
    unit: percent
    higher_is: better
    min_n: 0
    basis: notices
    compute: no_such_function
    rationale: r
    caveats: [a, missing_caveat]
    author: me
    checker: you
    next_review: soon
    changelog: [{date: "2026-01-01"}]
  - id: ok_measure
    title: t
    numerator: n
    denominator: d
    unit: share
    higher_is: better
    min_n: 5
    basis: notices
    compute: share_applied_all
    rationale: r
    caveats: [a]
    author: me
    checker: you
    next_review: "2027-01-01"
    changelog: [{date: "2026-01-01", change: first}]
    sql: "SELECT 1"
"""


def test_broken_file_reports_every_error_at_once(tmp_path):
    p = tmp_path / "broken_measures.yaml"  # CONSTRUCTED broken definitions
    p.write_text(BROKEN, encoding="utf-8")
    with pytest.raises(measures.RegistryError) as exc:
        measures.load_registry(p)
    errors = exc.value.errors
    expected = ["`denominator` is missing", "snake_case", "unit 'percent'", "min_n", "no_such_function",
                "missing_caveat", "next_review", "changelog", "unknown field(s) sql"]
    for words in expected:
        assert any(words in e for e in errors), (words, errors)
    assert len(errors) == len(expected)


def test_not_yaml_is_one_clear_error(tmp_path):
    p = tmp_path / "x.yaml"
    p.write_text("measures: [\n", encoding="utf-8")
    with pytest.raises(measures.RegistryError, match="not valid YAML"):
        measures.load_registry(p)


CATEGORY_BROKEN = """
version: "x"
caveats: {a: "text"}
measures:
  - id: cat_without_categories
    title: t
    numerator: n
    denominator: d
    unit: category
    higher_is: better
    min_n: 5
    basis: combined
    compute: adoption_evidence
    rationale: r
    caveats: [a]
    author: me
    checker: you
    next_review: "2027-01-01"
    changelog: [{date: "2026-01-01", change: first}]
  - id: share_with_categories_and_bad_labels
    title: t
    numerator: n
    denominator: d
    unit: share
    higher_is: better
    min_n: 5
    basis: records
    compute: adoption_recorded
    categories: [{id: a, label: A, colour: "#000", meaning: m}, {id: b, label: B, colour: "#fff", meaning: m}]
    binary_labels: {yes: "Y", no: "N"}
    rationale: r
    caveats: [a]
    author: me
    checker: you
    next_review: "2027-01-01"
    changelog: [{date: "2026-01-01", change: first}]
"""


def test_category_and_binary_fields_are_checked(tmp_path):
    p = tmp_path / "cat_measures.yaml"  # CONSTRUCTED broken definitions
    p.write_text(CATEGORY_BROKEN, encoding="utf-8")
    with pytest.raises(measures.RegistryError) as exc:
        measures.load_registry(p)
    text = "\n".join(exc.value.errors)
    assert "unit category needs `categories`" in text
    assert "`categories` only go with unit category" in text
    assert "binary_labels must give `with`" in text  # YAML reads yes/no keys as booleans: refused, not misread
    assert len(exc.value.errors) == 3


def test_the_headline_comes_first_with_its_categories_last_one_unknown():
    reg = measures.load_registry()
    head = reg.measures[0]
    assert head.id == "adoption_evidence" and head.unit == "category"
    assert [c["id"] for c in head.categories] == list(measures.EVIDENCE_CATEGORIES)
    assert "unknown" in head.categories[-1]["label"].lower() and "not adopted" not in head.categories[-1]["label"]
    assert {"evidence_categories", "tiers_evidence"} <= set(head.caveat_ids)
