"""Document-context margin (duiqi.score.context)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from duiqi.embed import get_encoder
from duiqi.records import Pair
from duiqi.score import score_pairs
from duiqi.score.context import add_context, margins


def _unit(rows: list[list[float]]) -> np.ndarray:
    a = np.asarray(rows, dtype=np.float32)
    return a / np.linalg.norm(a, axis=1, keepdims=True)


def test_margin_is_cosine_minus_best_alternative() -> None:
    # three beads; sources 0 and 1 are swapped relative to the targets (a near miss)
    src = _unit([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    tgt = _unit([[0, 1, 0.1], [1, 0, 0.1], [0, 0, 1]])
    ok = np.ones(3, dtype=bool)
    cos, mar = margins(src, tgt, ok, ok)
    assert np.allclose(cos, np.einsum("ij,ij->i", src, tgt))
    assert mar[0] < -0.5 and mar[1] < -0.5  # each side's true partner is elsewhere
    assert mar[2] > 0.5  # the best match both ways


def test_no_candidate_gives_nan_and_empty_sides_are_candidates_only() -> None:
    src = _unit([[1, 0], [0, 1]])
    tgt = _unit([[1, 0.1], [0, 1]])
    _c, mar = margins(src[:1], tgt[:1], np.ones(1, bool), np.ones(1, bool))
    assert np.isnan(mar[0])
    # pair 1 has no target (unaligned source): it is a candidate for pair 0 but gets no margin itself
    _cos, mar = margins(src, tgt, np.array([True, True]), np.array([True, False]))
    assert np.isnan(mar[1]) and np.isfinite(mar[0])


def test_identical_texts_are_not_each_others_alternative() -> None:
    src = _unit([[1, 0], [1, 0]])
    tgt = _unit([[1, 0], [1, 0]])
    ok = np.ones(2, dtype=bool)
    _, plain = margins(src, tgt, ok, ok)
    _, keyed = margins(src, tgt, ok, ok, ["a", "a"], ["b", "b"])
    assert plain[0] == 0.0 or abs(plain[0]) < 1e-6
    assert np.isnan(keyed[0])  # the only candidate is the same text


def test_add_context_sets_margin_per_document_and_quality_uses_it() -> None:
    enc = get_encoder("fake")
    pairs = [
        Pair("我们明天去北京。", "We go to Beijing tomorrow.", "zh", "en", 0.0, doc="a"),
        Pair("今天天气很好。", "The weather is nice today.", "zh", "en", 0.0, doc="a"),
        Pair("他在工作。", "", "zh", "en", 0.0, doc="a"),
        Pair("出口增长了。", "Exports grew.", "zh", "en", 0.0, doc="b"),
    ]
    ctx = add_context(pairs, enc)
    out, cos = ctx.pairs, ctx.cosine
    assert out[0].margin is not None and out[1].margin is not None
    assert out[2].margin is None and cos[2] == 0.0
    assert out[3].margin is None  # alone in its document
    d = out[0].to_dict()
    assert Pair.from_dict(d).margin == out[0].margin
    # a lower margin never raises the quality
    base = replace(out[0], score=0.6, margin=0.2)
    lower = replace(base, margin=-0.2)
    q_hi, q_lo = (p.quality for p in score_pairs([base, lower]))
    assert q_hi is not None and q_lo is not None and q_lo < q_hi
