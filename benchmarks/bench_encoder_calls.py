"""Encoder calls per sentence: the document pipeline with scoring, before and after issue 11's steps.

    nice -n 10 .venv/bin/python benchmarks/bench_encoder_calls.py [--encoder use|fake] [--chapter 001]

Documents: the example page (one mixed zh/en document, ``duiqi align DOC``) and one MAC-Dev chapter as a
document and its translation (``duiqi align ZH EN``; needs /work/shared, skipped when absent).

Flows (the same pairs; the script checks it, quality to 1e-5):

* before -- main before issue 11's steps: the pipeline's per-document view kept only encoded rows (by
  text) and passed span composition (``states``) straight to the encoder, so the pooled states of the
  sentences came from the encoder's process-wide memo (``CachedEncoder``, which ``get_encoder`` wrapped
  every model in) or, without it, were computed again;
* after -- the pipeline as it is: no process-wide memo (``get_encoder`` gives the bare model); the
  document's :class:`duiqi.steps.DocumentEmbeddings` keeps each sentence's embedding and pooled states
  and hands them on to the align and score steps.

Each flow runs with the memo (a ``CachedEncoder`` around the model: what ``get_encoder`` shipped before;
an explicit opt-in now) and without it (the bare model), which shows the work a memo was hiding.
Columns: texts asked of the encoder the pipeline was given, and texts the model really computed (encoded
on their own, or run as a sequence for span composition), each per sentence of the document. Sentence
embeddings of the real encoder are cached on disk under /tmp (align_common.DiskCachedEncoder): the
counts are of texts, not time.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))

from align_common import MAC_DEV, DiskCachedEncoder
from duiqi.embed.base import CachedEncoder
from duiqi.pipeline import Pipeline, PipelineConfig
from duiqi.records import Document, Pair
from duiqi.steps import DocState, fold

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "chongqing-foreign-affairs-2022.txt"


class Counting:
    """Counts the texts that reach the encoder it wraps: encoded on their own (``encode``, ``parts``) or
    run as a sequence (``states``). ``cached``: sentence embeddings from the disk cache (counted all the
    same); ``pooler``/``parts``/``states`` go to the model itself."""

    def __init__(self, inner: Any, cached: Any = None) -> None:
        self.inner = inner
        self.cached = cached or inner
        self.name = inner.name
        self.texts = 0

    @property
    def pooler(self) -> Any:
        return getattr(self.inner, "pooler", None)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.texts += len(texts)
        return np.asarray(self.cached.encode(texts), dtype=np.float32)

    def __getattr__(self, name: str) -> Any:
        if name == "parts" and callable(getattr(self.inner, "parts", None)):  # only when the model has it
            def parts(texts: Sequence[str]) -> Any:
                self.texts += len(texts)
                return self.inner.parts(texts)
            return parts
        raise AttributeError(name)

    def states(self, texts: Sequence[str], glue: str = " ", seams: bool = True) -> Any:
        self.texts += len(texts)
        return self.inner.states(texts, glue, seams)


class MainView:
    """The per-document view as it was on main before the steps: encoded rows kept by text; everything
    else (``pooler``, ``states``) the wrapped encoder's."""

    def __init__(self, encoder: Any) -> None:
        self.inner = encoder
        self.name = encoder.name
        self._rows: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        todo = list(dict.fromkeys(t for t in texts if t not in self._rows))
        if todo:
            for t, v in zip(todo, np.asarray(self.inner.encode(todo), dtype=np.float32), strict=True):
                self._rows[t] = v
        if not texts:
            return np.asarray(self.inner.encode([]), dtype=np.float32)
        return np.stack([self._rows[t] for t in texts])

    def __getattr__(self, name: str) -> Any:
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)


class MainPipeline(Pipeline):
    """The same steps, with main's per-document view."""

    def fold(self, mode: str, docs: Sequence[Document]) -> DocState:
        state = DocState.start(mode, docs, MainView(self.encoder))  # type: ignore[arg-type]
        return fold(state, self.steps)


