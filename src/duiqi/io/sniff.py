"""Input formats: from the file extension, or sniffed from the first bytes when the extension says nothing.

Formats: ``txt`` (plain text and Markdown), ``html``, ``docx``, ``pdf``, ``jsonl``.
Files that are known binary formats duiqi cannot read (images, archives, old ``.doc``, encrypted
Office files, executables) are refused with an :class:`~duiqi.errors.InputError` saying what they are.
"""

from __future__ import annotations

import os
import zipfile
from io import BytesIO

from duiqi.errors import InputError
from duiqi.io.lines import loads_record

FORMATS: tuple[str, ...] = ("txt", "html", "docx", "pdf", "jsonl")

_BY_EXTENSION: dict[str, str] = {
    ".txt": "txt", ".text": "txt", ".md": "txt", ".markdown": "txt", ".rst": "txt", ".csv": "txt",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".docx": "docx",
    ".pdf": "pdf",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".jsonlines": "jsonl",
}

# Magic numbers of binary files we refuse, with what to tell the user.
_REFUSED_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
     "is an OLE2 file: an old Word .doc or a password-protected (encrypted) Office file; save it as .docx "
     "without a password"),
    (b"\x89PNG", "is a PNG image, not a text document"),
    (b"\xff\xd8\xff", "is a JPEG image, not a text document"),
    (b"GIF8", "is a GIF image, not a text document"),
    (b"\x1f\x8b", "is gzip-compressed; decompress it first"),
    (b"BZh", "is bzip2-compressed; decompress it first"),
    (b"\xfd7zXZ", "is xz-compressed; decompress it first"),
    (b"7z\xbc\xaf", "is a 7-Zip archive, not a text document"),
    (b"Rar!", "is a RAR archive, not a text document"),
    (b"\x7fELF", "is an executable, not a text document"),
    (b"MZ\x90\x00", "is a Windows executable, not a text document"),
    (b"{\\rtf", "is an RTF file (not supported); save it as .docx or .txt"),
)


def format_from_extension(path: str) -> str | None:
    return _BY_EXTENSION.get(os.path.splitext(path)[1].lower())


def refuse_binary(data: bytes, source: str) -> None:
    """Raise :class:`InputError` when ``data`` starts like a binary format duiqi cannot read."""
    for magic, reason in _REFUSED_MAGIC:
        if data.startswith(magic):
            raise InputError(source, reason)


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            return "word/document.xml" in zf.namelist()
    except zipfile.BadZipFile:
        return False


def sniff_format(data: bytes, source: str) -> str:
    """Guess the format of ``data`` from its content."""
    refuse_binary(data, source)
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        if _is_docx(data):
            return "docx"
        raise InputError(source, "is a ZIP archive, not a DOCX document (no word/document.xml)")
    head = data[:4096]
    for bom in (b"\xef\xbb\xbf",):
        if head.startswith(bom):
            head = head[len(bom):]
    stripped = head.lstrip().lower()
    if stripped.startswith((b"<!doctype html", b"<html", b"<?xml")) or (
        stripped.startswith(b"<") and any(t in head.lower() for t in (b"<body", b"<p>", b"<p ", b"<div", b"<head"))
    ):
        return "html"
    if stripped.startswith(b"{"):
        first = head.lstrip().split(b"\n", 1)[0]
        try:
            obj = loads_record(first.decode("utf-8", "replace"))
        except ValueError:
            obj = None
        if isinstance(obj, dict):
            return "jsonl"
    return "txt"


def resolve_format(path: str, data: bytes, fmt: str | None) -> str:
    """The format to read ``path`` as: ``fmt`` if given, else from the extension, else sniffed."""
    if fmt is not None:
        fmt = fmt.lower().lstrip(".")
        fmt = {"text": "txt", "md": "txt", "markdown": "txt", "htm": "html", "ndjson": "jsonl"}.get(fmt, fmt)
        if fmt not in FORMATS:
            raise InputError(path, f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
        return fmt
    ext = os.path.splitext(path)[1].lower()
    if ext == ".doc":
        raise InputError(path, "old Word .doc files are not supported; save it as .docx")
    by_ext = format_from_extension(path)
    if by_ext in ("txt", "html", "jsonl"):
        refuse_binary(data, path)
        return by_ext
    if by_ext is not None:
        return by_ext
    return sniff_format(data, path)
