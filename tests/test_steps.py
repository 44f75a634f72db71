"""Issue 11 (slice): the pipeline is an ordered list of steps over a DocState; encoded texts are kept per
document only; the signature is the union of the fields of the steps that ran."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tests.mixed.test_mixed import encoder as zh_en_encoder
from tests.mixed.test_mixed import para

from duiqi.align.mixed import align_sentence_sides
from duiqi.embed.base import CachedEncoder
from duiqi.pipeline import Pipeline, PipelineConfig
from duiqi.records import Document
from duiqi.score import FilterConfig
from duiqi.steps import (
    DOCUMENTS_MODE,
    MIXED_MODE,
    AlignStep,
    DocState,
    DocumentEmbeddings,
    MatchBlocksStep,
    fold,
)

ROOT = Path(__file__).resolve().parents[1]


def _doc() -> Document:
    return Document(id="t", text="\n\n".join(x for k in range(3) for x in para(k)) + "\n")


def test_the_pipeline_is_its_ordered_steps_folded_over_the_document() -> None:
    pipe = Pipeline(PipelineConfig(encoder="fake", filters=FilterConfig(min_quality=0.1)), encoder=zh_en_encoder())
    assert [s.name for s in pipe.steps] == ["repair", "segment", "match-blocks", "align", "score", "filter"]
    assert [s.name for s in Pipeline(PipelineConfig(encoder="fake", score=False)).steps] == [
        "repair", "segment", "match-blocks", "align"]
    outcome = pipe.run(_doc())
    # the same fold by hand, step by step, gives the same state
    by_hand = fold(DocState.start(MIXED_MODE, (_doc(),), DocumentEmbeddings(zh_en_encoder())), pipe.steps)
    assert outcome.state is not None
    assert list(by_hand.pairs) == outcome.pairs and outcome.pairs
    assert outcome.state.matches is not None and outcome.state.matches.groups
    assert [len(p.sentences) for p in outcome.state.prepared] == [12]
    # every step filled in its part, and the input document is untouched
    assert outcome.state.docs == (_doc(),) and outcome.state.prepared[0].doc.repaired


def test_the_signature_is_the_union_of_the_fields_of_the_steps_that_ran() -> None:
    config = PipelineConfig(encoder="fake", filters=FilterConfig(min_quality=0.5))
    pipe = Pipeline(config, encoder=zh_en_encoder())
    pipe.run(_doc())
    expected: dict[str, Any] = {"encoder": pipe.encoder.name, "mode": MIXED_MODE, **config.languages.settings()}
    for step in pipe.steps:
        expected.update(step.settings(MIXED_MODE))
    assert pipe.settings() == expected
    assert pipe.settings() == config.settings(MIXED_MODE, pipe.encoder.name)
    assert "quality_model" in expected and "filter.min_quality" in expected and "align.max_align" in expected
    # the align step signs the span setting it ran, in both modes (one setting: align.span_embedding)
    from dataclasses import replace

    mean = replace(config, align=replace(config.align, span_embedding="mean"))
    assert mean.settings(MIXED_MODE)["align.span_embedding"] == "mean"
    assert mean.settings(DOCUMENTS_MODE)["align.span_embedding"] == "mean"
    assert config.settings(MIXED_MODE)["align.span_embedding"] == config.align.span_embedding


def test_match_blocks_then_align_is_align_sentence_sides() -> None:
    """Splitting the block matcher and the sentence aligner into two steps changed nothing."""
    pipe = Pipeline(PipelineConfig(encoder="fake", score=False), encoder=zh_en_encoder())
    outcome = pipe.run(_doc())
    state = outcome.state
    assert state is not None and state.sides is not None
    src, tgt = state.sides
    match = next(s for s in pipe.steps if isinstance(s, MatchBlocksStep))
    align = next(s for s in pipe.steps if isinstance(s, AlignStep))
    whole = align_sentence_sides(src.sentences, tgt.sentences, src.blocks, tgt.blocks, encoder=zh_en_encoder(),
                                 config=align.align, mixed=align.mixed, doc="t",
                                 src_flags=src.flags, tgt_flags=tgt.flags,
                                 length_factors=(match.length_factor["zh"], match.length_factor["en"]))
    assert whole == outcome.pairs and whole


def test_a_document_that_is_not_a_document_is_refused_before_any_step() -> None:
    from duiqi.errors import InputError

    pipe = Pipeline(PipelineConfig(encoder="fake"), encoder=zh_en_encoder())
    with pytest.raises(TypeError, match="Document"):
        pipe.run("some text")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="empty"):
        pipe.run(Document(id="e", text="  \n"))


def test_get_encoder_keeps_no_texts_and_each_document_has_its_own_view() -> None:
    from duiqi.embed import get_encoder

    enc = get_encoder("fake")
    assert not isinstance(enc, CachedEncoder) and not hasattr(enc, "_memo")
    pipe = Pipeline(PipelineConfig(encoder="fake"), encoder=zh_en_encoder())
    pipe.run(_doc())
    first = pipe.last_embeddings
    pipe.run(_doc())
    assert first is not None and pipe.last_embeddings is not first
    assert first.passed_on > 0  # the score step read the aligner's rows


class _Spy:
    """Records every text that reaches the model: encoded on its own (``encode``, ``parts``) or run as a
    sequence (``states``)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = inner.name
        self.own: list[str] = []
        self.runs: list[str] = []

    @property
    def pooler(self) -> Any:
        return self.inner.pooler

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.own.extend(texts)
        return np.asarray(self.inner.encode(texts), dtype=np.float32)

    def parts(self, texts: Sequence[str]) -> Any:
        self.own.extend(texts)
        return self.inner.parts(texts)

    def states(self, texts: Sequence[str], glue: str = " ", seams: bool = True) -> Any:
        self.runs.extend(texts)
        return self.inner.states(texts, glue, seams)


@pytest.mark.slow
def test_with_the_real_encoder_no_sentence_is_computed_twice_without_any_memo() -> None:
    """USE composes multi-sentence spans from the sentences' pooled states: the document's view keeps them
    from the match-blocks step, so the align step runs no sentence again and the score step encodes only
    joined sides. The example's six pairs come out as ``duiqi align`` gives them."""
    from duiqi.embed import get_encoder
    from duiqi.io import read_document

    model = get_encoder("use")
    assert model.pooler is not None  # type: ignore[attr-defined]
    spy = _Spy(model)
    pipe = Pipeline(PipelineConfig(encoder="use"), encoder=spy)  # type: ignore[arg-type]
    pairs = pipe.process(read_document(str(ROOT / "examples" / "chongqing-foreign-affairs-2022.txt")))
    assert len(pairs) == 6 and all(p.quality is not None and p.quality > 0.9 for p in pairs)
    assert len(spy.own) == len(set(spy.own)), "a text reached the encoder twice"
    assert spy.runs == [], "sentences were run again for span composition"
    sentences = {s.text for s in pipe.prepare(read_document(str(ROOT / "examples" /
                                                                  "chongqing-foreign-affairs-2022.txt"))).sentences}
    assert len(spy.own) <= 1.1 * len(sentences)
