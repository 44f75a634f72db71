"""Files to :class:`~duiqi.records.Document`: ``read_document`` (one) and ``iter_documents`` (JSONL gives many).

Formats (see :mod:`duiqi.io.sniff`): ``txt`` (plain text and Markdown), ``html``, ``docx``, ``pdf``,
``jsonl`` (one JSON object per line with a text field, and an id field when present). The format
comes from ``fmt``, else the extension, else the content. Every text goes through
:func:`duiqi.io.text.normalize_text` (``\\n`` line ends, no BOM or NUL bytes).

Anything wrong with a file — missing, a directory, unreadable, empty, binary, encrypted, damaged,
no text — raises one :class:`~duiqi.errors.InputError` naming the file and the reason.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from duiqi.errors import InputError
from duiqi.io.decode import decode_bytes, read_bytes
from duiqi.io.docx import docx_to_text
from duiqi.io.html import decode_html, html_to_text
from duiqi.io.lines import iter_lines, loads_record
from duiqi.io.pdf import pdf_to_text
from duiqi.io.sniff import format_from_extension, resolve_format
from duiqi.io.text import clean_id, normalize_text
from duiqi.records import Document


def doc_id_for(path: str) -> str:
    """Default document id: the file name without its extension (``stdin`` for ``-``)."""
    if path == "-":
        return "stdin"
    return clean_id(os.path.splitext(os.path.basename(path))[0] or os.path.basename(path))


def _checked(text: str, path: str) -> str:
    text = normalize_text(text, path)
    if not text.strip():
        raise InputError(path, "contains no text")
    return text


def _jsonl_document(line: str, lineno: int, path: str, encoding: str, text_field: str, id_field: str,
                    doc_id: str) -> Document:
    try:
        obj = loads_record(line)
    except ValueError as exc:
        raise InputError(path, f"line {lineno} is not valid JSON: {exc}") from None
    if not isinstance(obj, dict):
        raise InputError(path, f"line {lineno} is not a JSON object")
    if text_field not in obj:
        raise InputError(path, f"line {lineno} has no {text_field!r} field")
    value = obj[text_field]
    if not isinstance(value, str):
        raise InputError(path, f"line {lineno}: field {text_field!r} is not a string")
    raw_id = obj.get(id_field)
    ident = clean_id(str(raw_id)) if raw_id is not None and raw_id != "" else f"{doc_id}:{lineno}"
    meta = {k: v for k, v in obj.items() if k not in (text_field, id_field) and _jsonable_scalar(v)}
    meta.update(format="jsonl", line=lineno)
    return Document(id=ident, text=normalize_text(value, f"{path}:{lineno}"), source=path,
                    encoding=encoding, meta=meta)


def _iter_jsonl(data: bytes, path: str, encoding: str | None, text_field: str, id_field: str,
                doc_id: str) -> Iterator[Document]:
    """JSONL already in memory (standard input, sniffed files, UTF-16 files)."""
    decoded = decode_bytes(data, source=path, encoding=encoding)
    found = False
    # Split on newlines only: U+2028 and friends may sit raw inside JSON strings.
    for lineno, line in enumerate(decoded.text.split("\n"), start=1):
        if line.strip():
            found = True
            yield _jsonl_document(line.rstrip("\r"), lineno, path, decoded.encoding, text_field, id_field, doc_id)
    if not found:
        raise InputError(path, "contains no JSON lines")


def _stream_jsonl(path: str, encoding: str | None, text_field: str, id_field: str,
                  doc_id: str) -> Iterator[Document]:
    """A JSONL file read line by line (corpus shards can be large): UTF-8 unless ``encoding`` says
    otherwise; a line that is not UTF-8 is decoded on its own (GB18030, Big5, ...); UTF-16/32 files
    are decoded whole (:func:`duiqi.io.lines.iter_lines`)."""
    found = False
    for lineno, line, used in iter_lines(path, encoding):
        if not line.strip():
            continue
        found = True
        yield _jsonl_document(line, lineno, path, used, text_field, id_field, doc_id)
    if not found:
        raise InputError(path, "is empty" if _is_empty_file(path) else "contains no JSON lines")


def _is_empty_file(path: str) -> bool:
    try:
        return os.path.getsize(path) == 0
    except OSError:
        return False


def _jsonable_scalar(v: Any) -> bool:
    return v is None or isinstance(v, str | int | float | bool)


def iter_documents(
    path: str,
    *,
    fmt: str | None = None,
    encoding: str | None = None,
    text_field: str = "text",
    id_field: str = "id",
    doc_id: str | None = None,
    max_unpacked: int | None = None,
) -> Iterator[Document]:
    """Documents of ``path``: one for txt/html/docx/pdf, one per line for JSONL.

    ``max_unpacked`` caps the unpacked size of a DOCX package (default
    :data:`duiqi.io.docx.MAX_UNPACKED`; corpus runs pass ``--max-doc-bytes``).

    ``encoding`` forces the text encoding (txt, html, jsonl); ``text_field``/``id_field`` name the JSONL
    fields (a line without an id gets ``<file stem>:<line number>``). ``doc_id`` overrides the id of a
    single-document file.
    """
    ident = doc_id or doc_id_for(path)
    hint = resolve_format(path, b"", fmt) if fmt is not None else format_from_extension(path)
    if hint == "jsonl" and path != "-":
        yield from _stream_jsonl(path, encoding, text_field, id_field, ident)
        return
    data = read_bytes(path)
    if not data or not data.strip():
        raise InputError(path, "is empty")
    fmt = resolve_format(path, data, fmt)
    if fmt == "jsonl":
        yield from _iter_jsonl(data, path, encoding, text_field, id_field, ident)
        return
    meta: dict[str, Any] = {"format": fmt}
    used_encoding: str | None = None
    if fmt == "txt":
        decoded = decode_bytes(data, source=path, encoding=encoding)
        text, used_encoding = decoded.text, decoded.encoding
    elif fmt == "html":
        decoded = decode_html(data, path, encoding)
        used_encoding = decoded.encoding
        text, extra = html_to_text(normalize_text(decoded.text, path), path)
        meta.update(extra)
        if extra.get("cut"):  # never silent: said on stderr (logging's last-resort handler) and in meta
            import logging

            logging.getLogger("duiqi.io").warning("%s: %s", path, extra["cut"])
    elif fmt == "docx":
        text, extra = docx_to_text(data, path, max_unpacked)
        meta.update(extra)
    else:
        text, extra = pdf_to_text(data, path)
        meta.update(extra)
    yield Document(id=ident, text=_checked(text, path), source=path, encoding=used_encoding, meta=meta)


def read_document(
    path: str,
    *,
    fmt: str | None = None,
    encoding: str | None = None,
    doc_id: str | None = None,
    max_unpacked: int | None = None,
) -> Document:
    """The single document in ``path`` (for JSONL, the file must hold exactly one line)."""
    docs = iter_documents(path, fmt=fmt, encoding=encoding, doc_id=doc_id, max_unpacked=max_unpacked)
    first = next(docs)
    if next(docs, None) is not None:
        raise InputError(path, "holds several documents (JSONL); use iter_documents()")
    return first
