"""The document pipeline: repair -> segment -> match blocks -> align sentences -> pairs.

>>> from duiqi.pipeline import Pipeline, PipelineConfig
>>> pipe = Pipeline(PipelineConfig(encoder="use"))            # doctest: +SKIP
>>> pairs = pipe.process(read_document("mixed.txt"))          # doctest: +SKIP
>>> pairs = pipe.process_pair(read_document("zh.txt"), read_document("en.txt"))  # doctest: +SKIP

:class:`PipelineConfig` is frozen and picklable (a corpus run ships it to every worker);
:meth:`PipelineConfig.settings` goes into the output signature. The encoder is loaded lazily, once per
:class:`Pipeline`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from duiqi.align.config import AlignConfig
from duiqi.align.mixed import MixedConfig, SideFlag
from duiqi.embed.base import Encoder
from duiqi.errors import InputError
from duiqi.records import EN, ZH, Block, Document, Pair, Sentence


@dataclass(frozen=True, slots=True)
class PipelineConfig:
    """Everything that decides the pipeline's output (all of it goes into the signature)."""

    encoder: str = "use"
    """Encoder spec for :func:`duiqi.embed.get_encoder` (``use``, ``fake``, ``st:MODEL``)."""
    align: AlignConfig = field(default_factory=AlignConfig)
    mixed: MixedConfig = field(default_factory=MixedConfig)
    repair: bool = True
    """Run :func:`duiqi.repair.repair` on documents not already repaired."""
    script: str = "auto"
    """Script option of the repair stage (``auto``, ``simplified``, ``traditional``, ``keep``)."""
    src_lang: str = ZH
    tgt_lang: str = EN
    min_score: float | None = None
    """Drop pairs whose alignment score is below this."""
    markdown: bool = True
    """Documents that look like Markdown (:func:`duiqi.io.markdown.looks_like_markdown`): the aligner sees
    their sentences without inline markup (emphasis, backticks, links, inline HTML); pairs keep the text
    as written (offsets into the document unchanged)."""
    inline_pairs: bool = False
    """One-document mode: lines holding both languages as annotations (glossary lines, bilingual headings,
    ``>`` glosses; blocks of kind ``gloss``) also yield their two halves as a pair flagged ``inline``.
    Either way such lines are kept out of the alignment of the running text."""

    def __post_init__(self) -> None:
        if {self.src_lang, self.tgt_lang} != {ZH, EN}:
            raise ValueError(f"src_lang/tgt_lang must be zh and en (either way), not {self.src_lang}/{self.tgt_lang}")
        if self.script not in ("auto", "simplified", "traditional", "keep"):
            raise ValueError(f"script must be auto, simplified, traditional or keep, not {self.script!r}")

    def settings(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "encoder": self.encoder,
            "repair": self.repair,
            "script": self.script,
            "src_lang": self.src_lang,
            "tgt_lang": self.tgt_lang,
            "min_score": "none" if self.min_score is None else self.min_score,
            "markdown": self.markdown,
            "inline_pairs": self.inline_pairs,
        }
        out.update(self.align.settings())
        out.update(self.mixed.settings())
        return out


@dataclass(frozen=True, slots=True)
class Prepared:
    """A repaired, segmented document: its blocks, sentences and repair flags."""

    doc: Document
    blocks: tuple[Block, ...]
    sentences: tuple[Sentence, ...]
    flags: tuple[SideFlag, ...]
    markdown: bool = False
    """The document looks like Markdown: the aligner encodes its sentences without inline markup."""


