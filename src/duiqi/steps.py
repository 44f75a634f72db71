"""The pipeline's steps, as small objects over one typed record (:class:`DocState`).

:class:`duiqi.pipeline.Pipeline` holds the ordered list of steps (``Pipeline.steps``) and folds a document's
state over it::

    read (duiqi.io)  ->  RepairStep -> SegmentStep -> MatchBlocksStep -> AlignStep -> ScoreStep -> FilterStep
                     ->  write (duiqi.export)

Each step is ``step(state) -> state`` (a new :class:`DocState`, the old one untouched) and reports the
signature fields of what it ran (``settings(mode)``): the signature is the union of the fields of the
steps a document went through (:meth:`duiqi.pipeline.Pipeline.settings`). ``Pipeline.run`` returns an
:class:`Outcome`: the kept pairs and the rejected ones with their reasons. ``duiqi align``, ``duiqi run``
(every engine), ``duiqi review`` and the Python API all go through that one place; a processor that is
not a :class:`~duiqi.pipeline.Pipeline` (the run's test stand-in) runs the score and filter steps through
:func:`finish`.

:class:`DocumentEmbeddings` is the only reuse of encoded texts: one per document, it keeps every sentence
embedding (and, for an encoder that composes spans, every sentence's pooled states) computed while the
document is matched and aligned, and hands them on to the later steps, which then encode only the texts
nobody encoded before (joined multi-sentence sides). Nothing is kept from one document to the next.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar, Protocol

import numpy as np

from duiqi.align.config import AlignConfig
from duiqi.align.mixed import (
    BlockAlignment,
    MarkupFreeEncoder,
    MixedConfig,
    SideFlag,
    align_groups,
    gloss_pairs,
    match_sides,
)
from duiqi.embed.base import CachedEncoder, Encoder
from duiqi.errors import InputError
from duiqi.io.markdown import looks_like_markdown
from duiqi.lang import LanguagePair
from duiqi.records import Block, Document, Pair, Sentence
from duiqi.repair import repair
from duiqi.score import FilterConfig, Rejected, apply_filters, default_model, score_pairs
from duiqi.score.boilerplate import boilerplate_kind
from duiqi.segment import blocks, sentences
from duiqi.segment.langid import PairIdentifier

#: ``mode`` of a signature: one mixed bilingual document, or a document and its translation.
MIXED_MODE = "mixed"
DOCUMENTS_MODE = "parallel-documents"


# -- the records ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Prepared:
    """A repaired, segmented document: its blocks, sentences and repair flags."""

    doc: Document
    blocks: tuple[Block, ...]
    sentences: tuple[Sentence, ...]
    flags: tuple[SideFlag, ...]
    markdown: bool = False
    """The document looks like Markdown: the aligner encodes its sentences without inline markup."""


@dataclass(frozen=True, slots=True)
class Side:
    """One language side of the alignment: its sentences (document order), their blocks and the repair
    flags of the text they point into."""

    lang: str
    sentences: tuple[Sentence, ...]
    blocks: tuple[Block, ...]
    flags: tuple[SideFlag, ...] = ()


@dataclass(frozen=True)
class DocState:
    """One document (or a document and its translation) on its way through the steps. Each step fills in
    its part: ``prepared`` (repair, segment), ``sides`` and ``matches`` (match blocks), ``pairs`` (align,
    then score), ``rejected``/``counts``/``first`` (filter)."""

    mode: str
    """:data:`MIXED_MODE` (one document, both languages) or :data:`DOCUMENTS_MODE` (a document and its
    translation)."""
    docs: tuple[Document, ...]
    """The documents as read (one, or source and target)."""
    embeddings: Encoder | None = None
    """This document's view of the encoder (:class:`DocumentEmbeddings`); ``None``: no encoder (pairs keep
    their alignment score as similarity)."""
    prepared: tuple[Prepared, ...] = ()
    """Per document: repaired text, flags (repair step), blocks and sentences (segment step)."""
    sides: tuple[Side, Side] | None = None
    """The source and target sides the aligner sees (match blocks step)."""
    matches: BlockAlignment | None = None
    """The groups of blocks to align (match blocks step); ``None`` when a side has no sentence."""
    pairs: tuple[Pair, ...] = ()
    rejected: tuple[Rejected, ...] = ()
    counts: Mapping[str, int] = field(default_factory=dict)
    """Pairs failing each filter (a pair can fail several)."""
    first: Mapping[str, int] = field(default_factory=dict)
    """Pairs whose first failed filter is this one (sums to the number rejected)."""

    @staticmethod
    def start(mode: str, docs: Sequence[Document], embeddings: Encoder | None) -> DocState:
        """The state before the first step; refuses what is not a non-empty :class:`Document`."""
        for doc in docs:
            if not isinstance(doc, Document):
                raise TypeError(f"expected a duiqi.records.Document (e.g. duiqi.io.read_document(path) or "
                                f"Document(id=..., text=...)), not {type(doc).__name__}")
            if not isinstance(doc.text, str) or not doc.text.strip():
                raise InputError(doc.source or doc.id, "the document is empty")
        return DocState(mode, tuple(docs), embeddings)

    @property
    def doc_id(self) -> str:
        """``doc`` of the pairs: the (source) document's id."""
        return self.docs[0].id if self.docs else ""

    def aligner_encoder(self) -> Encoder:
        """The encoder the match-blocks and align steps use: the document's view, seeing a Markdown
        document's sentences without inline markup (one-document mode)."""
        assert self.embeddings is not None, "aligning needs an encoder"
        if self.mode == MIXED_MODE and self.prepared and self.prepared[0].markdown:
            return MarkupFreeEncoder(self.embeddings)
        return self.embeddings


