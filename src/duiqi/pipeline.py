"""The document pipeline: repair -> segment -> match blocks -> align sentences -> score -> filter.

>>> from duiqi.pipeline import Pipeline, PipelineConfig
>>> pipe = Pipeline(PipelineConfig(encoder="use"))            # doctest: +SKIP
>>> pairs = pipe.process(read_document("mixed.txt"))          # doctest: +SKIP
>>> pairs = pipe.process_pair(read_document("zh.txt"), read_document("en.txt"))  # doctest: +SKIP
>>> outcome = pipe.run(read_document("mixed.txt"))          # doctest: +SKIP (kept pairs + rejects)

Pairs leave scored (``quality`` and ``margin``, :class:`duiqi.steps.ScoreStep`) unless ``score=False``;
``filters`` (a :class:`duiqi.score.FilterConfig`, off by default) adds the filter step, whose rejects
come back with their reasons in :meth:`Pipeline.run`'s :class:`~duiqi.steps.Outcome`.

:class:`PipelineConfig` is frozen and picklable (a corpus run ships it to every worker);
:meth:`PipelineConfig.settings` goes into the output signature. The encoder is loaded lazily, once per
:class:`Pipeline`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from duiqi.align.config import AlignConfig
from duiqi.align.mixed import MixedConfig, SideFlag, align_sentence_sides
from duiqi.embed.base import Encoder
from duiqi.errors import ConfigError, InputError
from duiqi.lang import LanguagePair
from duiqi.records import EN, ZH, Block, Document, Pair, Sentence
from duiqi.repair import repair
from duiqi.score import FilterConfig
from duiqi.segment import blocks, sentences
from duiqi.segment.langid import PairIdentifier
from duiqi.steps import DocumentEmbeddings, FilterStep, Outcome, ScoreStep, finish

_DEFAULT_EN_FACTOR = MixedConfig().en_length_factor

#: ``mode`` of a signature: one mixed bilingual document, or a document and its translation.
MIXED_MODE = "mixed"
DOCUMENTS_MODE = "parallel-documents"


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
    pair: LanguagePair | None = None
    """The language pair with its profiles (:mod:`duiqi.lang`); built from ``src_lang``/``tgt_lang`` when
    not given (either way is fine: ``pair=LanguagePair("de", "fr")`` or ``src_lang="de", tgt_lang="fr"``)."""
    score: bool = True
    """The score step: every pair gets its calibrated ``quality`` and its ``margin`` in the document."""
    filters: FilterConfig | None = None
    """The filter step (:func:`duiqi.score.apply_filters` with these thresholds); ``None``: every pair kept."""

    def __post_init__(self) -> None:
        if self.pair is None:
            object.__setattr__(self, "pair", LanguagePair(self.src_lang, self.tgt_lang))
        elif (self.src_lang, self.tgt_lang) not in ((ZH, EN), (self.pair.src, self.pair.tgt)):
            raise ConfigError(f"src_lang/tgt_lang {self.src_lang}/{self.tgt_lang} contradict the pair "
                              f"{self.pair.src}/{self.pair.tgt}; give one of them")
        else:
            object.__setattr__(self, "src_lang", self.pair.src)
            object.__setattr__(self, "tgt_lang", self.pair.tgt)
        if self.script not in ("auto", "simplified", "traditional", "keep"):
            raise ConfigError(f"script must be auto, simplified, traditional or keep, not {self.script!r}")

    @property
    def languages(self) -> LanguagePair:
        assert self.pair is not None  # set in __post_init__
        return self.pair

    def length_factor(self) -> dict[str, float]:
        """Weight of one character of each language of the pair when block lengths are compared: the
        profiles' ``length_factor``; for English, ``mixed.en_length_factor`` when it was changed from its
        default (the older knob keeps working)."""
        out = {p.code: p.length_factor for p in self.languages.profiles}
        if EN in out and self.mixed.en_length_factor != _DEFAULT_EN_FACTOR:
            out[EN] = self.mixed.en_length_factor
        return out

    def align_for(self, mode: str | None) -> AlignConfig:
        """The sentence aligner's settings as a document of ``mode`` runs them: a mixed document pools
        multi-sentence spans (``mixed.span_embedding='mean'``); two documents use ``align`` as it is."""
        if mode == MIXED_MODE and self.mixed.span_embedding == "mean" and self.align.span_embedding != "mean":
            return replace(self.align, span_embedding="mean")
        return self.align

    def settings(self, mode: str | None = None, encoder: str | None = None) -> dict[str, Any]:
        """The signature fields of this config, as a document of ``mode`` (``mixed``,
        ``parallel-documents``) runs it; the encoder by the name it reports (``use-m3@0.2.1+t2s``):
        ``encoder`` when the caller has it loaded, else the name :attr:`encoder`'s spec gives."""
        from duiqi.embed.registry import encoder_name

        out: dict[str, Any] = {
            "encoder": encoder or encoder_name(self.encoder),
            "repair": self.repair,
            "script": self.script,
            "min_score": "none" if self.min_score is None else self.min_score,
            "markdown": self.markdown,
            "inline_pairs": self.inline_pairs,
        }
        if mode is not None:
            out["mode"] = mode
        out.update(self.languages.settings())
        out.update({f"lang.{code}.length": f for code, f in self.length_factor().items()})
        align = self.align_for(mode).settings()
        align.pop("align.aux_weight", None)  # the document pipeline runs no second encoder
        out.update(align)
        out.update(self.mixed.settings())
        out.pop("mixed.en_length_factor", None)  # folded into lang.en.length (see length_factor)
        if self.score:
            out.update(ScoreStep.settings())
        if self.filters is not None:
            out.update(FilterStep(self.filters).settings())
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
        self._modes: list[str] = []
        self.filter_step = FilterStep(self.config.filters) if self.config.filters is not None else None
        self.last_embeddings: DocumentEmbeddings | None = None
        """The last document's embeddings view (its counts: texts asked, texts passed on to scoring)."""

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            from duiqi.embed import get_encoder

            self._encoder = get_encoder(self.config.encoder)
        return self._encoder

    def settings(self) -> dict[str, Any]:
        """The signature fields of what this pipeline ran: the mode(s) of the documents it processed, the
        aligner settings as those modes used them, and the name the encoder reports (a field whose value
        differed between two modes lists both, in the order of ``mode``)."""
        return settings_for(self.config, self._modes, self._encoder.name if self._encoder is not None else None)

    def _ran(self, mode: str) -> None:
        if mode not in self._modes:
            self._modes.append(mode)

    # -- stages -------------------------------------------------------------------------------

    def prepare(self, doc: Document) -> Prepared:
        """Repair (unless already repaired or switched off) and segment ``doc``."""
        if not isinstance(doc, Document):
            raise TypeError(f"expected a duiqi.records.Document (e.g. duiqi.io.read_document(path) or "
                            f"Document(id=..., text=...)), not {type(doc).__name__}")
        if not isinstance(doc.text, str) or not doc.text.strip():
            raise InputError(doc.source or doc.id, "the document is empty")
        flags: tuple[SideFlag, ...] = ()
        markdown = False
        if self.config.markdown:
            from duiqi.io.markdown import looks_like_markdown

            markdown = looks_like_markdown(doc.text)
        if self.config.repair and not doc.repaired:
            result = repair(doc.text, script=self.config.script)
            flags = tuple(SideFlag(f.kind, f.start, f.end) for f in result.flags)
            doc = replace(doc, text=result.text, repaired=True)
        bl = tuple(blocks(doc, identifier=PairIdentifier.for_pair(self.config.languages)))
        return Prepared(doc, bl, tuple(sentences(bl)), flags, markdown)

    def _finish(self, pairs: list[Pair], embeddings: DocumentEmbeddings) -> Outcome:
        """The steps after alignment: the alignment-score threshold, score, filter."""
        if self.config.min_score is not None:
            pairs = [p for p in pairs if p.score >= self.config.min_score]
        score = ScoreStep(self.encoder) if self.config.score else None
        return finish(pairs, score, self.filter_step, embeddings)

    def clear(self) -> None:
        """Forget the texts the encoder has seen (its memo would otherwise grow with every document)."""
        from duiqi.embed.base import CachedEncoder

        if isinstance(self._encoder, CachedEncoder):
            self._encoder.clear()

    # -- public -------------------------------------------------------------------------------

    def process(self, doc: Document) -> list[Pair]:
        """One mixed bilingual document -> scored sentence pairs (src_lang -> tgt_lang), in document
        order (those the filter step keeps, when it is on)."""
        return self.run(doc).pairs

    def process_pair(self, src_doc: Document, tgt_doc: Document) -> list[Pair]:
        """A document and its translation (each in one language) -> scored sentence pairs (those the
        filter step keeps, when it is on). See :meth:`run_pair`."""
        return self.run_pair(src_doc, tgt_doc).pairs

    def run(self, doc: Document) -> Outcome:
        """One mixed bilingual document through every step: the kept pairs and the rejected ones."""
        from duiqi.align.mixed import gloss_pairs

        prep = self.prepare(doc)
        langs = self.config.languages
        src_lang, tgt_lang = langs.src, langs.tgt
        gloss = {b.index for b in prep.blocks if b.kind == "gloss"}
        side = {lang: [s for s in prep.sentences if s.lang == lang and s.block_index not in gloss]
                for lang in (src_lang, tgt_lang)}
        missing = [p.name for p in langs.profiles if not any(s.lang == p.code for s in prep.sentences)]
        if missing:
            raise InputError(doc.source or doc.id, f"no {' and no '.join(missing)} text: not a bilingual document")
        align = self.config.align_for(MIXED_MODE)
        self._ran(MIXED_MODE)
        embeddings = self.last_embeddings = DocumentEmbeddings(self.encoder)
        encoder: Encoder = embeddings
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
            length_factors=(self.config.length_factor()[src_lang], self.config.length_factor()[tgt_lang]),
        ) if side[src_lang] and side[tgt_lang] else []
        # a pair of short boilerplate lines (subscribe, share, copyright, menus) is no translation data,
        # however well the two lines match: it stays out of a mixed document's pairs
        pairs = [p for p in pairs if not (_boilerplate_line(p.src) or _boilerplate_line(p.tgt))]
        if self.config.inline_pairs:
            extra = gloss_pairs(prep.doc.text, prep.blocks, prep.sentences, encoder=encoder,
                                src_lang=src_lang, tgt_lang=tgt_lang, doc=doc.id)
            pairs = sorted([*pairs, *extra], key=lambda p: min(p.src_ids, default=0))
        return self._finish(pairs, embeddings)

    def run_pair(self, src_doc: Document, tgt_doc: Document) -> Outcome:
        """A document and its translation (each in one language) through every step: the kept pairs and
        the rejected ones.

        Blocks are matched first, so sections that come in a different order on the two sides still
        pair up; when the matches are in order throughout, the whole documents are aligned in one go.
        """
        src = self.prepare(src_doc)
        tgt = self.prepare(tgt_doc)
        langs = self.config.languages
        src_lang, tgt_lang = _main_lang(src, langs), _main_lang(tgt, langs)
        names = " or ".join(p.name for p in langs.profiles)
        for prep, lang in ((src, src_lang), (tgt, tgt_lang)):
            if lang is None:
                raise InputError(prep.doc.source or prep.doc.id, f"holds no {names} text")
        if src_lang == tgt_lang:
            raise InputError(
                tgt_doc.source or tgt_doc.id,
                f"is in the same language ({src_lang}) as {src_doc.source or src_doc.id}; "
                f"need {langs.src} and {langs.tgt}",
            )
        assert src_lang is not None and tgt_lang is not None
        factor = self.config.length_factor()
        self._ran(DOCUMENTS_MODE)
        embeddings = self.last_embeddings = DocumentEmbeddings(self.encoder)
        s_sents, s_blocks = _one_language(src, src_lang, langs)
        t_sents, t_blocks = _one_language(tgt, tgt_lang, langs)
        pairs = align_sentence_sides(
            s_sents,
            t_sents,
            s_blocks,
            t_blocks,
            encoder=embeddings,
            config=self.config.align,
            mixed=self.config.mixed,
            doc=src_doc.id,
            src_flags=src.flags,
            tgt_flags=tgt.flags,
            length_factors=(factor[src_lang], factor[tgt_lang]),
            sections=True,
        )
        return self._finish(pairs, embeddings)


