"""The typed records that flow through every stage of duiqi.

read -> ``Document`` -> repair -> segment -> ``Block`` / ``Sentence`` -> align -> ``Bead`` -> ``Pair``
-> score/filter -> export.

All records are frozen, slotted dataclasses: stages return new records instead of mutating old ones
(use :func:`dataclasses.replace`). Offsets are character offsets into ``Document.text`` (end exclusive).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
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
        """Every field, in declaration order (the JSONL record): numbers rounded (:func:`_json_number`),
        tuples as lists; an optional field that is unset (``None``) is left out."""
        out: dict[str, Any] = {}
        for name, kind in _PAIR_FIELDS:
            value = getattr(self, name)
            if kind == "optional-number":
                if value is None:
                    continue
                value = _json_number(value)
            elif kind == "number":
                value = _json_number(value)
            elif kind == "list":
                value = list(value)
            out[name] = value
        return out

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Pair:
        """A pair from its :meth:`to_dict` form. Raises ``TypeError`` for a non-mapping and ``ValueError``
        (saying which field and what was expected) for a missing text, a non-finite or unparsable number,
        or ids that are not small non-negative integers."""
        if not isinstance(d, Mapping):
            raise TypeError(f"Pair.from_dict expects a mapping (a JSON object), not {type(d).__name__}")
        for key in ("src", "tgt"):
            if key not in d:
                raise ValueError(f"pair record has no {key!r} field")
        quality = d.get("quality")
        margin = d.get("margin")
        return cls(
            src=_text_field(d, "src"),
            tgt=_text_field(d, "tgt"),
            src_lang=_text_field(d, "src_lang", ""),
            tgt_lang=_text_field(d, "tgt_lang", ""),
            score=_finite(d.get("score", 0.0), "score"),
            src_ids=_ids_field(d.get("src_ids", ()), "src_ids"),
            tgt_ids=_ids_field(d.get("tgt_ids", ()), "tgt_ids"),
            doc=_text_field(d, "doc", ""),
            flags=_flags_field(d.get("flags", ())),
            quality=None if quality is None else _finite(quality, "quality"),
            margin=None if margin is None else _finite(margin, "margin"),
        )


def _field_kinds(cls: type) -> tuple[tuple[str, str], ...]:
    """``(name, kind)`` of a record's fields from their annotations: ``number``, ``optional-number``,
    ``list`` (tuples) or ``value`` (texts)."""
    kinds = {"float": "number", "float | None": "optional-number"}
    return tuple((f.name, kinds.get(str(f.type), "list" if str(f.type).startswith("tuple[") else "value"))
                 for f in fields(cls))


_PAIR_FIELDS = _field_kinds(Pair)


def _json_number(x: float) -> float | None:
    """Rounded for output; ``None`` (JSON ``null``) for NaN and infinities, which strict JSON has no words for."""
    x = float(x)
    return round(x, 6) if x == x and x not in (float("inf"), float("-inf")) else None


def _text_field(d: Mapping[str, Any], key: str, default: str | None = None) -> str:
    value = d.get(key, default)
    if value is None:
        return "" if default is not None else "None"
    if isinstance(value, dict | list):
        raise ValueError(f"field {key!r} must be a string, not a JSON {'object' if isinstance(value, dict) else 'array'}")
    return str(value)


def _finite(value: Any, key: str) -> float:
    """A finite float from a JSON number or numeric string; ``ValueError`` naming ``key`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"field {key!r} must be a number, not {type(value).__name__}")
    try:
        number = float(value)
    except (ValueError, OverflowError):
        raise ValueError(f"field {key!r} is not a number: {str(value)[:40]!r}") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(f"field {key!r} is not a finite number: {str(value)[:40]}")
    return number


#: Sentence ids above this are not sentence positions (a document has far fewer sentences).
MAX_SENTENCE_ID = 2**31 - 1


def _ids_field(value: Any, key: str) -> tuple[int, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, list | tuple):
        raise ValueError(f"field {key!r} must be a list of sentence ids, not {type(value).__name__}")
    out = []
    for i in value:
        if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i <= MAX_SENTENCE_ID:
            raise ValueError(f"field {key!r} must hold sentence ids (integers 0..{MAX_SENTENCE_ID}), "
                             f"got {str(i)[:40]}")
        out.append(i)
    return tuple(out)


def _flags_field(value: Any) -> tuple[str, ...]:
    """Flags as a list of strings; a single string is one flag (``"lossy-latin"``), a comma list several."""
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(f.strip() for f in value.split(",") if f.strip())
    if not isinstance(value, list | tuple):
        raise ValueError(f"field 'flags' must be a list of strings, not {type(value).__name__}")
    return tuple(str(f) for f in value)


@dataclass(frozen=True, slots=True)
class Reject:
    """A document or a sentence pair left out, with its reasons (``code: detail``, the deciding one first).

    The one record of every rejects file (``duiqi align/filter --rejects``, a run's ``rejects/``):
    ``{"kind", "doc", "source", "reason", "reasons", "pair"}`` -- ``reason`` is the first reason's code
    (``timeout``, ``min-quality``...), ``pair`` the rejected pair's own record (pairs only).
    """

    kind: Literal["document", "pair"]
    doc: str
    reasons: tuple[str, ...]
    source: str = ""
    pair: Pair | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        """The code of each reason (the part before ``:``)."""
        return tuple(r.split(":", 1)[0] for r in self.reasons)

    @property
    def reason(self) -> str:
        """The code of the reason that decided."""
        return self.codes[0] if self.reasons else ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "reasons":
                out["reason"] = self.reason
                value = list(value)
            elif f.name == "pair":
                if value is None:
                    continue
                value = value.to_dict()
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Reject:
        """A reject from its :meth:`to_dict` form (``ValueError`` when it is not one)."""
        kind, reasons, pair = d.get("kind"), d.get("reasons"), d.get("pair")
        if kind not in ("document", "pair") or not isinstance(reasons, list):
            raise ValueError("not a reject record (needs 'kind' document or pair, and a 'reasons' list)")
        return cls(kind, _text_field(d, "doc", ""), tuple(str(r) for r in reasons), _text_field(d, "source", ""),
                   None if pair is None else Pair.from_dict(pair))
