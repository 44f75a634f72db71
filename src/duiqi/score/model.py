"""The calibrated quality model: logistic regression over :mod:`duiqi.score.features`, in numpy.

Coefficients are fitted by ``benchmarks/fit_quality.py`` and shipped as ``score/data/quality.json``.
The output is a probability that the pair is a translation, with classes balanced in fitting, so 0.5
means "as likely a translation as not". Also here: the fitting routine (Newton / IRLS with an L2
penalty) and the evaluation measures the benchmark prints (ROC AUC, precision/recall, reliability).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np

from duiqi.errors import DuiqiError
from duiqi.score.features import FEATURE_NAMES

MODEL_RESOURCE = "quality.json"


@dataclass(frozen=True)
class QualityModel:
    """Logistic model ``p = sigmoid(bias + w · (x - mean) / scale)``."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    log_ratio: Mapping[str, float] = field(default_factory=dict)
    """Expected log length ratio per language pair (``zh-en``), from the fitting data."""
    info: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n = len(self.features)
        if not (len(self.weights) == len(self.mean) == len(self.scale) == n):
            raise DuiqiError("quality model: features, weights, mean and scale must have the same length")

    @property
    def name(self) -> str:
        return str(self.info.get("name", "quality"))

    def _arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return _arrays_cached(self.weights, self.mean, self.scale)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Probabilities for the rows of ``x`` (columns in :data:`FEATURE_NAMES` order)."""
        if x.shape[0] == 0:
            return np.zeros(0, dtype=np.float64)
        cols = _column_index(self.features)
        w, mean, scale = self._arrays()
        # row by row (not a BLAS matrix product) so a pair's quality does not depend on the batch it is in
        z = self.bias + (((x[:, cols] - mean) / scale) * w).sum(axis=1)
        return sigmoid(z)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": "duiqi-quality-1",
            "features": list(self.features),
            "weights": [round(w, 8) for w in self.weights],
            "bias": round(self.bias, 8),
            "mean": [round(m, 8) for m in self.mean],
            "scale": [round(s, 8) for s in self.scale],
            "log_ratio": dict(self.log_ratio),
            "info": dict(self.info),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> QualityModel:
        try:
            feats = tuple(str(f) for f in d["features"])
            unknown = [f for f in feats if f not in FEATURE_NAMES]
            if unknown:
                raise DuiqiError(f"quality model uses unknown features: {', '.join(unknown)}")
            return cls(
                features=feats,
                weights=tuple(float(w) for w in d["weights"]),
                bias=float(d["bias"]),
                mean=tuple(float(m) for m in d["mean"]),
                scale=tuple(float(s) for s in d["scale"]),
                log_ratio={str(k): float(v) for k, v in dict(d.get("log_ratio", {})).items()},
                info=dict(d.get("info", {})),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise DuiqiError(f"not a duiqi quality model: {exc}") from None


@functools.lru_cache(maxsize=8)
def _arrays_cached(
    weights: tuple[float, ...], mean: tuple[float, ...], scale: tuple[float, ...]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return np.asarray(weights), np.asarray(mean), np.asarray(scale)


@functools.lru_cache(maxsize=8)
def _column_index(features: tuple[str, ...]) -> list[int]:
    return [FEATURE_NAMES.index(f) for f in features]


def sigmoid(z: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0))), dtype=np.float64)


@functools.lru_cache(maxsize=1)
def default_model() -> QualityModel:
    """The model shipped with the package (``duiqi/score/data/quality.json``)."""
    try:
        raw = resources.files("duiqi.score").joinpath("data", MODEL_RESOURCE).read_text("utf-8")
    except (FileNotFoundError, OSError) as exc:
        raise DuiqiError(f"the packaged quality model is missing ({exc}); reinstall duiqi") from None
    return QualityModel.from_dict(json.loads(raw))


def load_model(path: str | None = None) -> QualityModel:
    """A quality model from a JSON file written by ``benchmarks/fit_quality.py`` (default: packaged)."""
    if path is None:
        return default_model()
    try:
        with open(path, encoding="utf-8") as fh:
            return QualityModel.from_dict(json.load(fh))
    except OSError as exc:
        raise DuiqiError(f"{path}: cannot read quality model: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise DuiqiError(f"{path}: not JSON: {exc}") from None


# --- fitting ------------------------------------------------------------------------------------


def fit_logistic(
    x: np.ndarray,
    y: np.ndarray,
    *,
    l2: float = 1.0,
    sample_weight: np.ndarray | None = None,
    fixed: Mapping[int, float] | None = None,
    iterations: int = 50,
) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    """L2-penalised logistic regression by Newton's method on standardised columns.

    Returns ``(weights, bias, mean, scale)`` with weights for the standardised columns. ``fixed``
    maps column index -> weight (on the standardised scale) that is not fitted, for features the
    fitting data cannot inform. Classes are re-weighted to equal total weight (prior 0.5).
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n, d = x.shape
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    const = scale < 1e-9
    scale[const] = 1.0
    mean[const] = 0.0
    xs = (x - mean) / scale
    sw = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    pos = y > 0.5
    sw = sw.copy()
    sw[pos] *= 0.5 * sw.sum() / max(sw[pos].sum(), 1e-12)
    sw[~pos] *= 0.5 * sw.sum() / max(sw[~pos].sum(), 1e-12)
    sw *= n / sw.sum()
    fixed = dict(fixed or {})
    free = [j for j in range(d) if j not in fixed and not const[j]]
    w = np.zeros(d)
    for j, v in fixed.items():
        w[j] = v
    b = 0.0
    offset_cols = [j for j in fixed]
    for _ in range(iterations):
        z = b + xs[:, free] @ w[free] + (xs[:, offset_cols] @ w[offset_cols] if offset_cols else 0.0)
        p = sigmoid(z)
        r = sw * (p - y)
        a = np.column_stack([np.ones(n), xs[:, free]])
        grad = a.T @ r
        grad[1:] += l2 * w[free]
        hess = (a * (sw * p * (1 - p))[:, None]).T @ a
        hess[1:, 1:] += l2 * np.eye(len(free))
        step = np.linalg.solve(hess + 1e-9 * np.eye(len(free) + 1), grad)
        b -= step[0]
        w[free] -= step[1:]
        if np.max(np.abs(step)) < 1e-8:
            break
    return w, b, mean, scale


