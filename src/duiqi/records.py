"""The typed records that flow through every stage of duiqi.

read -> ``Document`` -> repair -> segment -> ``Block`` / ``Sentence`` -> align -> ``Bead`` -> ``Pair``
-> score/filter -> export.

All records are frozen, slotted dataclasses: stages return new records instead of mutating old ones
(use :func:`dataclasses.replace`). Offsets are character offsets into ``Document.text`` (end exclusive).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

#: Language tag of a block or sentence. ``other`` = a language that is neither zh nor en,
#: ``mixed`` = a block holding runs of several languages (split it before aligning),
#: ``none`` = no letters at all (numbers, punctuation, dates only).
Lang = str
ZH: Lang = "zh"
EN: Lang = "en"
OTHER: Lang = "other"
MIXED: Lang = "mixed"
NONE: Lang = "none"

#: Chinese script of a block: ``hans`` simplified, ``hant`` traditional, ``None`` when not Chinese
#: or undecidable. Script is recorded, never treated as a different language.
Script = Literal["hans", "hant"] | None

#: What kind of block this is, so the aligner can treat it carefully.
BlockKind = Literal["text", "caption", "date", "number", "short", "heading", "gloss"]


def _frozen_meta(meta: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(meta or {}))


@dataclass(frozen=True, slots=True)
class Document:
    """One input document, as text (already decoded; repaired or not, see ``repaired``)."""

    id: str
    text: str
    source: str | None = None
    """Where it came from: a path, URL or ``-`` for standard input."""
    encoding: str | None = None
    """Encoding the bytes were decoded from, when the document came from bytes."""
    repaired: bool = False
    meta: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        if not isinstance(self.meta, MappingProxyType):
            object.__setattr__(self, "meta", _frozen_meta(self.meta))


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph or line of a document, in one language."""

    doc_id: str
    index: int
    text: str
    start: int
    end: int
    lang: Lang
    script: Script = None
    kind: BlockKind = "text"


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence inside a block. ``index`` is the sentence's position in its side of the document."""

    doc_id: str
    block_index: int
    index: int
    text: str
    start: int
    end: int
    lang: Lang
    script: Script = None


@dataclass(frozen=True, slots=True)
class Bead:
    """An alignment unit: ``src_ids`` sentences translate ``tgt_ids`` sentences.

    Ids are 0-based sentence positions on each side. 1-0 / 0-1 beads (one side empty) mark
    untranslated sentences.
    """

    src_ids: tuple[int, ...]
    tgt_ids: tuple[int, ...]
    score: float = 0.0

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.src_ids), len(self.tgt_ids))

    @property
    def is_link(self) -> bool:
        """True when both sides are non-empty (a translation, not an insertion/deletion)."""
        return bool(self.src_ids) and bool(self.tgt_ids)


@dataclass(frozen=True, slots=True)
class Pair:
    """A sentence pair leaving duiqi: texts, languages, provenance, score and flags."""

    src: str
    tgt: str
    src_lang: Lang
    tgt_lang: Lang
    score: float
    """Alignment similarity of the bead (the aligner's own score)."""
    src_ids: tuple[int, ...] = ()
    tgt_ids: tuple[int, ...] = ()
    doc: str = ""
    flags: tuple[str, ...] = ()
    """What is known to be wrong or unusual, e.g. ``lossy-latin``, ``ratio``."""
    quality: float | None = None
    """Calibrated probability that the pair is a translation, when scored (see ``duiqi.score``)."""
    margin: float | None = None
    """Document-context margin: the pair's cosine minus that of each side's best other candidate in
    the same document (``duiqi.score.context``); ``None`` when not computed."""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "src": self.src,
            "tgt": self.tgt,
            "src_lang": self.src_lang,
            "tgt_lang": self.tgt_lang,
            "score": round(self.score, 6),
            "src_ids": list(self.src_ids),
            "tgt_ids": list(self.tgt_ids),
            "doc": self.doc,
            "flags": list(self.flags),
        }
        if self.quality is not None:
            out["quality"] = round(self.quality, 6)
        if self.margin is not None:
            out["margin"] = round(self.margin, 6)
        return out

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Pair:
        return cls(
            src=str(d["src"]),
            tgt=str(d["tgt"]),
            src_lang=str(d.get("src_lang", "")),
            tgt_lang=str(d.get("tgt_lang", "")),
            score=float(d.get("score", 0.0)),
            src_ids=tuple(int(i) for i in d.get("src_ids", ())),
            tgt_ids=tuple(int(i) for i in d.get("tgt_ids", ())),
            doc=str(d.get("doc", "")),
            flags=tuple(str(f) for f in d.get("flags", ())),
            quality=None if d.get("quality") is None else float(d["quality"]),
            margin=None if d.get("margin") is None else float(d["margin"]),
        )
