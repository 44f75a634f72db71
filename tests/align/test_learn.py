from __future__ import annotations

from dataclasses import replace

import numpy as np

from duiqi.align import AlignConfig, align_sentences
from duiqi.align.core import prepare, solve
from duiqi.align.learn import SHAPES, from_vector, names, phi_sum, to_vector
from duiqi.records import Bead

from .test_align import lexicon_encoder, synthetic


def _problem(seed: int = 3, n: int = 40):  # type: ignore[no-untyped-def]
    src, tgt, gold = synthetic(seed, n)
    enc = lexicon_encoder()
    return prepare(src, tgt, encoder=enc, config=AlignConfig()), src, tgt, gold, enc


def test_prepare_solve_is_align_sentences() -> None:
    prob, src, tgt, _gold, enc = _problem()
    assert solve(prob) == align_sentences(src, tgt, encoder=enc)


def test_vector_round_trip() -> None:
    prob, *_ = _problem()
    w = replace(prob.weights, shape_bias=((1, 2, 0.05), (2, 1, -0.02)))
    v = to_vector(w)
    assert len(v) == len(names()) == 6 + len(SHAPES)
    assert from_vector(v, prob.weights) == replace(w, shape_bias=tuple((p, q, w.bias(p, q)) for p, q in SHAPES))


def _shifted(beads: list[Bead]) -> list[Bead]:
    """Move the last target sentence of the first multi-target link bead to the next bead."""
    out = list(beads)
    for k in range(len(out) - 1):
        a, b = out[k], out[k + 1]
        if len(a.tgt_ids) > 1 and a.src_ids and b.src_ids and b.tgt_ids:
            out[k] = Bead(a.src_ids, a.tgt_ids[:-1])
            out[k + 1] = Bead(b.src_ids, a.tgt_ids[-1:] + b.tgt_ids)
            return out
    raise AssertionError("no bead to shift")


def test_search_maximises_the_linear_score() -> None:
    """w . phi(alignment) is what the search maximises: the found path beats the gold and a shifted one."""
    prob, _s, _t, gold, _e = _problem()
    w = to_vector(prob.weights)
    pred = solve(prob)
    best = float(w @ phi_sum(prob, pred))
    assert best >= float(w @ phi_sum(prob, gold)) - 1e-4
    assert best > float(w @ phi_sum(prob, _shifted(pred)))


def test_shape_bias_moves_the_search() -> None:
    prob, *_ = _problem(seed=5)
    base = solve(prob)
    w = to_vector(prob.weights)
    w[names().index("1-2")] = -1.0  # forbid 1-2 beads
    no12 = solve(prob, from_vector(w, prob.weights))
    assert any(b.shape == (1, 2) for b in base)
    assert not any(b.shape == (1, 2) for b in no12)
    assert np.isfinite(w).all()
