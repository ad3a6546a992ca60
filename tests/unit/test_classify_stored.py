"""Imports leave classification to `build`, which stores what it classified (`classifications`: the prefilter's
`none` rows and the classifier's) and reuses a stored row only for the same content key and rules version. The
facts of a natively imported store equal those of a streamed one. Data: SYNTHETIC (svdash synth)."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from svdash import pipeline, store, synth
from svdash.sources import native_import
from svdash.sources.files import import_file

N = 600


@pytest.fixture()
def jsonl(tmp_path):
    path = tmp_path / "synthetic_stored.jsonl"
    synth.write_jsonl(N, path, seed=21)
    return path


def _count_classified(monkeypatch) -> list[int]:
    seen: list[int] = []
    real = pipeline.classify_arrow

    def counting(title, *args, **kwargs):
        seen.append(len(title))
        return real(title, *args, **kwargs)

    monkeypatch.setattr(pipeline, "classify_arrow", counting)
    return seen


def _facts(con) -> pd.DataFrame:
    return con.execute("SELECT * FROM notice_facts ORDER BY release_key").df()


def _streamed_store(tmp_path, path, monkeypatch, name="streamed"):
    con = store.open_store(tmp_path / f"{name}.duckdb")
    with monkeypatch.context() as m:
        m.setattr(native_import, "eligible", lambda *a, **k: None)
        import_file(con, path)
    assert con.execute("SELECT count(*) FROM classifications").fetchone()[0] == 0  # left to build
    pipeline.build(con)
    return con


def test_build_classifies_stores_and_reuses(tmp_path, jsonl, monkeypatch):
    monkeypatch.setattr(native_import, "NATIVE_MIN_BYTES", 0)
    fast = store.open_store(tmp_path / "native.duckdb")
    assert "timings" in import_file(fast, jsonl)  # the native import
    assert fast.execute("SELECT count(*) FROM classifications").fetchone()[0] == 0  # left to build
    seen = _count_classified(monkeypatch)
    pipeline.build(fast)
    # the prefilter classified the releases that cannot name social value; the classifier only the others
    n_classified = sum(seen) - 1  # the prefilter's one-row template
    candidates = fast.execute("SELECT count(*) FROM notice_facts WHERE sv_status <> 'none' OR evidence <> ''"
                              ).fetchone()[0]
    assert candidates <= n_classified < N
    assert fast.execute("SELECT count(*), count(DISTINCT release_key) FROM classifications").fetchone() == (N, N)
    slow = _streamed_store(tmp_path, jsonl, monkeypatch)
    pd.testing.assert_frame_equal(_facts(fast).drop(columns="source"), _facts(slow).drop(columns="source"))
    assert set(_facts(fast)["sv_status"]) == {"applied", "dismissed", "none"}
    # build stored what it classified: the next build classifies nothing
    seen.clear()
    pipeline.build(fast)
    assert sum(seen) == 0
    pd.testing.assert_frame_equal(_facts(fast).drop(columns="source"), _facts(slow).drop(columns="source"))
    fast.close()
    slow.close()


def test_changed_content_and_new_rules_are_classified_again(tmp_path, jsonl, monkeypatch):
    con = store.open_store(tmp_path / "inc.duckdb")
    import_file(con, jsonl)
    pipeline.build(con)
    lines = jsonl.read_text(encoding="utf-8").splitlines()
    rel = json.loads(lines[9])
    rel["tender"]["description"] = "Social value is not applicable to this procurement."
    lines[9] = json.dumps(rel)
    changed = tmp_path / "changed.jsonl"
    changed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    seen = _count_classified(monkeypatch)
    with monkeypatch.context() as m:  # the changed release arrives through the streaming path: no stored class
        m.setattr(native_import, "eligible", lambda *a, **k: None)
        summary = import_file(con, changed)
    assert summary["updated"] == 1
    pipeline.build(con)
    assert sum(seen) == 2  # the changed release (it names social value) and the prefilter's template row
    key = f"{rel['ocid']}/{rel['id']}"
    assert con.execute("SELECT sv_status FROM notice_facts WHERE release_key = ?", [key]).fetchone()[0] == "dismissed"
    reference = _streamed_store(tmp_path, changed, monkeypatch, "reference")
    pd.testing.assert_frame_equal(_facts(con).drop(columns="source"), _facts(reference).drop(columns="source"))
    # classifications from another rules version are not reused
    con.execute("UPDATE classifications SET rules_version = 'older'")
    seen.clear()
    pipeline.build(con, full=True)  # (the live facts are current: an incremental build would rightly do nothing)
    n_none = con.execute("SELECT count(*) FROM notice_facts WHERE sv_status = 'none' AND evidence = ''").fetchone()[0]
    assert 0 < sum(seen) - 1 <= N and sum(seen) - 1 >= N - n_none  # all again, the prefilter's rows in SQL
    assert con.execute("SELECT count(*), count(DISTINCT release_key), min(rules_version) = max(rules_version) "
                       "FROM classifications").fetchone() == (N, N, True)
    pd.testing.assert_frame_equal(_facts(con).drop(columns="source"), _facts(reference).drop(columns="source"))
    # re-importing through the native path keeps one classification per release
    monkeypatch.setattr(native_import, "NATIVE_MIN_BYTES", 0)
    import_file(con, changed)
    assert con.execute("SELECT count(*), count(DISTINCT release_key) FROM classifications").fetchone() == (N, N)
    con.close()
    reference.close()
