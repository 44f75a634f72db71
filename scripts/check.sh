#!/usr/bin/env bash
# The one check used locally and by CI: set-up, ruff, mypy, then the test suite.
#   bash scripts/check.sh                  # everything (what CI runs)
#   bash scripts/check.sh -m "not slow"    # skip the real-model tests locally; extra args go to pytest
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
# Headless Chromium renders the HTML report and drives the review page (Playwright): required in CI,
# optional locally.
if [ "${CI:-}" = "true" ]; then
  bash scripts/ensure_chromium.sh
else
  bash scripts/ensure_chromium.sh || echo "(chromium unavailable: the report-rendering and review-page tests will be skipped)"
fi
py="$root/.venv/bin/python"
echo "== ruff"
"$py" -m ruff check src tests benchmarks
echo "== mypy"
"$py" -m mypy
echo "== pytest"
# pytest exits 5 when it collected no test: that is a failure here too (set -e).
"$py" -m pytest "$@"
