"""One-document (mixed zh/en) alignment and the document pipeline, on small hand-made documents.

A lexicon encoder stands in for the real model: every sentence is a bag of concept tokens (each
Chinese noun and its English translation map to the same token), so translations are similar and
everything else is not. The layouts of issue 5 are built from the same six paragraph pairs.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from duiqi.align.blockmatch import BlockMatchConfig, SideBlocks, coverage_matrix, match_blocks
from duiqi.embed import FakeEncoder
from duiqi.errors import InputError
from duiqi.pipeline import Pipeline, PipelineConfig
from duiqi.records import Document, Pair
from duiqi.score import FilterConfig

ZH_WORDS = "苹果 香蕉 河流 山峰 城市 学校 医院 工厂 火车 飞机 图书馆 博物馆 公园 市场 银行 港口 森林 沙漠 海洋 桥梁 农民 教师 医生 工人"
EN_WORDS = ("apple banana river mountain city school hospital factory train airplane library museum park "
            "market bank harbour forest desert ocean bridge farmer teacher doctor worker")
CONCEPTS = list(zip(ZH_WORDS.split(), EN_WORDS.split(), strict=True))
LEXICON = {w: f"c{k}" for k, (z, e) in enumerate(CONCEPTS) for w in (z, e)}


def encoder() -> FakeEncoder:
    return FakeEncoder(lexicon=LEXICON, ngrams=False)


def zh_sentence(a: int, b: int) -> str:
    return f"我们昨天一起看到了{CONCEPTS[a][0]}和{CONCEPTS[b][0]}，大家都觉得非常高兴。"


def en_sentence(a: int, b: int) -> str:
    return f"Yesterday we saw the {CONCEPTS[a][1]} and the {CONCEPTS[b][1]} together, and everyone was very happy."


def para(k: int) -> tuple[str, str]:
    """Paragraph pair k (0..5): two sentences, four concepts."""
    c = 4 * k
    return zh_sentence(c, c + 1) + zh_sentence(c + 2, c + 3), en_sentence(c, c + 1) + " " + en_sentence(c + 2, c + 3)


def run(text: str, **cfg: object) -> list[Pair]:
    pipe = Pipeline(PipelineConfig(encoder="fake", **cfg), encoder=encoder())  # type: ignore[arg-type]
    return pipe.process(Document(id="t", text=text))


def concepts_of(text: str) -> set[str]:
    return {LEXICON[w] for w in LEXICON if w in text}


def assert_translations(pairs: list[Pair]) -> None:
    for p in pairs:
        assert concepts_of(p.src) == concepts_of(p.tgt), (p.src, p.tgt)
        assert p.src_lang == "zh" and p.tgt_lang == "en"


def paired_paragraphs(pairs: list[Pair]) -> set[int]:
    return {int(sorted(concepts_of(p.src))[0][1:]) // 4 for p in pairs}


# ------------------------------------------------------------------------------------- layouts


def test_paragraph_by_paragraph() -> None:
    lines = [x for k in range(4) for x in para(k)]
    pairs = run("\n".join(lines))
    assert_translations(pairs)
    assert len(pairs) == 8  # two sentences per paragraph, 1-1
    assert [p.src_ids for p in pairs] == [(i,) for i in range(8)]


def test_sections() -> None:
    sec1 = [para(k)[0] for k in (0, 1, 2)] + [para(k)[1] for k in (0, 1, 2)]
    sec2 = [para(k)[0] for k in (3, 4)] + [para(k)[1] for k in (3, 4)]
    pairs = run("\n".join(sec1 + sec2))
    assert_translations(pairs)
    assert paired_paragraphs(pairs) == {0, 1, 2, 3, 4}
    assert len(pairs) == 10


def test_halves_and_english_first() -> None:
    zh = [para(k)[0] for k in range(5)]
    en = [para(k)[1] for k in range(5)]
    for text in ("\n".join(zh + en), "\n".join(en + zh)):
        pairs = run(text)
        assert_translations(pairs)
        assert len(pairs) == 10


def test_partial_translation_leaves_untranslated_out() -> None:
    lines = [para(0)[0], para(0)[1], para(1)[0], para(2)[0], para(2)[1], para(3)[0], para(4)[1], para(5)[0]]
    pairs = run("\n".join(lines))
    assert_translations(pairs)
    assert paired_paragraphs(pairs) == {0, 2}


def test_near_duplicate_caption_does_not_steal_the_translation() -> None:
    caption = f"2022年7月，我们一起看到了{CONCEPTS[4][0]}和{CONCEPTS[5][0]}。"
    # the caption comes right before the English, closer than the real translation
    lines = [para(0)[0], para(0)[1], para(1)[0], caption, para(1)[1], "2022年8月", "共建美好家园"]
    pairs = run("\n".join(lines))
    assert_translations(pairs)
    assert all("2022" not in p.src for p in pairs)
    assert paired_paragraphs(pairs) == {0, 1}


def test_caption_saying_the_same_as_a_paragraph_loses_to_it() -> None:
    """The caption holds every concept of a one-sentence paragraph: only its kind and date tell."""
    zh = zh_sentence(20, 21)
    caption = f"2022年7月，我们看到了{CONCEPTS[20][0]}和{CONCEPTS[21][0]}。"
    for lines in ([para(0)[0], para(0)[1], zh, caption, en_sentence(20, 21)],
                  [para(0)[0], para(0)[1], caption, zh, en_sentence(20, 21)]):
        pairs = run("\n".join(lines))
        assert_translations(pairs)
        assert [p.src for p in pairs if "c20" in concepts_of(p.src)] == [zh]


def test_caption_only_similar_block_stays_unpaired() -> None:
    """A Chinese caption about a paragraph whose translation is absent is not paired with anything."""
    caption = f"2022年7月，{CONCEPTS[0][0]}和{CONCEPTS[1][0]}。"
    lines = [para(1)[0], para(1)[1], caption, para(2)[0], para(2)[1]]
    pairs = run("\n".join(lines))
    assert_translations(pairs)
    assert all("2022" not in p.src for p in pairs)


def test_reordered_sections_in_two_documents() -> None:
    zh = "\n".join(para(k)[0] for k in range(6))
    en = "\n".join(para(k)[1] for k in (3, 4, 5, 0, 1, 2))
    pipe = Pipeline(PipelineConfig(encoder="fake"), encoder=encoder())
    pairs = pipe.process_pair(Document("zh", zh), Document("en", en))
    assert_translations(pairs)
    assert paired_paragraphs(pairs) == set(range(6))
    assert len(pairs) == 12


def test_reordered_sections_in_one_document() -> None:
    zh = [para(k)[0] for k in range(6)]
    en = [para(k)[1] for k in (4, 5, 0, 1, 2, 3)]
    pairs = run("\n".join(zh + en))
    assert_translations(pairs)
    assert len(pairs) == 12


def test_paragraph_split_on_one_side_is_merged() -> None:
    zh0, en0 = para(0)
    first, second = en0.split(" Yesterday")
    lines = [zh0, first, "Yesterday" + second, para(1)[0], para(1)[1]]
    pairs = run("\n".join(lines))
    assert_translations(pairs)
    assert len(pairs) == 4


def test_paragraph_split_around_a_short_line_is_merged() -> None:
    """One side's paragraph is cut in two by a photo credit or a rights line: both halves still pair."""
    zh0, en0 = para(0)
    first, second = en0.split(" Yesterday")
    for between in ("All rights reserved.", "Photo: Xinhua"):
        lines = [zh0, para(1)[0], para(2)[0], first, between, "Yesterday" + second, para(1)[1], para(2)[1]]
        pairs = run("\n".join(lines))
        assert_translations(pairs)
        assert len(pairs) == 6, [(p.src, p.tgt) for p in pairs]


