"""`svdash bench --notices N --update M` at a tiny N: one well-formed BENCH update line, and the incremental
build it times equals the full build of the same store (figures never asserted). Data: SYNTHETIC."""
from __future__ import annotations

import re

import pytest

from svdash.cli import main

pytestmark = pytest.mark.bench

LINE = re.compile(r"^BENCH update store_notices=(\d+) update_notices=(\d+) update_s=(\d+\.\d+) "
                  r"full_build_s=(\d+\.\d+) ratio_to_full_build=(\d+\.\d+)$")


def test_update_bench_prints_one_line_and_matches_the_full_build(tmp_path, capsys):
    assert main(["bench", "--notices", "400", "--update", "40", "--workdir", str(tmp_path), "--scratch"]) == 0
    out = capsys.readouterr().out.rstrip("\n").splitlines()
    match = LINE.match(out[-1])
    assert match, out[-1]
    assert (int(match.group(1)), int(match.group(2))) == (400, 40)
    assert sum(line.startswith("BENCH") for line in out) == 1
    text = "\n".join(out)
    assert "SYNTHETIC" in text and "build (incremental, 40 releases rebuilt," in text
    assert "incremental build equals the full build: yes" in text and "full build from scratch" in text
    assert float(match.group(5)) == pytest.approx(float(match.group(3)) / float(match.group(4)), rel=0.1)


def test_update_bench_rejects_bad_m(capsys):
    assert main(["bench", "--notices", "100", "--update", "0"]) == 2
    assert "at least 1" in capsys.readouterr().err
