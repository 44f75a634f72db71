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
from duiqi.errors import ConfigError, DuiqiError, MissingDependencyError
from duiqi.export.formats import FORMATS, check_output, resolve_format
from duiqi.export.schema import arrow_schema, pair_columns, pair_row, tsv_cells
from duiqi.io.text import clean_id
from duiqi.lang import DEFAULT_PAIR, profile
from duiqi.langtags import bcp47
from duiqi.records import Pair
from duiqi.signature import short_signature, signature


def _tsv_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _write_jsonl(pairs: Iterable[Pair], fh: IO[str], meta: Mapping[str, Any]) -> int:
    n = 0
    for pair in pairs:
        fh.write(json.dumps(pair.to_dict(), ensure_ascii=False))
        fh.write("\n")
        n += 1
    return n


TSV_COLUMNS = ("full", "plain")


def _write_tsv(pairs: Iterable[Pair], fh: IO[str], meta: Mapping[str, Any]) -> int:
    """``full`` columns: every field of :class:`Pair` in declaration order (``src tgt src_lang tgt_lang
    score src_ids tgt_ids doc flags quality margin``; lists comma-separated, unset numbers empty);
    ``plain``: source and target text only. A header row names the columns with ``tsv_header``.

    Tabs, newlines and backslashes inside texts are escaped (``\\t``, ``\\n``, ``\\\\``); no header row
    by default, so the file feeds MT tools directly.
    """
    plain = meta.get("tsv_columns", "full") == "plain"
    if meta.get("tsv_header"):
        names = ["src", "tgt"] if plain else [name for name, _ in pair_columns()]
        fh.write("\t".join(names) + "\n")
    n = 0
    for pair in pairs:
        cells = [_tsv_cell(pair.src), _tsv_cell(pair.tgt)] if plain else tsv_cells(pair, _tsv_cell)
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


def _tmx_lang(lang: str, what: str = "language") -> str:
    """A valid BCP 47 tag for ``xml:lang``: the language profile's ``tag`` (``zh`` -> ``zh-CN``), else the
    canonical tag of the code; a marker such as ``other`` is an error."""
    try:
        return profile(lang).tag
    except ConfigError:
        return bcp47(lang, what=what)


def _write_tmx(pairs: Iterable[Pair], fh: IO[str], meta: Mapping[str, Any]) -> int:
    """TMX 1.4b. The header names duiqi, its version and the run signature (``prop``s: the short form,
    then the full one)."""
    it = iter(pairs)
    first = next(it, None)
    default = str(meta.get("settings", {}).get("src_lang", DEFAULT_PAIR.src))  # no pair: the settings' language
    src_lang = _tmx_lang(first.src_lang if first else default, "source language")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    fh.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    fh.write('<tmx version="1.4">\n')
    fh.write(
        f'  <header creationtool="duiqi" creationtoolversion={_xml_attr(__version__)} '
        f'datatype="plaintext" segtype="sentence" adminlang="en" srclang={_xml_attr(src_lang)} '
        f'o-tmf="duiqi" creationdate="{stamp}">\n'
    )
    fh.write(f'    <prop type="x-duiqi-signature">{_xml_text(str(meta["short_signature"]))}</prop>\n')
    fh.write(f'    <prop type="x-duiqi-signature-full">{_xml_text(str(meta["signature"]))}</prop>\n')
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
        for lang, text, side in ((pair.src_lang, pair.src, "source"), (pair.tgt_lang, pair.tgt, "target")):
            tag = _tmx_lang(lang, f"{side} language of pair {n + 1} (doc {pair.doc or '?'})")
            fh.write(f'      <tuv xml:lang={_xml_attr(tag)}><seg>{_xml_text(text)}</seg></tuv>\n')
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
        raise MissingDependencyError("Parquet output", "pip install 'duiqi[parquet]'") from None
    rows = [pair_row(p) for p in pairs]
    schema = arrow_schema({b"duiqi.signature": str(meta["signature"]).encode("utf-8")})
    table = pa.Table.from_pylist(rows, schema=schema)
    with atomic_write(path, "wb") as fh:
        pq.write_table(table, fh)
    return len(rows)


_LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")


def moses_line(text: str) -> str:
    """``text`` on one line: every run of characters that ends a line (for Python's ``splitlines``
    as well as for ``\\n``-only readers) becomes one space."""
    return _LINE_BREAKS.sub(" ", text).strip(" ")


def moses_paths(path: str, src_lang: str, tgt_lang: str) -> tuple[str, str]:
    """``OUT.<src>`` and ``OUT.<tgt>`` (Moses, Marian, fairseq and OpusFilter name corpora so)."""
    return f"{path}.{src_lang}", f"{path}.{tgt_lang}"


