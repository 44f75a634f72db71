"""Rule-based sentence splitting for Chinese and Latin-script text (en, de, fr, ...).

``split_sentences(text, lang)`` returns ``(start, end)`` character spans into ``text``, trimmed of
surrounding white space, in order, covering every non-space character.

Chinese: a sentence ends at ``。！？…`` (and ``!?`` and ``.`` after a Han character, so NFKC-folded
text splits the same), with closing quotes and brackets (``”」』）``) kept with it. A terminator inside
a quotation does not end the sentence while the quotation goes on (``“你好。我是张三。”``), and a
quotation that opens a sentence and is followed by its speaker (``“走吧！”他说。``) stays one sentence.
``；`` ends a sentence only when ``semicolon=True`` (off by default: measured on MAC-Dev, Chinese and
English translators both keep semicolon-joined clauses in one sentence).

Latin scripts: ``.!?…`` followed by white space and a plausible sentence start (capital letter,
digit, opening quote or bracket, CJK text), or a full stop glued between a lower-case word and a
capitalised word (``cooperation.Chongqing``). No split after titles and abbreviations (``Dr.``,
``H.E.``, ``No. 5``, ``e.g.``), initials (``J. K. Rowling``), list numbers (``1. Introduction``),
decimals, URLs and e-mail addresses; German ordinals (``am 3. Oktober``) when ``lang="de"``.
"""

from __future__ import annotations

import bisect
import sys
from collections.abc import Sequence

import regex

from duiqi.records import MIXED, NONE, OTHER, Block, Sentence
from duiqi.text.dates import EN_MONTH_ABBREVIATIONS
from duiqi.text.scripts import CLOSERS, OPENERS, is_cjk, is_cjk_letter, is_han
from duiqi.text.urls import BOUNDED_URL_EMAIL_RE

# A run of terminators (the candidate end of a sentence).
_TERM_RUN = regex.compile(r"\.(?:[ \u00a0]?\.){2,}|[。！？!?．.…；;‼⁇⁈⁉]+|[—–―]+|-{2,}")
_DASHES = set("—–―-")
_FULLWIDTH_TERMS = set("。！？．…；‼⁇⁈⁉")


def _wordlist(words: str) -> list[str]:
    return words.split()


# Words after which a full stop never ends a sentence (titles before a name, Latin abbreviations).
_TITLES: frozenset[str] = frozenset(_wordlist(
    """mr mrs ms messrs mmes dr prof st sr jr gen col capt cpt lt sgt maj cmdr adm rev hon gov sen rep
    amb pres supt insp det fr hr mme mlle mm msgr sra srta dres hh h.e vs cf ca approx e.g i.e viz av
    al resp vgl ggf z.b d.h u.a o.ä s.o s.u m.e bspw evtl inkl zzgl ggü sog
    """
))
# Abbreviations that do not end a sentence when a number follows (``No. 5``, ``pp. 12``, ``Nr. 3``).
_BEFORE_NUMBER: frozenset[str] = frozenset(_wordlist(
    """no nos nr art arts vol vols fig figs p pp ch chap sec sect para paras eq eqs op tab ref refs
    abs s bd hft ziff n°
    """
)) | frozenset(EN_MONTH_ABBREVIATIONS)
# Abbreviations that end a sentence only when a typical sentence opener follows.
_SOFT_ABBREV: frozenset[str] = frozenset(_wordlist(
    """inc ltd co corp bros plc llc dept univ assn est min max approx govt etc mt ft
    mon tue wed thu fri sat sun a.m p.m am pm usw bzw
    """
)) | frozenset(EN_MONTH_ABBREVIATIONS)
# Words that typically open a sentence (for deciding after ambiguous abbreviations like ``U.S.``).
_OPENERS_WORDS: frozenset[str] = frozenset(_wordlist(
    """the this that these those it its he she we they i you his her our their my your there here in
    on at but and however a an as for if when after since while so then thus yet also although though
    what who why how where meanwhile moreover furthermore today yesterday
    der die das es er sie wir ich ihr im in am auf aber und doch dann dies diese dieser ein eine
    le la les il elle nous vous ils elles je un une dans en mais et ce cette ces on
    """
))
_LIST_MARKER = regex.compile(r"^(?:\d{1,3}|[ivxlcdmIVXLCDM]{1,5}|[A-Za-z])$")


