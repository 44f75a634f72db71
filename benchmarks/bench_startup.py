"""Start-up cost of ``duiqi --help`` and ``import duiqi``, optionally side by side with another source tree.

    .venv/bin/python benchmarks/bench_startup.py [--runs 15] [--compare /path/to/other/src]

Each case runs in a fresh interpreter (``-c``), the trees alternating run by run so that both see the same
machine load. Reported: the median and minimum of the child's CPU time (user + sys, less sensitive to the
load of a shared machine than wall time) and the median wall time, with the load average before and after.
``--compare`` takes the ``src`` folder of another checkout, e.g. made with
``git archive REV src | tar -x -C /tmp/before``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

CASES = {
    "duiqi --help": "from duiqi.cli.main import main; main(['--help'])",
    "import duiqi": "import duiqi",
}


def _one(code: str, src: str) -> tuple[float, float]:
    env = dict(os.environ, PYTHONPATH=src)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return cpu * 1000, wall * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--compare", help="the src folder of another checkout, measured alternately")
    args = ap.parse_args()
    trees = {"this": str(Path(__file__).resolve().parent.parent / "src")}
    if args.compare:
        trees = {"other": args.compare, **trees}
    print("load average before:", os.getloadavg())
    for name, code in CASES.items():
        cpu: dict[str, list[float]] = {t: [] for t in trees}
        wall: dict[str, list[float]] = {t: [] for t in trees}
        for _ in range(args.runs):
            for tree, src in trees.items():
                c, w = _one(code, src)
                cpu[tree].append(c)
                wall[tree].append(w)
        for tree in trees:
            print(f"{name:14s} {tree:6s} CPU median {statistics.median(cpu[tree]):5.0f} ms, "
                  f"min {min(cpu[tree]):5.0f} ms; wall median {statistics.median(wall[tree]):5.0f} ms")
    print("load average after:", os.getloadavg())


if __name__ == "__main__":
    main()
