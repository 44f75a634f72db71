from __future__ import annotations

from dataclasses import replace

import pytest

from duiqi.embed import FakeEncoder
from duiqi.errors import DuiqiError
from duiqi.records import Pair, Reject
from duiqi.score import Deduplicator, FilterConfig, apply_filters, filter_pairs, score_pairs
from duiqi.score.filters import FILTER_NAMES


def test_good_pairs_pass(good_pairs: list[Pair]) -> None:
    out = filter_pairs(good_pairs)
    assert [r.reasons for r in out.rejected] == []
    assert len(out.kept) == len(good_pairs)
    assert all(p.quality is not None for p in out.kept)


@pytest.mark.parametrize(
    ("kind", "rule"),
    [
        ("numbers", "numbers"),
        ("copy", "same-text"),
        ("wrong-language", "wrong-language"),
        ("partial", "ratio"),
        ("garbled", "noise"),
        ("shuffled", "min-quality"),
    ],
)
def test_bad_pairs_rejected_with_reason(bad_pairs: dict[str, Pair], kind: str, rule: str) -> None:
    out = filter_pairs([bad_pairs[kind]])
    assert not out.kept
    (rej,) = out.rejected
    assert rule in rej.filters, rej.reasons
    assert out.counts[rule] == 1
    d = rej.to_dict()
    assert d["reasons"] and d["reason"] == rej.filters[0] and d["pair"]["src"] == bad_pairs[kind].src
    assert Reject.from_dict(d).to_dict() == d  # the one reject record, read back


def test_rules_without_quality_threshold(bad_pairs: dict[str, Pair]) -> None:
    cfg = FilterConfig(min_quality=None)
    shuffled = Pair("我们明天去北京参加会议。", "The weather is nice today.", "zh", "en", 0.05)
    out = apply_filters([shuffled], cfg)
    assert out.kept  # nothing but the quality model catches a shuffled pair
    assert not apply_filters([shuffled]).kept
    out = apply_filters([bad_pairs["copy"]], cfg)
    assert "same-text" in out.rejected[0].filters


def test_each_threshold_can_be_switched_off(bad_pairs: dict[str, Pair]) -> None:
    off = FilterConfig(min_units=None, max_units=None, max_ratio=None, max_number_missing=None, max_overlap=None,
                       min_lang_share=None, urls=False, max_noise=None, noise_flags=False, min_quality=None,
                       dedup=False)
    out = apply_filters(list(bad_pairs.values()) * 2, off)
    assert len(out.kept) == 2 * len(bad_pairs)


def test_short_long_flags_urls_min_similarity() -> None:
    pairs = [
        Pair("好", "", "zh", "en", 0.5),
        Pair("长" * 600, "long " * 400, "zh", "en", 0.5),
        Pair("请访问 a.org 了解详情。", "Please visit www.example.org for details.", "zh", "en", 0.7),
        Pair("今天天气很好。", "The weather is nice today.", "zh", "en", 0.8, flags=("mojibake",)),
        Pair("今天天气很好。", "The weather is nice today.", "zh", "en", 0.2),
    ]
    out = apply_filters(pairs, FilterConfig(min_quality=None, min_similarity=0.3, dedup=False))
    firsts = [r.filters[0] for r in out.rejected]
    assert firsts == ["too-short", "too-long", "urls", "noise-flags", "min-similarity"]


def test_rethreshold_without_encoder(good_pairs: list[Pair]) -> None:
    scored = score_pairs(good_pairs)
    strict = apply_filters(scored, FilterConfig(min_quality=0.99))
    loose = apply_filters(scored, FilterConfig(min_quality=0.2))
    assert len(strict.kept) < len(loose.kept) == len(good_pairs)
    # qualities are read, not recomputed
    odd = [replace(p, quality=0.01) for p in scored]
    assert not apply_filters(odd).kept


def test_missing_similarity_needs_encoder() -> None:
    p = Pair("今天天气很好。", "The weather is nice today.", "zh", "en", 0.0)
    with pytest.raises(DuiqiError, match="encoder"):
        score_pairs([p])
    enc = FakeEncoder(lexicon={"天气": "weather", "weather": "weather", "今天": "today", "today": "today"})
    (scored,) = score_pairs([p], enc)
    assert scored.score > 0.0 and scored.quality is not None
    # already scored pairs are not re-encoded
    before = enc.calls
    score_pairs([scored], enc)
    assert enc.calls == before


def test_dedup_across_calls(good_pairs: list[Pair]) -> None:
    seen = Deduplicator()
    first = filter_pairs(good_pairs, dedup=seen)
    noisy = [replace(p, src=p.src + " ", tgt=p.tgt.upper()) for p in good_pairs]
    second = filter_pairs(noisy, dedup=seen)
    assert len(first.kept) == len(good_pairs)
    assert not second.kept
    assert second.counts["duplicate"] == len(good_pairs)
    assert set(second.counts) == set(FILTER_NAMES)


def test_filter_run_batches(good_pairs: list[Pair], bad_pairs: dict[str, Pair]) -> None:
    from duiqi.score import FilterRun

    run = FilterRun(FilterConfig())
    a = run([*good_pairs[:4], bad_pairs["copy"]])
    b = run([*good_pairs[2:], bad_pairs["numbers"]])  # two repeats of batch one
    assert len(a.kept) == 4 and len(b.kept) == len(good_pairs) - 4
    rep = run.report({"extra": "x"})
    assert rep["totals"] == {"input": 12, "kept": len(good_pairs), "rejected": 4}
    failed = {f["name"]: f["failed"] for f in rep["filters"]}
    assert failed["duplicate"] == 2 and failed["same-text"] == 1 and failed["numbers"] == 1
    assert "quality_model:" in rep["signature"] and "extra:x" in rep["signature"]


def test_english_side_in_german_is_wrong_language() -> None:
    p = Pair("今天天气很好，我们去公园。", "Das Wetter ist heute schön und wir gehen in den Park.", "zh", "en", 0.7)
    out = apply_filters([p], FilterConfig(min_quality=None))
    assert out.rejected and "wrong-language" in out.rejected[0].filters


def test_bad_settings_are_clear_errors() -> None:
    with pytest.raises(DuiqiError, match="min_quality"):
        FilterConfig(min_quality=1.5)
    with pytest.raises(DuiqiError, match="max_ratio"):
        FilterConfig(max_ratio=0.5)


def test_unaligned_sentence_needs_no_encoder() -> None:
    (p,) = score_pairs([Pair("没有翻译的句子。", "", "zh", "en", 0.0)])
    assert p.quality is not None and p.quality < 0.5
    out = apply_filters([p])
    assert out.rejected and out.rejected[0].filters[0] == "too-short"
