"""Pair writers. Each format is a small function ``(pairs, fh, meta) -> count``."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

from duiqi import __version__
from duiqi.atomic import atomic_write, is_regular_output
from duiqi.errors import DuiqiError
from duiqi.io.text import clean_id
from duiqi.records import Pair
from duiqi.signature import signature

FORMATS = ("jsonl", "tsv", "tmx", "beads", "parquet")
_EXTENSIONS = {
    ".jsonl": "jsonl",
    ".json": "jsonl",
    ".tsv": "tsv",
    ".txt": "tsv",
    ".tmx": "tmx",
    ".beads": "beads",
    ".align": "beads",
    ".parquet": "parquet",
}


def format_from_path(path: str | None, default: str = "jsonl") -> str:
    """The output format implied by a file name (``.jsonl .tsv .tmx .beads .align .parquet``)."""
    if not path or path == "-":
        return default
    ext = os.path.splitext(path)[1].lower()
    return _EXTENSIONS.get(ext, default)


def _tsv_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _write_jsonl(pairs: Iterable[Pair], fh: IO[str], meta: Mapping[str, Any]) -> int:
    n = 0
    for pair in pairs:
        fh.write(json.dumps(pair.to_dict(), ensure_ascii=False))
        fh.write("\n")
        n += 1
    return n


def _write_tsv(pairs: Iterable[Pair], fh: IO[str], meta: Mapping[str, Any]) -> int:
    """Columns: source text, target text, score, quality (empty when unscored), flags (comma-separated).

    Tabs, newlines and backslashes inside texts are escaped (``\\t``, ``\\n``, ``\\\\``); no header row,
    so the file feeds MT tools directly.
    """
    n = 0
    for pair in pairs:
        quality = "" if pair.quality is None else f"{pair.quality:.4f}"
        cells = [_tsv_cell(pair.src), _tsv_cell(pair.tgt), f"{pair.score:.4f}", quality, ",".join(pair.flags)]
        fh.write("\t".join(cells))
        fh.write("\n")
        n += 1
    return n


def _ids(ids: Iterable[int]) -> str:
    return "[" + ",".join(str(i) for i in ids) + "]"


def _write_beads(pairs: Iterable[Pair], fh: IO[str], meta: Mapping[str, Any]) -> int:
    """One bead a line: ``[0,1]:[2]:0.8123`` (0-based sentence ids, source first)."""
    n = 0
    for pair in pairs:
        fh.write(f"{_ids(pair.src_ids)}:{_ids(pair.tgt_ids)}:{pair.score:.4f}\n")
        n += 1
    return n


def _tmx_lang(lang: str) -> str:
    return {"zh": "zh-CN", "en": "en"}.get(lang, lang or "und")


def _write_tmx(pairs: Iterable[Pair], fh: IO[str], meta: Mapping[str, Any]) -> int:
    """TMX 1.4b. The header names duiqi, its version and the run signature (a ``prop``)."""
    it = iter(pairs)
    first = next(it, None)
    src_lang = _tmx_lang(first.src_lang if first else str(meta.get("src_lang", "zh")))
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    fh.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    fh.write('<tmx version="1.4">\n')
    fh.write(
        f'  <header creationtool="duiqi" creationtoolversion={_xml_attr(__version__)} '
        f'datatype="plaintext" segtype="sentence" adminlang="en" srclang={_xml_attr(src_lang)} '
        f'o-tmf="duiqi" creationdate="{stamp}">\n'
    )
    fh.write(f'    <prop type="x-duiqi-signature">{_xml_text(str(meta["signature"]))}</prop>\n')
    fh.write("  </header>\n  <body>\n")
    n = 0
    pair = first
    while pair is not None:
        fh.write("    <tu>\n")
        fh.write(f'      <prop type="x-score">{pair.score:.4f}</prop>\n')
        if pair.quality is not None:
            fh.write(f'      <prop type="x-quality">{pair.quality:.4f}</prop>\n')
        if pair.doc:
            fh.write(f'      <prop type="x-doc">{_xml_text(clean_id(pair.doc))}</prop>\n')
        if pair.flags:
            fh.write(f'      <prop type="x-flags">{_xml_text(",".join(pair.flags))}</prop>\n')
        for lang, text in ((pair.src_lang, pair.src), (pair.tgt_lang, pair.tgt)):
            fh.write(f'      <tuv xml:lang={_xml_attr(_tmx_lang(lang))}><seg>{_xml_text(text)}</seg></tuv>\n')
        fh.write("    </tu>\n")
        n += 1
        pair = next(it, None)
    fh.write("  </body>\n</tmx>\n")
    return n


# What XML 1.0 forbids: C0 controls other than tab/newline/CR, lone surrogates, U+FFFE and U+FFFF.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (they cannot be escaped, only dropped)."""
    return _XML_FORBIDDEN.sub("", text)


