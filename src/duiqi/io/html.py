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
from duiqi.io.decode import Decoded, _common_share, decode_bytes

INSTALL = "pip install 'duiqi[formats]'"
_META_CHARSET = regex.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", regex.IGNORECASE)
_TABLE_ROW = regex.compile(r"^\|(.*)\|$")
_BLOCK_TAGS = frozenset(
    ["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "tr", "caption", "figcaption", "blockquote", "pre", "dt", "dd", "section", "article", "header", "footer", "aside", "address", "table", "ul", "ol", "br", "title"]
)
_SKIP_TAGS = frozenset(["script", "style", "noscript", "template", "svg", "head", "iframe", "object"])

# Elements whose content is never page text, removed before parsing (a linear scan): a 12 MB inline
# script or a <template> full of text must neither reach the extractor nor push the parser over its limits.
_NON_TEXT = regex.compile(
    r"<(script|style|template|noscript)\b[^>]*+>.*?</\1\s*>|<!--.*?-->", regex.IGNORECASE | regex.DOTALL
)
# ``data:`` URIs (inline images) in attributes: megabytes that are never text.
_DATA_URI = regex.compile(r"""(=\s*["']?)data:[^"'\s>]{256,}+""", regex.IGNORECASE)
_TAG = regex.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*+)[^>]*+>")
_VOID = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"])
#: libxml2 stops at this nesting even with ``huge_tree`` and then drops the rest of the page.
MAX_DEPTH = 1500


def _strip_non_text(html: str) -> str:
    return _DATA_URI.sub(r"\1data:,", _NON_TEXT.sub(" ", html))


def _flatten(html: str, max_depth: int = MAX_DEPTH) -> str:
    """Drop the tags (never the text) of elements nested deeper than ``max_depth``."""
    out: list[str] = []
    depth = pos = 0
    for m in _TAG.finditer(html):
        closing, name = m.group(1), m.group(2).lower()
        if name in _VOID or m.group(0).endswith("/>"):
            keep = depth < max_depth
        elif closing:
            keep = depth <= max_depth
            depth = max(0, depth - 1)
        else:
            depth += 1
            keep = depth <= max_depth
        out.append(html[pos:m.start()])
        if keep:
            out.append(m.group(0))
        pos = m.end()
    out.append(html[pos:])
    return "".join(out)


def _parse(html: str) -> tuple[Any, str | None]:
    """The page as an lxml tree with raised limits (huge text nodes, deep nesting), and a note when the
    page had to be changed to be read whole (``None`` when it was read as it is)."""
    try:
        import lxml.html  # type: ignore[import-untyped]
    except ImportError as exc:  # pragma: no cover - lxml comes with trafilatura
        raise MissingDependencyError("HTML reading (lxml)", INSTALL) from exc

    def parse(text: str) -> tuple[Any, list[str]]:
        parser = lxml.html.HTMLParser(huge_tree=True, collect_ids=False, default_doctype=False,
                                      remove_comments=True, remove_pis=True)
        try:
            root = lxml.html.document_fromstring(text, parser=parser)
        except Exception:  # lxml raises ParserError/ValueError on empty or broken documents
            root = None
        limits = [str(e.message) for e in parser.error_log
                  if "Excessive depth" in str(e.message) or "huge" in str(e.message).lower()]
        return root, limits

    root, limits = parse(html)
    if not limits:
        return root, None
    root, still = parse(_flatten(html))
    note = f"nested more than {MAX_DEPTH} elements deep: the deepest tags were dropped, their text kept"
    if still:
        note = f"the HTML parser cut the page ({still[0].strip()}); text after that point is lost"
    return root, note


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
                claimed = Decoded(data.decode(declared), declared)
            except (LookupError, UnicodeDecodeError):
                pass
            else:
                return _check_declared(claimed, data, source)
    return decode_bytes(data, source=source, encoding=encoding)


def _check_declared(claimed: Decoded, data: bytes, source: str) -> Decoded:
    """A declared charset that decodes without error can still be wrong (``iso-8859-1`` on a GBK page,
    ``gb2312`` on a Big5 one): the detected decoding wins when its text is clearly more Chinese."""
    try:
        detected = decode_bytes(data, source=source)
    except InputError:
        return claimed
    if detected.text != claimed.text and _common_share(detected.text) > _common_share(claimed.text) + 0.15:
        return detected
    return claimed


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


def _fallback_text(root: Any) -> str:
    """Every visible text of the page, a new line at each block element (an iterative walk: any depth)."""
    if root is None:
        return ""
    from lxml import etree

    parts: list[str] = []
    skipping = 0
    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if skipping or tag in _SKIP_TAGS:
                skipping += 1
                continue
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if el.text and tag:
                parts.append(el.text)
        else:
            if skipping:
                skipping -= 1
                if skipping == 0 and el.tail:
                    parts.append(el.tail)
                continue
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if el.tail:
                parts.append(el.tail)
    lines = [regex.sub(r"[ \t\u00a0]+", " ", ln).strip() for ln in "".join(parts).split("\n")]
    return "\n".join(ln for ln in lines if ln)


def html_to_text(html: str, source: str) -> tuple[str, dict[str, Any]]:
    """Main text of an HTML page (paragraphs on their own lines) and metadata (``title``, ``extractor``,
    and ``cut`` when the page could not be read whole -- never silently).

    Scripts, styles, ``<template>`` content, comments and ``data:`` URIs are removed first; the page is
    parsed with the parser's size and depth limits raised, and pages nested deeper than libxml2 allows
    are flattened rather than cut.
    """
    try:
        import trafilatura
    except ImportError as exc:
        raise MissingDependencyError("HTML reading (trafilatura)", INSTALL) from exc
    if not html.strip():
        raise InputError(source, "is empty")
    import copy

    meta: dict[str, Any] = {}
    root, cut = _parse(_strip_non_text(html))
    if cut:
        meta["cut"] = cut
    text = None
    if root is not None:
        try:
            text = trafilatura.extract(
                copy.deepcopy(root),
                output_format="txt",
                include_comments=False,
                include_tables=True,
                include_images=False,
                favor_recall=True,
                deduplicate=False,
                with_metadata=False,
            )
        except (RecursionError, ValueError, TypeError, AttributeError):
            text = None
    if text and text.strip():
        meta["extractor"] = "trafilatura"
        text = _split_table_rows(text)
    else:
        text = _fallback_text(root)
        meta["extractor"] = "lxml-fallback"
    if cut and not text.strip():
        raise InputError(source, f"no text could be read: {cut}")
    try:
        md = trafilatura.extract_metadata(copy.deepcopy(root)) if root is not None else None
        if md is not None and md.title:
            meta["title"] = md.title
    except Exception:  # metadata is a nicety: never fail the read on it
        pass
    return text, meta
