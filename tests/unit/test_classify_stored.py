"""The bulk import classifies in its workers and stores the result (`classifications`); `build` reuses a
stored row only for the same content and rules version and classifies the rest. The facts must equal those
of a store whose releases came through the streaming path (classified by build). Data: SYNTHETIC (svdash synth)."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from svdash import pipeline, store, synth
from svdash.sources import bulk
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
        m.setattr(bulk, "eligible", lambda *a: False)
        import_file(con, path)
    assert con.execute("SELECT count(*) FROM classifications").fetchone()[0] == 0  # left to build
    pipeline.build(con)
    return con


def test_bulk_import_classifies_and_build_reuses_it(tmp_path, jsonl, monkeypatch):
    fast = store.open_store(tmp_path / "bulk.duckdb")
    import_file(fast, jsonl)
    assert fast.execute("SELECT count(*), count(DISTINCT release_key) FROM classifications").fetchone() == (N, N)
    seen = _count_classified(monkeypatch)
    pipeline.build(fast)
    assert sum(seen) == 0  # every release's classification was stored by the import
    slow = _streamed_store(tmp_path, jsonl, monkeypatch)
    assert sum(seen) == N  # the streaming path's releases are classified by build...
    pd.testing.assert_frame_equal(_facts(fast), _facts(slow))  # ...to the same facts
    assert set(_facts(fast)["sv_status"]) == {"applied", "dismissed", "none"}
    # build stored what it classified: the next build of the streamed store classifies nothing
    seen.clear()
    pipeline.build(slow)
    assert sum(seen) == 0 and slow.execute("SELECT count(*) FROM classifications").fetchone()[0] == N
    pd.testing.assert_frame_equal(_facts(fast), _facts(slow))
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
        m.setattr(bulk, "eligible", lambda *a: False)
        summary = import_file(con, changed)
    assert summary["updated"] == 1
    pipeline.build(con)
    assert sum(seen) == 1  # only the changed release
    key = f"{rel['ocid']}/{rel['id']}"
    assert con.execute("SELECT sv_status FROM notice_facts WHERE release_key = ?", [key]).fetchone()[0] == "dismissed"
    reference = _streamed_store(tmp_path, changed, monkeypatch, "reference")
    pd.testing.assert_frame_equal(_facts(con).drop(columns="source"), _facts(reference).drop(columns="source"))
    # classifications from another rules version are not reused
    con.execute("UPDATE classifications SET rules_version = 'older'")
    seen.clear()
    pipeline.build(con)
    assert sum(seen) == N
    assert con.execute("SELECT count(*), count(DISTINCT release_key), min(rules_version) = max(rules_version) "
                       "FROM classifications").fetchone() == (N, N, True)
    pd.testing.assert_frame_equal(_facts(con).drop(columns="source"), _facts(reference).drop(columns="source"))
    # re-importing through the bulk path keeps one classification per release
    import_file(con, changed)
    assert con.execute("SELECT count(*), count(DISTINCT release_key) FROM classifications").fetchone() == (N, N)
    con.close()
    reference.close()
