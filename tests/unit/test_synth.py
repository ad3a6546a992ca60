"""The SYNTHETIC notice generator: deterministic per seed, labelled synthetic in every record, realistic shape."""
from __future__ import annotations

import hashlib
import json
import statistics

from svdash import synth
from svdash.cli import main
from svdash.sources.ocds import flatten_release


def _lines(path):
    return path.read_text(encoding="utf-8").splitlines()


def test_same_seed_same_file_and_prefix_property(tmp_path):
    a, b, c = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "c.jsonl"
    synth.write_jsonl(1500, a, seed=3)
    synth.write_jsonl(1500, b, seed=3)
    synth.write_jsonl(700, c, seed=3)
    assert a.read_bytes() == b.read_bytes()
    assert _lines(a)[:700] == _lines(c)
    d = tmp_path / "d.jsonl"
    synth.write_jsonl(700, d, seed=4)
    assert _lines(d) != _lines(c)


# sha256 of the file of 3000 releases with seed 1, per generator version: a change to the generated records
# (the code or the phrase banks in synth_phrases.json) must bump synth.GENERATOR_VERSION, so the bench
# regenerates the data it cached, and add the new version's digest here.
GOLDEN_SHA256 = {2: "7b5d6d4204426b401e5173689da66049b9c34413a0e6660c80844a29fb37ca29"}


def test_output_is_unchanged_for_the_generator_version(tmp_path):
    out = tmp_path / "golden.jsonl"
    synth.write_jsonl(3000, out, seed=1)
    assert synth.GENERATOR_VERSION in GOLDEN_SHA256, "new generator version: record its digest"
    assert hashlib.sha256(out.read_bytes()).hexdigest() == GOLDEN_SHA256[synth.GENERATOR_VERSION]


def test_phrase_banks_are_data_with_provenance():
    data = json.loads(synth.PHRASES_PATH.read_text(encoding="utf-8"))
    assert "not data about any real notice" in data["about"]
    for name, bank in data["banks"].items():
        assert bank["about"] and bank["real"], name
        assert all(isinstance(t, str) and t.strip() for t in bank["real"] + bank.get("constructed", [])), name
    assert len(synth.phrases().FILLER_SENTENCES) > 300 and len(synth.phrases().TITLES) > 100


def test_every_record_is_labelled_synthetic_and_valid_ocds(tmp_path):
    out = tmp_path / "s.jsonl"
    meta = synth.write_jsonl(2000, out, seed=1)
    lines = _lines(out)
    assert len(lines) == 2000 == meta["releases"]
    assert meta["synthetic"] is True and "not real" in meta["label"]
    assert json.loads(synth.meta_path(out).read_text())["label"] == synth.LABEL
    for line in lines:
        rel = json.loads(line)  # every line is a complete JSON object (JSONL readers need nothing else)
        assert rel["ocid"].startswith(synth.OCID_PREFIX)
        assert rel["synthetic"]["label"] == synth.LABEL
        assert rel["parties"][0]["details"]["source"] == synth.LABEL
        assert rel["id"] and rel["buyer"]["name"] and rel["tender"]["title"]
        assert "2013-01-01" <= rel["date"][:10] <= "2026-12-31"


def test_shape_mixes_cases_buyers_criteria_and_award_releases(tmp_path):
    out = tmp_path / "s.jsonl"
    synth.write_jsonl(4000, out, seed=1)
    rels = [json.loads(line) for line in _lines(out)]
    rows = [flatten_release(r, "synth") for r in rels]
    lengths = [len(r["title"]) + len(r["description"]) for r in rows]
    assert 1000 < statistics.median(lengths) < 2200
    assert max(lengths) <= synth.MAX_TEXT_CHARS + 6000  # text cap plus title, lots and criteria lines
    text = "\n".join(r["description"] for r in rows).lower()
    assert "community benefit" in text and "social value" in text and "does not intend to include" in text
    weighted = [c for r in rows for c in json.loads(r["award_criteria_json"]) if "ocial" in c["name"]]
    assert weighted and all(c["weight_pct"] in set(synth.WEIGHTS_PCT.tolist()) for c in weighted)
    tags = {r["tags"] for r in rows}
    assert tags == {"tender", "award"}
    by_ocid = {}
    for r in rows:
        by_ocid.setdefault(r["ocid"], []).append(r["tags"])
    assert any(len(v) == 2 for v in by_ocid.values())
    councils = {n for n, _ in synth.council_buyer_names()}
    buyers = {r["buyer_name"] for r in rows}
    assert buyers & councils and buyers - councils


