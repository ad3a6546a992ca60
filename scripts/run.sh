#!/usr/bin/env bash
# Sets up and runs the dashboard on the embedded data (no network needed after the install).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# ui.launcher = `streamlit run dashboard.py` + a cache warm-up while the browser loads (same options).
exec .venv/bin/python -m ui.launcher "$@"