def test_english_as_source() -> None:
    lines = [x for k in range(2) for x in para(k)]
    pipe = Pipeline(PipelineConfig(encoder="fake", src_lang="en", tgt_lang="zh"), encoder=encoder())
    pairs = pipe.process(Document("t", "\n".join(lines)))
    assert len(pairs) == 4
    assert all(p.src_lang == "en" and p.tgt_lang == "zh" and p.src.startswith("Yesterday") for p in pairs)


# --------------------------------------------------------------------------- scores, flags, errors


def test_min_similarity_and_flags() -> None:
    zh0, en0 = para(0)
    lines = [zh0, en0.replace("apple", "apple of Du?an"), para(1)[0], para(1)[1]]
    pairs = run("\n".join(lines))
    assert len(pairs) == 4
    flagged = [p for p in pairs if "lossy-latin" in p.flags]
    assert len(flagged) == 1 and "Du?an" in flagged[0].tgt
    assert all(0.0 < p.score <= 1.0 for p in pairs)
    assert run("\n".join(lines), filters=FilterConfig.thresholds(min_similarity=1.01)) == []


def test_traditional_pinyin_input_is_repaired() -> None:
    zh = "我們昨天一起看到了蘋(píng)果和香蕉，大家都覺(jué)得非常高興(xìng)。"
    pairs = run(zh + "\n" + en_sentence(0, 1))
    assert len(pairs) == 1
    assert pairs[0].src == "我们昨天一起看到了苹果和香蕉，大家都觉得非常高兴。"


