"""Corpus-scale benchmark of ``duiqi run``: throughput, peak memory, worker speed-up, engines, broken docs.

Documents come from helper tooling ``benchmarks/mixedgen.py`` (mixed zh/en documents built from
/work/shared/data/dev/wmt24-en-zh; nothing of it is written to the repository, the corpus goes to a
temporary folder). Without /work/shared the benchmark says so and stops. Every 100th document (1 %) is
replaced by a broken one (binary, NUL garbage, over the size limit, empty, English only, a corrupt
PDF), and all of them must end in the rejects with a reason.

    python benchmarks/bench_run.py scale --n 10000 --encoder fake      # 1 vs 2 workers, throughput, RSS
    python benchmarks/bench_run.py scale --n 600 --encoder use         # the same with the real encoder
    python benchmarks/bench_run.py rss --n 2000,10000                   # peak RSS vs corpus size
    python benchmarks/bench_run.py engines --n 1000                    # local vs ray: identical pairs

Targets compared with: 2 workers >= 1.7x one worker on a 2-core machine; peak RSS independent of the
corpus size; identical pair sets between engines; every broken document rejected with its reason and
no other document lost. The load average is printed with every figure: on a shared machine the
speed-up is confounded by other processes.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

BROKEN_KINDS = ("binary", "nul-garbage", "huge", "empty", "english-only", "corrupt-pdf")
MAX_DOC_BYTES = 200_000


def _broken(kind: str, k: int) -> tuple[str, bytes]:
    """(file name suffix, bytes) of a broken document."""
    rnd = os.urandom(4096) if kind == "binary" else b""
    return {
        "binary": (".txt", rnd),
        "nul-garbage": (".txt", b"\x00\x00\x01\x00" * 2048),
        "huge": (".txt", ("这是一个很长的文件。This is a very long file.\n" * 10_000).encode("utf-8")),
        "empty": (".txt", b""),
        "english-only": (".txt", f"Only English in document {k}.\nNothing to align here.\n".encode()),
        "corrupt-pdf": (".pdf", b"%PDF-1.4\n" + b"\x93garbage" * 100),
    }[kind]


def build_corpus(root: Path, n: int, seed: int = 0) -> dict[str, str]:
    """Write ``n`` documents under ``root`` (mixed/ and pairs/zh, pairs/en); returns broken doc id -> kind."""
    import mixedgen

    if not os.path.isdir(mixedgen.DEFAULT_SOURCE):
        raise SystemExit(f"bench_run: {mixedgen.DEFAULT_SOURCE} is absent: no benchmark corpus (set DUIQI_SHARED)")
    for sub in ("mixed", "pairs/zh", "pairs/en"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    broken: dict[str, str] = {}
    for k, doc in enumerate(mixedgen.iter_generate(n, seed)):
        name = f"d{k:05d}"
        if k % 100 == 50:
            kind = BROKEN_KINDS[(k // 100) % len(BROKEN_KINDS)]
            suffix, data = _broken(kind, k)
            (root / "mixed" / f"{name}{suffix}").write_bytes(data)
            broken[f"{name}{suffix}"] = kind
        elif doc.tgt_text is not None:
            (root / "pairs/zh" / f"{name}.txt").write_text(doc.text, encoding="utf-8")
            (root / "pairs/en" / f"{name}.txt").write_text(doc.tgt_text, encoding="utf-8")
        else:
            (root / "mixed" / f"{name}.txt").write_text(doc.text, encoding="utf-8")
    return broken


class RssMonitor:
    """Samples the summed RSS of a process and all its descendants (psutil) every ``interval`` s."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        import psutil

        self.proc = psutil.Process(pid)
        self.interval = interval
        self.peak_total = 0
        self.peak_single = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                procs = [self.proc, *self.proc.children(recursive=True)]
                rss = []
                for p in procs:
                    with contextlib.suppress(psutil.Error):
                        rss.append(p.memory_info().rss)
                self.peak_total = max(self.peak_total, sum(rss))
                self.peak_single = max([self.peak_single, *rss])
            except psutil.Error:
                pass
            time.sleep(self.interval)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


