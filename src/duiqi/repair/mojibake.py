"""Mojibake: UTF-8 read as cp1252/Latin-1 (ftfy, Chinese-safe options) and UTF-8 read as GBK.

ftfy's defaults damage Chinese (``fix_character_width`` folds ``，`` to ``,``, ``uncurl_quotes`` turns
``“”`` into ``""``), so it runs with those off and NFC, and only on lines that carry the cp1252
signature (a Latin-1 lead character followed by a continuation-looking character).

UTF-8 read as GBK (``鍙戝睍`` = 发展) is out of ftfy's reach. A run of Han characters that contains a
character whose GBK lead byte is a UTF-8 CJK lead (0xE4-0xE9) is re-encoded as GBK and decoded as
UTF-8; the result is kept when at least two characters decode cleanly, they are all CJK, and they are
more common (share of GB2312 level-1 characters) than the run they replace. A trailing partial
character (a byte lost to a ``?``) stays and is flagged ``mojibake-lost``; so are lines where the
cp1252 signature survives ftfy (a byte such as 0xAD was dropped on the way).
"""

from __future__ import annotations

import functools
import re
from typing import Any

import regex

from duiqi.repair import _chars
from duiqi.repair._edits import Outcome, Spans, diff_edits, line_spans, outcome, unchanged
from duiqi.repair.model import Edit, Flag
from duiqi.text.scripts import CJK_WIDE, is_cjk_wide

NAME = "mojibake"
EXPLANATION = "reversed mojibake (UTF-8 read as cp1252 via ftfy, or UTF-8 read as GBK)"

_CONT = (
    "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e"
    "\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
)
CP1252_RE = regex.compile(rf"[\u00c2-\u00f4][{_CONT}]")
_HAN_RUN_RE = regex.compile(rf"[{CJK_WIDE}]{{2,}}")


@functools.cache
def _ftfy_config() -> Any:
    ftfy = _chars._require("ftfy")
    return ftfy.TextFixerConfig(
        unescape_html=False, fix_character_width=False, uncurl_quotes=False, normalization="NFC",
        fix_line_breaks=False, explain=False,
    )


def _ftfy(line: str) -> str:
    import ftfy

    return str(ftfy.fix_text(line, _ftfy_config()))


@functools.cache
def _gbk_utf8_lead_re() -> Any:
    """Characters whose GBK encoding starts with a UTF-8 three-byte CJK lead byte (0xE4-0xE9)."""
    chars = []
    for lead in range(0xE4, 0xEA):
        for trail in range(0x40, 0xFF):
            try:
                c = bytes([lead, trail]).decode("gbk")
            except UnicodeDecodeError:
                continue
            chars.append(c)
    return re.compile("[" + "".join(re.escape(c) for c in chars) + "]")


def _common_share(s: str) -> float:
    n = 0
    for c in s:
        try:
            b = c.encode("gb2312")
        except UnicodeEncodeError:
            continue
        n += len(b) == 2 and 0xB0 <= b[0] <= 0xD7
    return n / len(s) if s else 0.0


def reverse_gbk_run(run: str) -> tuple[str, int, bool] | None:
    """(decoded, characters of ``run`` consumed, bytes lost) or None when not UTF-8-read-as-GBK."""
    try:
        data = run.encode("gbk")
    except UnicodeEncodeError:
        return None
    try:
        decoded = data.decode("utf-8")
        used, lost = len(run), False
    except UnicodeDecodeError as exc:
        # bytes were lost: keep the clean prefix; a run character cut in half is consumed with it
        cut = exc.start
        decoded = data[:cut].decode("utf-8")
        used = size = 0
        for c in run:
            if size >= cut:
                break
            size += len(c.encode("gbk"))
            used += 1
        lost = True
    if len(decoded) < 2 or not all(is_cjk_wide(c) or c in "“”‘’…—·" for c in decoded):
        return None
    share = _common_share(decoded)
    if share < 0.5 or share <= _common_share(run[:used]):
        return None
    return decoded, used, lost


def fix_gbk_mojibake(text: str) -> tuple[list[Edit], list[Flag]]:
    lead_re = _gbk_utf8_lead_re()
    if not lead_re.search(text):
        return [], []
    edits: list[Edit] = []
    flags: list[Flag] = []
    seen_end = -1
    for lead in lead_re.finditer(text):
        if lead.start() < seen_end:
            continue
        a = lead.start()
        while a > 0 and is_cjk_wide(text[a - 1], fullwidth_alnum=True):
            a -= 1
        m = _HAN_RUN_RE.match(text, a)
        if m is None:
            continue
        seen_end = m.end()
        run = m.group(0)
        pos = 0
        first_fail: int | None = None
        while pos < len(run):
            lm = lead_re.search(run, pos)
            if lm is None:
                break
            res = reverse_gbk_run(run[lm.start():])
            if res is None:
                if first_fail is None:
                    first_fail = lm.start()
                pos = lm.start() + 1
                continue
            decoded, used, lost = res
            a = m.start() + lm.start()
            edits.append(Edit(NAME, a, a + used, run[lm.start():lm.start() + used], decoded, "UTF-8 read as GBK"))
            if first_fail is not None:
                flags.append(Flag("mojibake-lost", m.start() + first_fail, a, "unrecoverable UTF-8-read-as-GBK"))
                first_fail = None
            if lost:
                flags.append(Flag("mojibake-lost", a, a + used, "bytes lost after this UTF-8-read-as-GBK run"))
            pos = lm.start() + used
    return edits, flags


def fix(text: str) -> Outcome:
    edits, flags = fix_gbk_mojibake(text)
    if CP1252_RE.search(text):
        taken = Spans((e.start, e.end) for e in edits)
        for s, e in line_spans(text):
            line = text[s:e]
            if not CP1252_RE.search(line) or taken.overlaps(s, e):
                continue
            new = _ftfy(line)
            if new != line:
                edits.extend(diff_edits(NAME, line, new, s))
            if len(CP1252_RE.findall(new)) >= 2:
                flags.append(Flag("mojibake-lost", s, e, "cp1252 mojibake that ftfy could not undo (bytes lost)"))
    if not edits and not flags:
        return unchanged(text)
    return outcome(text, edits, flags)