def test_bad_documents_raise_input_errors() -> None:
    with pytest.raises(InputError, match="empty"):
        run("  \n ")
    with pytest.raises(InputError, match="no English"):
        run(para(0)[0])
    pipe = Pipeline(PipelineConfig(encoder="fake"), encoder=encoder())
    with pytest.raises(InputError, match="same language"):
        pipe.process_pair(Document("a", para(0)[0]), Document("b", para(1)[0]))


def test_config_is_frozen_picklable_and_signed() -> None:
    cfg = PipelineConfig(encoder="fake", filters=FilterConfig.thresholds(min_similarity=0.5))
    assert pickle.loads(pickle.dumps(cfg)) == cfg
    settings = cfg.settings()
    assert settings["encoder"] == "fake-256"  # the name the encoder reports
    assert settings["filter.min_similarity"] == 0.5 and "min_score" not in settings
    assert "align.max_align" in settings and "mixed.blocks.margin_k" in settings
    with pytest.raises(AttributeError):
        cfg.encoder = "use"  # type: ignore[misc]
    with pytest.raises(ValueError):
        PipelineConfig(src_lang="xx")  # no language profile


def test_encoder_is_loaded_once_and_lazily(monkeypatch: pytest.MonkeyPatch) -> None:
    import duiqi.embed as embed

    calls: list[str] = []

    def fake_get(spec: str) -> FakeEncoder:
        calls.append(spec)
        return encoder()

    monkeypatch.setattr(embed, "get_encoder", fake_get)
    pipe = Pipeline(PipelineConfig(encoder="fake"))
    assert calls == []
    text = "\n".join(para(0))
    pipe.process(Document("a", text))
    pipe.process(Document("b", text))
    assert calls == ["fake"]


# ---------------------------------------------------------------------------------- block matcher


def test_coverage_matrix_by_hand() -> None:
    import numpy as np

    sims = np.array([[0.9, 0.1, 0.0], [0.2, 0.8, 0.0], [0.0, 0.0, 0.5]], dtype=np.float32)
    src = SideBlocks((0, 0, 1), (1.0, 1.0, 1.0))
    tgt = SideBlocks((0, 0, 1), (1.0, 1.0, 1.0))
    cov = coverage_matrix(sims, src, tgt)
    assert cov.shape == (2, 2)
    assert cov[0, 0] == pytest.approx(0.5 * (0.85 + 0.85))
    assert cov[1, 1] == pytest.approx(0.5)
    groups = match_blocks(sims, src, tgt, BlockMatchConfig())
    assert [(g.src_blocks, g.tgt_blocks) for g in groups] == [((0,), (0,)), ((1,), (1,))]


