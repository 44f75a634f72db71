"""Language identification from what a text is written with: its script and its function words.

- :func:`cjk_lang` (block language id): ``zh`` for Han text, ``other`` when kana or hangul dominate.
- :func:`latin_language` / :func:`guess_from_tokens` (the quality features): en/de/fr/es/it/pt/nl
  from :data:`duiqi.text.stopwords.FUNCTION_WORDS`, or ``None`` when unsure; :func:`side_share`: the
  share of a side in its language's script, 0 when it is surely another Latin-script language.

The Latin-script identifier behind block language id (py3langid, a pair's languages, the
deterministic stop-word fake) is :mod:`duiqi.segment.langid`: it is the segmenter's pluggable backend
and builds on this module and :mod:`duiqi.text.stopwords`.
"""

from __future__ import annotations

from duiqi.records import NONE, OTHER, ZH, Lang
from duiqi.text.scripts import HAN_RE, HANGUL_RE, KANA_RE, share_of, side_stats
from duiqi.text.stopwords import FUNCTION_WORDS

_FUNCTION_INDEX: dict[str, tuple[str, ...]] = {}
for _lang, _words in FUNCTION_WORDS.items():
    for _w in _words:
        _FUNCTION_INDEX[_w] = (*_FUNCTION_INDEX.get(_w, ()), _lang)


_FUNCTION_KEYS = frozenset(_FUNCTION_INDEX)


def latin_language(text: str, min_words: int = 5) -> str | None:
    """Best guess among en/de/fr/es/it/pt/nl from function words, or ``None`` when unsure.

    Sure means at least ``min_words`` distinct words, two function-word hits, and twice the hits of
    the runner-up.
    """
    return guess_from_tokens(side_stats(text)[2], min_words)


def guess_from_tokens(tokens: set[str], min_words: int = 5) -> str | None:
    """:func:`latin_language` from the lower-cased tokens :func:`side_stats` returns."""
    if len(tokens) < min_words:
        return None
    hits = _FUNCTION_KEYS.intersection(tokens)
    if len(hits) < 2:  # no language can reach two hits
        return None
    counts = dict.fromkeys(FUNCTION_WORDS, 0)
    index = _FUNCTION_INDEX
    for w in hits:
        for lang in index[w]:
            counts[lang] += 1
    best, lang, second = 0, "", 0
    for name, n in counts.items():
        if n > best:
            best, lang, second = n, name, best
        elif n > second:
            second = n
    if best >= 2 and best >= 2 * second:
        return lang
    return None


def side_share(scripts: dict[str, int], tokens: set[str], lang: str) -> float:
    """:func:`share_of`, and 0.0 when a Latin-script side is surely another Latin-script language."""
    share = share_of(scripts, lang)
    base = lang.split("-")[0].lower()
    if share > 0.5 and base in FUNCTION_WORDS and scripts.get("Latin", 0) >= 5:
        guess = guess_from_tokens(tokens)
        if guess is not None and guess != base:
            return 0.0
    return share


def cjk_lang(text: str) -> Lang:
    """``zh`` for Han text, ``other`` when kana or hangul dominate (Japanese, Korean)."""
    han = len(HAN_RE.findall(text))
    kana = len(KANA_RE.findall(text))
    hangul = len(HANGUL_RE.findall(text))
    if hangul > han or kana >= max(2, 0.2 * (han + kana)):
        return OTHER
    return ZH if han else NONE
