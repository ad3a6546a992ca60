"""Serve the dashboard: `streamlit run dashboard.py` plus a warm-up of the caches once the server is up.

    python -m ui.launcher [streamlit run options, e.g. --server.port 8502]

Used by scripts/run.sh and svdash.launch.start_dashboard (the benchmark and the browser tests), so the
timings measured are what users get. Run it from the repository root (both callers do). The warm-up
(ui/warm.py) runs in a daemon thread and only fills shared caches; plain `streamlit run dashboard.py`
serves the same app without it, without the plotly.js preload (ui/preload.py) and without TCP_NODELAY
(ui/nodelay.py).
"""
from __future__ import annotations

import sys
import threading
from pathlib import Path

DASHBOARD = Path(__file__).resolve().parents[1] / "dashboard.py"


def main(argv: list[str] | None = None) -> int:
    from streamlit.web import cli

    from ui import nodelay, preload, warm

    print(nodelay.install(), file=sys.stderr)
    print(preload.install(), file=sys.stderr)
    warm.watch_static_route()  # the warm-up waits until the browser has Streamlit's scripts
    threading.Thread(target=warm.warm_when_ready, name="svdash-warm", daemon=True).start()
    sys.argv = ["streamlit", "run", str(DASHBOARD), *(sys.argv[1:] if argv is None else argv)]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())
