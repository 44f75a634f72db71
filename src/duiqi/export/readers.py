"""Reading pairs back (for ``duiqi filter`` and evaluation): JSONL, TSV and Parquet."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

from duiqi.errors import InputError, MissingDependencyError
from duiqi.export.schema import from_tsv_row, pair_columns
from duiqi.io.lines import iter_lines, loads_record
from duiqi.lang import DEFAULT_PAIR
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


def read_pairs(path: str, src_lang: str = DEFAULT_PAIR.src, tgt_lang: str = DEFAULT_PAIR.tgt) -> Iterator[Pair]:
    """Yield the pairs of a JSONL, TSV (``src<TAB>tgt[<TAB>score...]``, optionally with a header row) or
    Parquet file.

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
    columns: list[str] | None = None
    first = True
    for lineno, line, _ in iter_lines(path):
        if not line.strip():
            continue
        if ext in (".tsv", ".txt"):
            cells = line.split("\t")
            if first and cells[:2] == ["src", "tgt"]:  # a header row names the columns
                columns, first = cells, False
                continue
            first = False
            if len(cells) < 2:
                raise InputError(path, f"line {lineno}: expected at least 2 tab-separated columns")
            try:
                yield _tsv_pair(cells, columns, src_lang, tgt_lang)
            except (ValueError, KeyError, TypeError) as exc:
                raise InputError(path, f"line {lineno}: not a pair row ({str(exc)[:200]})") from None
            continue
        try:
            yield Pair.from_dict(loads_record(line))
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(path, f"line {lineno}: not a pair record ({str(exc)[:200]})") from None


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


def read_signature(path: str) -> str | None:
    """The signature of the run that wrote the pairs file ``path``: its ``.meta.json`` sidecar, the
    Parquet schema metadata, or the ``manifest.json`` of a ``duiqi run`` folder it sits in; ``None``
    when there is none (a file not written by duiqi)."""
    candidates = [path + ".meta.json"]
    parent = os.path.dirname(os.path.abspath(path))
    if os.path.basename(parent) == "pairs":
        candidates.append(os.path.join(os.path.dirname(parent), "manifest.json"))
    for meta in candidates:
        try:
            with open(meta, encoding="utf-8") as fh:
                sig = json.load(fh).get("signature")
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(sig, str):
            return sig
    if path.lower().endswith(".parquet"):
        try:
            import pyarrow.parquet as pq

            raw = (pq.read_schema(path).metadata or {}).get(b"duiqi.signature")
        except Exception:  # not readable here: read_pairs will say why
            return None
        return raw.decode("utf-8") if raw else None
    return None


#: Columns of TSV files written before the full schema (src, tgt, score, quality, flags; no header).
_LEGACY_TSV = ("src", "tgt", "score", "quality", "flags")


def _tsv_pair(cells: list[str], columns: list[str] | None, src_lang: str, tgt_lang: str) -> Pair:
    """A pair from a TSV row: by the header's column names, else by position (two columns: plain;
    every ``Pair`` field: the full schema; 3-5 columns: the older src/tgt/score/quality/flags layout)."""
    if columns is None:
        full = [name for name, _ in pair_columns()]
        columns = full if len(cells) == len(full) else list(_LEGACY_TSV)
    if len(cells) > len(columns):
        raise ValueError(f"{len(cells)} columns, the header names {len(columns)}")
    return from_tsv_row(dict(zip(columns, cells, strict=False)), _unescape_tsv, src_lang, tgt_lang)
