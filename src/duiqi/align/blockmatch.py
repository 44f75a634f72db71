"""Which blocks translate which: block-to-block matching between the two language sides of a document.

The two sides are lists of sentences, each with the block (paragraph) it belongs to, and their
embeddings. A block pair is scored by how well each side's sentences are covered by the other side's
(length-weighted best cosine, both directions), corrected by

- a margin: the pair's score minus the mean of each block's ``k`` best alternatives (a caption that is
  similar to many paragraphs, or a paragraph similar to everything, loses);
- kind priors: captions, dates, headings and very short blocks must be clearly better to be paired;
- number agreement: digits (and dates) on one side that the other side lacks count against the pair;
- a length-ratio check against the ratio of the document's confident matches.

Matches are chosen greedily, best first, one zh block to one en block; a match that breaks the local
order of its matched neighbours (while they agree with each other) is dropped unless its margin is
high, so reordered *sections* are fine but a lone out-of-place caption is not. Finally unmatched blocks
that sit next to a matched block of their side and translate into the same partner are merged into
its group (a paragraph split in two on one side only).

Everything here is pure numpy over precomputed embeddings; the encoder is not called.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from duiqi.align.tokens import sentence_tokens

#: Block kinds that rarely carry a translated paragraph (a score penalty applies to them).
WEAK_KINDS = frozenset({"caption", "date", "number", "short", "heading"})


@dataclass(frozen=True, slots=True)
class BlockMatchConfig:
    """Settings of the block matcher (they go into the output signature)."""

    margin_k: int = 3
    """Alternatives averaged for the margin (per block, on the other side)."""
    margin_weight: float = 0.5
    """How much of the alternatives' mean is subtracted from a pair's coverage score."""
    min_match_score: float = 0.22
    """Smallest corrected score (coverage - margin_weight * alternatives + priors) of a match."""
    min_coverage: float = 0.35
    """Smallest raw coverage score of a match."""
    weak_min_side_coverage: float = 0.4
    """A match with a caption/date/number/short/heading block needs both blocks covered at least this
    well by the other (one-sided coverage): a caption echoing part of a paragraph does not qualify."""
    weak_kind_penalty: float = 0.08
    """Subtracted for each side of a pair whose block is a caption/date/number/short/heading."""
    number_weight: float = 0.12
    """Weight of number agreement (Jaccard of the two blocks' numbers, minus 0.5)."""
    length_weight: float = 0.1
    """Weight of the squared log deviation of the pair's length ratio from the document's."""
    order_margin: float = 0.25
    """A match out of order with both its neighbours survives only with at least this margin."""
    merge_min: float = 0.3
    """Smallest coverage for an adjacent unmatched block to join a matched block's group."""
    merge_gain: float = 0.08
    """A merged block must cover some sentence of the group's other side this much better than the group."""

    def settings(self) -> dict[str, Any]:
        return {f"blocks.{k}": v for k, v in asdict(self).items()}


@dataclass(frozen=True, slots=True)
class SideBlocks:
    """One language side: per sentence, its block id (blocks in document order) and its length."""

    block_of: tuple[int, ...]
    """Block id of each sentence; sentences of one block are contiguous."""
    lengths: tuple[float, ...]
    """Length of each sentence (characters, language-normalised as the caller likes)."""
    kinds: Mapping[int, str] = field(default_factory=dict)
    """Kind of each block id (``caption``, ``text``...)."""
    texts: Mapping[int, str] = field(default_factory=dict)
    """Text of each block id (numbers are read from it)."""

    def block_ids(self) -> list[int]:
        return list(dict.fromkeys(self.block_of))


@dataclass(frozen=True, slots=True)
class BlockMatch:
    """A group of blocks on each side that translate each other (ids in each side's block order)."""

    src_blocks: tuple[int, ...]
    tgt_blocks: tuple[int, ...]
    score: float
    """Corrected score of the seed pair."""
    coverage: float
    """Raw coverage score of the seed pair."""


def _starts(block_of: Sequence[int]) -> tuple[np.ndarray, list[int]]:
    """Start offsets of each block's sentence run and the block ids in order."""
    starts: list[int] = []
    ids: list[int] = []
    prev: int | None = None
    for k, b in enumerate(block_of):
        if b != prev:
            if b in ids:
                raise ValueError("sentences of one block must be contiguous")
            starts.append(k)
            ids.append(b)
            prev = b
    return np.asarray(starts, dtype=np.int64), ids


class LazySims:
    """The sentence similarity matrix ``src_emb @ tgt_emb.T`` of a long document, never held whole: the block
    matcher reads it in row chunks (per-block maxima) and by small index blocks (``sims[np.ix_(rows, cols)]``),
    so memory stays bounded by ``chunk_rows`` x target sentences."""

    def __init__(self, src_emb: np.ndarray, tgt_emb: np.ndarray, chunk_rows: int = 1024) -> None:
        self.src = np.asarray(src_emb, dtype=np.float32)
        self.tgt = np.asarray(tgt_emb, dtype=np.float32)
        self.chunk_rows = max(1, chunk_rows)
        self.shape = (self.src.shape[0], self.tgt.shape[0])
        self.size = self.shape[0] * self.shape[1]

    def rows(self, start: int, end: int) -> np.ndarray:
        return np.asarray(self.src[start:end] @ self.tgt.T)

    def __getitem__(self, index: tuple[np.ndarray, ...]) -> np.ndarray:
        rows, cols = index
        return np.asarray(self.src[np.ravel(rows)] @ self.tgt[np.ravel(cols)].T)


Sims = np.ndarray | LazySims


def _best_per_block(sims: Sims, src: SideBlocks, tgt: SideBlocks) -> tuple[np.ndarray, np.ndarray]:
    """(best cosine of each src sentence inside each tgt block (ns, BT), best cosine of each tgt sentence
    inside each src block (BS, nt)), cosines clipped to [0, 1]; in row chunks for :class:`LazySims`."""
    s_starts, _ = _starts(src.block_of)
    t_starts, _ = _starts(tgt.block_of)
    if isinstance(sims, np.ndarray):
        clipped = np.clip(sims, 0.0, 1.0)
        return np.maximum.reduceat(clipped, t_starts, axis=1), np.maximum.reduceat(clipped, s_starts, axis=0)
    ns, nt = sims.shape
    row_best = np.zeros((ns, len(t_starts)), dtype=np.float32)
    col_best = np.zeros((len(s_starts), nt), dtype=np.float32)
    block_index = np.searchsorted(s_starts, np.arange(ns), side="right") - 1
    for r0 in range(0, ns, sims.chunk_rows):
        r1 = min(ns, r0 + sims.chunk_rows)
        m = np.clip(sims.rows(r0, r1), 0.0, 1.0)
        row_best[r0:r1] = np.maximum.reduceat(m, t_starts, axis=1)
        blocks = block_index[r0:r1]
        cuts = np.flatnonzero(np.diff(blocks)) + 1
        seg_starts = np.concatenate([[0], cuts])
        seg_max = np.maximum.reduceat(m, seg_starts, axis=0)
        for k, st in enumerate(seg_starts.tolist()):
            b = blocks[st]
            np.maximum(col_best[b], seg_max[k], out=col_best[b])
    return row_best, col_best


def coverage_matrix(sims: Sims, src: SideBlocks, tgt: SideBlocks,
                    best: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """Block-by-block coverage: length-weighted mean of every sentence's best cosine inside the other block.

    ``sims`` is the sentence similarity matrix (src sentences x tgt sentences), or a :class:`LazySims`.
    """
    s_starts, _ = _starts(src.block_of)
    t_starts, _ = _starts(tgt.block_of)
    ws = np.asarray(src.lengths, dtype=np.float64)
    wt = np.asarray(tgt.lengths, dtype=np.float64)
    row_best, col_best = best if best is not None else _best_per_block(sims, src, tgt)
    src_part = np.add.reduceat(row_best * ws[:, None], s_starts, axis=0)  # (BS, BT)
    tgt_part = np.add.reduceat(col_best * wt[None, :], t_starts, axis=1)  # (BS, BT)
    s_len = np.add.reduceat(ws, s_starts)
    t_len = np.add.reduceat(wt, t_starts)
    # each side normalised by its own length, so both blocks weigh the same
    return np.asarray(0.5 * (src_part / s_len[:, None] + tgt_part / t_len[None, :]))


def side_coverage(sims: Sims, src: SideBlocks, tgt: SideBlocks,
                  best: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """Per block pair, the lesser of the two one-sided coverages (how much of the worse-covered block
    the other one explains): low when a short caption echoes part of a long paragraph."""
    s_starts, _ = _starts(src.block_of)
    t_starts, _ = _starts(tgt.block_of)
    ws = np.asarray(src.lengths, dtype=np.float64)
    wt = np.asarray(tgt.lengths, dtype=np.float64)
    row_best, col_best = best if best is not None else _best_per_block(sims, src, tgt)
    src_side = np.add.reduceat(row_best * ws[:, None], s_starts, axis=0) / np.add.reduceat(ws, s_starts)[:, None]
    tgt_side = np.add.reduceat(col_best * wt[None, :], t_starts, axis=1) / np.add.reduceat(wt, t_starts)[None, :]
    return np.asarray(np.minimum(src_side, tgt_side))


def _knn_mean(x: np.ndarray, k: int, axis: int) -> np.ndarray:
    n = x.shape[axis]
    if n == 0:
        return np.zeros(x.shape[1 - axis])
    k = max(1, min(k, n))
    part = -np.sort(-x, axis=axis)
    return part.take(range(k), axis=axis).mean(axis=axis)


def _numbers(text: str) -> frozenset[str]:
    cjk = any("\u4e00" <= c <= "\u9fff" for c in text)
    return frozenset(t for t in sentence_tokens(text, cjk) if t.startswith("n:"))


def number_agreement(src_texts: Sequence[str], tgt_texts: Sequence[str]) -> np.ndarray:
    """Per block pair: Jaccard of their number sets minus 0.5 (0 when neither has a number)."""
    sn = [_numbers(t) for t in src_texts]
    tn = [_numbers(t) for t in tgt_texts]
    out = np.zeros((len(sn), len(tn)))
    for i, a in enumerate(sn):
        if not a:
            for j, b in enumerate(tn):
                if b:
                    out[i, j] = -0.5
            continue
        for j, b in enumerate(tn):
            out[i, j] = len(a & b) / len(a | b) - 0.5
    return out


def score_matrix(
    sims: Sims, src: SideBlocks, tgt: SideBlocks, config: BlockMatchConfig
) -> tuple[np.ndarray, np.ndarray]:
    """(corrected scores, raw coverage) of every block pair."""
    best = _best_per_block(sims, src, tgt)
    cov = coverage_matrix(sims, src, tgt, best)
    _, s_ids = _starts(src.block_of)
    _, t_ids = _starts(tgt.block_of)
    alt_s = _knn_mean(cov, config.margin_k + 1, axis=1)  # includes the pair itself among the k+1
    alt_t = _knn_mean(cov, config.margin_k + 1, axis=0)
    score = cov - config.margin_weight * 0.5 * (alt_s[:, None] + alt_t[None, :])
    weak_s = np.asarray([src.kinds.get(b, "text") in WEAK_KINDS for b in s_ids], dtype=np.float64)
    weak_t = np.asarray([tgt.kinds.get(b, "text") in WEAK_KINDS for b in t_ids], dtype=np.float64)
    score -= config.weak_kind_penalty * (weak_s[:, None] + weak_t[None, :])
    if config.weak_min_side_coverage > 0:
        weak = (weak_s[:, None] + weak_t[None, :]) > 0
        low = side_coverage(sims, src, tgt, best) < config.weak_min_side_coverage
        score = np.where(weak & low, -np.inf, score)
    if config.number_weight:
        nums = number_agreement([src.texts.get(b, "") for b in s_ids], [tgt.texts.get(b, "") for b in t_ids])
        score += config.number_weight * nums
    return score, cov


def _block_lengths(side: SideBlocks) -> np.ndarray:
    starts, _ = _starts(side.block_of)
    return np.add.reduceat(np.asarray(side.lengths, dtype=np.float64), starts)


def _greedy(score: np.ndarray, cov: np.ndarray, config: BlockMatchConfig) -> list[tuple[int, int]]:
    order = np.argsort(-score, axis=None, kind="stable")
    used_s: set[int] = set()
    used_t: set[int] = set()
    out: list[tuple[int, int]] = []
    nt = score.shape[1]
    for flat in order:
        i, j = divmod(int(flat), nt)
        if score[i, j] < config.min_match_score:
            break
        if i in used_s or j in used_t or cov[i, j] < config.min_coverage:
            continue
        used_s.add(i)
        used_t.add(j)
        out.append((i, j))
    return sorted(out)


def _out_of_order(matches: list[tuple[int, int]], k: int) -> bool:
    """True when match ``k`` sits out of order between two neighbours (by src order) that agree."""
    if k == 0 or k == len(matches) - 1:
        return False
    (_, a), (_, b), (_, c) = matches[k - 1], matches[k], matches[k + 1]
    return a < c and not (a < b < c)


def _apply_length(
    score: np.ndarray, matches: list[tuple[int, int]], src: SideBlocks, tgt: SideBlocks, weight: float
) -> np.ndarray:
    if not weight or len(matches) < 2:
        return score
    ls = _block_lengths(src)
    lt = _block_lengths(tgt)
    ratio = sum(lt[j] for _, j in matches) / max(1e-9, sum(ls[i] for i, _ in matches))
    dev = np.log((lt[None, :] + 1.0) / ((ls[:, None] + 1.0) * ratio))
    # free within a factor of two, then quadratic
    excess = np.maximum(0.0, np.abs(dev) - math.log(2.0))
    return score - weight * excess**2


def match_blocks(
    sims: Sims,
    src: SideBlocks,
    tgt: SideBlocks,
    config: BlockMatchConfig = BlockMatchConfig(),
    *,
    adjacent_src: Sequence[tuple[int, int]] = (),
    adjacent_tgt: Sequence[tuple[int, int]] = (),
) -> list[BlockMatch]:
    """Groups of blocks that translate each other, in src order.

    ``adjacent_src`` / ``adjacent_tgt`` list pairs of block ids (positions in each side's block order)
    that are neighbours in the document with nothing in between; only such neighbours may be merged
    into one group.
    """
    if sims.size == 0:
        return []
    score, cov = score_matrix(sims, src, tgt, config)
    first = _greedy(score, cov, config)
    score = _apply_length(score, first, src, tgt, config.length_weight)
    matches = _greedy(score, cov, config)
    margin = score  # already margin-corrected
    kept: list[tuple[int, int]] = []
    for k, (i, j) in enumerate(matches):
        if _out_of_order(matches, k) and margin[i, j] < config.order_margin:
            continue
        kept.append((i, j))
    gain = _Gain(sims, src, tgt, config)
    return _merge_neighbours(kept, cov, score, config, adjacent_src, adjacent_tgt, gain)


class _Gain:
    """Does a block translate part of a group's other side that the group does not cover yet?"""

    def __init__(self, sims: Sims, src: SideBlocks, tgt: SideBlocks, config: BlockMatchConfig) -> None:
        self.sims = sims
        self.config = config
        self.src_rows = _rows_by_block(src)
        self.tgt_rows = _rows_by_block(tgt)
        _, s_ids = _starts(src.block_of)
        _, t_ids = _starts(tgt.block_of)
        self.src_weak = [src.kinds.get(b, "text") in WEAK_KINDS for b in s_ids]
        self.tgt_weak = [tgt.kinds.get(b, "text") in WEAK_KINDS for b in t_ids]

    def src_block(self, i: int, group: tuple[list[int], list[int]]) -> bool:
        if self.src_weak[i]:
            return False
        cand = self.src_rows[i]
        have = np.concatenate([self.src_rows[k] for k in group[0]])
        cols = np.concatenate([self.tgt_rows[k] for k in group[1]])
        return self._adds(self.sims[np.ix_(cand, cols)], self.sims[np.ix_(have, cols)])

    def tgt_block(self, j: int, group: tuple[list[int], list[int]]) -> bool:
        if self.tgt_weak[j]:
            return False
        cand = self.tgt_rows[j]
        have = np.concatenate([self.tgt_rows[k] for k in group[1]])
        rows = np.concatenate([self.src_rows[k] for k in group[0]])
        return self._adds(self.sims[np.ix_(rows, cand)].T, self.sims[np.ix_(rows, have)].T)

    def _adds(self, cand: np.ndarray, have: np.ndarray) -> bool:
        """``cand``/``have``: (candidate or present sentences) x (other-side sentences of the group)."""
        best_cand = cand.max(axis=0)
        best_have = have.max(axis=0)
        return bool(np.any((best_cand >= self.config.merge_min) & (best_cand > best_have + self.config.merge_gain)))


def _rows_by_block(side: SideBlocks) -> list[np.ndarray]:
    starts, _ = _starts(side.block_of)
    ends = [*starts[1:].tolist(), len(side.block_of)]
    return [np.arange(s, e) for s, e in zip(starts.tolist(), ends, strict=True)]


def _merge_neighbours(
    matches: list[tuple[int, int]],
    cov: np.ndarray,
    score: np.ndarray,
    config: BlockMatchConfig,
    adjacent_src: Sequence[tuple[int, int]],
    adjacent_tgt: Sequence[tuple[int, int]],
    gain: _Gain,
) -> list[BlockMatch]:
    used_s = {i for i, _ in matches}
    used_t = {j for _, j in matches}
    groups = {k: ([i], [j]) for k, (i, j) in enumerate(matches)}
    owner_s = {i: k for k, (i, _) in enumerate(matches)}
    owner_t = {j: k for k, (_, j) in enumerate(matches)}
    nbr_s: dict[int, list[int]] = {}
    for a, b in adjacent_src:
        nbr_s.setdefault(a, []).append(b)
        nbr_s.setdefault(b, []).append(a)
    nbr_t: dict[int, list[int]] = {}
    for a, b in adjacent_tgt:
        nbr_t.setdefault(a, []).append(b)
        nbr_t.setdefault(b, []).append(a)
    changed = True
    while changed:
        changed = False
        for i in range(cov.shape[0]):
            if i in used_s:
                continue
            best = int(np.argmax(cov[i]))
            k = owner_t.get(best)
            if k is None or cov[i, best] < config.merge_min:
                continue
            if (any(n in groups[k][0] for n in nbr_s.get(i, ())) and _improves(cov, groups[k], i, None)
                    and gain.src_block(i, groups[k])):
                groups[k][0].append(i)
                used_s.add(i)
                owner_s[i] = k
                changed = True
        for j in range(cov.shape[1]):
            if j in used_t:
                continue
            best = int(np.argmax(cov[:, j]))
            k = owner_s.get(best)
            if k is None or cov[best, j] < config.merge_min:
                continue
            if (any(n in groups[k][1] for n in nbr_t.get(j, ())) and _improves(cov, groups[k], None, j)
                    and gain.tgt_block(j, groups[k])):
                groups[k][1].append(j)
                used_t.add(j)
                owner_t[j] = k
                changed = True
    out = []
    for k, (i, j) in enumerate(matches):
        s_ids, t_ids = groups[k]
        out.append(BlockMatch(tuple(sorted(s_ids)), tuple(sorted(t_ids)), float(score[i, j]), float(cov[i, j])))
    return sorted(out, key=lambda g: g.src_blocks)


def _improves(cov: np.ndarray, group: tuple[list[int], list[int]], i: int | None, j: int | None) -> bool:
    """The candidate block is covered by the group's other side at least as well as by anything else."""
    s_ids, t_ids = group
    if i is not None:
        inside = max(cov[i, t] for t in t_ids)
        return bool(inside >= np.max(cov[i]) - 1e-9)
    assert j is not None
    inside = max(cov[s, j] for s in s_ids)
    return bool(inside >= np.max(cov[:, j]) - 1e-9)
