"""Documents to ordered, language-tagged blocks with offsets into ``Document.text``.

A block is a non-empty line, trimmed of white space and of Markdown heading/bullet/quote markers.
Hard-wrapped paragraphs are one block: Latin lines that go on in lower case, and the lines of a
fixed-width Chinese text that stop mid-sentence at the wrap width.

A line holding runs of two languages (a Chinese sentence followed by its English, or the reverse)
becomes one block per single-language run. How: the line is cut into runs of CJK letters and of
Latin words (URLs, e-mail addresses, @handles and #hashtags are neutral); a run "weighs" one per
Han character and one per three Latin letters. Runs that weigh at least ``MIN_CJK_CHARS`` /
``MIN_LATIN_LETTERS / 3`` anchor the line; lighter runs join the anchor they belong to (``(WTO)``,
``James(美国)``, a Chinese name in English text, injected pinyin), and so do anchors embedded in a
sentence of the other language (``中国外文局(China International Communication Group)翻译院``) and
Latin names glued to the start of a Chinese sentence (``Greggs计划…``). The cut between two
languages falls after the last sentence end between them, else at white space.

Invariant: ``doc.text[b.start:b.end] == b.text`` for every block.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import regex

from duiqi.records import EN, MIXED, NONE, OTHER, ZH, Block, BlockKind, Document, Lang, Script
from duiqi.segment.kinds import block_kind
from duiqi.segment.langid import LatinIdentifier, chinese_script, cjk_lang, latin_lang
from duiqi.text.scripts import CLOSERS, OPENERS, is_cjk_letter
from duiqi.text.urls import NEUTRAL_URL_EMAIL

_LINE_BREAK = regex.compile(r"\r\n|[\n\r\u2028\u2029\x0b\x0c\x85]")
_MD_HEADING = regex.compile(r"#{1,6}[ \t]+")
_MD_MARKER = regex.compile(r"(?:>[ \t]*)+|[-*+•·▪►][ \t]+")
# Atoms: a run of CJK letters, a run of Latin words, or a word of another script.
_ATOM = regex.compile(
    # URLs, e-mail addresses, @handles, #hashtags and inline HTML tags (<u>) carry no language: neutral.
    rf"(?P<N>{NEUTRAL_URL_EMAIL}"
    r"|(?<![\w@])[@#][\w_]+|</?[A-Za-z][A-Za-z0-9]*(?:[ \t][^<>\n]*)?/?>)"
    r"|(?P<C>[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]+)"
    r"|(?P<L>\p{Latin}[\p{Latin}\p{M}'’\-]*+(?:[^\p{L}\n\u3000-\u303f\uff00-\uffef@#/]*+\p{Latin}[\p{Latin}\p{M}'’\-]*+)*+)"
    r"|(?P<X>[^\W\d_\p{Latin}\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}][\p{L}\p{M}]*)"
)
_TERMINATORS = "。！？!?.…;；"
_LETTERS = regex.compile(r"\p{L}")
_CJK_PUNCT = regex.compile(r"[。！？，、：；“”「」『』（）《》]")

#: A Chinese run needs this many Han characters, a Latin run this many letters, to stand alone.
MIN_CJK_CHARS = 4
MIN_LATIN_LETTERS = 12
#: A run inside a sentence of the other language (same language on both sides, no sentence end
#: before it) or in brackets right after it stays there unless it is at least this heavy.
EMBEDDED_MAX_WEIGHT = 20.0
#: Share of the lesser language above which a block that could not be split is ``mixed``.
MIXED_SHARE = 0.34


@dataclass(slots=True)
class _Run:
    cls: str  # "C" CJK, "L" Latin, "X" other script
    start: int  # first atom start (absolute offset)
    end: int  # last atom end
    weights: dict[str, float]
    anchored: bool = True

    @property
    def weight(self) -> float:
        return sum(self.weights.values())


def _atom_weight(cls: str, text: str) -> float:
    if cls == "C":
        return float(len(text))
    return len(_LETTERS.findall(text)) / 3.0


def _line_spans(text: str) -> Iterator[tuple[int, int]]:
    pos = 0
    for m in _LINE_BREAK.finditer(text):
        yield pos, m.start()
        pos = m.end()
    yield pos, len(text)


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and (text[s].isspace() or text[s] in "\ufeff\u200b\x00"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in "\ufeff\u200b\x00"):
        e -= 1
    return s, e


def _is_latin_prose_end(text: str, s: int, e: int) -> bool:
    """True when the line ends like an unfinished Latin sentence (letter, comma, hyphen)."""
    if e <= s:
        return False
    last = text[e - 1]
    return (last.isascii() and last.isalpha()) or last in ",-;"


def _cjk_wrap_width(text: str, lines: list[tuple[int, int]]) -> int | None:
    """The fixed width of a hard-wrapped Chinese text: the line length (in characters) shared by at least
    40 % (and 5) of the long CJK lines, or ``None``."""
    lengths: dict[int, int] = {}
    n = 0
    for s, e in lines:
        if e - s >= 10 and is_cjk_letter(text[e - 1]) | is_cjk_letter(text[s]):
            lengths[e - s] = lengths.get(e - s, 0) + 1
            n += 1
    if not lengths:
        return None
    width, count = max(lengths.items(), key=lambda kv: (kv[1], kv[0]))
    return width if count >= max(5, 0.4 * n) else None


_CJK_LINE_END = "。！？!?…；;：:”」』）)》"


#: Markdown structure of a line: ``plain`` text, ``heading`` (``#``), ``quote`` (``>``), ``list`` (a bullet or a
#: numbered item, and the indented lines that go on with it), ``code`` (inside a fence), ``table`` (``|`` row).
LineRole = str
_MD_FENCE = regex.compile(r"(?:```|~~~)")
_MD_LIST = regex.compile(r"(?:[-*+•·▪►]|\d{1,3}[.)])[ \t]+")
_MD_TABLE = regex.compile(r"\|.*\|\s*$")


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of a text: ``[start, end)`` (markers trimmed), its Markdown role and its unit (a list item
    and its continuation lines share one unit; every other paragraph is a unit of its own)."""

    start: int
    end: int
    role: LineRole
    unit: int


