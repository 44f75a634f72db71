"""The encoder interface and a memo of encoded texts (:class:`CachedEncoder`).

The memo is never process-wide: the pipeline makes one per document (:class:`duiqi.steps.DocumentEmbeddings`)
and drops it with the document; anyone else wraps an encoder in a :class:`CachedEncoder` explicitly."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np

from duiqi.embed.usepool import PooledStates


@runtime_checkable
class Encoder(Protocol):
    """Anything that turns texts into L2-normalised float32 row vectors."""

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` -> array of shape ``(len(texts), d)``, float32, unit-length rows."""
        ...


def normalise_rows(x: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    x = np.asarray(x, dtype=np.float32)
    if x.ndim != 2:
        raise ValueError(f"expected a 2-d array, got shape {x.shape}")
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (x / norms).astype(np.float32, copy=False)


class CachedEncoder:
    """Wraps an encoder and encodes each distinct text once (memo kept for the life of the object; bounded
    by ``max_items``). For an encoder that composes spans (``pooler`` and ``parts``), each text's pooled
    states are kept too, and :meth:`states` composes runs of texts it has seen from them."""

    def __init__(self, inner: Encoder, batch_size: int = 256, max_items: int = 50_000) -> None:
        self.inner = inner
        self.max_items = max_items
        self.name = inner.name
        self.batch_size = batch_size
        self._memo: dict[str, np.ndarray] = {}
        self._parts: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, float, list[int]]] = {}
        self.encoded = 0
        """How many texts were actually sent to the inner encoder."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        todo = list(dict.fromkeys(t for t in texts if t not in self._memo))
        if len(self._memo) + len(todo) > self.max_items:
            self._memo.clear()  # bounded memory on long runs; the current call still works
            todo = list(dict.fromkeys(texts))
        composer = self.pooler is not None and callable(getattr(self.inner, "parts", None))
        for k in range(0, len(todo), self.batch_size):
            chunk = todo[k : k + self.batch_size]
            if composer:  # keep each text's pooled states too: spans are composed from them later
                vecs = self._parts_of(chunk)
            else:
                vecs = np.asarray(self.inner.encode(chunk), dtype=np.float32)
            if vecs.shape[0] != len(chunk):
                raise ValueError(f"encoder {self.name} returned {vecs.shape[0]} rows for {len(chunk)} texts")
            for t, v in zip(chunk, vecs, strict=True):
                self._memo[t] = v
            self.encoded += len(chunk)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._memo[t] for t in texts]).astype(np.float32, copy=False)

    def _parts_of(self, texts: list[str]) -> np.ndarray:
        """Pooled states of ``texts`` (each on its own) into the parts memo; returns their embeddings."""
        st, toks = self.inner.parts(texts)  # type: ignore[attr-defined]
        if len(self._parts) + len(texts) > self.max_items // 5:  # 3 rows per text: a smaller memo
            self._parts.clear()
        for r, t in enumerate(texts):
            self._parts[t] = (st.inner[r], st.bos[r], st.end[r], float(st.count[r]), toks[r])
        return np.asarray(self.pooler.embed(st), dtype=np.float32)

    @property
    def dim(self) -> int:
        if self._memo:
            return int(next(iter(self._memo.values())).shape[0])
        return int(np.asarray(self.inner.encode(["a"])).shape[1])

    @property
    def pooler(self) -> Any:
        """The inner encoder's span composer (:class:`duiqi.embed.usepool.UsePooler`), or None."""
        return getattr(self.inner, "pooler", None)

    def states(self, texts: Sequence[str], glue: str = " ", seams: bool = True) -> PooledStates:
        """Pooled token states of the sequence ``texts`` (needs :attr:`pooler`; see
        :mod:`duiqi.embed.usepool`). Texts already seen (e.g. encoded for block matching) are not
        encoded again: only the tokens next to their seams are run."""
        pooler = self.pooler
        if pooler is None:
            raise ValueError(f"encoder {self.name} cannot compose span embeddings")
        todo = list(dict.fromkeys(t for t in texts if t not in self._parts))
        if len(todo) == len(set(texts)) or not callable(getattr(self.inner, "parts", None)):
            # nothing seen yet: one pass computes the texts and their seams together
            st = self.inner.states(list(texts), glue, seams)  # type: ignore[attr-defined]
            self.encoded += len(texts)
            if len(self._memo) + len(texts) <= self.max_items:
                for t, v in zip(texts, pooler.embed(st), strict=True):
                    self._memo[t] = v
            return st
        rows = {t: self._parts[t] for t in texts if t in self._parts}
        for k in range(0, len(todo), self.batch_size):
            chunk = todo[k : k + self.batch_size]
            vecs = self._parts_of(chunk)
            self.encoded += len(chunk)
            for t, v in zip(chunk, vecs, strict=True):
                rows[t] = self._parts[t]
                if len(self._memo) < self.max_items:
                    self._memo[t] = v
        got = [rows[t] for t in texts]
        if not got:
            return PooledStates.stack([], pooler.dim)
        parts = PooledStates(
            np.stack([r[0] for r in got]), np.stack([r[1] for r in got]), np.stack([r[2] for r in got]),
            np.asarray([r[3] for r in got], dtype=np.float32), np.zeros(len(got), dtype=np.float32),
        )
        return pooler.assemble(parts, [r[4] for r in got], glue, seams)

    def clear(self) -> None:
        self._memo.clear()
        self._parts.clear()