_SNAPSHOT: dict[str, str] = {}


def snapshot_env() -> dict[str, str]:
    """An environment whose PYTHONPATH points at a copy of ``src/`` taken once: every run of the benchmark
    uses the same code even while the working tree changes (the repository is edited live)."""
    if not _SNAPSHOT:
        dest = Path(tempfile.mkdtemp(prefix="duiqi-bench-src-"))
        shutil.copytree(HERE.parent / "src" / "duiqi", dest / "duiqi",
                        ignore=shutil.ignore_patterns("__pycache__"))
        _SNAPSHOT["PYTHONPATH"] = str(dest)
    return {**os.environ, **_SNAPSHOT}


def run_cli(corpus: Path, out: Path, workers: int, encoder: str, engine: str = "local",
            shard_size: int = 100, extra: Sequence[str] = ()) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "duiqi", "run", str(corpus / "mixed"), "--pair-dirs",
           str(corpus / "pairs/zh"), str(corpus / "pairs/en"), "-o", str(out), "--workers", str(workers),
           "--encoder", encoder, "--engine", engine, "--shard-size", str(shard_size),
           "--max-doc-bytes", str(MAX_DOC_BYTES), "--overwrite", "-q", *extra]
    load_before = os.getloadavg()
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=snapshot_env())
    mon = RssMonitor(proc.pid)
    _stdout, stderr = proc.communicate()
    mon.stop()
    seconds = time.monotonic() - t0
    if proc.returncode != 0:
        raise SystemExit(f"bench_run: duiqi run failed ({proc.returncode}): {stderr[-2000:]}")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    totals = manifest["totals"]
    return {
        "workers": workers,
        "engine": engine,
        "encoder": encoder,
        "docs": totals["docs"],
        "docs_ok": totals["docs_ok"],
        "docs_rejected": totals["docs_rejected"],
        "pairs": totals["pairs"],
        "wall_s": round(seconds, 2),
        "docs_per_s": round(totals["docs"] / seconds, 2),
        "pairs_per_s": round(totals["pairs"] / seconds, 2),
        "engine_docs_per_s": totals["docs_per_s_this_run"],
        "peak_rss_tree_mb": round(mon.peak_total / 2**20, 1),
        "peak_rss_one_process_mb": round(mon.peak_single / 2**20, 1),
        "worker_peak_rss_mb": totals.get("worker_peak_rss_mb"),
        "worker_cpu_s_per_doc": round(totals.get("worker_cpu_seconds", 0.0) / max(1, totals["docs"]), 4),
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
    }


def read_pairs(out: Path) -> list[str]:
    lines: list[str] = []
    for f in sorted((out / "pairs").iterdir()):
        lines.extend(f.read_text(encoding="utf-8").splitlines())
    return lines


