"""Script conversion: ``auto`` converts to simplified only where the document was converted mechanically.

Signals of a mechanical simplified-to-traditional conversion (any one suffices):

* ``seo_pinyin`` — the SEO pinyin gate passed (content farms convert, then annotate);
* ``hijacked_page`` — hidden empty HTML tags or injected keyword lines were removed from a page whose
  Chinese is mostly traditional (hijacked mirrors serve converted copies);
* ``mixed_script`` — traditional lines that still hold simplified-only characters (at least 2, from at
  least 2 lines): a converter that missed characters. Genuine Taiwan/Hong Kong text has none.

Without a signal, traditional text is kept. ``simplified`` / ``traditional`` force OpenCC ``t2s`` /
``s2t`` (phrase level); ``keep`` does nothing.
"""

from __future__ import annotations

from duiqi.repair import _chars
from duiqi.repair._edits import Outcome, line_spans, outcome, per_line, unchanged
from duiqi.text.scripts import HAN_RE

NAME = "script"
EXPLANATION = "converted the script with OpenCC (phrase level)"


def mixed_script(text: str) -> bool:
    """Traditional lines that still carry simplified-only characters."""
    if _chars.count_traditional(text) < 10:
        return False
    simp_re = _chars.simplified_re()
    hits = 0
    lines = 0
    for s, e in line_spans(text):
        line = text[s:e]
        n_simp = len(simp_re.findall(line))
        if n_simp and _chars.count_traditional(line) >= 3 * n_simp:
            hits += n_simp
            lines += 1
    return hits >= 2 and lines >= 2


def mostly_traditional(text: str) -> bool:
    trad = _chars.count_traditional(text)
    return trad >= 3 and trad > 2 * _chars.count_simplified(text)


def decide(text: str, mode: str, seo_pinyin: bool, hijacked: bool) -> tuple[str | None, str]:
    """(OpenCC config or None, reason)."""
    if mode == "keep":
        return None, "keep"
    if mode == "simplified":
        return "t2s", "forced"
    if mode == "traditional":
        return "s2t", "forced"
    if seo_pinyin:
        return "t2s", "seo_pinyin"
    if _chars.traditional_re().search(text) is None:
        return None, "no traditional characters"
    if hijacked and mostly_traditional(text):
        return "t2s", "hijacked_page"
    if mixed_script(text):
        return "t2s", "mixed_script"
    return None, "genuine traditional kept"


def fix(text: str, config: str | None) -> Outcome:
    if config is None:
        return unchanged(text)
    trigger = _chars.traditional_re().search if config == "t2s" else HAN_RE.search
    edits = per_line(NAME, text, lambda line: _chars.convert(line, config), lambda line: trigger(line) is not None)

    return outcome(text, edits)