def _xml_text(text: str) -> str:
    """Element content: forbidden characters dropped, ``& < >`` escaped."""
    return escape(_xml_safe(text))


def _xml_attr(text: str) -> str:
    """A quoted attribute value: forbidden characters dropped, quotes and newlines escaped."""
    return quoteattr(_xml_safe(text))


_TEXT_WRITERS: dict[str, Callable[[Iterable[Pair], IO[str], Mapping[str, Any]], int]] = {
    "jsonl": _write_jsonl,
    "tsv": _write_tsv,
    "tmx": _write_tmx,
    "beads": _write_beads,
}


def _write_parquet(pairs: Iterable[Pair], path: str, meta: Mapping[str, Any]) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        from duiqi.errors import MissingDependencyError

        raise MissingDependencyError("Parquet output", "pip install 'duiqi[parquet]'") from None
    rows = [p.to_dict() for p in pairs]
    schema = pa.schema(
        [
            ("src", pa.string()),
            ("tgt", pa.string()),
            ("src_lang", pa.string()),
            ("tgt_lang", pa.string()),
            ("score", pa.float64()),
            ("quality", pa.float64()),
            ("src_ids", pa.list_(pa.int32())),
            ("tgt_ids", pa.list_(pa.int32())),
            ("doc", pa.string()),
            ("flags", pa.list_(pa.string())),
        ],
        metadata={b"duiqi.signature": str(meta["signature"]).encode("utf-8")},
    )
    table = pa.Table.from_pylist([{**r, "quality": r.get("quality")} for r in rows], schema=schema)
    with atomic_write(path, "wb") as fh:
        pq.write_table(table, fh)
    return len(rows)


def _checked_pairs(pairs: Iterable[Pair]) -> Iterator[Pair]:
    for n, pair in enumerate(pairs):
        if not isinstance(pair, Pair):
            raise TypeError(f"write_pairs: item {n} is a {type(pair).__name__}, not a duiqi.records.Pair "
                            "(Pair.from_dict makes one from a dict)")
        yield pair


def write_pairs(
    pairs: Iterable[Pair],
    out: str | IO[str] | None,
    fmt: str | None = None,
    *,
    settings: Mapping[str, Any] | None = None,
    sidecar: bool = True,
) -> int:
    """Write ``pairs`` to ``out`` (a path, ``-``/``None`` for stdout, or an open text file).

    ``fmt`` defaults from the file extension. A path is written atomically; with ``sidecar`` a
    ``<path>.meta.json`` records the signature of ``settings``, the format and the pair count.
    Returns the number of pairs written.
    """
    import sys

    settings = dict(settings or {})
    sig = signature(settings)
    meta = {"signature": sig, "settings": settings}
    if isinstance(out, os.PathLike):
        out = os.fspath(out)
    if out is not None and not isinstance(out, str) and not hasattr(out, "write"):
        raise TypeError(f"write_pairs: out must be a path, '-', None or an open text file, not {type(out).__name__}")
    path = out if isinstance(out, str) else None
    if isinstance(pairs, str | bytes | Pair) or not hasattr(pairs, "__iter__"):
        raise TypeError(f"write_pairs: pairs must be an iterable of duiqi.records.Pair, not {type(pairs).__name__}")
    pairs = _checked_pairs(pairs)
    fmt = fmt or format_from_path(path)
    if fmt not in FORMATS:
        raise DuiqiError(f"unknown output format {fmt!r} (choose from {', '.join(FORMATS)})")
    if fmt == "parquet":
        if path is None or path == "-":
            raise DuiqiError("Parquet output needs a file path, not standard output")
        n = _write_parquet(pairs, path, meta)
    else:
        writer = _TEXT_WRITERS[fmt]
        if path is not None and path != "-":
            with atomic_write(path) as fh:
                n = writer(pairs, fh, meta)
        else:
            stream = sys.stdout if out is None or out == "-" else out
            assert not isinstance(stream, str)
            n = writer(pairs, stream, meta)
    if sidecar and path is not None and is_regular_output(path):  # no sidecar beside stdout, a device or a FIFO
        info = {"signature": sig, "settings": settings, "format": fmt, "pairs": n, "duiqi": __version__}
        with atomic_write(path + ".meta.json") as fh:
            json.dump(info, fh, ensure_ascii=False, indent=2, default=str)
            fh.write("\n")
    return n
