"""One-document mode on documents as people write them, and at sentence level against two-file mode.

    python benchmarks/bench_mixed_real.py            # both parts
    python benchmarks/bench_mixed_real.py --real     # (a) only
    python benchmarks/bench_mixed_real.py --mac      # (b) only

(a) ``../shared/data/dev/mixed-real``: every ``NNN.txt`` goes through the one-document pipeline (the code path
    of ``duiqi align NNN.txt -o NNN.jsonl``: ``Pipeline.process``);
    the pairs are written to a temporary folder and scored by ``../shared/tools/score_mixed.py`` against the
    main gold, and, aligned again with ``inline_pairs=True`` (``--inline-pairs``), against ``gold-inline/``.
    ``--leave-out`` prints the figures per document kind (001-004, 013-014, 019-020) as a sanity check.
(b) MAC-Dev laid out as mixed documents by ``../shared/tools/make_mixed_beads.py``, aligned in one-document mode
    and scored bead by bead by ``../shared/tools/score_mixed_strict.py``; beside it, the same chapters given
    as two pre-split files (:func:`duiqi.align.align_sentences`, the ``--pre-split`` path), their link beads
    written as pairs and scored by the same script.

Targets (issue 12): (a) precision >= 0.97, recall >= 0.95; (b) mixed strict F1 within 0.02 of pre-split.
Embeddings are cached on disk (see align_common.py; ``--no-cache`` to disable). Needs /work/shared (says
so and exits when absent). Nothing from /work/shared is copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from align_common import MAC_DEV, SHARED, TOOLS, DiskCachedEncoder, mixed_bead_docs, require

REAL = os.path.join(SHARED, "data/dev/mixed-real")
KINDS = {"notes (001-004)": ("001", "002", "003", "004"), "glosses (013-014)": ("013", "014"),
         "analyses (019-020)": ("019", "020")}


def _tool(name: str, *args: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, os.path.join(TOOLS, name), *args], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _write(pairs: Sequence[object], path: str) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for p in pairs:
            rec = {"src": p.src, "tgt": p.tgt, "score": round(p.score, 4),  # type: ignore[attr-defined]
                   "flags": list(p.flags)}  # type: ignore[attr-defined]
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def _subset_gold(gold_dir: str, names: Sequence[str], dest: str) -> str:
    os.makedirs(dest, exist_ok=True)
    for n in names:
        src = os.path.join(gold_dir, f"{n}.gold.jsonl")
        dst = os.path.join(dest, f"{n}.gold.jsonl")
        if not os.path.exists(dst):
            os.symlink(src, dst)
    return dest


def real(encoder: object, verbose: bool, leave_out: bool, config: object) -> None:
    require(REAL)
    from duiqi.io import read_document

    names = sorted(f[:-4] for f in os.listdir(REAL) if f.endswith(".txt"))
    print(f"(a) mixed-real: {len(names)} documents from {REAL}")
    with tempfile.TemporaryDirectory() as tmp:
        for inline in (False, True):
            pred = os.path.join(tmp, "inline" if inline else "main")
            os.makedirs(pred)
            t0 = time.perf_counter()
            for n in names:
                text = read_document(os.path.join(REAL, f"{n}.txt")).text
                pairs = _align_text(text, encoder, n, config, inline)
                _write([p for p in pairs if p.src and p.tgt], os.path.join(pred, f"{n}.jsonl"))
            gold = os.path.join(REAL, "gold-inline") if inline else REAL
            res = _tool("score_mixed.py", gold, pred)
            label = "gold-inline, --inline-pairs" if inline else "main gold"
            print(f"  {label:<28} P {res['precision']:.4f} R {res['recall']:.4f} F1 {res['F1']:.4f} "
                  f"pairs {res['pairs']} [{time.perf_counter() - t0:.1f}s]")
            if leave_out:
                for kind, ids in KINDS.items():
                    sub = _subset_gold(gold, ids, os.path.join(tmp, f"gold-{int(inline)}-{ids[0]}"))
                    r = _tool("score_mixed.py", sub, pred)
                    print(f"    {kind:<24} P {r['precision']:.4f} R {r['recall']:.4f} pairs {r['pairs']}")
            if verbose:
                _explain(names, pred, gold)
    print("  target: precision >= 0.97, recall >= 0.95 (main gold)")


def _explain(names: Sequence[str], pred: str, gold_dir: str) -> None:
    """Wrong pairs and missed gold pairs, per document (for tuning)."""
    sys.path.insert(0, TOOLS)
    import score_mixed as sm  # type: ignore[import-not-found]

    for n in names:
        gold = sm.read_jsonl(os.path.join(gold_dir, f"{n}.gold.jsonl"))
        paras = [g for g in gold if g.get("para") is not None or "zh" in g]
        gz = [sm.norm(g["zh"]) for g in paras]
        ge = [sm.norm(g["en"]) if g.get("en") else None for g in paras]
        got = [0] * len(paras)
        for p in sm.read_jsonl(os.path.join(pred, f"{n}.jsonl")):
            a, b = p["src"], p["tgt"]
            zh, en = (a, b) if len(sm.HAN.findall(a)) >= len(sm.HAN.findall(b)) else (b, a)
            nz, ne = sm.norm(zh), sm.norm(en)
            hits = [i for i in range(len(paras)) if ge[i] and nz in gz[i] and ne in ge[i]]
            if hits:
                got[hits[0]] += len(nz)
            else:
                print(f"  WRONG {n} {p['score']:.3f} {p['flags']}\n     zh: {zh[:100]}\n     en: {en[:100]}")
        for i, g in enumerate(paras):
            if ge[i] and got[i] < 0.9 * len(gz[i]):
                print(f"  MISSED {n} para {g['para']} ({got[i]}/{len(gz[i])}): {g['zh'][:80]}")


def _pipeline_config(overrides: Sequence[str]) -> object:
    """PipelineConfig with ``mixed.FIELD=VALUE`` / ``blocks.FIELD=VALUE`` / ``align.FIELD=VALUE`` overrides."""
    from dataclasses import fields, replace

    from duiqi.pipeline import PipelineConfig

    cfg = PipelineConfig()
    mixed, align = cfg.mixed, cfg.align
    blocks = mixed.blocks

    def conv(obj: object, key: str, value: str) -> object:
        old = getattr(obj, key)
        if isinstance(old, bool):
            return value == "True"
        return value if isinstance(old, str) else type(old)(value)

    for item in overrides:
        key, _, value = item.partition("=")
        part, _, name = key.partition(".")
        if part == "mixed":
            mixed = replace(mixed, **{name: conv(mixed, name, value)})
        elif part == "blocks":
            blocks = replace(blocks, **{name: conv(blocks, name, value)})
        elif part == "align":
            align = replace(align, **{name: conv(align, name, value)})
        else:
            raise SystemExit(f"unknown setting {key} (mixed.*, blocks.*, align.*; fields of "
                             f"{[f.name for f in fields(cfg)]})")
    return replace(cfg, mixed=replace(mixed, blocks=blocks), align=align)


def _align_text(text: str, encoder: object, doc: str, config: object, inline: bool = False) -> list[object]:
    """``duiqi align DOC`` in process: the pipeline with the default settings, or with overrides."""
    from dataclasses import replace

    from duiqi.pipeline import Pipeline, PipelineConfig
    from duiqi.records import Document

    assert isinstance(config, PipelineConfig)
    pipe = Pipeline(replace(config, inline_pairs=inline), encoder=encoder)  # type: ignore[arg-type]
    return list(pipe.process(Document(id=doc, text=text, source=doc)))


def mac(encoder: object, config: object, split: bool = True) -> None:
    require(MAC_DEV)
    from duiqi.align import AlignConfig, align_sentences

    print(f"(b) MAC-Dev laid out as mixed documents ({MAC_DEV})")
    with tempfile.TemporaryDirectory() as tmp:
        docs = os.path.join(tmp, "docs")
        mixed_pred, split_pred = os.path.join(tmp, "mixed"), os.path.join(tmp, "split")
        os.makedirs(mixed_pred)
        os.makedirs(split_pred)
        t0 = time.perf_counter()
        for k, text, gold in mixed_bead_docs(MAC_DEV, docs):
            pairs = _align_text(text, encoder, k, config)
            _write(pairs, os.path.join(mixed_pred, f"{k}.jsonl"))
            if not split:
                continue
            zh, en = (gold["a"], gold["b"]) if gold["langs"][0] == "zh" else (gold["b"], gold["a"])
            beads = align_sentences(zh, en, encoder=encoder, config=AlignConfig())  # type: ignore[arg-type]
            with open(os.path.join(split_pred, f"{k}.jsonl"), "w", encoding="utf-8") as fh:
                for b in beads:
                    if b.is_link:
                        fh.write(json.dumps({"src": "".join(zh[i] for i in b.src_ids),
                                             "tgt": " ".join(en[j] for j in b.tgt_ids)}, ensure_ascii=False) + "\n")
        m = _tool("score_mixed_strict.py", docs, mixed_pred)
        s = _tool("score_mixed_strict.py", docs, split_pred) if split else m
        print(f"  {'':24} {'strict P':>8} {'strict R':>8} {'strict F1':>9} {'lax P':>6} {'pairs':>6}")
        for label, r in (("one document (mixed)", m), ("two files, --pre-split", s))[:2 if split else 1]:
            print(f"  {label:<24} {r['strict_P']:8.4f} {r['strict_R']:8.4f} {r['strict_F1']:9.4f} "
                  f"{r['lax_P']:6.4f} {r['pairs']:6d}")
        gap = s["strict_F1"] - m["strict_F1"]
        print(f"  gap {gap:+.4f} (target: within 0.02) [{time.perf_counter() - t0:.1f}s]")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--real", action="store_true", help="only (a) mixed-real")
    ap.add_argument("--mac", action="store_true", help="only (b) MAC-Dev as mixed documents")
    ap.add_argument("--encoder", default="use")
    ap.add_argument("--no-cache", action="store_true")
    ap.add_argument("--leave-out", action="store_true", help="(a) figures per document kind too")
    ap.add_argument("-v", "--verbose", action="store_true", help="(a) print wrong and missed pairs")
    ap.add_argument("--no-split", action="store_true", help="(b) skip the two-file row (tuning)")
    ap.add_argument("--set", action="append", default=[], metavar="PART.FIELD=VALUE",
                    help="override a setting (mixed.*, blocks.*, align.*), for tuning")
    args = ap.parse_args(argv)
    require(SHARED)
    from duiqi.embed import get_encoder

    enc = get_encoder(args.encoder)
    encoder: object = enc if args.no_cache else DiskCachedEncoder(enc, f"mixedreal-{args.encoder}")
    both = not (args.real or args.mac)
    config = _pipeline_config(args.set)
    try:
        if args.real or both:
            real(encoder, args.verbose, args.leave_out, config)
        if args.mac or both:
            mac(encoder, config, not args.no_split)
    finally:
        if isinstance(encoder, DiskCachedEncoder):
            encoder.save()
    return 0


if __name__ == "__main__":
    sys.exit(main())
