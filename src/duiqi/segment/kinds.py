"""Kind tags for blocks, so the aligner can treat them carefully.

- ``number``: no letters, only digits and punctuation (``12``, ``3.5%``, ``- 7 -``).
- ``date``: the whole block is a date (``2022年7月``, ``July 2022``, ``2022-07-01``).
- ``caption``: one sentence that starts with a date (``2022年7月,缅甸驻华大使访问重庆。``) or a
  figure/photo label (``图1``, ``Figure 2:``, ``Photo:``).
- ``heading``: a numbered heading (``一、``, ``第三章``, ``2.1 Results``) or a short line without a
  sentence end that looks like a title (Title Case, or a short Chinese line with no ``。``).
- ``short``: very short text (at most 10 Chinese characters or 3 words).
- ``text``: everything else.
"""

from __future__ import annotations

import regex

from duiqi.records import NONE, BlockKind, Lang
from duiqi.text.dates import DATE
from duiqi.text.scripts import HAN_RE, LETTER_RE

_DATE = regex.compile(rf"^[\s(（\[【]*{DATE}[\s)）\]】.。,，:：]*$", regex.IGNORECASE)
_DATED_START = regex.compile(rf"^(?:(?:in|on)\s+)?{DATE}\s*[,，、:：\s]", regex.IGNORECASE)
_FIGURE_START = regex.compile(
    r"^(?:图|圖|图片|圖片|照片|图为|圖為|上图|下图|左图|右图|(?:figure|fig\.|photo|picture|image|caption)\b)"
    r"\s*\d*\s*[:：.、\s]?",
    regex.IGNORECASE,
)
_NUMBERED_HEADING = regex.compile(
    r"^(?:第[一二三四五六七八九十百千\d]+[章节節条條部篇回卷]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]"
    r"|(?:chapter|section|part|article)\s+[\dIVXLC]+\b|\d{1,2}(?:\.\d{1,2})*\.?\s+(?=\S))",
    regex.IGNORECASE,
)
_WORD = regex.compile(r"[\p{Latin}\p{Cyrillic}\p{Greek}][\p{L}\p{M}'’\-]*")
_SENTENCE_END = regex.compile(r"[。！？!?.…;；][\s”’\"'」』）)\]]*$")
_TERMS_INSIDE = regex.compile(r"[。！？!?][\s”’\"'」』）)]*\S")


def _size(text: str) -> tuple[int, int]:
    """(Han characters, Latin-ish words)."""
    return len(HAN_RE.findall(text)), len(_WORD.findall(text))


def block_kind(text: str, lang: Lang) -> BlockKind:
    """The kind of a block's text (see the module doc)."""
    t = text.strip()
    if not LETTER_RE.search(t) or (lang == NONE and not HAN_RE.search(t)):
        if _DATE.match(t):
            return "date"
        return "number" if any(c.isdigit() for c in t) else "short"
    if _DATE.match(t):
        return "date"
    han, words = _size(t)
    single_sentence = not _TERMS_INSIDE.search(t.rstrip("。！？!?.…;；”’\"'」』）) "))
    if single_sentence and (_DATED_START.match(t) or _FIGURE_START.match(t)) and han <= 100 and words <= 60:
        return "caption"
    ends = bool(_SENTENCE_END.search(t))
    if not ends and _NUMBERED_HEADING.match(t) and han <= 40 and words <= 15:
        return "heading"
    if han <= 10 and words <= 3:
        return "short"
    if not ends:
        if han and not words and han <= 25:
            return "heading"
        latin = _WORD.findall(t)
        if latin and not han and len(latin) <= 12:
            caps = sum(w[0].isupper() for w in latin if len(w) > 3)
            longish = sum(1 for w in latin if len(w) > 3)
            if longish and caps / longish >= 0.6:
                return "heading"
    return "text"
