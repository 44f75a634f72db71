"""Document-context features: the margin of a pair against the other candidates of its document.

A translation pair is usually the best match of each of its sides among the document's sentences;
a near miss (the neighbour's translation, a shifted bead) is not: one of its sides has a better
partner elsewhere in the same document. The margin is what margin-based aligners compute::

    margin = cos(s, t) - max(best cos(s, t') over the document's other targets t',
                             best cos(s', t) over the document's other sources s')

Candidates are the other pairs' sides in the same ``Pair.doc`` (including unaligned sentences, pairs
with one empty side); a candidate with the same text as the pair's own side is skipped. A pair with
no candidate gets ``None`` (the model then uses its no-margin weight).

"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from duiqi.embed.base import Encoder
from duiqi.records import Pair

#: Rows of the similarity matrix computed at once (bounds memory for long documents).
_BLOCK = 2048


def margins(
    src_vecs: np.ndarray,
    tgt_vecs: np.ndarray,
    src_ok: np.ndarray,
    tgt_ok: np.ndarray,
    src_keys: Sequence[str] | None = None,
    tgt_keys: Sequence[str] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Cosine and margin of each row pair ``(src_vecs[i], tgt_vecs[i])`` within one document.

    ``src_ok`` / ``tgt_ok`` say which sides exist (non-empty); only those are candidates. Rows whose
    two sides do not both exist, or with no candidate, get a NaN margin. ``*_keys`` (normalised
    texts) skip candidates identical to the pair's own side.
    """
    n = len(src_vecs)
    a = np.asarray(src_vecs, dtype=np.float32)
    b = np.asarray(tgt_vecs, dtype=np.float32)
    cos = np.einsum("ij,ij->i", a, b).astype(np.float64)
    best_s = np.full(n, -np.inf)
    best_t = np.full(n, -np.inf)
    ok_t = np.asarray(tgt_ok, dtype=bool)
    ok_s = np.asarray(src_ok, dtype=bool)
    for lo in range(0, n, _BLOCK):
        hi = min(n, lo + _BLOCK)
        sim = a[lo:hi] @ b.T  # rows: sources lo..hi, columns: every target
        sim[:, ~ok_t] = -np.inf
        rows = np.arange(lo, hi)
        sim[rows - lo, rows] = -np.inf
        if tgt_keys is not None:
            _mask_same(sim, rows, tgt_keys)
        best_s[lo:hi] = sim.max(axis=1) if n > 1 else -np.inf
        simt = b[lo:hi] @ a.T  # rows: targets lo..hi, columns: every source
        simt[:, ~ok_s] = -np.inf
        simt[rows - lo, rows] = -np.inf
        if src_keys is not None:
            _mask_same(simt, rows, src_keys)
        best_t[lo:hi] = simt.max(axis=1) if n > 1 else -np.inf
    alt = np.maximum(best_s, best_t)
    out = cos - alt
    out[~np.isfinite(alt) | ~(ok_s & ok_t)] = np.nan
    return cos, out


def _mask_same(sim: np.ndarray, rows: np.ndarray, keys: Sequence[str]) -> None:
    where: dict[str, list[int]] = {}
    for j, k in enumerate(keys):
        if k:
            where.setdefault(k, []).append(j)
    for r in rows:
        same = where.get(keys[r])
        if same and len(same) > 1:
            sim[r - rows[0], same] = -np.inf


def _key(text: str) -> str:
    return " ".join(text.lower().split())


@dataclass(frozen=True)
class Context:
    """What :func:`add_context` measured: pairs with ``margin`` set, and the encoder cosine of each
    pair's joined sides (0.0 for a pair with an empty side)."""

    pairs: list[Pair]
    cosine: np.ndarray


def add_context(pairs: Sequence[Pair], encoder: Encoder) -> Context:
    """Margins (per ``doc``) and cosines of ``pairs``, with one encoder call.

    Encodes each side as one joined text (the similarity the quality model was fitted on). Pairs
    with an empty side (unaligned sentences) get no margin and cosine 0.0 but are candidates for the
    others.
    """
    plist = list(pairs)
    n = len(plist)
    src_ok = np.array([bool(p.src.strip()) for p in plist], dtype=bool)
    tgt_ok = np.array([bool(p.tgt.strip()) for p in plist], dtype=bool)
    both = src_ok & tgt_ok
    cos_all = np.zeros(n)
    if not both.any():
        return Context(plist, cos_all)
    texts = list(dict.fromkeys([p.src for p in plist if p.src.strip()] + [p.tgt for p in plist if p.tgt.strip()]))
    vecs = np.asarray(encoder.encode(texts), dtype=np.float32)
    row = {t: i for i, t in enumerate(texts)}
    zero = np.zeros((1, vecs.shape[1]), dtype=np.float32)
    table = np.concatenate([vecs, zero])
    blank = len(texts)
    sv = table[[row[p.src] if ok else blank for p, ok in zip(plist, src_ok, strict=True)]]
    tv = table[[row[p.tgt] if ok else blank for p, ok in zip(plist, tgt_ok, strict=True)]]
    by_doc: dict[str, list[int]] = {}
    for i, p in enumerate(plist):
        by_doc.setdefault(p.doc, []).append(i)
    out = list(plist)
    for idx in by_doc.values():
        ix = np.asarray(idx)
        cos, mar = margins(
            sv[ix], tv[ix], src_ok[ix], tgt_ok[ix],
            [_key(plist[i].src) for i in idx], [_key(plist[i].tgt) for i in idx],
        )
        for k, i in enumerate(idx):
            if both[i]:
                cos_all[i] = float(np.clip(cos[k], -1.0, 1.0))
                m = float(mar[k])
                out[i] = replace(plist[i], margin=None if np.isnan(m) else round(m, 6))
    return Context(out, cos_all)