def read_rejects(out: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for f in sorted((out / "rejects").iterdir()):
        rows.extend(json.loads(x) for x in f.read_text(encoding="utf-8").splitlines())
    return rows


def check_broken(out: Path, broken: dict[str, str]) -> dict[str, Any]:
    rejects = [r for r in read_rejects(out) if r["kind"] == "document"]
    by_doc = {r["doc"]: r for r in rejects}
    missing = sorted(set(broken) - set(by_doc))
    other = [r for r in rejects if r["doc"] not in broken]
    return {
        "broken": len(broken),
        "broken_rejected": len(set(broken) & set(by_doc)),
        "broken_missing_from_rejects": missing,
        "reasons_of_broken": dict(Counter(f"{broken[d]} -> {by_doc[d]['reason']}" for d in broken if d in by_doc)),
        "other_docs_rejected": len(other),
        "other_reasons": dict(Counter(r["reasons"][0][:80] for r in other).most_common(5)),
    }


def _autogroup_note() -> str:
    """With the kernel's autogroup scheduling, CPU time is shared per session: on a busy machine a run's
    workers share one session's slice, so more workers do not get more CPU."""
    try:
        with open("/proc/sys/kernel/sched_autogroup_enabled", encoding="ascii") as fh:
            enabled = fh.read().strip() == "1"
    except OSError:
        return "autogroup scheduling: unknown"
    return ("autogroup scheduling ON: under load from other sessions the speed-up is capped by this session's "
            "share of the CPUs" if enabled else "autogroup scheduling off")


def cmd_scale(args: argparse.Namespace) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="duiqi-bench-run-"))
    try:
        t0 = time.monotonic()
        broken = build_corpus(tmp / "corpus", args.n, args.seed)
        print(f"corpus: {args.n} generated documents ({len(broken)} broken) in {time.monotonic() - t0:.1f} s")
        results = {}
        for workers in args.workers:
            r = run_cli(tmp / "corpus", tmp / f"out{workers}", workers, args.encoder, shard_size=args.shard_size)
            results[workers] = r
            print(json.dumps(r))
        ws = sorted(results)
        if len(ws) >= 2:
            a, b = results[ws[0]], results[ws[-1]]
            same = read_pairs(tmp / f"out{ws[0]}") == read_pairs(tmp / f"out{ws[-1]}")
            print(f"worker CPU seconds per document: {a['worker_cpu_s_per_doc']} ({ws[0]} workers) vs "
                  f"{b['worker_cpu_s_per_doc']} ({ws[-1]} workers); {_autogroup_note()}")
            print(f"speed-up {ws[-1]} workers over {ws[0]}: {b['docs_per_s'] / a['docs_per_s']:.2f}x "
                  f"(target >= 1.7x; load average before the runs: {a['loadavg_before']} / {b['loadavg_before']}); "
                  f"identical pairs: {same}")
        print("broken documents:", json.dumps(check_broken(tmp / f"out{ws[-1]}", broken)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def cmd_rss(args: argparse.Namespace) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="duiqi-bench-rss-"))
    try:
        for n in args.n_list:
            broken = build_corpus(tmp / f"c{n}", n, args.seed)
            r = run_cli(tmp / f"c{n}", tmp / f"o{n}", 2, args.encoder, shard_size=args.shard_size)
            print(json.dumps({"n": n, "broken": len(broken), **r}))
            shutil.rmtree(tmp / f"c{n}")
            shutil.rmtree(tmp / f"o{n}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def cmd_engines(args: argparse.Namespace) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="duiqi-bench-engines-"))
    try:
        build_corpus(tmp / "corpus", args.n, args.seed)
        local = run_cli(tmp / "corpus", tmp / "local", 2, args.encoder, "local", args.shard_size)
        ray = run_cli(tmp / "corpus", tmp / "ray", 2, args.encoder, "ray", args.shard_size)
        print(json.dumps(local))
        print(json.dumps(ray))
        a, b = read_pairs(tmp / "local"), read_pairs(tmp / "ray")
        ra, rb = read_rejects(tmp / "local"), read_rejects(tmp / "ray")
        print(f"local vs ray on {args.n} documents: {len(a)} / {len(b)} pairs; identical pair sets: "
              f"{sorted(a) == sorted(b)}; identical files in shard order: {a == b}; identical rejects: {ra == rb}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name, func in (("scale", cmd_scale), ("rss", cmd_rss), ("engines", cmd_engines)):
        p = sub.add_parser(name)
        p.set_defaults(func=func)
        p.add_argument("--encoder", default="fake")
        p.add_argument("--seed", type=int, default=0)
        p.add_argument("--shard-size", type=int, default=100)
        if name == "rss":
            p.add_argument("--n", dest="n_list", type=lambda s: [int(x) for x in s.split(",")], default=[2000, 10000])
        else:
            p.add_argument("--n", type=int, default=10_000 if name == "scale" else 1000)
        if name == "scale":
            p.add_argument("--workers", type=lambda s: [int(x) for x in s.split(",")], default=[1, 2])
    args = ap.parse_args(argv)
    args.func(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
