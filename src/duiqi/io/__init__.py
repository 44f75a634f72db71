"""Reading: files of any format and encoding to :class:`duiqi.records.Document`.

- :func:`read_document` — one document from a txt/Markdown, HTML, DOCX, PDF (or one-line JSONL) file.
- :func:`iter_documents` — every document of a file (a JSONL file gives one per line).
- :func:`decode_bytes` / :func:`read_text` — bytes to text with encoding detection.

HTML, DOCX and PDF need the optional ``formats`` extra (``pip install 'duiqi[formats]'``).
"""

from duiqi.io.decode import Decoded, decode_bytes, read_text
from duiqi.io.reader import doc_id_for, iter_documents, read_bytes, read_document
from duiqi.io.sniff import FORMATS, resolve_format, sniff_format
from duiqi.io.text import normalize_text

__all__ = [
    "FORMATS",
    "Decoded",
    "decode_bytes",
    "doc_id_for",
    "iter_documents",
    "normalize_text",
    "read_bytes",
    "read_document",
    "read_text",
    "resolve_format",
    "sniff_format",
]
