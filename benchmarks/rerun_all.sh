#!/usr/bin/env bash
# Rerun every benchmark whose figures are in benchmarks/RESULTS.md, one log per script.
#
#   bash benchmarks/rerun_all.sh [LOG_DIR] [accuracy|speed|all]
#
# accuracy: the figures that do not depend on the machine's load (F1, precision/recall, counts), two
#   scripts at a time (the machine has 2 cores); speed: the timed ones, one at a time, each printing the
#   load average beside its figures. Reads ../shared (each script says so when it is absent).
# BASELINE_SRC=DIR (a `src` folder of another commit, e.g. from `git archive COMMIT src | tar -x -C /tmp/old`):
#   the quality and start-up benchmarks also time that code side by side in the same process.
# Each log starts with the command, the commit and `uptime`; `summary.txt` lists the exit code and the
# wall time of each script.
set -u
cd "$(dirname "$0")/.."
LOG=${1:-/tmp/duiqi-bench-$(date +%Y%m%d-%H%M)}
WHAT=${2:-all}
PY=${PYTHON:-.venv/bin/python}
mkdir -p "$LOG"
# embeddings cache: $DUIQI_BENCH_CACHE (default /tmp/duiqi-align-cache, see align_common.py)

run() {  # run NAME ARGS...: one script, its log, its line in summary.txt
  local name=$1; shift
  local t0=$SECONDS
  {
    echo "\$ $*"
    echo "commit $(git rev-parse --short HEAD)$(git diff --quiet || echo ' +uncommitted')"
    uptime
  } >"$LOG/$name.log"
  "$@" >>"$LOG/$name.log" 2>&1
  local rc=$?
  echo "uptime at end: $(uptime)" >>"$LOG/$name.log"
  printf '%-22s rc=%s %5ss\n' "$name" "$rc" "$((SECONDS - t0))" | tee -a "$LOG/summary.txt"
}

accuracy() {
  # two streams on two cores; the USE-heavy ones are spread over both
  (
    run align "$PY" benchmarks/bench_align.py
    run mixed_real "$PY" benchmarks/bench_mixed_real.py --leave-out
    run encoder_calls "$PY" benchmarks/bench_encoder_calls.py
    run segment "$PY" benchmarks/bench_segment.py
    run progress "$PY" benchmarks/bench_progress.py
  ) &
  (
    run mixed_seed0 "$PY" benchmarks/bench_mixed.py -n 50 --seed 0
    run mixed_seed3 "$PY" benchmarks/bench_mixed.py -n 50 --seed 3
    run textberg "$PY" benchmarks/bench_textberg_mixed.py
    run quality "$PY" benchmarks/bench_quality.py --no-speed
    run repair "$PY" benchmarks/bench_repair.py
  ) &
  wait
}

speed() {
  run align_speed env DUIQI_THREADS=1 OPENBLAS_NUM_THREADS=1 "$PY" benchmarks/bench_align.py --speed --repeat 2
  run quality_speed "$PY" benchmarks/bench_quality.py ${BASELINE_SRC:+--baseline-src "$BASELINE_SRC"}
  run run_engines "$PY" benchmarks/bench_run.py engines
  run review "$PY" benchmarks/bench_review.py --beads 500,5000
  run fuzz "$PY" benchmarks/fuzz_readers.py --cases 1500
  run startup "$PY" benchmarks/bench_startup.py ${BASELINE_SRC:+--compare "$BASELINE_SRC"}
  run run_scale "$PY" benchmarks/bench_run.py scale
}

case $WHAT in
  accuracy) accuracy ;;
  speed) speed ;;
  all) accuracy; speed ;;
  *) echo "usage: $0 [LOG_DIR] [accuracy|speed|all]" >&2; exit 2 ;;
esac
echo "logs in $LOG"
