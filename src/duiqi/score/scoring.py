"""Scoring: fill ``Pair.quality`` (and the similarity when it is missing), nothing else.

Scoring is separate from deciding (:mod:`duiqi.score.filters`): scores saved once can be
re-thresholded without recomputing embeddings.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from typing import Literal

import numpy as np

from duiqi.embed.base import Encoder
from duiqi.errors import DuiqiError
from duiqi.lang import DEFAULT_PAIR
from duiqi.records import Pair
from duiqi.score.context import add_context
from duiqi.score.features import PairFeatures, expected_log_ratio, feature_matrix, measure
from duiqi.score.model import QualityModel, default_model

Recompute = Literal["auto", "always", "never"]


def needs_similarity(pair: Pair) -> bool:
    """True when the pair carries no similarity yet (``score`` missing/NaN, or exactly 0.0).

    A pair with an empty side (an unaligned sentence) never needs one: 0.0 is its similarity.
    """
    if not pair.src.strip() or not pair.tgt.strip():
        return False
    return not math.isfinite(pair.score) or pair.score == 0.0


def cosine_similarities(pairs: Sequence[Pair], encoder: Encoder) -> np.ndarray:
    """Cosine of the encoder's vectors for each pair's two sides (rows are unit length)."""
    if not pairs:
        return np.zeros(0)
    a = np.asarray(encoder.encode([p.src for p in pairs]), dtype=np.float32)
    b = np.asarray(encoder.encode([p.tgt for p in pairs]), dtype=np.float32)
    return np.einsum("ij,ij->i", a, b).astype(np.float64)


def fill_similarity(pairs: Sequence[Pair], encoder: Encoder | None, recompute: Recompute = "auto") -> list[Pair]:
    """Pairs with ``score`` set to the encoder cosine where it is missing (or everywhere, ``always``)."""
    if recompute == "never":
        return list(pairs)
    idx = [i for i, p in enumerate(pairs) if recompute == "always" or needs_similarity(p)]
    if not idx:
        return list(pairs)
    if encoder is None:
        raise DuiqiError(
            f"{len(idx)} pair(s) have no similarity score; give an encoder (CLI: --encoder use) to compute it"
        )
    sims = cosine_similarities([pairs[i] for i in idx], encoder)
    out = list(pairs)
    for i, s in zip(idx, sims, strict=True):
        out[i] = replace(out[i], score=float(s))
    return out


def quality_scores(
    pairs: Sequence[Pair],
    model: QualityModel | None = None,
    feats: Sequence[PairFeatures] | None = None,
    sims: Sequence[float] | None = None,
) -> np.ndarray:
    """The model's probabilities for ``pairs``.

    The similarity is ``sims`` when given, else each pair's ``score``; the margin is ``Pair.margin``.
    """
    model = model or default_model()
    if feats is None:
        feats = [measure(p) for p in pairs]
    mus, mps = [], []
    known: dict[tuple[str | None, str | None], tuple[float, float]] = {}  # per language pair of the batch
    for p in pairs:
        key = (p.src_lang, p.tgt_lang)
        ratios = known.get(key)
        if ratios is None:
            sl, tl = p.src_lang or DEFAULT_PAIR.src, p.tgt_lang or DEFAULT_PAIR.tgt
            ratios = known[key] = (expected_log_ratio(sl, tl, model.log_ratio),
                                   expected_log_ratio("punct:" + sl, tl, model.log_ratio))
        mus.append(ratios[0])
        mps.append(ratios[1])
    sim = list(sims) if sims is not None else [p.score for p in pairs]
    x = feature_matrix(sim, feats, mus, mps, [p.margin for p in pairs])
    return model.predict(x)


def score_pairs(
    pairs: Sequence[Pair],
    encoder: Encoder | None = None,
    *,
    model: QualityModel | None = None,
    recompute: Recompute = "auto",
    keep_quality: bool = False,
    features: Sequence[PairFeatures] | None = None,
    context: bool = False,
) -> list[Pair]:
    """``pairs`` with ``quality`` set (a calibrated probability of being a translation).

    The similarity is the pair's ``score``; where it is missing (see :func:`needs_similarity`) it is
    computed with ``encoder`` (an error when none is given). ``keep_quality`` leaves pairs that already
    have a quality untouched (re-thresholding saved scores without any recomputation). ``features``
    may pass :func:`~duiqi.score.features.measure` results already computed for ``pairs``.

    ``context`` (needs ``encoder``): ``pairs`` are whole documents' output (grouped by ``doc``,
    unaligned sentences included as pairs with an empty side). Each pair's sides are encoded once
    as joined text -- the similarity the model was fitted on, whatever the aligner's ``score`` is
    (e.g. mean-pooled spans) -- and ``margin`` is set against the document's other sentences
    (:mod:`duiqi.score.context`). ``score`` itself is left as the aligner gave it.
    """
    if context:
        if encoder is None:
            raise DuiqiError("scoring with document context needs an encoder")

        ctx = add_context(pairs, encoder)
        todo = [i for i, p in enumerate(ctx.pairs) if not (keep_quality and p.quality is not None)]
        sub = [ctx.pairs[i] for i in todo]
        q = quality_scores(sub, model, None if features is None else [features[i] for i in todo],
                           sims=[float(ctx.cosine[i]) for i in todo])
        out = list(ctx.pairs)
        for i, p, v in zip(todo, sub, q.tolist(), strict=True):
            out[i] = replace(p, quality=v)
        return out
    todo = [i for i, p in enumerate(pairs) if not (keep_quality and p.quality is not None)]
    if not todo:
        return list(pairs)
    sub = fill_similarity([pairs[i] for i in todo], encoder, recompute)
    q = quality_scores(sub, model, None if features is None else [features[i] for i in todo])
    out = list(pairs)
    for i, p, v in zip(todo, sub, q.tolist(), strict=True):
        out[i] = replace(p, quality=v)
    return out



