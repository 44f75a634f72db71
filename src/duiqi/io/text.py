"""Text clean-up every reader applies: line ends, BOMs, NUL bytes, control characters."""

from __future__ import annotations

import regex

from duiqi.errors import InputError

_LINE_ENDS = regex.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")
# C0 controls other than tab and newline, and C1 controls: never text.
_CONTROLS = regex.compile(r"[\x00-\x08\x0e-\x1f\x7f\x80-\x84\x86-\x9f]")
# Lone surrogates (a broken ``\\udc00`` escape in JSON, a file name in a foreign encoding) are not text and
# cannot be written as UTF-8: they become U+FFFD.
_SURROGATES = regex.compile(r"[\ud800-\udfff]")


def clean_surrogates(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD (writable as UTF-8, XML and Parquet)."""
    return _SURROGATES.sub("\ufffd", text)


def clean_id(ident: str) -> str:
    """A document id safe to write anywhere: lone surrogates escaped as ``\\udcxx`` (an id must stay
    distinguishable, so they are escaped rather than replaced)."""
    return ident.encode("utf-8", "backslashreplace").decode("utf-8")

#: A text with more than this share of NUL/control characters is binary, not damaged text.
MAX_CONTROL_SHARE = 0.05


def normalize_text(text: str, source: str | None = None) -> str:
    """``\\r\\n``, ``\\r`` (old Mac) and Unicode line/paragraph separators become ``\\n``; BOMs anywhere and
    NUL/control characters are dropped (a few NULs appear in crawled text); a text made mostly of control
    characters raises :class:`InputError` (it is a binary file that happened to decode)."""
    if not text:
        return text
    sample = text[:65536]
    n_ctrl = len(_CONTROLS.findall(sample))
    if n_ctrl > MAX_CONTROL_SHARE * len(sample) and n_ctrl > 8:
        raise InputError(source, f"looks like a binary file ({n_ctrl} control characters in the first "
                                 f"{len(sample)} characters)")
    text = _LINE_ENDS.sub("\n", text)
    text = text.replace("\ufeff", "")
    return clean_surrogates(_CONTROLS.sub("", text))
