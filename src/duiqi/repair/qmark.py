"""``?`` left by a lossy GBK round trip, and the flags for what is lost for good.

* ``?`` standing for a lost NBSP in CJK text (``摘 ? ?要``, a lone ``?`` between spaces on a line with
  CJK, or a line that is only ``?``) becomes a space.
* ``?`` inside a Latin word (``Du?an``, ``Fran?ois``) is a lost letter: flagged ``lossy-latin`` (never
  guessed; a later stage may restore it from the other side of an aligned pair).
* Lines holding ``锟斤拷`` or U+FFFD (information already lost) are flagged ``lost-bytes``.
"""

from __future__ import annotations

import regex

from duiqi.repair import _chars
from duiqi.repair._edits import Outcome, line_spans, outcome, unchanged
from duiqi.repair.model import Edit, Flag

NAME = "nbsp"
EXPLANATION = "'?' standing for a lost no-break space in CJK text became a space"

_CJK_RE = regex.compile(r"[\p{Han}\u3000-\u303f\uff00-\uffef]")
# ? with a space on at least one side and a space/CJK/?/line edge on both sides
NBSP_Q_RE = regex.compile(r"(?:(?<=^|[ \t\u3000])\?(?=$|[ \t\r\u3000?]|[\p{Han}\u3000-\u303f\uff00-\uffef]))"
                          r"|(?:(?<=[\p{Han}\u3000-\u303f\uff00-\uffef?])\?(?=[ \t\r\u3000]))",
                          regex.MULTILINE)
_LATIN = "A-Za-z\u00c0-\u024f"
_STOPS = "。，；：！？、"
# "。??" at the end of a line: the page's trailing NBSPs, not questions
AFTER_STOP_RE = regex.compile(r"(?<=[。，；：！？、])\?+(?=[ \t\r\u3000]|$)")
LOSSY_Q_RE = regex.compile(rf"(?<=[{_LATIN}])\?+(?=[{_LATIN}])")
_URLISH_RE = regex.compile(r"[/=&]")


def nbsp_edits(text: str) -> list[Edit]:
    if "?" not in text:
        return []
    edits: list[Edit] = []
    for s, e in line_spans(text):
        line = text[s:e]
        if "?" not in line or not _CJK_RE.search(text, max(0, s - 200), min(len(text), e + 200)):
            continue
        if line.strip() == "?":  # the paragraph was a lone &nbsp;
            i = s + line.index("?")
            edits.append(Edit(NAME, i, i + 1, "?", " ", "lost NBSP (empty paragraph)"))
            continue
        if not _CJK_RE.search(line):
            continue
        for m in AFTER_STOP_RE.finditer(line):
            edits.extend(Edit(NAME, s + i, s + i + 1, "?", " ", "lost NBSP after punctuation")
                         for i in range(m.start(), m.end()))
        for m in NBSP_Q_RE.finditer(line):
            if AFTER_STOP_RE.match(line, m.start()) or (m.start() > 0 and line[m.start() - 1] in _STOPS):
                continue
            # a real question mark ends a clause: "你好吗? " keeps its ?
            i = m.start()
            if i > 0 and line[i - 1] not in " \t\u3000?" and (i + 1 >= len(line) or line[i + 1] in " \t"):
                before = line[:i].rstrip()
                if before and before[-1] not in "?" and not line[i + 1:].lstrip().startswith("?"):
                    continue
            edits.append(Edit(NAME, s + i, s + i + 1, "?", " ", "lost NBSP"))
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
            if any(_chars.is_han(c) for c in text[s:e]):
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
