"""PDF to text with pdfminer.six (MIT): the text layer, in reading order, one paragraph per line.

- Reading order: pdfminer's layout analysis finds the text boxes; a recursive XY-cut orders them
  (column by column on multi-column pages, top to bottom otherwise).
- Lines broken inside a paragraph are joined: nothing between two CJK characters, a hyphen dropped
  before a lower-case continuation (``inter-`` + ``national``), a space otherwise. A paragraph ends
  at a text-box boundary, or after a line that ends a sentence well short of the box's right edge.
- Running headers and footers are dropped: lines in the top or bottom band of the page that are page
  numbers (``3``, ``- 3 -``, ``Page 3 of 9``, ``第3页``) or that repeat (digits ignored) on at least
  half of the pages.
- A paragraph cut by a page break is joined when the next page goes on with it.

PyMuPDF is not used (AGPL). Encrypted PDFs (other than an empty user password) and PDFs without a
text layer raise :class:`~duiqi.errors.InputError`.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import regex

from duiqi.errors import InputError, MissingDependencyError
from duiqi.text.scripts import is_cjk

INSTALL = "pip install 'duiqi[formats]'"
#: Top and bottom share of the page height where running headers/footers live.
MARGIN_BAND = 0.1
_PAGE_NUMBER = regex.compile(
    r"^[\s\-–—·•|()\[\]]*(?:(?:page|p\.|seite|pagina)\s*)?(?:\d{1,4}|[ivxlcdm]{1,6})"
    r"(?:\s*(?:/|of|von|de)\s*\d{1,4})?[\s\-–—·•|()\[\]]*$"
    r"|^第?\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?$|^-\s*\d{1,4}\s*-$",
    regex.IGNORECASE,
)
#: Running headers/footers are short; a longer line in the band is body text, even when it repeats.
MAX_RUNNING = 80
_TERMINATOR_END = regex.compile(r"[。！？!?.…:：;；][\s”’\"'」』）)]*$")


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    box: int


def _page_lines(page: Any) -> list[_Line]:
    """The text lines of a page, box by box in reading order (:func:`xy_cut`)."""
    from pdfminer.layout import LTTextBox, LTTextLine

    boxes: list[list[_Line]] = []

    def visit(obj: Any) -> None:
        if isinstance(obj, LTTextBox):
            lines = []
            for line in obj:
                if isinstance(line, LTTextLine):
                    text = regex.sub(r"[ \t\u00a0]{2,}", " ", line.get_text()).strip()
                    if text:
                        lines.append(_Line(text, line.x0, line.y0, line.x1, line.y1, len(boxes) + 1))
            if lines:
                boxes.append(lines)
        elif hasattr(obj, "__iter__") and not isinstance(obj, LTTextLine):
            for child in obj:
                visit(child)

    visit(page)
    return [line for box in xy_cut(boxes) for line in box]


def _bbox(box: list[_Line]) -> tuple[float, float, float, float]:
    return (min(ln.x0 for ln in box), min(ln.y0 for ln in box), max(ln.x1 for ln in box), max(ln.y1 for ln in box))


def _gaps(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Empty stretches between the union of ``intervals``: ``(gap start, gap end)``."""
    out: list[tuple[float, float]] = []
    reach: float | None = None
    for a, b in sorted(intervals):
        if reach is not None and a > reach:
            out.append((reach, a))
        reach = b if reach is None else max(reach, b)
    return out


def xy_cut(boxes: list[list[_Line]]) -> list[list[_Line]]:
    """Order text boxes for reading (recursive XY-cut): split the page at the widest empty band, a
    column gutter (left column first) or a horizontal gap (top first), and recurse; boxes that cannot
    be separated are read top to bottom, left to right. Two-column pages come out column by column."""
    if len(boxes) <= 1:
        return boxes
    bbs = [_bbox(b) for b in boxes]
    vgaps = _gaps([(x0, x1) for x0, _, x1, _ in bbs])
    hgaps = _gaps([(y0, y1) for _, y0, _, y1 in bbs])
    best_v = max(vgaps, key=lambda g: g[1] - g[0], default=None)
    best_h = max(hgaps, key=lambda g: g[1] - g[0], default=None)
    if best_v is not None and (best_h is None or best_v[1] - best_v[0] >= best_h[1] - best_h[0]):
        cut = (best_v[0] + best_v[1]) / 2
        left = [b for b, bb in zip(boxes, bbs, strict=True) if bb[2] <= cut]
        right = [b for b, bb in zip(boxes, bbs, strict=True) if bb[2] > cut]
        return xy_cut(left) + xy_cut(right)
    if best_h is not None:
        cut = (best_h[0] + best_h[1]) / 2
        top = [b for b, bb in zip(boxes, bbs, strict=True) if bb[1] >= cut]
        bottom = [b for b, bb in zip(boxes, bbs, strict=True) if bb[1] < cut]
        return xy_cut(top) + xy_cut(bottom)
    return sorted(boxes, key=lambda b: (-_bbox(b)[3], _bbox(b)[0]))


def _norm_repeat(text: str) -> str:
    return regex.sub(r"\d+", "#", regex.sub(r"\s+", " ", text.strip().lower()))


