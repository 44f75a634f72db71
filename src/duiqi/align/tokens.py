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

_URL = regex.compile(r"(?:https?://|www\.)[^\s<>\"'，。、）)]+", regex.IGNORECASE)
_EMAIL = regex.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_NUMBER = regex.compile(r"\d+(?:[.,]\d{3})*(?:[.,]\d+)?")
_WORD = regex.compile(r"\p{Latin}[\p{Latin}\p{M}'’-]*")
_HAN = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")
_CN_YEAR = regex.compile(r"[〇○零一二三四五六七八九]{4}(?=年)")
_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"○": "0", "零": "0"}

_MONTHS = {
    # en
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
    # de
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "mai": 5, "juni": 6, "juli": 7,
    "oktober": 10, "dezember": 12,
    # fr
    "janvier": 1, "février": 2, "mars": 3, "avril": 4, "juin": 6, "juillet": 7, "août": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12,
    # es / it (a few)
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
}
_THOUSANDS = regex.compile(r"[.,](?=\d{3}\b)")
_DIGIT_BEFORE = regex.compile(r"\d\.?\s*$")
_DIGIT_AFTER = regex.compile(r"\s*\d")
_CN_MONTH = regex.compile(r"(\d{1,2}|十[一二]?|[一二三四五六七八九])月")


def _cn_small(s: str) -> str:
    if s.isdigit():
        return str(int(s))
    if s.startswith("十"):
        return str(10 + (int(_CN_DIGITS[s[1]]) if len(s) > 1 else 0))
    return _CN_DIGITS[s]


def is_cjk_text(text: str) -> bool:
    """True when most letters of ``text`` are Han/kana/hangul."""
    han = len(_HAN.findall(text))
    latin = sum(len(w) for w in _WORD.findall(text))
    return han > 0 and han >= latin / 2


def _near_digit(text: str, start: int, end: int) -> bool:
    return bool(_DIGIT_BEFORE.search(text[:start])) or bool(_DIGIT_AFTER.match(text[end:]))


def sentence_tokens(text: str, cjk: bool) -> list[str]:
    """Raw strong tokens of one sentence (before the two-sided filter)."""
    text = unicodedata.normalize("NFKC", text)
    out: list[str] = []
    for m in _URL.finditer(text):
        out.append("u:" + m.group(0).lower().rstrip(".,;:!?"))
    for m in _EMAIL.finditer(text):
        out.append("u:" + m.group(0).lower())
    rest = _EMAIL.sub(" ", _URL.sub(" ", text))
    for m in _NUMBER.finditer(rest):
        digits = _THOUSANDS.sub("", m.group(0)).replace(",", ".")
        out.append("n:" + digits.lstrip("0") if digits.strip("0") else "n:0")
    if cjk:
        for m in _CN_YEAR.finditer(rest):
            out.append("n:" + "".join(_CN_DIGITS[c] for c in m.group(0)))
        for m in _CN_MONTH.finditer(rest):
            if not m.group(1).isdigit():
                out.append("n:" + _cn_small(m.group(1)))
    for m in _WORD.finditer(rest):
        word = m.group(0)
        low = word.lower().strip("'’-")
        month = _MONTHS.get(low)
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
