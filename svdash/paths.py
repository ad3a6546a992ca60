"""Where the embedded data and the default store live, and where ../shared is (when present)."""
from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = REPO_ROOT / "data"
GEO_DIR = DATA_DIR / "geo"
NOTICES_DIR = DATA_DIR / "notices"
ADOPTION_DIR = DATA_DIR / "adoption"
DEFAULT_DB = Path(os.environ.get("SVDASH_DB", DATA_DIR / "svdash.duckdb"))

# The staged real data sets sit beside the repository in development and CI, never in a fresh clone.
SHARED_DATA = Path(os.environ.get("SVDASH_SHARED", REPO_ROOT.parent / "shared" / "data"))


def shared_available() -> bool:
    return (SHARED_DATA / "README.md").is_file()