_MAY_HAVE_URL = regex.compile(r"[A-Za-z0-9]\.[A-Za-z]|@|://")


def _protected(text: str) -> list[tuple[int, int]]:
    """Spans of URLs, e-mail addresses and domain names (no sentence ends inside them)."""
    if not _MAY_HAVE_URL.search(text):
        return []
    return [m.span() for m in BOUNDED_URL_EMAIL_RE.finditer(text)]


def _inside(pos: int, spans: Sequence[tuple[int, int]]) -> bool:
    """Is ``pos`` inside one of the sorted, non-overlapping ``spans``?"""
    i = bisect.bisect_right(spans, (pos, sys.maxsize)) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def _ends_at(pos: int, spans: Sequence[tuple[int, int]]) -> bool:
    """Does one of the sorted ``spans`` end exactly at ``pos``?"""
    i = bisect.bisect_right(spans, (pos - 1, sys.maxsize)) - 1
    return i >= 0 and spans[i][1] == pos


#: Longest token :func:`_word_before` looks at: abbreviations are short, and a bound keeps splitting linear
#: on texts like ``a.a.a.a...`` (every full stop would otherwise scan back to the start).
MAX_WORD = 64


def _word_before(text: str, pos: int) -> str:
    """The token (letters, digits, dots, apostrophes) ending just before ``pos`` (at most :data:`MAX_WORD`
    characters)."""
    i = pos
    stop = max(0, pos - MAX_WORD)
    while i > stop and (text[i - 1].isalnum() or text[i - 1] in ".'’-"):
        i -= 1
    return text[i:pos].lstrip(".'’-")


_WORD = regex.compile(r"[\p{L}\p{N}]+")


def _next_word(text: str, pos: int) -> str:
    m = _WORD.match(text, pos)
    return m.group(0) if m else ""


#: Emoji (with their joiners, variation selectors and skin tones) typed after a sentence's terminator: they
#: go with the sentence they react to (``锯屑。😂``, ``Great! 😂 Next``), never form a sentence of their own.
_TRAILING_EMOJI = regex.compile(r"[ \u00a0]?(?:\p{Extended_Pictographic}|\p{Regional_Indicator}|[\u200d\ufe0f\U0001F3FB-\U0001F3FF])+")


def _skip_emoji(text: str, pos: int) -> int:
    m = _TRAILING_EMOJI.match(text, pos)
    return m.end() if m else pos


def _skip_closers(text: str, pos: int, spaced: str) -> int:
    """Advance over closing quotes/brackets, also across one space before a closer in ``spaced``
    (``»`` in French, ``”」』’`` in Chinese where a stray space often sits before the closing quote)."""
    n = len(text)
    while pos < n:
        if text[pos] in CLOSERS:
            pos += 1
        elif text[pos] in "“‘«" and (pos + 1 >= n or text[pos + 1].isspace()):
            pos += 1  # German „…“ and ‚…‘, reversed »…«: an opening-looking quote that closes
        elif spaced and text[pos] in " \u00a0\u202f\u3000" and pos + 1 < n and text[pos + 1] in spaced:
            pos += 2
        else:
            break
    return pos


#: A quotation keeps terminators inside a sentence only within this many characters.
MAX_QUOTED_SENTENCE = 1000
_CJK_OPEN_QUOTES = "“「『"
_CJK_CLOSE_QUOTES = "”」』"


