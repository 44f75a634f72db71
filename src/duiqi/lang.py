"""Language profiles: everything duiqi knows about one language, in one place.

A :class:`LanguageProfile` says how a language is written and handled: its script (``han`` text is
found by script, ``latin`` text by the language identifier), the sentence splitter's rules, the weight
of one character when lengths are compared across the two sides, how sentences are joined into one span
(no space for Chinese/Japanese, a space otherwise), the codes the language identifier answers for it,
and the tag written to files (BCP 47, e.g. TMX ``xml:lang``). A :class:`LanguagePair` of two profiled
languages is what a pipeline aligns; zh-en is the default and the measured case.

Adding a language is adding a profile::

    from duiqi.lang import LanguageProfile, register_profile
    register_profile(LanguageProfile("es", "Spanish", script="latin", length_factor=0.3))

and ``PipelineConfig(pair=LanguagePair("es", "en"))`` then accepts it. Nothing else changes.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Literal

from duiqi.errors import ConfigError
from duiqi.langtags import bcp47, is_valid_tag

WritingScript = Literal["han", "latin"]


@dataclass(frozen=True, slots=True)
class LanguageProfile:
    """One language as duiqi handles it (frozen; its fields go into the output signature)."""

    code: str
    """duiqi's code for the language (``zh``, ``en``, ``de``): what ``Block.lang``/``Sentence.lang`` say."""
    name: str
    """English name, for messages (``no German text``)."""
    script: WritingScript = "latin"
    """``han``: blocks are found by script (Han characters); ``latin``: Latin-script text whose language
    the identifier names (:mod:`duiqi.segment.langid`)."""
    length_factor: float = 0.3
    """Weight of one character of this language when the lengths of the two sides are compared (a Chinese
    character carries about three Latin letters' worth of meaning: zh 1.0, Latin languages 0.3)."""
    joiner: str = " "
    """Glue between sentences of one span: ``""`` for Chinese/Japanese, ``" "`` for spaced languages."""
    splitter: str = ""
    """Rule set of :func:`duiqi.segment.sentences.split_sentences` (default: ``code``)."""
    langid_codes: tuple[str, ...] = ()
    """ISO 639-1 codes the Latin-script identifier answers for this language (default: ``(code,)``)."""
    tag: str = ""
    """The BCP 47 tag written to outputs (default: :func:`duiqi.langtags.bcp47` of ``code``)."""

    def __post_init__(self) -> None:
        if not self.code or not is_valid_tag(self.code) or self.code != self.code.lower():
            raise ConfigError(f"language code must be a lower-case BCP 47 tag such as de or pt-br, not {self.code!r}")
        if self.script not in ("han", "latin"):
            raise ConfigError(f"{self.code}: script must be han or latin, not {self.script!r}")
        if not self.length_factor > 0:
            raise ConfigError(f"{self.code}: length_factor must be positive, not {self.length_factor}")
        if self.joiner not in ("", " "):
            raise ConfigError(f"{self.code}: joiner must be '' or ' ', not {self.joiner!r}")
        if not self.splitter:
            object.__setattr__(self, "splitter", self.code)
        if not self.langid_codes:
            object.__setattr__(self, "langid_codes", (self.code,) if self.script == "latin" else ())
        if not self.tag:
            object.__setattr__(self, "tag", bcp47(self.code, what=f"language of profile {self.code!r}"))

    def settings(self) -> dict[str, Any]:
        """This profile's signature fields (``lang.de.length:0.3``...)."""
        return {f"lang.{self.code}.length": self.length_factor}


#: Latin-script languages the shipped encoder (multilingual USE) covers, with the same defaults.
_LATIN = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "pt": "Portuguese",
    "nl": "Dutch", "pl": "Polish", "tr": "Turkish",
}

_lock = threading.Lock()
_PROFILES: dict[str, LanguageProfile] = {
    "zh": LanguageProfile("zh", "Chinese", script="han", length_factor=1.0, joiner="", tag="zh-CN"),
    **{code: LanguageProfile(code, name) for code, name in _LATIN.items()},
}


