"""Punctuation and spacing.

*Width*: a crawl normaliser (NFKC) turned ``，：；（）！？`` into ASCII while ``、。“”`` stayed. When the
document shows that signature (ASCII ones next to CJK, full-width ones (nearly) absent), ASCII
``, : ; ! ?`` next to a CJK character and ``( )`` pairs next to or holding CJK go back to full width.
Pinyin inside parentheses and ``?`` runs (lost bytes) are left alone; a single ``?`` after Chinese is
a question mark (``吗?我`` too), except inside the text of GBK-damaged (SEO) pages, where it is a
lost byte unless a space or the line end follows.

Full-width Latin letters and digits (``ＷＴＯ``, ``２０２２``, from PDFs) become ASCII.

*Spacing*: English words glued by ``,`` ``;`` ``.`` get their space back (``Wilson,Ambassador``,
``cooperation.Chongqing``, ``H.E.Khamphao``), never inside numbers, URLs, e-mail addresses, file or
code names (``12,000``, ``3.5``, ``www.a.com``, ``a@b.cn``, ``java.util.List``) or abbreviations
(``U.S.``, ``e.g.``, ``No.5``).
"""

from __future__ import annotations

import re

import regex

from duiqi.repair import _chars
from duiqi.repair._edits import Outcome, outcome, unchanged
from duiqi.repair.model import Edit
from duiqi.text.scripts import CJK_WIDE, is_cjk_wide, is_ideograph

NAME_WIDTH = "width"
NAME_SPACING = "spacing"
EXPLANATION_WIDTH = "ASCII punctuation next to CJK back to full width (NFKC signature)"
EXPLANATION_SPACING = "space restored after , ; . between English words"

_FULL = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}
ASCII_NEAR_CJK_RE = regex.compile(rf"(?<=[{CJK_WIDE}])[,:;!?()]|[,:;!?()](?=[{CJK_WIDE}])")
FULL_RE = regex.compile(r"[，：；！？（）]")
PAIR_RE = regex.compile(r"\(([^()\n]{0,80})\)")
_PINYINISH_RE = regex.compile(r"[\s" + _chars.PINYIN_LETTERS + r"'’-]+")


def _cjk_at(text: str, i: int) -> bool:
    if 0 <= i < len(text):
        c = text[i]
        if is_cjk_wide(c):
            return True
        if c in "”’」』》）" and i > 0 and is_ideograph(text[i - 1]):
            return True
        if c in "“‘「『《（" and i + 1 < len(text) and is_ideograph(text[i + 1]):
            return True
    return False


SEPARATOR_AFTER_CJK_RE = regex.compile(rf"(?<=[{CJK_WIDE}])[,;:]")
MIN_SIGNATURE = 2


def nfkc_signature(text: str, minimum: int = MIN_SIGNATURE) -> bool:
    """ASCII , ; : after CJK (at least twice) while full-width ，；：！？（） are (nearly) absent.

    Parentheses alone are no evidence: ASCII ones next to Chinese are common in legitimate mixed text.
    One is enough in documents already known to be mechanical copies (the SEO pinyin gate passed):
    those pages went through the same normaliser.
    """
    ascii_n = sum(1 for _ in SEPARATOR_AFTER_CJK_RE.finditer(text))
    return ascii_n >= minimum and len(FULL_RE.findall(text)) * 10 <= ascii_n


def width_edits(text: str, minimum: int = MIN_SIGNATURE, gbk_damaged: bool = False) -> list[Edit]:
    if not ASCII_NEAR_CJK_RE.search(text) or not nfkc_signature(text, minimum):
        return []
    edits: list[Edit] = []
    done: set[int] = set()
    for m in PAIR_RE.finditer(text):
        inner = m.group(1)
        near = _cjk_at(text, m.start() - 1) or _cjk_at(text, m.end())
        has_cjk = any(is_cjk_wide(c) for c in inner)
        if not (near or has_cjk) or not inner.strip() or (not has_cjk and _PINYINISH_RE.fullmatch(inner)
                                                          and any(c in _chars.TONE_MARKS for c in inner)):
            done.update((m.start(), m.end() - 1))
            continue
        if not has_cjk and not near:
            continue
        edits.append(Edit(NAME_WIDTH, m.start(), m.start() + 1, "(", "（"))
        edits.append(Edit(NAME_WIDTH, m.end() - 1, m.end(), ")", "）"))
        done.update((m.start(), m.end() - 1))
    for m in regex.finditer(r"[,:;!?]", text):
        i = m.start()
        c = m.group(0)
        if i in done:
            continue
        prev_cjk = _cjk_at(text, i - 1)
        if c == "?" and i > 0 and text[i - 1] in "。，；：！？、":
            continue  # "。?" is a lost character (NBSP), not a question
        next_cjk = _cjk_at(text, i + 1)
        if not (prev_cjk or next_cjk):
            continue
        # a question mark follows Chinese; "??" runs are lost bytes, and so is "?" between Han characters
        # in GBK-damaged (SEO) pages, while elsewhere "吗?我" is a question followed by the next sentence
        if c == "?" and (
            not prev_cjk
            or text[i - 1] == "?"
            or (i + 1 < len(text) and text[i + 1] == "?")
            or (gbk_damaged and i + 1 < len(text) and text[i + 1] not in " \r\n\t”’」』)）")
        ):
            continue
        if c == ":" and i + 2 < len(text) and text[i + 1:i + 3] == "//":
            continue
        if c in ",:" and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit():
            continue
        edits.append(Edit(NAME_WIDTH, i, i + 1, c, _FULL[c]))
    return edits