def paragraphs(text: str) -> list[Paragraph]:
    """The paragraphs of ``text``: non-empty lines, with hard-wrapped lines joined (a Latin line that goes on
    in lower case, the lines of a fixed-width Chinese text that stop mid-sentence at the wrap width; an
    indented line starts a new paragraph). Markdown structure is kept apart: fence lines are dropped and each
    line inside a fence is a paragraph of its own (``code``); headings, ``>`` quoted lines (glosses), list
    items and table rows never join a neighbour, and text never joins them."""
    raw = [(s0, e0) for s0, e0 in _line_spans(text)]
    trimmed = [_trim(text, s0, e0) for s0, e0 in raw]
    width = _cjk_wrap_width(text, _plain_lines(text, trimmed))
    run_width = _run_widths(text, trimmed)
    out: list[Paragraph] = []
    prev_blank = True
    prev_len = 0
    in_code = False
    list_indent = -1  # indentation of the list item whose continuation lines may follow
    unit = -1
    for li, ((s0, _), (s, e)) in enumerate(zip(raw, trimmed, strict=True)):
        if s >= e:
            prev_blank = True
            continue
        if _MD_FENCE.match(text, s, e):
            in_code = not in_code
            prev_blank = True
            continue
        indent = s - s0
        line_len = e - s
        if in_code:
            unit += 1
            out.append(Paragraph(s, e, "code", unit))
            prev_blank = False
            continue
        role = "plain"
        m = _MD_HEADING.match(text, s, e)
        if m:
            s, role = m.end(), "heading"
        elif text[s] == ">":
            m = _MD_MARKER.match(text, s, e)
            s, role = (m.end() if m else s + 1), "quote"
        elif (m := _MD_LIST.match(text, s, e)) and m.end() < e:
            s, role = m.end(), "list"
        elif _MD_TABLE.match(text, s, e) and text[s] == "|":
            role = "table"
        s, e = _trim(text, s, e)
        if s >= e:
            continue
        if role == "plain" and list_indent >= 0 and indent > list_indent and out:
            unit_of = out[-1].unit  # the indented line goes on with the list item above it
            out.append(Paragraph(s, e, "list", unit_of))
            prev_blank = False
            prev_len = line_len
            continue
        list_indent = indent if role == "list" else -1
        first = text[s]
        prev = out[-1] if out else None
        joinable = prev is not None and not prev_blank and role == "plain" and prev.role == "plain"
        latin_wrap = bool(joinable and prev is not None and first.isascii() and first.islower()
                          and _is_latin_prose_end(text, prev.start, prev.end)
                          and _line_was_full(prev_len, _first_word_len(text, s, e), run_width[li]))
        cjk_wrap = bool(
            joinable and prev is not None and width is not None and not indent > 0
            and abs(prev_len - width) <= 1 and text[prev.end - 1] not in _CJK_LINE_END
        )
        if (latin_wrap or cjk_wrap) and prev is not None:
            out[-1] = Paragraph(prev.start, e, "plain", prev.unit)
        else:
            unit += 1
            out.append(Paragraph(s, e, role, unit))
        prev_blank = False
        prev_len = line_len
    return out