class Pipeline:
    """Runs the stages on documents. Reuse one instance: the encoder is loaded on first use only."""

    def __init__(self, config: PipelineConfig | None = None, *, encoder: Encoder | None = None) -> None:
        self.config = config or PipelineConfig()
        self._encoder = encoder

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            from duiqi.embed import get_encoder

            self._encoder = get_encoder(self.config.encoder)
        return self._encoder

    def settings(self) -> dict[str, Any]:
        return self.config.settings()

    # -- stages -------------------------------------------------------------------------------

    def prepare(self, doc: Document) -> Prepared:
        """Repair (unless already repaired or switched off) and segment ``doc``."""
        from duiqi.segment import blocks, sentences

        if not isinstance(doc, Document):
            raise TypeError(f"expected a duiqi.records.Document (e.g. duiqi.io.read_document(path) or "
                            f"Document(id=..., text=...)), not {type(doc).__name__}")
        if not isinstance(doc.text, str) or not doc.text.strip():
            raise InputError(doc.source or doc.id, "the document is empty")
        flags: tuple[SideFlag, ...] = ()
        from dataclasses import replace

        markdown = False
        if self.config.markdown:
            from duiqi.io.markdown import looks_like_markdown

            markdown = looks_like_markdown(doc.text)
        if self.config.repair and not doc.repaired:

            from duiqi.repair import repair

            result = repair(doc.text, script=self.config.script)
            flags = tuple(SideFlag(f.kind, f.start, f.end) for f in result.flags)
            doc = replace(doc, text=result.text, repaired=True)
        bl = tuple(blocks(doc))
        return Prepared(doc, bl, tuple(sentences(bl)), flags, markdown)

    def _finish(self, pairs: list[Pair]) -> list[Pair]:
        if self.config.min_score is not None:
            pairs = [p for p in pairs if p.score >= self.config.min_score]
        return pairs

    # -- public -------------------------------------------------------------------------------

    def process(self, doc: Document) -> list[Pair]:
        """One mixed bilingual document -> sentence pairs (src_lang -> tgt_lang), in document order."""
        from duiqi.align.mixed import align_sentence_sides, gloss_pairs

        prep = self.prepare(doc)
        gloss = {b.index for b in prep.blocks if b.kind == "gloss"}
        side = {lang: [s for s in prep.sentences if s.lang == lang and s.block_index not in gloss]
                for lang in (ZH, EN)}
        src_lang, tgt_lang = self.config.src_lang, self.config.tgt_lang
        missing = [name for lang, name in ((ZH, "Chinese"), (EN, "English"))
                   if not any(s.lang == lang for s in prep.sentences)]
        if missing:
            raise InputError(doc.source or doc.id, f"no {' and no '.join(missing)} text: not a bilingual document")
        align = self.config.align
        if self.config.mixed.span_embedding == "mean" and align.span_embedding != "mean":
            from dataclasses import replace

            align = replace(align, span_embedding="mean")
        encoder = self.encoder
        if prep.markdown:
            from duiqi.align.mixed import MarkupFreeEncoder

            encoder = MarkupFreeEncoder(encoder)
        pairs = align_sentence_sides(
            side[src_lang],
            side[tgt_lang],
            [b for b in prep.blocks if b.lang == src_lang and b.index not in gloss],
            [b for b in prep.blocks if b.lang == tgt_lang and b.index not in gloss],
            encoder=encoder,
            config=align,
            mixed=self.config.mixed,
            doc=doc.id,
            src_flags=prep.flags,
            tgt_flags=prep.flags,
            src_zh=src_lang == ZH,
        ) if side[src_lang] and side[tgt_lang] else []
        if self.config.inline_pairs:
            extra = gloss_pairs(prep.doc.text, prep.blocks, prep.sentences, encoder=encoder,
                                src_lang=src_lang, doc=doc.id)
            pairs = sorted([*pairs, *extra], key=lambda p: min(p.src_ids, default=0))
        return self._finish(pairs)

    def process_pair(self, src_doc: Document, tgt_doc: Document) -> list[Pair]:
        """A document and its translation (each in one language) -> sentence pairs.

        Blocks are matched first, so sections that come in a different order on the two sides still
        pair up; when the matches are in order throughout, the whole documents are aligned in one go.
        """
        from duiqi.align.mixed import align_sentence_sides

        src = self.prepare(src_doc)
        tgt = self.prepare(tgt_doc)
        src_lang, tgt_lang = _main_lang(src), _main_lang(tgt)
        for prep, lang in ((src, src_lang), (tgt, tgt_lang)):
            if lang is None:
                raise InputError(prep.doc.source or prep.doc.id, "holds no Chinese or English text")
        if src_lang == tgt_lang:
            raise InputError(
                tgt_doc.source or tgt_doc.id,
                f"is in the same language ({src_lang}) as {src_doc.source or src_doc.id}; need zh and en",
            )
        assert src_lang is not None and tgt_lang is not None
        s_sents = [s for s in src.sentences if s.lang == src_lang]
        t_sents = [s for s in tgt.sentences if s.lang == tgt_lang]
        pairs = align_sentence_sides(
            s_sents,
            t_sents,
            [b for b in src.blocks if b.lang == src_lang],
            [b for b in tgt.blocks if b.lang == tgt_lang],
            encoder=self.encoder,
            config=self.config.align,
            mixed=self.config.mixed,
            doc=src_doc.id,
            src_flags=src.flags,
            tgt_flags=tgt.flags,
            src_zh=src_lang == ZH,
            sections=True,
        )
        return self._finish(pairs)


def _main_lang(prep: Prepared) -> str | None:
    weight = {ZH: 0, EN: 0}
    for s in prep.sentences:
        if s.lang in weight:
            weight[s.lang] += len(s.text)
    best = max(weight, key=lambda k: weight[k])
    return best if weight[best] else None
