"""Shared test set-up: the `shared` marker skips tests that need ../shared/data when it is absent."""
from __future__ import annotations

from pathlib import Path

import pytest

from svdash.paths import SHARED_DATA, shared_available

FIXTURES = Path(__file__).parent / "fixtures"


def pytest_collection_modifyitems(config, items):
    if shared_available():
        return
    skip = pytest.mark.skip(reason=f"needs the staged real data at {SHARED_DATA} (absent in a fresh clone; CI has it)")
    for item in items:
        if "shared" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    return SHARED_DATA


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES
