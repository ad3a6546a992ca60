#!/usr/bin/env bash
# Sets up and runs the dashboard on the embedded data (no network needed after the install).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/streamlit run dashboard.py "$@"
