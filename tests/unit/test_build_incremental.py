"""An incremental build (the default after a first build) gives exactly the tables a full rebuild of the same store
gives: after new releases, a changed release that moves its procurement's status, and changed adoption records.
Data: real embedded Find a Tender pages (data/notices) and a small SYNTHETIC store (svdash synth)."""
from __future__ import annotations

import copy
import json

import pandas as pd
import pytest

from svdash import adoption, geo, measures, pipeline, store, synth
from svdash.bench_update import COMPARED, differing_tables
from svdash.paths import NOTICES_DIR
from svdash.sources.files import import_file

FTS = NOTICES_DIR / "find_a_tender_2026-08"
TABLES = ["notice_facts", "procurement_facts", "measure_values", "adoption_summary", "unmatched_buyers",
          "measure_counts", "measure_weights"]
SV_TEXT = ("Social value will be evaluated and carries a weighting of 10% of the total score, assessed against "
           "the council's social value priorities.")


def tables(con) -> dict[str, pd.DataFrame]:
    """Every table a build writes, in a canonical row order (build_info without its time stamp)."""
    out = {}
    for name in TABLES:
        frame = con.execute(f"SELECT * FROM {name}").df()
        out[name] = frame.sort_values(list(frame.columns), kind="stable").reset_index(drop=True)
    out["build_info"] = con.execute("SELECT * EXCLUDE (built_at) FROM build_info").df()
    return out


def assert_same_as_full(con) -> dict[str, pd.DataFrame]:
    """The live tables (after an incremental build) equal a full rebuild of the same store: as multisets of rows in
    DuckDB (EXCEPT ALL both ways, every table the build writes) and as frames in a canonical order."""
    incremental = tables(con)
    for name in COMPARED:
        con.execute(f"CREATE OR REPLACE TABLE _inc_{name} AS SELECT * FROM {name}")
    assert pipeline.build(con, full=True)["mode"] == "full"
    assert differing_tables(con, "_inc_") == []
    for name in COMPARED:
        con.execute(f"DROP TABLE _inc_{name}")
    full = tables(con)
    for name, frame in full.items():
        pd.testing.assert_frame_equal(incremental[name], frame, check_exact=True, obj=name)
    return full


def _changed_package(tmp_path, page, pick) -> tuple[str, str]:
    """A copy of one release of `page` whose text now applies social value, as a one-release package file."""
    package = json.loads(page.read_text(encoding="utf-8"))
    release = copy.deepcopy(next(r for r in package["releases"] if pick(r)))
    release["tender"]["description"] = release["tender"].get("description", "") + "\n\n" + SV_TEXT
    package["releases"] = [release]
    out = tmp_path / "corrected.json"
    out.write_text(json.dumps(package), encoding="utf-8")
    return str(out), release["ocid"]


def test_incremental_equals_full_on_real_pages(tmp_path):
    con = store.open_store(tmp_path / "s.duckdb")
    import_file(con, FTS / "2026-08-10" / "page-001.json")
    assert pipeline.build(con)["mode"] == "full"  # the first build
    # a day's pages arrive: only they are built
    for page in ("2026-08-10/page-002.json", "2026-08-11/page-001.json"):
        import_file(con, FTS / page)
    added = con.execute("SELECT count(*) FROM releases").fetchone()[0] - 100
    counts = pipeline.build(con)
    assert counts["mode"] == "incremental" and counts["releases_rebuilt"] == added
    assert_same_as_full(con)

    # a correction: a council's release whose procurement applied nothing now applies social value
    none_ocids = {r[0] for r in con.execute(
        "SELECT ocid FROM procurement_facts WHERE sv_status = 'none' AND buyer_kind = 'council'").fetchall()}
    path, ocid = _changed_package(tmp_path, FTS / "2026-08-10" / "page-001.json", lambda r: r["ocid"] in none_ocids)
    assert import_file(con, path)["updated"] == 1
    counts = pipeline.build(con)
    assert counts["mode"] == "incremental" and counts["releases_rebuilt"] == 1
    assert con.execute("SELECT sv_status FROM procurement_facts WHERE ocid = ?", [ocid]).fetchone()[0] == "applied"
    assert_same_as_full(con)