def _run_widths(text: str, trimmed: list[tuple[int, int]]) -> list[int]:
    """Per line, the longest line of its run of non-blank lines (the width a hard-wrapped paragraph was
    wrapped at, if it was)."""
    out = [0] * len(trimmed)
    k = 0
    while k < len(trimmed):
        if trimmed[k][0] >= trimmed[k][1]:
            k += 1
            continue
        end = k
        while end < len(trimmed) and trimmed[end][0] < trimmed[end][1]:
            end += 1
        width = max(e - s for s, e in trimmed[k:end])
        out[k:end] = [width] * (end - k)
        k = end
    return out


def _first_word_len(text: str, s: int, e: int) -> int:
    m = _FIRST_WORD.match(text, s, e)
    return m.end() - s if m else 0


_FIRST_WORD = regex.compile(r"\S+")


def _line_was_full(prev_len: int, word_len: int, width: int) -> bool:
    """A soft wrap breaks a line only when the next word would not fit on it: a line that left clearly more
    room than the next word needs (against the widest line around it) was broken by hand (posts or
    subtitle lines one per line, a lower-case line after a short one)."""
    return prev_len + 1 + word_len > 0.85 * width


def _plain_lines(text: str, trimmed: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The non-empty lines outside code fences that carry no Markdown marker (the only ones a fixed-width
    Chinese text is wrapped in: padded glossary columns must not pass for a wrap width)."""
    out: list[tuple[int, int]] = []
    in_code = False
    for s, e in trimmed:
        if s >= e:
            continue
        if _MD_FENCE.match(text, s, e):
            in_code = not in_code
        elif not in_code and not (_MD_HEADING.match(text, s, e) or text[s] in ">|" or _MD_LIST.match(text, s, e)):
            out.append((s, e))
    return out


def paragraph_spans(text: str) -> list[tuple[int, int, bool]]:
    """``(start, end, is_heading_marker)`` of the paragraphs of ``text`` (see :func:`paragraphs`)."""
    return [(p.start, p.end, p.role == "heading") for p in paragraphs(text)]


def _runs(text: str, s: int, e: int) -> list[_Run]:
    runs: list[_Run] = []
    for m in _ATOM.finditer(text, s, e):
        cls = m.lastgroup or "X"
        if cls == "N":
            continue
        w = _atom_weight(cls, m.group())
        if runs and runs[-1].cls == cls:
            r = runs[-1]
            r.end = m.end()
            r.weights[cls] = r.weights.get(cls, 0.0) + w
        else:
            runs.append(_Run(cls, m.start(), m.end(), {cls: w}))
    return runs


def _sentence_ends_between(text: str, a: int, b: int) -> bool:
    return any(c in _TERMINATORS for c in text[a:b])


def _alone_min(cls: str) -> float:
    return MIN_CJK_CHARS if cls == "C" else MIN_LATIN_LETTERS / 3.0


def _join(runs: list[_Run], cls: str) -> _Run:
    merged = _Run(cls, runs[0].start, runs[-1].end, {}, anchored=True)
    for r in runs:
        for k, v in r.weights.items():
            merged.weights[k] = merged.weights.get(k, 0.0) + v
    return merged


def _embedded(text: str, runs: list[_Run], i: int) -> int:
    """Where run ``i`` belongs when it is part of a sentence of the other language: ``-1`` with the run
    before it (inside that sentence, or a bracketed gloss right after it), ``+1`` with the run after it
    (a Latin name glued to the start of a Chinese sentence), ``0`` nowhere else (it stands alone)."""
    r = runs[i]
    if r.weight >= EMBEDDED_MAX_WEIGHT:
        return 0
    prev = runs[i - 1] if i > 0 else None
    nxt = runs[i + 1] if i + 1 < len(runs) else None
    starts_sentence = prev is None or _sentence_ends_between(text, prev.end, r.start)
    if (r.cls == "L" and nxt is not None and nxt.cls == "C" and starts_sentence and r.weights.get("C", 0.0) > 0
            and not _sentence_ends_between(text, r.start, nxt.start) and regex.search(r"[。！？]", text[nxt.start:nxt.end + 2])
            and len(_LATIN_WORDS.findall(text, r.start, r.end)) <= 2 * LEAD_NAME_WORDS
            and not regex.search(r"\s{2}|\t", text[r.end:nxt.start])):
        return 1  # AT&T 与 Johnson & Johnson 签署了合作协议。: names joined by Chinese words open the sentence
    if r.cls == "L" and nxt is not None and nxt.cls == "C" and starts_sentence:
        glue = text[r.end:nxt.start]
        if (not any(c.isspace() or c in _TERMINATORS for c in glue)
                and len(_LATIN_WORDS.findall(text, r.start, r.end)) <= LEAD_NAME_WORDS
                and not _sentence_ends_between(text, r.start, r.end)):
            return 1  # Tierra del Sol很高兴…, Better Markets联合创始人…
    if prev is None or starts_sentence:
        return 0
    if (r.cls == "L" and prev.cls == "C" and nxt is None
            and regex.match(r"\s*[。！？，、；：”」』）]", text[r.end:r.end + 3])):
        return -1  # 有请你们的少年奶爸， Karlous Miller！: a name closing a Chinese sentence
    if nxt is not None and prev.cls == nxt.cls:
        return -1  # 中国外文局(China International Communication Group)翻译院
    gap = text[prev.end:r.start].strip()
    return -1 if gap and gap[-1] in "(（[【" else 0  # 世界贸易组织（World Trade Organization）


def _collapse(text: str, runs: list[_Run]) -> list[_Run]:
    """Fold a small run between two runs of one language into them (``發(fā)揮``: injected pinyin,
    ``加入(WTO)已经``): linear, and it leaves most lines with a single run."""
    out: list[_Run] = []
    for r in runs:
        if (len(out) >= 2 and out[-2].cls == r.cls and out[-1].cls != r.cls
                and out[-1].weight < _alone_min(out[-1].cls)
                and not _sentence_ends_between(text, out[-2].end, r.start)):
            mid = out.pop()
            out[-1] = _join([out[-1], mid, r], r.cls)
        else:
            out.append(r)
    return out


def _merge_small(text: str, runs: list[_Run]) -> list[_Run]:
    """Anchor the line on runs big enough to stand alone; small runs join the anchor they belong to;
    anchors embedded in a sentence of the other language join it too."""
    runs = _collapse(text, runs)
    if len(runs) == 1:
        return runs
    big = [i for i, r in enumerate(runs) if r.weight >= _alone_min(r.cls)]
    if not big:
        totals: dict[str, float] = {}
        for r in runs:
            totals[r.cls] = totals.get(r.cls, 0.0) + r.weight
        merged = _join(runs, max(totals, key=lambda k: totals[k]))
        # A short line with Chinese punctuation is a Chinese sentence: 我叫Jack。 Juddy 看着我。
        merged.anchored = "C" in totals and bool(_CJK_PUNCT.search(text, runs[0].start, runs[-1].end + 2))
        if merged.anchored:
            merged.cls = "C"
        return [merged]
    if len(big) == 1:
        return [_join(runs, runs[big[0]].cls)]  # one anchor: the whole line is its language
    # Each small run goes to the anchor on its left unless a sentence ends in between.
    members: dict[int, list[_Run]] = {b: [] for b in big}
    for i in range(len(runs)):
        k = bisect.bisect_right(big, i)
        left = big[k - 1] if k > 0 else None
        right = big[k] if k < len(big) else None
        if left is None:
            owner = right if right is not None else big[0]
        elif right is None or left == i:
            owner = left
        elif _sentence_ends_between(text, runs[i - 1].end, runs[i].start) or _sentence_ends_between(
                text, runs[left].end, runs[i].start):
            owner = right
        else:
            owner = left
        members[owner].append(runs[i])
    groups = [_join(members[b], runs[b].cls) for b in big]
    # Consecutive anchors of one language are one run; then embedded anchors join their neighbour
    # (in linear passes: a line may hold thousands of runs).
    groups = _fuse(groups)
    for _ in range(8):
        where = [_embedded(text, groups, i) for i in range(len(groups))]
        if not any(where):
            break
        out: list[_Run] = []
        pending: _Run | None = None  # a run waiting to join the one after it
        for g, w in zip(groups, where, strict=True):
            if pending is not None:
                g = _join([pending, g], g.cls)
                pending = None
            if w == -1 and out:
                out[-1] = _join([out[-1], g], out[-1].cls)
            elif w == 1:
                pending = g
            else:
                out.append(g)
        if pending is not None:
            out.append(pending)
        groups = _fuse(out)
    return groups


def _fuse(groups: list[_Run]) -> list[_Run]:
    fused: list[_Run] = []
    for g in groups:
        if fused and fused[-1].cls == g.cls:
            fused[-1] = _join([fused[-1], g], g.cls)
        else:
            fused.append(g)
    return fused


_LATIN_SENTENCE_END = regex.compile(r"[.!?…][\"'’”)\]]*\s+")
_LATIN_WORDS = regex.compile(r"\p{Latin}+")
#: Latin words glued to the start of a Chinese sentence (``Greggs计划…``) move with it: at most this many.
LEAD_NAME_WORDS = 4


def _cut(text: str, left: _Run, right: _Run) -> int:
    """Where to cut between two runs of different languages (in the neutral gap between them, or
    before the Latin words that open the Chinese sentence after an English one)."""
    a, b = left.end, right.start
    gap = text[a:b]
    neutral = [(m.start() - a, m.end() - a) for m in _ATOM.finditer(text, a, b) if m.lastgroup == "N"]
    last_term = max((k for k, c in enumerate(gap) if c in _TERMINATORS
                     and not any(ns <= k < ne for ns, ne in neutral)), default=-1)
    if last_term >= 0:
        k = last_term + 1
        while k < len(gap) and gap[k] in CLOSERS and not (gap[k] in "\"'" and k == len(gap) - 1):
            k += 1  # a straight quote touching the next run opens it: 。”"Recent research…
        return a + k
    if left.cls == "L" and right.cls == "C" and not gap:
        # "…visit our site. Tierra del Sol画廊位于…": the name after the last English sentence end
        # belongs to the Chinese sentence it is glued to.
        ends = list(_LATIN_SENTENCE_END.finditer(text, left.start, left.end))
        if ends:
            tail_start = ends[-1].end()
            tail = text[tail_start:left.end]
            if len(_LATIN_WORDS.findall(tail)) <= LEAD_NAME_WORDS and len(tail) <= 40:
                return tail_start
    k = 0
    while k < len(gap) and (gap[k] in CLOSERS or gap[k] in ",，、:："):
        k += 1
    if neutral:
        # "@user13 天哪 @user13 Holy…": handles and links open the text that follows them.
        ws = next((q for q in range(k, len(gap)) if gap[q].isspace()), -1)
    else:
        ws = max(gap.rfind(" "), gap.rfind("\t"), gap.rfind("\u3000"))
    if ws >= k:
        return a + ws
    # No space: keep opening brackets and digits with the run that follows.
    j = len(gap)
    while j > k and (gap[j - 1] in OPENERS or gap[j - 1].isdigit()):
        j -= 1
    return a + j


_NON_LATIN_LETTERS = regex.compile(r"[^\P{L}\p{Latin}]+")


def _run_lang(text: str, run: _Run, identifier: LatinIdentifier | None) -> Lang:
    """Language of a run: its anchor's language; ``mixed`` when no anchor and both languages weigh in."""
    total = run.weight
    minor = total - max(run.weights.values()) if run.weights else 0.0
    if not run.anchored and total > 0 and minor / total >= MIXED_SHARE and minor >= 1.0:
        return MIXED
    if run.cls == "C":
        return cjk_lang(text)
    if run.cls == "L":
        return latin_lang(_NON_LATIN_LETTERS.sub(" ", text), identifier)[0]
    return OTHER


def _split_line(text: str, s: int, e: int, identifier: LatinIdentifier | None,
                split_mixed: bool) -> list[tuple[int, int, Lang]]:
    runs = _runs(text, s, e)
    if not runs:
        return [(s, e, NONE)]
    runs = _merge_small(text, runs)
    if not split_mixed:
        merged = _join(runs, runs[0].cls)
        merged.cls = max(merged.weights, key=lambda k: merged.weights[k])
        merged.anchored = len(runs) == 1 and runs[0].anchored
        return [(s, e, _run_lang(text[s:e], merged, identifier) if len(runs) == 1 else MIXED)]
    bounds = [s]
    for left, right in itertools.pairwise(runs):
        bounds.append(_cut(text, left, right))
    bounds.append(e)
    out: list[tuple[int, int, Lang]] = []
    for run, a, b in zip(runs, bounds, bounds[1:], strict=False):
        a, b = _trim(text, a, b)
        if a < b:
            out.append((a, b, _run_lang(text[a:b], run, identifier)))
    return out


_ZH_SENTENCE_END = regex.compile(r"(?:[。！？!?]|…|\.\.\.)[”’」』）)\"']*\s*$")
_EN_SENTENCE_END = regex.compile(r"(?:[.!?]|…)[\"'”’)\]]*\s*$")
#: A line holding both languages whose halves are both at least this long (Han characters / Latin words)
#: is a translation written on one line (subtitle style), not a glossary line, even without sentence ends.
GLOSS_MAX_HAN = 40
GLOSS_MAX_WORDS = 15


def _split_two(text: str, s: int, e: int, identifier: LatinIdentifier | None) -> list[tuple[int, int, Lang]] | None:
    """A short annotation line (``mountain      山峰``, ``>river 河流``) cut into its Latin and its Chinese half
    even when the halves are too light to stand alone; ``None`` unless the line is exactly two such halves."""
    runs: list[_Run] = []
    for r in _runs(text, s, e):
        if r.cls == "X" and runs and runs[-1].cls == "L":
            runs[-1].end = r.end  # IPA after a headword: murky[ˈmɜrki]
        elif r.cls != "X":
            runs.append(r)
    runs = _collapse(text, runs)
    if len(runs) != 2 or {r.cls for r in runs} != {"C", "L"}:
        return None
    first = text[runs[0].start:runs[0].end]
    if not (regex.search(r"\s", text[runs[0].end:runs[1].start]) or regex.search(r"\s{2}|\t", first)):
        return None  # 我叫Jack。, Greggs计划…: no column between the halves
    cut = _cut(text, runs[0], runs[1])
    out = []
    for run, (a, b) in zip(runs, ((s, cut), (cut, e)), strict=True):
        a, b = _trim(text, a, b)
        if a >= b:
            return None
        # a short Latin headword beside Chinese: English (language identification cannot tell on 2 words)
        out.append((a, b, EN if run.cls == "L" else _run_lang(text[a:b], run, identifier)))
    return out if {lang for _, _, lang in out} == {ZH, EN} else None


_BRACKETED = regex.compile(r"\([^()\n]*\)|（[^（）\n]*）|\[[^\[\]\n]*\]|【[^【】\n]*】")


def _both_outside_brackets(text: str, spans: list[tuple[int, int]]) -> bool:
    """Chinese words and an English phrase (two words or more, outside brackets) in one structured item:
    ``主句：*Their confidence was boosted*（他们的信心增强）`` quotes English and glosses it, while
    ``中国外文局(China International Communication Group)翻译院`` is one Chinese sentence."""
    han = words = letters = 0
    for s, e in spans:
        han += len(regex.findall(r"\p{Han}", text[s:e]))
        t = _BRACKETED.sub(lambda m: " " * len(m.group()), text[s:e])
        for r in _runs(t, 0, len(t)):
            if r.cls == "L":
                w = len(_LATIN_WORDS.findall(t, r.start, r.end))
                if w > words:
                    words, letters = w, len(_LETTERS.findall(t, r.start, r.end))
    return han >= QUOTE_MIN_HAN and words >= QUOTE_MIN_WORDS and letters >= QUOTE_MIN_LETTERS


#: A list item, quote, code or table line holding at least this many Han characters and an English
#: phrase of this many words / letters outside brackets is an annotation (see :func:`_is_gloss`).
QUOTE_MIN_HAN = 2
QUOTE_MIN_WORDS = 2
QUOTE_MIN_LETTERS = 6


def _is_gloss(role: LineRole, pieces: list[tuple[int, int, Lang]], text: str,
              spans: list[tuple[int, int]] | None = None) -> bool:
    """True when a paragraph (or list item) holding both Chinese and English is an annotation (a glossary
    or vocabulary line, a bilingual heading, a ``>`` gloss, a list item of an analysis, a code or table line)
    rather than running text: any Markdown structure but plain text, or halves that are not both sentences.
    A structured item counts as holding both languages when it was split into both, or when both weigh in
    outside brackets (an analysis item quoting an English fragment inside a Chinese sentence)."""
    zh = [text[a:b] for a, b, lang in pieces if lang == ZH]
    en = [text[a:b] for a, b, lang in pieces if lang == EN]
    if role != "plain" and ((zh and en) or (spans is not None and _both_outside_brackets(text, spans))):
        return True
    if not zh or not en or role != "plain":
        return False
    zh_text, en_text = " ".join(zh), " ".join(en)
    han = len(regex.findall(r"\p{Han}", zh_text))
    words = len(_LATIN_WORDS.findall(en_text))
    if han >= GLOSS_MAX_HAN and words >= GLOSS_MAX_WORDS:
        return False
    return not (_ZH_SENTENCE_END.search(zh[-1]) and _EN_SENTENCE_END.search(en[-1]))


def blocks(
    doc: Document,
    *,
    identifier: LatinIdentifier | None = None,
    split_mixed: bool = True,
) -> list[Block]:
    """The ordered blocks of ``doc``, each with its language, Chinese script and kind.

    ``identifier`` names the language of Latin-script runs (default: py3langid, bundled model).
    ``split_mixed=False`` keeps each line whole (its language then may be ``mixed``).
    Blocks of a paragraph (or list item with its continuation lines) that holds both languages as an
    annotation (see :func:`_is_gloss`) get kind ``gloss``: they are no part of the running translation.
    """
    text = doc.text
    doc_script = chinese_script(text)
    out: list[Block] = []
    paras = paragraphs(text)
    pieces = [_split_line(text, p.start, p.end, identifier, split_mixed) for p in paras]
    if split_mixed:
        for k, p in enumerate(paras):
            if p.role != "plain" or (len(pieces[k]) == 1 and pieces[k][0][2] == MIXED):
                two = _split_two(text, p.start, p.end, identifier)
                if two is not None:
                    pieces[k] = two
    unit_pieces: dict[int, list[tuple[int, int, Lang]]] = {}
    for p, ps in zip(paras, pieces, strict=True):
        unit_pieces.setdefault(p.unit, []).extend(ps)
    role_of = {p.unit: p.role for p in paras}
    unit_spans: dict[int, list[tuple[int, int]]] = {}
    for p in paras:
        unit_spans.setdefault(p.unit, []).append((p.start, p.end))
    gloss_units = {u for u, ps in unit_pieces.items()
                   if split_mixed and _is_gloss(role_of[u], ps, text, unit_spans[u])}
    for p, ps in zip(paras, pieces, strict=True):
        for a, b, lang in ps:
            piece = text[a:b]
            script: Script = None
            if lang in (ZH, MIXED):
                script = chinese_script(piece) or doc_script
            kind: BlockKind
            if p.unit in gloss_units:
                kind = "gloss"
            elif p.role == "heading":
                kind = "heading"
            else:
                kind = block_kind(piece, lang)
            out.append(Block(doc.id, len(out), piece, a, b, lang, script, kind))
    return out


def detect_language(text: str, *, identifier: LatinIdentifier | None = None) -> tuple[Lang, Script]:
    """Language (``zh``/``en``/``other``/``mixed``/``none``) and Chinese script of a whole text, unsplit."""
    s, e = _trim(text, 0, len(text))
    if s >= e:
        return NONE, None
    (_, _, lang), = _split_line(text, s, e, identifier, split_mixed=False)
    return lang, chinese_script(text) if lang in (ZH, MIXED) else None


__all__ = ["EN", "ZH", "blocks", "detect_language", "paragraph_spans"]
