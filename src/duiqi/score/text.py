"""Cheap text measurements used by the quality features and the rule filters.

All functions are pure ``str -> value``. They are written for speed (one compiled regex pass each)
because scoring + filtering must handle well over 10,000 pairs per second.

- :func:`noise_chars`: crawl damage (U+FFFD, mojibake, ``?`` replacements, controls).
- :func:`tokens` / :func:`overlap` / :func:`jaccard`: copies; :func:`missing_latin`: Latin tokens and
  names one side lacks; :func:`ends_terminal`, :func:`punct_count`, :func:`starts_lower`,
  :func:`sentence_marks`: cut sides; :func:`disorder`: word salad.

Lengths, scripts, language guesses, numbers and URLs are measured by :mod:`duiqi.text`
(:mod:`~duiqi.text.scripts`, :mod:`~duiqi.text.langid`, :mod:`~duiqi.text.numbers`, :mod:`~duiqi.text.urls`),
shared with the segmenter and the aligner.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import regex

from duiqi.text.scripts import scripts_for
from duiqi.text.stopwords import EN_FUNCTION_CAPS, EN_NOT_AFTER_DETERMINER
from duiqi.text.urls import LEADING_HANDLES_RE


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


# --- noise --------------------------------------------------------------------------------------

_NOISE_RE = regex.compile(
    r"\uFFFD|锟斤拷|烫烫烫|屯屯屯|Ã[\x80-\xBF\u0080-\u00BF]|â€|Â[\xA0-\xBF ]|[\u00C3\u00C2][\u0080-\u00BF]"
    r"|[\u00C2-\u00F4][\u0080-\u00BF]+|(?<=\p{Han})\?+(?=\p{Han})|\?{2,}|(?<=\s)\?(?=\s)"
    r"|[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]|\p{Co}"
)


#: (the standard ``re`` module: the same pattern on ASCII text, several times faster than ``regex`` here)
_ASCII_NOISE_RE = re.compile(r"\?[\s?]|[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]")


_SUSPECT_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\xff\ufffd?锟烫屯\ue000-\uf8ff]")


def noise_chars(text: str) -> int:
    """Characters that look like crawl damage: U+FFFD, mojibake, ``?`` replacements, controls."""
    if text.isascii():
        if not _ASCII_NOISE_RE.search(text):
            return 0
    elif not _SUSPECT_RE.search(text):
        return 0
    return sum(map(len, _NOISE_RE.findall(text)))


# --- copy / overlap -----------------------------------------------------------------------------

_TOKEN_RE = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]|\p{L}[\p{L}\p{M}]*")


def tokens(text: str) -> set[str]:
    """Lower-cased letter tokens (CJK characters one by one); digits and punctuation left out."""
    return {t.lower() for t in _TOKEN_RE.findall(text)}


def overlap(a: str, b: str) -> float:
    """Jaccard overlap of :func:`tokens` — near 1 for untranslated copies."""
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


# --- URLs, e-mails, Latin tokens inside non-Latin text ---------------------------------------------

_LATIN_TOKEN_RE = regex.compile(r"(?<![A-Za-z])[A-Za-z][A-Za-z0-9&'’.-]*[A-Za-z0-9]")


def latin_tokens(text: str) -> list[str]:
    """ASCII-Latin tokens of two or more characters (``GDP``, ``iPhone``, ``COVID-19``)."""
    return _LATIN_TOKEN_RE.findall(text)


_CAP_RE = regex.compile(r"(?<=[\p{L}\p{N},;:] )\p{Lu}[\p{L}\p{M}-]+")


def names(text: str) -> set[str]:
    """Capitalised words that do not start a sentence (likely names), for Latin-script texts."""
    return set(_CAP_RE.findall(text))


def missing_latin(src: str, src_lang: str, tgt: str, tgt_lang: str) -> tuple[int, int]:
    """(missing, total): Latin tokens / names of one side not found on the other.

    When exactly one side is written in a non-Latin script, its Latin tokens must appear on the
    Latin side (``GDP`` ↔ ``GDP``). When both sides are Latin-script, capitalised non-initial words
    are checked both ways. Other combinations have nothing to check.
    """
    src_latin = "Latin" in scripts_for(src_lang)
    tgt_latin = "Latin" in scripts_for(tgt_lang)
    if src_latin and tgt_latin:
        a, b = names(src), names(tgt)
        if not a and not b:
            return 0, 0
        la, lb = tgt.lower(), src.lower()
        miss = sum(1 for t in a if t.lower() not in la) + sum(1 for t in b if t.lower() not in lb)
        return miss, len(a) + len(b)
    if src_latin == tgt_latin:
        return 0, 0
    other, latin_side = (src, tgt) if tgt_latin else (tgt, src)
    toks = latin_tokens(other)
    if not toks:
        return 0, 0
    low = latin_side.lower()
    miss = sum(1 for t in toks if t.lower().rstrip(".") not in low)
    return miss, len(toks)


_TERMINAL = frozenset("。！？!?.…；;:：\"'”’」』）)")
_PUNCT_RE = re.compile(r"[，,。．.！!？?；;：:、]")  # re: faster than regex for a plain class


def ends_terminal(text: str) -> bool:
    """True when ``text`` ends with sentence-final punctuation (or a closing quote/bracket)."""
    t = text.rstrip()
    return bool(t) and t[-1] in _TERMINAL


def punct_count(text: str) -> int:
    """Clause and sentence punctuation marks (Chinese and Latin)."""
    return len(_PUNCT_RE.findall(text))


_FIRST_LETTER_RE = regex.compile(r"\p{L}")
_SENT_END_RE = regex.compile(r"[。！？!?]+|\.(?:\s|$)|…")


def starts_lower(text: str) -> bool:
    """True when the first letter of ``text`` is a lower-case letter (a side cut at its start).

    Leading ``@handles``, ``#tags`` and URLs are skipped (``@user34 I can...`` is not cut).
    """
    if "@" in text or "#" in text or "http" in text or "www" in text:  # the literals every handle/URL holds
        text = LEADING_HANDLES_RE.sub("", text, count=1)
    m = _FIRST_LETTER_RE.search(text)
    return bool(m) and m.group().islower()


def sentence_marks(text: str) -> int:
    """Sentence-final punctuation marks (a rough sentence count)."""
    return len(_SENT_END_RE.findall(text))


# --- word order (word salad) ----------------------------------------------------------------------

_DISORDER_RE = re.compile(
    rf"\b(?i:the|an?)\s+(?i:{EN_NOT_AFTER_DETERMINER})\b"  # the of, a and
    rf"|\b(?i:the|an?)\s*[,.;:!?]"  # the , / ends on a determiner
    rf"|\b[a-z][a-z']*\s+(?:{EN_FUNCTION_CAPS})\b"  # received The
)


#: Necessary conditions of :data:`_DISORDER_RE`'s alternatives (a determiner slip; a capitalised
#: function word after white space): two cheap searches that spare the full count for most texts.
_DISORDER_DET_RE = re.compile(rf"(?i:\b(?:the|an?)(?:\s+(?:{EN_NOT_AFTER_DETERMINER})\b|\s*[,.;:!?]))")
_DISORDER_CAP_RE = re.compile(rf"\s(?:{EN_FUNCTION_CAPS})\b")
_DISORDER_DET_LOWER_RE = re.compile(rf"\b(?:the|an?)(?:\s+(?:{EN_NOT_AFTER_DETERMINER})\b|\s*[,.;:!?])")


def disorder(text: str) -> int:
    """Word-order slips of an English text, the marks of word salad: a determiner followed by a
    function word or punctuation (``the of``, ``a ,``, a sentence ending on ``the``), a capitalised
    function word in mid-sentence after a lower-case word (``received The``). 0 for ordinary English
    (and nearly always for text that is not English). One regex pass."""
    if text.count(" ") < 3:
        return 0
    # (?i) on ASCII text is the case-sensitive pattern on its lower case, a faster scan
    det = _DISORDER_DET_LOWER_RE.search(text.lower()) if text.isascii() else _DISORDER_DET_RE.search(text)
    if not det and not _DISORDER_CAP_RE.search(text):
        return 0
    return len(_DISORDER_RE.findall(text))


def nfkc_lower(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def join_nonempty(parts: Iterable[str], sep: str = " ") -> str:
    return sep.join(p for p in parts if p)
