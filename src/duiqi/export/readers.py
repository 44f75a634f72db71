"""Reading pairs back (for ``duiqi filter`` and evaluation): JSONL, TSV and Parquet."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

from duiqi.errors import InputError, MissingDependencyError
from duiqi.records import Pair


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
    """Yield the pairs of a JSONL, TSV (``src<TAB>tgt[<TAB>score...]``) or Parquet file."""
    ext = os.path.splitext(path)[1].lower()
    if ext == ".parquet":
        try:
            import pyarrow.parquet as pq
        except ImportError:
            raise MissingDependencyError("Parquet input", "pip install 'duiqi[parquet]'") from None
        for row in pq.read_table(path).to_pylist():
            yield Pair.from_dict(row)
        return
    try:
        fh = open(path, encoding="utf-8")  # noqa: SIM115 - closed below, generator
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    with fh:
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line.strip():
                continue
            if ext in (".tsv", ".txt"):
                cells = line.split("\t")
                if len(cells) < 2:
                    raise InputError(path, f"line {lineno}: expected at least 2 tab-separated columns")
                score = float(cells[2]) if len(cells) > 2 and cells[2] else 0.0
                quality = float(cells[3]) if len(cells) > 3 and cells[3] else None
                flags = tuple(f for f in cells[4].split(",") if f) if len(cells) > 4 else ()
                yield Pair(_unescape_tsv(cells[0]), _unescape_tsv(cells[1]), src_lang, tgt_lang, score,
                           flags=flags, quality=quality)
                continue
            try:
                yield Pair.from_dict(json.loads(line))
            except (ValueError, KeyError, TypeError) as exc:
                raise InputError(path, f"line {lineno}: not a pair record ({exc})") from None
