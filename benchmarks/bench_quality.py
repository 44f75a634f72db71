"""Evaluate the packaged quality model on held-out development pairs, and time scoring + filtering.

    .venv/bin/python benchmarks/bench_quality.py [--shared /work/shared] [--n-speed 20000] [--pipeline 20]

Held-out data (never used by ``fit_quality.py``, split by source/document): MAC-Dev chapters 005-006
gold links, Tatoeba cmn–eng lines 501-1000, the WMT24 documents hashed to the held-out part and the
whole WMT24 speech domain (never fitted) as positives; one generated negative per positive (the kinds
of ``duiqi.score.negatives``, seed 99, a different seed from fitting; boilerplate from
``BOILERPLATE_HELD``, lines never fitted). Reads the shared folder (``/work/shared`` or ``--shared``)
and stops with a message when it is absent.

Each held-out pair is scored with its document context (margin against the other gold beads of its
MAC-Dev chapter / Tatoeba half / WMT24 document, ``fit_quality.context_margins``), as ``duiqi align``
scores, and also without (a lone pair).

Prints: ROC AUC (target >= 0.98), precision and recall at 0.5 (the calibration midpoint) and at the
filter's default threshold (``FilterConfig().min_quality``; targets >= 0.97 and >= 0.90), the
precision/recall curve, a reliability (calibration) table and its ECE, per source, what duiqi's
default filter and OpusFilter's usual rule chain (``pip install 'duiqi[bench]'``) each keep of every
kind of pair, their precision/recall side by side on the same pairs, and the throughput of scoring + filtering when similarities are known
(target >= 10,000 pairs/s; encoder time reported separately). ``--pipeline N`` also scores the real
one-document pipeline's output on N generated mixed documents (``mixedgen``, WMT24 text, gold traced
as in ``bench_mixed.py``): aligner score vs the joined-text cosine, and what the filter keeps.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fit_quality as F
from duiqi.records import Pair
from duiqi.score import (
    FilterConfig,
    default_model,
    filter_pairs,
    load_model,
    measure,
    quality_scores,
    score_pairs,
)
from duiqi.score.model import (
    expected_calibration_error,
    precision_recall,
    reliability_table,
    roc_auc,
)

HELD_SEED = 99
DEFAULT_THRESHOLD = FilterConfig().min_quality or 0.5


OPUS_CHAIN = ("LengthRatioFilter(char/word, 3), CharacterScoreFilter(Han/Latin, 1/1), "
              "LinguaFilter(zh/en, low), TerminalPunctuationFilter(-2), NonZeroNumeralsFilter(0.5)")


def opusfilter_keep(pairs: Sequence[tuple[str, str]]) -> np.ndarray | None:
    """Which pairs OpusFilter's usual rule chain keeps (``None`` when opusfilter is not installed).

    The chain of the OpusFilter documentation's examples, set for zh-en: length ratio at most 3 with
    Chinese counted in characters and English in words (words for both would count a Chinese
    sentence as one word), every letter of each side in its script (Han / Latin), language id naming
    zh / en, terminal punctuation penalty >= -2, non-zero numerals similarity >= 0.5. Language id is
    OpusFilter's Lingua backend (models inside the ``lingua-language-detector`` wheel, nothing
    downloaded; low-accuracy mode, OpusFilter's default): its default langid backend calls
    ``LanguageIdentifier.from_pickled_model``, which py3langid 0.4 (duiqi's dependency) no longer has.
    """
    try:
        from opusfilter.filters import (
            CharacterScoreFilter,
            LengthRatioFilter,
            NonZeroNumeralsFilter,
            TerminalPunctuationFilter,
        )
        from opusfilter.lid import LinguaFilter
    except ImportError:
        return None
    chain = [
        LengthRatioFilter(threshold=3, unit=["char", "word"]),
        CharacterScoreFilter(scripts=["Han", "Latin"], thresholds=[1, 1]),
        LinguaFilter(languages=["zh", "en"], thresholds=[0, 0], lingua_mode="low"),
        TerminalPunctuationFilter(threshold=-2),
        NonZeroNumeralsFilter(threshold=0.5),
    ]
    keep = np.ones(len(pairs), dtype=bool)
    for f in chain:
        keep &= np.array([f.accept(sc) for sc in f.score(list(pairs))], dtype=bool)
    return keep


def pipeline_check(n_docs: int) -> None:
    """Quality of the one-document pipeline's own output (generated mixed documents, gold traced as in
    ``bench_mixed.py``): does the aligner's ``score`` (mean-pooled spans) give the same quality as the
    joined-text cosine the model was fitted on, and what does the default filter drop?"""
    import bench_mixed as BM
    import mixedgen
    from align_common import DiskCachedEncoder
    from duiqi.embed import get_encoder
    from duiqi.errors import DuiqiError
    from duiqi.pipeline import Pipeline
    from duiqi.records import Document
    from duiqi.score.context import add_context

    if not os.path.isdir(mixedgen.DEFAULT_SOURCE):
        print(f"\npipeline check skipped: {mixedgen.DEFAULT_SOURCE} not found")
        return
    enc = DiskCachedEncoder(get_encoder("use"), "mixed-use")
    pipe = Pipeline(BM._config("use", []), encoder=enc)  # type: ignore[arg-type]
    rows = []  # (right, multi, aligner score, joined cosine, quality from score, quality with context)
    for gd in mixedgen.generate(n_docs, 0, mixedgen.DEFAULT_SOURCE):
        if gd.tgt_text is not None:
            continue  # two-file layout: same sentence aligner as `duiqi align SRC TGT`
        src = Document(id=gd.id, text=gd.text)
        try:
            pairs = pipe.process(src)
        except DuiqiError:  # a rejected document has no pairs to score (bench_mixed counts it)
            continue
        prep = pipe.prepare(src)
        sents = {lang: [s for s in prep.sentences if s.lang == lang] for lang in ("zh", "en")}
        tracer = BM.Tracer(gd.units)
        origin = {lang: tracer.trace_in_order([s.text for s in sents[lang]], lang) for lang in ("zh", "en")}

        def gold(lang: str, idx: int, origin: dict[str, list[set[int]]] = origin, gd: object = gd) -> set[int]:
            units, g = gd.units, gd.gold  # type: ignore[attr-defined]
            return {p for u in origin[lang][idx] if (p := units[u].pair) is not None and g[p][0]}

        ctx = add_context(pairs, enc)  # type: ignore[arg-type]
        q_score = quality_scores(pairs)
        q_ctx = quality_scores(ctx.pairs, sims=ctx.cosine.tolist())
        for k, pr in enumerate(pairs):
            right = bool(set.intersection(*[gold("zh", i) for i in pr.src_ids], *[gold("en", j) for j in pr.tgt_ids]))
            multi = len(pr.src_ids) > 1 or len(pr.tgt_ids) > 1
            rows.append((right, multi, pr.score, ctx.cosine[k], q_score[k], q_ctx[k]))
    enc.save()
    if not rows:
        print("\npipeline check: no pairs")
        return
    a = np.array(rows, dtype=np.float64)
    right, multi = a[:, 0] > 0.5, a[:, 1] > 0.5
    print(f"\npipeline output, {n_docs} generated mixed documents (one-document layouts): {len(a)} pairs, "
          f"{int(right.sum())} right, {int(multi.sum())} multi-sentence")
    d = np.abs(a[:, 3] - a[:, 2])
    print(f"  |joined-text cosine - aligner score|: mean {d.mean():.4f}, multi-sentence pairs mean "
          f"{d[multi].mean() if multi.any() else 0.0:.4f} max {d.max():.4f}")
    dq = np.abs(a[:, 5] - a[:, 4])
    print(f"  quality with context vs from the aligner score alone: mean |diff| {dq.mean():.4f}")
    for name, col in (("quality from aligner score (no context)", 4), ("quality with context (what align writes)", 5)):
        q = a[:, col]
        auc = roc_auc(right, q) if 0 < right.sum() < len(right) else float("nan")
        for t in (0.5, DEFAULT_THRESHOLD):
            keep = q >= t
            print(f"  {name:42s} @{t:g}: keeps {keep.mean():.4f} of pairs, {keep[right].mean():.4f} of right ones, "
                  f"{keep[~right].mean() if (~right).any() else 0.0:.4f} of wrong ones; precision "
                  f"{right[keep].mean() if keep.any() else 0.0:.4f} (unfiltered {right.mean():.4f}); AUC {auc:.4f}")


def compare_with(src_dir: str, speed_pairs: list[Pair], rounds: int = 8) -> None:
    """Throughput of this duiqi and of the one in ``src_dir``, loaded side by side in this process and
    timed in alternation (best CPU time of ``rounds`` each), and whether their kept pairs and
    qualities are identical."""
    import importlib

    def load(path: str | None) -> tuple[Any, Any]:
        for k in [k for k in sys.modules if k == "duiqi" or k.startswith("duiqi.")]:
            del sys.modules[k]
        if path:
            sys.path.insert(0, path)
        try:
            return importlib.import_module("duiqi.score"), importlib.import_module("duiqi.records")
        finally:
            if path:
                sys.path.remove(path)

    old = load(str(Path(src_dir).resolve()))
    new = load(None)
    mods = {"baseline": old, "this": new}
    outs = {}
    best = dict.fromkeys(mods, float("inf"))
    loads = []
    for _ in range(rounds):
        for name, (mod, records) in mods.items():
            pairs = [records.Pair(p.src, p.tgt, p.src_lang, p.tgt_lang, p.score, doc=p.doc) for p in speed_pairs]
            c0 = time.process_time()
            res = mod.filter_pairs(pairs, mod.FilterConfig())
            best[name] = min(best[name], time.process_time() - c0)
            outs[name] = [(p.src, p.tgt, p.quality) for p in res.kept]
        loads.append(os.getloadavg()[0])
    n = len(speed_pairs)
    print(f"  side by side in one process ({rounds} alternating runs each, best CPU time; load average "
          f"{min(loads):.2f}-{max(loads):.2f}): baseline {src_dir} {n / best['baseline']:,.0f} pairs/s, "
          f"this {n / best['this']:,.0f} pairs/s ({best['baseline'] / best['this']:.3f}x); kept pairs and "
          f"qualities identical: {outs['baseline'] == outs['this']}")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", help="shared folder (default /work/shared or $DUIQI_SHARED)")
    ap.add_argument("--n-speed", type=int, default=20000, help="pairs for the throughput measurement")
    ap.add_argument("--pipeline", type=int, default=0, metavar="N",
                    help="also score the real one-document pipeline's output on N generated mixed documents "
                         "(bench_mixed's generator and gold tracing): aligner score vs joined-text cosine")
    ap.add_argument("--model", help="quality model JSON to evaluate (default: the packaged one)")
    ap.add_argument("--no-speed", action="store_true", help="skip the throughput measurement")
    ap.add_argument("--baseline-src", metavar="DIR",
                    help="also time an older duiqi in the same process, alternating runs (DIR is the src/ folder of "
                         "e.g. `git archive COMMIT src | tar -x -C /tmp/old`); checks the qualities are identical")
    args = ap.parse_args(argv)
    shared = F.shared_dir(args.shared)
    model = load_model(args.model) if args.model else default_model()
    print(f"model {model.name}: {model.info.get('fit_data')}")
    print(f"held out: {model.info.get('held_out')}")

    cache = F.EmbeddingCache()
    ex = F.split_examples(shared, "held", HELD_SEED)
    t0 = time.perf_counter()
    sims = F.similarities(ex, cache)
    margins = F.context_margins(ex, F.split_beads(shared, "held"), cache)
    enc_wall = time.perf_counter() - t0
    pairs = [replace(F.as_pair(e), score=float(s), margin=None if np.isnan(m) else float(m))
             for e, s, m in zip(ex, sims, margins, strict=True)]
    y = np.array([e.label for e in ex])
    q = quality_scores(pairs, model)
    bare = [replace(p, margin=None) for p in pairs]
    q_bare = np.array([p.quality for p in score_pairs(bare, model=model)], dtype=np.float64)

    auc = roc_auc(y, q)
    prec, rec = precision_recall(y, q, 0.5)
    src_of = np.array([F.source_of(e.doc) for e in ex])
    print(f"\nheld-out pairs: {len(ex)} ({int(y.sum())} positives, {int((1 - y).sum())} negatives), "
          "split by source/document (see fit_quality.py)")
    print(f"ROC AUC            {auc:.4f}   (target >= 0.98)")
    print(f"precision @0.5     {prec:.4f}")
    print(f"recall    @0.5     {rec:.4f}")
    pd_, rd_ = precision_recall(y, q, DEFAULT_THRESHOLD)
    print(f"quality alone @{DEFAULT_THRESHOLD:g} (default threshold): precision {pd_:.4f}, recall {rd_:.4f}")
    print(f"expected calibration error (10 bins) {expected_calibration_error(y, q):.4f}")
    for name in sorted(set(src_of)):
        m = src_of == name
        ps, rs = precision_recall(y[m], q[m], DEFAULT_THRESHOLD)
        print(f"  {name:40s} AUC {roc_auc(y[m], q[m]):.4f}  @{DEFAULT_THRESHOLD:g} precision {ps:.4f} recall {rs:.4f}  "
              f"({int(y[m].sum())} pos / {int((1 - y[m]).sum())} neg)")
    auc_sim = roc_auc(y, sims)
    print(f"for comparison, raw USE cosine alone: AUC {auc_sim:.4f}")
    pb, rb = precision_recall(y, q_bare, 0.5)
    pbd, rbd = precision_recall(y, q_bare, DEFAULT_THRESHOLD)
    print(f"the same pairs scored WITHOUT document context (no margin, e.g. lone pairs): AUC {roc_auc(y, q_bare):.4f}, "
          f"precision/recall @0.5 {pb:.4f}/{rb:.4f}, @{DEFAULT_THRESHOLD:g} {pbd:.4f}/{rbd:.4f}")
    print("(with context = margin in the pair's document, as `duiqi align` scores; "
          "without = a lone pair with only its similarity, as `duiqi filter` on a file of bare pairs)")

    print("\nprecision / recall by threshold (with context)")
    for t in (0.3, 0.4, 0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9):
        pt, rt = precision_recall(y, q, t)
        mark = "  <- default filter threshold" if abs(t - DEFAULT_THRESHOLD) < 1e-9 else ""
        print(f"  >= {t:.2f}  precision {pt:.4f}  recall {rt:.4f}{mark}")

    print("\nreliability (calibration) table")
    print(f"  {'bin':>11s} {'n':>6s} {'mean p':>8s} {'observed':>9s}")
    for r in reliability_table(y, q, 10):
        print(f"  {r['lo']:.1f} - {r['hi']:.1f} {r['n']:6d} {r['mean_p']:8.3f} {r['observed']:9.3f}")

    # the default filter as shipped: rule filters + quality threshold (dedup off: the held-out set
    # repeats boilerplate negatives on purpose, and dedup is not what is measured here)
    scored = [replace(p, quality=float(v)) for p, v in zip(pairs, q, strict=True)]
    out = filter_pairs(scored, FilterConfig(dedup=False), model=model)
    kept_ids = {id(p) for p in out.kept}
    keep = np.array([id(p) in kept_ids for p in scored])
    opus = opusfilter_keep([(e.src, e.tgt) for e in ex])

    print(f"\nby kind: share kept by duiqi's default filter (rules + quality >= {DEFAULT_THRESHOLD:g}) "
          "and by the OpusFilter chain")
    kinds = sorted({e.kind for e in ex}, key=lambda k: (k != "positive", k))
    for k in kinds:
        idx = np.array([e.kind == k for e in ex])
        what = "recall" if k == "positive" else "kept (false positives)"
        o = f"{opus[idx].mean():.3f}" if opus is not None else "n/a"
        print(f"  {k:12s} n={int(idx.sum()):5d}  {what:24s} duiqi {keep[idx].mean():.3f}  opusfilter {o}  "
              f"mean cosine {np.mean(sims[idx]):.3f}")

    print("\nside by side on the same held-out pairs (precision / recall of what each keeps)")
    rows = [("duiqi default filter (rules + quality, context)", keep)]
    if opus is not None:
        rows.append(("OpusFilter rule chain (" + OPUS_CHAIN + ")", opus))
    for name, k in rows:
        tp = int((k & (y == 1)).sum())
        print(f"  {name}")
        print(f"    all sources: kept {int(k.sum())}, precision {tp / max(1, int(k.sum())):.4f}, "
              f"recall {tp / int(y.sum()):.4f}")
        for src in sorted(set(src_of)):
            m = src_of == src
            tps = int((k & m & (y == 1)).sum())
            print(f"    {src:40s} precision {tps / max(1, int((k & m).sum())):.4f}  "
                  f"recall {tps / max(1, int((m & (y == 1)).sum())):.4f}")
    if opus is None:
        print("  OpusFilter: not installed (pip install 'duiqi[bench]'); its column is left out")
    print("  duiqi pairs failing each filter: " + ", ".join(f"{k} {v}" for k, v in out.counts.items() if v))
    pos_rules = FilterConfig(min_quality=None, dedup=False)
    pos_out = filter_pairs([p for p, lab in zip(scored, y, strict=True) if lab == 1], pos_rules, model=model)
    print(f"  duiqi rule filters alone (no quality threshold) reject {len(pos_out.rejected)} of {int(y.sum())} "
          "positives: " + ", ".join(f"{k} {v}" for k, v in pos_out.counts.items() if v))

    if args.pipeline:
        pipeline_check(args.pipeline)

    if args.no_speed:
        return 0
    # throughput: similarity known, no encoder
    base = [Pair(p.src, p.tgt, "zh", "en", p.score, doc=p.doc) for p in pairs]
    n = args.n_speed
    speed_pairs = [replace(base[i % len(base)], doc=f"d{i}") for i in range(n)]
    walls, cpus = [], []
    for _ in range(3):
        t0, c0 = time.perf_counter(), time.process_time()
        res = filter_pairs(speed_pairs, FilterConfig())
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    t1 = time.perf_counter()
    for p in speed_pairs[:5000]:
        measure(p)
    per_pair = (time.perf_counter() - t1) / 5000
    best, median = min(walls), sorted(walls)[1]
    print(f"\nthroughput, score + all filters + dedup, similarity known, {n} pairs, 3 runs: best {n / best:,.0f} "
          f"pairs/s, median {n / median:,.0f} pairs/s, CPU time {n / min(cpus):,.0f} pairs/s per core "
          f"(target >= 10,000); cheap features alone {per_pair * 1e6:.1f} µs/pair")
    print(f"  machine load average now {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores (the CPU is shared)")
    if args.baseline_src:
        compare_with(args.baseline_src, speed_pairs)
    print(f"  (kept {len(res.kept)}; the input repeats {len(base)} distinct pairs, so most repeats are duplicates)")
    if cache.encoded:
        print(f"encoder (separately, not in the throughput above): model load {cache.load_seconds:.1f}s, "
              f"{cache.encoded} texts encoded in {cache.encode_seconds:.1f}s "
              f"= {cache.encoded / cache.encode_seconds:,.0f} texts/s (USE, 2 cores, shared); "
              f"{len(ex)} pair similarities need both sides encoded")
    else:
        print(f"encoder: all {len(set(e.src for e in ex) | set(e.tgt for e in ex))} texts came from the cache "
              f"({F.CACHE}); similarity lookup {enc_wall:.2f}s. Delete the cache to time the encoder.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
