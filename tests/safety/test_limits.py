"""Issue 10, limits and time: sentence splitting is linear, repair of a long text is bounded."""

from __future__ import annotations

import importlib

import pytest

from duiqi.segment.sentences import split_sentences

sentences = importlib.import_module("duiqi.segment.sentences")  # the module, not duiqi.segment.sentences()

UNITS = ["a.", "Ab. ", "a@a.", "a-", "http://a", "中。", "“中。", "a.b@c.d/", "a... ", "x.com."]


@pytest.mark.parametrize("unit", UNITS)
def test_sentence_splitting_is_linear(unit: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The characters looked at grow linearly with the text, counted in the one backward scan (no timing
    here: the wall-clock figures are in benchmarks/fuzz_readers.py and RESULTS.md)."""
    calls = {"chars": 0}
    original = sentences._word_before

    def counting(text: str, pos: int) -> str:
        word = original(text, pos)
        calls["chars"] += len(word) + 1
        return word

    monkeypatch.setattr(sentences, "_word_before", counting)
    costs = []
    for n in (10_000, 40_000):
        text = unit * (n // len(unit))
        calls["chars"] = 0
        split_sentences(text)
        costs.append(calls["chars"])
    c1, c2 = costs
    assert c2 <= 5 * c1 + 100  # linear: ~4x; quadratic: ~16x


def test_word_before_is_bounded() -> None:
    text = "a." * 10_000
    assert len(sentences._word_before(text, len(text) - 1)) <= sentences.MAX_WORD


def test_long_texts_are_repaired_in_chunks_with_one_replayable_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path

    from duiqi.repair import apply_plan, repair
    from duiqi.repair import pipeline as rp

    example = Path(__file__).resolve().parents[2] / "examples" / "chongqing-foreign-affairs-2022.txt"
    text = example.read_text(encoding="utf-8") * 3
    whole = repair(text)
    monkeypatch.setattr(rp, "CHUNK_CHARS", 3000)
    chunked = repair(text)
    assert chunked.signals["chunks"] > 1
    assert chunked.text == whole.text
    assert apply_plan(text, chunked.plan) == chunked.text
    assert all(chunked.text[f.start:f.end] for f in chunked.flags)
    assert rp._chunks("x" * 10, 3) == ["xxx", "xxx", "xxx", "x"]
