"""The document pipeline: an ordered list of steps (:mod:`duiqi.steps`) a document's state is folded over.

    read -> repair -> segment -> match blocks -> align -> score -> filter -> write

>>> from duiqi.pipeline import Pipeline, PipelineConfig
>>> pipe = Pipeline(PipelineConfig(encoder="use"))            # doctest: +SKIP
>>> pairs = pipe.process(read_document("mixed.txt"))          # doctest: +SKIP
>>> pairs = pipe.process_pair(read_document("zh.txt"), read_document("en.txt"))  # doctest: +SKIP
>>> outcome = pipe.run(read_document("mixed.txt"))          # doctest: +SKIP (kept pairs + rejects)

``Pipeline(config).steps`` is the list (:class:`~duiqi.steps.RepairStep`, :class:`~duiqi.steps.SegmentStep`,
:class:`~duiqi.steps.MatchBlocksStep`, :class:`~duiqi.steps.AlignStep`, :class:`~duiqi.steps.ScoreStep`,
:class:`~duiqi.steps.FilterStep`); reading (:func:`duiqi.io.read_document`) comes before, writing
(:func:`duiqi.export.write_pairs`) after. The signature (:meth:`Pipeline.settings`) is the union of the
fields of the steps that ran. Pairs leave scored (``quality`` and ``margin``) unless ``score=False``;
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

from duiqi import embed  # embed.get_encoder looked up per call (tests substitute it)
from duiqi.align.config import AlignConfig
from duiqi.align.mixed import MixedConfig
from duiqi.embed.base import Encoder
from duiqi.embed.registry import encoder_name
from duiqi.errors import ConfigError
from duiqi.lang import LanguagePair
from duiqi.records import EN, ZH, Document, Pair
from duiqi.score import FilterConfig
from duiqi.steps import (
    DOCUMENTS_MODE,
    MIXED_MODE,
    AlignStep,
    DocState,
    DocumentEmbeddings,
    FilterStep,
    MatchBlocksStep,
    Outcome,
    Prepared,
    RepairStep,
    ScoreStep,
    SegmentStep,
    Step,
    fold,
)

__all__ = ["DOCUMENTS_MODE", "MIXED_MODE", "Pipeline", "PipelineConfig", "Prepared", "build_steps", "settings_for",
           "steps_settings"]


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
        profiles' ``length_factor`` (to change one, register the language's profile again with
        ``replace=True``; the pair carries its profiles to a corpus run's workers)."""
        return {p.code: p.length_factor for p in self.languages.profiles}

    def settings(self, mode: str | None = None, encoder: str | None = None) -> dict[str, Any]:
        """The signature fields of this config's steps (:func:`build_steps`), as a document of ``mode``
        (``mixed``, ``parallel-documents``) runs them; the encoder by the name it reports
        (``use-m3@0.2.1+t2s``): ``encoder`` when the caller has it loaded, else the name :attr:`encoder`'s
        spec gives."""
        return steps_settings(build_steps(self), self.languages, encoder or encoder_name(self.encoder), mode)


def build_steps(config: PipelineConfig) -> list[Step]:
    """The ordered steps ``config`` runs on a document (read before, write after)."""
    steps: list[Step] = [
        RepairStep(config.repair, config.script),
        SegmentStep(config.languages, config.markdown),
        MatchBlocksStep(config.languages, config.mixed, config.length_factor()),
        AlignStep(config.align, config.mixed, config.inline_pairs),
    ]
    if config.score:
        steps.append(ScoreStep())
    if config.filters is not None:
        steps.append(FilterStep(config.filters))
    return steps


def steps_settings(steps: Sequence[Step], pair: LanguagePair, encoder: str, mode: str | None = None) -> dict[str, Any]:
    """The signature fields of ``steps`` run on a document of ``mode`` with ``encoder`` (its name) on the
    language ``pair``: the pipeline's own (encoder, mode, pair), then each step's."""
    out: dict[str, Any] = {"encoder": encoder}
    if mode is not None:
        out["mode"] = mode
    out.update(pair.settings())
    for step in steps:
        out.update(step.settings(mode))
    return out


class Pipeline:
    """Runs its steps (:attr:`steps`) on documents. Reuse one instance: the encoder is loaded on first use
    only; nothing else is kept from one document to the next (but the modes run, for the signature)."""

    def __init__(self, config: PipelineConfig | None = None, *, encoder: Encoder | None = None) -> None:
        self.config = config or PipelineConfig()
        self._encoder = encoder
        self._modes: list[str] = []
        self.steps: list[Step] = build_steps(self.config)
        """The ordered steps every document goes through (:func:`build_steps`)."""
        self.last_embeddings: DocumentEmbeddings | None = None
        """The last document's embeddings view (its counts: texts asked, texts passed on to scoring)."""

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            self._encoder = embed.get_encoder(self.config.encoder)
        return self._encoder

    def settings(self) -> dict[str, Any]:
        """The signature fields of what this pipeline ran: its steps' fields for the mode(s) of the
        documents it processed, and the name the encoder reports (a field whose value differed between two
        modes lists both, in the order of ``mode``)."""
        name = self._encoder.name if self._encoder is not None else None
        return settings_for(self.config, self._modes, name, self.steps)

    # -- the fold -----------------------------------------------------------------------------

    def fold(self, mode: str, docs: Sequence[Document]) -> DocState:
        """``docs`` (one mixed document, or a document and its translation) through every step, with a
        fresh :class:`~duiqi.steps.DocumentEmbeddings` of the encoder (this document's only memo)."""
        state = DocState.start(mode, docs, None)
        embeddings = self.last_embeddings = DocumentEmbeddings(self.encoder)
        state = fold(replace(state, embeddings=embeddings), self.steps)
        if mode not in self._modes:
            self._modes.append(mode)
        return state

    def prepare(self, doc: Document) -> Prepared:
        """Repair (unless already repaired or switched off) and segment ``doc`` (the steps before
        matching)."""
        before = [s for s in self.steps if isinstance(s, RepairStep | SegmentStep)]
        return fold(DocState.start(MIXED_MODE, (doc,), None), before).prepared[0]

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
        """One mixed bilingual document through every step: the kept pairs and the rejected ones (and
        the document's final state, ``Outcome.state``)."""
        return Outcome.of(self.fold(MIXED_MODE, (doc,)))

    def run_pair(self, src_doc: Document, tgt_doc: Document) -> Outcome:
        """A document and its translation (each in one language) through every step: the kept pairs and
        the rejected ones.

        Blocks are matched first, so sections that come in a different order on the two sides still
        pair up; when the matches are in order throughout, the whole documents are aligned in one go.
        """
        return Outcome.of(self.fold(DOCUMENTS_MODE, (src_doc, tgt_doc)))


def settings_for(config: PipelineConfig, modes: Sequence[str] = (), encoder: str | None = None,
                 steps: Sequence[Step] | None = None) -> dict[str, Any]:
    """The signature fields of ``config``'s steps (or ``steps``) run on documents of ``modes`` (none: the
    config alone); a field whose value differs between the modes lists one value per mode, in the order
    of ``mode``. ``encoder``: the name the loaded encoder reports (default: the name its spec gives)."""
    steps = build_steps(config) if steps is None else steps
    name = encoder or encoder_name(config.encoder)
    per_mode = [steps_settings(steps, config.languages, name, m) for m in modes] or [
        steps_settings(steps, config.languages, name)]
    out: dict[str, Any] = {}
    for key in per_mode[0]:
        values = [s[key] for s in per_mode]
        out[key] = values[0] if all(v == values[0] for v in values) else tuple(values)
    return out