def test_block_matcher_prefers_the_block_with_the_better_margin() -> None:
    import numpy as np

    # zh0 is a little more similar to en0 than zh1 is, but zh0 is similar to everything (generic);
    # zh1 is similar to en0 only: the margin gives en0 to zh1
    sims = np.array([[0.60, 0.55, 0.55], [0.58, 0.0, 0.0]], dtype=np.float32)
    one = SideBlocks((0, 1), (1.0, 1.0))
    three = SideBlocks((0, 1, 2), (1.0, 1.0, 1.0))
    groups = match_blocks(sims, one, three, BlockMatchConfig())
    assert ((1,), (0,)) in [(g.src_blocks, g.tgt_blocks) for g in groups]
    no_margin = match_blocks(sims, one, three, BlockMatchConfig(margin_weight=0.0))
    assert ((0,), (0,)) in [(g.src_blocks, g.tgt_blocks) for g in no_margin]


# ------------------------------------------------------------------------------------------ CLI


def test_cli_single_input_is_mixed_mode(tmp_path: Path) -> None:
    from duiqi.cli.main import main

    doc = tmp_path / "mixed.txt"
    doc.write_text("\n".join(x for k in range(2) for x in para(k)), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["align", str(doc), "--encoder", "fake", "-o", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    for row in rows:
        assert {"src", "tgt", "src_lang", "tgt_lang", "score", "src_ids", "tgt_ids", "doc", "flags"} <= set(row)
        assert row["src_lang"] == "zh" and row["tgt_lang"] == "en"
    assert main(["align", str(doc), "--encoder", "fake", "--min-score", "1.01", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == ""


def test_tmx_output_opens_in_translate_toolkit(tmp_path: Path) -> None:
    tmx = pytest.importorskip("translate.storage.tmx")
    from duiqi.export import write_pairs

    pairs = run("\n".join(x for k in range(3) for x in para(k)))
    out = tmp_path / "pairs.tmx"
    write_pairs(pairs, str(out), settings=PipelineConfig(encoder="fake").settings())
    store = tmx.tmxfile.parsefile(str(out))
    units = [u for u in store.units if u.source]
    assert [u.source for u in units] == [p.src for p in pairs]
    assert [u.target for u in units] == [p.tgt for p in pairs]


def test_two_documents_in_order_are_aligned_whole() -> None:
    """Paragraphs cut differently on the two sides: with nothing reordered the whole documents are
    aligned by the sentence aligner, so every sentence finds its translation."""
    zh = "".join(zh_sentence(4 * k, 4 * k + 1) + zh_sentence(4 * k + 2, 4 * k + 3) for k in range(3))
    en = "\n".join(para(k)[1].replace(" Yesterday", "\nYesterday") for k in range(3))
    pipe = Pipeline(PipelineConfig(encoder="fake"), encoder=encoder())
    pairs = pipe.process_pair(Document("zh", zh), Document("en", en))
    assert_translations(pairs)
    assert len(pairs) == 6
    assert [p.src_ids for p in pairs] == [(i,) for i in range(6)]


# ------------------------------------------------------------------------------------- properties

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_LINE = st.one_of(
    st.tuples(st.just("zh"), st.integers(0, 5)),
    st.tuples(st.just("en"), st.integers(0, 5)),
    st.tuples(st.just("caption"), st.integers(0, 5)),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LINE, min_size=2, max_size=12))
def test_any_layout_pairs_only_translations_and_uses_each_sentence_once(lines: list[tuple[str, int]]) -> None:
    text_lines = []
    for kind, k in lines:
        if kind == "caption":
            text_lines.append(f"2022年{k + 1}月，我们一起看到了{CONCEPTS[4 * k][0]}。")
        else:
            text_lines.append(para(k)[0 if kind == "zh" else 1])
    try:
        pairs = run("\n".join(text_lines))
    except InputError:
        assert not ({"zh", "caption"} & {k for k, _ in lines}) or "en" not in {k for k, _ in lines}
        return
    assert_translations(pairs)
    used_src = [i for p in pairs for i in p.src_ids]
    used_tgt = [j for p in pairs for j in p.tgt_ids]
    assert len(used_src) == len(set(used_src)) and len(used_tgt) == len(set(used_tgt))
    assert all("2022" not in p.src for p in pairs)
    # a paragraph present once on each side is always found
    zh_once = {k for kind, k in lines if kind == "zh"}
    en_once = {k for kind, k in lines if kind == "en"}
    unique = {k for k in zh_once & en_once
              if sum(1 for kind, j in lines if j == k and kind == "zh") == 1
              and sum(1 for kind, j in lines if j == k and kind == "en") == 1}
    assert unique <= paired_paragraphs(pairs)


def test_long_documents_read_similarities_in_chunks_without_windows() -> None:
    """Above ``max_cells`` the similarity matrix is read in chunks: a two-halves document (all Chinese,
    then all English) loses no translation, and gives what the whole matrix gives."""
    from dataclasses import replace

    from duiqi.align.mixed import MixedConfig

    zh = [para(k)[0] for k in range(6)]
    en = [para(k)[1] for k in range(6)]
    text = "\n".join(zh + en)
    small = PipelineConfig(encoder="fake", mixed=replace(MixedConfig(), max_cells=30))
    pairs = Pipeline(small, encoder=encoder()).process(Document("t", text))
    assert_translations(pairs)
    assert len(pairs) == 12
    assert [p.src_ids for p in pairs] == [(i,) for i in range(12)]
    assert [(p.src, p.tgt) for p in pairs] == [(p.src, p.tgt) for p in run(text)]


def test_lazy_similarities_give_the_same_coverage() -> None:
    import numpy as np

    from duiqi.align.blockmatch import LazySims, side_coverage

    rng = np.random.default_rng(0)
    es, et = rng.normal(size=(23, 8)), rng.normal(size=(17, 8))
    src = SideBlocks(tuple(sorted(rng.integers(0, 6, 23).tolist())), tuple(rng.uniform(1, 9, 23).tolist()))
    tgt = SideBlocks(tuple(sorted(rng.integers(0, 5, 17).tolist())), tuple(rng.uniform(1, 9, 17).tolist()))
    dense = es @ et.T
    lazy = LazySims(es, et, chunk_rows=4)
    assert np.allclose(coverage_matrix(dense, src, tgt), coverage_matrix(lazy, src, tgt), atol=1e-5)
    assert np.allclose(side_coverage(dense, src, tgt), side_coverage(lazy, src, tgt), atol=1e-5)
    rows, cols = np.array([1, 5, 7]), np.array([0, 16])
    assert np.allclose(lazy[np.ix_(rows, cols)], dense[np.ix_(rows, cols)], atol=1e-5)


def test_paragraph_boundaries_differ_between_languages() -> None:
    """zh cuts a section 2+2 sentences, en 1+3: matched neighbours are aligned together."""
    zh = [zh_sentence(0, 1) + zh_sentence(2, 3), zh_sentence(4, 5) + zh_sentence(6, 7)]
    en = [en_sentence(0, 1), " ".join(en_sentence(a, a + 1) for a in (2, 4, 6))]
    pairs = run("\n".join(zh + en + [para(3)[0], para(3)[1]]))
    assert_translations(pairs)
    assert len(pairs) == 6
    from dataclasses import replace

    from duiqi.align.mixed import MixedConfig

    unjoined = run("\n".join(zh + en), mixed=replace(MixedConfig(), join_runs=False))
    assert len(unjoined) < 4


def test_cli_mixed_mode_reads_html(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("trafilatura")
    import duiqi.embed as embed
    from duiqi.cli.main import main

    monkeypatch.setattr(embed, "get_encoder", lambda spec: encoder())

    body = "".join(f"<p>{x}</p>" for k in range(2) for x in para(k))
    doc = tmp_path / "page.html"
    doc.write_text(f"<html><head><title>t</title></head><body><article>{body}</article></body></html>", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["align", str(doc), "--encoder", "fake", "-o", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 4 and all("<" not in r["src"] + r["tgt"] for r in rows)
    assert main(["align", str(tmp_path / "missing.txt"), "--encoder", "fake"]) == 2


# -- documents as people write them (issue 12) -------------------------------------------------------


def test_quoted_gloss_lines_are_never_glued_onto_the_sentence_above() -> None:
    zh, en = para(0)
    text = f"{en}\n>banana 香蕉；芭蕉\n>river 河流\n\n{zh}\n"
    from duiqi.segment import blocks

    bl = blocks(Document(id="t", text=text))
    assert [b.text for b in bl if b.lang == "en" and b.kind != "gloss"] == [en]
    assert {b.text for b in bl if b.kind == "gloss"} == {"banana", "香蕉；芭蕉", "river", "河流"}
    pairs = run(text)
    assert_translations(pairs)
    assert pairs and all("inline" not in p.flags and "香蕉；芭蕉" not in p.src for p in pairs)


def test_inline_pairs_yield_glossary_lines_flagged_inline() -> None:
    zh, en = para(1)
    text = f"# 城市 学校 City and school\n\n{zh}\n\n{en}\n\n```\nmountain      山峰\nbank          银行\n```\n"
    plain = run(text)
    assert_translations(plain)
    assert all("inline" not in p.flags for p in plain)
    inline = [p for p in run(text, inline_pairs=True) if "inline" in p.flags]
    assert [(p.src, p.tgt) for p in inline] == [("城市 学校", "City and school"), ("山峰", "mountain"),
                                                ("银行", "bank")]


def test_list_item_analysis_with_its_continuation_line_stays_out() -> None:
    zh, en = para(2)
    text = (f"{en}\n\n{zh}\n\n**句子结构分析**\n\n* **主句**：*Yesterday we saw the hospital*\n"
            f"  （我们昨天看到了医院和工厂）\n")
    from duiqi.segment import blocks

    bl = blocks(Document(id="t", text=text))
    assert [b.kind for b in bl if "医院和工厂）" in b.text] == ["gloss"]
    pairs = run(text)
    assert_translations(pairs)
    assert all("主句" not in p.src and "（" not in p.src for p in pairs)


def test_subtitle_style_line_with_two_sentences_is_running_text() -> None:
    zh, en = para(3)
    from duiqi.segment import blocks

    bl = blocks(Document(id="t", text=f"{zh} {en}\n"))
    assert {b.lang for b in bl} == {"zh", "en"} and all(b.kind != "gloss" for b in bl)


def test_subscription_and_navigation_lines_stay_out() -> None:
    zh, en = para(4)
    text = f"{zh}\n\n点击这里订阅 | Click here to subscribe!\n\n{en}\n\n返回顶部 Back to top\n"
    pairs = run(text)
    assert_translations(pairs)
    assert pairs and not any("订阅" in p.src or "subscribe" in p.tgt or "顶部" in p.src for p in pairs)


def test_boilerplate_lines_stay_out_even_when_they_translate_each_other() -> None:
    """A copyright line and its English, a subscription prompt and its English, each on a line of its own:
    the encoder calls them translations (a lexicon says so), the pipeline keeps them out all the same."""
    zh, en = para(5)
    lexicon = {**LEXICON, "版权所有": "b0", "All rights reserved": "b0", "订阅": "b1", "Subscribe": "b1"}
    text = (f"{zh}\n\n{en}\n\n版权所有，转载请注明出处。\n\nAll rights reserved.\n\n"
            "点击这里订阅我们的新闻\n\nSubscribe to our newsletter\n")
    pipe = Pipeline(PipelineConfig(encoder="fake"), encoder=FakeEncoder(lexicon=lexicon, ngrams=False))
    pairs = pipe.process(Document(id="t", text=text))
    assert_translations(pairs)
    assert pairs and not any("版权" in p.src or "订阅" in p.src for p in pairs)


def test_gap_between_sure_matches_is_aligned() -> None:
    """A paragraph pair the block matcher cannot vouch for alone (here: encoded as unrelated), between two
    pairs it is sure of, is aligned together with them; a one-sided gap (untranslated) stays out."""
    from duiqi.align.blockmatch import BlockMatch
    from duiqi.align.mixed import fill_gaps

    side = SideBlocks((0, 1, 2, 3), (10.0, 10.0, 10.0, 10.0), {}, {})
    groups = [BlockMatch((0,), (0,), 0.5, 0.6), BlockMatch((3,), (2,), 0.5, 0.6)]
    t_side = SideBlocks((0, 1, 2), (10.0, 10.0, 10.0), {}, {})
    got = fill_gaps(groups, side, t_side, [0, 1, 2, 3], [0, 1, 2])
    assert [(g.src_blocks, g.tgt_blocks) for g in got] == [((0,), (0,)), ((1, 2), (1,)), ((3,), (2,))]
    # the gap's sides far apart in length: left alone
    t_long = SideBlocks((0, 1, 2), (10.0, 200.0, 10.0), {}, {})
    assert len(fill_gaps(groups, side, t_long, [0, 1, 2, 3], [0, 1, 2])) == 2
    # one-sided gap: nothing to align
    t_side2 = SideBlocks((0, 1), (10.0, 10.0), {}, {})
    groups2 = [BlockMatch((0,), (0,), 0.5, 0.6), BlockMatch((3,), (1,), 0.5, 0.6)]
    assert len(fill_gaps(groups2, side, t_side2, [0, 1, 2, 3], [0, 1])) == 2


def test_cli_inline_pairs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import duiqi.embed as embed
    from duiqi.cli.main import main

    monkeypatch.setattr(embed, "get_encoder", lambda spec: encoder())
    zh, en = para(5)
    doc = tmp_path / "notes.md"
    doc.write_text(f"# 农民 教师 Farmers and teachers\n\n{zh}\n\n{en}\n>doctor 医生\n", encoding="utf-8")
    for flag, inline in (([], 0), (["--inline-pairs"], 2)):
        out = tmp_path / f"out{len(flag)}.jsonl"
        assert main(["align", str(doc), "--encoder", "fake", "-o", str(out), *flag]) == 0
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        assert sum("inline" in r["flags"] for r in rows) == inline
        assert sum("inline" not in r["flags"] for r in rows) == 2
        meta = json.loads((tmp_path / f"out{len(flag)}.jsonl.meta.json").read_text(encoding="utf-8"))
        assert f"inline_pairs:{'yes' if flag else 'no'}" in meta["signature"]


def test_markup_free_encoder_sees_clean_text() -> None:
    from duiqi.align.mixed import MarkupFreeEncoder

    seen: list[str] = []

    class Spy:
        name = "spy"

        def encode(self, texts: list[str]) -> object:
            import numpy as np

            seen.extend(texts)
            return np.ones((len(texts), 4), dtype=np.float32) / 2

    MarkupFreeEncoder(Spy()).encode(["对<u>企图</u>**破坏**", "He **grapples** with `it`&nbsp;now &amp; then"])  # type: ignore[arg-type]
    assert seen == ["对企图破坏", "He grapples with it now & then"]
