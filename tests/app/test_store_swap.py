"""AppTest: a serving dashboard picks up a new build between two runs of one session — a store swapped in with
os.replace (as `snapshot import` does) or rebuilt in place — with no exception, and shows the new counts; a read
asked for one build never returns another's rows. Data: real Find a Tender excerpts (tests/fixtures/fts)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from svdash import pipeline, store
from svdash.sources.files import import_file
from tests.app.conftest import APP
from tests.conftest import FIXTURES
from ui import cache

# not the embedded snapshot's own files: a store of only those is rebuilt from the whole snapshot by ensure_store
PAGES = [FIXTURES / "fts" / "2026-08-10_page-002_excerpt.json", FIXTURES / "fts" / "2026-08-10_page-003_excerpt.json"]


def _built(path, pages):
    con = store.open_store(path)
    for page in pages:
        import_file(con, page)
    pipeline.build(con)
    con.close()
    return path


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    folder = tmp_path_factory.mktemp("builds")
    return _built(folder / "one_day.duckdb", PAGES[:1]), _built(folder / "two_days.duckdb", PAGES)


def _n_releases(path) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return int(con.execute("SELECT count(*) FROM notice_facts").fetchall()[0][0])
    finally:
        con.close()


def _sidebar_text(at) -> str:
    return " ".join(m.value for m in at.sidebar.markdown)


def test_a_store_swapped_under_an_open_session(builds, tmp_path, monkeypatch):
    one, two = builds
    live = tmp_path / "svdash.duckdb"
    shutil.copy(one, live)
    monkeypatch.setenv("SVDASH_DB", str(live))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert f"Notices: **{_n_releases(one):,}**" in _sidebar_text(at)
    staged = tmp_path / "svdash.duckdb.importing"
    shutil.copy(two, staged)
    os.replace(staged, live)  # what `svdash snapshot import` does
    at.run()
    assert not at.exception
    assert f"Notices: **{_n_releases(two):,}**" in _sidebar_text(at)
    at.switch_page("app_pages/council.py").run()  # on-demand reads of the new build work in the same session
    assert not at.exception


def test_a_store_rebuilt_in_place_between_runs(builds, tmp_path, monkeypatch):
    live = tmp_path / "svdash.duckdb"
    shutil.copy(builds[0], live)
    monkeypatch.setenv("SVDASH_DB", str(live))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert f"Notices: **{_n_releases(builds[0]):,}**" in _sidebar_text(at)
    con = store.open_store(live)
    import_file(con, PAGES[1])
    assert pipeline.build(con)["mode"] == "incremental"
    con.close()
    at.run()
    assert not at.exception
    assert f"Notices: **{_n_releases(builds[1]):,}**" in _sidebar_text(at)


def test_a_read_for_one_build_never_returns_another(builds, tmp_path):
    live = tmp_path / "svdash.duckdb"
    shutil.copy(builds[0], live)
    old = cache.store_identity(str(live))
    staged = tmp_path / "next.duckdb"
    shutil.copy(builds[1], staged)
    os.replace(staged, live)
    assert cache.store_identity(str(live)) != old
    with pytest.raises(cache.StoreChanged):  # nothing of the new build is cached under the old identity
        cache._tables(str(live), old)
    with pytest.raises(cache.StoreChanged):
        cache._status_counts(str(live), old)
    assert len(cache._tables(str(live), cache.store_identity(str(live)))["measure_values"])


def test_a_store_being_written_serves_the_previous_build(builds, tmp_path, monkeypatch):
    """DuckDB lets one process write a file or others read it: while a build writes the store in place the
    session keeps the build it read, says an update is running, and raises nothing."""
    live = tmp_path / "svdash.duckdb"
    shutil.copy(builds[0], live)
    monkeypatch.setenv("SVDASH_DB", str(live))
    at = AppTest.from_file(APP, default_timeout=60).run()
    n_before = f"Notices: **{_n_releases(builds[0]):,}**"
    assert n_before in _sidebar_text(at)
    writer = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('open', flush=True); time.sleep(120)", str(live)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "open"
        os.utime(live)  # the writer's checkpoint changes the file: a new identity the dashboard cannot read yet
        at.run()
        assert not at.exception
        assert n_before in _sidebar_text(at)
        assert any("being updated" in i.value for i in at.info)
        at.switch_page("app_pages/council.py").run()  # its notices are read on demand: not now, and no error
        assert not at.exception
    finally:
        writer.kill()
        writer.wait()
    at.run()  # the writer is gone: the new identity is read
    assert not at.exception and not any("being updated" in i.value for i in at.info)


def test_live_counts_not_yet_read_wait_for_the_writer_without_an_error(builds, tmp_path, monkeypatch):
    """Tried: a session that opened on Compare (which reads no live counts), then the Method page while a build
    holds the store: the counts (svdash.counts.read) are read on demand like the notices — a note, no exception."""
    live = tmp_path / "svdash.duckdb"
    shutil.copy(builds[0], live)
    monkeypatch.setenv("SVDASH_DB", str(live))
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("app_pages/compare.py").run()
    assert not at.exception
    writer = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('open', flush=True); time.sleep(120)", str(live)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "open"
        os.utime(live)
        at.switch_page("app_pages/method.py").run()
        assert not at.exception
        assert any("being updated" in i.value for i in at.info)
    finally:
        writer.kill()
        writer.wait()
    at.run()
    assert not at.exception and any("In this store" in m.value for m in at.markdown)


def test_first_run_on_a_missing_store_builds_it_and_reads_it_without_a_fallback(tmp_path, monkeypatch):
    """Tried: a new user's first page view, when the configured store does not exist yet (the run pins "no
    file", then builds the embedded snapshot into it): the page reads the store just built — no 'could not be
    used' fallback to a temporary store, no exception."""
    db = tmp_path / "new" / "svdash.duckdb"
    monkeypatch.setenv("SVDASH_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=180).run()
    assert not at.exception
    assert db.is_file()
    shown = " ".join(w.value for w in at.warning)
    assert "could not be used" not in shown and "temporary store" not in shown, shown
