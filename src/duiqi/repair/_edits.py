"""Edit bookkeeping: apply edits, map positions through them, line-level diffs."""

from __future__ import annotations

import bisect
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from duiqi.repair.model import Edit, Flag


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a fixer returns: its output text, its edits (input coordinates) and flags (input coordinates)."""

    text: str
    edits: tuple[Edit, ...] = ()
    flags: tuple[Flag, ...] = field(default=())


def unchanged(text: str, flags: Iterable[Flag] = ()) -> Outcome:
    return Outcome(text, (), tuple(flags))


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Apply non-overlapping edits (any order) to ``text``; raises ValueError if one does not match."""
    if not edits:
        return text
    parts: list[str] = []
    pos = 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if e.start < pos or e.end > len(text) or text[e.start:e.end] != e.before:
            raise ValueError(
                f"edit of {e.fixer} at {e.start}-{e.end} does not match the text "
                f"(expected {e.before!r}, found {text[e.start:e.end]!r})"
            )
        parts.append(text[pos:e.start])
        parts.append(e.after)
        pos = e.end
    parts.append(text[pos:])
    return "".join(parts)


def outcome(text: str, edits: Sequence[Edit], flags: Iterable[Flag] = ()) -> Outcome:
    """Apply a fixer's edits; of overlapping edits the first one (by position) wins."""
    kept: list[Edit] = []
    end = -1
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if e.start < end or (kept and e.start == end == kept[-1].start == kept[-1].end == e.end):
            continue
        kept.append(e)
        end = max(end, e.end)
    return Outcome(apply_edits(text, kept), tuple(kept), tuple(flags))


class PositionMap:
    """Maps positions of a step's input to positions of its output.

    A position inside a replaced span maps to the start (for span starts) or end (for span ends) of the
    replacement; an insertion exactly at a span start is before the span, at a span end after it.
    """

    def __init__(self, edits: Sequence[Edit]) -> None:
        self._edits = sorted(edits, key=lambda e: (e.start, e.end))
        self._ends = [e.end for e in self._edits]
        self._cum = [0]
        for e in self._edits:
            self._cum.append(self._cum[-1] + len(e.after) - (e.end - e.start))

    def __call__(self, pos: int, is_end: bool = False) -> int:
        k = bisect.bisect_right(self._ends, pos)
        if is_end:
            while k > 0 and self._edits[k - 1].start == self._edits[k - 1].end == pos:
                k -= 1
        if k < len(self._edits):
            e = self._edits[k]
            if e.start < pos < e.end:
                new_start = e.start + self._cum[k]
                return new_start + len(e.after) if is_end else new_start
        return pos + self._cum[k]


def map_flags(flags: Iterable[Flag], edits: Sequence[Edit]) -> list[Flag]:
    flags = list(flags)
    if not edits or not flags:
        return flags
    pm = PositionMap(edits)
    out = []
    for f in flags:
        s, e = pm(f.start), pm(f.end, is_end=True)
        out.append(Flag(f.kind, s, max(s, e), f.detail))
    return out


class Spans:
    """Non-overlapping [start, end) spans added in increasing order; ``covers(pos)`` in O(log n)."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        merged = sorted(spans)
        self._starts = [s for s, _ in merged]
        self._ends = [e for _, e in merged]

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_right(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)

    def covers(self, pos: int) -> bool:
        i = bisect.bisect_right(self._starts, pos) - 1
        return i >= 0 and pos < self._ends[i]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self._ends, start + 1)
        return i < len(self._starts) and self._starts[i] < end


def line_spans(text: str) -> Iterable[tuple[int, int]]:
    """(start, end) of each line without its line break."""
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        if nl < 0:
            yield pos, n
            return
        yield pos, nl
        pos = nl + 1


def diff_edits(fixer: str, before: str, after: str, offset: int = 0) -> list[Edit]:
    """Edits turning ``before`` into ``after``: per-character runs when lengths match, else one edit."""
    if before == after:
        return []
    if len(before) != len(after):
        # trim common prefix/suffix so the edit stays small
        p = 0
        m = min(len(before), len(after))
        while p < m and before[p] == after[p]:
            p += 1
        s = 0
        while s < m - p and before[-1 - s] == after[-1 - s]:
            s += 1
        return [Edit(fixer, offset + p, offset + len(before) - s, before[p:len(before) - s], after[p:len(after) - s])]
    import numpy as np

    a = np.frombuffer(before.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    b = np.frombuffer(after.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    diff = np.flatnonzero(a != b)
    edits = []
    if len(diff):
        # runs of consecutive differing positions
        breaks = np.flatnonzero(np.diff(diff) != 1)
        starts = np.concatenate(([diff[0]], diff[breaks + 1]))
        ends = np.concatenate((diff[breaks], [diff[-1]])) + 1
        for i, j in zip(starts.tolist(), ends.tolist(), strict=True):
            # Short replacements (a character converted script) repeat endlessly in long texts: one string
            # object each instead of one per edit keeps the plan of a 50 MB text in memory.
            old, new = before[i:j], after[i:j]
            if j - i <= 2:
                old, new = sys.intern(old), sys.intern(new)
            edits.append(Edit(fixer, offset + i, offset + j, old, new))
    return edits


def per_line(fixer: str, text: str, convert: Callable[[str], str], trigger: Callable[[str], bool] | None = None
             ) -> list[Edit]:
    """Run ``convert`` on every line (those passing ``trigger``) and return the resulting edits."""
    edits: list[Edit] = []
    for s, e in line_spans(text):
        line = text[s:e]
        if not line or (trigger is not None and not trigger(line)):
            continue
        new = convert(line)
        if new != line:
            edits.extend(diff_edits(fixer, line, new, s))
    return edits