def test_adoption_records_changed_recompute_the_measures(tmp_path):
    con = store.open_store(tmp_path / "s.duckdb")
    import_file(con, FTS / "2026-08-11" / "page-002.json")
    pipeline.build(con)
    adopted = con.execute("SELECT gss_code FROM adoption_summary WHERE status IN ? ORDER BY gss_code LIMIT 1",
                          [list(adoption.ADOPTED_STATUSES)]).fetchone()[0]
    before = con.execute("SELECT category FROM measure_values WHERE measure_id = 'adoption_evidence' "
                         "AND level = 'council' AND unit_code = ?", [adopted]).fetchone()[0]
    con.execute("DELETE FROM adoption_records WHERE gss_code = ?", [adopted])  # its records withdrawn
    counts = pipeline.build(con)
    assert counts["mode"] == "incremental" and counts["releases_rebuilt"] == 0
    after = con.execute("SELECT category FROM measure_values WHERE measure_id = 'adoption_evidence' "
                        "AND level = 'council' AND unit_code = ?", [adopted]).fetchone()[0]
    assert before in ("both", "policy_only") and after in ("practice_only", "unknown")
    assert counts["measure_cells_rewritten"] == "all"  # other records: every row computed again
    assert_same_as_full(con)


@pytest.mark.parametrize("prefilter", [True, False])
def test_incremental_equals_full_on_synthetic(tmp_path, monkeypatch, prefilter):
    # without the prefilter the classifier's stream reads the scope's stored classifications on a second connection
    monkeypatch.setattr(pipeline, "PREFILTER", prefilter)
    con = store.open_store(tmp_path / "s.duckdb")
    synth.write_jsonl(400, tmp_path / "base.jsonl", seed=31)
    synth.write_jsonl(60, tmp_path / "day.jsonl", seed=32)
    import_file(con, tmp_path / "base.jsonl")
    pipeline.build(con)
    import_file(con, tmp_path / "day.jsonl")
    counts = pipeline.build(con)
    assert counts["mode"] == "incremental" and counts["releases_rebuilt"] == 60
    full = assert_same_as_full(con)
    assert full["build_info"]["n_releases"].iloc[0] == 460


def test_a_failed_incremental_build_leaves_the_live_tables(tmp_path, monkeypatch):
    con = store.open_store(tmp_path / "s.duckdb")
    import_file(con, FTS / "2026-08-10" / "page-005.json")
    pipeline.build(con)
    before = tables(con)
    import_file(con, FTS / "2026-08-11" / "page-005.json")

    def crash(*args, **kwargs):
        raise RuntimeError("killed mid-build")

    monkeypatch.setattr(pipeline, "_unmatched_and_info", crash)
    with pytest.raises(RuntimeError):
        pipeline.build(con)
    for name, frame in tables(con).items():
        pd.testing.assert_frame_equal(frame, before[name], obj=name)
    monkeypatch.undo()
    assert pipeline.build(con)["mode"] == "incremental"  # the next build does the work
    assert_same_as_full(con)


def test_a_release_removed_outside_an_import_forces_a_full_build(tmp_path):
    con = store.open_store(tmp_path / "s.duckdb")
    import_file(con, FTS / "2026-08-10" / "page-005.json")
    pipeline.build(con)
    con.execute("DELETE FROM releases WHERE release_key = (SELECT min(release_key) FROM releases)")
    assert pipeline.build(con)["mode"] == "full"
    assert_same_as_full(con)


