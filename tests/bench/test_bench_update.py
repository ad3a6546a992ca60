"""`svdash bench --notices N --update M` at a tiny N: one well-formed BENCH update line, and the incremental
build it times equals the full build of the same store (figures never asserted). Data: SYNTHETIC."""
from __future__ import annotations

import re

import pytest

from svdash.cli import main

pytestmark = pytest.mark.bench

LINE = re.compile(r"^BENCH update store_notices=(\d+) update_notices=(\d+) update_s=(\d+\.\d+) "
                  r"full_build_s=(\d+\.\d+) ratio_to_full_build=(\d+\.\d+)"
                  r"(?: scratch_build_s=(\d+\.\d+) ratio_to_scratch_build=(\d+\.\d+))?$")


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
    update_s, full_s, scratch_s = (float(match.group(i)) for i in (3, 4, 6))
    for ratio, base in ((float(match.group(5)), full_s), (float(match.group(7)), scratch_s)):
        # the seconds are printed to 0.01 s, the ratio from the unrounded times: it lies within their rounding
        assert (update_s - 0.005) / (base + 0.005) <= ratio <= (update_s + 0.005) / max(base - 0.005, 1e-9)


def test_update_bench_rejects_bad_m(capsys):
    assert main(["bench", "--notices", "100", "--update", "0"]) == 2
    assert "at least 1" in capsys.readouterr().err