def _moses_suffixes(pairs: list[Pair], meta: Mapping[str, Any]) -> tuple[str, str]:
    settings = meta.get("settings", {})
    src = pairs[0].src_lang if pairs else str(settings.get("src_lang", DEFAULT_PAIR.src))
    tgt = pairs[0].tgt_lang if pairs else str(settings.get("tgt_lang", DEFAULT_PAIR.tgt))
    bcp47(src, what="source language"), bcp47(tgt, what="target language")
    if src == tgt:
        raise DuiqiError(f"moses output: source and target are both {src!r}; the two files would be one")
    for p in pairs:
        if (p.src_lang, p.tgt_lang) != (src, tgt):
            raise DuiqiError(f"moses output: pairs in several language pairs ({src}-{tgt}, {p.src_lang}-"
                             f"{p.tgt_lang}); one file pair holds one direction")
    return src, tgt


def _write_moses(pairs: Iterable[Pair], path: str, meta: Mapping[str, Any]) -> tuple[int, list[str]]:
    """Line-parallel plain text: line i of ``OUT.<src>`` translates line i of ``OUT.<tgt>``."""
    rows = list(pairs)
    src_lang, tgt_lang = _moses_suffixes(rows, meta)
    src_path, tgt_path = moses_paths(path, src_lang, tgt_lang)
    with atomic_write(src_path) as fs, atomic_write(tgt_path) as ft:
        for p in rows:
            fs.write(moses_line(p.src) + "\n")
            ft.write(moses_line(p.tgt) + "\n")
    return len(rows), [src_path, tgt_path]


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
    tsv_header: bool = False,
    tsv_columns: str = "full",
    sidecar_extra: Mapping[str, Any] | None = None,
) -> int:
    """Write ``pairs`` to ``out`` (a path, ``-``/``None`` for stdout, or an open text file).

    ``fmt`` defaults from the file extension. A path is written atomically; with ``sidecar`` a
    ``<path>.meta.json`` records the signature of ``settings``, the format and the pair count.
    ``moses`` writes ``<path>.<src_lang>`` and ``<path>.<tgt_lang>`` (sidecar ``<path>.meta.json``).
    ``tsv_header``/``tsv_columns`` (``full`` or ``plain``) shape TSV. Returns the number of pairs written.
    """
    import sys

    settings = dict(settings or {})
    sig = signature(settings)
    if tsv_columns not in TSV_COLUMNS:
        raise DuiqiError(f"unknown TSV columns {tsv_columns!r} (choose from {', '.join(TSV_COLUMNS)})")
    meta = {"signature": sig, "short_signature": short_signature(settings), "settings": settings,
            "tsv_header": tsv_header, "tsv_columns": tsv_columns}
    if isinstance(out, os.PathLike):
        out = os.fspath(out)
    if out is not None and not isinstance(out, str) and not hasattr(out, "write"):
        raise TypeError(f"write_pairs: out must be a path, '-', None or an open text file, not {type(out).__name__}")
    path = out if isinstance(out, str) else None
    if isinstance(pairs, str | bytes | Pair) or not hasattr(pairs, "__iter__"):
        raise TypeError(f"write_pairs: pairs must be an iterable of duiqi.records.Pair, not {type(pairs).__name__}")
    pairs = _checked_pairs(pairs)
    fmt = resolve_format(path, fmt)  # an extension no format claims is an error, never silently JSONL
    if fmt not in FORMATS:
        raise DuiqiError(f"unknown output format {fmt!r} (choose from {', '.join(FORMATS)})")
    files: list[str] = []
    if fmt in ("parquet", "moses"):
        check_output(fmt, path)
        assert path is not None
        if fmt == "parquet":
            n = _write_parquet(pairs, path, meta)
        else:
            n, files = _write_moses(pairs, path, meta)
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
        info: dict[str, Any] = {"signature": sig, "short_signature": meta["short_signature"],
                                "settings": settings, "format": fmt, "pairs": n,
                                "duiqi": __version__}
        info.update(sidecar_extra or {})
        if files:
            info["files"] = [os.path.basename(f) for f in files]
        if fmt == "tsv":
            info["tsv_columns"] = ["src", "tgt"] if tsv_columns == "plain" else [c for c, _ in pair_columns()]
        with atomic_write(path + ".meta.json") as fh:
            json.dump(info, fh, ensure_ascii=False, indent=2, default=str)
            fh.write("\n")
    return n
