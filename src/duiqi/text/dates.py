"""Dates: month names, Chinese year and month forms, and the pattern of a date written out.

- :data:`EN_MONTHS` (:data:`EN_MONTH_NAMES` and :data:`EN_MONTH_ABBREVIATIONS`): English month names
  and abbreviations -> month number (the quality features'
  number forms read ``July`` as a weak ``7``).
- :data:`MONTHS`: the same plus German, French and Spanish names (the aligner's anchor tokens).
- :data:`MONTH_NAME`: a pattern of :data:`EN_MONTHS` (any case with ``regex.IGNORECASE``), with an
  optional full stop (``Sept.``).
- :data:`DATE`: a pattern of one date (``2022年7月``, ``二〇二二年七月``, ``2022-07-01``, ``July 2022``,
  ``1st July, 2022``, ``July 1``), for the block kind tagger.
- :data:`ZH_YEAR_RE` and :data:`ZH_MONTH_RE`: ``二〇二二年``, ``十二月`` (the anchors' Chinese dates; their
  values by :func:`duiqi.text.numbers.zh_digit_string` and :func:`~duiqi.text.numbers.zh_small_number`).
"""

from __future__ import annotations

import regex

EN_MONTH_NAMES: tuple[str, ...] = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
)
#: Abbreviated English month names (also abbreviations a full stop after does not always end a sentence).
EN_MONTH_ABBREVIATIONS: dict[str, int] = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}
EN_MONTHS: dict[str, int] = {**{name: k for k, name in enumerate(EN_MONTH_NAMES, 1)}, **EN_MONTH_ABBREVIATIONS}

MONTHS: dict[str, int] = {
    **EN_MONTHS,
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

#: Longest names first, so that the alternation prefers ``september`` to ``sep``.
MONTH_NAME = "(?:" + "|".join(sorted(EN_MONTHS, key=lambda w: (-len(w), w))) + r")\.?"

DATE = (
    r"(?:\d{2,4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?)?|\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?"
    r"|[〇零一二三四五六七八九十]{2,4}年(?:[一二三四五六七八九十]{1,3}月(?:[一二三四五六七八九十]{1,3}[日号])?)?"
    r"|\d{4}[-/.]\d{1,2}(?:[-/.]\d{1,2})?|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}"
    rf"|(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?{MONTH_NAME}(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?,?\s+\d{{4}}"
    rf"|{MONTH_NAME}\s+\d{{1,2}}(?:st|nd|rd|th)?)"
)

#: A year in Chinese digits before ``年`` (``二〇二二``; ``○`` U+25CB is often typed for ``〇``).
ZH_YEAR_RE = regex.compile(r"[〇○零一二三四五六七八九]{4}(?=年)")
#: A month before ``月``: digits or a Chinese numeral up to 12.
ZH_MONTH_RE = regex.compile(r"(\d{1,2}|十[一二]?|[一二三四五六七八九])月")
