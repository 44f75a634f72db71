#!/usr/bin/env bash
# Set up and run the main job on the bundled example: one mixed zh/en page in, sentence pairs out.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
DUIQI_EXTRAS="${DUIQI_EXTRAS:-dev}" bash scripts/setup.sh
exec "$root/.venv/bin/duiqi" align examples/chongqing-foreign-affairs-2022.txt --format tsv --tsv-header "$@"
