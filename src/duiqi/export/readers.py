"""Reading pairs back (for ``duiqi filter`` and evaluation): JSONL, TSV and Parquet."""

from __future__ import annotations

import os
from collections.abc import Iterator

from duiqi.errors import InputError, MissingDependencyError
from duiqi.io.lines import iter_lines, loads_record
from duiqi.records import Pair, _finite


def _unescape_tsv(cell: str) -> str:
    out = []
    i = 0
    while i < len(cell):
        c = cell[i]
        if c == "\\" and i + 1 < len(cell):
            nxt = cell[i + 1]
            out.append({"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}.get(nxt, "\\" + nxt))
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def read_pairs(path: str, src_lang: str = "zh", tgt_lang: str = "en") -> Iterator[Pair]:
    """Yield the pairs of a JSONL, TSV (``src<TAB>tgt[<TAB>score...]``) or Parquet file.

    Any encoding ``split`` reads (UTF-8, GB18030, UTF-16 with or without BOM, ...). A line that is not a
    pair -- bad JSON, nested too deeply, a missing text, a score that is not a finite number -- raises
    :class:`InputError` naming the file and the line.
    """
    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"read_pairs: path must be a file path, not {type(path).__name__}")
    path = os.fspath(path)
    ext = os.path.splitext(path)[1].lower()
    if ext == ".parquet":
        yield from _read_parquet(path)
        return
    for lineno, line, _ in iter_lines(path):
        if not line.strip():
            continue
        if ext in (".tsv", ".txt"):
            yield _tsv_pair(line, path, lineno, src_lang, tgt_lang)
            continue
        try:
            yield Pair.from_dict(loads_record(line))
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(path, f"line {lineno}: not a pair record ({str(exc)[:200]})") from None


def _tsv_pair(line: str, path: str, lineno: int, src_lang: str, tgt_lang: str) -> Pair:
    cells = line.split("\t")
    if len(cells) < 2:
        raise InputError(path, f"line {lineno}: expected at least 2 tab-separated columns")
    try:
        score = _finite(cells[2], "score") if len(cells) > 2 and cells[2] else 0.0
        quality = _finite(cells[3], "quality") if len(cells) > 3 and cells[3] else None
    except ValueError as exc:
        raise InputError(path, f"line {lineno}: {exc}") from None
    flags = tuple(f for f in cells[4].split(",") if f) if len(cells) > 4 else ()
    return Pair(_unescape_tsv(cells[0]), _unescape_tsv(cells[1]), src_lang, tgt_lang, score,
                flags=flags, quality=quality)


def _read_parquet(path: str) -> Iterator[Pair]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise MissingDependencyError("Parquet input", "pip install 'duiqi[parquet]'") from None
    try:
        rows = pq.read_table(path).to_pylist()
    except Exception as exc:  # pyarrow raises several types for a missing or broken file
        raise InputError(path, f"not a readable Parquet file ({str(exc)[:200]})") from None
    for n, row in enumerate(rows):
        try:
            yield Pair.from_dict(row)
        except (ValueError, TypeError) as exc:
            raise InputError(path, f"row {n}: not a pair record ({exc})") from None