def _in_embedded_quote(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` ends inside, or right after, a quotation that opened in the middle
    of a sentence (after a Han character, not after a colon, comma or the sentence start) and the
    sentence goes on after it."""
    if end - start > MAX_QUOTED_SENTENCE:
        return False  # a stray or unbalanced quotation mark must not glue a whole text together
    depth = 0
    embedded = False
    last_closed_embedded = False
    for i in range(start, end):
        ch = text[i]
        if ch in _CJK_OPEN_QUOTES:
            if depth == 0:
                j = i - 1
                while j >= start and text[j].isspace():
                    j -= 1
                embedded = j >= start and is_cjk_letter(text[j])
            depth += 1
            last_closed_embedded = False
        elif ch in _CJK_CLOSE_QUOTES and depth > 0:
            depth -= 1
            if depth == 0:
                last_closed_embedded = embedded
    if depth > 0:
        return embedded
    return last_closed_embedded and end < len(text) and is_cjk_letter(text[end]) and text[end - 1] in _CJK_CLOSE_QUOTES


def _is_ellipsis(run: str) -> bool:
    return "…" in run or run.count(".") >= 3


def _is_cjk_context(text: str, s: int, e: int) -> bool:
    run = text[s:e]
    if any(c in _FULLWIDTH_TERMS for c in run):
        return True
    j = s - 1
    while j >= 0 and text[j] in CLOSERS:
        j -= 1
    return j >= 0 and is_cjk(text[j]) and text[j] not in "’”"


def _cjk_break(text: str, s: int, e: int, end: int, sent_start: int, semicolon: bool) -> bool:
    run = text[s:e]
    if set(run) <= set(";；") and not semicolon:
        return False
    if set(run) <= set(".") and len(run) < 3:
        # ASCII full stop: only right after a Han character (not a decimal, not an abbreviation).
        if not (s > 0 and is_han(text[s - 1])):
            return False
        if end < len(text) and text[end].isascii() and text[end].isalnum():
            return False
    n = len(text)
    if end >= n:
        return True
    if _in_embedded_quote(text, sent_start, end):
        return False  # 他大喊一声“站住！”就冲了出去 — a quotation inside a sentence that goes on
    nxt = text[end]
    if nxt in "，,、：:；;":
        return False  # “走吧！”，他说 — the sentence goes on
    if _is_ellipsis(run) and end == e:
        # 我…… 我不知道 / 我……我 — a hesitation; 没好运……轿夫们 — an end.
        if nxt in OPENERS:
            return True
        return is_cjk_letter(nxt) and s > 0 and nxt != text[s - 1]
    return True


def _latin_break(
    text: str, s: int, e: int, end: int, sent_start: int, lang: str, protected: list[tuple[int, int]]
) -> bool:
    run = text[s:e]
    n = len(text)
    if set(run) <= set(";；"):
        return False
    if _inside(s, protected) and not (end >= n or text[end].isspace()):
        return False
    if end >= n:
        return True
    nxt = text[end]
    glued = not nxt.isspace()
    j = end
    while j < n and text[j].isspace():
        j += 1
    if j >= n:
        return True
    first = text[j]
    word = _word_before(text, s)
    low = word.lower()
    if glued:
        # "cooperation.Chongqing": a lower-case word glued to a capitalised word.
        if run != "." and run not in ("!", "?"):
            return False
        if _inside(s, protected):
            return False
        nw = _next_word(text, end)
        if not (len(word) >= 2 and word[-1].islower() and "." not in word and len(nw) >= 2
                and nw[0].isupper() and nw[1].islower()):
            return False
        return low not in _TITLES and low not in _SOFT_ABBREV
    # A sentence starts with a capital, a digit, an opening quote/bracket or CJK text.
    if first.islower():
        return False
    if not (first.isupper() or first.isdigit() or first in OPENERS or is_cjk(first) or not first.isalpha()):
        return False
    if _is_ellipsis(run):
        # "I... I've got" is a stutter, not an end; "the book . . . Something" ends a sentence.
        nw = _next_word(text, j).lower()
        return not (low and nw.startswith(low))
    if "." not in run or (len(run) > 1 and run[-1] != "."):
        return True
    # Full stop: abbreviations, initials, list numbers, ordinals.
    nxt_word = _next_word(text, j)
    nlow = nxt_word.lower()
    if _ends_at(s, protected):
        return True  # a full stop right after a URL or e-mail address
    if s - sent_start <= 8 and _LIST_MARKER.match(text[sent_start:s].strip()):
        return False  # "1. Introduction", "IV. Results", "a. first"
    if not word:
        return True
    if low in _TITLES or low.replace(".", "") in _TITLES:
        return False
    if (low in _BEFORE_NUMBER or (lang == "de" and low.endswith("str"))) and (first.isdigit() or first in "(#"):
        return False  # No. 5, pp. 12, Hauptstr. 5
    if regex.fullmatch(r"\d+(?:[.,]\d+)*", word):
        # German ordinal: "am 3. Oktober" does not end a sentence.
        return not (lang == "de" and len(word) <= 2 and first.isupper())
    single = len(word) == 1 and word.isalpha()
    dotted = "." in word and all(p.isalpha() and len(p) <= 2 for p in word.split("."))
    if single or dotted or low in _SOFT_ABBREV:
        # U.S., J. K., Inc.: a sentence ends only if a typical opener follows.
        return nlow in _OPENERS_WORDS or first in OPENERS or is_cjk(first)
    return True


def split_sentences(text: str, lang: str = "en", *, semicolon: bool = False) -> list[tuple[int, int]]:
    """Split ``text`` into sentences; returns trimmed ``(start, end)`` spans in order.

    ``lang`` is ``zh``, ``en``, ``de``, ``fr``, ... — it picks language-specific rules (German
    ordinals); Chinese vs Latin punctuation rules are chosen per terminator from the characters
    around it, so mixed runs split sensibly whatever ``lang`` says. ``semicolon=True`` also ends
    Chinese sentences at ``；``.
    """
    protected = _protected(text)
    cuts: list[int] = []
    sent_start = 0
    for m in _TERM_RUN.finditer(text):
        s, e = m.span()
        if s < sent_start:
            continue
        cjk = _is_cjk_context(text, s, e)
        end = _skip_closers(text, e, "”」』’）" if cjk else "»›" if lang == "fr" else "")
        if text[s] in _DASHES and end == e:
            continue  # a dash ends a sentence only when a quotation closes right after it: “你为什么——”
        end = _skip_emoji(text, end)
        if cjk:
            ok = _cjk_break(text, s, e, end, sent_start, semicolon)
        else:
            ok = _latin_break(text, s, e, end, sent_start, lang, protected)
        if ok and end < len(text):
            cuts.append(end)
            sent_start = end
    spans: list[tuple[int, int]] = []
    prev = 0
    for c in [*cuts, len(text)]:
        a, b = prev, c
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            spans.append((a, b))
        prev = c
    return spans


_LINE_JOIN = regex.compile(r"[ \t]*(?:\r\n|[\n\r\u2028\u2029])\s*")


def join_lines(text: str) -> str:
    """Join the lines of a hard-wrapped sentence: nothing between two CJK characters, a space otherwise."""
    if "\n" not in text and "\r" not in text and "\u2028" not in text and "\u2029" not in text:
        return text

    def repl(m: regex.Match[str]) -> str:
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        return "" if is_cjk(before) and is_cjk(after) else " "

    return _LINE_JOIN.sub(repl, text)


def sentences(blocks: Sequence[Block], *, semicolon: bool = False) -> list[Sentence]:
    """Split every block into :class:`Sentence` records, in document order.

    ``Sentence.index`` is the sentence's position among the sentences of the *same language* in the
    document (the zh side and the en side are each numbered 0, 1, 2, ...; ``other``/``mixed``/``none``
    sentences have their own counters), which is what the aligner's bead ids refer to.
    ``block_index`` is the block's index. ``start``/``end`` are offsets into ``Document.text``;
    ``text`` is that slice, with the line breaks of a hard-wrapped paragraph joined (:func:`join_lines`).
    """
    counters: dict[str, int] = {}
    out: list[Sentence] = []
    for block in blocks:
        lang = block.lang
        rules = lang if lang not in (OTHER, MIXED, NONE) else "xx"
        for a, b in split_sentences(block.text, rules, semicolon=semicolon):
            idx = counters.get(lang, 0)
            counters[lang] = idx + 1
            out.append(
                Sentence(
                    doc_id=block.doc_id,
                    block_index=block.index,
                    index=idx,
                    text=join_lines(block.text[a:b]),
                    start=block.start + a,
                    end=block.start + b,
                    lang=lang,
                    script=block.script,
                )
            )
    return out
