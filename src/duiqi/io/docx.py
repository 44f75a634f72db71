"""DOCX to text with python-docx (MIT): body paragraphs and table cells in document order, one per line.

Merged table cells are read once; nested tables are walked. Headers, footers and comments are not
body text and are left out.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from io import BytesIO
from typing import Any

from duiqi.errors import InputError, MissingDependencyError
from duiqi.io.sniff import refuse_binary

INSTALL = "pip install 'duiqi[formats]'"

#: Default cap on the unpacked size of a DOCX package (all its parts): python-docx holds every part in
#: memory, and a zip bomb of 1 MB can unpack to gigabytes. ``max_unpacked`` (``--max-doc-bytes`` in
#: corpus runs) replaces it.
MAX_UNPACKED = 200_000_000
MAX_PARTS = 10_000


def check_package(data: bytes, source: str, max_unpacked: int | None = None) -> None:
    """Refuse a ZIP package whose parts unpack to more than ``max_unpacked`` bytes (or has absurdly many
    parts) before anything is unpacked. The sizes come from the ZIP directory; :mod:`zipfile` never
    unpacks more than an entry declares (a lying entry fails its CRC check instead)."""
    limit = MAX_UNPACKED if max_unpacked is None else max_unpacked
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise InputError(source, "is not a DOCX file (damaged ZIP package)") from None
    if len(infos) > MAX_PARTS:
        raise InputError(source, f"has {len(infos)} parts (more than {MAX_PARTS}); refused as a ZIP bomb")
    total = sum(max(0, i.file_size) for i in infos)
    if total > limit:
        what = "the DOCX limit" if max_unpacked is None else "--max-doc-bytes"
        raise InputError(source, f"unpacks to {total} bytes, over {what} of {limit}; not unpacked (a ZIP bomb?)")


def _iter_container(container: Any) -> Iterator[str]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for item in container.iter_inner_content():
        if isinstance(item, Paragraph):
            yield item.text
        elif isinstance(item, Table):
            yield from _iter_table(item)


def _iter_table(table: Any) -> Iterator[str]:
    seen: set[int] = set()
    alive: list[Any] = []  # keep the cell elements alive: ids of freed lxml proxies get reused
    for row in table.rows:
        for cell in row.cells:
            tc = cell._tc
            if id(tc) in seen:
                continue  # a merged cell shows up once per grid column (and row) it spans
            seen.add(id(tc))
            alive.append(tc)
            yield from _iter_container(cell)


def docx_to_text(data: bytes, source: str, max_unpacked: int | None = None) -> tuple[str, dict[str, Any]]:
    """Text of a DOCX file (one paragraph or table-cell paragraph per line) and metadata.

    A package that unpacks to more than ``max_unpacked`` bytes (default :data:`MAX_UNPACKED`) is refused
    before it is unpacked."""
    refuse_binary(data, source)
    if not data.startswith(b"PK"):
        raise InputError(source, "is not a DOCX file (not a ZIP package)")
    try:
        import docx
    except ImportError as exc:
        raise MissingDependencyError("DOCX reading (python-docx)", INSTALL) from exc
    check_package(data, source, max_unpacked)
    try:
        document = docx.Document(BytesIO(data))
    except zipfile.BadZipFile:
        raise InputError(source, "is not a DOCX file (damaged ZIP package)") from None
    except KeyError as exc:
        raise InputError(source, f"is not a Word document (missing part {exc})") from None
    except Exception as exc:  # python-docx raises ValueError/PackageNotFoundError on odd packages
        raise InputError(source, f"cannot be read as DOCX: {exc}") from None
    # A soft line break inside a paragraph (often between a Chinese line and its English) is a new line.
    lines = [ln.strip() for para in _iter_container(document) for ln in para.split("\n")]
    meta: dict[str, Any] = {}
    title = document.core_properties.title
    if title:
        meta["title"] = title
    return "\n".join(ln for ln in lines if ln), meta
