"""The build's prefilter (svdash.pipeline._prefilter) loses nothing: a release whose text and criteria cannot name
social value (the rules' own `candidate` pattern, run by DuckDB's RE2) gets, in SQL, exactly the classification the
classifier would give it. Checked with whatever rules are current: builds with and without the prefilter give the
same facts and stored classifications on every real labelled file (../shared: the notices, the Find a Tender pages,
the passages) and on the real fixtures; and on SYNTHETIC data the prefilter does keep most releases out of Python."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from svdash import pipeline, store, synth
from svdash.classify import load_rules
from svdash.sources import native_import
from svdash.sources.files import import_file


def _built(tmp: Path, paths: list[Path], prefilter: bool, monkeypatch, name: str) -> dict[str, pd.DataFrame]:
    con = store.open_store(tmp / f"{name}.duckdb")
    try:
        for path in paths:
            import_file(con, path)
        with monkeypatch.context() as m:
            m.setattr(pipeline, "PREFILTER", prefilter)
            calls: list[int] = []
            real = pipeline.classify_arrow
            m.setattr(pipeline, "classify_arrow", lambda t, *a, **k: calls.append(len(t)) or real(t, *a, **k))
            pipeline.build(con)
        return {"facts": con.execute("SELECT * FROM notice_facts ORDER BY release_key").df(),
                "classes": con.execute("SELECT * FROM classifications ORDER BY release_key").df(),
                "procurements": con.execute("SELECT * FROM procurement_facts ORDER BY ocid").df(),
                "classified_in_python": pd.DataFrame({"n": [sum(calls)]})}
    finally:
        con.close()


def _assert_loses_nothing(tmp: Path, paths: list[Path], monkeypatch) -> tuple[int, int]:
    """(releases, releases classified in Python with the prefilter)."""
    with_pf = _built(tmp, paths, True, monkeypatch, "prefiltered")
    without = _built(tmp, paths, False, monkeypatch, "unfiltered")
    for name in ("facts", "classes", "procurements"):
        pd.testing.assert_frame_equal(with_pf[name], without[name], obj=name)
    n = len(with_pf["facts"])
    assert int(without["classified_in_python"]["n"][0]) == n  # without it, every release is classified
    return n, int(with_pf["classified_in_python"]["n"][0])


@pytest.mark.shared
def test_prefilter_loses_nothing_on_every_real_labelled_file(tmp_path, shared_data, monkeypatch):
    notices = shared_data / "notices"
    paths = (sorted(notices.glob("*/*.json")) + sorted((notices / "find_a_tender_2026-08").glob("*/*.json"))
             + [shared_data / "passages" / "passages_dev.json"])
    assert any("find_a_tender" in str(p) for p in paths) and len(paths) >= 16
    n, in_python = _assert_loses_nothing(tmp_path, paths, monkeypatch)
    assert n > 1500 and in_python < n  # the prefilter did take releases out of Python


def test_prefilter_loses_nothing_on_the_real_fixtures(tmp_path, fixtures_dir, monkeypatch):
    paths = (sorted((fixtures_dir / "ingest").glob("*.json")) + sorted((fixtures_dir / "fts").glob("*.json"))
             + [fixtures_dir / "real_releases_excerpt.json", fixtures_dir / "fts_criteria" / "fts_criteria_releases.json"])
    n, in_python = _assert_loses_nothing(tmp_path, paths, monkeypatch)
    assert n >= 20 and in_python < n


def test_prefilter_keeps_most_synthetic_releases_out_of_python(tmp_path, monkeypatch):
    monkeypatch.setattr(native_import, "NATIVE_MIN_BYTES", 0)
    path = tmp_path / "synthetic_prefilter.jsonl"
    synth.write_jsonl(3000, path, seed=13)
    n, in_python = _assert_loses_nothing(tmp_path, [path], monkeypatch)
    assert n == 3000 and in_python - 1 < n * 0.5  # (the 1: the template row); the mix is 70 % plain cases


def test_no_prefilter_when_the_rules_do_not_classify_an_empty_release_as_none():
    rules = load_rules()
    template = pipeline._none_template(rules)
    assert template is not None and template["sv_status"] == "none" and template["rules_version"] == rules.version
    # rules under which even an empty text shows criteria: the SQL cannot stand in for the classifier
    assert pipeline._none_template(dataclasses.replace(rules, criteria_visible="^")) is None


def test_classifying_in_worker_processes_gives_the_same_facts(tmp_path, monkeypatch):
    """Large builds classify in forked worker processes (PROCESS_MIN_ROWS); forced here on a small SYNTHETIC store."""
    path = tmp_path / "synthetic_processes.jsonl"
    synth.write_jsonl(1200, path, seed=17)
    threads = _built(tmp_path, [path], True, monkeypatch, "threads")
    monkeypatch.setattr(pipeline, "PROCESS_MIN_ROWS", 0)
    monkeypatch.setattr(pipeline, "BATCH_ROWS", 200)
    processes = _built(tmp_path, [path], True, monkeypatch, "processes")
    for name in ("facts", "classes", "procurements"):
        pd.testing.assert_frame_equal(threads[name].drop(columns=["source"], errors="ignore"),
                                      processes[name].drop(columns=["source"], errors="ignore"), obj=name)
    assert pipeline.STATS["classify_cpu_s"] > 0
