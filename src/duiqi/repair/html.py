"""Web-page debris: HTML entities, hidden empty tags and injected keyword lines of hijacked pages.

* Entities (``&#20013;``, ``&nbsp;``, double-escaped ``&amp;lt;``) are decoded in one go.
* Hidden empty elements: hijacked mirrors sprinkle empty tags sharing one random id
  (``<ruby id="bdb3f"></ruby>``); runs of empty elements whose id recurs at least three times are
  removed, with their line when nothing else (but a list marker) is on it. ``<b></b>`` in a tutorial
  stays.
* Injected keyword lines: a list of at least four short items (``_ , ，| 、``) with no sentence end,
  holding at least three distinct spam words of which one is spam-only (国产, 无码, 日韩, av, ...).
"""

from __future__ import annotations

import html
import re

import regex

from duiqi.repair._edits import Outcome, Spans, line_spans, outcome, unchanged
from duiqi.repair.model import Edit

NAME = "html"
EXPLANATION = "decoded HTML entities, removed hidden empty tags and injected keyword lines"

# An entity, possibly double-escaped (&amp;lt; -> <): decoded in one go so the fixer is idempotent.
ENTITY_RE = regex.compile(
    r"&(?:amp;|#0*38;|#[xX]0*26;)*(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)

_TAGS = (
    "a|abbr|acronym|address|article|aside|b|bdi|bdo|big|blockquote|center|cite|code|dd|del|dfn|div|dl|dt|em|"
    "font|footer|h[1-6]|header|i|ins|kbd|label|li|mark|nav|ol|p|pre|q|rb|rp|rt|rtc|ruby|s|samp|section|small|"
    "source|span|strike|strong|sub|sup|table|tbody|td|tfoot|th|thead|time|tr|tt|u|ul|var|xmp|noscript|map|"
    "area|figure|legend|fieldset|option|optgroup|output|progress|meter|details|summary|dialog|menu|object"
)
EMPTY_ELEMENT_RE = regex.compile(rf"<({_TAGS})(?:\s[^<>]*)?>\s*</\1\s*>", regex.IGNORECASE)
TAG_RUN_RE = regex.compile(rf"(?:</?(?:{_TAGS})(?:\s[^<>]*)?>[ \t]*)+", regex.IGNORECASE)
_LEFTOVER_RE = regex.compile(r"[ \t]*(?:\d{1,3}[.)]|[•·*\-])?[ \t]*")

# Injected keyword lines: a list of short spam phrases (porn/gambling SEO) with no sentence in it.
# (standard ``re``: ten times faster than ``regex`` on a literal alternation scanned over every text)
SPAM_RE = re.compile(
    r"精品|国产|國產|在线观看|在線觀看|视频|視頻|免费|免費|日韩|日韓|欧美|歐美|亚洲|亞洲|午夜|无码|無碼|高清|一区二区|"
    r"一區二區|中文字幕|偷拍|自拍|熟女|少妇|少婦|人妻|爱爱|愛愛|三级|三級|黄色|黃色|成人|伦理|倫理|久久|超碰|"
    r"av|AV|美女|性视频|性視頻|在线|在線|播放|影院|彩票|娱乐城|娛樂城|博彩"
)
# Words that only spam uses: a keyword line needs one of them (免费/视频/在线 alone is a tag list).
STRONG_SPAM = frozenset(
    [
        "国产", "國產", "无码", "無碼", "日韩", "日韓", "一区二区", "一區二區", "中文字幕", "偷拍", "自拍", "熟女", "少妇", "少婦", "人妻",
        "爱爱", "愛愛", "三级", "三級", "伦理", "倫理", "久久", "超碰", "av", "AV", "午夜", "娱乐城", "娛樂城", "博彩", "彩票",
    ]
)
_SEPARATORS_RE = regex.compile(r"[_,，|、]")


def decode_entities(text: str) -> list[Edit]:
    if "&" not in text:
        return []
    edits = []
    for m in ENTITY_RE.finditer(text):
        decoded = html.unescape("&" + m.group(1) + ";")
        if decoded != m.group(0):
            edits.append(Edit(NAME, m.start(), m.end(), m.group(0), decoded, "HTML entity"))
    return edits


_ID_RE = regex.compile(rf"""<(?:{_TAGS})\s[^<>]*?\bid=["']([A-Za-z0-9]{{3,12}})["'][^<>]*>""",
                       regex.IGNORECASE)
MIN_ID_REPEATS = 3


def _reduces_to_nothing(run: str) -> bool:
    prev = None
    while prev != run:
        prev, run = run, EMPTY_ELEMENT_RE.sub("", run)
    return not run.strip()


def hidden_ids(text: str) -> set[str]:
    """Ids of the hijacker's hidden empty elements: the same id on at least three empty elements."""
    counts: dict[str, int] = {}
    for m in TAG_RUN_RE.finditer(text):
        if _reduces_to_nothing(m.group(0)):
            for i in _ID_RE.findall(m.group(0)):
                counts[i] = counts.get(i, 0) + 1
    return {i for i, n in counts.items() if n >= MIN_ID_REPEATS}


def _only_empty_elements(run: str, ids: set[str]) -> bool:
    opening = regex.findall(r"<(?!/)[^<>]*>", run)
    if not opening or any(not (set(_ID_RE.findall(t)) & ids) for t in opening):
        return False
    return _reduces_to_nothing(run)


def is_keyword_line(line: str) -> bool:
    if len(line) > 600 or any(c in line for c in "。！？!"):
        return False
    hits = set(SPAM_RE.findall(line))
    if len(hits) < 3 or not hits & STRONG_SPAM:
        return False
    parts = [p for p in _SEPARATORS_RE.split(line) if p.strip()]
    return len(parts) >= 4 and sum(len(p) for p in parts) / len(parts) <= 16


def _ascii_letter(text: str, i: int) -> bool:
    return 0 <= i < len(text) and text[i].isascii() and text[i].isalpha()


def _lines_with_spam(text: str) -> set[int]:
    """Start offsets of lines with at least three distinct spam words."""
    hits: dict[int, set[str]] = {}
    for m in SPAM_RE.finditer(text):
        if m.group(0) in ("av", "AV") and (_ascii_letter(text, m.start() - 1) or _ascii_letter(text, m.end())):
            continue  # inside an English word (have, Java)
        start = text.rfind("\n", 0, m.start()) + 1
        hits.setdefault(start, set()).add(m.group(0))
    return {s for s, words in hits.items() if len(words) >= 3}


def fix(text: str) -> Outcome:
    has_tag = "</" in text
    has_spam = SPAM_RE.search(text) is not None
    if not has_tag and not has_spam:
        return outcome(text, decode_entities(text))
    edits: list[Edit] = []
    ids = hidden_ids(text) if has_tag else set()
    has_tag = bool(ids)
    if not has_tag and not has_spam:
        return outcome(text, decode_entities(text))
    spam_lines = _lines_with_spam(text) if has_spam else set()
    for s, e in line_spans(text):
        if s not in spam_lines and (not has_tag or text.find("</", s, e) < 0):
            continue
        line = text[s:e]
        line_end = e + 1 if e < len(text) else e
        if s in spam_lines and is_keyword_line(line):
            edits.append(Edit(NAME, s, line_end, text[s:line_end], "", "injected keyword line"))
            continue
        if has_tag and "</" in line:
            runs = [m for m in TAG_RUN_RE.finditer(line) if _only_empty_elements(m.group(0), ids)]
            if not runs:
                continue
            rest = TAG_RUN_RE.sub(lambda m: "" if _only_empty_elements(m.group(0), ids) else m.group(0), line)
            if _LEFTOVER_RE.fullmatch(rest):
                edits.append(Edit(NAME, s, line_end, text[s:line_end], "", "hidden empty HTML tags (line)"))
            else:
                edits.extend(Edit(NAME, s + m.start(), s + m.end(), m.group(0), "", "hidden empty HTML tags")
                             for m in runs)
    taken = Spans((e.start, e.end) for e in edits)
    edits.extend(e for e in decode_entities(text) if not taken.covers(e.start))
    return outcome(text, edits) if edits else unchanged(text)