FULLWIDTH_ALNUM_RE = regex.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")


def alnum_edits(text: str) -> list[Edit]:
    """Full-width Latin letters and digits (PDF extraction, ``ＷＴＯ２０２２``) to ASCII; punctuation stays."""
    return [Edit(NAME_WIDTH, m.start(), m.end(), m.group(0), "".join(chr(ord(c) - 0xFEE0) for c in m.group(0)),
                 "full-width letters/digits") for m in FULLWIDTH_ALNUM_RE.finditer(text)]


def fix_width(text: str, mechanical: bool = False) -> Outcome:
    """``mechanical``: the document is a known mechanical copy (SEO pinyin): one ASCII separator suffices,
    and a ``?`` inside Chinese is a lost byte rather than a question mark."""
    edits = width_edits(text, 1 if mechanical else MIN_SIGNATURE, gbk_damaged=mechanical) + alnum_edits(text)
    return outcome(text, edits) if edits else unchanged(text)


# ---- spacing -------------------------------------------------------------------------------------

_TOKEN_RE = regex.compile(r"\S+")
_NOT_PROSE_RE = regex.compile(r"://|@|^www\.|[/\\_=<>{}\[\]|#~`$%^*+]|\.\w+\(|::", regex.IGNORECASE)
# word,Word / word;word / word,word (both sides at least two letters)
_L = "A-Za-z\u00c0-\u024f"  # Latin letters only: Han are letters too, and never get a space
_LL = "a-z\u00df-\u00f6\u00f8-\u00ff"
COMMA_RE = regex.compile(rf"(?<=[{_L}][{_LL}][’'”)]?)([,;])(?=[{_L}]{{2}})")
# word.Word: lower-case word of 2+ letters, then a capitalised word
PERIOD_RE = regex.compile(rf"(?<=(?<![{_L}.])[{_L}]{{0,30}}[{_LL}]{{2}}[’'”)]?)\.(?=[A-Z][{_LL}])")
# initials H.E.Khamphao / U.S.Army / e.g.The -> space after the last initial
INITIALS_RE = regex.compile(rf"(?<=(?<![{_L}.])(?:[{_L}]\.){{2,8}})(?=[A-Z][{_LL}])")


MAX_TOKEN = 100


# Token delimiters: whitespace and CJK (as is_cjk_wide: full-width letters and digits are not CJK)
_DELIM_RE = re.compile(
    "[\\s\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40"
    "\uff5b-\uffef\U00020000-\U0003ffff]"
)


def _token_at(text: str, i: int) -> str | None:
    """The whitespace/CJK-delimited token around ``i``; None when longer than MAX_TOKEN (not prose)."""
    lo = max(0, i - MAX_TOKEN)
    hi = min(len(text), i + MAX_TOKEN)
    m = _DELIM_RE.search(text[lo:i][::-1])
    if m is None:
        if lo > 0:
            return None
        start = 0
    else:
        start = i - m.start()
    m2 = _DELIM_RE.search(text, i, hi)
    if m2 is None:
        if hi < len(text):
            return None
        end = len(text)
    else:
        end = m2.start()
    return text[start:end]


def _skip(text: str, i: int, dots_allowed: int) -> bool:
    tok = _token_at(text, i)
    if tok is None or _NOT_PROSE_RE.search(tok):
        return True
    core = tok.strip(".,;:!?\"'“”‘’()（）")
    return core.count(".") > dots_allowed


_CANDIDATE_RE = re.compile(r"[,;.](?=[A-Za-z\u00c0-\u024f])")


def spacing_edits(text: str) -> list[Edit]:
    # cheap scan with the standard ``re`` for glued punctuation, then the precise rules at each hit
    edits: list[Edit] = []
    for cand in _CANDIDATE_RE.finditer(text):
        i = cand.start()  # the punctuation
        c = text[i]
        if c in ",;":
            m = COMMA_RE.match(text, i)
            if m is not None and not _skip(text, i, dots_allowed=1):
                edits.append(Edit(NAME_SPACING, i + 1, i + 1, "", " "))
            continue
        m = INITIALS_RE.match(text, i + 1)
        if m is not None:
            if not _skip(text, i, dots_allowed=8):
                edits.append(Edit(NAME_SPACING, i + 1, i + 1, "", " ", "after initials"))
            continue
        m = PERIOD_RE.match(text, i)
        if m is not None and not _skip(text, i, dots_allowed=1):
            edits.append(Edit(NAME_SPACING, i + 1, i + 1, "", " "))
    return edits


def fix_spacing(text: str) -> Outcome:
    edits = spacing_edits(text)
    return outcome(text, edits) if edits else unchanged(text)