@dataclass(frozen=True)
class Outcome:
    """What the pipeline made of one document: the pairs kept (scored, in document order) and those the
    filter step rejected, each with its reasons."""

    pairs: list[Pair]
    rejected: list[Rejected] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    """Pairs failing each filter (a pair can fail several)."""
    first: dict[str, int] = field(default_factory=dict)
    """Pairs whose first failed filter is this one (sums to the number rejected)."""
    state: DocState | None = field(default=None, compare=False, repr=False)
    """The document's final state (its sentences, blocks, matches), when a pipeline made it."""

    @staticmethod
    def of(state: DocState) -> Outcome:
        return Outcome(list(state.pairs), list(state.rejected), dict(state.counts), dict(state.first), state)


class Step(Protocol):
    """``step(state) -> state``, and the signature fields of what it runs for a document of ``mode``."""

    @property
    def name(self) -> str: ...

    def __call__(self, state: DocState) -> DocState: ...

    def settings(self, mode: str | None = None) -> dict[str, Any]: ...


# -- the per-document embeddings ---------------------------------------------------------------------


class DocumentEmbeddings(CachedEncoder):
    """An encoder view for one document: every row the wrapped encoder returns is kept (by text), and
    asked again it is handed on instead of being encoded again; for an encoder that composes spans
    (:mod:`duiqi.embed.usepool`), each sentence's pooled states are kept too, so a run of sentences is
    composed from them (only the tokens next to the seams are run). Build one per document and drop it
    afterwards (its memory is the document's, never the corpus's).

    Everything else (``name``, ``dim``, ...) is the wrapped encoder's. An encoder that has an
    ``on_request`` method (the progress display of ``duiqi align``) is told the size of every request.
    """

    def __init__(self, encoder: Encoder) -> None:
        super().__init__(encoder)
        self.requested = 0
        """Texts asked of this view."""
        self.passed_on = 0
        """Texts asked again and answered from the document's rows (not sent to the encoder)."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        self._observe(texts)
        self.requested += len(texts)
        self.passed_on += sum(1 for t in texts if t in self._memo)
        if not texts:
            return np.asarray(self.inner.encode([]), dtype=np.float32)
        return super().encode(texts)

    def states(self, texts: Sequence[str], glue: str = " ", seams: bool = True) -> Any:
        self._observe(texts)
        return super().states(texts, glue, seams)

    def _observe(self, texts: Sequence[str]) -> None:
        hook = getattr(self.inner, "on_request", None)
        if callable(hook) and texts:
            hook(len(texts))

    def __getattr__(self, name: str) -> Any:  # dim, ... of the wrapped encoder
        if name in ("inner", "_memo", "_parts"):
            raise AttributeError(name)
        return getattr(self.inner, name)


# -- the steps ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RepairStep:
    """:func:`duiqi.repair.repair` on every document not already repaired (``enabled=False``: none), its
    flags kept for the pairs."""

    enabled: bool = True
    script: str = "auto"
    name: ClassVar[str] = "repair"

    def __call__(self, state: DocState) -> DocState:
        out = []
        for doc in state.docs:
            flags: tuple[SideFlag, ...] = ()
            if self.enabled and not doc.repaired:
                result = repair(doc.text, script=self.script)
                flags = tuple(SideFlag(f.kind, f.start, f.end) for f in result.flags)
                doc = replace(doc, text=result.text, repaired=True)
            out.append(Prepared(doc, (), (), flags))
        return replace(state, prepared=tuple(out))

    def settings(self, mode: str | None = None) -> dict[str, Any]:
        return {"repair": self.enabled, "script": self.script}


@dataclass(frozen=True)
class SegmentStep:
    """Blocks (language per block, the pair's languages kept as :mod:`duiqi.lang` says) and sentences of
    every document; ``markdown``: a document that looks like Markdown (as read) is marked so."""

    pair: LanguagePair
    markdown: bool = True
    name: ClassVar[str] = "segment"

    def __call__(self, state: DocState) -> DocState:
        identifier = PairIdentifier.for_pair(self.pair)
        out = []
        for read, prep in zip(state.docs, state.prepared, strict=True):
            markdown = False
            if self.markdown:
                markdown = looks_like_markdown(read.text)
            bl = tuple(blocks(prep.doc, identifier=identifier))
            out.append(replace(prep, blocks=bl, sentences=tuple(sentences(bl)), markdown=markdown))
        return replace(state, prepared=tuple(out))

    def settings(self, mode: str | None = None) -> dict[str, Any]:
        return {"markdown": self.markdown}


@dataclass(frozen=True)
class MatchBlocksStep:
    """The two language sides (one document: its blocks of each language, bilingual ``gloss`` lines left
    out; two documents: each one's main language) and the source blocks matched to the target blocks
    (:func:`duiqi.align.mixed.match_sides`); every sentence is encoded here, once."""

    pair: LanguagePair
    mixed: MixedConfig = field(default_factory=MixedConfig)
    length_factor: Mapping[str, float] = field(default_factory=dict)
    """Weight of one character of each language (the profiles' ``length_factor``)."""
    name: ClassVar[str] = "match-blocks"

    def __call__(self, state: DocState) -> DocState:
        src, tgt = self.sides(state)
        if not src.sentences or not tgt.sentences:
            return replace(state, sides=(src, tgt), matches=None)
        found = match_sides(
            src.sentences, tgt.sentences, src.blocks, tgt.blocks,
            encoder=state.aligner_encoder(), mixed=self.mixed,
            sections=state.mode == DOCUMENTS_MODE,
            length_factors=(self.length_factor[src.lang], self.length_factor[tgt.lang]),
        )
        return replace(state, sides=(src, tgt), matches=found)

    def sides(self, state: DocState) -> tuple[Side, Side]:
        langs = self.pair
        if state.mode == MIXED_MODE:
            (prep,) = state.prepared
            doc = state.docs[0]
            missing = [p.name for p in langs.profiles if not any(s.lang == p.code for s in prep.sentences)]
            if missing:
                raise InputError(doc.source or doc.id,
                                 f"no {' and no '.join(missing)} text: not a bilingual document")
            gloss = {b.index for b in prep.blocks if b.kind == "gloss"}
            return tuple(  # type: ignore[return-value]
                Side(lang, tuple(s for s in prep.sentences if s.lang == lang and s.block_index not in gloss),
                     tuple(b for b in prep.blocks if b.lang == lang and b.index not in gloss), prep.flags)
                for lang in (langs.src, langs.tgt))
        src, tgt = state.prepared
        src_lang, tgt_lang = _main_lang(src, langs), _main_lang(tgt, langs)
        names = " or ".join(p.name for p in langs.profiles)
        for prep, lang in ((src, src_lang), (tgt, tgt_lang)):
            if lang is None:
                raise InputError(prep.doc.source or prep.doc.id, f"holds no {names} text")
        if src_lang == tgt_lang:
            a, b = state.docs
            raise InputError(b.source or b.id, f"is in the same language ({src_lang}) as {a.source or a.id}; "
                                               f"need {langs.src} and {langs.tgt}")
        assert src_lang is not None and tgt_lang is not None
        s_sents, s_blocks = _one_language(src, src_lang, langs)
        t_sents, t_blocks = _one_language(tgt, tgt_lang, langs)
        return Side(src_lang, s_sents, s_blocks, src.flags), Side(tgt_lang, t_sents, t_blocks, tgt.flags)

    def settings(self, mode: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {f"lang.{code}.length": f for code, f in self.length_factor.items()}
        out.update(self.mixed.settings())
        return out


@dataclass(frozen=True)
class AlignStep:
    """The sentences of each matched group aligned (:func:`duiqi.align.mixed.align_groups`); in one
    document, pairs of short boilerplate lines left out and (``inline_pairs``) bilingual lines' halves
    added."""

    align: AlignConfig = field(default_factory=AlignConfig)
    mixed: MixedConfig = field(default_factory=MixedConfig)
    inline_pairs: bool = False
    name: ClassVar[str] = "align"

    def __call__(self, state: DocState) -> DocState:
        pairs: list[Pair] = []
        if state.matches is not None and state.sides is not None:
            src, tgt = state.sides
            pairs = align_groups(state.matches, src.sentences, tgt.sentences, encoder=state.aligner_encoder(),
                                 config=self.align, mixed=self.mixed, doc=state.doc_id,
                                 src_flags=src.flags, tgt_flags=tgt.flags)
        if state.mode == MIXED_MODE:
            # a pair of short boilerplate lines (subscribe, share, copyright, menus) is no translation data,
            # however well the two lines match: it stays out of a mixed document's pairs
            pairs = [p for p in pairs if not (_boilerplate_line(p.src) or _boilerplate_line(p.tgt))]
            if self.inline_pairs and state.sides is not None:
                (prep,) = state.prepared
                extra = gloss_pairs(prep.doc.text, prep.blocks, prep.sentences, encoder=state.aligner_encoder(),
                                    src_lang=state.sides[0].lang, tgt_lang=state.sides[1].lang,
                                    doc=state.doc_id)
                pairs = sorted([*pairs, *extra], key=lambda p: min(p.src_ids, default=0))
        return replace(state, pairs=tuple(pairs))

    def settings(self, mode: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"inline_pairs": self.inline_pairs}
        align = self.align.settings()
        align.pop("align.aux_weight", None)  # the document pipeline runs no second encoder
        out.update(align)
        return out


#: A block longer than this is running text, whatever words it holds (a paragraph about copyright law).
_BOILERPLATE_MAX_CHARS = 160


def _boilerplate_line(text: str) -> bool:
    """A one-line block that :func:`duiqi.score.boilerplate.boilerplate_kind` recognises."""
    t = text.strip()
    return 0 < len(t) <= _BOILERPLATE_MAX_CHARS and "\n" not in t and boilerplate_kind(t) is not None


def _one_language(prep: Prepared, lang: str, langs: LanguagePair) -> tuple[tuple[Sentence, ...], tuple[Block, ...]]:
    """The sentences and blocks of a document written in ``lang``, all of them in ``lang`` (numbered
    0, 1, 2... in order): one document is one side, whatever the identifier said of a short line
    (``Pause .`` in a French text, a name, a number). Only text in the other language's script (English
    quoted in a Chinese document) stays out when the two languages are told apart by script."""
    other = langs.target if langs.src == lang else langs.source
    script = (langs.source if langs.src == lang else langs.target).script
    foreign = {other.code} if other.script != script else set()
    blocks = [b if b.lang == lang else replace(b, lang=lang) for b in prep.blocks if b.lang not in foreign]
    kept = {b.index for b in blocks}
    sents = [s for s in prep.sentences if s.block_index in kept]
    return tuple(s if (s.lang, s.index) == (lang, k) else replace(s, lang=lang, index=k)
                 for k, s in enumerate(sents)), tuple(blocks)


def _main_lang(prep: Prepared, langs: LanguagePair) -> str | None:
    """The pair language most of ``prep``'s text is in (by characters), or ``None``."""
    weight = {langs.src: 0, langs.tgt: 0}
    for s in prep.sentences:
        if s.lang in weight:
            weight[s.lang] += len(s.text)
    best = max(weight, key=lambda k: weight[k])
    return best if weight[best] else None


class ScoreStep:
    """Every pair gets ``quality`` (the packaged model) and ``margin`` against its document's other
    sentences (:func:`duiqi.score.score_pairs` with ``context=True``: each side encoded as joined text,
    the similarity the model was fitted on), reading the document's embeddings. Without an encoder (a
    processor that has none), the pairs' own ``score`` is the similarity."""

    name: ClassVar[str] = "score"

    def __call__(self, state: DocState) -> DocState:
        return replace(state, pairs=tuple(self.score(list(state.pairs), state.embeddings)))

    @staticmethod
    def score(pairs: list[Pair], encoder: Encoder | None) -> list[Pair]:
        """``pairs`` scored with ``encoder`` (best: the document's :class:`DocumentEmbeddings`)."""
        if not pairs:
            return pairs
        if encoder is None:
            return score_pairs(pairs, None, recompute="never")
        return score_pairs(pairs, encoder, context=True)

    def settings(self, mode: str | None = None) -> dict[str, Any]:
        return {"quality_model": default_model().name}


@dataclass(frozen=True)
class FilterStep:
    """The rule filters and thresholds of ``config`` (:func:`duiqi.score.apply_filters`) on one document's
    pairs; duplicates are looked for within the document when ``config.dedup`` is on."""

    config: FilterConfig
    name: ClassVar[str] = "filter"

    def __call__(self, state: DocState) -> DocState:
        out = apply_filters(list(state.pairs), self.config)
        return replace(state, pairs=tuple(out.kept), rejected=tuple(out.rejected), counts=dict(out.counts),
                       first=dict(out.first))

    def settings(self, mode: str | None = None) -> dict[str, Any]:
        return self.config.to_settings()


def fold(state: DocState, steps: Sequence[Step]) -> DocState:
    """``state`` through ``steps``, in order."""
    for step in steps:
        state = step(state)
    return state


def finish(pairs: list[Pair], score: ScoreStep | None, filters: FilterStep | None,
           encoder: Encoder | None = None) -> Outcome:
    """Score then filter one document's aligned pairs (either step may be off): the steps after alignment
    for pairs that did not come through a pipeline."""
    steps: list[Step] = [s for s in (score, filters) if s is not None]
    return Outcome.of(fold(DocState("pairs", (), encoder, pairs=tuple(pairs)), steps))


def without_dedup(config: FilterConfig | None) -> FilterConfig | None:
    """``config`` with duplicate removal off (a corpus run removes duplicates run-wide afterwards)."""
    return None if config is None else replace(config, dedup=False)
