"""Bytes to text: BOMs, UTF-8, UTF-16, GB18030/GBK, Big5 and whatever charset-normalizer detects.

Undecodable or binary input raises :class:`duiqi.errors.InputError` naming the source, never a crash.
"""

from __future__ import annotations

import codecs
import sys
from dataclasses import dataclass
from typing import BinaryIO

from duiqi.errors import InputError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Chinese encodings tried in this order before the general detector: most crawled Chinese text is
# UTF-8 or GB18030 (a superset of GBK/GB2312); Big5 is for Taiwan/Hong Kong sources.
_CJK_CANDIDATES = ("gb18030", "big5")


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if not sample:
        return False
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27, 0))
    nuls = sample.count(0)
    return nuls > len(sample) * 0.3 or controls > len(sample) * 0.1


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without BOM shows as NULs on every other byte for ASCII-heavy text."""
    if len(data) < 4 or len(data) % 2:
        return None
    even = data[0::2][:4096]
    odd = data[1::2][:4096]
    if odd.count(0) > len(odd) * 0.3 and even.count(0) < len(even) * 0.05:
        return "utf-16-le"
    if even.count(0) > len(even) * 0.3 and odd.count(0) < len(odd) * 0.05:
        return "utf-16-be"
    return None


def _cjk_score(text: str) -> float:
    """Share of characters that are CJK ideographs or common CJK punctuation among non-ASCII ones."""
    non_ascii = [c for c in text if ord(c) > 127]
    if not non_ascii:
        return 1.0
    good = sum(
        1
        for c in non_ascii
        if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"
        or c in "“”‘’…—·"
    )
    return good / len(non_ascii)


# The 100 most frequent Chinese characters (simplified, as charset-normalizer lists them), their
# traditional forms, and the commonest punctuation. Real Chinese text, in either script, has a large share
# of them; bytes decoded with the wrong CJK codec (Big5 read as GB18030, GBK read as UTF-16) have almost none.
_COMMON = frozenset(
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行"
    "所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实"
    "來個們動國學實對後從於時會樣沒爲為現當發種經裏說這進過還開麼裡"
    "，。、：；！？「」“”《》（）"
)


def _common_share(text: str) -> float:
    """Share of the CJK characters of ``text`` that are among the commonest ones (0 when none is CJK)."""
    cjk = [c for c in text[:20000] if "\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef"]
    if not cjk:
        return 0.0
    return sum(1 for c in cjk if c in _COMMON) / len(cjk)


def _utf16_chinese(data: bytes) -> Decoded | None:
    """Chinese-heavy UTF-16 without BOM (few ASCII characters, so few NULs): accepted when it decodes
    strictly into mostly CJK text made of common characters."""
    if len(data) < 4 or len(data) % 2:
        return None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _cjk_score(text) >= 0.9 and _common_share(text) >= 0.12 and not _looks_binary(text.encode("utf-8")):
            return Decoded(text, enc)
    return None


def decode_bytes(data: bytes, source: str | None = None, encoding: str | None = None) -> Decoded:
    """Decode ``data``; ``encoding`` forces a codec, otherwise it is detected.

    Raises :class:`InputError` (naming ``source``) when the bytes are binary or undecodable.
    """
    if encoding:
        try:
            return Decoded(data.decode(encoding), encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputError(source, f"cannot decode as {encoding}: {exc}") from None
    if not data:
        return Decoded("", "utf-8")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom):].decode(enc), enc + "-sig" if enc == "utf-8" else enc)
            except UnicodeDecodeError as exc:
                raise InputError(source, f"starts with a {enc} byte-order mark but is not {enc}: {exc}") from None
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            return Decoded(data.decode(utf16), utf16)
        except UnicodeDecodeError:
            pass
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    wide = _utf16_chinese(data)
    if wide is not None:
        return wide
    if _looks_binary(data):
        raise InputError(source, "looks like a binary file, not text")
    # Strict Chinese codecs first: when one decodes cleanly into mostly-CJK text, trust it.
    # Ties (both decode into CJK characters, common with small files) go to the codec whose text is made
    # of common characters: Big5 read as GB18030 gives rare ones.
    best: Decoded | None = None
    best_score: tuple[float, float] = (0.0, 0.0)
    for enc in _CJK_CANDIDATES:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = (_cjk_score(text), _common_share(text))
        if (score[0] >= 0.9) > (best_score[0] >= 0.9) or (
            (score[0] >= 0.9) == (best_score[0] >= 0.9) and (score[1], score[0]) > (best_score[1], best_score[0])
        ):
            best, best_score = Decoded(text, enc), score
    if best is not None and best_score[0] >= 0.9:
        return best
    from charset_normalizer import from_bytes

    match = from_bytes(data).best()
    if match is not None and match.encoding:
        return Decoded(str(match), match.encoding)
    if best is not None:
        return best
    raise InputError(source, "cannot detect the text encoding (not UTF-8, UTF-16, GB18030 or Big5)")


def read_bytes(path: str) -> bytes:
    """The bytes of ``path`` (``-`` = standard input); errors name the file."""
    if path == "-":
        return sys.stdin.buffer.read()
    with open_binary(path) as fh:
        try:
            return fh.read()
        except OSError as exc:
            raise InputError(path, f"cannot be read: {exc.strerror or exc}") from None


def open_binary(path: str) -> BinaryIO:
    """``path`` opened for reading bytes, after :func:`_check_readable`; every error an :class:`InputError`
    naming the file (no such file, a directory, permission denied, a FIFO or device...)."""
    try:
        _check_readable(path)
        return open(path, "rb")  # the caller closes it
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory, not a file") from None
    except PermissionError:
        raise InputError(path, "cannot be read: permission denied") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror or exc}") from None


def _check_readable(path: str) -> None:
    """Refuse what is not a regular file before opening it: a FIFO would block for ever, a device never
    ends. Dangling symbolic links say so."""
    import os
    import stat

    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise InputError(path, "is a symbolic link to a file that does not exist") from None
        raise
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(path)
    if not stat.S_ISREG(st.st_mode):
        raise InputError(path, "is not a regular file (a FIFO, device or socket); not read")


def read_text(path: str, encoding: str | None = None) -> Decoded:
    """Read a file (``-`` is standard input) and decode it. Errors name the file."""
    return decode_bytes(read_bytes(path), source=path, encoding=encoding)
