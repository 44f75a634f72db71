from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from duiqi.errors import DuiqiError
from duiqi.records import Pair
from duiqi.score import FEATURE_NAMES, default_model, load_model, measure, score_pairs
from duiqi.score.features import feature_vector
from duiqi.score.model import (
    QualityModel,
    expected_calibration_error,
    fit_logistic,
    precision_recall,
    reliability_table,
    roc_auc,
    sigmoid,
)


def test_packaged_model_loads_and_uses_known_features() -> None:
    m = default_model()
    assert set(m.features) <= set(FEATURE_NAMES)
    assert len(m.weights) == len(m.features)
    assert "zh-en" in m.log_ratio
    assert m.info.get("fit_data")


def test_quality_rises_with_similarity() -> None:
    base = Pair("我们明天去北京参加会议。", "We are going to Beijing tomorrow for a meeting.", "zh", "en", 0.1)
    qs = [p.quality for p in score_pairs([replace(base, score=s) for s in (0.1, 0.3, 0.5, 0.7, 0.9)])]
    assert all(q is not None for q in qs)
    assert qs == sorted(qs)  # type: ignore[type-var]
    assert qs[0] < 0.5 < qs[-1]  # type: ignore[operator]


def test_good_and_bad_pairs(good_pairs: list[Pair], bad_pairs: dict[str, Pair]) -> None:
    good = score_pairs(good_pairs)
    bad = score_pairs(list(bad_pairs.values()))
    assert all(p.quality is not None and p.quality > 0.5 for p in good), [p.quality for p in good]
    for kind, p in zip(bad_pairs, bad, strict=True):
        assert p.quality is not None and p.quality < 0.5, (kind, p.quality)


def test_feature_vector_matches_names(good_pairs: list[Pair]) -> None:
    v = feature_vector(0.7, measure(good_pairs[0]), 0.2)
    assert len(v) == len(FEATURE_NAMES)
    assert all(np.isfinite(v))


def test_fit_logistic_recovers_direction_and_calibration() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4000, 2))
    p_true = sigmoid(0.5 + 2.0 * x[:, 0] - 1.0 * x[:, 1])
    y = (rng.random(4000) < p_true).astype(float)
    w, b, mean, scale = fit_logistic(x, y, l2=0.1)
    assert w[0] > 1.5 and w[1] < -0.6
    p = sigmoid(b + ((x - mean) / scale) @ w)
    assert roc_auc(y, p) > 0.85
    # classes are balanced in fitting, so the mean prediction is near 0.5
    assert abs(float(np.mean(p)) - 0.5) < 0.05


def test_metrics() -> None:
    y = np.array([0, 0, 1, 1])
    assert roc_auc(y, [0.1, 0.4, 0.35, 0.8]) == pytest.approx(0.75)
    assert roc_auc(y, [0.5, 0.5, 0.5, 0.5]) == pytest.approx(0.5)
    assert precision_recall(y, [0.1, 0.6, 0.7, 0.2]) == (0.5, 0.5)
    rows = reliability_table(y, [0.05, 0.15, 0.85, 0.95], bins=10)
    assert [r["n"] for r in rows] == [1, 1, 0, 0, 0, 0, 0, 0, 1, 1]
    assert expected_calibration_error(y, [0.0, 0.0, 1.0, 1.0]) == pytest.approx(0.0)
    with pytest.raises(ValueError):
        roc_auc([1, 1], [0.2, 0.3])


def test_model_roundtrip_and_bad_files(tmp_path) -> None:  # type: ignore[no-untyped-def]
    m = default_model()
    path = tmp_path / "m.json"
    path.write_text(json.dumps(m.to_dict()), "utf-8")
    m2 = load_model(str(path))
    x = np.zeros((1, len(FEATURE_NAMES)))
    assert m2.predict(x)[0] == pytest.approx(m.predict(x)[0], abs=1e-6)
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", "utf-8")
    with pytest.raises(DuiqiError, match=r"bad\.json"):
        load_model(str(bad))
    with pytest.raises(DuiqiError, match="unknown features"):
        QualityModel.from_dict({**m.to_dict(), "features": ["nope"], "weights": [1], "mean": [0], "scale": [1]})


def test_quality_never_falls_as_similarity_rises(good_pairs: list[Pair], bad_pairs: dict[str, Pair]) -> None:
    m = default_model()
    mu, mp = m.log_ratio["zh-en"], m.log_ratio.get("punct:zh-en", 0.0)
    extreme = [measure(Pair("好", "This is a very long sentence with many many words in it.", "zh", "en", 0.5)),
               measure(Pair("这是一个非常非常长的句子，有很多很多的字，而且还有更多的字。", "Yes", "zh", "en", 0.5))]
    grid = np.linspace(-0.2, 1.0, 61)
    for f in [measure(p) for p in (*good_pairs, *bad_pairs.values())] + extreme:
        q = m.predict(np.array([feature_vector(float(s), f, mu, mp) for s in grid]))
        assert np.all(np.diff(q) >= -1e-12), f


def test_feature_matrix_is_feature_vector_row_by_row(good_pairs: list[Pair]) -> None:
    """The column-wise matrix is bit-for-bit the per-pair vectors, edge values included."""
    from duiqi.score.features import feature_matrix, feature_matrix_rows

    feats = [measure(p) for p in good_pairs]
    n = len(feats)
    sims = [0.1 * i - 0.5 for i in range(n)]
    sims[0], sims[1 % n] = float("nan"), 1.5
    margins: list[float | None] = [None if i % 3 == 0 else 0.05 * i - 0.3 for i in range(n)]
    margins[-1] = float("inf")
    mus = [0.2] * n
    mps = [0.1 * (i % 2) for i in range(n)]
    assert np.array_equal(feature_matrix(sims, feats, mus, mps, margins),
                          feature_matrix_rows(sims, feats, mus, mps, margins))
    assert np.array_equal(feature_matrix(sims, feats, mus), feature_matrix_rows(sims, feats, mus))
    assert feature_matrix([], [], []).shape == (0, len(feature_vector(0.5, feats[0], 0.0)))
