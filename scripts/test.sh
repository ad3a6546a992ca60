#!/usr/bin/env bash
# Sets up everything the tests need and runs the whole suite (unit, AppTest, real-browser).
# Extra arguments go to pytest, e.g. `bash scripts/test.sh tests/unit -x`.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  # Playwright cannot download its own browser here; the browser tests drive Debian's chromium.
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "chromium is not installed and cannot be installed without root: browser tests will be skipped" >&2
  fi
fi
bash scripts/setup.sh dev
# pytest exits 5 when no test was collected: that is a failure here too (set -e).
exec .venv/bin/python -m pytest "$@"
