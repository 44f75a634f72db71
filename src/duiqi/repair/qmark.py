"""``?`` left by a lossy GBK round trip, and the flags for what is lost for good.

* ``?`` standing for a lost NBSP in CJK text becomes a space: a run of ``?`` after a space and before
  a space, the line end or CJK (``摘 ? ?要``), a run after ``。，；：！？、`` before a space or the line
  end (``精神。??``), and a line of nothing but ``?`` near Chinese text (an ``&nbsp;`` paragraph).
  ``你好吗?`` stays a question, ``學生??稍`` stays (lost bytes).
* ``?`` inside a Latin word (``Du?an``, ``Fran?ois``) is a lost letter: flagged ``lossy-latin`` (never
  guessed; a later stage may restore it from the other side of an aligned pair with
  :func:`restore_lossy_latin`).
* Lines holding ``锟斤拷`` or U+FFFD (information already lost) are flagged ``lost-bytes``.
"""

from __future__ import annotations

import regex

from duiqi.repair._edits import Outcome, line_spans, outcome, unchanged
from duiqi.repair.model import Edit, Flag
from duiqi.text.scripts import CJK_WIDE, is_cjk_wide, is_ideograph

NAME = "nbsp"
EXPLANATION = "'?' standing for a lost no-break space in CJK text became a space"

_CJK_RE = regex.compile(rf"[{CJK_WIDE}]")
_LATIN = "A-Za-z\u00c0-\u024f"
_STOPS = "。，；：！？、"
Q_RUN_RE = regex.compile(r"\?+")
LOSSY_Q_RE = regex.compile(rf"(?<=[{_LATIN}])\?+(?=[{_LATIN}])")
_URLISH_RE = regex.compile(r"[/=&]")


_SPACES = " \t\r\u3000"


def _nbsp_run(line: str, start: int, end: int) -> bool:
    """Is the ``?`` run ``line[start:end]`` a lost NBSP (not a question mark, not lost bytes)?"""
    prev = line[start - 1] if start > 0 else " "
    nxt = line[end] if end < len(line) else " "
    next_space = nxt in _SPACES
    if prev in _STOPS:  # "。??" : the sentence is over, these were spaces
        return next_space
    if prev in _SPACES:  # "摘 ? ?要", "G642 ? ? ?文獻"
        return next_space or is_cjk_wide(nxt)
    return False  # "你好吗?" is a question; "學生??稍" is lost bytes


def nbsp_edits(text: str) -> list[Edit]:
    if "?" not in text:
        return []
    edits: list[Edit] = []
    for s, e in line_spans(text):
        if text.find("?", s, e) < 0:
            continue
        line = text[s:e]
        if not _CJK_RE.search(line):
            # a paragraph that was a lone &nbsp; on a Chinese page
            if line.strip(_SPACES) and not line.strip(_SPACES + "?") and _CJK_RE.search(
                    text, max(0, s - 200), min(len(text), e + 200)):
                edits.extend(Edit(NAME, s + i, s + i + 1, "?", " ", "lost NBSP (empty paragraph)")
                             for i, c in enumerate(line) if c == "?")
            continue
        for m in Q_RUN_RE.finditer(line):
            if _nbsp_run(line, m.start(), m.end()):
                edits.extend(Edit(NAME, s + i, s + i + 1, "?", " ", "lost NBSP") for i in range(m.start(), m.end()))
    return edits


def fix_nbsp(text: str) -> Outcome:
    edits = nbsp_edits(text)
    return outcome(text, edits) if edits else unchanged(text)


def _word_around(text: str, start: int, end: int) -> tuple[int, int]:
    s = start
    while s > 0 and (text[s - 1].isalpha() or text[s - 1] == "?"):
        s -= 1
    e = end
    while e < len(text) and (text[e].isalpha() or text[e] == "?"):
        e += 1
    return s, e


def flags(text: str) -> list[Flag]:
    out: list[Flag] = []
    if "?" in text:
        last_end = -1
        for m in LOSSY_Q_RE.finditer(text):
            if m.start() < last_end:
                continue
            s, e = _word_around(text, m.start(), m.end())
            last_end = e
            before = text[s - 1] if s > 0 else " "
            after = text[e] if e < len(text) else " "
            # URLs, query strings, code: not a lost letter
            if before in "/=&._\\" or after in "=&/" or not text[s].isalpha() or not text[e - 1].isalpha():
                continue
            if any(is_ideograph(c) for c in text[s:e]):
                continue
            out.append(Flag("lossy-latin", s, e, text[s:e]))
    if "锟斤拷" in text or "\ufffd" in text:
        for s, e in line_spans(text):
            line = text[s:e]
            if "锟斤拷" in line or "\ufffd" in line:
                out.append(Flag("lost-bytes", s, e, "锟斤拷 or U+FFFD: information already lost"))
    return out


def fix_flags(text: str) -> Outcome:
    return unchanged(text, flags(text))


def restore_lossy_latin(word: str, reference: str) -> str | None:
    """The spelling of ``word`` (``Du?an``) found in ``reference`` (``... Dušan Bella ...``), or None.

    Each ``?`` must stand for one letter that GBK cannot hold (non-ASCII, e.g. š, ç, ł), and the
    reference must spell the word exactly one way; otherwise nothing is guessed.
    """
    if "?" not in word or not word.replace("?", "").isalpha():
        return None
    pattern = "".join(r"([^\W\d_])" if c == "?" else regex.escape(c) for c in word)
    found = set()
    for m in regex.finditer(rf"(?<![\w?]){pattern}(?![\w?])", reference):
        if all(not g.isascii() for g in m.groups()):
            found.add(m.group(0))
    return found.pop() if len(found) == 1 else None
