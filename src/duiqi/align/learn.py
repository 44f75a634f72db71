"""Bead-score features and weights as a vector (to fit the weights on gold alignments).

The search scores a bead as ``w . phi(bead)`` (:func:`duiqi.align.search.combine` with the same
:func:`~duiqi.align.search.span_terms`) where ``phi`` = cosine, neighbour similarity,
squared log length ratio, extra sentences, number/name agreement, deletion flag and one flag per
listed bead shape. :func:`phi_sum` sums ``phi`` over an alignment, so a structured perceptron can
move the weights from the predicted towards the gold alignment (see benchmarks/fit_align.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from duiqi.align.core import Problem, _score_beads
from duiqi.align.search import Weights, log_length_ratio, span_terms, token_agreement
from duiqi.records import Bead

BASE = ("cos", "knn", "len", "size", "tok", "del")
#: shapes that get their own learned bias (others share the size feature only)
SHAPES: tuple[tuple[int, int], ...] = ((1, 2), (2, 1), (1, 3), (3, 1), (2, 2), (1, 4), (4, 1), (2, 3), (3, 2))


def names(shapes: Sequence[tuple[int, int]] = SHAPES) -> list[str]:
    return [*BASE, *(f"{p}-{q}" for p, q in shapes)]


def to_vector(w: Weights, shapes: Sequence[tuple[int, int]] = SHAPES) -> np.ndarray:
    """The weights as a vector matching :func:`phi_sum` (``sq`` length mode only)."""
    base = [w.cos_weight, w.margin_weight, w.length_weight, w.size_penalty, w.token_weight, w.deletion]
    return np.asarray(base + [w.bias(p, q) for p, q in shapes], dtype=np.float64)


def from_vector(v: np.ndarray, like: Weights, shapes: Sequence[tuple[int, int]] = SHAPES) -> Weights:
    vals = [float(x) for x in v]
    bias = tuple((p, q, vals[len(BASE) + k]) for k, (p, q) in enumerate(shapes))
    return replace(
        like, cos_weight=vals[0], margin_weight=vals[1], length_weight=vals[2], size_penalty=vals[3],
        token_weight=vals[4], deletion=vals[5], shape_bias=bias,
    )


def phi_sum(prob: Problem, beads: Sequence[Bead], shapes: Sequence[tuple[int, int]] = SHAPES) -> np.ndarray:
    """Sum of bead features over an alignment; sentences no bead covers count as deletions."""
    out = np.zeros(len(BASE) + len(shapes))
    f = prob.feats
    links = [b for b in beads if b.src_ids and b.tgt_ids]
    scored = _score_beads(list(links), prob.spans)
    covered = 0
    for b in scored:
        p, q = len(b.src_ids), len(b.tgt_ids)
        i, j = b.src_ids[-1] + 1, b.tgt_ids[-1] + 1
        covered += p + q
        js = np.asarray([j])
        knn, ls, lt = span_terms(p, q, i, j, f)
        lr = log_length_ratio(ls, lt, f.ratio, prob.weights.length_smooth)
        out[0] += b.score
        out[1] -= 0.5 * knn
        out[2] -= lr * lr
        out[3] -= p + q - 2
        out[4] += float(token_agreement(p, q, i, js, f)[0])
        if (p, q) in shapes:
            out[len(BASE) + list(shapes).index((p, q))] += 1.0
    out[5] += prob.n + prob.m - covered
    return out
