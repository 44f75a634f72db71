"""Character classes shared by the segmenters (pure functions, no state)."""

from __future__ import annotations

import unicodedata

import regex

#: Han ideographs (all CJK blocks and extensions).
HAN_RE = regex.compile(r"\p{Han}")
#: Japanese kana and Korean hangul: CJK-looking text that is not Chinese.
KANA_HANGUL_RE = regex.compile(r"[\p{Hiragana}\p{Katakana}\p{Hangul}]")
#: Letters of any script.
LETTER_RE = regex.compile(r"\p{L}")
#: Latin letters (incl. accented and pinyin tone letters).
LATIN_RE = regex.compile(r"\p{Latin}")

#: Closing quotes and brackets that stay with the sentence they close.
CLOSERS = "”’\"'」』）)]】》〉»›〕｝}〗"
#: Opening quotes and brackets that start a sentence.
OPENERS = "“‘\"'「『（([【《〈«‹〔｛{〖"


def is_han(ch: str) -> bool:
    return bool(HAN_RE.match(ch))


def is_cjk(ch: str) -> bool:
    """Han, kana, hangul, or CJK (full-width) punctuation."""
    if not ch:
        return False
    o = ord(ch)
    return (
        is_han(ch)
        or bool(KANA_HANGUL_RE.match(ch))
        or 0x3000 <= o <= 0x303F
        or 0xFF00 <= o <= 0xFF65
        or ch in "“”‘’…—·"
    )


def is_cjk_letter(ch: str) -> bool:
    """Han, kana or hangul: a letter of CJK text (not punctuation)."""
    return is_han(ch) or bool(KANA_HANGUL_RE.match(ch))


def is_latin_letter(ch: str) -> bool:
    return bool(LATIN_RE.match(ch))


def is_letter(ch: str) -> bool:
    return unicodedata.category(ch).startswith("L")