def register_profile(profile: LanguageProfile, *, replace: bool = False) -> LanguageProfile:
    """Make ``profile`` known (process-wide; a corpus run's workers register it in the factory they are
    shipped). Refuses to replace an existing profile unless ``replace``."""
    with _lock:
        if profile.code in _PROFILES and not replace and _PROFILES[profile.code] != profile:
            raise ConfigError(f"a profile for {profile.code!r} exists already; pass replace=True to change it")
        _PROFILES[profile.code] = profile
    return profile


def unregister_profile(code: str) -> None:
    """Forget the profile of ``code`` (tests; the built-in ones may be dropped too)."""
    with _lock:
        _PROFILES.pop(code, None)


def profile(code: str) -> LanguageProfile:
    """The profile of ``code`` (``zh``, ``en``...); :class:`ConfigError` naming the known ones otherwise."""
    try:
        return _PROFILES[code]
    except KeyError:
        raise ConfigError(
            f"no language profile for {code!r} (known: {', '.join(sorted(_PROFILES))}); "
            "add one with duiqi.lang.register_profile"
        ) from None


def known_languages() -> tuple[str, ...]:
    return tuple(sorted(_PROFILES))


@dataclass(frozen=True, slots=True)
class LanguagePair:
    """Source and target language of an alignment, each with a profile (default zh -> en)."""

    src: str = "zh"
    tgt: str = "en"
    _profiles: tuple[LanguageProfile, LanguageProfile] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.src == self.tgt:
            raise ConfigError(f"source and target language are both {self.src!r}; a pair needs two languages")
        object.__setattr__(self, "_profiles", (profile(self.src), profile(self.tgt)))

    def __reduce__(self) -> tuple[Any, tuple[LanguageProfile, LanguageProfile]]:
        """Pickled with its two profiles: a corpus run's worker (another process, started by forkserver,
        spawn or Ray, whose registry holds only the built-in profiles) registers them when it unpickles the
        pair, so a profile added with :func:`register_profile` in the driver works there too."""
        return _pair_from_profiles, self._profiles

    @classmethod
    def from_options(cls, src: str | None, tgt: str | None) -> LanguagePair:
        """The pair for ``--src-lang``/``--tgt-lang`` as given: a missing side is the default pair's
        (zh -> en), or the other one of it when the given side is that one (``tgt='zh'`` -> en -> zh)."""
        default = cls()
        if src is None:
            src = default.src if tgt != default.src else default.tgt
        if tgt is None:
            tgt = default.tgt if src != default.tgt else default.src
        return cls(src, tgt)

    @property
    def source(self) -> LanguageProfile:
        return self._profiles[0]

    @property
    def target(self) -> LanguageProfile:
        return self._profiles[1]

    @property
    def profiles(self) -> tuple[LanguageProfile, LanguageProfile]:
        return self._profiles

    def latin_codes(self) -> frozenset[str]:
        """Identifier codes that name one of the pair's Latin-script languages (kept as themselves)."""
        return frozenset(c for p in self._profiles for c in p.langid_codes)

    def lang_of_code(self, code: str) -> str | None:
        """The pair language an identifier code stands for, or ``None``."""
        for p in self._profiles:
            if code in p.langid_codes:
                return p.code
        return None

    def length_factors(self) -> tuple[float, float]:
        return self.source.length_factor, self.target.length_factor

    def settings(self) -> dict[str, Any]:
        out: dict[str, Any] = {"src_lang": self.src, "tgt_lang": self.tgt}
        for p in self._profiles:
            out.update(p.settings())
        return out



#: The default pair (zh -> en): what a record that does not say its languages is taken to be.
DEFAULT_PAIR = LanguagePair()


def _pair_from_profiles(src: LanguageProfile, tgt: LanguageProfile) -> LanguagePair:
    """The pair of two profiles, each registered first (an unpickled :class:`LanguagePair`: the profiles it was
    made with, also when this process had another one under the same code, e.g. a built-in the driver
    replaced)."""
    with _lock:
        for prof in (src, tgt):
            _PROFILES[prof.code] = prof
    return LanguagePair(src.code, tgt.code)
