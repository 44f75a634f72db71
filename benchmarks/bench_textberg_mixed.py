"""Text+Berg de-fr through the document pipeline, with no zh/en special case (issue 11).

1. pre-split: ``align_sentences`` on the gold sentence lists (the RESULTS.md row, 0.9134 for test0-6);
2. mixed documents: /work/shared/tools/make_mixed_beads.py lays test0-6 out as mixed de/fr documents
   (paragraphs of 2-6 beads, German then French, French first in about a quarter); each one goes through
   ``duiqi.Pipeline(PipelineConfig(src_lang="de", tgt_lang="fr"))`` -- repair, segmentation with the de/fr
   profiles (py3langid keeps German and French apart), block matching, sentence alignment -- and the pairs
   are scored with /work/shared/tools/score_mixed_strict.py (strict = the pair's sentence ids equal a gold
   link bead);
3. two documents: each file's German and French sentences, one a line, as two documents through
   ``Pipeline.process_pair`` (the sentences are split again by duiqi, not taken as given), scored the same way.

    nice -n 10 .venv/bin/python benchmarks/bench_textberg_mixed.py [--no-cache] [--files test0,test4]

Reads /work/shared (says so and exits when absent); documents are made under a temporary folder, never
in the repository. Embeddings are cached on disk (benchmarks/align_common.py) unless --no-cache.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from align_common import SHARED, TEXTBERG, DiskCachedEncoder, require, textberg_docs
from duiqi import Pipeline, PipelineConfig
from duiqi.align import align_documents, align_sentences
from duiqi.align.evaluate import Counts, count, read_beads, scores_from
from duiqi.embed.base import CachedEncoder
from duiqi.embed.registry import UseEncoder
from duiqi.records import Document

TOOLS = os.path.join(SHARED, "tools")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-cache", action="store_true")
    ap.add_argument("--files", default="", help="comma-separated Text+Berg names (default: test0-test6)")
    args = ap.parse_args()
    require(TEXTBERG)
    require(os.path.join(TOOLS, "make_mixed_beads.py"))
    names = [n for n in args.files.split(",") if n] or [f"test{k}" for k in range(7)]
    inner = UseEncoder()
    enc = DiskCachedEncoder(inner, "use-t2s") if not args.no_cache else CachedEncoder(inner)
    print(f"encoder: {inner.name}; files: {', '.join(names)}; load average {os.getloadavg()[0]:.2f}")

    # 1. pre-split (the sentence aligner on the gold sentence lists)
    total = Counts()
    per = []
    for name, de, fr, gold in textberg_docs():
        if name in names:
            c = count(read_beads(gold), align_sentences(de, fr, encoder=enc))
            total = total + c
            per.append(f"{name}:{scores_from(c).strict_f1:.4f}")
    pre = scores_from(total)
    print(f"pre-split        strict P {pre.strict_p:.4f} R {pre.strict_r:.4f} F1 {pre.strict_f1:.4f}  ({' '.join(per)})")

    # 2. mixed de/fr documents through the document pipeline
    with tempfile.TemporaryDirectory(prefix="duiqi-tb-mixed-") as tmp:
        src = os.path.join(tmp, "textberg")
        os.makedirs(src)
        for name in names:
            for ext in ("de", "fr", "defr"):
                os.symlink(os.path.join(TEXTBERG, f"{name}.{ext}"), os.path.join(src, f"{name}.{ext}"))
        docs, pred = os.path.join(tmp, "docs"), os.path.join(tmp, "pred")
        os.makedirs(pred)
        subprocess.run([sys.executable, os.path.join(TOOLS, "make_mixed_beads.py"), docs, src], check=True)
        pipe = Pipeline(PipelineConfig(encoder="use", src_lang="de", tgt_lang="fr"), encoder=enc)
        t0 = time.perf_counter()
        n_pairs = 0
        for f in sorted(os.listdir(docs)):
            if not f.endswith(".txt"):
                continue
            base = f[:-4]
            with open(os.path.join(docs, f), encoding="utf-8") as fh:
                text = fh.read()
            with open(os.path.join(docs, base + ".gold.json"), encoding="utf-8") as fh:
                langs = json.load(fh)["langs"]
            assert langs == ["de", "fr"], langs
            pairs = pipe.process(Document(id=base, text=text))
            n_pairs += len(pairs)
            with open(os.path.join(pred, base + ".jsonl"), "w", encoding="utf-8") as fh:
                for p in pairs:
                    assert (p.src_lang, p.tgt_lang) == ("de", "fr")
                    fh.write(json.dumps({"src": p.src, "tgt": p.tgt}, ensure_ascii=False) + "\n")
        seconds = time.perf_counter() - t0
        out = subprocess.run([sys.executable, os.path.join(TOOLS, "score_mixed_strict.py"), docs, pred],
                             check=True, capture_output=True, text=True).stdout
    res = json.loads(out)
    print(f"mixed document   strict P {res['strict_P']:.4f} R {res['strict_R']:.4f} F1 {res['strict_F1']:.4f}"
          f"  lax P {res['lax_P']:.4f}  ({res['pairs']} pairs, {res['gold_beads']} gold links, "
          f"{res['unlocated']} unlocated, {res['docs']} docs, {seconds:.1f}s)")
    print(f"signature fields: mode={pipe.settings()['mode']} pair={pipe.settings()['src_lang']}-"
          f"{pipe.settings()['tgt_lang']} align.span_embedding={pipe.settings()['align.span_embedding']}")

    # 3. two documents (German, French; one gold sentence a line, not pre-split): Pipeline.process_pair
    with tempfile.TemporaryDirectory(prefix="duiqi-tb-pair-") as tmp:
        gold_dir, pred = os.path.join(tmp, "gold"), os.path.join(tmp, "pred")
        os.makedirs(gold_dir)
        os.makedirs(pred)
        pipe2 = Pipeline(PipelineConfig(encoder="use", src_lang="de", tgt_lang="fr"), encoder=enc)
        pred_sa = os.path.join(tmp, "pred-sentence-aligner")
        os.makedirs(pred_sa)
        t0 = time.perf_counter()
        for name, de, fr, gold in textberg_docs():
            if name not in names:
                continue
            links = [[list(b.src_ids), list(b.tgt_ids)] for b in read_beads(gold) if b.src_ids and b.tgt_ids]
            with open(os.path.join(gold_dir, name + ".gold.json"), "w", encoding="utf-8") as fh:
                json.dump({"langs": ["de", "fr"], "a": de, "b": fr, "beads": links}, fh, ensure_ascii=False)
            pairs = pipe2.process_pair(Document(id=name + ".de", text="\n".join(de) + "\n"),
                                       Document(id=name + ".fr", text="\n".join(fr) + "\n"))
            with open(os.path.join(pred, name + ".jsonl"), "w", encoding="utf-8") as fh:
                for p in pairs:
                    fh.write(json.dumps({"src": p.src, "tgt": p.tgt}, ensure_ascii=False) + "\n")
            # what `duiqi align DE FR` (no --pre-split) runs for a non-zh/en pair: the sentence aligner on
            # the texts as they are, split again by duiqi
            pairs = align_documents("\n".join(de) + "\n", "\n".join(fr) + "\n", src_lang="de", tgt_lang="fr",
                                    encoder=enc, keep_unaligned=False)
            with open(os.path.join(pred_sa, name + ".jsonl"), "w", encoding="utf-8") as fh:
                for p in pairs:
                    fh.write(json.dumps({"src": p.src, "tgt": p.tgt}, ensure_ascii=False) + "\n")
        seconds = time.perf_counter() - t0
        out_sa = subprocess.run([sys.executable, os.path.join(TOOLS, "score_mixed_strict.py"), gold_dir, pred_sa],
                                check=True, capture_output=True, text=True).stdout
        out = subprocess.run([sys.executable, os.path.join(TOOLS, "score_mixed_strict.py"), gold_dir, pred],
                             check=True, capture_output=True, text=True).stdout
    res = json.loads(out)
    print(f"two documents    strict P {res['strict_P']:.4f} R {res['strict_R']:.4f} F1 {res['strict_F1']:.4f}"
          f"  lax P {res['lax_P']:.4f}  ({res['pairs']} pairs, {res['gold_beads']} gold links, "
          f"{res['unlocated']} unlocated, {seconds:.1f}s with the row below; mode={pipe2.settings()['mode']})")
    res = json.loads(out_sa)
    print(f"  same, sentence aligner (align_documents, not pre-split) strict P {res['strict_P']:.4f} R "
          f"{res['strict_R']:.4f} F1 {res['strict_F1']:.4f}  ({res['pairs']} pairs)")
    if isinstance(enc, DiskCachedEncoder):
        enc.save()


if __name__ == "__main__":
    main()