def test_synth_cli_writes_file_and_rejects_bad_n(tmp_path, capsys):
    out = tmp_path / "cli.jsonl"
    assert main(["synth", "--notices", "50", "--out", str(out), "--seed", "2"]) == 0
    assert len(_lines(out)) == 50
    assert "SYNTHETIC" in capsys.readouterr().err
    assert main(["synth", "--notices", "0", "--out", str(out)]) == 2
    assert "at least 1" in capsys.readouterr().err


def test_no_release_is_dated_after_the_award_cut_off(tmp_path):
    # tried: 20,000 releases, enough late tenders (the last 240 days) for their awards to pass the cut-off;
    # before it, a 1 M file had awards dated 2027 ("Latest notice: 2027-01-15" on the dashboard)
    out = tmp_path / "s.jsonl"
    synth.write_jsonl(20_000, out, seed=1)
    dates = [(r["date"], r["tag"][0]) for r in map(json.loads, _lines(out))]
    cut = str(synth.AWARD_END)
    assert max(d for d, _ in dates)[:19] <= cut
    assert max(d for d, tag in dates if tag == "tender")[:10] <= str(synth.END)
    assert any(d[:4] == "2026" for d, tag in dates if tag == "award")  # late awards are kept, just not past it


def test_bench_regenerates_data_from_an_older_generator(tmp_path):
    from svdash import bench

    path, seconds = bench.ensure_data(tmp_path, 300, 1)
    assert seconds is not None and bench.ensure_data(tmp_path, 300, 1)[1] is None  # reused as it is
    meta = synth.meta_path(path)
    info = json.loads(meta.read_text())
    meta.write_text(json.dumps(dict(info, generator_version=synth.GENERATOR_VERSION - 1)))
    assert bench.ensure_data(tmp_path, 300, 1)[1] is not None  # written again, not reused


def test_a_days_update_is_dated_on_the_day_with_the_measured_share_of_awards_of_stored_tenders(tmp_path):
    """synth.day_update: every release on the given day, round(n × EXISTING_SHARE) of them awards of tenders that
    are in the store's file (and have no award there), the rest new ocids; deterministic; labelled synthetic."""
    store_file = tmp_path / "store.jsonl"
    synth.write_jsonl(3000, store_file, seed=5)
    stored = [json.loads(line) for line in _lines(store_file)]
    tender_only = {o for o in {r["ocid"] for r in stored} if sum(r["ocid"] == o for r in stored) == 1}
    lines = synth.day_update(100, seed=6, day="2026-10-01", store_seed=5, store_n=3000)
    assert lines == synth.day_update(100, seed=6, day="2026-10-01", store_seed=5, store_n=3000)
    releases = [json.loads(line) for line in lines]
    assert len(releases) == 100 and all(r["date"].startswith("2026-10-01T") for r in releases)
    assert [r["date"] for r in releases] == sorted(r["date"] for r in releases)
    old = [r for r in releases if r["ocid"] in tender_only]
    assert len(old) == round(100 * synth.EXISTING_SHARE) == 35
    assert all(r["tag"] == ["award"] and r["awards"] for r in old)
    new = [r for r in releases if r not in old]
    assert not {r["ocid"] for r in new} & {r["ocid"] for r in stored} and all(r["tag"] == ["tender"] for r in new)
    assert all(r["ocid"].startswith(synth.OCID_PREFIX) and r["synthetic"]["label"] == synth.LABEL
               for r in releases)
    assert len({r["ocid"] for r in releases}) == 100
