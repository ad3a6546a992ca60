"""Start the dashboard on a free local port and wait until it answers.

Shared by the benchmark's dashboard timings and the real-browser tests. It starts `python -m ui.launcher`,
the same launcher as scripts/run.sh (`streamlit run dashboard.py` plus a cache warm-up once the server is
up), so what is timed is what users get. This starts a subprocess; it does not import streamlit (svdash
never does).
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from svdash.paths import REPO_ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_dashboard(env: dict[str, str] | None = None, timeout_s: float = 90,
                    poll_s: float = 0.01, log: Path | None = None) -> tuple[subprocess.Popen, str]:
    """(process, base URL) once `/_stcore/health` answers 200; RuntimeError (process killed) otherwise.
    `env` is added to this process's environment (e.g. SVDASH_DB); `log`: a file for the server's output
    (default: discarded). Loopback only."""
    port = free_port()
    out = open(log, "wb") if log else None  # noqa: SIM115  (the child gets its own copy of the handle)
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "ui.launcher", "--server.headless", "true", "--server.address", "127.0.0.1",
             "--server.port", str(port), "--browser.gatherUsageStats", "false"],
            cwd=REPO_ROOT, stdout=out or subprocess.DEVNULL, stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})})
    finally:
        if out:
            out.close()
    url, deadline = f"http://127.0.0.1:{port}", time.time() + timeout_s
    while True:
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=1).status == 200:
                return proc, url
        except OSError:
            if time.time() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError("streamlit did not start") from None
            time.sleep(poll_s)


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
