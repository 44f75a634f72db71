"""Strong anchor tokens: numbers, dates, URLs and Latin-script names, as hashed count vectors.

``2022年7月`` and ``July 2022`` both give the tokens ``2022`` and ``7``; month names of several
languages map to their number. Only tokens found on *both* sides of a document are kept, so common
words never count; on Latin-script text only capitalised words count as names (any Latin word counts
in a text written in another script, e.g. ``iPhone`` inside Chinese).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence

import numpy as np
import regex

from duiqi.text.dates import MONTHS, ZH_MONTH_RE, ZH_YEAR_RE
from duiqi.text.numbers import ANCHOR_NUMBER_RE, anchor_number, zh_digit_string, zh_small_number
from duiqi.text.scripts import LATIN_WORD_RE, is_cjk_text
from duiqi.text.urls import ANCHOR_URL_RE, EMAIL_RE

_DIGIT_BEFORE = regex.compile(r"\d\.?\s*$")
_DIGIT_AFTER = regex.compile(r"\s*\d")


def _near_digit(text: str, start: int, end: int) -> bool:
    return bool(_DIGIT_BEFORE.search(text[:start])) or bool(_DIGIT_AFTER.match(text[end:]))


def sentence_tokens(text: str, cjk: bool) -> list[str]:
    """Raw strong tokens of one sentence (before the two-sided filter)."""
    text = unicodedata.normalize("NFKC", text)
    out: list[str] = []
    for m in ANCHOR_URL_RE.finditer(text):
        out.append("u:" + m.group(0).lower().rstrip(".,;:!?"))
    for m in EMAIL_RE.finditer(text):
        out.append("u:" + m.group(0).lower())
    rest = EMAIL_RE.sub(" ", ANCHOR_URL_RE.sub(" ", text))
    for m in ANCHOR_NUMBER_RE.finditer(rest):
        out.append("n:" + anchor_number(m.group(0)))
    if cjk:
        for m in ZH_YEAR_RE.finditer(rest):
            out.append("n:" + zh_digit_string(m.group(0)))
        for m in ZH_MONTH_RE.finditer(rest):
            if not m.group(1).isdigit():
                out.append("n:" + zh_small_number(m.group(1)))
    for m in LATIN_WORD_RE.finditer(rest):
        word = m.group(0)
        low = word.lower().strip("'’-")
        month = MONTHS.get(low)
        if month is not None and (len(low) > 3 or word[0].isupper() or _near_digit(rest, m.start(), m.end())):
            out.append(f"n:{month}")
            continue
        if len(low) < 2:
            continue
        if cjk or (word[0].isupper() and len(low) >= 3):
            out.append("w:" + low)
    return out


def token_matrix(
    src: Sequence[str], tgt: Sequence[str], dim: int = 64
) -> tuple[np.ndarray, np.ndarray]:
    """Hashed count vectors (float32, ``(n, dim)`` and ``(m, dim)``) of the tokens both sides share."""
    src_cjk = is_cjk_text("".join(src[:200]))
    tgt_cjk = is_cjk_text("".join(tgt[:200]))
    s_toks = [sentence_tokens(t, src_cjk) for t in src]
    t_toks = [sentence_tokens(t, tgt_cjk) for t in tgt]
    shared = {t for ts in s_toks for t in ts} & {t for ts in t_toks for t in ts}
    return _hash(s_toks, shared, dim), _hash(t_toks, shared, dim)


def _hash(toks: list[list[str]], keep: set[str], dim: int) -> np.ndarray:
    out = np.zeros((len(toks), dim), dtype=np.float32)
    for row, ts in enumerate(toks):
        for t in ts:
            if t in keep:
                h = int.from_bytes(hashlib.blake2b(t.encode("utf-8"), digest_size=4).digest(), "little")
                out[row, h % dim] += 1.0
    return out
