"""A deterministic, cheap encoder for tests: hashed character n-grams, optionally through a lexicon."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

import numpy as np

from duiqi.embed.base import normalise_rows


def _bucket(token: str, dim: int) -> int:
    digest = hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little") % dim


class FakeEncoder:
    """Bag of hashed character 1..3-grams (after an optional word lexicon), L2-normalised.

    Translation pairs are not similar by themselves; give a ``lexicon`` (word -> pivot token) to make
    a tiny bilingual world for tests: every lexicon key found in a text adds its pivot token.
    """

    def __init__(self, dim: int = 256, lexicon: Mapping[str, str] | None = None, ngrams: bool = True) -> None:
        self.dim = dim
        self.lexicon = dict(lexicon or {})
        self.ngrams = ngrams
        self.name = f"fake-{dim}" + ("-lex" if self.lexicon else "")
        self.calls = 0

    def _features(self, text: str) -> list[str]:
        feats: list[str] = []
        low = text.lower()
        for word, pivot in self.lexicon.items():
            if word.lower() in low:
                feats.extend([f"L:{pivot}"] * 3)
        if self.ngrams:
            for n in (1, 2, 3):
                feats.extend(f"{n}:{low[k : k + n]}" for k in range(max(0, len(low) - n + 1)))
        return feats

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for feat in self._features(text):
                out[row, _bucket(feat, self.dim)] += 1.0
        return normalise_rows(out)