Run = Callable[[Pipeline], list[Pair]]


def _flow(model: Any, cached: Any, memo: bool, after: bool, run: Run, spec: str) -> tuple[list[Pair], int, int]:
    counting = Counting(model, cached)
    held: Any = CachedEncoder(counting) if memo else counting
    asked = Counting(held)
    cls = Pipeline if after else MainPipeline
    pairs = run(cls(PipelineConfig(encoder=spec), encoder=asked))
    return pairs, asked.texts, counting.texts


def _same(a: list[Pair], b: list[Pair]) -> float | None:
    """Largest quality difference between two runs' pairs, or None when the pairs differ."""
    if [(p.src, p.tgt, p.src_ids, p.tgt_ids) for p in a] != [(p.src, p.tgt, p.src_ids, p.tgt_ids) for p in b]:
        return None
    return max((abs((p.quality or 0) - (q.quality or 0)) for p, q in zip(a, b, strict=True)), default=0.0)


def measure(label: str, model: Any, cached: Any, sentences: int, run: Run, spec: str) -> None:
    print(f"\n{label}: {sentences} sentences")
    print(f"  {'flow':<7} {'memo':<5} {'asked':>7} {'per sent':>8} {'computed':>8} {'per sent':>8} {'max dq':>8}")
    reference: list[Pair] | None = None
    for after in (False, True):
        for memo in (True, False):
            pairs, asked, encoded = _flow(model, cached, memo, after, run, spec)
            if reference is None:
                reference = pairs
            diff = _same(reference, pairs)
            if diff is None or diff > 1e-5:
                raise SystemExit(f"{label}: the pairs differ between flows (they must be the same)")
            print(f"  {'after' if after else 'before':<7} {'yes' if memo else 'no':<5} {asked:>7} "
                  f"{asked / sentences:>8.2f} {encoded:>8} {encoded / sentences:>8.2f} {diff:>8.1e}")
    assert reference is not None
    print(f"  pairs: {len(reference)} (the same in every flow; quality "
          f"{', '.join(f'{p.quality:.6f}' for p in reference[:6])}{' ...' if len(reference) > 6 else ''})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--encoder", default="use", choices=["use", "fake"])
    ap.add_argument("--chapter", default="001", help="MAC-Dev chapter (default: 001)")
    args = ap.parse_args()
    from duiqi.embed import get_encoder

    bare = get_encoder(args.encoder)  # the model itself: no memo of texts
    cached = DiskCachedEncoder(bare, f"bench-encoder-calls-{bare.name}") if args.encoder == "use" else None

    page = Document(id=str(EXAMPLE.name), text=EXAMPLE.read_text(encoding="utf-8"))
    n_page = len(Pipeline(PipelineConfig(encoder=args.encoder), encoder=bare).prepare(page).sentences)
    measure(f"example page {EXAMPLE.name} (mixed)", bare, cached, n_page, lambda p: p.process(page), args.encoder)

    zh_path, en_path = os.path.join(MAC_DEV, f"{args.chapter}.zh"), os.path.join(MAC_DEV, f"{args.chapter}.en")
    if not (os.path.exists(zh_path) and os.path.exists(en_path)):
        print(f"\nMAC-Dev chapter {args.chapter} not found under {MAC_DEV} (needs /work/shared): skipped")
    else:
        zh = Document(f"{args.chapter}.zh", Path(zh_path).read_text(encoding="utf-8"))
        en = Document(f"{args.chapter}.en", Path(en_path).read_text(encoding="utf-8"))
        prep = Pipeline(PipelineConfig(encoder=args.encoder), encoder=bare)
        n = len(prep.prepare(zh).sentences) + len(prep.prepare(en).sentences)
        measure(f"MAC-Dev {args.chapter} (document and translation)", bare, cached, n,
                lambda p: p.process_pair(replace(zh), replace(en)), args.encoder)
    if isinstance(cached, DiskCachedEncoder):
        cached.save()


if __name__ == "__main__":
    main()
