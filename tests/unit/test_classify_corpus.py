"""The social value sentence corpus (tests/data/sv_sentences.csv, issue 16) and `evaluate --cv`.

The corpus is real text (provenance in tests/data/README.md); the short texts below are CONSTRUCTED for the
cutting and report tests.
"""
from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from svdash.classify import classify, classify_baseline
from svdash.corpus import (CONFUSER, CORPUS_COLUMNS, N_FOLDS, TERM, candidates, cut_sentences, fold_of,
                           load_corpus)
from svdash.evaluate import classify_corpus, cv_report, format_cv_report

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "data" / "sv_sentences.csv"


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    return load_corpus(CORPUS)


# ------------------------------------------------------------------------------------------------------------
# Cutting text into sentences
# ------------------------------------------------------------------------------------------------------------

def test_sentences_end_at_punctuation_but_not_after_abbreviations():
    text = "Social value will be scored. Quality 60%, Social Value 10%, Price 30%. See e.g. Annex 4. Mr. J. Smith."
    assert cut_sentences(text) == ["Social value will be scored.", "Quality 60%, Social Value 10%, Price 30%.",
                                   "See e.g. Annex 4.", "Mr. J. Smith."]


def test_lost_escapes_are_line_breaks_only_where_they_can_be():
    text = "requirement.rn .rn N/Arn Community benefits are included. Yourn will pass the modern Contracts"
    assert cut_sentences(text, lost_escapes=True) == [
        "requirement.", "N/A", "Community benefits are included.", "Yourn will pass the modern Contracts"]
    assert cut_sentences(text) != cut_sentences(text, lost_escapes=True)  # only files that lost their escapes


def test_a_lead_in_and_its_short_items_are_one_statement_up_to_a_paragraph_break():
    text = ("The contractors will be assessed against a weighting criteria of:\nQuality = 70%\nPrice = 20%\n"
            "Social Value = 10%\n\nAnother sentence here.")
    assert cut_sentences(text) == ["The contractors will be assessed against a weighting criteria of:\n"
                                   "Quality = 70%\nPrice = 20%\nSocial Value = 10%", "Another sentence here."]
    reason = "We do not intend to include community benefits for the following reason:\nShort contract.\nNext."
    assert cut_sentences(reason) == ["We do not intend to include community benefits for the following reason:\n"
                                     "Short contract.", "Next."]


def test_candidates_keep_term_sentences_and_hard_negatives_of_the_same_document(tmp_path):
    release = {"ocid": "ocds-constructed-1", "id": "r1", "buyer": {"name": "Constructed Council"},
               "parties": [{"name": "Constructed Council", "roles": ["buyer"],
                            "contactPoint": {"name": "A Person", "email": "a.person@example.org"}}],
               "tender": {"description": "Social value will be scored. The service offers value for money. "
                                         "Contact a.person@example.org or 01234 567890 about social value. "
                                         "Vans are washed weekly.",
                          "lots": [{"id": "1", "awardCriteria": {"criteria": [
                              {"name": "Quality", "numbers": [{"number": 60, "weight": "percentageExact"}]},
                              {"name": "Social Value", "numbers": [{"number": 10, "weight": "percentageExact"}]}]}}]}}
    other = {"ocid": "ocds-constructed-2", "id": "r1", "buyer": {"name": "Other Body"},
             "tender": {"description": "The service offers value for money."}}
    path = tmp_path / "releases.json"
    path.write_text(json.dumps({"releases": [release, other]}))
    out = candidates([path])
    assert list(out.columns) == CORPUS_COLUMNS
    assert out["text"].tolist() == ["Social value will be scored.", "The service offers value for money.",
                                    "Contact [email removed] or [phone removed] about social value.",
                                    "Award criteria: Quality 60%; Social Value 10%"]
    assert set(out["ocid"]) == {"ocds-constructed-1"}  # a hard negative only where the document names a term
    assert "A Person" not in " ".join(out["text"])  # contactPoint is never read
    assert out["fold"].tolist() == [fold_of("name:constructed council")] * 4


def test_fold_of_is_deterministic_and_in_range():
    keys = [f"name:publisher {i}" for i in range(200)]
    folds = [fold_of(k) for k in keys]
    assert folds == [fold_of(k) for k in keys] and set(folds) == set(range(N_FOLDS))


# ------------------------------------------------------------------------------------------------------------
# The committed corpus
# ------------------------------------------------------------------------------------------------------------

def test_corpus_rows_are_well_formed(corpus):
    assert len(corpus) >= 300 and corpus["sentence_id"].is_unique
    assert set(corpus["fold"]) == set(range(N_FOLDS))
    # a publisher is never on both sides of a split: one fold per publisher, the fold of its key
    assert (corpus.groupby("publisher_key")["fold"].nunique() == 1).all()
    assert (corpus["fold"] == corpus["publisher_key"].map(fold_of)).all()
    applied = corpus["sv_status"] == "applied"
    weights = corpus.loc[corpus["weighting_pct"] != "", "weighting_pct"].astype(float)
    assert applied[weights.index].all() and weights.between(0, 100, inclusive="neither").all()
    themes = corpus["themes"]
    assert themes[~applied].eq("").all()
    assert themes.map(lambda t: t in {"", "economic", "social", "environmental", "economic|social",
                                      "economic|environmental", "social|environmental",
                                      "economic|social|environmental"}).all()
    assert corpus["text"].map(lambda t: bool(TERM.search(t) or CONFUSER.search(t))).all()
    assert set(corpus["sv_status"]) == {"applied", "dismissed", "none"}


