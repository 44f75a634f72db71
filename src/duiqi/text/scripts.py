"""Scripts: which writing system a character or a text is in, and lengths measured across scripts.

Character classes and predicates (the segmenters, the PDF reader, the repairs):

- :data:`HAN_RE` ``\\p{Han}`` (one ideograph), :data:`HAN_RUN_RE` (a run), :data:`KANA_RE`,
  :data:`HANGUL_RE`, :data:`KANA_HANGUL_RE`, :data:`CJK_LETTER_RE` (Han, kana or hangul),
  :data:`LETTER_RE`, :data:`LATIN_RE`, :data:`LATIN_WORD_RE`; :data:`CLOSERS` / :data:`OPENERS` (quotes and
  brackets of either script).
- :func:`is_han`, :func:`is_cjk` (Han, kana, hangul, CJK punctuation, half/full-width forms up to
  U+FF65, and ``“”‘’…—·``), :func:`is_cjk_letter`, :func:`is_latin_letter`, :func:`is_letter`.
- :func:`is_ideograph` (by code-point block: URO, Ext A, compatibility ideographs, planes 2-3; not
  ``々``/``〇``, unlike :func:`is_han`) and :func:`is_cjk_wide` (an ideograph, CJK punctuation
  U+3000-303F, or a full-width form that does not fold to an ASCII letter or digit), with the regex
  class :data:`CJK_WIDE` (``\\p{Han}``, U+3000-303F, every U+FF00-FFEF form): the repairs.
- :func:`is_cjk_text`: most letters of a text are Han/kana/hangul (the aligner's joiner and anchors).
- :func:`chinese_script`: ``hans``/``hant`` by OpenCC (block records' ``script``); :func:`opencc_converter`.

Script shares and lengths (the quality features and filters):

- :func:`length_units` / :func:`side_stats`: CJK characters count one each, other words one each, so
  a length ratio means the same for zh-en as for de-fr.
- :func:`script_units`, :func:`scripts_for` (:data:`LANG_SCRIPTS`), :func:`share_of`,
  :func:`expected_share`: how much of a text is in the script its language expects.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

import regex

from duiqi.errors import MissingDependencyError
from duiqi.records import Script

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


#: A run of Han ideographs.
HAN_RUN_RE = regex.compile(r"\p{Han}+")
#: Japanese kana.
KANA_RE = regex.compile(r"[\p{Hiragana}\p{Katakana}]")
#: Korean hangul.
HANGUL_RE = regex.compile(r"\p{Hangul}")
#: A letter of CJK text: Han, kana or hangul.
CJK_LETTER_RE = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")
#: A Latin-script word (accents, apostrophes and hyphens inside).
LATIN_WORD_RE = regex.compile(r"\p{Latin}[\p{Latin}\p{M}'’-]*")


def is_cjk_text(text: str) -> bool:
    """True when most letters of ``text`` are Han/kana/hangul (at least half as many as the letters of
    its Latin words)."""
    han = len(CJK_LETTER_RE.findall(text))
    latin = sum(len(w) for w in LATIN_WORD_RE.findall(text))
    return han > 0 and han >= latin / 2


#: Han, CJK punctuation (U+3000-303F) and half/full-width forms (U+FF00-FFEF), as a regex class body.
CJK_WIDE = r"\p{Han}\u3000-\u303f\uff00-\uffef"


def is_ideograph(ch: str) -> bool:
    """A CJK ideograph by code-point block (URO, Ext A, compatibility ideographs, planes 2-3)."""
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3FFFF


def is_cjk_wide(ch: str, fullwidth_alnum: bool = False) -> bool:
    """An ideograph (:func:`is_ideograph`), CJK punctuation or a full-width form; a full-width ASCII
    letter or digit (which folds to ASCII) only with ``fullwidth_alnum``."""
    o = ord(ch)
    if 0xFF00 <= o <= 0xFFEF:  # full-width forms, except letters and digits (folded to ASCII)
        return fullwidth_alnum or not (0xFF10 <= o <= 0xFF19 or 0xFF21 <= o <= 0xFF3A or 0xFF41 <= o <= 0xFF5A)
    return is_ideograph(ch) or 0x3000 <= o <= 0x303F


# --- Chinese script (simplified / traditional) ------------------------------------------------


@functools.cache
def opencc_converter(config: str) -> Any:
    """An OpenCC converter (``t2s``, ``s2t``, ``s2hk``, ``s2tw``...), made once per process and shared by
    the segmenter and the repairs (opencc is a core dependency; :class:`MissingDependencyError` when absent)."""
    try:
        import opencc
    except ImportError:
        raise MissingDependencyError("opencc", "pip install opencc") from None
    return opencc.OpenCC(config)


def chinese_script(text: str) -> Script:
    """``hant`` when traditional-only characters outnumber simplified-only ones, ``hans`` for the reverse,
    ``None`` when the text has no character that tells them apart."""
    han = "".join(HAN_RUN_RE.findall(text))
    if not han:
        return None
    simp = opencc_converter("t2s").convert(han)
    trad = opencc_converter("s2t").convert(han)
    if simp == han and trad == han:
        return None
    if trad == han:
        return "hant"  # only traditional-specific characters
    if simp == han:
        return "hans"
    n_trad = sum(a != b for a, b in zip(han, simp, strict=False))
    n_simp = sum(a != b for a, b in zip(han, trad, strict=False))
    if n_trad > n_simp:
        return "hant"
    if n_simp > n_trad:
        return "hans"
    return None


# --- script shares and lengths -------------------------------------------------------------------

_UNIT_RE = regex.compile(
    r"(?P<han>[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}])|(?P<word>[\p{L}\p{M}\p{N}]+(?:['’][\p{L}]+)*)"
)
_SCRIPT_RE = regex.compile(
    r"(?P<Han>\p{Han}+)|(?P<Kana>[\p{Hiragana}\p{Katakana}]+)|(?P<Hangul>\p{Hangul}+)"
    r"|(?P<Latin>\p{Latin}+)|(?P<Cyrillic>\p{Cyrillic}+)|(?P<Arabic>\p{Arabic}+)|(?P<Other>[\p{L}--\p{Common}]+)",
    regex.V1,
)

#: Scripts a language tag is expected to be written in.
LANG_SCRIPTS: dict[str, frozenset[str]] = {
    "zh": frozenset({"Han"}),
    "ja": frozenset({"Han", "Kana"}),
    "ko": frozenset({"Hangul", "Han"}),
    "ru": frozenset({"Cyrillic"}),
    "uk": frozenset({"Cyrillic"}),
    "ar": frozenset({"Arabic"}),
}
_CJK_SCRIPTS = frozenset({"Han", "Kana", "Hangul"})


@functools.lru_cache(maxsize=256)
def scripts_for(lang: str) -> frozenset[str]:
    """Scripts expected for ``lang`` (Latin for every language not listed in :data:`LANG_SCRIPTS`)."""
    return LANG_SCRIPTS.get(lang.split("-")[0].lower(), frozenset({"Latin"}))


_SIDE_RE = regex.compile(
    r"(\p{Han}+)|([\p{Hiragana}\p{Katakana}]+)|(\p{Hangul}+)|(\p{Latin}[\p{Latin}\p{M}]*(?:['’]\p{Latin}+)*)"
    r"|(\p{Cyrillic}+)|(\p{Arabic}+)|([\p{L}--\p{Common}]+)|(\p{N}+)",
    regex.V1,
)


_ASCII_WORD_RE = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)*")
_ASCII_NUM_RE = re.compile(r"[0-9]+")
_ASCII_DIGIT_RE = re.compile(r"[0-9]")


def side_stats(text: str) -> tuple[int, dict[str, int], set[str]]:
    """One pass over ``text``: (length units, :func:`script_units`, :func:`tokens`).

    Units: each CJK character one, each other letter run (``don't`` one) or number one.
    """
    if text.isascii():
        # lower-casing ASCII text changes no word boundary: the words of text.lower() are the
        # lower-cased words of text
        words = _ASCII_WORD_RE.findall(text.lower())
        n = len(words)
        nums = len(_ASCII_NUM_RE.findall(text)) if _ASCII_DIGIT_RE.search(text) else 0
        return n + nums, ({"Latin": n} if n else {}), set(words)
    units = 0
    scripts: dict[str, int] = {}
    toks: set[str] = set()
    han: list[str] = []  # Han runs (most matches of a Chinese text), counted once at the end
    for m in _SIDE_RE.finditer(text):
        k = m.lastindex or 8
        if k == 1:
            han.append(m.group(1))
            continue
        if k == 8:
            units += 1
            continue
        run = m.group(k)
        name = _SCRIPT_NAMES[k - 1]
        if k <= 3:
            n = len(run)
            units += n
            scripts[name] = scripts.get(name, 0) + n
            toks.update(run)
        else:
            units += 1
            scripts[name] = scripts.get(name, 0) + 1
            toks.add(run.lower())
    if han:
        joined = "".join(han)
        units += len(joined)
        scripts["Han"] = len(joined)
        toks.update(joined)
    return units, scripts, toks


def share_of(scripts: dict[str, int], lang: str) -> float:
    """Share of letter units in the scripts ``lang`` expects (1.0 when there are none)."""
    total = sum(scripts.values())
    if total == 0:
        return 1.0
    hit = 0  # integer counts: the same sum in any order
    for s in scripts_for(lang):
        hit += scripts.get(s, 0)
    return hit / total


def length_units(text: str) -> int:
    """CJK characters count one each, every other word (letters/digits run) counts one."""
    return len(_UNIT_RE.findall(text))


_SCRIPT_NAMES = ("Han", "Kana", "Hangul", "Latin", "Cyrillic", "Arabic", "Other")


def script_units(text: str) -> dict[str, int]:
    """Letters per script, in units: each CJK character is one unit, each run of another script one."""
    out: dict[str, int] = {}
    for groups in _SCRIPT_RE.findall(text):
        for name, run in zip(_SCRIPT_NAMES, groups, strict=True):
            if run:
                out[name] = out.get(name, 0) + (len(run) if name in _CJK_SCRIPTS else 1)
                break
    return out


def expected_share(text: str, lang: str) -> float:
    """Share of the letter units of ``text`` written in a script ``lang`` expects (1.0 when no letters)."""
    units = script_units(text)
    total = sum(units.values())
    if total == 0:
        return 1.0
    want = scripts_for(lang)
    return sum(n for s, n in units.items() if s in want) / total