def test_buyers_resolved_again_only_where_their_peer_group_changed(tmp_path):
    """Resolving only the new buyers and their identifier peers gives what resolving every buyer gives, with
    buyers both new and gone (real Find a Tender buyers, GB-PPON peers among them)."""
    from svdash.buyers import peer_key

    before = store.open_store(tmp_path / "before.duckdb")
    for page in ("2026-08-10/page-001.json", "2026-08-10/page-002.json", "2026-08-10/page-003.json"):
        import_file(before, FTS / page)
    previous = pipeline._resolved_buyers(before)
    now = store.open_store(tmp_path / "now.duckdb")
    for page in ("2026-08-10/page-003.json", "2026-08-10/page-004.json", "2026-08-11/page-001.json"):
        import_file(now, FTS / page)
    keys = set(map(tuple, pipeline._resolved_buyers(now)[pipeline.BUYER_KEYS].to_numpy()))
    kept = set(map(tuple, previous[pipeline.BUYER_KEYS].to_numpy()))
    assert keys - kept and kept - keys and keys & kept  # new, gone and kept buyers
    ids = pd.Series([k[1] for k in keys]).map(peer_key)
    assert ids[ids.ne("")].duplicated().any()  # some buyers are peers

    def ordered(frame):
        return frame.sort_values(pipeline.BUYER_KEYS).reset_index(drop=True)

    pd.testing.assert_frame_equal(ordered(pipeline._resolved_buyers(now, previous)),
                                  ordered(pipeline._resolved_buyers(now)), check_exact=True)


def test_a_store_built_under_another_release_key_rule_builds_in_full(tmp_path):
    # store.rekey rewrites keys in place (no new imported_at): the facts built under the old rule must all go
    con = store.open_store(tmp_path / "s.duckdb")
    import_file(con, FTS / "2026-08-10" / "page-005.json")
    pipeline.build(con)
    assert store.get_meta(con, pipeline.BUILD_KEY_VERSION_KEY) == store.get_meta(con, store.KEY_VERSION_KEY)
    store.set_meta(con, pipeline.BUILD_KEY_VERSION_KEY, "an older rule")
    assert pipeline.build(con)["mode"] == "full"
    assert pipeline.build(con)["mode"] == "incremental"


def _one_release_package(tmp_path, page, pick, name: str, change=None) -> tuple[str, dict]:
    """One release of a real page (chosen by `pick`, changed by `change`) as a one-release package file."""
    package = json.loads(page.read_text(encoding="utf-8"))
    release = copy.deepcopy(next(r for r in package["releases"] if pick(r)))
    if change:
        change(release)
    package["releases"] = [release]
    out = tmp_path / name
    out.write_text(json.dumps(package), encoding="utf-8")
    return str(out), release


def _council_units(gss: str) -> set[tuple[str, str]]:
    units = measures.unit_map(geo.load_councils())
    return set(map(tuple, units.loc[units["gss_code"].eq(gss), ["level", "unit_code"]].to_numpy()))


def _rewritten_cells(con, previous: pd.DataFrame) -> set[tuple]:
    """The (level, unit_code, period_type, period) cells whose measure_values rows differ from `previous`."""
    now = con.execute("SELECT * FROM measure_values").df()
    keys = measures.CELL_KEYS
    merged = previous.merge(now, how="outer", indicator=True)
    return set(map(tuple, merged.loc[merged["_merge"].ne("both"), keys].to_numpy()))


def test_a_release_of_one_council_in_one_quarter_rewrites_only_its_cells(tmp_path):
    """Real pages: a new release of a council dated in a quarter the store has rewrites the rows of that council's
    units (council, upper tier, region, type, group, England) in that quarter, its year and 'all' — no others."""
    con = store.open_store(tmp_path / "s.duckdb")
    import_file(con, FTS / "2026-08-10" / "page-001.json")
    pipeline.build(con)
    stored = {r[0] for r in con.execute("SELECT ocid FROM releases").fetchall()}
    councils = set(geo.load_councils()["gss_code"])
    build_buyers = con.execute("SELECT buyer_name, buyer_gss_code FROM build_buyers WHERE buyer_kind = 'council'").df()
    names = dict(zip(build_buyers["buyer_name"], build_buyers["buyer_gss_code"]))
    path, release = _one_release_package(
        tmp_path, FTS / "2026-08-10" / "page-002.json",
        lambda r: r["ocid"] not in stored and names.get(r.get("buyer", {}).get("name")) in councils, "one.json")
    gss = names[release["buyer"]["name"]]
    previous = con.execute("SELECT * FROM measure_values").df()
    assert import_file(con, path)["new"] == 1
    counts = pipeline.build(con)
    quarter = con.execute("SELECT quarter FROM procurement_facts WHERE ocid = ?", [release["ocid"]]).fetchone()[0]
    assert counts["mode"] == "incremental" and quarter == "2026Q3"
    cells = {(lv, u, pt, p) for lv, u in _council_units(gss)
             for pt, p in (("quarter", quarter), ("year", quarter[:4]), ("all", "all"))}
    assert counts["measure_cells_rewritten"] == len(cells) == 18
    changed = _rewritten_cells(con, previous)
    assert changed and changed <= cells
    assert_same_as_full(con)


