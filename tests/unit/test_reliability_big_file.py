"""A 200 MB OCDS release package is imported streamed, with bounded memory (peak RSS of the import process).

The file is CONSTRUCTED in tmp (11.5k made-up releases of ~18 kB, ocid prefix `ocds-constructed-big-`).
Runs in about 15 s; the bound is generous (< 600 MB) — an unstreamed read or one unbounded transaction
needed 1.7 GB for this file.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TARGET_MB = 200
WORDS = "maintenance of council grounds and social value commitments " * 300


def _write_big(path: Path) -> int:
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        fh.write('{"uri": "constructed", "version": "1.1", "releases": [\n')
        size = 0
        while size < TARGET_MB << 20:
            rel = {"ocid": f"ocds-constructed-big-{n}", "id": "1", "date": "2024-01-01T00:00:00Z", "tag": ["tender"],
                   "buyer": {"name": "Constructed Council"},
                   "tender": {"title": f"Constructed big notice {n}", "description": WORDS}}
            line = ("," if n else "") + json.dumps(rel) + "\n"
            fh.write(line)
            size += len(line)
            n += 1
        fh.write("]}\n")
    return n


def test_200_mb_file_imports_with_bounded_memory(tmp_path):
    big = tmp_path / "constructed_big.json"
    n = _write_big(big)
    assert big.stat().st_size >= TARGET_MB << 20
    db = tmp_path / "big.duckdb"
    # A fresh wrapper process reports its only child's peak RSS (ru_maxrss of children is a lifetime maximum).
    wrapper = ("import resource, subprocess, sys\n"
               "p = subprocess.run(sys.argv[1:])\n"
               "print('PEAK_KB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
               "sys.exit(p.returncode)")
    proc = subprocess.run([sys.executable, "-c", wrapper, sys.executable, "-m", "svdash", "import", str(big),
                           "--db", str(db)], cwd=REPO, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert f"{n} releases ({n} new" in proc.stdout
    peak_mb = int(proc.stdout.split("PEAK_KB")[1].split()[0]) / 1024
    assert peak_mb < 600, f"peak RSS {peak_mb:.0f} MB"
    import duckdb
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*), count(DISTINCT release_key) FROM releases").fetchone() == (n, n)
    assert con.execute("SELECT count(*) FROM import_staging").fetchone()[0] == 0
    con.close()
    print(f"\n200 MB import: {n} releases, peak RSS {peak_mb:.0f} MB")
