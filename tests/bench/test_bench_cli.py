"""`svdash bench` runs end to end at a tiny N and ends with a well-formed BENCH line (figures never asserted)."""
from __future__ import annotations

import re

import pytest

from svdash.cli import main

pytestmark = pytest.mark.bench

BENCH_LINE = re.compile(r"^BENCH notices=(\d+) total_s=(\d+\.\d+) peak_rss_mb=(\d+) "
                        r"speedup_vs_baseline=(\d+\.\d+|nan) ratio_to_floor=(\d+\.\d+)$")


def test_bench_tiny_run_prints_valid_bench_line(tmp_path, capsys):
    assert main(["bench", "--notices", "2000", "--workdir", str(tmp_path), "--baseline-sample", "500"]) == 0
    out = capsys.readouterr().out.rstrip("\n").splitlines()
    match = BENCH_LINE.match(out[-1])
    assert match, out[-1]
    assert int(match.group(1)) == 2000
    text = "\n".join(out)
    assert "SYNTHETIC" in text and "extrapolated" in text and "equals baseline row for row: yes" in text
    for stage in ("svdash import", "svdash build", "baseline total", "floor"):
        assert stage in text
    # the floor is the fastest of its runs, and the ratio divides by that one
    floor = re.search(r"floor \(read text once\)\s+(\d+\.\d+) .*fastest of 3 \((\d+\.\d+)–(\d+\.\d+) s\)", text)
    assert floor and floor.group(1) == floor.group(2) and float(floor.group(2)) <= float(floor.group(3))
    # the data is reused on a second run with the same N and seed
    assert main(["bench", "--notices", "2000", "--workdir", str(tmp_path), "--baseline-sample", "500"]) == 0
    assert ", reused" in capsys.readouterr().out


def test_store_floor_is_timed_and_its_file_removed(tmp_path, capsys):
    # tried: --store-floor at a tiny N; the line and the ratio appear, the table file does not stay behind
    assert main(["bench", "--notices", "300", "--workdir", str(tmp_path), "--baseline-sample", "100",
                 "--store-floor"]) == 0
    text = capsys.readouterr().out
    assert re.search(r"store floor \(write text\)\s+\d+\.\d+", text)
    assert re.search(r"store floor/floor\s+\d+\.\d+×", text)
    assert BENCH_LINE.match(text.rstrip("\n").splitlines()[-1])
    assert not (tmp_path / "store_floor.duckdb").exists()


def test_bench_rejects_bad_n(capsys):
    assert main(["bench", "--notices", "0"]) == 2
    assert "at least 1" in capsys.readouterr().err


def test_memory_guard_stops_a_step_and_says_so(tmp_path):
    from svdash import bench, synth

    jsonl = tmp_path / "s.jsonl"
    synth.write_jsonl(200, jsonl, seed=1)
    with pytest.raises(bench.StepOverMemory, match="passed the guard of 1 MB"):
        bench.run_step("floor", tmp_path, max_rss_mb=1, jsonl=str(jsonl))


def test_several_sizes_print_a_bench_line_each_and_the_cost_curve(tmp_path, capsys):
    assert main(["bench", "--notices", "300,600", "--workdir", str(tmp_path), "--baseline-sample", "100",
                 "--drop-data"]) == 0
    lines = capsys.readouterr().out.rstrip("\n").splitlines()
    bench = [BENCH_LINE.match(line) for line in lines if line.startswith("BENCH ")]
    assert [int(m.group(1)) for m in bench] == [300, 600]
    curve = lines.index("cost curve (svdash import + build):")
    assert curve > lines.index(bench[-1].group(0))
    assert [line.split()[0] for line in lines[curve + 2:curve + 4]] == ["300", "600"]
    assert "s per M" in lines[curve + 1] and "peak MB" in lines[curve + 1]
    # --drop-data: neither size's synthetic file nor store stays behind
    assert not list(tmp_path.glob("synthetic_*.jsonl")) and not list(tmp_path.glob("bench_*.duckdb"))


def test_bench_rejects_a_bad_size_list(capsys):
    with pytest.raises(SystemExit):
        main(["bench", "--notices", "100000,x"])
    assert "comma-separated" in capsys.readouterr().err