def test_an_undated_release_touches_only_the_all_period(tmp_path):
    """A council's release without a date counts in 'all' only: the 'all' rows of its units are rewritten."""
    con = store.open_store(tmp_path / "s.duckdb")
    import_file(con, FTS / "2026-08-11" / "page-001.json")
    pipeline.build(con)
    council = con.execute("SELECT release_id, buyer_gss_code FROM notice_facts WHERE buyer_kind = 'council' "
                          "ORDER BY release_key LIMIT 1").fetchone()
    path, release = _one_release_package(
        tmp_path, FTS / "2026-08-11" / "page-001.json", lambda r: r["id"] == council[0], "undated.json",
        lambda r: r.update(ocid=r["ocid"] + "-undated", id=r["id"] + "-undated", date=None))
    previous = con.execute("SELECT * FROM measure_values").df()
    assert import_file(con, path)["new"] == 1
    counts = pipeline.build(con)
    assert counts["mode"] == "incremental"
    assert counts["measure_cells_rewritten"] == len(_council_units(council[1]))
    changed = _rewritten_cells(con, previous)
    assert changed and {c[2] for c in changed} == {"all"}
    assert_same_as_full(con)


def test_an_award_of_an_old_procurement_moves_its_status_and_quarter_counts(tmp_path):
    """SYNTHETIC: a day's update (synth.day_update) whose awards of stored tenders now apply social value: the
    procurements move from none to applied in their tender's (older) quarter, and the day opens a new quarter
    (the grid grows for every unit); the incremental build equals the full one."""
    con = store.open_store(tmp_path / "s.duckdb")
    synth.write_jsonl(400, tmp_path / "base.jsonl", seed=41)
    import_file(con, tmp_path / "base.jsonl")
    pipeline.build(con)
    newest = con.execute("SELECT max(date) FROM releases").fetchone()[0]
    day = (pd.Timestamp(newest).to_period("Q") + 1).start_time.date().isoformat()  # the next quarter's first day
    lines = synth.day_update(8, seed=42, day=day, store_seed=41, store_n=400, existing_share=0.5)
    awards = [json.loads(line) for line in lines if '"award"' in line]
    for award in awards:
        award["tender"]["description"] += "\n\n" + SV_TEXT
    before = dict(con.execute("SELECT ocid, sv_status FROM procurement_facts WHERE ocid IN ?",
                              [[a["ocid"] for a in awards]]).fetchall())
    assert len(awards) == 4 and len(before) == 4 and "none" in before.values()
    quarters = {r[0] for r in con.execute("SELECT DISTINCT quarter FROM procurement_facts").fetchall()}
    day_file = tmp_path / "day.jsonl"
    day_file.write_text("".join(json.dumps(a) + "\n" for a in awards) + "".join(
        line for line in lines if '"award"' not in line), encoding="utf-8")
    assert import_file(con, day_file)["new"] == 8
    counts = pipeline.build(con)
    assert counts["mode"] == "incremental" and counts["releases_rebuilt"] == 8
    after = dict(con.execute("SELECT ocid, sv_status FROM procurement_facts WHERE ocid IN ?",
                             [list(before)]).fetchall())
    assert set(after.values()) == {"applied"}
    new_quarter = con.execute("SELECT max(quarter) FROM procurement_facts").fetchone()[0]
    assert new_quarter not in quarters
    assert con.execute("SELECT count(DISTINCT unit_code) FROM measure_values WHERE period = ?",
                       [new_quarter]).fetchone()[0] > 300  # every unit got the new quarter
    assert_same_as_full(con)
