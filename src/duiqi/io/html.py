"""HTML to text: the main content, one paragraph per line.

Main-content extraction uses trafilatura (Apache-2.0, maintained, the extractor used by web-scale
corpus pipelines such as datatrove; it keeps paragraph boundaries and table cells and drops
navigation, headers, footers and comments). When it finds no main content (very short or unusual
pages), a plain lxml walk over the page's block elements is the fallback, so nothing silently
disappears. The charset comes from the page's ``<meta charset>`` when it decodes cleanly, otherwise
from :func:`duiqi.io.decode.decode_bytes`.
"""

from __future__ import annotations

from typing import Any

import regex

from duiqi.errors import InputError, MissingDependencyError
from duiqi.io.decode import Decoded, decode_bytes

INSTALL = "pip install 'duiqi[formats]'"
_META_CHARSET = regex.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", regex.IGNORECASE)
_TABLE_ROW = regex.compile(r"^\|(.*)\|$")
_BLOCK_TAGS = frozenset(
    ["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "tr", "caption", "figcaption", "blockquote", "pre", "dt", "dd", "section", "article", "header", "footer", "aside", "address", "table", "ul", "ol", "br", "title"]
)
_SKIP_TAGS = frozenset(["script", "style", "noscript", "template", "svg", "head", "iframe", "object"])


def decode_html(data: bytes, source: str, encoding: str | None = None) -> Decoded:
    """Decode an HTML page: valid UTF-8 is UTF-8 (pages often declare a charset they no longer use, and
    GB18030 would "decode" UTF-8 bytes into garbage), else the declared charset when it decodes, else
    detection."""
    if encoding is None:
        try:
            return Decoded(data.decode("utf-8"), "utf-8")
        except UnicodeDecodeError:
            pass
        m = _META_CHARSET.search(data[:8192])
        if m:
            declared = m.group(1).decode("ascii", "replace").lower()
            declared = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030"}.get(declared, declared)
            try:
                return Decoded(data.decode(declared), declared)
            except (LookupError, UnicodeDecodeError):
                pass
    return decode_bytes(data, source=source, encoding=encoding)


def _split_table_rows(text: str) -> str:
    """trafilatura renders a table row as ``| a | b |``: give each cell its own line."""
    out: list[str] = []
    for line in text.split("\n"):
        m = _TABLE_ROW.match(line.strip())
        if m:
            cells = [c.strip() for c in m.group(1).split("|")]
            out.extend(c for c in cells if c and not regex.fullmatch(r"[-:\s]+", c))
        else:
            out.append(line)
    return "\n".join(out)


def _fallback_text(html: str) -> str:
    """Every visible text of the page, a new line at each block element."""
    try:
        import lxml.html  # type: ignore[import-untyped]
    except ImportError as exc:  # pragma: no cover - lxml comes with trafilatura
        raise MissingDependencyError("HTML reading (lxml)", INSTALL) from exc
    try:
        root = lxml.html.document_fromstring(html)
    except Exception:  # lxml raises ParserError/ValueError on empty or broken documents
        return ""
    parts: list[str] = []

    def walk(el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _SKIP_TAGS:
            if el.tail:
                parts.append(el.tail)
            return
        block = tag in _BLOCK_TAGS
        if block:
            parts.append("\n")
        if el.text and tag:
            parts.append(el.text)
        for child in el:
            walk(child)
        if block:
            parts.append("\n")
        if el.tail:
            parts.append(el.tail)

    walk(root)
    lines = [regex.sub(r"[ \t\u00a0]+", " ", ln).strip() for ln in "".join(parts).split("\n")]
    return "\n".join(ln for ln in lines if ln)


def html_to_text(html: str, source: str) -> tuple[str, dict[str, Any]]:
    """Main text of an HTML page (paragraphs on their own lines) and metadata (``title``, ``extractor``)."""
    try:
        import trafilatura
    except ImportError as exc:
        raise MissingDependencyError("HTML reading (trafilatura)", INSTALL) from exc
    if not html.strip():
        raise InputError(source, "is empty")
    meta: dict[str, Any] = {}
    text = trafilatura.extract(
        html,
        output_format="txt",
        include_comments=False,
        include_tables=True,
        include_images=False,
        favor_recall=True,
        deduplicate=False,
        with_metadata=False,
    )
    if text and text.strip():
        meta["extractor"] = "trafilatura"
        text = _split_table_rows(text)
    else:
        text = _fallback_text(html)
        meta["extractor"] = "lxml-fallback"
    try:
        md = trafilatura.extract_metadata(html)
        if md is not None and md.title:
            meta["title"] = md.title
    except Exception:  # metadata is a nicety: never fail the read on it
        pass
    return text, meta