#: A block longer than this is running text, whatever words it holds (a paragraph about copyright law).
_BOILERPLATE_MAX_CHARS = 160


def _boilerplate_line(text: str) -> bool:
    """A one-line block that :func:`duiqi.score.boilerplate.boilerplate_kind` recognises."""
    from duiqi.score.boilerplate import boilerplate_kind

    t = text.strip()
    return 0 < len(t) <= _BOILERPLATE_MAX_CHARS and "\n" not in t and boilerplate_kind(t) is not None


def _main_lang(prep: Prepared, langs: LanguagePair) -> str | None:
    """The pair language most of ``prep``'s text is in (by characters), or ``None``."""
    weight = {langs.src: 0, langs.tgt: 0}
    for s in prep.sentences:
        if s.lang in weight:
            weight[s.lang] += len(s.text)
    best = max(weight, key=lambda k: weight[k])
    return best if weight[best] else None


def _one_language(prep: Prepared, lang: str, langs: LanguagePair) -> tuple[list[Sentence], list[Block]]:
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
    return [s if (s.lang, s.index) == (lang, k) else replace(s, lang=lang, index=k)
            for k, s in enumerate(sents)], blocks


def settings_for(config: PipelineConfig, modes: Sequence[str] = (), encoder: str | None = None) -> dict[str, Any]:
    """The signature fields of ``config`` run on documents of ``modes`` (none: the config alone); a field
    whose value differs between the modes lists one value per mode, in the order of ``mode``.
    ``encoder``: the name the loaded encoder reports (default: the name its spec gives)."""
    per_mode = [config.settings(m, encoder) for m in modes] or [config.settings(None, encoder)]
    out: dict[str, Any] = {}
    for key in per_mode[0]:
        values = [s[key] for s in per_mode]
        out[key] = values[0] if all(v == values[0] for v in values) else tuple(values)
    return out
