"""Real-browser harness: `streamlit run` on a free local port, driven by playwright with Debian chromium.

Playwright cannot download its own browser here, so it launches the system chromium via executable_path.
Screenshots go to test-artifacts/ (kept by CI as evidence; not committed).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from svdash import launch

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def pytest_collection_modifyitems(config, items):
    # The hook sees the whole session's items: mark (and, without chromium, skip) only this folder's tests.
    here = Path(__file__).resolve().parent
    mine = [item for item in items if here in Path(str(item.path)).resolve().parents]
    for item in mine:
        item.add_marker(pytest.mark.browser)
    if not Path(CHROMIUM).exists():
        skip = pytest.mark.skip(reason=f"Debian chromium not found at {CHROMIUM} (scripts/test.sh installs it)")
        for item in mine:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 1800}, "accept_downloads": True}


def start_streamlit(env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str, float]:
    """`streamlit run dashboard.py` on a free local port: (process, URL, seconds until healthy)."""
    t0 = time.perf_counter()
    proc, url = launch.start_dashboard(env)
    return proc, url, time.perf_counter() - t0


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    # the real embedded snapshot, built into a fresh temporary store (never touches data/svdash.duckdb)
    db = tmp_path_factory.mktemp("browser-store") / "svdash.duckdb"
    proc, url, _ = start_streamlit({"SVDASH_DB": str(db)})
    yield url
    launch.stop(proc)


@pytest.fixture
def external_requests(page):
    """Every request the page makes to a host that is not this machine (must stay empty: offline app)."""
    seen: list[str] = []

    def record(request):
        host = urlparse(request.url).hostname or ""
        if request.url.startswith(("http://", "https://", "ws://", "wss://")) and host not in LOCAL_HOSTS:
            seen.append(request.url)

    page.on("request", record)
    return seen


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
