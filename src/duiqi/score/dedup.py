"""Exact and near-duplicate removal across a whole run, with 8-byte hashes.

The key of a pair is a hash of its normalised text: NFKC, lower case, punctuation, symbols and
spaces removed, every digit run replaced by ``0`` (so ``Page 3`` and ``page 12.`` collide). A
:class:`Deduplicator` remembers the keys it has seen: recent ones in a Python set, older ones merged
into a sorted ``uint64`` array (8 bytes each), so a run of 100 million pairs needs about 1 GB.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Literal

import numpy as np
import regex

from duiqi.records import Pair

DedupOn = Literal["pair", "src", "tgt"]

_DROP_RE = regex.compile(r"[\p{P}\p{S}\p{Z}\s]+")
_DIGITS_RE = regex.compile(r"\d+")


_ASCII_DROP = str.maketrans("", "", "".join(chr(c) for c in range(128) if not chr(c).isalnum()))


def normalise(text: str, digits: bool = True) -> str:
    """NFKC, lower case, no punctuation/symbols/spaces, digit runs as ``0`` (with ``digits``)."""
    if text.isascii():
        t = text.lower().translate(_ASCII_DROP)
    else:
        t = _DROP_RE.sub("", unicodedata.normalize("NFKC", text).lower())
    return _DIGITS_RE.sub("0", t) if digits else t


def dedup_key(pair: Pair, on: DedupOn = "pair", digits: bool = True) -> int:
    """8-byte hash of the normalised pair (or one side of it) as an unsigned int."""
    if on == "src":
        blob = normalise(pair.src, digits)
    elif on == "tgt":
        blob = normalise(pair.tgt, digits)
    else:
        blob = normalise(pair.src, digits) + "\x00" + normalise(pair.tgt, digits)
    return int.from_bytes(hashlib.blake2b(blob.encode("utf-8"), digest_size=8).digest(), "little")


class Deduplicator:
    """Remembers pair keys across calls; :meth:`seen` answers and records in one step.

    ``buffer`` keys are kept in a set before being merged into the sorted array.
    """

    def __init__(self, on: DedupOn = "pair", digits: bool = True, buffer: int = 1 << 20) -> None:
        self.on: DedupOn = on
        self.digits = digits
        self.buffer = buffer
        self._recent: set[int] = set()
        self._sorted = np.zeros(0, dtype=np.uint64)
        self.checked = 0
        self.duplicates = 0

    def __len__(self) -> int:
        return len(self._recent) + int(self._sorted.size)

    @property
    def nbytes(self) -> int:
        """Bytes held by the merged array (the set buffer is bounded by ``buffer``)."""
        return int(self._sorted.nbytes)

    def _in_sorted(self, key: int) -> bool:
        arr = self._sorted
        if arr.size == 0:
            return False
        k = np.uint64(key)
        i = int(np.searchsorted(arr, k))
        return i < arr.size and arr[i] == k

    def _flush(self) -> None:
        if not self._recent:
            return
        new = np.fromiter(self._recent, dtype=np.uint64, count=len(self._recent))
        self._sorted = np.union1d(self._sorted, new)
        self._recent = set()

    def seen(self, pair: Pair) -> bool:
        """True when an equivalent pair was seen before; otherwise remember this one."""
        key = dedup_key(pair, self.on, self.digits)
        self.checked += 1
        if key in self._recent or self._in_sorted(key):
            self.duplicates += 1
            return True
        self._recent.add(key)
        if len(self._recent) >= self.buffer:
            self._flush()
        return False

    def unique(self, pairs: Iterable[Pair]) -> Iterator[Pair]:
        """The pairs not seen before (in order)."""
        for p in pairs:
            if not self.seen(p):
                yield p
