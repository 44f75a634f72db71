"""GBK slips made by the pinyin injector (NOISE.md §2), repaired only when the answer is unique.

The injector edits a GBK byte stream and sometimes works one byte off:

* *phantom pinyin* ``發展?fàn)顩r`` (發展狀況): it annotated the character formed by the trail byte of
  展 and the lead byte of 狀; the lead byte and ``(`` became ``?`` and the rest of the run is shifted by
  one byte until an ASCII trail byte realigns it. We rebuild the bytes for every lead byte whose
  character reads as the injected syllable and keep the repair when exactly one decodes cleanly.
* *letter substitution* ``F(xiàn)`` (現 = AC 46): the lead byte was lost, the trail byte shows as a
  letter followed by the annotation. Repaired when exactly one character with that trail byte has the
  reading and is one the injector annotates (traditional-only).

When the bytes cannot be rebuilt, the injected part is still removed and the place flagged
``gbk-slip``: a phantom keeps its ``?`` (``?fàn)`` -> ``?``), a letter keeps the letter
(``J(rèn)`` -> ``J`` when two characters fit). Lone Latin letters and ``?`` runs between Han
characters are flagged ``gbk-slip`` as well. Runs only when the document gate (SEO pinyin) passed.
"""

from __future__ import annotations

import functools
import unicodedata

import regex

from duiqi.repair import _chars
from duiqi.repair._edits import Outcome, Spans, outcome, unchanged
from duiqi.repair.model import Edit, Flag
from duiqi.text.scripts import is_cjk_wide

NAME = "gbk"
EXPLANATION = "rebuilt GBK bytes around an injector slip (phantom pinyin / lost lead byte)"

_SYL = "[" + _chars.PINYIN_LETTERS + "]{1,6}"
PHANTOM_RE = regex.compile(r"(?<=\p{Han})\?(" + _SYL + r") ?\)")
LETTER_RE = regex.compile(r"(?<![A-Za-z0-9])([\x40-\x7e])\((" + _SYL + r") ?\)")
LONE_LETTER_RE = regex.compile(r"(?<=\p{Han})[A-Za-z](?=\p{Han})")
LOST_BYTES_RE = regex.compile(r"(?<=\p{Han})\?+(?=\p{Han})")
MAX_RUN = 24


def _gbk(ch: str) -> bytes | None:
    try:
        b = ch.encode("gbk")
    except UnicodeEncodeError:
        return None
    return b


@functools.cache
def _plausible(ch: str) -> bool:
    """A character of converted text: traditional-only, or a common one (in GB2312); not a rare invariant."""
    if ch in _chars.traditional_only():
        return True
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


@functools.cache
def _chars_with(first: int | None, second: int | None, syllable: str) -> list[tuple[int, str]]:
    """GBK characters with one byte fixed, reading ``syllable``, that the injector could have annotated."""
    trad = _chars.traditional_only()
    out = []
    for b in range(0x81, 0xFF):
        pair = bytes([first if first is not None else b, second if second is not None else b])
        try:
            c = pair.decode("gbk")
        except UnicodeDecodeError:
            continue
        # the injector only annotates traditional-only characters (NOISE.md §1)
        if len(c) == 1 and c in trad and syllable in _chars.readings(c):
            out.append((b, c))
    return out


def _realigned_run(text: str, start: int) -> str | None:
    """Characters after the slip up to and including the first single-byte trail (0x40-0x7E)."""
    for i in range(start, min(len(text), start + MAX_RUN)):
        b = _gbk(text[i])
        if b is None or text[i] in "?\n":
            return None
        if len(b) == 1:
            return text[start:i + 1] if 0x40 <= b[0] <= 0x7E else None
    return None


def _decodes_to_han(data: bytes) -> str | None:
    try:
        s = data.decode("gbk")
    except UnicodeDecodeError:
        return None
    return s if s and all(is_cjk_wide(c) for c in s) else None


def repair_phantom(text: str, m: regex.Match[str]) -> Edit | None:
    prev = _gbk(text[m.start() - 1])
    if prev is None or len(prev) != 2 or prev[1] < 0x81:
        return None
    syllable = unicodedata.normalize("NFC", m.group(1))
    run = _realigned_run(text, m.end())
    if run is None:
        return None
    run_bytes = run.encode("gbk")
    found = set()
    for lead, _ in _chars_with(prev[1], None, syllable):
        decoded = _decodes_to_han(bytes([lead]) + run_bytes)
        if decoded is not None and all(_plausible(c) for c in decoded):
            found.add(decoded)
    if len(found) != 1:
        return None
    after = found.pop()
    end = m.end() + len(run)
    return Edit(NAME, m.start(), end, text[m.start():end], after, f"phantom pinyin ({syllable})")


def repair_letter(text: str, m: regex.Match[str]) -> Edit | None:
    syllable = unicodedata.normalize("NFC", m.group(2))
    if not _chars.has_tone(syllable):
        return None
    cands = _chars_with(None, ord(m.group(1)), syllable)
    if len(cands) != 1:
        return None
    return Edit(NAME, m.start(), m.end(), m.group(0), cands[0][1], f"lost lead byte before {m.group(1)!r}")


def fix(text: str, gate: bool, flags: bool = True) -> Outcome:
    if not gate or ("?" not in text and ")" not in text):
        return unchanged(text)
    edits: list[Edit] = []
    found: list[Flag] = []
    taken = Spans()
    for m in PHANTOM_RE.finditer(text):
        e = repair_phantom(text, m)
        if e is not None:
            edits.append(e)
            taken.add(e.start, e.end)
        else:
            # the syllable and ")" are injected for certain; the lost byte is not recoverable: keep "?"
            edits.append(Edit(NAME, m.start(), m.end(), m.group(0), "?", "phantom pinyin removed, byte lost"))
            run = _realigned_run(text, m.end()) or ""
            taken.add(m.start(), m.end() + len(run))  # its shifted run is no letter substitution
            if flags:
                found.append(Flag("gbk-slip", m.start(), m.end() + len(run), "phantom pinyin, bytes not recoverable"))
    for m in LETTER_RE.finditer(text):
        if taken.covers(m.start()):
            continue
        e2 = repair_letter(text, m)
        syllable = unicodedata.normalize("NFC", m.group(2))
        if e2 is not None:
            edits.append(e2)
            taken.add(e2.start, e2.end)
        elif _chars.has_tone(syllable) and _chars.is_syllable(syllable):
            # the annotation is injected for certain; which character the letter was is not: keep it, flag it
            a = m.start() + 1
            edits.append(Edit(NAME, a, m.end(), text[a:m.end()], "", f"injected ({syllable}) after a lost lead byte"))
            taken.add(a, m.end())
            if flags:
                found.append(Flag("gbk-slip", m.start(), m.start() + 1,
                                  f"letter {m.group(1)!r} is a trail byte, character reading {syllable} not unique"))
    if flags:
        for m in LONE_LETTER_RE.finditer(text):
            if taken.covers(m.start()):
                continue
            found.append(Flag("gbk-slip", m.start(), m.end(), "lone Latin letter between Han characters"))
        for m in LOST_BYTES_RE.finditer(text):
            if not taken.covers(m.start()):
                found.append(Flag("gbk-slip", m.start(), m.end(), "'?' between Han characters: bytes lost"))
    return outcome(text, edits, found)
