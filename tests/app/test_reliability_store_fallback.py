"""AppTest: a missing, garbage or empty store never breaks the dashboard: it falls back to the embedded
snapshot (rebuilt into a temporary store) and says so in a warning."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "dashboard.py")


def _store(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"{kind}.duckdb"
    if kind == "garbage":
        path.write_bytes(b"this is not a duckdb file\x00\xff" * 1000)
    elif kind == "empty_tables":
        duckdb.connect(str(path)).close()  # a valid DuckDB file without the dashboard tables
    elif kind == "zero_bytes":
        path.write_bytes(b"")
    return path


@pytest.mark.parametrize("kind", ["garbage", "empty_tables", "zero_bytes"])
def test_unusable_store_falls_back_to_the_snapshot_with_a_warning(tmp_path, monkeypatch, kind):
    path = _store(tmp_path, kind)
    before = path.read_bytes()
    monkeypatch.setenv("SVDASH_DB", str(path))
    at = AppTest.from_file(APP, default_timeout=180).run()
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert f"The data store {path.name} could not be used" in warnings
    assert "Rebuilt from the embedded snapshot" in warnings
    assert len(at.get("plotly_chart")) == 1  # the overview map still draws
    assert path.read_bytes() == before  # the broken file is left for the operator to inspect, not overwritten
