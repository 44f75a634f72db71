"""Line-oriented inputs (JSONL documents, pair files, TSV): one way to decode a line and parse a record.

* :func:`decode_line` -- a line's bytes as text: UTF-8, else what :func:`duiqi.io.decode.decode_bytes`
  detects (GB18030, Big5, ...), so every reader accepts the encodings ``split`` accepts;
* :func:`iter_lines` -- the numbered lines of a file, streamed; UTF-16/32 files (with or without a
  byte-order mark) are decoded whole first (their newlines are not the byte ``\\n``);
* :func:`loads_record` -- ``json.loads`` for one record, where a record nested too deeply is a
  ``ValueError`` (a bad record) instead of a ``RecursionError`` that would stop the whole file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from duiqi.io.decode import _BOMS, _utf16_without_bom, decode_bytes, open_binary

#: Records nested deeper than this are refused (no real document record comes near it).
MAX_JSON_DEPTH = 200


def _depth_exceeds(text: str, limit: int) -> bool:
    """True when brackets outside strings nest deeper than ``limit`` (a linear scan, no recursion)."""
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    in_string = escaped = False
    for c in text:
        if in_string:
            if escaped:
                escaped = False
            elif c == "\\":
                escaped = True
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c in "[{":
            depth += 1
            if depth > limit:
                return True
        elif c in "]}":
            depth -= 1
    return False


def loads_record(line: str | bytes) -> Any:
    """Parse one JSON record; ``ValueError`` for bad JSON and for records nested more than
    :data:`MAX_JSON_DEPTH` deep (never ``RecursionError``). Bytes are decoded with :func:`decode_line`."""
    text = decode_line(line)[0] if isinstance(line, bytes) else line
    if _depth_exceeds(text, MAX_JSON_DEPTH):
        raise ValueError(f"JSON nested more than {MAX_JSON_DEPTH} levels deep")
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


def decode_line(raw: bytes, source: str | None = None, encoding: str | None = None) -> tuple[str, str]:
    """(text, encoding) of one line: ``encoding`` if given, else UTF-8, else detected."""
    if encoding:
        return decode_bytes(raw, source=source, encoding=encoding).text, encoding
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        decoded = decode_bytes(raw, source=source)
        return decoded.text, decoded.encoding


def wide_encoding(head: bytes) -> str | None:
    """The UTF-16/32 codec of a file starting with ``head`` (BOM or NUL pattern), else ``None``."""
    for bom, enc in _BOMS:
        if head.startswith(bom) and enc != "utf-8":
            return enc
    sample = head[: len(head) - len(head) % 2]
    return _utf16_without_bom(sample) if len(sample) >= 4 else None


def iter_lines(path: str, encoding: str | None = None) -> Iterator[tuple[int, str, str]]:
    """(line number, text without line end, encoding) for every line of ``path``, blank ones included.

    Errors opening the file are :class:`InputError` naming it; a FIFO or device is refused.
    """
    with open_binary(path) as fh:
        head = fh.read(4096)
        fh.seek(0)
        wide = None if encoding else wide_encoding(head)
        if wide is not None or (encoding and encoding.lower().replace("_", "-").startswith(("utf-16", "utf-32"))):
            decoded = decode_bytes(fh.read(), source=path, encoding=encoding)
            for lineno, line in enumerate(decoded.text.split("\n"), start=1):
                yield lineno, line.rstrip("\r"), decoded.encoding
            return
        for lineno, raw in enumerate(fh, start=1):
            if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            raw = raw.rstrip(b"\r\n")
            if not raw.strip():
                yield lineno, "", encoding or "utf-8"
                continue
            text, used = decode_line(raw, f"{path}:{lineno}", encoding)
            yield lineno, text, used
