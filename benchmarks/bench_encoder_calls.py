"""Encoder calls per sentence: the document pipeline with scoring, before and after issue 11's steps.

    nice -n 10 .venv/bin/python benchmarks/bench_encoder_calls.py [--encoder use|fake] [--chapter 001]

Documents: the example page (one mixed zh/en document, ``duiqi align DOC``) and one MAC-Dev chapter as a
document and its translation (``duiqi align ZH EN``; needs /work/shared, skipped when absent).

Flows (the same pairs and quality values; the script checks it):

* before -- what ``duiqi align`` / ``duiqi run`` did on main: the pipeline aligned, then the pairs were
  scored with ``score_pairs(pairs, encoder, context=True)`` on the encoder itself (the aligner's
  embeddings were not passed on; only the encoder's process-wide memo avoided encoding them again);
* after -- the pipeline's score step, which reads the document's embeddings (:class:`duiqi.steps.
  DocumentEmbeddings`) and encodes only the texts the aligner never saw.

Each flow runs twice: with the memo (``CachedEncoder``, as shipped) and without it (the bare model), which
shows the work the memo was hiding. Columns: texts asked of the encoder, and texts the model really
encoded, each per sentence of the document. Embeddings of the real encoder are cached on disk under
/tmp (align_common.DiskCachedEncoder): the counts are of texts, not time.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))

from align_common import MAC_DEV, DiskCachedEncoder
from duiqi.embed.base import CachedEncoder, Encoder
from duiqi.pipeline import Pipeline, PipelineConfig
from duiqi.records import Document, Pair
from duiqi.steps import ScoreStep

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "chongqing-foreign-affairs-2022.txt"


class Counting:
    """Counts the texts asked of the encoder it wraps: placed under the memo it counts what the model
    encodes, above it what the pipeline asks."""

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self.name = inner.name
        self.texts = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.texts += len(texts)
        return np.asarray(self.inner.encode(texts), dtype=np.float32)


Run = Callable[[Pipeline], list[Pair]]


def _flow(model: Encoder, memo: bool, after: bool, run: Run, spec: str) -> tuple[list[Pair], int, int]:
    counting = Counting(model)
    held: Encoder = CachedEncoder(counting) if memo else counting
    asked = Counting(held)
    if after:
        pairs = run(Pipeline(PipelineConfig(encoder=spec), encoder=asked))
    else:  # main's flow: align without scoring, then score on the encoder itself
        pairs = ScoreStep(asked)(run(Pipeline(PipelineConfig(encoder=spec, score=False), encoder=asked)))
    return pairs, asked.texts, counting.texts


def measure(label: str, model: Encoder, sentences: int, run: Run, spec: str) -> None:
    print(f"\n{label}: {sentences} sentences")
    print(f"  {'flow':<7} {'memo':<5} {'asked':>7} {'per sent':>8} {'encoded':>8} {'per sent':>8}")
    reference: list[Pair] | None = None
    for after in (False, True):
        for memo in (True, False):
            pairs, asked, encoded = _flow(model, memo, after, run, spec)
            if reference is None:
                reference = pairs
            elif pairs != reference:
                raise SystemExit(f"{label}: the pairs differ between flows (before/after must be identical)")
            print(f"  {'after' if after else 'before':<7} {'yes' if memo else 'no':<5} {asked:>7} "
                  f"{asked / sentences:>8.2f} {encoded:>8} {encoded / sentences:>8.2f}")
    assert reference is not None
    print(f"  pairs: {len(reference)} (identical in every flow; quality "
          f"{', '.join(f'{p.quality:.6f}' for p in reference[:6])}{' ...' if len(reference) > 6 else ''})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--encoder", default="use", choices=["use", "fake"])
    ap.add_argument("--chapter", default="001", help="MAC-Dev chapter (default: 001)")
    args = ap.parse_args()
    from duiqi.embed import get_encoder

    shipped = get_encoder(args.encoder)
    bare = shipped.inner if isinstance(shipped, CachedEncoder) else shipped
    model: Encoder = DiskCachedEncoder(bare, f"bench-encoder-calls-{bare.name}") if args.encoder == "use" else bare

    page = Document(id=str(EXAMPLE.name), text=EXAMPLE.read_text(encoding="utf-8"))
    n_page = len(Pipeline(PipelineConfig(encoder=args.encoder), encoder=bare).prepare(page).sentences)
    measure(f"example page {EXAMPLE.name} (mixed)", model, n_page, lambda p: p.process(page), args.encoder)

    zh_path, en_path = os.path.join(MAC_DEV, f"{args.chapter}.zh"), os.path.join(MAC_DEV, f"{args.chapter}.en")
    if not (os.path.exists(zh_path) and os.path.exists(en_path)):
        print(f"\nMAC-Dev chapter {args.chapter} not found under {MAC_DEV} (needs /work/shared): skipped")
    else:
        zh = Document(f"{args.chapter}.zh", Path(zh_path).read_text(encoding="utf-8"))
        en = Document(f"{args.chapter}.en", Path(en_path).read_text(encoding="utf-8"))
        prep = Pipeline(PipelineConfig(encoder=args.encoder), encoder=bare)
        n = len(prep.prepare(zh).sentences) + len(prep.prepare(en).sentences)
        measure(f"MAC-Dev {args.chapter} (document and translation)", model, n,
                lambda p: p.process_pair(zh, en), args.encoder)
    if isinstance(model, DiskCachedEncoder):
        model.save()


if __name__ == "__main__":
    main()
