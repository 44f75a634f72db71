"""Character knowledge, loaded lazily once: OpenCC converters, script classes, pinyin readings.

A character is *traditional-only* when OpenCC ``t2s`` changes it on its own, *simplified-only* when
``s2t`` changes it, ``t2s`` does not, and it is not also an ordinary traditional character (in Big5,
like 后, 里, 台, 岳, 干).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

from duiqi.errors import MissingDependencyError
from duiqi.text.scripts import opencc_converter

# Han ranges checked for single-character conversion (BMP: Ext A, URO, compatibility ideographs).
_HAN_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))

# Simplified characters that are also regular traditional characters (one-to-many mappings): their
# presence in a traditional line says nothing about mechanical conversion.
_BOTH_SCRIPTS = set(
    "后里台面干才只么范于系制准丑出几冲余卷借谷回征志恶划伙松托斗历朴板表别卜布采彩虫党淀吊迭冬丰复刮广合"
    "胡汇获家价姜尽困腊蜡累了霉蒙弥蔑灭篾苹仆千签秋曲确舍沈胜苏坛涂团洼纤咸向须旋叶佣涌御吁郁愿云运扎折"
    "症致钟种朱筑占厂党斗奸据克困历帘怜了凌梁踪只致周注准佑游御吁"
)

TONE_MARKS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_TONE_TABLE = str.maketrans(
    "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ",
    "aaaaeeeeiiiioooouuuuüüüünnnm",
)

# A pinyin-like token: latin letters with optional tone marks (composed or combining).
PINYIN_LETTERS = "a-zA-ZüÜê" + TONE_MARKS + "\u0300\u0301\u0304\u030c"


def _require(module: str, extra: str = "") -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependencyError(module, f"pip install {extra or module}") from None


_SURROGATES_RE = re.compile(r"([\ud800-\udfff]+)")


def convert(text: str, config: str) -> str:
    """OpenCC conversion; lone surrogates (which OpenCC cannot encode) are kept as they are."""
    cc = opencc_converter(config)
    try:
        return str(cc.convert(text))
    except UnicodeEncodeError:
        parts = _SURROGATES_RE.split(text)
        return "".join(p if i % 2 else str(cc.convert(p)) for i, p in enumerate(parts))


def _single_char_changes(config: str) -> frozenset[str]:
    chars = [chr(c) for lo, hi in _HAN_RANGES for c in range(lo, hi)]
    out = convert("\n".join(chars), config).split("\n")
    if len(out) != len(chars):  # pragma: no cover - OpenCC never merges lines
        return frozenset(c for c in chars if convert(c, config) != c)
    return frozenset(c for c, o in zip(chars, out, strict=True) if c != o)


@functools.cache
def traditional_only() -> frozenset[str]:
    return _single_char_changes("t2s")


def _in_big5(c: str) -> bool:
    try:
        c.encode("cp950")
    except UnicodeEncodeError:
        return False
    return True


@functools.cache
def simplified_only() -> frozenset[str]:
    """s2t, s2hk and s2tw all change it, and it is not a traditional character itself (absent from Big5,
    not 后/里/岳...)."""
    cands = _single_char_changes("s2t") - traditional_only() - _BOTH_SCRIPTS
    # Hong Kong and Taiwan standard forms (温, 户, 脱 in HK) are traditional text too
    cands &= _single_char_changes("s2hk") & _single_char_changes("s2tw")
    return frozenset(c for c in cands if not _in_big5(c))


def _char_class(chars: frozenset[str]) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"


# Large character classes use the standard library's ``re``: it compiles them to a bitmap and scans
# hundreds of times faster than ``regex`` does for a 4,000-character set.
@functools.cache
def traditional_re() -> re.Pattern[str]:
    return re.compile(_char_class(traditional_only()))


@functools.cache
def simplified_re() -> re.Pattern[str]:
    return re.compile(_char_class(simplified_only()))


def count_traditional(text: str) -> int:
    return len(traditional_re().findall(text))


def count_simplified(text: str) -> int:
    return len(simplified_re().findall(text))


@functools.cache
def _pinyin_dict() -> dict[int, str]:
    _require("pypinyin")
    from pypinyin.constants import PINYIN_DICT

    return dict(PINYIN_DICT)


@functools.cache
def readings(ch: str) -> frozenset[str]:
    """Toned readings of one character (pypinyin heteronyms), NFC."""
    raw = _pinyin_dict().get(ord(ch), "")
    return frozenset(unicodedata.normalize("NFC", r) for r in raw.split(",") if r)


def strip_tone(syllable: str) -> str:
    return syllable.translate(_TONE_TABLE)


def has_tone(syllable: str) -> bool:
    return any(c in TONE_MARKS for c in syllable)


@functools.cache
def syllables() -> frozenset[str]:
    """Every toneless pinyin syllable pypinyin knows (a, ai, ..., zuo)."""
    out: set[str] = set()
    for raw in _pinyin_dict().values():
        for r in raw.split(","):
            base = strip_tone(unicodedata.normalize("NFC", r))
            if (base.isalpha() and base.isascii()) or "ü" in base:
                out.add(base)
    return frozenset(out)


def is_syllable(token: str) -> bool:
    """One pinyin syllable, toned or not (lower case)."""
    t = unicodedata.normalize("NFC", token)
    return t == t.lower() and strip_tone(t) in syllables()
