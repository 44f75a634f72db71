"""SEO pinyin injection: ``充分發(fā)揮`` -> ``充分發揮``, decided for the whole document.

Content-farm mirrors convert simplified text to traditional and put the toned pinyin of some
characters in ASCII parentheses right after them. Legitimate glosses look the same locally, so the
decision is made on the document (see NOISE.md §1): an annotation is *good* when its syllable is one
reading of the character (pypinyin heteronyms of the character or of its simplified form; toneless
only for a neutral-tone reading), the character is traditional-only (OpenCC t2s changes it) and its
line is traditional. The document is SEO-noised when

* there are good annotations and at most 10 % of the pinyin-like annotations are not good
  (textbook glosses, poems and exams annotate script-invariant or simplified characters); lines
  where bad annotations are the majority (a poem or gloss list quoted in the page) are set aside,
  but they may hold at most a third of all annotations;
* a character that is annotated once is annotated (nearly) everywhere (measured: always; 80 % is
  tolerated for GBK slips from 10 annotations on, below that it must be everywhere);
* at least 3 % of the traditional-only characters are annotated (measured: 4-81 %);
* annotations sit inside running prose (a Han character on at least one side), not in lists.

Only good annotations are removed, and none on lines where bad ones are the majority (a poem or
gloss list quoted in the page). Simplified toneless annotations on characters inside words
(``想(xiang)象``, spam pages) are flagged ``pinyin-spam``, never repaired.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from dataclasses import dataclass

import regex

from duiqi.repair import _chars
from duiqi.repair._edits import Outcome, outcome, unchanged
from duiqi.repair.model import Edit, Flag
from duiqi.text.scripts import is_ideograph

NAME = "pinyin"
EXPLANATION = "removed SEO pinyin annotation (document shows the injection signature)"

ANNOTATION_RE = regex.compile(r"(\p{Han})\(([" + _chars.PINYIN_LETTERS + r"]{1,12})( ?)\)")
_QUICK_RE = regex.compile(r"\p{Han}\([" + _chars.PINYIN_LETTERS + r"]")

_NEWLINE_RE = re.compile("\n")

MAX_BAD_SHARE = 0.10
MIN_CONSISTENCY = 0.8
MIN_COVERAGE = 0.03
MIN_PROSE_SHARE = 0.5
MAX_GLOSS_SHARE = 1 / 3
MIN_FOR_TOLERANCE = 10  # below this many annotations, a single unannotated occurrence rules injection out


@dataclass(frozen=True, slots=True)
class Annotation:
    start: int  # of the annotated character
    end: int  # after ")"
    char: str
    syllable: str
    toned: bool
    good: bool
    toneless_reading: bool  # toneless syllable that is a reading of the character
    in_word: bool  # Han on at least one side
    line: int


@dataclass(frozen=True, slots=True)
class PinyinAnalysis:
    annotations: tuple[Annotation, ...]
    seo: bool
    good: int
    bad: int
    consistency: float
    coverage: float
    prose_share: float

    def summary(self) -> dict[str, object]:
        return {"seo_pinyin": self.seo, "annotations_good": self.good, "annotations_bad": self.bad,
                "consistency": round(self.consistency, 3), "coverage": round(self.coverage, 3),
                "prose_share": round(self.prose_share, 3)}


EMPTY = PinyinAnalysis((), False, 0, 0, 1.0, 0.0, 0.0)


def _line_is_traditional(line: str) -> bool:
    trad = _chars.count_traditional(line)
    return trad > 0 and _chars.count_simplified(line) * 2 < trad


@functools.cache
def _pinyin_like(raw: str) -> str | None:
    """The NFC syllable when ``raw`` is one pinyin syllable (toned, or toneless of two letters or more)."""
    syl = unicodedata.normalize("NFC", raw)
    base = _chars.strip_tone(syl)
    return syl if _chars.is_syllable(syl) and (len(base) >= 2 or _chars.has_tone(syl)) else None


@functools.cache
def _classify(ch: str, syl: str) -> tuple[bool, bool, bool]:
    """(toned, reading-valid-for-the-injector, toneless reading) of ``ch(syl)``, line aside."""
    trad = ch in _chars.traditional_only()
    toned = _chars.has_tone(syl)
    reads = _chars.readings(ch)
    if syl not in reads and trad:
        # the injector may read the simplified source (發 as 发: fà), so its readings count too
        reads = reads | _chars.readings(_chars.convert(ch, "t2s"))
    toneless_reading = not toned and syl in {_chars.strip_tone(r) for r in reads}
    # neutral tone (們(men), 麼(me)) is written without a mark: as good as a toned reading
    injected = trad and (syl in reads or toneless_reading)
    return toned, injected, toneless_reading


def find_annotations(text: str) -> list[Annotation]:
    if "(" not in text or not _QUICK_RE.search(text):
        return []
    out: list[Annotation] = []
    newlines = [m.start() for m in _NEWLINE_RE.finditer(text)]
    line_trad: dict[int, bool] = {}
    n = len(text)
    for m in ANNOTATION_RE.finditer(text):
        syl = _pinyin_like(m.group(2))
        if syl is None:
            continue
        line_no = bisect.bisect_left(newlines, m.start())
        if line_no not in line_trad:
            start = newlines[line_no - 1] + 1 if line_no else 0
            end = newlines[line_no] if line_no < len(newlines) else n
            line_trad[line_no] = _line_is_traditional(text[start:end])
        ch = m.group(1)
        toned, injected, toneless_reading = _classify(ch, syl)
        s, e = m.start(), m.end()
        in_word = (s > 0 and is_ideograph(text[s - 1])) or (e < n and is_ideograph(text[e]))
        out.append(Annotation(s, e, ch, syl, toned, injected and line_trad[line_no], toneless_reading,
                              in_word, line_no + 1))
    return out


def gloss_lines(annotations: tuple[Annotation, ...] | list[Annotation]) -> set[int]:
    """Lines where bad annotations are at least as many as good ones: a quoted poem or gloss list."""
    score: dict[int, int] = {}
    for a in annotations:
        score[a.line] = score.get(a.line, 0) + (1 if a.good else -1)
    return {line for line, v in score.items() if v <= 0}


def analyze(text: str) -> PinyinAnalysis:
    anns = find_annotations(text)
    if not anns:
        return EMPTY
    glosses = gloss_lines(anns)
    outside = [a for a in anns if a.line not in glosses]
    good = [a for a in outside if a.good]
    bad = len(outside) - len(good)
    if not good:
        return PinyinAnalysis(tuple(anns), False, 0, len(anns), 1.0, 0.0, 0.0)
    annotated_chars: dict[str, int] = {}
    for a in good:
        annotated_chars[a.char] = annotated_chars.get(a.char, 0) + 1
    total = sum(text.count(c) for c in annotated_chars)
    consistency = len(good) / total if total else 1.0
    trad_total = _chars.count_traditional(text)
    coverage = len(good) / trad_total if trad_total else 0.0
    prose_share = sum(a.in_word for a in good) / len(good)
    seo = (
        bad <= MAX_BAD_SHARE * len(good)
        and len(anns) - len(outside) <= MAX_GLOSS_SHARE * len(anns)
        and consistency >= (MIN_CONSISTENCY if len(good) >= MIN_FOR_TOLERANCE else 1.0)
        and coverage >= MIN_COVERAGE
        and prose_share >= MIN_PROSE_SHARE
    )
    return PinyinAnalysis(tuple(anns), seo, len(good), bad, consistency, coverage, prose_share)


def fix(text: str, seo: bool | None = None, flags: bool = True, analysis: PinyinAnalysis | None = None
        ) -> Outcome:
    """Strip good annotations when the document gate (``seo``; computed here when None) passes.

    Flags toneless spam annotations (``pinyin-spam``) whatever the gate says. ``analysis`` may be
    passed when it was already computed on this very text.
    """
    if analysis is None:
        analysis = analyze(text)
    if not analysis.annotations:
        return unchanged(text)
    gate = analysis.seo if seo is None else seo
    edits: list[Edit] = []
    found: list[Flag] = []
    if gate:
        # a line where bad annotations are the majority is a gloss/poem quoted in the page: leave it whole
        glosses = gloss_lines(analysis.annotations)
        for a in analysis.annotations:
            if a.good and a.line not in glosses:
                edits.append(Edit(NAME, a.start + 1, a.end, text[a.start + 1:a.end], "", f"{a.char}({a.syllable})"))
    if flags:
        toneless = [a for a in analysis.annotations if a.toneless_reading and a.in_word and a.char not in
                    _chars.traditional_only()]
        toned = sum(1 for a in analysis.annotations if a.toned)
        if toneless and len(toneless) >= toned:
            found.extend(Flag("pinyin-spam", a.start, a.end, f"{a.char}({a.syllable})") for a in toneless)
    return outcome(text, edits, found)
