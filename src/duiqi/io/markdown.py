"""Markdown as people write it in notes: clean text for the aligner, with offsets into the original.

Study notes, READMEs and blog posts mark words up inline: ``**bold**``, ``*italic*``, ``__x__``,
```code```, ``~~struck~~``, ``[links](url)``, images and inline HTML such as ``<u>应对</u>``. None of it is
text to translate, and it hurts both the sentence encoder and language identification (``<u>`` is Latin).
:func:`clean_markdown` removes inline markup and keeps everything else exactly: line structure, the
markers at the start of a line (``#``, ``>``, list bullets, numbers, table pipes) and code fences with
their contents, which :mod:`duiqi.segment.blocks` reads as structure (quoted glosses, list items, code
lines are blocks of their own). ``CleanText.offsets`` maps every character of the clean text back to the
original, so a sentence found in the clean text can be shown where it was written.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

_FENCE = regex.compile(r"[ \t]*(?:```|~~~)")
_LINE_START = regex.compile(r"[ \t]*(?:#{1,6}[ \t]+|(?:>[ \t]*)+|(?:[-*+•][ \t]+|\d{1,3}[.)][ \t]+)+)?")
# One inline construct; the groups named ``keep`` hold the text that stays.
_INLINE = regex.compile(
    r"!\[[^\]\n]*\]\([^)\n]*\)"  # image: dropped
    r"|\[(?P<keep1>[^\]\n]+)\]\([^)\s]+(?:[ \t]+\"[^\"\n]*\")?\)"  # link: its text
    r"|</?[A-Za-z][A-Za-z0-9]*(?:[ \t][^<>\n]*)?/?>"  # inline HTML tag: dropped
    r"|(?P<m>\*\*|__|~~)(?=\S)(?P<keep2>[^\n]+?)(?<=\S)(?P=m)"  # strong, strike
    r"|(?<![\w*\\])\*(?=[^\s*])(?P<keep3>[^*\n]+?)(?<=[^\s*])\*(?![\w*])"  # *emphasis*
    r"|(?<![\w\\])_(?=[^\s_])(?P<keep4>[^_\n]+?)(?<=[^\s_])_(?!\w)"  # _emphasis_
    r"|(?<!`)`(?P<keep5>[^`\n]+)`(?!`)"  # `code`
    r"|\*\*|__"  # an unpaired strong marker (``**text`` cut by a line end)
)
_SIGNALS = regex.compile(
    r"\*\*\S[^\n]*?\S?\*\*|`[^`\n]+`|</?(?:u|b|i|em|strong|span|br|sup|sub|font|mark)\b[^<>\n]*>"
    r"|^[ \t]*```|^#{1,6}[ \t]+\S|^>[ \t]*\S|\[[^\]\n]+\]\([^)\s]+\)",
    regex.MULTILINE,
)
#: A text holding at least this many Markdown constructs is read as Markdown.
MIN_SIGNALS = 3


@dataclass(frozen=True, slots=True)
class CleanText:
    """``text`` with ``offsets[i]`` = the position in the original of ``text[i]`` (one more entry at the end:
    the original's length)."""

    text: str
    offsets: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original that ``text[start:end]`` comes from."""
        if end <= start:
            return self.offsets[start], self.offsets[start]
        return self.offsets[start], self.offsets[end - 1] + 1


def looks_like_markdown(text: str) -> bool:
    """True when ``text`` holds enough Markdown constructs (emphasis, backticks, inline HTML, fences,
    headings, quotes, links) to be read as Markdown."""
    return any(n + 1 >= MIN_SIGNALS for n, _ in enumerate(_SIGNALS.finditer(text)))


class _Builder:
    def __init__(self, text: str) -> None:
        self.src = text
        self.out: list[str] = []
        self.offsets: list[int] = []

    def keep(self, s: int, e: int) -> None:
        if e > s:
            self.out.append(self.src[s:e])
            self.offsets.extend(range(s, e))

    def space(self, at: int) -> None:
        """A space standing for removed markup between two words (``has`delivered``` -> ``has delivered``)."""
        self.out.append(" ")
        self.offsets.append(at)

    def last(self) -> str:
        return self.out[-1][-1] if self.out and self.out[-1] else ""


def clean_markdown(text: str) -> CleanText:
    """``text`` without inline Markdown markup (see the module doc); lines, line-start markers and code
    blocks unchanged. Markup removed between two Latin words leaves a space."""
    b = _Builder(text)
    in_code = False
    pos = 0
    n = len(text)
    while pos < n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl + 1
        line_end = n if nl < 0 else nl
        if _FENCE.match(text, pos, line_end):
            in_code = not in_code
            b.keep(pos, end)
        elif in_code:
            b.keep(pos, end)
        else:
            m = _LINE_START.match(text, pos, line_end)
            start = m.end() if m else pos
            b.keep(pos, start)
            _clean_inline(b, start, line_end)
            b.keep(line_end, end)
        pos = end
    b.offsets.append(n)
    return CleanText("".join(b.out), tuple(b.offsets))


def _word(c: str) -> bool:
    return c.isascii() and c.isalnum()


def _clean_inline(b: _Builder, s: int, e: int) -> None:
    text = b.src
    cur = s
    while cur < e:
        m = _INLINE.search(text, cur, e)
        if m is None:
            break
        b.keep(cur, m.start())
        inner = next((name for name in ("keep1", "keep2", "keep3", "keep4", "keep5") if m.group(name) is not None),
                     None)
        if inner is not None:
            a, z = m.span(inner)
            if _word(b.last()) and _word(text[a]):
                b.space(m.start())
            _clean_inline(b, a, z)  # **`nested`** markup
            if m.end() < e and _word(text[z - 1]) and _word(text[m.end()]):
                b.space(m.end() - 1)
        elif _word(b.last()) and m.end() < e and _word(text[m.end()]):
            b.space(m.start())
        cur = m.end()
    b.keep(cur, e)


__all__ = ["CleanText", "clean_markdown", "looks_like_markdown"]
