"""A whole document through repair (optional) and segmentation, for the CLI and the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from duiqi.records import Block, Document, Sentence
from duiqi.repair import repair
from duiqi.segment.blocks import blocks as make_blocks
from duiqi.segment.sentences import sentences as make_sentences


@dataclass(frozen=True, slots=True)
class Segmented:
    """A document (repaired when asked) with its blocks and sentences."""

    doc: Document
    blocks: tuple[Block, ...]
    sentences: tuple[Sentence, ...]


def repair_document(doc: Document, **options: Any) -> Document:
    """``doc`` with its text repaired by :func:`duiqi.repair.repair` (``repaired=True``; the number of edits
    and the flag names go into ``meta``). ``options`` are repair options (``script="keep"``, ...)."""
    result = repair(doc.text, **options)
    meta = dict(doc.meta)
    meta["repair_edits"] = len(result.edits)
    flags = sorted({str(getattr(f, "kind", f)) for f in result.flags})
    if flags:
        meta["repair_flags"] = flags
    return replace(doc, text=result.text, repaired=True, meta=meta)


def segment_document(doc: Document, *, repair: bool = True, semicolon: bool = False,
                     repair_options: dict[str, Any] | None = None) -> Segmented:
    """Repair (unless ``repair=False``), then cut ``doc`` into blocks and sentences."""
    if repair:
        doc = repair_document(doc, **(repair_options or {}))
    bl = make_blocks(doc)
    return Segmented(doc, tuple(bl), tuple(make_sentences(bl, semicolon=semicolon)))
