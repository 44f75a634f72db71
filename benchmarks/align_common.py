"""Helpers for the alignment benchmarks: shared data paths, a disk cache of embeddings, timing.

Reads /work/shared (or $DUIQI_SHARED); says so and exits when it is absent. The disk cache lives
under /tmp (never in the repo) and only speeds up repeated tuning runs; pass --no-cache to measure
real end-to-end speed.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence

import numpy as np

SHARED = os.environ.get("DUIQI_SHARED", "/work/shared")
MAC_DEV = os.path.join(SHARED, "data/dev/mac-dev")
TEXTBERG = os.path.join(SHARED, "data/dev/textberg-de-fr")
CACHE_DIR = os.environ.get("DUIQI_BENCH_CACHE", "/tmp/duiqi-align-cache")
TOOLS = os.path.join(SHARED, "tools")


def require(path: str) -> None:
    if not os.path.exists(path):
        print(f"benchmark data not found: {path} (needs the shared folder /work/shared; set DUIQI_SHARED)")
        sys.exit(0)


def read_lines(path: str) -> list[str]:
    with open(path, encoding="utf-8") as fh:
        return [line.rstrip("\n").strip() for line in fh]


def mac_dev_docs() -> list[tuple[str, list[str], list[str], str]]:
    """(name, zh sentences, en sentences, gold path) for the 6 MAC-Dev chapters."""
    require(MAC_DEV)
    out = []
    for name in sorted(f.split(".")[0] for f in os.listdir(MAC_DEV) if f.endswith(".gold.align")):
        zh = read_lines(os.path.join(MAC_DEV, f"{name}.zh"))
        en = read_lines(os.path.join(MAC_DEV, f"{name}.en"))
        out.append((name, zh, en, os.path.join(MAC_DEV, f"{name}.gold.align")))
    return out


def textberg_docs() -> list[tuple[str, list[str], list[str], str]]:
    require(TEXTBERG)
    out = []
    names = sorted(f[: -len(".defr")] for f in os.listdir(TEXTBERG) if f.endswith(".defr"))
    for name in names:
        de = read_lines(os.path.join(TEXTBERG, f"{name}.de"))
        fr = read_lines(os.path.join(TEXTBERG, f"{name}.fr"))
        out.append((name, de, fr, os.path.join(TEXTBERG, f"{name}.defr")))
    return out


def mixed_bead_docs(src: str, docs: str) -> Iterator[tuple[str, str, dict]]:
    """Lay the sentence-aligned set in ``src`` out as mixed documents in ``docs`` with the shared
    ``tools/make_mixed_beads.py``, then yield (name, text, gold record) for each document, in name order."""
    subprocess.run([sys.executable, os.path.join(TOOLS, "make_mixed_beads.py"), docs, src], check=True)
    for f in sorted(os.listdir(docs)):
        if not f.endswith(".txt"):
            continue
        name = f[:-4]
        with open(os.path.join(docs, f), encoding="utf-8") as fh:
            text = fh.read()
        with open(os.path.join(docs, f"{name}.gold.json"), encoding="utf-8") as fh:
            gold = json.load(fh)
        yield name, text, gold


class DiskCachedEncoder:
    """Wraps an encoder; remembers embeddings on disk (keyed by text hash) across runs."""

    def __init__(self, inner: object, tag: str) -> None:
        self.inner = inner
        self.name = getattr(inner, "name", tag)
        os.makedirs(CACHE_DIR, exist_ok=True)
        self.path = os.path.join(CACHE_DIR, f"{tag}.pkl")
        self.memo: dict[str, np.ndarray] = {}
        if os.path.exists(self.path):
            with open(self.path, "rb") as fh:
                self.memo = pickle.load(fh)
        self.dirty = 0
        self.encoded = 0
        self.seconds = 0.0
        self.state_path = os.path.join(CACHE_DIR, f"{tag}-states.pkl")
        self.state_memo: dict[str, object] | None = None
        self.state_dirty = 0

    @staticmethod
    def _k(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        keys = [self._k(t) for t in texts]
        todo = list(dict.fromkeys(t for t, k in zip(texts, keys, strict=True) if k not in self.memo))
        if todo:
            t0 = time.perf_counter()
            for s in range(0, len(todo), 256):
                chunk = todo[s : s + 256]
                vecs = self.inner.encode(chunk)  # type: ignore[attr-defined]
                for t, v in zip(chunk, vecs, strict=True):
                    self.memo[self._k(t)] = np.asarray(v, dtype=np.float32)
            self.seconds += time.perf_counter() - t0
            self.encoded += len(todo)
            self.dirty += len(todo)
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        return np.stack([self.memo[k] for k in keys])

    @property
    def pooler(self) -> object:
        return getattr(self.inner, "pooler", None)

    def states(self, texts: Sequence[str], glue: str = " ", seams: bool = True) -> object:
        """Pooled token states of a sequence of texts (span composition), memoised on disk per sequence."""
        if self.state_memo is None:
            self.state_memo = {}
            if os.path.exists(self.state_path):
                with open(self.state_path, "rb") as fh:
                    self.state_memo = pickle.load(fh)
        key = self._k("\x1f".join(texts) + f"\x1e{glue}\x1e{seams}")
        if key not in self.state_memo:
            t0 = time.perf_counter()
            self.state_memo[key] = self.inner.states(list(texts), glue, seams)  # type: ignore[attr-defined]
            self.seconds += time.perf_counter() - t0
            self.encoded += len(texts)
            self.state_dirty += 1
        return self.state_memo[key]

    def save(self) -> None:
        if self.dirty:
            tmp = self.path + ".tmp"
            with open(tmp, "wb") as fh:
                pickle.dump(self.memo, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
            self.dirty = 0
        if self.state_dirty and self.state_memo is not None:
            tmp = self.state_path + ".tmp"
            with open(tmp, "wb") as fh:
                pickle.dump(self.state_memo, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.state_path)
            self.state_dirty = 0


class TimedEncoder:
    """Counts encoder time and texts (no caching beyond the inner encoder's own)."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.name = getattr(inner, "name", "encoder")
        self.seconds = 0.0
        self.encoded = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        t0 = time.perf_counter()
        out = self.inner.encode(texts)  # type: ignore[attr-defined]
        self.seconds += time.perf_counter() - t0
        self.encoded += len(texts)
        return np.asarray(out)


class CountingEncoder:
    """Counts encoder time, texts and characters, passing span composition (``pooler``/``states``) through."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.name = getattr(inner, "name", "encoder")
        self.seconds = 0.0
        self.texts = 0
        self.chars = 0
        self.seams = 0

    @property
    def pooler(self) -> object:
        return getattr(self.inner, "pooler", None)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        t0 = time.perf_counter()
        out = self.inner.encode(texts)  # type: ignore[attr-defined]
        self.seconds += time.perf_counter() - t0
        self.texts += len(texts)
        self.chars += sum(map(len, texts))
        return np.asarray(out)

    def parts(self, texts: Sequence[str]) -> object:
        t0 = time.perf_counter()
        out = self.inner.parts(texts)  # type: ignore[attr-defined]
        self.seconds += time.perf_counter() - t0
        self.texts += len(texts)
        self.chars += sum(map(len, texts))
        return out

    def states(self, texts: Sequence[str], glue: str = " ", seams: bool = True) -> object:
        t0 = time.perf_counter()
        out = self.inner.states(texts, glue, seams)  # type: ignore[attr-defined]
        self.seconds += time.perf_counter() - t0
        self.texts += len(texts)
        self.chars += sum(map(len, texts))
        self.seams += max(0, len(texts) - 1) if seams else 0
        return out