def _drop_running(pages: list[tuple[float, list[_Line]]]) -> list[list[_Line]]:
    """Remove page numbers and repeated headers/footers from the top/bottom bands."""

    def in_band(line: _Line, height: float) -> bool:
        return line.y0 >= height * (1 - MARGIN_BAND) or line.y1 <= height * MARGIN_BAND

    counts: Counter[str] = Counter()
    for height, lines in pages:
        counts.update({_norm_repeat(ln.text) for ln in lines if in_band(ln, height) and len(ln.text) <= MAX_RUNNING})
    threshold = max(2, (len(pages) + 1) // 2)
    kept: list[list[_Line]] = []
    for height, lines in pages:
        kept.append([
            ln for ln in lines
            if not (in_band(ln, height) and (_PAGE_NUMBER.match(ln.text)
                                             or (len(pages) >= 2 and counts[_norm_repeat(ln.text)] >= threshold)))
        ])
    return kept


def join_broken(left: str, right: str) -> str:
    """Join two pieces of one paragraph that a line or page break separated."""
    if not left:
        return right
    if not right:
        return left
    a, b = left[-1], right[0]
    if is_cjk(a) and is_cjk(b):
        return left + right
    if a == "-" and len(left) > 1 and left[-2].isalpha() and b.islower():
        return left[:-1] + right  # inter- + national
    if a in "-/" or (is_cjk(a) and not b.isalnum()):
        return left + right
    return left + " " + right


@dataclass(frozen=True, slots=True)
class _PageText:
    paragraphs: list[str]
    last_line_full: bool
    """The page's last line runs to the right margin: its paragraph may go on on the next page."""
    first_line_indented: bool


def _paragraphs(lines: list[_Line]) -> _PageText:
    """Group lines (in reading order) into paragraphs and join each paragraph's lines."""
    if not lines:
        return _PageText([], False, False)
    gaps = sorted(
        prev.y0 - ln.y1 for prev, ln in itertools.pairwise(lines)
        if prev.y0 > ln.y1 and abs(prev.x0 - ln.x0) < 0.5 * max(prev.y1 - prev.y0, 1.0) * 4
    )
    usual_gap = gaps[len(gaps) // 2] if gaps else 0.0
    left = min(ln.x0 for ln in lines)
    right = max(ln.x1 for ln in lines)
    width = max(right - left, 1.0)
    paras: list[str] = []
    prev: _Line | None = None
    for ln in lines:
        new = prev is None
        if prev is not None:
            height = max(prev.y1 - prev.y0, 1.0)
            gap = prev.y0 - ln.y1
            other_column = gap < -height or (abs(ln.x0 - prev.x0) > 0.3 * width and ln.box != prev.box)
            short_end = prev.x1 < right - 0.15 * width and bool(_TERMINATOR_END.search(prev.text))
            indented = ln.x0 > prev.x0 + 1.5 * height and ln.x0 > left + 1.5 * height
            wide_gap = gap > usual_gap + 0.5 * height
            new = other_column or short_end or indented or wide_gap
        if new:
            paras.append(ln.text)
        else:
            paras[-1] = join_broken(paras[-1], ln.text)
        prev = ln
    last, first = lines[-1], lines[0]
    height = max(first.y1 - first.y0, 1.0)
    return _PageText(paras, last.x1 >= right - 0.1 * width, first.x0 > left + 1.5 * height)


def _continues(prev: str, nxt: str, prev_full: bool, next_indented: bool) -> bool:
    """Does the first paragraph of a page go on with the last paragraph of the page before?"""
    if not prev or not nxt or next_indented:
        return False
    if prev_full:
        return True  # the page ended on a full line: the paragraph goes on
    if _TERMINATOR_END.search(prev):
        return False
    if nxt[0].islower():
        return True
    return is_cjk(prev[-1]) and is_cjk(nxt[0]) and prev[-1] not in "”」』）" and len(prev) >= 20


def pdf_to_text(data: bytes, source: str, password: str = "") -> tuple[str, dict[str, Any]]:
    """Text of a PDF's text layer (one paragraph per line) and metadata (``pages``)."""
    try:
        from pdfminer.high_level import extract_pages
        from pdfminer.layout import LAParams
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
        from pdfminer.pdfpage import PDFTextExtractionNotAllowed
        from pdfminer.pdfparser import PDFSyntaxError
    except ImportError as exc:
        raise MissingDependencyError("PDF reading (pdfminer.six)", INSTALL) from exc
    if not data.startswith(b"%PDF"):
        raise InputError(source, "is not a PDF file (no %PDF header)")
    try:
        layout = list(extract_pages(BytesIO(data), password=password, laparams=LAParams()))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise InputError(source, "is an encrypted PDF (password needed)") from None
    except PDFTextExtractionNotAllowed:
        raise InputError(source, "is a PDF whose owner forbids text extraction") from None
    except PDFSyntaxError as exc:
        raise InputError(source, f"is a damaged PDF: {exc}") from None
    except Exception as exc:  # pdfminer raises many ad-hoc errors on broken files
        raise InputError(source, f"cannot be read as PDF: {type(exc).__name__}: {exc}") from None
    pages = [(float(p.height), _page_lines(p)) for p in layout]
    if not any(lines for _, lines in pages):
        raise InputError(source, "is a PDF without a text layer (scanned images?); run OCR first")
    paragraphs: list[str] = []
    prev_full = False
    for lines in _drop_running(pages):
        page = _paragraphs(lines)
        page_paras = page.paragraphs
        if paragraphs and page_paras and _continues(paragraphs[-1], page_paras[0], prev_full,
                                                    page.first_line_indented):
            paragraphs[-1] = join_broken(paragraphs[-1], page_paras[0])
            page_paras = page_paras[1:]
        paragraphs.extend(page_paras)
        if page.paragraphs:
            prev_full = page.last_line_full
    return "\n".join(paragraphs), {"pages": len(layout)}
