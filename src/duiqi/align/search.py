"""Banded dynamic programming over beads (1-1, n-m, 1-0, 0-1), one source row at a time.

Grid row ``i`` = source sentences consumed, column ``j`` = target sentences consumed. A bead of
shape ``p-q`` ending at ``(i, j)`` covers source ``i-p..i-1`` and target ``j-q..j-1``. Only cells
inside the band are scored; span embeddings are built per chunk of rows, so memory is bounded by
the chunk, the band width and the backpointers (one byte per cell).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from duiqi.records import Bead

#: span embeddings for (side, length, end positions) -> (len(ends), d) unit rows
SpanFn = Callable[[str, int, np.ndarray], np.ndarray]


@dataclass(frozen=True, slots=True)
class Features:
    """Per-sentence quantities the bead score needs (cumulative sums for span look-ups)."""

    src_len: np.ndarray  # cumulative char lengths, size n+1
    tgt_len: np.ndarray
    src_knn: np.ndarray  # cumulative knn means, size n+1
    tgt_knn: np.ndarray
    src_tok: np.ndarray  # cumulative token count vectors, (n+1, k)
    tgt_tok: np.ndarray
    ratio: float  # expected target chars per source char


@dataclass(frozen=True, slots=True)
class Weights:
    deletion: float
    margin_weight: float
    length_weight: float
    size_penalty: float
    token_weight: float
    length_smooth: float = 8.0
    length_mode: str = "sq"
    cos_weight: float = 1.0
    shape_bias: tuple[tuple[int, int, float], ...] = ()
    """Extra score per bead shape ``(p, q, bias)`` (learned; 0 for shapes not listed)."""

    def bias(self, p: int, q: int) -> float:
        for a, b, v in self.shape_bias:
            if (a, b) == (p, q):
                return v
        return 0.0


def _cum(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    zero = np.zeros((1, *x.shape[1:]), dtype=np.float64)
    return np.concatenate([zero, np.cumsum(x, axis=0)])


def make_features(
    src_len: Sequence[int],
    tgt_len: Sequence[int],
    src_knn: np.ndarray,
    tgt_knn: np.ndarray,
    src_tok: np.ndarray,
    tgt_tok: np.ndarray,
    ratio: float,
) -> Features:
    return Features(
        _cum(np.asarray(src_len)), _cum(np.asarray(tgt_len)), _cum(src_knn), _cum(tgt_knn),
        _cum(src_tok), _cum(tgt_tok), float(ratio),
    )


def span_terms(p: Any, q: Any, i: Any, js: Any, f: Features) -> tuple[Any, Any, Any]:
    """The bead's own quantities, for beads ``p-q`` ending at row ``i`` and columns ``js`` (numbers or
    broadcasting arrays): the neighbours' mean similarity of both sides summed, and the source and target
    lengths."""
    knn = (f.src_knn[i] - f.src_knn[i - p]) / p + (f.tgt_knn[js] - f.tgt_knn[js - q]) / q
    ls = f.src_len[i] - f.src_len[i - p]
    lt = f.tgt_len[js] - f.tgt_len[js - q]
    return knn, ls, lt


def log_length_ratio(ls: Any, lt: Any, ratio: float, smooth: float) -> Any:
    """Log of the target length over the expected one (``ls * ratio``), both smoothed by ``smooth``."""
    return np.log((lt + smooth * ratio) / (ls * ratio + smooth * ratio))


def combine(cos: Any, knn: Any, ls: Any, lt: Any, size: Any, f: Features, w: Weights) -> Any:
    """The bead score before shape bias and token agreement: ``cos_weight`` * cosine, minus the
    neighbours' share, the length prior (``sq``: minus weight * log-ratio^2; ``factor``: scaled), minus
    ``size_penalty`` per extra sentence (``size`` = p + q - 2). The one formula of the search (and of
    :func:`duiqi.align.learn.phi_sum`, whose features it weighs)."""
    score = w.cos_weight * cos - w.margin_weight * 0.5 * knn
    c = w.length_smooth
    if w.length_mode == "factor":
        a_len = ls * f.ratio + c * f.ratio
        b_len = lt + c * f.ratio
        factor = np.log2(1.0 + np.minimum(a_len, b_len) / np.maximum(a_len, b_len))
        score = score * (1.0 - w.length_weight * (1.0 - factor))
    else:
        lr = log_length_ratio(ls, lt, f.ratio, c)
        score = score - w.length_weight * lr * lr
    return score - w.size_penalty * size


def bead_scores(
    cos: np.ndarray, p: int, q: int, i: int, js: np.ndarray, f: Features, w: Weights
) -> np.ndarray:
    """Score of beads ``p-q`` ending at row ``i`` and columns ``js`` given their cosines."""
    knn, ls, lt = span_terms(p, q, i, js, f)
    score = combine(cos, knn, ls, lt, p + q - 2, f, w)
    score += w.bias(p, q)
    if w.token_weight and f.src_tok.shape[1]:
        score += w.token_weight * token_agreement(p, q, i, js, f)
    return score


def bead_scores_q(
    cos: np.ndarray, ps: Sequence[int], q: int, i: int, js: np.ndarray, f: Features, w: Weights
) -> np.ndarray:
    """:func:`bead_scores` of the beads ``p-q`` for every ``p`` of ``ps`` at once: ``cos`` and the
    result are ``(len(js), len(ps))`` (the target side's quantities are computed once)."""
    pa = np.asarray(ps, dtype=np.int64)
    knn, ls, lt = span_terms(pa[None, :], q, i, js[:, None], f)
    score = combine(cos, knn, ls, lt, (pa + q - 2)[None, :], f, w)
    if w.shape_bias:
        score = score + np.asarray([w.bias(p, q) for p in ps])[None, :]
    if w.token_weight and f.src_tok.shape[1]:
        a = f.src_tok[i] - f.src_tok[i - pa]  # (P, k)
        b = f.tgt_tok[js] - f.tgt_tok[js - q]  # (W, k)
        na = a.sum(1)[None, :]
        nb = b.sum(1)[:, None]
        if (na > 0).any() or (nb > 0).any():
            shared = np.minimum(a[None, :, :], b[:, None, :]).sum(2)
            both = (na > 0) & (nb > 0)
            dice = np.where(both, 2 * shared / np.maximum(na + nb, 1), 0.0)
            one = (na > 0) ^ (nb > 0)
            score = score + w.token_weight * np.where(both, 2 * dice - 1, np.where(one, -0.25, 0.0))
    return np.asarray(score)


def token_agreement(p: int, q: int, i: int, js: np.ndarray, f: Features) -> np.ndarray:
    """Number/name agreement of beads ``p-q`` ending at ``(i, js)``: 2 * dice - 1 when both sides
    have tokens, -0.25 when only one has, 0 when neither."""
    if not f.src_tok.shape[1]:
        return np.zeros(len(js))
    a = f.src_tok[i] - f.src_tok[i - p]
    b = f.tgt_tok[js] - f.tgt_tok[js - q]
    na = a.sum()
    nb = b.sum(1)
    if not (na > 0 or nb.any()):
        return np.zeros(len(js))
    shared = np.minimum(a[None, :], b).sum(1)
    both = (na > 0) & (nb > 0)
    dice = np.where(both, 2 * shared / np.maximum(na + nb, 1), 0.0)
    one = (na > 0) ^ (nb > 0)
    return np.where(both, 2 * dice - 1, np.where(one, -0.25, 0.0))


def banded_dp(
    n: int,
    m: int,
    lo: np.ndarray,
    hi: np.ndarray,
    types: list[tuple[int, int]],
    spans: SpanFn,
    feats: Features,
    weights: Weights,
    chunk_rows: int = 256,
) -> list[Bead]:
    """Best-scoring monotone bead sequence through the band. ``lo/hi`` give, per grid row
    ``0..n``, the inclusive column range ``lo[i]..hi[i]`` (non-decreasing, ``lo[0]=0``, ``hi[n]=m``)."""
    n_types = len(types)
    del_src, del_tgt = n_types, n_types + 1  # codes of 1-0 and 0-1
    back: list[np.ndarray] = []
    rows: dict[int, np.ndarray] = {}
    max_p = max(p for p, _ in types)
    max_q = max(q for _, q in types)
    d = weights.deletion
    # row 0
    cols0 = np.arange(lo[0], hi[0] + 1)
    rows[0] = cols0 * d
    b0 = np.full(len(cols0), del_tgt, dtype=np.int8)
    back.append(b0)
    chunk_src: dict[int, np.ndarray] = {}
    chunk_tgt: dict[int, np.ndarray] = {}
    t0 = 0
    for i in range(1, n + 1):
        if (i - 1) % chunk_rows == 0:
            r1 = min(n, i - 1 + chunk_rows)
            ends = np.arange(i, r1 + 1)
            chunk_src = {p: spans("src", p, ends) for p in range(1, max_p + 1)}
            t0 = int(lo[i])
            t1 = int(hi[r1])
            tends = np.arange(t0, t1 + 1)
            chunk_tgt = {q: spans("tgt", q, tends) for q in range(1, max_q + 1)}
            c_base = i
        a, b = int(lo[i]), int(hi[i])
        js = np.arange(a, b + 1)
        best = np.full(len(js), -np.inf)
        arg = np.full(len(js), -1, dtype=np.int8)
        # deletion of a source sentence (1-0)
        prev = rows[i - 1]
        pa = int(lo[i - 1])
        idx = js - pa
        ok = idx < len(prev)
        cand = np.where(ok, prev[np.minimum(idx, len(prev) - 1)], -np.inf) + d
        upd = cand > best
        best[upd] = cand[upd]
        arg[upd] = del_src
        for q in range(1, max_q + 1):
            ps = [p for p, qq in types if qq == q and p <= i]
            if not ps:
                continue
            tv = chunk_tgt[q][js - t0]
            sv = np.stack([chunk_src[p][i - c_base] for p in ps])
            cos_all = tv @ sv.T  # (W, len(ps))
            valid = js - q >= 0
            if not valid.any():
                continue
            jj = np.where(valid, js, q)
            sc_all = bead_scores_q(cos_all.astype(np.float64), ps, q, i, jj, feats, weights)
            for k, p in enumerate(ps):
                prev = rows[i - p]
                pa = int(lo[i - p])
                idx = js - q - pa
                ok = valid & (idx >= 0) & (idx < len(prev))
                if not ok.any():
                    continue
                pv = np.where(ok, prev[np.minimum(np.maximum(idx, 0), len(prev) - 1)], -np.inf)
                cand = pv + sc_all[:, k]
                upd = cand > best
                if upd.any():
                    best[upd] = cand[upd]
                    arg[upd] = types.index((p, q))
        # insertions of target sentences (0-1) along the row: running max
        g = best - js * d
        h = np.maximum.accumulate(g)
        ins = h > g
        best = h + js * d
        arg[ins] = del_tgt
        rows[i] = best
        back.append(arg)
        rows.pop(i - max_p - 1, None)
    return _backtrack(n, m, lo, back, types, del_src, del_tgt)


def _backtrack(
    n: int, m: int, lo: np.ndarray, back: list[np.ndarray], types: list[tuple[int, int]], del_src: int, del_tgt: int
) -> list[Bead]:
    beads: list[Bead] = []
    i, j = n, m
    while i > 0 or j > 0:
        code = int(back[i][j - int(lo[i])])
        if code == del_src:
            p, q = 1, 0
        elif code == del_tgt:
            p, q = 0, 1
        elif 0 <= code < len(types):
            p, q = types[code]
        else:  # unreachable cell: cannot happen with a connected band
            raise RuntimeError(f"alignment search hit an unreachable cell at ({i}, {j})")
        beads.append(Bead(tuple(range(i - p, i)), tuple(range(j - q, j))))
        i, j = i - p, j - q
    return beads[::-1]
