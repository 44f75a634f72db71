"""Anchor search: confident 1-1 links found by margin scoring inside a band, chained monotonically.

Small documents are searched on the full similarity matrix; long ones coarse-to-fine (a sample of
source rows against the whole target gives a rough path; the fine search runs in a band around it),
so time and memory stay near-linear in the document length.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class Band:
    """For each source row ``i``, candidate target columns ``lo[i] <= j < hi[i]``."""

    lo: np.ndarray
    hi: np.ndarray

    @property
    def width(self) -> int:
        return int((self.hi - self.lo).max()) if len(self.lo) else 0


def full_band(n: int, m: int) -> Band:
    return Band(np.zeros(n, dtype=np.int64), np.full(n, m, dtype=np.int64))


def band_around(points: list[tuple[int, int]], n: int, m: int, width: int, max_width: int) -> Band:
    """Band of source rows ``0..n-1`` around a monotone chain of (src, tgt) points.

    Between two consecutive points the whole rectangle (plus ``width``) is allowed when it is at
    most ``max_width`` columns wide; wider gaps get a diagonal band of ``max_width``.
    """
    pts = [(-1, -1), *sorted(points), (n, m)]
    lo = np.full(n, m, dtype=np.int64)
    hi = np.zeros(n, dtype=np.int64)
    for (x1, y1), (x2, y2) in itertools.pairwise(pts):
        if x2 <= x1 + 1 and y2 <= y1:
            continue
        rows = np.arange(max(x1, 0), min(x2 + 1, n))
        if len(rows) == 0:
            continue
        if y2 - y1 <= max_width:
            a = np.full(len(rows), y1 - width)
            b = np.full(len(rows), y2 + width + 1)
        else:
            slope = (y2 - y1) / max(1, x2 - x1)
            centre = y1 + (rows - x1) * slope
            half = max_width // 2 + width
            a = np.floor(centre - half).astype(np.int64)
            b = np.ceil(centre + slope + half).astype(np.int64) + 1
        lo[rows] = np.minimum(lo[rows], a)
        hi[rows] = np.maximum(hi[rows], b)
    return _monotone(lo, hi, m)


def _monotone(lo: np.ndarray, hi: np.ndarray, m: int) -> Band:
    lo = np.clip(lo, 0, m)
    hi = np.clip(hi, 0, m)
    lo = np.minimum.accumulate(lo[::-1])[::-1].copy()
    hi = np.maximum.accumulate(hi)
    hi = np.maximum(hi, np.minimum(lo + 1, m))
    if len(lo):
        lo[0] = 0
        hi[-1] = m
    return Band(lo.astype(np.int64), hi.astype(np.int64))


def banded_sims(es: np.ndarray, et: np.ndarray, band: Band, extra: np.ndarray | None = None) -> np.ndarray:
    """``(n, W)`` similarities ``es[i] . et[lo[i] + w]``, ``-inf`` outside the band."""
    n = es.shape[0]
    width = max(1, band.width)
    out = np.full((n, width), -np.inf, dtype=np.float32)
    step = 256
    for r0 in range(0, n, step):
        r1 = min(n, r0 + step)
        c0 = int(band.lo[r0:r1].min())
        c1 = int(band.hi[r0:r1].max())
        if c1 <= c0:
            continue
        block = es[r0:r1] @ et[c0:c1].T
        if extra is not None:
            block = block + extra[r0:r1, c0:c1] if extra.shape[1] else block
        for k, i in enumerate(range(r0, r1)):
            a, b = int(band.lo[i]), int(band.hi[i])
            out[i, : b - a] = block[k, a - c0 : b - c0]
    return out


def _topk_mean(values: np.ndarray, k: int) -> np.ndarray:
    """Mean of the ``k`` largest finite values per row (rows may hold ``-inf``)."""
    if values.shape[1] == 0:
        return np.zeros(values.shape[0], dtype=np.float32)
    k = max(1, min(k, values.shape[1]))
    part = -np.partition(-values, k - 1, axis=1)[:, :k]
    finite = np.isfinite(part)
    count = np.maximum(finite.sum(1), 1)
    return (np.where(finite, part, 0.0).sum(1) / count).astype(np.float32)


def transpose(band: Band, n: int, m: int) -> Band:
    """The same (monotone) band seen from the target side: rows of each target column."""
    cols = np.arange(m)
    lo = np.searchsorted(band.hi, cols, side="right")  # first row whose range reaches past j
    hi = np.searchsorted(band.lo, cols, side="right")  # first row whose range starts after j
    return Band(lo.astype(np.int64), np.maximum(hi, lo).astype(np.int64))


def _gather(values: np.ndarray, band: Band, width: int) -> np.ndarray:
    """``values[lo[i] + w]`` for each row ``i`` and offset ``w < width`` (clipped)."""
    idx = band.lo[:, None] + np.arange(width)[None, :]
    return values[np.clip(idx, 0, len(values) - 1)]


def margin_links(
    sims: np.ndarray, band: Band, m: int, k: int, es: np.ndarray | None = None, et: np.ndarray | None = None
) -> tuple[list[tuple[int, int, float]], np.ndarray, np.ndarray]:
    """Mutual-best links under margin scoring inside ``band``: (i, j, margin), plus knn means.

    Memory stays at two banded matrices: the target side's statistics come from the transposed band.
    """
    n = sims.shape[0]
    src_knn = _topk_mean(sims, k)
    if sims.shape[1] == m and not (band.lo.any() or (band.hi != m).any()):
        return _dense_links(sims, src_knn, k)
    if es is None or et is None:
        raise ValueError("banded margin links need the embeddings")
    tband = transpose(band, n, m)
    tsims = banded_sims(et, es, tband)
    tgt_knn = _topk_mean(tsims, k)
    # best target of each source row, by margin
    width = sims.shape[1]
    margin = sims - 0.5 * src_knn[:, None]
    margin -= 0.5 * _gather(tgt_knn, band, width)
    best_w = margin.argmax(1)
    best_val = margin[np.arange(n), best_w]
    best_t = band.lo + best_w
    del margin
    # best source of each target column, by margin
    twidth = tsims.shape[1]
    tmargin = tsims - 0.5 * tgt_knn[:, None]
    tmargin -= 0.5 * _gather(src_knn, tband, twidth)
    best_s = tband.lo + tmargin.argmax(1)
    links = [
        (i, int(j), float(v))
        for i, (j, v) in enumerate(zip(best_t, best_val, strict=True))
        if np.isfinite(v) and 0 <= j < m and best_s[j] == i
    ]
    return links, src_knn, tgt_knn


def _dense_links(
    sims: np.ndarray, src_knn: np.ndarray, k: int
) -> tuple[list[tuple[int, int, float]], np.ndarray, np.ndarray]:
    """:func:`margin_links` for a full matrix, without flattening it."""
    tgt_knn = _topk_mean(np.ascontiguousarray(sims.T), k)
    margin = sims - 0.5 * src_knn[:, None]
    margin -= 0.5 * tgt_knn[None, :]
    best_t = margin.argmax(1)
    best_s = margin.argmax(0)
    links = [
        (i, int(j), float(margin[i, j])) for i, j in enumerate(best_t) if best_s[j] == i
    ]
    return links, src_knn, tgt_knn


def monotone_chain(links: list[tuple[int, int, float]]) -> list[tuple[int, int]]:
    """Longest strictly increasing chain of (i, j) links (patience sorting, O(a log a))."""
    links = sorted(links, key=lambda t: (t[0], -t[1]))
    tails: list[int] = []
    tail_idx: list[int] = []
    prev = [-1] * len(links)
    for idx, (_, j, _) in enumerate(links):
        pos = bisect.bisect_left(tails, j)
        if pos > 0:
            prev[idx] = tail_idx[pos - 1]
        if pos == len(tails):
            tails.append(j)
            tail_idx.append(idx)
        else:
            tails[pos] = j
            tail_idx[pos] = idx
    chain: list[tuple[int, int]] = []
    cur = tail_idx[-1] if tail_idx else -1
    while cur >= 0:
        chain.append((links[cur][0], links[cur][1]))
        cur = prev[cur]
    return chain[::-1]


def drop_outliers(chain: list[tuple[int, int]], n: int, m: int, window: int = 8, tol: int = 12) -> list[tuple[int, int]]:
    """Drop anchors far from the line through their neighbours (isolated false links)."""
    if len(chain) < 5:
        return chain
    pts = np.asarray(chain, dtype=np.float64)
    keep = []
    for k in range(len(pts)):
        a, b = max(0, k - window), min(len(pts), k + window + 1)
        nb = np.delete(pts[a:b], k - a, axis=0)
        if len(nb) < 2:
            keep.append(k)
            continue
        di = nb[:, 0] - pts[k, 0]
        dj = nb[:, 1] - pts[k, 1]
        slope = m / max(1, n)
        resid = np.median(dj - slope * di)
        if abs(resid) <= tol + 0.1 * np.median(np.abs(di)):
            keep.append(k)
    return [chain[k] for k in keep]


def coarse_band(es: np.ndarray, et: np.ndarray, max_cells: int, width: int) -> Band:
    """A band for long documents: sampled source rows against the whole target, chained."""
    n, m = es.shape[0], et.shape[0]
    stride = max(1, int(np.ceil(n * m / max_cells)))
    sample = np.arange(0, n, stride)
    best_j = np.zeros(len(sample), dtype=np.int64)
    best_margin = np.zeros(len(sample), dtype=np.float32)
    # search a corridor around the length-proportional diagonal, with a mild pull towards it, so
    # that repeated passages far away (or a repeated document) cannot win
    corridor = max(1000, m // 10)
    for k0 in range(0, len(sample), 64):
        rows = sample[k0 : k0 + 64]
        centre = rows * (m / max(1, n))
        c0 = int(max(0, np.floor(centre.min() - corridor)))
        c1 = int(min(m, np.ceil(centre.max() + corridor)))
        block = es[rows] @ et[c0:c1].T
        dev = np.abs(np.arange(c0, c1)[None, :] - centre[:, None]) / corridor
        block = np.where(dev <= 1.0, block - 0.05 * dev, -np.inf)
        kk = min(4, block.shape[1] - 1)
        top = -np.partition(-block, kk, axis=1)[:, : kk + 1]
        top = np.where(np.isfinite(top), top, np.nan)
        best_j[k0 : k0 + len(rows)] = c0 + block.argmax(1)
        best_margin[k0 : k0 + len(rows)] = np.nan_to_num(np.nanmax(top, 1) - np.nanmean(top, 1))
    cut = float(np.quantile(best_margin, 0.5)) if len(best_margin) else 0.0
    links = [(int(i), int(j), float(v)) for i, j, v in zip(sample, best_j, best_margin, strict=True) if v >= cut]
    chain = drop_outliers(monotone_chain(links), n, m, tol=3 * stride + 20)
    # diagonal band between the sampled anchors (max_width=0): width covers the sampling stride
    return band_around(chain, n, m, width=width + stride, max_width=0)