# --- evaluation ---------------------------------------------------------------------------------


def roc_auc(y: Sequence[int] | np.ndarray, p: Sequence[float] | np.ndarray) -> float:
    """Area under the ROC curve (Mann–Whitney, ties counted half)."""
    y = np.asarray(y) > 0.5
    p = np.asarray(p, dtype=np.float64)
    n_pos, n_neg = int(y.sum()), int((~y).sum())
    if n_pos == 0 or n_neg == 0:
        raise ValueError("ROC AUC needs both positives and negatives")
    order = np.argsort(p, kind="mergesort")
    ranks = np.empty(len(p))
    sp = p[order]
    i = 0
    while i < len(sp):
        j = i
        while j + 1 < len(sp) and sp[j + 1] == sp[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2.0 + 1.0
        i = j + 1
    return float((ranks[y].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def precision_recall(y: Sequence[int] | np.ndarray, p: Sequence[float] | np.ndarray, threshold: float = 0.5) -> tuple[float, float]:
    """Precision and recall of ``p >= threshold`` as the positive prediction."""
    y = np.asarray(y) > 0.5
    pred = np.asarray(p) >= threshold
    tp = int((pred & y).sum())
    prec = tp / max(1, int(pred.sum()))
    rec = tp / max(1, int(y.sum()))
    return prec, rec


def reliability_table(
    y: Sequence[int] | np.ndarray, p: Sequence[float] | np.ndarray, bins: int = 10
) -> list[dict[str, float]]:
    """Per probability bin: count, mean predicted probability, observed share of positives."""
    y = np.asarray(y, dtype=np.float64)
    p = np.asarray(p, dtype=np.float64)
    edges = np.linspace(0.0, 1.0, bins + 1)
    idx = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    rows = []
    for k in range(bins):
        m = idx == k
        n = int(m.sum())
        rows.append({
            "lo": float(edges[k]),
            "hi": float(edges[k + 1]),
            "n": n,
            "mean_p": float(p[m].mean()) if n else float("nan"),
            "observed": float(y[m].mean()) if n else float("nan"),
        })
    return rows


def expected_calibration_error(y: Sequence[int] | np.ndarray, p: Sequence[float] | np.ndarray, bins: int = 10) -> float:
    rows = reliability_table(y, p, bins)
    total = sum(r["n"] for r in rows)
    return sum(r["n"] * abs(r["mean_p"] - r["observed"]) for r in rows if r["n"]) / max(1, total)
