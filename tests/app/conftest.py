"""AppTest set-up: every page test reads a CONSTRUCTED store (tests/app/constructed_store.py) via SVDASH_DB."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.constructed_store import build_constructed_store

APP = str(Path(__file__).resolve().parents[2] / "dashboard.py")


@pytest.fixture(scope="session")
def constructed_db(tmp_path_factory) -> Path:
    return build_constructed_store(tmp_path_factory.mktemp("store") / "constructed.duckdb")


@pytest.fixture(autouse=True)
def _use_constructed_store(constructed_db, monkeypatch):
    monkeypatch.setenv("SVDASH_DB", str(constructed_db))


def open_page(url_path: str, params: dict[str, str] | None = None) -> AppTest:
    """Run the app on one page (st.navigation picks the page from the URL path)."""
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.switch_page(f"app_pages/{url_path}.py") if url_path else None
    return at.run()


@pytest.fixture(scope="session")
def embedded_db(tmp_path_factory) -> Path:
    """The real embedded snapshot (data/notices/*.json and data/adoption) built into a temporary store, as a new
    user's first run builds data/svdash.duckdb. Expected figures are read from it, never typed in: the snapshot
    grows when more real notices are embedded."""
    from svdash import pipeline

    path = tmp_path_factory.mktemp("embedded") / "svdash.duckdb"
    pipeline.ensure_store(path)
    return path


@pytest.fixture(scope="session")
def thin_db(tmp_path_factory) -> Path:
    """CONSTRUCTED: notice measures empty at council level everywhere, regions and groups with data."""
    return build_constructed_store(tmp_path_factory.mktemp("thin") / "thin.duckdb", thin=True)


def spec(chart) -> dict:
    """A plotly chart element's figure as a dict."""
    import json

    return json.loads(chart.proto.spec)


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def array(value) -> list:
    """A plotly array from a figure spec: a list, or plotly's typed-array form {dtype, bdata} decoded."""
    import base64

    import numpy as np

    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
    return list(value or [])


def categories_drawn(figure: dict, categories: list[dict]) -> dict[str, str]:
    """gss_code → category id of a category map (its choropleth's z is the category's position)."""
    out: dict[str, str] = {}
    for t in figure["data"]:
        if t["type"] == "choropleth":
            out.update({loc: categories[int(z)]["id"] for loc, z in zip(array(t["locations"]), array(t["z"]))})
    return out
