"""The steps after alignment, as small objects over the typed records: score, then filter.

:class:`duiqi.pipeline.Pipeline` runs them after aligning a document (``Pipeline.run`` returns an
:class:`Outcome`: the kept pairs and the rejected ones with their reasons); ``duiqi align``, ``duiqi run``
(every engine) and the Python API all go through that one place. A processor that is not a
:class:`~duiqi.pipeline.Pipeline` (the run's test stand-in) runs the same objects through :func:`finish`.

:class:`DocumentEmbeddings` keeps the sentence embeddings computed while a document is aligned and hands
them on to the score step, which then encodes only the texts the aligner never saw (joined multi-sentence
sides).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from duiqi.embed.base import Encoder
from duiqi.records import Pair
from duiqi.score import FilterConfig, Rejected, apply_filters, default_model, score_pairs


@dataclass(frozen=True)
class Outcome:
    """What the pipeline made of one document: the pairs kept (scored, in document order) and those the
    filter step rejected, each with its reasons."""

    pairs: list[Pair]
    rejected: list[Rejected] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    """Pairs failing each filter (a pair can fail several)."""
    first: dict[str, int] = field(default_factory=dict)
    """Pairs whose first failed filter is this one (sums to the number rejected)."""


class DocumentEmbeddings:
    """An encoder view for one document: every row the wrapped encoder returns is kept (by text), and
    asked again it is handed on instead of being encoded again. Build one per document and drop it
    afterwards (its memory is the document's, never the corpus's).

    Everything else (``name``, ``dim``, span composition on encoders that offer it) is the wrapped
    encoder's.
    """

    def __init__(self, encoder: Encoder) -> None:
        self.inner = encoder
        self.name = encoder.name
        self._rows: dict[str, np.ndarray] = {}
        self.requested = 0
        """Texts asked of this view."""
        self.passed_on = 0
        """Texts asked again and answered from the document's rows (not sent to the encoder)."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        self.requested += len(texts)
        todo = list(dict.fromkeys(t for t in texts if t not in self._rows))
        self.passed_on += len(texts) - sum(1 for t in texts if t in todo)
        if todo:
            vecs = np.asarray(self.inner.encode(todo), dtype=np.float32)
            for t, v in zip(todo, vecs, strict=True):
                self._rows[t] = v
        if not texts:
            return np.asarray(self.inner.encode([]), dtype=np.float32)
        return np.stack([self._rows[t] for t in texts]).astype(np.float32, copy=False)

    def __getattr__(self, name: str) -> Any:  # dim, pooler, states, encoded, ... of the wrapped encoder
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)


class ScoreStep:
    """Every pair gets ``quality`` (the packaged model) and ``margin`` against its document's other
    sentences (:func:`duiqi.score.score_pairs` with ``context=True``: each side encoded as joined text,
    the similarity the model was fitted on). Without an encoder (a processor that has none), the pairs'
    own ``score`` is the similarity."""

    def __init__(self, encoder: Encoder | None) -> None:
        self.encoder = encoder

    def __call__(self, pairs: list[Pair], encoder: Encoder | None = None) -> list[Pair]:
        """``encoder``: this document's view (:class:`DocumentEmbeddings`) of the step's encoder."""
        if not pairs:
            return pairs
        enc = encoder or self.encoder
        if enc is None:
            return score_pairs(pairs, None, recompute="never")
        return score_pairs(pairs, enc, context=True)

    @staticmethod
    def settings() -> dict[str, Any]:
        return {"quality_model": default_model().name}


@dataclass(frozen=True)
class FilterStep:
    """The rule filters and thresholds of ``config`` (:func:`duiqi.score.apply_filters`) on one document's
    pairs; duplicates are looked for within the document when ``config.dedup`` is on."""

    config: FilterConfig

    def __call__(self, pairs: list[Pair]) -> Outcome:
        out = apply_filters(pairs, self.config)
        return Outcome(list(out.kept), list(out.rejected), dict(out.counts), dict(out.first))

    def settings(self) -> dict[str, Any]:
        return self.config.to_settings()


def finish(pairs: list[Pair], score: ScoreStep | None, filters: FilterStep | None,
           encoder: Encoder | None = None) -> Outcome:
    """Score then filter one document's aligned pairs (either step may be off)."""
    if score is not None:
        pairs = score(pairs, encoder)
    if filters is None:
        return Outcome(pairs)
    return filters(pairs)


def without_dedup(config: FilterConfig | None) -> FilterConfig | None:
    """``config`` with duplicate removal off (a corpus run removes duplicates run-wide afterwards)."""
    return None if config is None else replace(config, dedup=False)
