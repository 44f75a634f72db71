"""Language of a run of text: ``zh``, ``en``, ``other`` or ``none``, and the Chinese script.

CJK text is decided by script (Han vs kana/hangul, :func:`duiqi.text.langid.cjk_lang`; the Chinese
script by :func:`duiqi.text.scripts.chinese_script`, both re-exported here for the segmenter);
Latin-script text by a real language identifier
behind a tiny interface (:class:`LatinIdentifier`): :class:`Py3LangidIdentifier` (py3langid, a small
naive-Bayes model bundled in its wheel, so it works offline) or the deterministic
:class:`StopwordIdentifier` for tests. English function words decide most English text without the
model; short Latin runs with no other evidence count as English (in a zh/en document a short Latin
run is a name, an acronym or an English title far more often than anything else).

Which Latin-script languages are kept as themselves is the language pair's business: by default only
English (any other answer is ``other``); :class:`PairIdentifier` (built from a
:class:`duiqi.lang.LanguagePair`) keeps the pair's languages, so a de-fr document has ``de`` and ``fr``
blocks.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

import regex

from duiqi.errors import ConfigError, MissingDependencyError
from duiqi.records import EN, NONE, OTHER, Lang
from duiqi.text.langid import cjk_lang as cjk_lang  # re-exported: the segmenter's language decisions
from duiqi.text.scripts import chinese_script as chinese_script
from duiqi.text.stopwords import EN_MARKERS, EN_STOPWORDS

if TYPE_CHECKING:
    from duiqi.lang import LanguagePair

_LATIN_WORD = regex.compile(r"\p{Latin}[\p{Latin}\p{M}'’]*")
_NON_ASCII_LATIN = regex.compile(r"[^\x00-\x7f]")
_PINYIN_TONE = regex.compile(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]")

#: Latin-script languages the model may answer: major ones only, which keeps it from exotic guesses on
#: short English text (Welsh for "Wang nodded."); any non-English answer maps to ``other`` anyway.
LATIN_LANGS: tuple[str, ...] = (
    "en", "de", "fr", "es", "it", "pt", "nl", "sv", "da", "no", "fi", "pl", "cs", "ro", "hu", "tr", "id", "vi",
)


class LatinIdentifier(Protocol):
    """Names the language (ISO 639-1) of a Latin-script text."""

    def identify(self, text: str) -> str: ...


class StopwordIdentifier:
    """Deterministic fake: ``en`` when English function words are present (or the text is ASCII and short),
    otherwise ``xx``. For tests and as a last resort."""

    def identify(self, text: str) -> str:
        words = [w.lower() for w in _LATIN_WORD.findall(text)]
        if not words:
            return "en"
        share = sum(w in EN_STOPWORDS for w in words) / len(words)
        if share >= 0.1 or (len(words) <= 4 and not _NON_ASCII_LATIN.search(text)):
            return "en"
        return "xx"


class Py3LangidIdentifier:
    """py3langid (BSD, model bundled in the wheel) restricted to :data:`LATIN_LANGS`.

    ``prefer``: the language a short or weakly evidenced text is taken to be (English in a zh/en
    document); ``None`` takes the model's answer as it is."""

    def __init__(self, langs: tuple[str, ...] = LATIN_LANGS, prefer: str | None = "en") -> None:
        if prefer not in ("en", None):
            raise ConfigError(f"prefer must be en or None, not {prefer!r}")
        self._langs = langs
        self._prefer = prefer
        self._ident: object | None = None
        self._lock = threading.Lock()

    def _load(self) -> object:
        with self._lock:
            if self._ident is None:
                try:
                    from py3langid.langid import MODEL_FILE, LanguageIdentifier
                except ImportError as exc:
                    raise MissingDependencyError(
                        "py3langid (language identification)", "pip install py3langid"
                    ) from exc
                ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
                ident.set_languages([x for x in self._langs if x in ident.nb_classes])
                self._ident = ident
            return self._ident

    def identify(self, text: str) -> str:
        ident = self._load()
        ranked = ident.rank(text)  # type: ignore[attr-defined]
        top, p_top = ranked[0]
        if self._prefer is None:
            return str(top)
        if top == "en":
            return "en"
        p_en = next((p for lang, p in ranked if lang == "en"), 0.0)
        letters = sum(c.isalpha() for c in text)
        if letters < 16:
            # A few letters: another language only on clear evidence ("Guten Tag", "Merci beaucoup").
            return str(top) if p_top >= 0.35 and p_top >= 3 * p_en else "en"
        # Weak evidence against English on a short ASCII text: keep English.
        if p_en >= 0.33 * p_top and letters < 40 and not _NON_ASCII_LATIN.search(text):
            return "en"
        return str(top)


@functools.lru_cache(maxsize=1)
def default_identifier() -> LatinIdentifier:
    return Py3LangidIdentifier()


@functools.lru_cache(maxsize=8)
def _pair_base(langs: tuple[str, ...], prefer: str | None) -> LatinIdentifier:
    return Py3LangidIdentifier(langs, prefer=prefer)


class PairIdentifier:
    """Latin-script language id for one language pair: an identifier answer that names one of the pair's
    languages (``codes``: identifier code -> duiqi code) is kept as that language; English is English;
    anything else is ``other``. Pairs without English take the model's answer for short texts too."""

    def __init__(self, codes: Mapping[str, str], base: LatinIdentifier | None = None) -> None:
        self.codes = dict(codes)
        self._base = base

    @classmethod
    def for_pair(cls, pair: LanguagePair, base: LatinIdentifier | None = None) -> PairIdentifier:
        codes = {c: p.code for p in pair.profiles for c in p.langid_codes}
        return cls(codes, base)

    def identify(self, text: str) -> str:
        base = self._base
        if base is None:
            langs = tuple(dict.fromkeys((*LATIN_LANGS, *self.codes)))
            prefer = "en" if self.codes.get("en") == EN or not self.codes else None
            base = default_identifier() if (langs, prefer) == (LATIN_LANGS, "en") else _pair_base(langs, prefer)
            self._base = base  # chosen once (the model itself is loaded on the first Latin-script text only)
        return base.identify(text)


def latin_lang(text: str, identifier: LatinIdentifier | None = None) -> tuple[Lang, str]:
    """(language, ISO code) of a Latin-script text: ``en``, a language of the pair when ``identifier`` is
    a :class:`PairIdentifier`, else ``other``; ``none`` without letters."""
    words = [w.lower() for w in _LATIN_WORD.findall(text)]
    if not words:
        return NONE, ""
    stop = sum(w in EN_STOPWORDS for w in words)
    strong = {w for w in words if w in EN_MARKERS}
    if len(words) >= 3 and stop / len(words) >= 0.2 and len(strong) >= 2 and not _NON_ASCII_LATIN.search(text):
        return EN, "en"  # fast path: plain English
    if len(words) <= 3 and sum(len(w) for w in words) < 16:
        if _PINYIN_TONE.search(text) and all(_PINYIN_TONE.search(w) or len(w) <= 2 for w in words):
            return OTHER, "pinyin"
        english_pair = not isinstance(identifier, PairIdentifier) or "en" in identifier.codes
        if len(words) == 1 and not _NON_ASCII_LATIN.search(text) and english_pair:
            return EN, "en"  # a name, an acronym, one English word
    code = (identifier or default_identifier()).identify(text)
    if code == "en":
        return EN, code
    if isinstance(identifier, PairIdentifier) and code in identifier.codes:
        return identifier.codes[code], code
    return OTHER, code