def test_corpus_holds_no_personal_contact_data(corpus):
    text = "\n".join(corpus["text"])
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.-]+", text)
    assert not re.search(r"(?:\+44\s?|\b0)(?:\d[\s-]?){9,10}\b", text)


def test_load_corpus_rejects_what_is_not_a_labelled_corpus(tmp_path):
    bad = tmp_path / "c.csv"
    bad.write_text("sentence_id,text\nx,Social value\n")
    with pytest.raises(ValueError, match="missing column"):
        load_corpus(bad)
    bad.write_text("sentence_id,fold,text,sv_status,weighting_pct\nx,0,Social value,maybe,\n")
    with pytest.raises(ValueError, match="row 2: sv_status 'maybe'"):
        load_corpus(bad)
    with pytest.raises(FileNotFoundError):
        load_corpus(tmp_path / "missing.csv")


def test_fast_path_equals_baseline_on_every_corpus_sentence(corpus):
    frame = pd.DataFrame({"title": "", "description": corpus["text"]})
    fast = classify(frame)
    pd.testing.assert_frame_equal(fast, classify_baseline(frame))
    assert all(ev in t for ev, t in zip(fast["evidence"], corpus["text"]))


def test_no_weighting_is_invented_and_every_dismissal_is_found(corpus):
    """Regression guards on the whole corpus (development and held-out folds alike, see tests/data/README.md)."""
    rep = cv_report(corpus, classify_corpus(corpus))
    pooled = rep["pooled"]
    assert pooled["weighting"]["invented"] == 0
    assert pooled["weighting"]["exact_rate"] >= 0.95
    assert pooled["per_class"]["dismissed"]["recall"] == 1.0
    assert pooled["per_class"]["none"]["recall"] >= 0.95


# ------------------------------------------------------------------------------------------------------------
# The report
# ------------------------------------------------------------------------------------------------------------

def test_cv_report_counts_per_fold_and_pooled():
    corpus = pd.DataFrame({
        "sentence_id": [f"s{i}" for i in range(6)], "fold": [0, 0, 0, 1, 1, 1],
        "publisher_key": ["a", "a", "b", "c", "c", "d"], "themes": "",
        "text": ["x"] * 6, "sv_status": ["applied", "applied", "none", "applied", "dismissed", "none"],
        "weighting_pct": ["10", "", "", "5", "", ""]})
    predicted = pd.DataFrame({"sv_status": ["applied", "none", "none", "applied", "dismissed", "applied"],
                              "weighting_pct": [10.0, float("nan"), float("nan"), 7.0, float("nan"), 3.0],
                              "themes": "", "evidence": ""})
    rep = cv_report(corpus, predicted)
    f0, f1, pooled = rep["folds"][0], rep["folds"][1], rep["pooled"]
    assert f0["per_class"]["applied"]["recall"] == 0.5 and f0["weighting"] == {
        "stated": 1, "exact": 1, "invented": 0, "exact_rate": 1.0}
    assert f1["weighting"]["exact"] == 0 and f1["weighting"]["invented"] == 1
    assert pooled["rows"] == 6 and pooled["publishers"] == 4
    assert pooled["per_class"]["applied"]["recall"] == 2 / 3
    assert f0["macro_classes"] == ["applied", "none"]  # no dismissed in fold 0: averaged over what occurs
    assert len(rep["misses"]) == 3
    text = format_cv_report(rep, {"tuned_on_folds": [0], "sealed_folds": [1]}, show_misses=True)
    assert "pooled" in text and "held out (their errors not looked at while developing these rules): [1]" in text
    assert re.search(r"^1 .* held out$", text, re.M) and re.search(r"^0 .* development$", text, re.M)
    assert "misses (3)" in text
    assert cv_report(corpus, predicted, folds=[1])["pooled"]["rows"] == 3


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "svdash", "evaluate", *args], capture_output=True, text=True,
                          cwd=REPO)


def test_evaluate_cv_cli_prints_each_fold_and_the_pooled_figures():
    res = _run("--cv")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    for fold in range(N_FOLDS):
        assert any(re.match(rf"{fold}\s+\d+\s+\d+\s+[01]\.\d{{3}}", line) for line in lines), res.stdout
    assert any(line.startswith("pooled") for line in lines)
    assert "held out" in res.stdout


def test_evaluate_cli_errors_are_one_line(tmp_path):
    for args, msg in ((["--cv", "--folds", "9"], "no sentence in fold(s) [9]"),
                      (["--cv", "--folds", "a,b"], "whole numbers"),
                      (["--cv", "--corpus", str(tmp_path / "none.csv")], "not found"),
                      ([], "needs --labels")):
        res = _run(*args)
        assert res.returncode == 2 and msg in res.stderr and len(res.stderr.strip().splitlines()) == 1, res.stderr


# ------------------------------------------------------------------------------------------------------------
# Reproducing the corpus from the staged data
# ------------------------------------------------------------------------------------------------------------

def _extract_script():
    spec = importlib.util.spec_from_file_location("extract_sv_sentences", REPO / "scripts" / "extract_sv_sentences.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.shared
def test_extraction_reproduces_the_committed_corpus_and_agrees_with_notice_labels(shared_data, corpus, capsys):
    script = _extract_script()
    paths = script.input_files(shared_data)
    fresh = candidates(paths, script.publisher_keys(paths))
    mine = corpus.set_index("sentence_id")
    assert set(fresh["sentence_id"]) == set(mine.index)
    got = fresh.set_index("sentence_id").loc[mine.index]
    assert (got["text"] == mine["text"]).all() and (got["fold"] == mine["fold"]).all()
    assert script.check(corpus, fresh.attrs["documents"], shared_data) == 0, capsys.readouterr().out
