"""Text+Berg de-fr through the document pipeline, with no zh/en special case (issue 11).

1. pre-split: ``align_sentences`` on the gold sentence lists (the RESULTS.md row, 0.9134 for test0-6);
2. mixed documents: /work/shared/tools/make_mixed_beads.py lays test0-6 out as mixed de/fr documents
   (paragraphs of 2-6 beads, German then French, French first in about a quarter); each one goes through
   ``duiqi.Pipeline(PipelineConfig(src_lang="de", tgt_lang="fr"))`` -- repair, segmentation with the de/fr
   profiles (py3langid keeps German and French apart), block matching, sentence alignment -- and the pairs
   are scored with /work/shared/tools/score_mixed_strict.py (strict = the pair's sentence ids equal a gold
   link bead);
3. two documents: each file's German and French sentences, one a line, as two documents through
   ``Pipeline.process_pair`` (the sentences are split again by duiqi, not taken as given), scored the same way,
   beside the sentence aligner ``align_documents`` on the same texts;
4. the same two-document rows for zh-en on the MAC-Dev chapters (``--no-mac`` skips them).

    nice -n 10 .venv/bin/python benchmarks/bench_textberg_mixed.py [--no-cache] [--no-mac] [--files test0,test4]

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

from align_common import (
    MAC_DEV,
    TEXTBERG,
    TOOLS,
    DiskCachedEncoder,
    mac_dev_docs,
    mixed_bead_docs,
    require,
    textberg_docs,
)
from duiqi import Pipeline, PipelineConfig
from duiqi.align import align_documents, align_sentences
from duiqi.align.evaluate import Counts, count, read_beads, scores_from
from duiqi.embed.base import CachedEncoder
from duiqi.embed.registry import UseEncoder
from duiqi.records import Document


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-cache", action="store_true")
    ap.add_argument("--no-mac", action="store_true", help="skip the MAC-Dev zh-en two-document row")
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
        pipe = Pipeline(PipelineConfig(encoder="use", src_lang="de", tgt_lang="fr"), encoder=enc)
        t0 = time.perf_counter()
        n_pairs = 0
        for base, text, gold in mixed_bead_docs(src, docs):
            assert gold["langs"] == ["de", "fr"], gold["langs"]
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
    docs = [(name, de, fr, gold) for name, de, fr, gold in textberg_docs() if name in names]
    two_documents("two documents   ", docs, ("de", "fr"), enc)
    # 4. the same for zh-en: MAC-Dev chapters as two documents (the document pipeline's two-document mode
    # must hold for the default pair too)
    if not args.no_mac:
        require(MAC_DEV)
        two_documents("MAC-Dev zh-en   ", mac_dev_docs(), ("zh", "en"), enc)
    if isinstance(enc, DiskCachedEncoder):
        enc.save()


def two_documents(label: str, docs: list[tuple[str, list[str], list[str], str]], langs: tuple[str, str],
                  enc: object) -> None:
    """Each file's two sides (one gold sentence a line, not pre-split) as two documents through
    ``Pipeline.process_pair``, and through the sentence aligner ``align_documents`` (split again by duiqi
    either way), scored with score_mixed_strict.py."""
    src_lang, tgt_lang = langs
    with tempfile.TemporaryDirectory(prefix="duiqi-two-docs-") as tmp:
        gold_dir, pred, pred_sa = (os.path.join(tmp, d) for d in ("gold", "pred", "pred-sentence-aligner"))
        for d in (gold_dir, pred, pred_sa):
            os.makedirs(d)
        pipe = Pipeline(PipelineConfig(encoder="use", src_lang=src_lang, tgt_lang=tgt_lang), encoder=enc)  # type: ignore[arg-type]
        t0 = time.perf_counter()
        for name, a, b, gold in docs:
            links = [[list(x.src_ids), list(x.tgt_ids)] for x in read_beads(gold) if x.src_ids and x.tgt_ids]
            with open(os.path.join(gold_dir, name + ".gold.json"), "w", encoding="utf-8") as fh:
                json.dump({"langs": list(langs), "a": a, "b": b, "beads": links}, fh, ensure_ascii=False)
            a_text, b_text = "\n".join(a) + "\n", "\n".join(b) + "\n"
            pairs = pipe.process_pair(Document(id=f"{name}.{src_lang}", text=a_text),
                                      Document(id=f"{name}.{tgt_lang}", text=b_text))
            _write(os.path.join(pred, name + ".jsonl"), pairs)
            # the sentence aligner on the texts as they are, split again by duiqi (what `duiqi align A B`
            # ran for a non-zh/en pair before it went through the document pipeline)
            _write(os.path.join(pred_sa, name + ".jsonl"),
                   align_documents(a_text, b_text, src_lang=src_lang, tgt_lang=tgt_lang, encoder=enc,  # type: ignore[arg-type]
                                   keep_unaligned=False))
        seconds = time.perf_counter() - t0
        res, res_sa = (json.loads(subprocess.run([sys.executable, os.path.join(TOOLS, "score_mixed_strict.py"),
                                                  gold_dir, d], check=True, capture_output=True, text=True).stdout)
                       for d in (pred, pred_sa))
    print(f"{label} strict P {res['strict_P']:.4f} R {res['strict_R']:.4f} F1 {res['strict_F1']:.4f}"
          f"  lax P {res['lax_P']:.4f}  ({res['pairs']} pairs, {res['gold_beads']} gold links, "
          f"{res['unlocated']} unlocated, {seconds:.1f}s with the row below; mode={pipe.settings()['mode']})")
    print(f"  same, sentence aligner (align_documents, not pre-split) strict P {res_sa['strict_P']:.4f} R "
          f"{res_sa['strict_R']:.4f} F1 {res_sa['strict_F1']:.4f}  ({res_sa['pairs']} pairs)")


def _write(path: str, pairs: list) -> None:  # type: ignore[type-arg]
    with open(path, "w", encoding="utf-8") as fh:
        for p in pairs:
            fh.write(json.dumps({"src": p.src, "tgt": p.tgt}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
