"""Reading pairs back (for ``duiqi filter`` and evaluation): JSONL, TSV and Parquet."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

from duiqi.errors import InputError, MissingDependencyError
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
        columns: list[str] | None = None
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line.strip():
                continue
            if ext in (".tsv", ".txt"):
                cells = line.split("\t")
                if lineno == 1 and cells[:2] == ["src", "tgt"]:  # a header row names the columns
                    columns = cells
                    continue
                if len(cells) < 2:
                    raise InputError(path, f"line {lineno}: expected at least 2 tab-separated columns")
                try:
                    yield _tsv_pair(cells, columns, src_lang, tgt_lang)
                except (ValueError, KeyError) as exc:
                    raise InputError(path, f"line {lineno}: not a pair row ({exc})") from None
                continue
            try:
                yield Pair.from_dict(json.loads(line))
            except (ValueError, KeyError, TypeError) as exc:
                raise InputError(path, f"line {lineno}: not a pair record ({exc})") from None


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
    from duiqi.export.schema import from_tsv_row, pair_columns

    if columns is None:
        full = [name for name, _ in pair_columns()]
        columns = full if len(cells) == len(full) else list(_LEGACY_TSV)
    if len(cells) > len(columns):
        raise ValueError(f"{len(cells)} columns, the header names {len(columns)}")
    return from_tsv_row(dict(zip(columns, cells, strict=False)), _unescape_tsv, src_lang, tgt_lang)
